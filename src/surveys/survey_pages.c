/*
 * Surveys as pages for respondents: the list, the plain form (one page at
 * a time, no JavaScript; survey_form.c), the progressive SurveyJS page,
 * the thank-you page and the results with charts (survey_charts.c).
 * Sending the last page runs the API's own handler (api_survey_respond)
 * on the answers read from the form, so the verdict is the API's.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "surveys.h"

static const char *const channel_slugs[] = { "online", "paper", "phone",
    "in_person", NULL };


static int64_t
page_survey_id(struct http_request *req)
{
	const char	*v;

	v = params_get(&rq_get(req)->params, "id");
	return (v != NULL ? strtoll(v, NULL, 10) : 0);
}

/* The survey (op_survey's JSON) and its parsed definition. */
struct loaded {
	cJSON			*survey;
	struct survey_def	*def;
};

static void
loaded_free(struct loaded *l)
{
	cJSON_Delete(l->survey);
	survey_free(l->def);
	memset(l, 0, sizeof(*l));
}

/* MW_ERROR after an answer (404, or 500 for a definition that broke). */
static int
load(struct http_request *req, PGresult *res, struct loaded *l)
{
	struct survey_problems	p;

	memset(l, 0, sizeof(*l));
	memset(&p, 0, sizeof(p));
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0)) {
		respond_error(req, 404, NULL, NULL, NULL);
		return (MW_ERROR);
	}
	l->survey = cJSON_ParseWithLength(PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0));
	if (l->survey != NULL)
		l->def = survey_parse(cJSON_GetObjectItemCaseSensitive(
		    l->survey, "definition"), &p);
	if (l->def == NULL) {
		kore_log(LOG_ERR, "bug id=%s: survey %lld does not parse",
		    rq_get(req)->id, (long long)page_survey_id(req));
		loaded_free(l);
		respond_error(req, 500, NULL, NULL, NULL);
		return (MW_ERROR);
	}
	return (MW_OK);
}

static const char *
def_text(struct http_request *req, const struct survey_text *t)
{
	return (rq_get(req)->lang == LANG_EN ? t->en : t->de);
}

/* What every survey page shows of the survey itself. */
static cJSON *
survey_summary(struct http_request *req, const struct loaded *l)
{
	cJSON	*s;

	s = cJSON_CreateObject();
	cJSON_AddNumberToObject(s, "id", json_num(l->survey, "id"));
	cJSON_AddStringToObject(s, "title", def_text(req, &l->def->title));
	if (*def_text(req, &l->def->description) != '\0')
		cJSON_AddStringToObject(s, "description",
		    def_text(req, &l->def->description));
	return (s);
}

/* ---- the list ---- */

/* GET /umfragen */
int
page_surveys(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *list, *e;

	if (!rq_get(req)->prepared) {
		rq_get(req)->prepared = 1;
		rq_var_put(req, "planner", "f");
	}
	if ((s = db_step(req, &op_surveys_list, &res)) != DB_DONE)
		return (db_yield(s));
	if ((list = db_json(res)) == NULL)
		return (respond_error(req, 500, NULL, NULL, NULL));
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(list,
	    "surveys")) {
		if (rq_get(req)->lang == LANG_EN && json_str(e, "title_en"))
			cJSON_ReplaceItemInObjectCaseSensitive(e, "title",
			    cJSON_CreateString(json_str(e, "title_en")));
		page_date(req, e, "closes_at");
	}
	data = page_new(req, "surveys");
	cJSON_AddItemToObject(data, "list", list);
	return (page_with(req, 200, data, "surveys.html"));
}

/* ---- the plain form ---- */

static cJSON *
district_choices(cJSON *tax, const char *chosen)
{
	cJSON	*list, *d;

	list = cJSON_DetachItemFromObjectCaseSensitive(tax, "districts");
	if (list == NULL)
		return (cJSON_CreateArray());
	cJSON_ArrayForEach(d, list) {
		cJSON_AddBoolToObject(d, "selected", chosen != NULL &&
		    json_str(d, "slug") != NULL &&
		    strcmp(json_str(d, "slug"), chosen) == 0);
	}
	return (list);
}

