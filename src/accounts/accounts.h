/*
 * Accounts: registration, sign-in, sessions, reset, export, erasure,
 * roles for administrators, and the account pages.
 * For the capability's own files and the route table (src/routes.c).
 */

#ifndef MITWIRKEN_ACCOUNTS_H
#define MITWIRKEN_ACCOUNTS_H

#include "mitwirken.h"

/* accounts.c: registration, sign-in, sessions, reset, export, erasure. */
extern const struct db_op	op_sessions, op_session_revoke;

int		api_register(struct http_request *);
int		api_verify(struct http_request *);
int		api_login(struct http_request *);
int		api_logout(struct http_request *);
int		api_logout_all(struct http_request *);
int		api_me(struct http_request *);
int		api_me_update(struct http_request *);
int		api_reset_request(struct http_request *);
int		api_reset_confirm(struct http_request *);
int		api_export(struct http_request *);
int		api_erase(struct http_request *);
int		api_consent_code(struct http_request *);
enum db_status	accounts_respondents(struct http_request *);

/* admin.c: accounts and roles for administrators. */
extern const struct db_op	op_admin_accounts, op_admin_account,
				op_role_grant;
int		role_grant_check(struct http_request *, const char *,
		    const char *, struct field_errors *);
int		api_role_grant(struct http_request *);
int		api_role_revoke(struct http_request *);

/* account_pages.c: the account flows as plain HTML forms. */
int	page_register(struct http_request *);
int	page_register_post(struct http_request *);
int	page_login(struct http_request *);
int	page_login_post(struct http_request *);
int	page_logout_post(struct http_request *);
int	page_verify(struct http_request *);
int	page_verify_post(struct http_request *);
int	page_reset_request(struct http_request *);
int	page_reset_request_post(struct http_request *);
int	page_reset(struct http_request *);
int	page_reset_post(struct http_request *);
int	page_account(struct http_request *);
int	page_pseudonym_post(struct http_request *);
int	page_age_band_post(struct http_request *);
int	page_session_end_post(struct http_request *);
int	page_sessions_end_post(struct http_request *);
int	page_erase_post(struct http_request *);
int	page_export(struct http_request *);

/* contributions.c: "Meine Beiträge", the page and the API. */
int	api_contributions(struct http_request *);
int	page_contributions(struct http_request *);

/* notifications.c: the switches of the notification e-mails. */
extern const struct db_op	op_notifications;

int	api_notifications_update(struct http_request *);

/* notification_pages.c: the switches in the profile; unsubscribing. */
int	page_notifications(struct http_request *);
int	page_notifications_post(struct http_request *);
int	page_unsubscribe(struct http_request *);
int	page_unsubscribe_post(struct http_request *);

/* admin_pages.c: /verwaltung and its accounts and roles. */
int	page_admin(struct http_request *);
int	page_admin_accounts(struct http_request *);
int	page_admin_account(struct http_request *);
int	page_admin_role_grant_post(struct http_request *);
int	page_admin_role_revoke_post(struct http_request *);
#endif
