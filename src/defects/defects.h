/*
 * Defect reports (Mängelmelder): reports with a map point and photos,
 * routing to departments, the status workflow and the dialogue, the
 * Open311 GeoReport v2 server, and their pages.
 * For the capability's own files and the route table (src/routes.c).
 */

#ifndef MITWIRKEN_DEFECTS_H
#define MITWIRKEN_DEFECTS_H

#include "mitwirken.h"

/* defects.c: reports, nearby, supports, the reporter's status link. */
#define DEFECT_NONCE_LEN	16

extern const struct db_constraint	defects_report_constraints[];

extern const char *const	defects_statuses[];	/* "open" first */
extern const char *const	defects_channels[];

extern const struct db_op	op_defects, op_defect, op_defects_geojson,
				op_defects_nearby, op_defect_submit,
				op_defect_by_token;

/*
 * Checks a report (JSON body, form or Open311 parameters already mapped
 * to the same names) and derives the vars op_defect_submit binds: the
 * reporter, channel, point, e-mail (MAC + AEAD, confirmation mail), the
 * status token (kept in var "status_token" for the answer) and limits.
 * MW_ERROR after an answer.
 */
int	defects_prepare(struct http_request *);
/*
 * The pieces of defects_prepare other entry points (Open311) share:
 * defects_new_token sets vars "nonce", "status_hash", "open311_token" and
 * "status_token" (the private status link's token); defects_email_vars
 * checks an optional follow-up address and sets "email_lookup",
 * "email_ct" and "mail" (the sealed confirmation with the status link;
 * call it after defects_new_token); MW_ERROR with a field error.
 */
void	defects_new_token(struct http_request *);
/* The status token a report's nonce gives (server key; never stored). */
void	defects_status_token(const unsigned char *, char *);
int	defects_email_vars(struct http_request *, const char *,
	    struct field_errors *);
/* The status link for a token: public_url/maengel/status/<token>. */
void	defects_status_link(const char *, char *, size_t);
/* The status token's keyed hash from a token in the path or the query. */
int	defects_token_vars(struct http_request *, const char *);
/* The viewer's var "staff" (t/f): staff, moderators and admins. */
void	defects_viewer_vars(struct http_request *);

int	api_defect(struct http_request *);
int	api_defect_create(struct http_request *);
int	api_defects_nearby(struct http_request *);
int	api_defects_geojson(struct http_request *);
int	api_defect_support(struct http_request *);
int	api_defect_by_token(struct http_request *);
int	api_defect_email_erase(struct http_request *);

/* workflow.c: the department's workflow, dialogue, feedback, queues. */
extern const struct db_op	op_staff_defects, op_moderation_defects;

int	api_defect_status(struct http_request *);
int	api_defect_department(struct http_request *);
int	api_defect_message_create(struct http_request *);
int	api_defect_feedback(struct http_request *);
int	api_staff_defects(struct http_request *);

/* photos.c: stored photos, served and moderated. */
int	api_defect_photo(struct http_request *);
int	api_defect_photo_moderate(struct http_request *);

/* open311.c: GeoReport v2 at /open311/v2/ (JSON and XML). */
extern const struct db_op	op_open311_services;

int	open311_discovery(struct http_request *);
int	open311_definition(struct http_request *);
int	open311_requests(struct http_request *);
int	open311_request(struct http_request *);
int	open311_request_create(struct http_request *);
int	open311_token(struct http_request *);

/* open311_keys.c: the API keys, issued and revoked by admins. */
extern const struct db_op	op_open311_keys, op_open311_key_revoke,
				op_open311_key_create;
int	open311_key_prepare(struct http_request *, struct field_errors *);

int	api_open311_key_create(struct http_request *);

/* defect_pages.c: the report form, the status page, staff pages. */
int	page_defects(struct http_request *);
int	page_defect_new(struct http_request *);
int	page_defect_new_post(struct http_request *);
int	page_defect(struct http_request *);
int	page_defect_support_post(struct http_request *);
int	page_defect_status(struct http_request *);
int	page_defect_message_post(struct http_request *);
int	page_defect_feedback_post(struct http_request *);
int	page_defect_email_erase_post(struct http_request *);
int	page_staff_queue(struct http_request *);
int	page_staff_defect(struct http_request *);
int	page_staff_status_post(struct http_request *);
int	page_staff_department_post(struct http_request *);
int	page_staff_reply_post(struct http_request *);
int	page_defect_moderation(struct http_request *);
int	page_defect_photo_post(struct http_request *);

/* open311_key_pages.c: the keys page of the administration. */
int	page_admin_open311(struct http_request *);
int	page_admin_open311_post(struct http_request *);
int	page_admin_open311_revoke_post(struct http_request *);
#endif