/* "{a}" and "{b}" in a text, numbers in the reader's form ("1,5"). */
static void
fill(struct http_request *req, char *out, size_t len, const char *text,
    const char *a, const char *b)
{
	struct strbuf	sb;
	const char	*v;
	char		num[64], *c;

	strbuf_init(&sb, 128);
	for (; *text != '\0'; text++) {
		if (text[0] == '{' && (text[1] == 'a' || text[1] == 'b') &&
		    text[2] == '}') {
			v = text[1] == 'a' ? a : b;
			(void)snprintf(num, sizeof(num), "%s", v != NULL ? v : "");
			if (rq_get(req)->lang == LANG_DE &&
			    (c = strchr(num, '.')) != NULL)
				*c = ',';
			strbuf_appends(&sb, num);
			text += 2;
		} else {
			strbuf_append(&sb, text, 1);
		}
	}
	(void)snprintf(out, len, "%s", sb.data);
	strbuf_free(&sb);
}

/*
 * The validator's reasons (English, for the API) in the reader's words:
 * t.survey_reasons.<key>, with the numbers of the reason filled in.
 */
static void
reason_words(struct http_request *req, char *reason, size_t len)
{
	char	a[64], b[64];
	int	n;

	a[0] = b[0] = '\0';
	if (strcmp(reason, "required") == 0)
		fill(req, reason, len, page_text(req, "survey_reasons",
		    "required"), NULL, NULL);
	else if (sscanf(reason, "must be from %63s to %63s", a, b) == 2)
		fill(req, reason, len, page_text(req, "survey_reasons",
		    "range"), a, b);
	else if (sscanf(reason, "must be at least %63s", a) == 1)
		fill(req, reason, len, page_text(req, "survey_reasons",
		    "min"), a, NULL);
	else if (sscanf(reason, "must be at most %63s", a) == 1)
		fill(req, reason, len, page_text(req, "survey_reasons",
		    "max"), a, NULL);
	else if (sscanf(reason, "at most %d characters", &n) == 1) {
		(void)snprintf(a, sizeof(a), "%d", n);
		fill(req, reason, len, page_text(req, "survey_reasons",
		    "length"), a, NULL);
	} else if (strncmp(reason, "must be a number", 16) == 0)
		fill(req, reason, len, page_text(req, "survey_reasons",
		    "number"), NULL, NULL);
	else if (strncmp(reason, "give each choice", 16) == 0 ||
	    strncmp(reason, "must rank all", 13) == 0)
		fill(req, reason, len, page_text(req, "survey_reasons",
		    "ranking"), NULL, NULL);
	else if (strncmp(reason, "must be text", 12) == 0)
		fill(req, reason, len, page_text(req, "survey_reasons",
		    "text"), NULL, NULL);
	else
		fill(req, reason, len, page_text(req, "survey_reasons",
		    "choice"), NULL, NULL);
}

/*
 * Shows page `page` of the form with the answers so far and problems
 * next to their questions; status 200, or 422 when problems are shown.
 */
