/*
 * The Smart-City-Board's selection of projects (strategy section 4.4):
 * each member scores a proposed project 0–3 per active criterion, with a
 * comment, as for ideas (src/ideas/board.c); the proposed projects are
 * ranked by weighted mean; the board records its decision (selected or
 * rejected, with the reason the public reads).  A member sees the others'
 * scores only after submitting their own, so the ranking shows means only
 * for projects the member has assessed.
 *
 * The pages /gremium/projekte… render the same JSON and run the same
 * handlers as the API (rq->form_page set), so every check is the API's.
 */

#include <stdio.h>
#include <string.h>

#include "board_projects.h"

static const char SQL_ASSESSMENTS[] =
    "SELECT project_assessments_json($1::bigint, $2::bigint, $3)";

static const char SQL_ASSESS[] =
    "SELECT project_assess($2::bigint, $1::bigint, $3::jsonb,"
    " coalesce($4, ''))";

static const char SQL_DECIDE[] =
    "SELECT project_decide($2::bigint, $1::bigint, $3, $4)";

/* Proposed projects; the own means first, the others' after one's own. */
static const char SQL_RANKING[] =
    "SELECT json_build_object('projects', coalesce(json_agg("
    " json_build_object('id', r.id, 'title', r.title, 'status', r.status,"
    " 'fields', r.fields, 'budget_eur', r.budget_eur,"
    " 'assessments', r.n, 'assessed_by_me', r.mine,"
    " 'weighted_mean', CASE WHEN r.mine THEN r.mean END)"
    " ORDER BY r.mine DESC, CASE WHEN r.mine THEN r.mean END DESC NULLS LAST,"
    " r.id), '[]'::json)) FROM ("
    " SELECT p.id, p.status, p.budget_eur,"
    "  CASE WHEN $3 = 'en' THEN coalesce(p.title_en, p.title_de)"
    "  ELSE p.title_de END AS title,"
    "  coalesce((SELECT json_agg(f.slug ORDER BY f.position)"
    "   FROM project_fields pf JOIN fields f ON f.id = pf.field_id"
    "   WHERE pf.project_id = p.id), '[]'::json) AS fields,"
    "  (SELECT count(*) FROM project_assessments a"
    "   WHERE a.project_id = p.id) AS n,"
    "  EXISTS (SELECT 1 FROM project_assessments a WHERE"
    "   a.project_id = p.id AND a.member_id = $1::bigint) AS mine,"
    "  (SELECT round(avg(project_assessment_mean(p.id, a.member_id)), 3)"
    "   FROM project_assessments a WHERE a.project_id = p.id) AS mean"
    " FROM projects p WHERE p.status = 'proposed'"
    "  AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM project_fields pf"
    "   JOIN fields f ON f.id = pf.field_id"
    "   WHERE pf.project_id = p.id AND f.slug = $2))) r";

/* A member's page for one project: what it is, the sheet, the decision. */
static const char SQL_PAGE[] =
    "SELECT json_build_object('project', json_build_object('id', p.id,"
    " 'title', CASE WHEN $3 = 'en' THEN coalesce(p.title_en, p.title_de)"
    "  ELSE p.title_de END,"
    " 'summary', CASE WHEN $3 = 'en' THEN coalesce(p.summary_en,"
    "  p.summary_de) ELSE p.summary_de END,"
    " 'status', p.status, 'partners', p.partners,"
    " 'budget_eur', p.budget_eur, 'starts_on', p.starts_on,"
    " 'ends_on', p.ends_on, 'proposed', p.status = 'proposed',"
    " 'decision_reason', p.decision_reason, 'decided_at', p.decided_at,"
    " 'decided_by', (SELECT pseudonym FROM accounts"
    "  WHERE id = p.decided_by),"
    " 'fields', (SELECT json_agg(CASE WHEN $3 = 'en' THEN f.name_en"
    "  ELSE f.name_de END ORDER BY f.position) FROM project_fields pf"
    "  JOIN fields f ON f.id = pf.field_id WHERE pf.project_id = p.id)),"
    " 'sheet', project_assessments_json(p.id, $2::bigint, $3))"
    " FROM projects p WHERE p.id = $1::bigint";

static const char *const sheet_args[] = { "id", "me", "@lang", NULL };
static const char *const assess_args[] = { "id", "me", "scores", "comment",
    NULL };
static const char *const decide_args[] = { "id", "me", "decision", "reason",
    NULL };
static const char *const ranking_args[] = { "me", "field", "@lang", NULL };

static const char *const decisions[] = { "selected", "rejected", NULL };

