/*
 * Server-rendered HTML: German first, English on ?lang=en or by
 * Accept-Language.  Pages work without JavaScript.  The data behind a page
 * is the same JSON shape the API serves, rendered through a template in
 * assets/templates with every value HTML-escaped.
 */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mitwirken.h"

#define HTML	"text/html; charset=utf-8"

static cJSON	*catalogs[2];

/*
 * Everything a page offers to choose from: fields of action, districts,
 * goals (a list's filters, a submission form, a survey's tags).
 */
static const char SQL_PAGE_TAXONOMY[] =
    "SELECT json_build_object("
    " 'fields', (SELECT coalesce(json_agg(json_build_object('slug', slug,"
    "  'name', CASE WHEN $1 = 'en' THEN name_en ELSE name_de END)"
    "  ORDER BY position), '[]'::json) FROM fields),"
    " 'districts', (SELECT coalesce(json_agg(json_build_object("
    "  'slug', slug, 'name', name) ORDER BY position), '[]'::json)"
    "  FROM districts WHERE active),"
    " 'goals', (SELECT coalesce(json_agg(json_build_object('slug', g.slug,"
    "  'name', CASE WHEN $1 = 'en' THEN g.name_en ELSE g.name_de END)"
    "  ORDER BY gg.position, g.position), '[]'::json)"
    "  FROM goals g JOIN goal_groups gg ON gg.id = g.group_id))";

static const char *const page_taxonomy_args[] = { "@lang", NULL };

const struct db_op op_page_taxonomy = {
	.name = "page_taxonomy", .sql = SQL_PAGE_TAXONOMY, .kind = DB_READ,
	.args = page_taxonomy_args,
};

/* Message catalogues are parsed once per worker, on first use. */
static const cJSON *
page_catalog(enum lang l)
{
	const struct asset	*a;

	if (catalogs[l] == NULL) {
		a = assets_find("i18n", l == LANG_EN ? "en.json" : "de.json");
		if (a == NULL || (catalogs[l] = cJSON_ParseWithLength(a->data,
		    a->len)) == NULL)
			fatal("i18n catalogue for %s is missing or broken",
			    lang_code(l));
	}
	return (catalogs[l]);
}

static const char *
partial(const char *name, size_t len, size_t *tlen)
{
	const struct asset	*a;
	char			file[80];

	if (len + 6 > sizeof(file))
		return (NULL);
	(void)snprintf(file, sizeof(file), "%.*s.html", (int)len, name);
	if ((a = assets_find("templates", file)) == NULL)
		return (NULL);
	*tlen = a->len;
	return (a->data);
}

/*
 * The city's name and the versioned URLs of its style sheet, icon and
 * logo: a change gives new URLs, so pages show it at once while the files
 * themselves may be cached for a year.
 */
static void
site_context(cJSON *data)
{
	const struct site_brand	*b = site_brand();
	char			url[64];
	cJSON			*site;

	site = cJSON_AddObjectToObject(data, "site");
	cJSON_AddStringToObject(site, "name", b->site_name);
	cJSON_AddStringToObject(site, "city", b->city_name);
	(void)snprintf(url, sizeof(url), "/assets/site.css?v=%lld",
	    b->version);
	cJSON_AddStringToObject(site, "css", url);
	(void)snprintf(url, sizeof(url), "/assets/icon.svg?v=%lld",
	    b->version);
	cJSON_AddStringToObject(site, "icon", url);
	if (b->has_logo) {
		(void)snprintf(url, sizeof(url), "/assets/logo?v=%lld",
		    b->version);
		cJSON_AddStringToObject(site, "logo", url);
	}
}

