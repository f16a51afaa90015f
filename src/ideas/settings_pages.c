/*
 * The administration in the browser, its board part: the run-time
 * settings and the board's selection criteria.  The forms run the API's
 * own handlers (board.c), so a value the API refuses is refused here with
 * the same reason, shown next to its field; every change is in the audit
 * log the same way.
 */

#include <stdio.h>
#include <string.h>

#include "ideas.h"

static int	settings_show(struct http_request *);
static int	criteria_show(struct http_request *);

static const struct form_page settings_form = {
	"admin_settings.html", "admin_settings", NULL, NULL, settings_show
};
static const struct form_page criteria_form = {
	"admin_criteria.html", "admin_criteria", NULL, NULL, criteria_show
};
static const struct form_page criterion_new_form = {
	"admin_criteria.html", "admin_criteria", NULL, NULL, criteria_show
};

/* Whether a slug is taken: a new criterion must not overwrite one. */
static const char SQL_CRITERION_TAKEN[] =
    "SELECT 1 FROM criteria WHERE slug = $1";
static const char *const criterion_taken_args[] = { "slug", NULL };
static const struct db_op op_criterion_taken = {
	.name = "admin_criterion_taken", .sql = SQL_CRITERION_TAKEN,
	.kind = DB_READ, .args = criterion_taken_args,
};

/* The settings in the order the page explains them. */
static const char *const setting_keys[] = { "moderation_mode",
    "flag_threshold", "stats_k", "stats_k_internal", "strategy_adopted_on",
    "evaluation_first_months", "evaluation_every_months",
    "opendata_license", "population_age", NULL };

/*
 * One entry per setting: its label and help, the stored value, or what
 * was typed after an error, and the error itself.
 */
static void
settings_entries(struct http_request *req, cJSON *data, const cJSON *stored,
    const cJSON *f)
{
	const cJSON	*v, *errors;
	cJSON		*list, *e;
	char		num[32];
	int		i;

	errors = cJSON_GetObjectItemCaseSensitive(f, "errors");
	list = cJSON_AddArrayToObject(data, "settings");
	for (i = 0; setting_keys[i] != NULL; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "key", setting_keys[i]);
		cJSON_AddStringToObject(e, "label", page_text(req, "labels",
		    setting_keys[i]));
		cJSON_AddStringToObject(e, "help", page_text(req,
		    "settings_help", setting_keys[i]));
		if ((v = cJSON_GetObjectItemCaseSensitive(f,
		    setting_keys[i])) == NULL)
			v = cJSON_GetObjectItemCaseSensitive(stored,
			    setting_keys[i]);
		if (cJSON_IsNumber(v)) {
			(void)snprintf(num, sizeof(num), "%d",
			    (int)v->valuedouble);
			cJSON_AddStringToObject(e, "value", num);
		} else if (cJSON_IsString(v)) {
			cJSON_AddStringToObject(e, "value", v->valuestring);
		}
		if ((v = cJSON_GetObjectItemCaseSensitive(errors,
		    setting_keys[i])) != NULL)
			cJSON_AddStringToObject(e, "error", v->valuestring);
		if (strcmp(setting_keys[i], "moderation_mode") == 0)
			cJSON_AddBoolToObject(e, "is_mode", 1);
		cJSON_AddItemToArray(list, e);
	}
}

