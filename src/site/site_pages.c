/*
 * The site's pages: the legal texts (rendered by markup.c, never raw
 * HTML), Leichte Sprache, Gebärdensprache, the accessibility statement
 * with its feedback form (mail to the city's contact through the outbox),
 * and the admin's pages for the texts and the appearance, which run the
 * API's handlers underneath (rq->form_page).
 */

#include <stdio.h>
#include <string.h>

#include "site.h"

/* A text in the reader's language, German when it has none; with the
 * settings the statement and the sign-language page show. */
static const char SQL_TEXT_PAGE[] =
    "SELECT json_build_object('body', t.body, 'updated_at', t.updated_at,"
    " 'sign_video_url', s.sign_video_url,"
    " 'has_contact', s.a11y_contact IS NOT NULL)"
    " FROM site_settings s LEFT JOIN LATERAL (SELECT body, updated_at"
    "  FROM site_texts WHERE key = $1 ORDER BY lang = $2 DESC LIMIT 1) t"
    "  ON true";

static const char *const text_page_args[] = { "text_key", "@lang", NULL };

static const struct db_op op_text_page = {
	.name = "site_text_page", .sql = SQL_TEXT_PAGE, .kind = DB_READ,
	.args = text_page_args,
};

/* The text's body as HTML, made here with every character escaped. */
static void
text_html(cJSON *data, const cJSON *doc)
{
	struct strbuf	html;
	const char	*body;

	if ((body = json_str(doc, "body")) == NULL)
		return;
	strbuf_init(&html, 4096);
	markup_render(&html, body, strlen(body));
	cJSON_AddItemToObject(data, "html", cJSON_CreateRaw(html.data));
	strbuf_free(&html);
}

/* The text of key as data for a page (NULL: a step is pending or failed). */
static cJSON *
text_data(struct http_request *req, const char *key, cJSON *data,
    enum db_status *s)
{
	PGresult	*res;
	cJSON		*doc;

	rq_var_put(req, "text_key", key);
	if ((*s = db_step(req, &op_text_page, &res)) != DB_DONE)
		return (NULL);
	if ((doc = db_json(res)) == NULL) {
		*s = DB_FAILED;
		respond_error(req, 500, NULL, NULL, NULL);
		return (NULL);
	}
	text_html(data, doc);
	page_date(req, doc, "updated_at");
	cJSON_AddItemToObject(data, "text", doc);
	return (data);
}

static int
text_page(struct http_request *req, const char *key, const char *template)
{
	enum db_status	s;
	cJSON		*data;

	data = page_new(req, key);
	if (text_data(req, key, data, &s) == NULL) {
		cJSON_Delete(data);
		return (db_yield(s));
	}
	cJSON_AddStringToObject(data, "key", key);
	return (page_with(req, 200, data, template));
}

int
page_impressum(struct http_request *req)
{
	return (text_page(req, "impressum", "site_text.html"));
}

int
page_datenschutz(struct http_request *req)
{
	return (text_page(req, "datenschutz", "site_text.html"));
}

int
page_leichte_sprache(struct http_request *req)
{
	return (text_page(req, "leichte_sprache", "site_text.html"));
}

int
page_gebaerdensprache(struct http_request *req)
{
	return (text_page(req, "gebaerdensprache", "site_sign.html"));
}

/* ---- the accessibility statement and its feedback form ---- */

static int	a11y_show(struct http_request *);

static const struct form_page a11y_form = {
	"site_a11y.html", "barrierefreiheit", NULL, "feedback_sent",
	a11y_show
};

static int
a11y_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	enum db_status	s;
	cJSON		*data;

	data = form_data(req, "barrierefreiheit");
	if (text_data(req, "barrierefreiheit", data, &s) == NULL) {
		cJSON_Delete(data);
		return (db_yield(s));
	}
	if (rq->form_again)
		cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	form_stamp_field(req, data);
	return (form_render(req, data, "site_a11y.html"));
}

