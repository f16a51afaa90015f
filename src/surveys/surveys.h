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
 *   op_surveys_list  the list: "planner", "status", "after", "limit"
 *   op_survey_draft, op_survey_draft_put  the caller's draft: "id",
 *                    "respondent" (surveys_account_respondent), and for
 *                    put "answers" (JSON text), "page"
 *   op_survey_code_check  a row if the access code is unused: "id",
 *                    "code_hash" (surveys_code_vars)
 *   surveys_results_step  the results document for "id" and the filters
 *   surveys_codes_step  N new access codes for "id" (form field "count")
 *   api_survey_create, api_survey_update  from a form page: the same
 *                    fields, the definition as JSON text, checkboxes
 *                    for the lists and results_public (see survey_input);
 *                    a definition's problems come back in the var
 *                    "problems" ({code, problems: [{path, reason}]}),
 *                    the field "definition" naming the code; the var
 *                    "created_page" (a path before the id) is where a
 *                    create or copy goes on to
 *   api_survey_respond, api_survey_draft_put  from a page: set rq->body
 *                    to {"answers": {...}} (answers_from_form), empty
 *                    rq->form (after the CSRF check) and run them with
 *                    form_run(); problems then come back through
 *                    form_show() keyed by question ("mode", "grid/r1"),
 *                    everything else as for any form
 */
extern const char *const	surveys_statuses[];
extern const struct db_op	op_survey, op_survey_load, op_surveys_list,
				op_survey_draft, op_survey_draft_put,
				op_survey_code_check;

void		surveys_viewer_vars(struct http_request *);
void		surveys_account_respondent(struct http_request *,
		    const char *);
int		surveys_code_vars(struct http_request *, const char *);
enum db_status	surveys_results_step(struct http_request *, cJSON **);
enum db_status	surveys_codes_step(struct http_request *, const char **);
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

/*
 * export.c: a survey's responses for planners, streamed (CSV, JSON) or as
 * the files describing the CSV (SPSS syntax, R script, codebook).
 */
extern const char *const	export_formats[];
extern const char *const	export_dialects[];

int	api_survey_export(struct http_request *);

/* survey_form.c: a definition as the plain form's template data. */
int	survey_form_shown(const struct survey_def *, int, const cJSON *,
	    int *);
int	survey_form_page(const struct survey_def *, int, int, const cJSON *);
cJSON	*survey_form_data(const struct survey_def *, int, const cJSON *,
	    const struct survey_problems *, enum lang);

/* survey_charts.c: results as SVG bars and numbers in the reader's form. */
void	survey_charts(cJSON *, const char *, enum lang);

/* survey_pages.c: the pages respondents see. */
int	page_surveys(struct http_request *);
int	page_survey(struct http_request *);
int	page_survey_post(struct http_request *);
int	page_survey_done(struct http_request *);
int	page_survey_js(struct http_request *);
int	page_survey_results(struct http_request *);

/* planner_pages.c: the planners' pages (role planner). */
int	page_planning_surveys(struct http_request *);
int	page_planning_create(struct http_request *);
int	page_planning_survey(struct http_request *);
int	page_planning_save(struct http_request *);
int	page_planning_open(struct http_request *);
int	page_planning_close(struct http_request *);
int	page_planning_copy(struct http_request *);
int	page_planning_codes(struct http_request *);
int	page_planning_preview(struct http_request *);

#endif