static int
show_form(struct http_request *req, struct loaded *l, PGresult *tax_res,
    int page, const cJSON *answers, const struct survey_problems *pr,
    const char *message_key, int status)
{
	struct rq		*rq = rq_get(req);
	struct survey_problems	words;
	const char		*v;
	char			url[128];
	cJSON			*data, *tax;
	int			last, i;

	data = page_new(req, "survey");
	cJSON_ReplaceItemInObjectCaseSensitive(data, "title",
	    cJSON_CreateString(def_text(req, &l->def->title)));
	cJSON_AddItemToObject(data, "survey", survey_summary(req, l));
	if (pr != NULL) {
		words = *pr;
		for (i = 0; i < words.count; i++)
			reason_words(req, words.items[i].reason,
			    sizeof(words.items[i].reason));
	}
	cJSON_AddItemToObject(data, "form", survey_form_data(l->def, page,
	    answers, pr != NULL ? &words : NULL, rq->lang));
	last = json_true(cJSON_GetObjectItemCaseSensitive(data, "form"),
	    "last");
	(void)snprintf(url, sizeof(url), "/umfragen/%lld?lang=%s",
	    (long long)page_survey_id(req), lang_code(rq->lang));
	cJSON_AddStringToObject(data, "action", url);
	(void)snprintf(url, sizeof(url), "/umfragen/%lld/interaktiv?lang=%s",
	    (long long)page_survey_id(req), lang_code(rq->lang));
	cJSON_AddStringToObject(data, "js_link", url);
	cJSON_AddBoolToObject(data, "first_visit", page == survey_form_page(
	    l->def, 0, 1, answers) && pr == NULL);
	v = json_str(l->survey, "access");
	/* The code is asked for on the first page and carried after it. */
	if (v != NULL && strcmp(v, "codes") == 0 &&
	    !(rq->who.roles & ROLE_STAFF)) {
		cJSON_AddBoolToObject(data, "needs_code",
		    params_get(&rq->vars, "code_ok") == NULL);
		if ((v = input_get(req, "access_code")) != NULL)
			cJSON_AddStringToObject(data, "access_code", v);
	}
	if ((v = params_get(&rq->vars, "code_error")) != NULL)
		cJSON_AddStringToObject(data, "code_error", v);
	cJSON_AddBoolToObject(data, "can_save", rq->who.account_id != 0 &&
	    !(rq->who.roles & ROLE_STAFF));
	cJSON_AddBoolToObject(data, "last_page_extras", last);
	cJSON_AddBoolToObject(data, "is_staff",
	    (rq->who.roles & ROLE_STAFF) != 0);
	if ((v = input_get(req, "district")) != NULL && *v != '\0')
		cJSON_AddStringToObject(data, "district", v);
	if ((v = input_get(req, "citizen_code")) != NULL)
		cJSON_AddStringToObject(data, "citizen_code", v);
	if ((v = params_get(&rq->vars, "consent_error")) != NULL)
		cJSON_AddStringToObject(data, "consent_error", v);
	if (rq->who.roles & ROLE_STAFF)
		cJSON_AddItemToObject(data, "channels", page_choices(req,
		    channel_slugs + 1, "channels",
		    input_get(req, "channel")));
	tax = tax_res != NULL ? db_json(tax_res) : NULL;
	cJSON_AddItemToObject(data, "districts", district_choices(tax,
	    input_get(req, "district")));
	cJSON_Delete(tax);
	if (message_key != NULL)
		cJSON_AddStringToObject(data, "message",
		    page_text(req, "surveys", message_key));
	if (params_get(&rq->vars, "resumed") != NULL)
		cJSON_AddBoolToObject(data, "resumed", 1);
	session_form_token(req);
	return (page_with(req, status, data, "survey_form.html"));
}

/* A survey that takes no answers now: say so instead of a form. */
/* Sign-in that comes back to this survey, saying why it was needed. */
static void
survey_signin_link(struct http_request *req, cJSON *data)
{
	struct strbuf	url;
	char		next[64];

	(void)snprintf(next, sizeof(next), "/umfragen/%lld?lang=%s",
	    (long long)page_survey_id(req), lang_code(rq_get(req)->lang));
	strbuf_init(&url, 128);
	form_signin_url(req, &url, next, "survey");
	cJSON_AddStringToObject(data, "signin_link", url.data);
	strbuf_free(&url);
}

static int
closed_notice(struct http_request *req, struct loaded *l, const char *key)
{
	cJSON	*data;
	char	url[128];

	data = page_new(req, "survey");
	cJSON_AddItemToObject(data, "survey", survey_summary(req, l));
	cJSON_AddStringToObject(data, "message", page_text(req, "surveys",
	    key));
	if (strcmp(key, "signin_needed") == 0)
		survey_signin_link(req, data);
	if (json_true(l->survey, "results_public")) {
		(void)snprintf(url, sizeof(url),
		    "/umfragen/%lld/ergebnisse?lang=%s",
		    (long long)page_survey_id(req),
		    lang_code(rq_get(req)->lang));
		cJSON_AddStringToObject(data, "results_link", url);
	}
	return (page_with(req, 200, data, "survey_notice.html"));
}