int
page_barrierefreiheit(struct http_request *req)
{
	return (form_blank(req, &a11y_form));
}

static const char SQL_CONTACT[] =
    "SELECT a11y_contact FROM site_settings WHERE a11y_contact IS NOT NULL";

static const struct db_op op_contact = {
	.name = "site_contact", .sql = SQL_CONTACT, .kind = DB_READ,
};

static const char SQL_FEEDBACK[] =
    "INSERT INTO outbox (sealed) VALUES ($1::bytea) RETURNING id";

static const char *const feedback_args[] = { "mail", NULL };

static const struct db_op op_feedback = {
	.name = "site_feedback", .sql = SQL_FEEDBACK, .kind = DB_WRITE,
	.args = feedback_args,
};

static int
feedback_check(struct http_request *req)
{
	struct field_errors	fe;
	const char		*email;
	char			norm[EMAIL_MAX + 1];

	memset(&fe, 0, sizeof(fe));
	(void)input_text_var(req, "message", 10, 2000,
	    TEXT_REQUIRED | TEXT_MULTILINE, &fe);
	(void)input_text_var(req, "name", 1, 100, 0, &fe);
	email = input_text(req, "email");
	if (email != NULL && *email != '\0' &&
	    !email_normalize(email, norm, sizeof(norm)))
		error_field_add(&fe, "email", "is not an e-mail address");
	if (fe.count > 0) {
		respond_fields(req, 422, &fe);
		return (MW_ERROR);
	}
	return (MW_OK);
}

/* The mail's text: what the person wrote and how to answer them. */
static int
feedback_mail(struct http_request *req, const char *to)
{
	struct strbuf	text;
	const char	*name, *email;
	int		ok;

	name = params_get(&rq_get(req)->vars, "name");
	email = input_text(req, "email");
	strbuf_init(&text, 2048);
	strbuf_appendf(&text, "%s\n\n", params_get(&rq_get(req)->vars,
	    "message"));
	strbuf_appendf(&text, "Name: %s\n", name != NULL ? name : "-");
	strbuf_appendf(&text, "E-Mail: %s\n", email != NULL && *email != '\0' ?
	    email : "-");
	strbuf_appendf(&text, "Sprache / language: %s",
	    lang_code(rq_get(req)->lang));
	ok = mail_var_text(req, "mail", to, "accessibility_feedback", text.data);
	strbuf_free(&text);
	return (ok);
}

static int
feedback_send(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!form_human(req) || !feedback_check(req))
			return (KORE_RESULT_OK);
	}
	if ((s = db_step(req, &op_contact, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) != 1)
		return (form_show(req, 503, NULL, "a11y_no_contact"));
	if (params_get(&rq->vars, "mail") == NULL &&
	    !feedback_mail(req, PQgetvalue(res, 0, 0))) {
		memset(&fe, 0, sizeof(fe));
		error_field_add(&fe, "message", "is too long");
		return (respond_fields(req, 422, &fe));
	}
	if ((s = db_step(req, &op_feedback, &res)) != DB_DONE)
		return (db_yield(s));
	kore_log(LOG_NOTICE, "a11y feedback id=%s outbox=%s", rq->id,
	    PQgetvalue(res, 0, 0));
	return (form_done(req));
}

/* POST /barrierefreiheit */
int
page_barrierefreiheit_post(struct http_request *req)
{
	return (form_run(req, &a11y_form, feedback_send));
}

/* ---- admin: the texts ---- */

static const char *const text_keys[] = { "impressum", "datenschutz",
    "barrierefreiheit", "leichte_sprache", "gebaerdensprache", NULL };

/* GET /verwaltung/texte */
int
page_admin_texts(struct http_request *req)
{
	cJSON	*data, *list, *e;
	int	i;

	data = page_new(req, "admin_texts");
	list = cJSON_AddArrayToObject(data, "keys");
	for (i = 0; text_keys[i] != NULL; i++) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "key", text_keys[i]);
		cJSON_AddStringToObject(e, "title", page_text(req, "titles",
		    text_keys[i]));
		cJSON_AddItemToArray(list, e);
	}
	return (page_with(req, 200, data, "admin_texts.html"));
}