/* What every page needs besides its own data: language, strings, assets. */
static void
page_context(struct http_request *req, cJSON *data)
{
	struct rq		*rq = rq_get(req);
	const struct asset	*css;
	char			url[96];
	cJSON			*other, *who;

	cJSON_AddItemReferenceToObject(data, "t",
	    (cJSON *)page_catalog(rq->lang));
	cJSON_AddStringToObject(data, "lang", lang_code(rq->lang));
	other = cJSON_AddObjectToObject(data, "other_lang");
	cJSON_AddStringToObject(other, "code", rq->lang == LANG_EN ? "de" :
	    "en");
	cJSON_AddStringToObject(other, "label", rq->lang == LANG_EN ?
	    "Deutsch" : "English");
	if ((css = assets_find("static", "style.css")) != NULL) {
		(void)snprintf(url, sizeof(url), "/assets/style.css?v=%s",
		    css->etag);
		cJSON_AddStringToObject(data, "css", url);
	}
	site_context(data);
	cJSON_AddStringToObject(data, "request_id", rq->id);
	/* Signed in: the session's token; else a form's pre-session one. */
	if (rq->who.csrf[0] != '\0')
		cJSON_AddStringToObject(data, "form_csrf", rq->who.csrf);
	if (rq->who.account_id != 0) {
		who = cJSON_AddObjectToObject(data, "who");
		cJSON_AddStringToObject(who, "pseudonym", rq->who.pseudonym);
		cJSON_AddStringToObject(who, "csrf", rq->who.csrf);
		/* The header links to the work a role has. */
		cJSON_AddBoolToObject(who, "is_moderator",
		    rq->who.roles & ROLE_MODERATOR);
		cJSON_AddBoolToObject(who, "is_board",
		    rq->who.roles & ROLE_BOARD);
		cJSON_AddBoolToObject(who, "is_planner",
		    rq->who.roles & ROLE_PLANNER);
		cJSON_AddBoolToObject(who, "is_staff",
		    rq->who.roles & (ROLE_STAFF | ROLE_ADMIN));
		cJSON_AddBoolToObject(who, "is_admin",
		    rq->who.roles & ROLE_ADMIN);
	}
}

static int
render(struct http_request *req, int status, cJSON *data, const char *body)
{
	const struct asset	*page;
	struct strbuf		out;
	char			err[160];
	int			ok;

	page_context(req, data);
	strbuf_init(&out, 8192);
	/* Pages include {{>header}} and {{>footer}} themselves. */
	if ((page = assets_find("templates", body)) == NULL) {
		(void)snprintf(err, sizeof(err), "no such template");
		ok = MW_ERROR;
	} else {
		ok = html_render(&out, page->data, page->len, data,
		    partial, err, sizeof(err));
	}
	if (!ok) {
		kore_log(LOG_ERR, "template id=%s %s: %s", rq_get(req)->id,
		    body, err);
		strbuf_reset(&out);
		strbuf_appends(&out, "<!doctype html><title>Fehler</title>"
		    "<p>Interner Fehler / internal error</p>");
		status = 500;
	}
	respond(req, status, HTML, out.data, out.len);
	strbuf_free(&out);
	return (KORE_RESULT_OK);
}

/* Renders template with data (which it consumes) and the page context. */
int
page_with(struct http_request *req, int status, cJSON *data,
    const char *template)
{
	int	ret;

	ret = render(req, status, data, template);
	cJSON_Delete(data);
	return (ret);
}

int
page_render(struct http_request *req, PGresult *res, const struct db_op *op)
{
	cJSON	*data;
	int	ret;

	if (res == NULL || PQntuples(res) == 0 || PQgetisnull(res, 0, 0))
		return (respond_error(req, 404, NULL, NULL, NULL));
	data = cJSON_ParseWithLength(PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0));
	if (data == NULL)
		return (respond_error(req, 500, NULL, NULL, NULL));
	ret = render(req, 200, data, op->extra);
	cJSON_Delete(data);
	return (ret);
}

/* t.<group>.<key> in the reader's language; unknown keys as given. */
const char *
page_text(struct http_request *req, const char *group, const char *key)
{
	const cJSON	*g, *v;

	g = cJSON_GetObjectItemCaseSensitive(page_catalog(rq_get(req)->lang),
	    group);
	v = cJSON_GetObjectItemCaseSensitive(g, key);
	return (cJSON_IsString(v) ? v->valuestring : key);
}

/*
 * Error pages: a German (or English) sentence, the status and the id.  An
 * error code with a sentence of its own (illegal_transition) explains
 * more than its status; a form's page offers the way back to it.
 */