/* GET /umfragen/{id}: the first page, or where a saved draft left off. */
int
page_survey(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	struct loaded	l;
	PGresult	*res, *tax, *draft;
	enum db_status	s;
	cJSON		*answers, *d;
	const char	*access;
	int		page, ret;

	if (!rq->prepared) {
		rq->prepared = 1;
		surveys_viewer_vars(req);
		if (rq->who.account_id != 0)
			surveys_account_respondent(req, "respondent");
	}
	if ((s = db_step(req, &op_survey, &res)) != DB_DONE ||
	    (s = db_step(req, &op_page_taxonomy, &tax)) != DB_DONE)
		return (db_yield(s));
	draft = NULL;
	if (rq->who.account_id != 0 &&
	    (s = db_step(req, &op_survey_draft, &draft)) != DB_DONE)
		return (db_yield(s));
	if (!load(req, res, &l))
		return (KORE_RESULT_OK);
	access = json_str(l.survey, "access");
	if (!json_true(l.survey, "accepting")) {
		ret = closed_notice(req, &l, "not_open");
		loaded_free(&l);
		return (ret);
	}
	if (access != NULL && strcmp(access, "account") == 0 &&
	    rq->who.account_id == 0) {
		ret = closed_notice(req, &l, "signin_needed");
		loaded_free(&l);
		return (ret);
	}
	answers = NULL;
	page = -1;
	if (draft != NULL && PQntuples(draft) > 0 &&
	    (d = db_json(draft)) != NULL) {
		answers = cJSON_DetachItemFromObjectCaseSensitive(d,
		    "answers");
		page = (int)json_num(d, "page");
		cJSON_Delete(d);
		rq_var_set(req, "resumed", "1");
	}
	if (answers == NULL)
		answers = cJSON_CreateObject();
	if (page < 0 || page >= l.def->npages)
		page = survey_form_page(l.def, 0, 1, answers);
	if (page < 0)
		page = 0;
	ret = show_form(req, &l, tax, page, answers, NULL, NULL, 200);
	cJSON_Delete(answers);
	loaded_free(&l);
	return (ret);
}

static void
problems_merge(struct survey_problems *into, const struct survey_problems *p)
{
	int	i;

	for (i = 0; i < p->count && into->count < SURVEY_PROBLEMS_MAX; i++)
		into->items[into->count++] = p->items[i];
}

/* The answers the whole form carries: every page's fields. */
static cJSON *
form_answers(const struct survey_def *def, struct http_request *req,
    struct survey_problems *p)
{
	struct survey_problems	one;
	cJSON			*answers;
	int			i;

	memset(p, 0, sizeof(*p));
	answers = cJSON_CreateObject();
	for (i = 0; i < def->npages; i++) {
		if (!answers_from_form(def, i, &rq_get(req)->form, answers,
		    &one))
			problems_merge(p, &one);
	}
	return (answers);
}

/* Keeps the problems of questions on pages up to `upto` (-1: all). */
static void
problems_upto(const struct survey_def *def, const struct survey_problems *in,
    int upto, struct survey_problems *out, int *first_page)
{
	char	name[SURVEY_NAME_MAX + 1];
	size_t	n;
	int	i, q, pg;

	memset(out, 0, sizeof(*out));
	*first_page = -1;
	for (i = 0; i < in->count; i++) {
		n = strcspn(in->items[i].path + 1, "/");
		if (in->items[i].path[0] != '/' || n > SURVEY_NAME_MAX)
			continue;
		(void)snprintf(name, sizeof(name), "%.*s", (int)n,
		    in->items[i].path + 1);
		if ((q = survey_find(def, name)) < 0)
			continue;
		pg = def->questions[q].page;
		if (upto >= 0 && pg > upto)
			continue;
		out->items[out->count++] = in->items[i];
		if (*first_page < 0 || pg < *first_page)
			*first_page = pg;
	}
}

/* The problems of pages up to `upto` (-1: all); first page with one. */
static int
check_upto(const struct survey_def *def, const cJSON *answers,
    const struct survey_problems *conv, int upto,
    struct survey_problems *out)
{
	struct survey_problems	all, tmp;
	unsigned char		*seen;
	cJSON			*clean;
	int			first, first2;

	memset(&all, 0, sizeof(all));
	if ((seen = calloc((size_t)def->nquestions + 1, 1)) == NULL)
		fatal("check_upto: out of memory");
	clean = answers_check(def, answers, ANSWERS_FINAL, seen, &all);
	cJSON_Delete(clean);
	free(seen);
	problems_upto(def, conv, upto, out, &first);
	problems_upto(def, &all, upto, &tmp, &first2);
	problems_merge(out, &tmp);
	if (first < 0 || (first2 >= 0 && first2 < first))
		first = first2;
	return (first);
}

static int	submit_failed(struct http_request *);

static const struct form_page survey_sent = {
	.template = "survey_form.html",
	.title_key = "survey",
	.show = submit_failed,
};

/*
 * The API refused the last page for a reason outside the answers (checked
 * before): an access or consent code, a district.  The last page again,
 * with every answer, the reason on top and a code's next to its field.
 */