static const struct db_constraint assess_constraints[] = {
	{ "project_assessment_project", 404, "id", "no project with this id",
	    NULL },
	{ "project_assessment_decided", 409, "id", "the board has decided on "
	    "this project: its assessments are closed", NULL },
	{ "project_assessment_criteria", 422, "scores", "needs one score from "
	    "0 to 3 for each criterion", NULL },
	{ "project_assessment_scores_score_check", 422, "scores", "needs one "
	    "score from 0 to 3 for each criterion", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint decide_constraints[] = {
	{ "project_decision_project", 404, "id", "no project with this id",
	    NULL },
	{ "project_decision_status", 409, "decision", "only a proposed "
	    "project can be decided", NULL },
	{ "projects_decision_reason_check", 422, "reason", "must be 1 to 2000 "
	    "characters long", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

const struct db_op op_project_assessments = {
	.name = "project_assessments", .sql = SQL_ASSESSMENTS,
	.kind = DB_READ, .args = sheet_args, .done = db_send_json,
};
static const struct db_op op_project_assess = {
	.name = "project_assess", .sql = SQL_ASSESS, .kind = DB_WRITE,
	.args = assess_args, .constraints = assess_constraints,
};
static const struct db_op op_project_decide = {
	.name = "project_decide", .sql = SQL_DECIDE, .kind = DB_WRITE,
	.args = decide_args, .constraints = decide_constraints,
	.done = db_send_json,
};
const struct db_op op_board_projects = {
	.name = "board_projects", .sql = SQL_RANKING, .kind = DB_READ,
	.args = ranking_args, .done = db_send_json,
};
static const struct db_op op_board_project_page = {
	.name = "page_board_project", .sql = SQL_PAGE, .kind = DB_READ,
	.args = sheet_args,
};

static const struct input_field assess_input[] = {
	{ "scores", IN_MAP, "score-" },
	{ "comment", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

static const struct input_field decide_input[] = {
	{ "decision", IN_TEXT, NULL },
	{ "reason", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/* PUT /api/v1/projects/{id}/assessment: then what the member may see. */
int
api_project_assess(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (input_fields(req, assess_input, &fe)) {
			(void)input_scores_var(req, &fe);
			(void)input_text_var(req, "comment", 1, 2000,
			    TEXT_MULTILINE, &fe);
		}
		if (fe.count > 0)
			return (respond_fields(req, 422, &fe));
	}
	if ((s = db_step(req, &op_project_assess, &res)) != DB_DONE)
		return (db_yield(s));
	return (db_request(req, &op_project_assessments));
}

/* POST /api/v1/projects/{id}/decision: selected or rejected, and why. */
int
api_project_decide(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*decision;

	if (rq->prepared)
		return (db_request(req, &op_project_decide));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, decide_input, &fe))
		return (respond_fields(req, 422, &fe));
	if ((decision = input_text(req, "decision")) == NULL)
		error_field_add(&fe, "decision", "required");
	else if (!input_one_of(decision, decisions))
		error_field_add(&fe, "decision", "must be selected or "
		    "rejected");
	else
		rq_var_set(req, "decision", decision);
	(void)input_text_var(req, "reason", 1, 2000,
	    TEXT_REQUIRED | TEXT_MULTILINE, &fe);
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	return (db_request(req, &op_project_decide));
}

/* ---- pages ---- */

static int	board_project_show(struct http_request *);

static const struct form_page assess_form = {
	"board_project.html", "assess", NULL, NULL, board_project_show
};
static const struct form_page decide_form = {
	"board_project.html", "decide", NULL, NULL, board_project_show
};

/* GET /gremium/projekte: the ranking of proposed projects. */
int
page_board_projects(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *ranking, *e;

	if ((s = db_step(req, &op_board_projects, &res)) != DB_DONE)
		return (db_yield(s));
	data = page_new(req, "board_projects");
	ranking = db_json(res);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(ranking,
	    "projects")) {
		page_label(req, e, "status", "project_statuses");
		page_amount(req, e, "budget_eur");
		page_number(req, e, "weighted_mean", 2);
	}
	cJSON_AddItemToObject(data, "ranking", ranking);
	return (page_with(req, 200, data, "board_projects.html"));
}

/* The decision's choices, the kept one (after a failed form) checked. */
static cJSON *
decision_choices(struct http_request *req)
{
	return (page_choices(req, decisions, "project_statuses",
	    params_get(&rq_get(req)->form, "decision")));
}

static int
board_project_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *result, *project;
	const char	*form;
	char		key[16], prefix[16];

	if ((s = db_step(req, &op_board_project_page, &res)) != DB_DONE)
		return (db_yield(s));
	if ((result = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	data = form_data(req, "board_project");
	project = cJSON_GetObjectItemCaseSensitive(result, "project");
	cJSON_ReplaceItemInObject(data, "title",
	    cJSON_CreateString(json_str(project, "title")));
	page_label(req, project, "status", "project_statuses");
	page_date(req, project, "decided_at");
	page_amount(req, project, "budget_eur");
	page_date(req, project, "starts_on");
	page_date(req, project, "ends_on");
	page_score_sheet(req, cJSON_GetObjectItemCaseSensitive(result,
	    "sheet"));
	cJSON_AddItemToObject(data, "decisions", decision_choices(req));
	if (rq->resume != NULL && rq->form_page != NULL) {
		form = rq->form_page->title_key;
		(void)snprintf(key, sizeof(key), "f_%s", form);
		(void)snprintf(prefix, sizeof(prefix), "%s-", form);
		cJSON_AddItemToObject(data, key, form_state(req, data,
		    prefix));
	}
	cJSON_AddItemToObject(data, "b", result);
	return (form_render(req, data, "board_project.html"));
}

/* GET /gremium/projekte/{id} */
int
page_board_project(struct http_request *req)
{
	return (board_project_show(req));
}

/* After a form: back to the project's page (its sheet, its decision). */
static void
back_to_project(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	char		to[96];

	(void)snprintf(to, sizeof(to), "/gremium/projekte/%s?lang=%s",
	    params_get(&rq->params, "id"), lang_code(rq->lang));
	rq_var_set(req, "redirect", to);
}

/* POST /gremium/projekte/{id}: the assessment, then the sheet again. */
int
page_project_assess_post(struct http_request *req)
{
	if (params_get(&rq_get(req)->vars, "redirect") == NULL)
		back_to_project(req);
	return (form_run(req, &assess_form, api_project_assess));
}

/* POST /gremium/projekte/{id}/entscheidung */
int
page_project_decide_post(struct http_request *req)
{
	if (params_get(&rq_get(req)->vars, "redirect") == NULL)
		back_to_project(req);
	return (form_run(req, &decide_form, api_project_decide));
}
