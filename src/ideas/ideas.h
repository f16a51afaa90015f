/*
 * Ideas: submission, supports, comments, flags, public status,
 * moderation, the board, and their pages.
 * For the capability's own files and the route table (src/routes.c).
 */

#ifndef MITWIRKEN_IDEAS_H
#define MITWIRKEN_IDEAS_H

#include "mitwirken.h"

/* ideas.c: ideas, supports, comments, flags, public status. */
extern const char *const	ideas_statuses[];

extern const struct db_op	op_idea, op_ideas_geojson, op_ideas_similar,
				op_idea_submit;

int	ideas_list_prepare(struct http_request *, const struct db_op **);
int	ideas_prepare(struct http_request *);
int	api_ideas(struct http_request *);
int	api_idea(struct http_request *);
int	api_idea_create(struct http_request *);
int	api_comment(struct http_request *);
int	api_idea_comments(struct http_request *);
int	api_comment_create(struct http_request *);
int	api_support_add(struct http_request *);
int	api_support_remove(struct http_request *);
int	api_idea_flag(struct http_request *);
int	api_comment_flag(struct http_request *);
int	api_idea_status(struct http_request *);
void	ideas_viewer_vars(struct http_request *);

/* moderation.c: the queue, decisions, edits, the audit log. */
extern const struct db_op	op_moderation_queue, op_moderation_log,
				op_moderation_reasons;

int	api_moderation_decide(struct http_request *);
int	api_moderation_undo(struct http_request *);
int	api_moderation_edit_idea(struct http_request *);
int	api_moderation_edit_comment(struct http_request *);

/* board.c: assessments by the board; criteria and settings for admins. */
extern const struct db_op	op_assessments, op_board_ranking, op_criteria,
				op_settings;

int	api_assess(struct http_request *);
int	api_criterion_put(struct http_request *);
int	api_settings_put(struct http_request *);
int	settings_check(struct http_request *, struct field_errors *);

/* idea_pages.c: ideas, moderation and the board as HTML pages. */
int	page_ideas(struct http_request *);
int	page_idea(struct http_request *);
int	page_idea_new(struct http_request *);
int	page_idea_new_post(struct http_request *);
int	page_support_post(struct http_request *);
int	page_support_remove_post(struct http_request *);
int	page_comment_post(struct http_request *);
int	page_idea_flag_post(struct http_request *);
int	page_comment_flag_post(struct http_request *);
int	page_status_post(struct http_request *);
int	page_board(struct http_request *);
int	page_board_idea(struct http_request *);
int	page_assess_post(struct http_request *);
void	ideas_author_label(struct http_request *, cJSON *);

/* moderation_pages.c: the moderation desk and its edit forms. */
int	page_moderation(struct http_request *);
int	page_decision_post(struct http_request *);
int	page_undo_post(struct http_request *);
int	page_edit_idea(struct http_request *);
int	page_edit_idea_post(struct http_request *);
int	page_edit_comment(struct http_request *);
int	page_edit_comment_post(struct http_request *);

/* settings_pages.c: the administrators' settings and criteria pages. */
int	page_admin_settings(struct http_request *);
int	page_admin_settings_post(struct http_request *);
int	page_admin_criteria(struct http_request *);
int	page_admin_criterion_post(struct http_request *);
int	page_admin_criterion_new_post(struct http_request *);
#endif
