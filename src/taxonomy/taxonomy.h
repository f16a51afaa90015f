/*
 * The taxonomy: fields of action, goals, districts, defect categories,
 * and the front page that lists the fields of action.
 * For the capability's own files and the route table (src/routes.c).
 */

#ifndef MITWIRKEN_TAXONOMY_H
#define MITWIRKEN_TAXONOMY_H

#include "mitwirken.h"

/* taxonomy.c: fields of action, goals, districts, defect categories. */
extern const struct db_op	op_index, op_fields, op_field, op_goals,
				op_districts, op_categories;

/* Admins route a defect category and set when it counts as overdue. */
int	api_category_put(struct http_request *);

/* Admins keep the names of fields and goals, and the districts. */
extern const struct db_op	op_field_put, op_goal_put;
int	api_field_put(struct http_request *);
int	api_goal_put(struct http_request *);
int	api_district_create(struct http_request *);
int	api_district_put(struct http_request *);
int	district_active_put(struct http_request *);

/* taxonomy_pages.c: the taxonomy and categories pages of /verwaltung. */
int	page_admin_taxonomy(struct http_request *);
int	page_admin_field(struct http_request *);
int	page_admin_field_post(struct http_request *);
int	page_admin_goal(struct http_request *);
int	page_admin_goal_post(struct http_request *);
int	page_admin_district(struct http_request *);
int	page_admin_district_add_post(struct http_request *);
int	page_admin_district_post(struct http_request *);
int	page_admin_district_active_post(struct http_request *);
int	page_admin_categories(struct http_request *);
int	page_admin_category(struct http_request *);
int	page_admin_category_post(struct http_request *);
#endif
