/*
 * The Smart-City project registry (Projektsteckbriefe): projects, their
 * success criteria and measurements, the planners' status steps, and
 * their pages.  The board's assessments and decision are board_projects.c.
 * For the capability's own files and the route table (src/routes.c).
 */

#ifndef MITWIRKEN_PROJECTS_H
#define MITWIRKEN_PROJECTS_H

#include "mitwirken.h"

/* projects.c: the JSON API. */
extern const char *const	projects_statuses[];
extern const struct db_op	op_projects, op_project;

int	api_projects(struct http_request *);
int	api_project(struct http_request *);
int	api_project_create(struct http_request *);
int	api_project_update(struct http_request *);
int	api_project_status(struct http_request *);
int	api_project_criteria(struct http_request *);
int	api_criterion_create(struct http_request *);
int	api_criterion_update(struct http_request *);
int	api_criterion_delete(struct http_request *);
int	api_measurement_create(struct http_request *);
int	api_measurement_delete(struct http_request *);
void	projects_progress(cJSON *);
cJSON	*projects_json(PGresult *);

/* project_pages.c: public pages and the planners' forms. */
int	page_projects(struct http_request *);
int	page_project(struct http_request *);
int	page_planning_projects(struct http_request *);
int	page_planning_project_new(struct http_request *);
int	page_planning_project_new_post(struct http_request *);
int	page_planning_project(struct http_request *);
int	page_planning_project_post(struct http_request *);
int	page_planning_status_post(struct http_request *);
int	page_planning_criterion_post(struct http_request *);
int	page_planning_measurement_post(struct http_request *);

#endif