static const char SQL_TEXTS_OF[] =
    "SELECT json_object_agg(lang, body) FROM site_texts WHERE key = $1";

static const char *const key_args[] = { "key", NULL };

static const struct db_op op_texts_of = {
	.name = "site_texts_of", .sql = SQL_TEXTS_OF, .kind = DB_READ,
	.args = key_args,
};

static int	admin_text_show(struct http_request *);

static const struct form_page text_form = {
	"admin_text.html", "admin_texts", NULL, NULL, admin_text_show
};

static int
admin_text_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	const char	*key = params_get(&rq->params, "key");
	PGresult	*res;
	enum db_status	s;
	cJSON		*data;

	if (!site_text_key_ok(key))
		return (page_error(req, 404, NULL));
	if ((s = db_step(req, &op_texts_of, &res)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "admin_texts");
	cJSON_AddStringToObject(data, "key", key);
	cJSON_AddStringToObject(data, "text_title", page_text(req, "titles",
	    key));
	cJSON_AddItemToObject(data, "texts", db_json(res));
	if (rq->form_again)
		cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	if (params_get(&rq->params, "gespeichert") != NULL)
		cJSON_AddBoolToObject(data, "saved", 1);
	return (form_render(req, data, "admin_text.html"));
}

/* GET /verwaltung/texte/{key} */
int
page_admin_text(struct http_request *req)
{
	return (form_blank(req, &text_form));
}

/* POST /verwaltung/texte/{key}: back to the page, saying it is saved. */
int
page_admin_text_post(struct http_request *req)
{
	char	to[96];

	(void)snprintf(to, sizeof(to), "/verwaltung/texte/%s?lang=%s&"
	    "gespeichert=1", params_get(&rq_get(req)->params, "key"),
	    lang_code(rq_get(req)->lang));
	/* Kore calls a handler again while its steps run. */
	rq_var_put(req, "redirect", to);
	return (form_run(req, &text_form, api_site_text_put));
}

/* ---- admin: name, colours, logo, video, contact ---- */

static int	branding_show(struct http_request *);

static const struct form_page branding_form = {
	"admin_branding.html", "admin_branding", NULL, NULL, branding_show
};

static int
branding_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*data;

	if ((s = db_step(req, &op_site, &res)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "admin_branding");
	cJSON_AddItemToObject(data, "s", db_json(res));
	if (rq->form_again)
		cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	if (params_get(&rq->params, "gespeichert") != NULL)
		cJSON_AddBoolToObject(data, "saved", 1);
	return (form_render(req, data, "admin_branding.html"));
}

static void
branding_redirect(struct http_request *req)
{
	rq_var_put(req, "redirect", lang_code(rq_get(req)->lang)[0] == 'e' ?
	    "/verwaltung/auftritt?lang=en&gespeichert=1" :
	    "/verwaltung/auftritt?lang=de&gespeichert=1");
}

/* GET /verwaltung/auftritt */
int
page_admin_branding(struct http_request *req)
{
	return (form_blank(req, &branding_form));
}

/* POST /verwaltung/auftritt */
int
page_admin_branding_post(struct http_request *req)
{
	branding_redirect(req);
	return (form_run(req, &branding_form, api_site_put));
}

/* POST /verwaltung/auftritt/logo (multipart, field "logo") */
int
page_admin_logo_post(struct http_request *req)
{
	branding_redirect(req);
	return (form_run(req, &branding_form, api_site_logo_put));
}

/* POST /verwaltung/auftritt/logo-entfernen */
int
page_admin_logo_delete_post(struct http_request *req)
{
	branding_redirect(req);
	return (form_run(req, &branding_form, api_site_logo_delete));
}