int
page_error(struct http_request *req, int status, const char *code)
{
	struct rq	*rq = rq_get(req);
	const cJSON	*errors, *text;
	const char	*back;
	char		key[8], to[256];
	cJSON		*data;
	int		ret;

	(void)snprintf(key, sizeof(key), "%d", status);
	errors = cJSON_GetObjectItemCaseSensitive(page_catalog(rq->lang),
	    "errors");
	text = code != NULL ? cJSON_GetObjectItemCaseSensitive(errors, code) :
	    NULL;
	if (text == NULL)
		text = cJSON_GetObjectItemCaseSensitive(errors, key);
	if (text == NULL)
		text = cJSON_GetObjectItemCaseSensitive(errors, "default");
	data = cJSON_CreateObject();
	cJSON_AddNumberToObject(data, "status", status);
	cJSON_AddStringToObject(data, "message", cJSON_IsString(text) ?
	    text->valuestring : "");
	/* The page itself, not an anchor: a new item's names nothing yet. */
	if (rq->form_page != NULL &&
	    (back = params_get(&rq->vars, "redirect")) != NULL) {
		(void)snprintf(to, sizeof(to), "%.*s", (int)strcspn(back, "#"),
		    back);
		cJSON_AddStringToObject(data, "back", to);
	}
	ret = render(req, status, data, "error.html");
	cJSON_Delete(data);
	return (ret);
}

cJSON *
page_new(struct http_request *req, const char *title_key)
{
	cJSON	*data;

	data = cJSON_CreateObject();
	cJSON_AddStringToObject(data, "title",
	    page_text(req, "titles", title_key));
	return (data);
}

/* obj.<key>_label = t.<group>.<obj.key>: words for a code. */
void
page_label(struct http_request *req, cJSON *obj, const char *key,
    const char *group)
{
	const char	*v;
	char		name[64];

	if ((v = json_str(obj, key)) == NULL)
		return;
	(void)snprintf(name, sizeof(name), "%s_label", key);
	cJSON_AddStringToObject(obj, name, page_text(req, group, v));
}

/*
 * obj.<key>_date: a date or timestamp in the reader's words, on Berlin's
 * clock (when.c): "2. Dezember 2026, 22:07" / "2 December 2026, 22:07";
 * a calendar day without the clock.  WHEN_RELATIVE says "heute 22:07".
 */
void
page_when(struct http_request *req, cJSON *obj, const char *key, int flags)
{
	struct when	w;
	const char	*v;
	char		name[64], d[64];

	if ((v = json_str(obj, key)) == NULL || !when_parse(v, &w))
		return;
	when_format(d, sizeof(d), &w, rq_get(req)->lang, flags,
	    when_today((long long)time(NULL)));
	(void)snprintf(name, sizeof(name), "%s_date", key);
	cJSON_DeleteItemFromObjectCaseSensitive(obj, name);
	cJSON_AddStringToObject(obj, name, d);
}

void
page_date(struct http_request *req, cJSON *obj, const char *key)
{
	page_when(req, obj, key, WHEN_TIME);
}

/* obj.<key>_text: a number as the reader writes it (1,67 / 1.67). */
void
page_number(struct http_request *req, cJSON *obj, const char *key,
    int decimals)
{
	const cJSON	*v;
	char		name[64], num[48], *sep;
	size_t		n;

	if (!cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(obj, key)))
		return;
	chart_number(num, sizeof(num), v->valuedouble, decimals,
	    rq_get(req)->lang);
	/* 2,50 as 2,5 and 2,00 as 2: the digits that say something. */
	if (decimals > 0 && (sep = strrchr(num, rq_get(req)->lang ==
	    LANG_EN ? '.' : ',')) != NULL) {
		for (n = strlen(num); n > 0 && num[n - 1] == '0'; n--)
			num[n - 1] = '\0';
		if (num + strlen(num) - 1 == sep)
			*sep = '\0';
	}
	(void)snprintf(name, sizeof(name), "%s_text", key);
	cJSON_AddStringToObject(obj, name, num);
}

/* An amount of euros as the reader writes it: 250.000 € or €250,000. */
void
page_amount(struct http_request *req, cJSON *obj, const char *key)
{
	const cJSON	*v;
	char		name[64], num[48], out[64];
	enum lang	l = rq_get(req)->lang;

	if (!cJSON_IsNumber(v = cJSON_GetObjectItemCaseSensitive(obj, key)))
		return;
	chart_number(num, sizeof(num), v->valuedouble,
	    v->valuedouble == floor(v->valuedouble) ? 0 : 2, l);
	(void)snprintf(out, sizeof(out), l == LANG_EN ? "€%s" : "%s €", num);
	(void)snprintf(name, sizeof(name), "%s_text", key);
	cJSON_AddStringToObject(obj, name, out);
}