static int
submit_failed(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct loaded		l;
	PGresult		*res, *tax;
	enum db_status		s;
	const cJSON		*answers;
	cJSON			*copy;
	int			i, page, ret;

	if ((s = db_step(req, &op_survey, &res)) != DB_DONE ||
	    (s = db_step(req, &op_page_taxonomy, &tax)) != DB_DONE)
		return (db_yield(s));
	if (!load(req, res, &l))
		return (KORE_RESULT_OK);
	for (i = 0; rq->resume_fe != NULL && i < rq->resume_fe->count; i++) {
		if (strcmp(rq->resume_fe->items[i].field, "access_code") == 0 &&
		    params_get(&rq->vars, "code_error") == NULL)
			rq_var_set(req, "code_error", page_text(req, "surveys",
			    "code_invalid"));
		else if (strcmp(rq->resume_fe->items[i].field,
		    "citizen_code") == 0 &&
		    params_get(&rq->vars, "consent_error") == NULL)
			rq_var_set(req, "consent_error", page_text(req,
			    "surveys", "consent_invalid"));
	}
	answers = cJSON_GetObjectItemCaseSensitive(rq->body, "answers");
	copy = answers != NULL ? cJSON_Duplicate(answers, 1) :
	    cJSON_CreateObject();
	page = params_get(&rq->vars, "code_error") != NULL ?
	    survey_form_page(l.def, 0, 1, copy) :
	    survey_form_page(l.def, l.def->npages - 1, -1, copy);
	ret = show_form(req, &l, tax, page < 0 ? 0 : page, copy, NULL,
	    "failed", rq->resume_status >= 400 ? rq->resume_status : 422);
	cJSON_Delete(copy);
	loaded_free(&l);
	return (ret);
}

/* The last page went to the API's handler; it runs until it answers. */
static int
submit(struct http_request *req, const cJSON *answers)
{
	struct rq	*rq = rq_get(req);
	const char	*v;
	char		url[96];
	int		i;
	static const char *const carried[] = { "access_code", "district",
	    "channel", "citizen_code", NULL };

	cJSON		*body;

	/* Read from the form before the body exists: input_* prefer it. */
	body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, "answers", cJSON_Duplicate(answers, 1));
	for (i = 0; carried[i] != NULL; i++) {
		if ((v = input_text(req, carried[i])) != NULL)
			cJSON_AddStringToObject(body, carried[i], v);
	}
	rq->body = body;
	/* The form's fields are read: the handler sees only the body. */
	params_free(&rq->form);
	memset(&rq->form, 0, sizeof(rq->form));
	(void)snprintf(url, sizeof(url), "/umfragen/%lld/danke?lang=%s",
	    (long long)page_survey_id(req), lang_code(rq->lang));
	rq_var_set(req, "redirect", url);
	rq_var_set(req, "page_submit", "1");
	rq->prepared = 0;
	return (form_run(req, &survey_sent, api_survey_respond));
}

