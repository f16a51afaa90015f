/*
 * Surveys: SurveyJS definitions, their lifecycle, responses (signed in,
 * access codes, open, entered by staff), drafts, access codes, results.
 * For the capability's own files and the route table (src/routes.c).
 */

#ifndef MITWIRKEN_SURVEYS_H
#define MITWIRKEN_SURVEYS_H

#include "mitwirken.h"

/*
 * surveys.c: the JSON API.  What pages can reuse:
 *   op_survey        survey_json(id, @lang, planner, true): vars "id",
 *                    "planner" ("t"/"f", surveys_viewer_vars())
 *   op_survey_load   the stored row for checks: definition (text),
 *                    version, access, status, crosstab_a, crosstab_b,
 *                    results_public, has_responses; vars "id", "planner"
 *   surveys_respond  a response from rq->body-like input already checked:
 *                    see api_survey_respond for the vars it binds
 */
extern const char *const	surveys_statuses[];
extern const struct db_op	op_survey, op_survey_load;

void	surveys_viewer_vars(struct http_request *);
int	api_surveys(struct http_request *);
int	api_survey(struct http_request *);
int	api_survey_create(struct http_request *);
int	api_survey_update(struct http_request *);
int	api_survey_copy(struct http_request *);
int	api_survey_open(struct http_request *);
int	api_survey_close(struct http_request *);
int	api_survey_respond(struct http_request *);
int	api_survey_draft(struct http_request *);
int	api_survey_draft_put(struct http_request *);
int	api_survey_draft_delete(struct http_request *);
int	api_survey_codes(struct http_request *);
int	api_survey_results(struct http_request *);

#endif
