/*
 * Server-rendered HTML: German first, English on ?lang=en or by
 * Accept-Language.  Pages work without JavaScript.  The data behind a page
 * is the same JSON shape the API serves, rendered through a template in
 * assets/templates with every value HTML-escaped.
 */

#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

#define HTML	"text/html; charset=utf-8"

static const char SQL_INDEX[] =
    "SELECT json_build_object('fields', coalesce(json_agg(json_build_object("
    " 'slug', f.slug,"
    " 'name', CASE WHEN $1 = 'en' THEN f.name_en ELSE f.name_de END,"
    " 'description', CASE WHEN $1 = 'en' THEN f.description_en"
    "  ELSE f.description_de END) ORDER BY f.position), '[]'::json))"
    " FROM fields f";

static const char *const index_args[] = { "@lang", NULL };

const struct db_op op_index = {
	.name = "page_index", .sql = SQL_INDEX, .kind = DB_READ,
	.args = index_args, .done = page_render, .extra = "index.html",
};

static cJSON	*catalogs[2];

/* Message catalogues are parsed once per worker, on first use. */
const cJSON *
page_catalog(enum lang l)
{
	const struct asset	*a;

	if (catalogs[l] == NULL) {
		a = asset_find("i18n", l == LANG_EN ? "en.json" : "de.json");
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
	if ((a = asset_find("templates", file)) == NULL)
		return (NULL);
	*tlen = a->len;
	return (a->data);
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
	if ((css = asset_find("static", "style.css")) != NULL) {
		(void)snprintf(url, sizeof(url), "/assets/style.css?v=%s",
		    css->etag);
		cJSON_AddStringToObject(data, "css", url);
	}
	cJSON_AddStringToObject(data, "request_id", rq->id);
	if (rq->who.account_id != 0) {
		who = cJSON_AddObjectToObject(data, "who");
		cJSON_AddStringToObject(who, "pseudonym", rq->who.pseudonym);
		cJSON_AddStringToObject(who, "csrf", rq->who.csrf);
		/* The header links to the work a role has. */
		cJSON_AddBoolToObject(who, "is_moderator",
		    rq->who.roles & ROLE_MODERATOR);
		cJSON_AddBoolToObject(who, "is_board",
		    rq->who.roles & ROLE_BOARD);
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
	if ((page = asset_find("templates", body)) == NULL) {
		(void)snprintf(err, sizeof(err), "no such template");
		ok = MW_ERROR;
	} else {
		ok = template_render(&out, page->data, page->len, data,
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
	char		key[8];
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
	if (rq->form_page != NULL &&
	    (back = params_get(&rq->vars, "redirect")) != NULL)
		cJSON_AddStringToObject(data, "back", back);
	ret = render(req, status, data, "error.html");
	cJSON_Delete(data);
	return (ret);
}
