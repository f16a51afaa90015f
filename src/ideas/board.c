/*
 * The Smart-City-Board's assessment of ideas: each member scores an idea
 * 0–3 per weighted criterion, with a comment; ideas are ranked by the
 * weighted mean.  A member sees the others' scores of an idea only after
 * submitting their own, so every first judgement is independent; the
 * ranking therefore shows means only for ideas the member has assessed.
 *
 * Also here: the settings and criteria administrators change at run time.
 */

#include <stdio.h>
#include <string.h>

#include "ideas.h"

static const char SQL_ASSESSMENTS[] =
    "SELECT assessments_json($1::bigint, $2::bigint, $3)";

static const char SQL_ASSESS[] =
    "SELECT assess($2::bigint, $1::bigint, $3::jsonb, coalesce($4, ''))";

static const char SQL_RANKING[] =
    "SELECT json_build_object('ideas', coalesce(json_agg(json_build_object("
    " 'id', r.id, 'title', r.title, 'field', r.field,"
    " 'status', r.status, 'supports', r.support_count,"
    " 'assessments', r.n, 'assessed_by_me', r.mine,"
    " 'weighted_mean', CASE WHEN r.mine THEN r.mean END)"
    " ORDER BY r.mine DESC, CASE WHEN r.mine THEN r.mean END DESC NULLS LAST,"
    " r.id), '[]'::json)) FROM ("
    " SELECT i.id, i.title, f.slug AS field, i.status, i.support_count,"
    "  (SELECT count(*) FROM assessments a WHERE a.idea_id = i.id) AS n,"
    "  EXISTS (SELECT 1 FROM assessments a WHERE a.idea_id = i.id"
    "   AND a.member_id = $1::bigint) AS mine,"
    "  (SELECT round(avg(assessment_mean(i.id, a.member_id)), 3)"
    "   FROM assessments a WHERE a.idea_id = i.id) AS mean"
    " FROM ideas i JOIN fields f ON f.id = i.field_id"
    " WHERE i.state = 'published'"
    "  AND i.status NOT IN ('implemented', 'not_feasible', 'duplicate')"
    "  AND ($2::text IS NULL OR f.slug = $2)) r";

static const char SQL_CRITERIA[] =
    "SELECT json_build_object('criteria', coalesce(json_agg(json_build_object("
    " 'slug', slug, 'name_de', name_de, 'name_en', name_en,"
    " 'weight', weight, 'position', position, 'active', active,"
    " 'is_demo', is_demo) ORDER BY position, slug), '[]'::json))"
    " FROM criteria";

/* criterion_put.sql keeps a criterion's state when "active" is left out. */
static const char SQL_CRITERION_PUT[] =
    "SELECT criterion_put($1::bigint, $2, $3, $4, $5::numeric,"
    " $6::smallint, $7::boolean)";

static const char SQL_SETTINGS[] =
    "SELECT json_object_agg(key, CASE WHEN key IN ('flag_threshold',"
    " 'stats_k', 'stats_k_internal', 'evaluation_first_months',"
    " 'evaluation_every_months') THEN to_json(value::int)"
    " ELSE to_json(value) END) FROM settings";

static const char SQL_SETTINGS_PUT[] =
    "WITH u AS (UPDATE settings s SET value = v.value, updated_at = now(),"
    "  updated_by = $1::bigint"
    " FROM (VALUES ('moderation_mode', $2), ('flag_threshold', $3),"
    "  ('stats_k', $4), ('stats_k_internal', $5),"
    "  ('strategy_adopted_on', $6), ('evaluation_first_months', $7),"
    "  ('evaluation_every_months', $8), ('opendata_license', $9),"
    "  ('population_age', $10)) v"
    "  (key, value) WHERE s.key = v.key AND v.value IS NOT NULL"
    " RETURNING s.key, s.value),"
    " audit AS (INSERT INTO audit_log (actor_id, action, target_kind, detail)"
    "  SELECT $1::bigint, 'admin.settings', 'settings',"
    "  jsonb_object_agg(key, value) FROM u HAVING count(*) > 0)"
    " SELECT count(*) FROM u";