/* Marks the entry of a list whose slug is the chosen one. */
void
page_mark(cJSON *list, const char *key, const char *chosen, const char *flag)
{
	cJSON	*e;

	cJSON_ArrayForEach(e, list) {
		if (chosen != NULL && json_str(e, key) != NULL &&
		    strcmp(json_str(e, key), chosen) == 0)
			cJSON_AddBoolToObject(e, flag, 1);
	}
}

/* A list of codes as [{slug, label, selected}] for a select. */
cJSON *
page_choices(struct http_request *req, const char *const *codes,
    const char *group, const char *chosen)
{
	cJSON	*list, *e;
	int	i;

	list = cJSON_CreateArray();
	for (i = 0; codes[i] != NULL; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "slug", codes[i]);
		cJSON_AddStringToObject(e, "label",
		    page_text(req, group, codes[i]));
		if (chosen != NULL && strcmp(chosen, codes[i]) == 0)
			cJSON_AddBoolToObject(e, "selected", 1);
		cJSON_AddItemToArray(list, e);
	}
	return (list);
}

/*
 * A board member's score sheet (assessments_json, project_assessments_
 * json) for a page: each active criterion as a radio group 0..3 (checked:
 * the input kept after a failed submission, or the member's own score),
 * and each sheet's scores in the order of "columns", which also holds the
 * retired criteria a visible sheet still scores; a sheet without a score
 * for a column shows a dash.
 */
static void
score_options(struct http_request *req, cJSON *sheet)
{
	struct rq	*rq = rq_get(req);
	const cJSON	*mine;
	cJSON		*c, *opts, *o;
	const char	*kept, *slug;
	char		name[80], v[12];
	int		i, n;

	mine = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(sheet, "mine"), "scores");
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(sheet,
	    "criteria")) {
		slug = json_str(c, "slug");
		(void)snprintf(name, sizeof(name), "score-%s", slug);
		kept = params_get(&rq->form, name);
		n = cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(mine, slug))
		    ? (int)json_num(mine, slug) : -1;
		opts = cJSON_AddArrayToObject(c, "options");
		for (i = 0; i <= 3; i++) {
			o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "value", i);
			(void)snprintf(v, sizeof(v), "%d", i);
			if (kept != NULL ? strcmp(kept, v) == 0 : n == i)
				cJSON_AddBoolToObject(o, "checked", 1);
			cJSON_AddItemToArray(opts, o);
		}
	}
}

static void
score_row(cJSON *doc, const cJSON *columns)
{
	const cJSON	*c, *scores, *score;
	cJSON		*row;

	if (!cJSON_IsObject(doc))
		return;
	scores = cJSON_GetObjectItemCaseSensitive(doc, "scores");
	row = cJSON_AddArrayToObject(doc, "row");
	cJSON_ArrayForEach(c, columns) {
		score = cJSON_GetObjectItemCaseSensitive(scores,
		    json_str(c, "slug"));
		cJSON_AddItemToArray(row, cJSON_IsNumber(score) ?
		    cJSON_CreateNumber(score->valuedouble) :
		    cJSON_CreateString("\u2013"));
	}
}

void
page_score_sheet(struct http_request *req, cJSON *sheet)
{
	const cJSON	*columns;
	cJSON		*other;

	score_options(req, sheet);
	columns = cJSON_GetObjectItemCaseSensitive(sheet, "columns");
	score_row(cJSON_GetObjectItemCaseSensitive(sheet, "mine"), columns);
	page_number(req, sheet, "weighted_mean", 2);
	page_number(req, cJSON_GetObjectItemCaseSensitive(sheet, "mine"),
	    "weighted_mean", 2);
	cJSON_ArrayForEach(other, cJSON_GetObjectItemCaseSensitive(sheet,
	    "others")) {
		score_row(other, columns);
		page_number(req, other, "weighted_mean", 2);
	}
}

/* The confirmation after a change: ?done=<key> as t.admin_done.<key>. */
void
page_notice(struct http_request *req, cJSON *data)
{
	const char	*done;

	if ((done = params_get(&rq_get(req)->params, "done")) != NULL)
		cJSON_AddStringToObject(data, "notice",
		    page_text(req, "admin_done", done));
}