/* GET /verwaltung/einstellungen, and the form again after errors. */
static int
settings_show(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;
	const char	*mode;
	cJSON		*data, *stored, *f;

	if ((s = db_step(req, &op_settings, &res)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "admin_settings");
	page_notice(req, data);
	stored = db_json(res);
	f = form_state(req, data, "");
	settings_entries(req, data, stored, f);
	mode = json_str(f, "moderation_mode");
	if (mode == NULL)
		mode = json_str(stored, "moderation_mode");
	cJSON_AddBoolToObject(data, "mode_pre", mode != NULL &&
	    strcmp(mode, "pre") == 0);
	cJSON_AddBoolToObject(data, "mode_post", mode != NULL &&
	    strcmp(mode, "post") == 0);
	cJSON_Delete(stored);
	cJSON_AddItemToObject(data, "f", f);
	return (form_render(req, data, "admin_settings.html"));
}

int
page_admin_settings(struct http_request *req)
{
	return (form_blank(req, &settings_form));
}

/* POST /verwaltung/einstellungen: the API's check and statement. */
static int
settings_form_put(struct http_request *req)
{
	if (!rq_get(req)->prepared)
		form_redirect_done(req, "/verwaltung/einstellungen",
		    "settings-saved");
	return (api_settings_put(req));
}

int
page_admin_settings_post(struct http_request *req)
{
	return (form_run(req, &settings_form, settings_form_put));
}

/* A criterion's form as it was sent: the values typed, the errors. */
static void
criterion_typed(cJSON *c, const cJSON *f)
{
	static const char *const keys[] = { "name_de", "name_en", "weight",
	    "position", NULL };
	const char	*v;
	int		i;

	for (i = 0; keys[i] != NULL; i++) {
		v = json_str(f, keys[i]);
		cJSON_ReplaceItemInObjectCaseSensitive(c, keys[i],
		    cJSON_CreateString(v != NULL ? v : ""));
	}
	cJSON_ReplaceItemInObjectCaseSensitive(c, "active",
	    cJSON_CreateBool(json_str(f, "active") != NULL));
	cJSON_AddItemToObject(c, "errors", cJSON_Duplicate(
	    cJSON_GetObjectItemCaseSensitive(f, "errors"), 1));
}

/* GET /verwaltung/kriterien: each criterion its own small form. */
static int
criteria_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	const char	*failed;
	char		prefix[80];
	cJSON		*data, *doc, *c, *f;

	if ((s = db_step(req, &op_criteria, &res)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "admin_criteria");
	page_notice(req, data);
	doc = db_json(res);
	failed = rq->form_again && rq->form_page == &criteria_form ?
	    params_get(&rq->params, "slug") : NULL;
	/* Field ids are <slug>-<field>: the summary links to the right one. */
	(void)snprintf(prefix, sizeof(prefix), "%s-", failed != NULL ?
	    failed : "c-new");
	f = form_state(req, data, prefix);
	/* The new-criterion form keeps what was typed under "f". */
	if (rq->form_page == &criterion_new_form) {
		cJSON_AddItemToObject(data, "f", f);
		f = NULL;
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc,
	    "criteria")) {
		/* The failed form shows what was typed, and why not. */
		if (failed != NULL && strcmp(failed, json_str(c, "slug")) == 0)
			criterion_typed(c, f);
	}
	cJSON_Delete(f);
	if (doc != NULL)
		cJSON_AddItemToObject(data, "c", doc);
	return (form_render(req, data, "admin_criteria.html"));
}

int
page_admin_criteria(struct http_request *req)
{
	return (form_blank(req, &criteria_form));
}

static int
criterion_form_put(struct http_request *req)
{
	if (!rq_get(req)->prepared)
		form_redirect_done(req, "/verwaltung/kriterien",
		    "criterion-saved");
	return (api_criterion_put(req));
}

/*
 * A new criterion goes through the API's create-by-slug PUT, so its
 * checks and the rule of one audit entry are the same; a slug already
 * taken is refused here, since that PUT would overwrite the criterion.
 */
static int
criterion_form_new(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*slug;
	PGresult		*res;
	enum db_status		s;

	if (rq->prepared)
		return (api_criterion_put(req));
	memset(&fe, 0, sizeof(fe));
	if ((slug = params_get(&rq->form, "slug")) == NULL || *slug == '\0') {
		error_field_add(&fe, "slug", "required");
		return (respond_fields(req, 422, &fe));
	}
	/* Kore calls again while the query runs: set once. */
	rq_var_put(req, "slug", slug);
	if ((s = db_step(req, &op_criterion_taken, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) > 0) {
		error_field_add(&fe, "slug", "is taken by another criterion");
		return (respond_fields(req, 409, &fe));
	}
	form_redirect_done(req, "/verwaltung/kriterien", "criterion-added");
	return (api_criterion_put(req));
}

/* POST /verwaltung/kriterien: slug, names, weight, position. */
int
page_admin_criterion_new_post(struct http_request *req)
{
	return (form_run(req, &criterion_new_form, criterion_form_new));
}

/* POST /verwaltung/kriterien/{slug} */
int
page_admin_criterion_post(struct http_request *req)
{
	return (form_run(req, &criteria_form, criterion_form_put));
}