static const char *const assessments_args[] = { "id", "me", "@lang", NULL };
static const char *const assess_args[] = { "id", "me", "scores", "comment",
    NULL };
static const char *const ranking_args[] = { "me", "field", NULL };
static const char *const criterion_args[] = { "me", "slug", "name_de",
    "name_en", "weight", "position", "active", NULL };
static const char *const settings_put_args[] = { "me", "moderation_mode",
    "flag_threshold", "stats_k", "stats_k_internal", "strategy_adopted_on",
    "evaluation_first_months", "evaluation_every_months", "opendata_license",
    "population_age", NULL };

static const struct db_constraint assess_constraints[] = {
	{ "assessment_idea", 404, "id", "no published idea with this id",
	    NULL },
	{ "assessment_criteria", 422, "scores", "needs one score from 0 to 3 "
	    "for each criterion", NULL },
	{ "assessment_scores_score_check", 422, "scores", "needs one score "
	    "from 0 to 3 for each criterion", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint criterion_constraints[] = {
	{ "criteria_weight_check", 422, "weight", "must be above 0 and at "
	    "most 100", NULL },
	{ "criteria_name_de_check", 422, "name_de", "must be 1 to 200 "
	    "characters long", NULL },
	{ "criteria_name_en_check", 422, "name_en", "must be 1 to 200 "
	    "characters long", NULL },
	{ "criteria_one_active", 409, "active", "at least one criterion "
	    "must stay active", NULL },
	{ "criteria_slug_check", 422, "slug", "must be 1 to 64 of a-z, 0-9 "
	    "and -", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint settings_constraints[] = {
	{ "settings_value", 422, "settings", "a value is out of its range "
	    "(see the settings' documentation)", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

const struct db_op op_assessments = {
	.name = "assessments", .sql = SQL_ASSESSMENTS, .kind = DB_READ,
	.args = assessments_args, .done = db_send_json,
};
static const struct db_op op_assess = {
	.name = "assess", .sql = SQL_ASSESS, .kind = DB_WRITE,
	.args = assess_args, .constraints = assess_constraints,
};
const struct db_op op_board_ranking = {
	.name = "board_ranking", .sql = SQL_RANKING, .kind = DB_READ,
	.args = ranking_args, .done = db_send_json,
};
const struct db_op op_criteria = {
	.name = "criteria", .sql = SQL_CRITERIA, .kind = DB_READ,
	.done = db_send_json,
};
static const struct db_op op_criterion_put = {
	.name = "criterion_put", .sql = SQL_CRITERION_PUT, .kind = DB_WRITE,
	.args = criterion_args, .constraints = criterion_constraints,
	.done = db_send_json,
};
const struct db_op op_settings = {
	.name = "settings", .sql = SQL_SETTINGS, .kind = DB_READ,
	.done = db_send_json,
};
static const struct db_op op_settings_put = {
	.name = "settings_put", .sql = SQL_SETTINGS_PUT, .kind = DB_WRITE,
	.args = settings_put_args, .constraints = settings_constraints,
};

static const struct input_field assess_input[] = {
	{ "scores", IN_MAP, "score-" },
	{ "comment", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/* Checks an assessment; MW_ERROR with the reasons in fe. */
static int
board_prepare(struct http_request *req, struct field_errors *fe)
{
	if (!input_fields(req, assess_input, fe))
		return (MW_ERROR);
	(void)input_scores_var(req, fe);
	(void)input_text_var(req, "comment", 1, 2000, TEXT_MULTILINE, fe);
	return (fe->count == 0 ? MW_OK : MW_ERROR);
}

/* PUT /api/v1/ideas/{id}/assessment: then what the member may now see. */
int
api_assess(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!board_prepare(req, &fe))
			return (respond_fields(req, 422, &fe));
	}
	if ((s = db_step(req, &op_assess, &res)) != DB_DONE)
		return (db_yield(s));
	return (db_request(req, &op_assessments));
}

static const struct input_field criterion_input[] = {
	/* Only the new-criterion form sends it; the API has it in the path. */
	{ "slug", IN_TEXT, NULL },
	{ "name_de", IN_TEXT, NULL },
	{ "name_en", IN_TEXT, NULL },
	{ "weight", IN_NUMBER, NULL },
	{ "position", IN_INT, NULL },
	{ "active", IN_BOOL, NULL },
	{ NULL, 0, NULL }
};

/* What the table's check allows: 1 to 64 of a-z, 0-9 and -. */
static int
criterion_slug_ok(const char *v)
{
	size_t	i, n = strlen(v);

	if (n < 1 || n > 64)
		return (0);
	for (i = 0; i < n; i++) {
		if (!((v[i] >= 'a' && v[i] <= 'z') ||
		    (v[i] >= '0' && v[i] <= '9') || v[i] == '-'))
			return (0);
	}
	return (1);
}

/* PUT /api/v1/admin/criteria/{slug} */
int
api_criterion_put(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const cJSON		*active;
	double			w, pos;

	if (rq->prepared)
		return (db_request(req, &op_criterion_put));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	/* The API takes JSON only; the criteria page sends its form. */
	if (rq->body == NULL && rq->form_page == NULL) {
		error_field_add(&fe, "body", "must be a JSON object");
		return (respond_fields(req, 422, &fe));
	}
	if (!input_fields(req, criterion_input, &fe))
		return (respond_fields(req, 422, &fe));
	if (rq->body != NULL && input_present(req, "slug"))
		error_field_add(&fe, "slug", "cannot be changed");
	/* The new-criterion form: its slug's reason beside the others. */
	else if (input_present(req, "slug") &&
	    !criterion_slug_ok(params_get(&rq->form, "slug")))
		error_field_add(&fe, "slug", "must be 1 to 64 of a-z, 0-9 "
		    "and -");
	(void)input_text_var(req, "name_de", 1, 200, TEXT_REQUIRED, &fe);
	(void)input_text_var(req, "name_en", 1, 200, TEXT_REQUIRED, &fe);
	if (input_number(req, "weight", &w, &fe) != 1 || !(w > 0 && w <= 100))
		error_field_add(&fe, "weight", "must be above 0 and at most "
		    "100");
	if (input_number(req, "position", &pos, &fe) != 1 || pos < 0 ||
	    pos > 1000)
		error_field_add(&fe, "position", "must be 0 to 1000");
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	rq_var_setf(req, "weight", "%.2f", w);
	rq_var_setf(req, "position", "%d", (int)pos);
	active = cJSON_GetObjectItemCaseSensitive(rq->body, "active");
	if (active != NULL)
		rq_var_set(req, "active", cJSON_IsTrue(active) ? "t" : "f");
	/* A checkbox: not ticked is not sent, and means retired. */
	else if (rq->body == NULL)
		rq_var_set(req, "active", input_text(req, "active") != NULL ?
		    "t" : "f");
	return (db_request(req, &op_criterion_put));
}

static const struct input_field settings_input[] = {
	{ "moderation_mode", IN_TEXT, NULL },
	{ "flag_threshold", IN_INT, NULL },
	{ "stats_k", IN_INT, NULL },
	{ "stats_k_internal", IN_INT, NULL },
	{ "strategy_adopted_on", IN_TEXT, NULL },
	{ "evaluation_first_months", IN_INT, NULL },
	{ "evaluation_every_months", IN_INT, NULL },
	{ "opendata_license", IN_TEXT, NULL },
	{ "population_age", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/* The whole-number settings and their ranges (sql/016_projects.sql). */
static const struct {
	const char	*key;
	int		min, max;
} int_settings[] = {
	{ "flag_threshold", 1, 100 },
	/* Published statistics never show a count below 3. */
	{ "stats_k", 3, 1000 },
	{ "stats_k_internal", 1, 1000 },
	{ "evaluation_first_months", 1, 120 },
	{ "evaluation_every_months", 1, 120 },
};

static const char *const age_bands[] = { "under-18", "18-29", "30-44",
	"45-64", "65-79", "80-plus", NULL };

static void
settings_ints(struct http_request *req, struct field_errors *fe)
{
	char	why[64];
	double	n;
	size_t	i;

	for (i = 0; i < sizeof(int_settings) / sizeof(int_settings[0]); i++) {
		if (input_number(req, int_settings[i].key, &n, fe) != 1)
			continue;
		if (n < int_settings[i].min || n > int_settings[i].max ||
		    n != (double)(int)n) {
			(void)snprintf(why, sizeof(why), "must be a whole "
			    "number from %d to %d", int_settings[i].min,
			    int_settings[i].max);
			error_field_add(fe, int_settings[i].key, why);
		} else {
			rq_var_setf(req, int_settings[i].key, "%d", (int)n);
		}
	}
}

/* A percentage as the table keeps it: 0 to 100, at most two decimals. */
static const char *
percent_end(const char *v)
{
	const char	*p = v;
	double		x = 0;

	while (*p >= '0' && *p <= '9' && p - v < 3)
		x = x * 10 + (*p++ - '0');
	if (p == v)
		return (NULL);
	if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
		x += p[1] != '0' ? 0.1 : 0;
		p += 2;
		if (*p >= '0' && *p <= '9')
			x += *p++ != '0' ? 0.01 : 0;
	}
	return (x <= 100 ? p : NULL);
}

/* "under-18=16.2;18-29=17" (percent per age band), or "" to unset. */
static int
population_age_ok(const char *v)
{
	char		band[16];
	size_t		n;

	while (*v != '\0') {
		n = strcspn(v, "=");
		if (n == 0 || n >= sizeof(band) || v[n] != '=')
			return (0);
		memcpy(band, v, n);
		band[n] = '\0';
		if (!input_one_of(band, age_bands) ||
		    (v = percent_end(v + n + 1)) == NULL)
			return (0);
		if (*v == ';')
			v++;
		else if (*v != '\0')
			return (0);
	}
	return (1);
}

/* The texts: an empty adoption date or population unsets them. */
static void
settings_texts(struct http_request *req, struct field_errors *fe)
{
	struct sdate	d;
	const char	*v;
	size_t		i;

	v = input_get(req, "strategy_adopted_on");
	if (v != NULL && *v != '\0' && !schedule_parse(v, &d))
		error_field_add(fe, "strategy_adopted_on", "must be a date "
		    "YYYY-MM-DD, or empty");
	else if (v != NULL)
		rq_var_set(req, "strategy_adopted_on", v);
	if ((v = input_get(req, "opendata_license")) != NULL) {
		for (i = 0; v[i] != '\0' && (strchr(".:/_-", v[i]) != NULL ||
		    (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' &&
		    v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9')); i++)
			;
		if (i == 0 || i > 100 || v[i] != '\0')
			error_field_add(fe, "opendata_license", "must be a "
			    "licence identifier (letters, digits, . : / _ -), "
			    "for example dl-de/by-2-0");
		else
			rq_var_set(req, "opendata_license", v);
	}
	v = input_get(req, "population_age");
	if (v != NULL && strlen(v) > 200)
		error_field_add(fe, "population_age", "is too long");
	else if (v != NULL && !population_age_ok(v))
		error_field_add(fe, "population_age", "must be band=percent "
		    "pairs separated by ;, for example under-18=16.2;18-29=17");
	else if (v != NULL)
		rq_var_set(req, "population_age", v);
}

/*
 * The one check of the settings, for the API and the settings page alike:
 * the values to store become request vars; MW_ERROR with the reasons.
 */
int
settings_check(struct http_request *req, struct field_errors *fe)
{
	const char	*mode;

	if (!input_fields(req, settings_input, fe))
		return (MW_ERROR);
	mode = input_text(req, "moderation_mode");
	if (mode != NULL && strcmp(mode, "pre") != 0 &&
	    strcmp(mode, "post") != 0)
		error_field_add(fe, "moderation_mode", "must be pre or post");
	else if (mode != NULL)
		rq_var_set(req, "moderation_mode", mode);
	settings_ints(req, fe);
	settings_texts(req, fe);
	return (fe->count == 0 ? MW_OK : MW_ERROR);
}

/* PUT /api/v1/admin/settings: changes what is given, then shows all. */
int
api_settings_put(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!settings_check(req, &fe))
			return (respond_fields(req, 422, &fe));
	}
	if ((s = db_step(req, &op_settings_put, &res)) != DB_DONE)
		return (db_yield(s));
	return (db_request(req, &op_settings));
}