/* POST /umfragen/{id}: back, next, save, or send the last page. */
int
page_survey_post(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct survey_problems	conv, pr;
	struct loaded		l;
	PGresult		*res, *tax, *code;
	enum db_status		s;
	cJSON			*answers;
	const char		*action, *v;
	int			page, to, ret, status;
	char			*json;

	if (params_get(&rq->vars, "page_submit") != NULL)
		return (form_run(req, &survey_sent, api_survey_respond));
	if (!rq->prepared) {
		rq->prepared = 1;
		surveys_viewer_vars(req);
		if (rq->who.account_id != 0)
			surveys_account_respondent(req, "respondent");
		if ((v = input_text(req, "access_code")) != NULL &&
		    !surveys_code_vars(req, v))
			rq_var_set(req, "code_error", page_text(req,
			    "surveys", "code_invalid"));
	}
	if ((s = db_step(req, &op_survey, &res)) != DB_DONE ||
	    (s = db_step(req, &op_page_taxonomy, &tax)) != DB_DONE)
		return (db_yield(s));
	if (params_get(&rq->vars, "code_hash") != NULL &&
	    params_get(&rq->vars, "code_checked") == NULL) {
		if ((s = db_step(req, &op_survey_code_check, &code)) !=
		    DB_DONE)
			return (db_yield(s));
		rq_var_set(req, "code_checked", "1");
		if (PQntuples(code) > 0)
			rq_var_set(req, "code_ok", "1");
		else
			rq_var_set(req, "code_error", page_text(req,
			    "surveys", "code_invalid"));
	}
	if (!load(req, res, &l))
		return (KORE_RESULT_OK);
	if (!json_true(l.survey, "accepting")) {
		ret = closed_notice(req, &l, "not_open");
		loaded_free(&l);
		return (ret);
	}
	memset(&conv, 0, sizeof(conv));
	answers = form_answers(l.def, req, &conv);
	page = (v = input_get(req, "page")) != NULL ? atoi(v) : 0;
	if (page < 0 || page >= l.def->npages)
		page = 0;
	action = input_get(req, "action");
	if (action == NULL)
		action = "next";
	status = 200;
	to = page;
	memset(&pr, 0, sizeof(pr));
	if (strcmp(action, "back") == 0) {
		if ((to = survey_form_page(l.def, page - 1, -1, answers)) < 0)
			to = page;
	} else if (strcmp(action, "save") == 0 || strcmp(action, "next") == 0 ||
	    strcmp(action, "submit") == 0) {
		to = check_upto(l.def, answers, &conv,
		    strcmp(action, "submit") == 0 ? -1 : page, &pr);
		if (params_get(&rq->vars, "code_error") != NULL ||
		    (json_str(l.survey, "access") != NULL &&
		    strcmp(json_str(l.survey, "access"), "codes") == 0 &&
		    !(rq->who.roles & ROLE_STAFF) &&
		    params_get(&rq->vars, "code_ok") == NULL)) {
			if (params_get(&rq->vars, "code_error") == NULL)
				rq_var_set(req, "code_error", page_text(req,
				    "surveys", "code_required"));
			to = survey_form_page(l.def, 0, 1, answers);
			status = 422;
		} else if (strcmp(action, "save") == 0) {
			to = page;
		} else if (pr.count > 0) {
			status = 422;
		} else if (strcmp(action, "submit") == 0) {
			ret = submit(req, answers);
			cJSON_Delete(answers);
			loaded_free(&l);
			return (ret);
		} else if ((to = survey_form_page(l.def, page + 1, 1,
		    answers)) < 0) {
			to = page;
		}
	}
	if (to < 0)
		to = 0;
	/* Signed in: every step is also a draft to come back to. */
	if (rq->who.account_id != 0 && !(rq->who.roles & ROLE_STAFF) &&
	    strcmp(action, "back") != 0 &&
	    params_get(&rq->vars, "draft_page") == NULL) {
		json = cJSON_PrintUnformatted(answers);
		rq_var_set(req, "answers", json);
		cJSON_free(json);
		rq_var_setf(req, "draft_page", "%d", to);
		rq_var_setf(req, "page", "%d", to);
	}
	if (params_get(&rq->vars, "draft_page") != NULL) {
		if ((s = db_step(req, &op_survey_draft_put, &res)) != DB_DONE) {
			cJSON_Delete(answers);
			loaded_free(&l);
			return (db_yield(s));
		}
		to = atoi(params_get(&rq->vars, "draft_page"));
	}
	ret = show_form(req, &l, tax, to, answers,
	    pr.count > 0 ? &pr : NULL,
	    status != 200 ? "fix_errors" :
	    strcmp(action, "save") == 0 ? "saved" : NULL, status);
	cJSON_Delete(answers);
	loaded_free(&l);
	return (ret);
}

/* GET /umfragen/{id}/danke */
int
page_survey_done(struct http_request *req)
{
	struct loaded	l;
	PGresult	*res;
	enum db_status	s;
	int		ret;

	if (!rq_get(req)->prepared) {
		rq_get(req)->prepared = 1;
		surveys_viewer_vars(req);
	}
	if ((s = db_step(req, &op_survey, &res)) != DB_DONE)
		return (db_yield(s));
	if (!load(req, res, &l))
		return (KORE_RESULT_OK);
	ret = closed_notice(req, &l, "done");
	loaded_free(&l);
	return (ret);
}

/* ---- the progressive page ---- */

