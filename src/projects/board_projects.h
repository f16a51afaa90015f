/*
 * The board's side of the project registry: assessments, the ranking of
 * proposed projects and the selection decision (board_projects.c), and
 * their pages.  For the capability's own files and the route table.
 */

#ifndef MITWIRKEN_BOARD_PROJECTS_H
#define MITWIRKEN_BOARD_PROJECTS_H

#include "mitwirken.h"

extern const struct db_op	op_project_assessments, op_board_projects;

int	api_project_assess(struct http_request *);
int	api_project_decide(struct http_request *);
int	page_board_projects(struct http_request *);
int	page_board_project(struct http_request *);
int	page_project_assess_post(struct http_request *);
int	page_project_decide_post(struct http_request *);

#endif
