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

#endif