/* GET /umfragen/{id}/interaktiv: SurveyJS draws the same definition. */
int
page_survey_js(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	const struct asset	*a;
	struct loaded		l;
	PGresult		*res, *tax;
	enum db_status		s;
	cJSON			*data, *texts, *t, *assets;
	char			url[160], *json;
	const char		*v;
	static const char *const files[] = { "survey-core.min.css",
	    "survey.core.min.js", "survey-js-ui.min.js", "survey.de.min.js",
	    "survey-page.js", NULL };
	static const char *const keys[] = { "done", "failed", "offline",
	    "load_failed", "already", "not_open", "signin_needed", NULL };
	int			i;

	if (!rq->prepared) {
		rq->prepared = 1;
		surveys_viewer_vars(req);
	}
	if ((s = db_step(req, &op_survey, &res)) != DB_DONE ||
	    (s = db_step(req, &op_page_taxonomy, &tax)) != DB_DONE)
		return (db_yield(s));
	if (!load(req, res, &l))
		return (KORE_RESULT_OK);
	if (!json_true(l.survey, "accepting")) {
		i = closed_notice(req, &l, "not_open");
		loaded_free(&l);
		return (i);
	}
	data = page_new(req, "survey");
	cJSON_ReplaceItemInObjectCaseSensitive(data, "title",
	    cJSON_CreateString(def_text(req, &l.def->title)));
	cJSON_AddItemToObject(data, "survey", survey_summary(req, &l));
	assets = cJSON_AddObjectToObject(data, "assets");
	for (i = 0; files[i] != NULL; i++) {
		if ((a = assets_find("static", files[i])) == NULL)
			continue;
		(void)snprintf(url, sizeof(url), "/assets/%s?v=%s", files[i],
		    a->etag);
		cJSON_AddStringToObject(assets, i == 0 ? "css" : i == 1 ?
		    "core" : i == 2 ? "ui" : i == 3 ? "de" : "page", url);
	}
	/* The script's own words, as data: nothing inline runs. */
	texts = cJSON_CreateObject();
	for (i = 0; keys[i] != NULL; i++)
		cJSON_AddStringToObject(texts, keys[i],
		    page_text(req, "surveys", keys[i]));
	json = cJSON_PrintUnformatted(texts);
	cJSON_AddStringToObject(data, "texts_json", json);
	cJSON_free(json);
	cJSON_Delete(texts);
	(void)snprintf(url, sizeof(url), "/umfragen/%lld?lang=%s",
	    (long long)page_survey_id(req), lang_code(rq->lang));
	cJSON_AddStringToObject(data, "plain_link", url);
	v = json_str(l.survey, "access");
	cJSON_AddBoolToObject(data, "needs_code", v != NULL &&
	    strcmp(v, "codes") == 0);
	cJSON_AddBoolToObject(data, "needs_signin", v != NULL &&
	    strcmp(v, "account") == 0 && rq->who.account_id == 0);
	if (json_true(data, "needs_signin"))
		survey_signin_link(req, data);
	t = db_json(tax);
	cJSON_AddItemToObject(data, "districts", district_choices(t, NULL));
	cJSON_Delete(t);
	loaded_free(&l);
	session_form_token(req);
	dispatch_allow_scripts(req);
	return (page_with(req, 200, data, "survey_js.html"));
}

/* ---- results ---- */

/* GET /umfragen/{id}/ergebnisse?channel=&district= */
int
page_survey_results(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	struct loaded	l;
	PGresult	*res, *tax;
	enum db_status	s;
	cJSON		*data, *doc, *t;
	char		hidden[32];

	if (!rq->prepared) {
		rq->prepared = 1;
		surveys_viewer_vars(req);
	}
	if ((s = db_step(req, &op_survey, &res)) != DB_DONE ||
	    (s = db_step(req, &op_page_taxonomy, &tax)) != DB_DONE ||
	    (s = surveys_results_step(req, &doc)) != DB_DONE)
		return (db_yield(s));
	if (!load(req, res, &l)) {
		cJSON_Delete(doc);
		return (KORE_RESULT_OK);
	}
	(void)snprintf(hidden, sizeof(hidden), "< %d",
	    (int)json_num(doc, "k") > 0 ? (int)json_num(doc, "k") :
	    mw_config.survey_k);
	survey_charts(doc, hidden, rq->lang);
	data = page_new(req, "survey_results");
	cJSON_AddItemToObject(data, "survey", survey_summary(req, &l));
	cJSON_AddItemToObject(data, "results", doc);
	cJSON_AddBoolToObject(data, "planner_view",
	    (rq->who.roles & ROLE_PLANNER) != 0);
	cJSON_AddItemToObject(data, "channels", page_choices(req,
	    channel_slugs, "channels", params_get(&rq->params, "channel")));
	t = db_json(tax);
	cJSON_AddItemToObject(data, "districts", district_choices(t,
	    params_get(&rq->params, "district")));
	cJSON_Delete(t);
	loaded_free(&l);
	return (page_with(req, 200, data, "survey_results.html"));
}
