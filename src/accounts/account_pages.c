/*
 * The account flows as plain HTML forms that work without JavaScript: the
 * same handlers as the JSON API run underneath (rq->form_page switches
 * their answers to HTML).  Errors appear next to their fields, in the
 * reader's language, with what they typed kept (never the password).
 */

#include <stdio.h>
#include <string.h>

#include "accounts.h"

static int	login_show(struct http_request *);
static int	register_show(struct http_request *);

static const struct form_page register_form = {
	"register.html", "register", NULL, "registered", register_show
};
static const struct form_page login_form = {
	"login.html", "login", "/konto", NULL, login_show
};
static const struct form_page logout_form = {
	"login.html", "login", "/", NULL, NULL
};
static const struct form_page verify_form = {
	"verify.html", "verify", NULL, "verified", NULL
};
static const struct form_page reset_request_form = {
	"reset_request.html", "reset_request", NULL, "reset_sent",
	NULL
};
static const struct form_page reset_form = {
	"reset.html", "reset", NULL, "password_changed", NULL
};
static int	account_page_show(struct http_request *);

static const struct form_page account_form = {
	"account.html", "account", "/konto", NULL,
	account_page_show
};
static const struct form_page sessions_form = {
	"account.html", "account", "/anmelden", NULL,
	account_page_show
};
static const struct form_page erase_form = {
	"account.html", "account", NULL, "erased",
	account_page_show
};

/*
 * The registration form; begun from a page that asked for sign-in, it
 * carries where to go on to (form_data's "next"), into the confirmation
 * link and to the sign-in link for those who have an account after all.
 */
static int
register_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	struct strbuf	url;
	const char	*next;
	cJSON		*data;

	data = form_data(req, "register");
	if ((next = params_get(&rq->form, "next")) == NULL)
		next = params_get(&rq->params, "next");
	strbuf_init(&url, 128);
	form_signin_url(req, &url, next, NULL);
	cJSON_AddStringToObject(data, "signin_url", url.data);
	strbuf_free(&url);
	cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	return (form_render(req, data, "register.html"));
}

int
page_register(struct http_request *req)
{
	return (form_blank(req, &register_form));
}

int
page_register_post(struct http_request *req)
{
	return (form_run(req, &register_form, api_register));
}

/* Where sign-in goes on to: the form's hidden field, or ?next=. */
static const char *
signin_next(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	const char	*next;

	if ((next = params_get(&rq->form, "next")) == NULL)
		next = params_get(&rq->params, "next");
	return (next != NULL && nextpath_ok(next) ? next : NULL);
}

/*
 * The sign-in form, saying why it was asked for ("Zum Unterstützen bitte
 * anmelden"), and carrying where to go on to through a failed attempt
 * and on to the registration.
 */
static int
login_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	struct strbuf	url;
	const char	*next, *why;
	cJSON		*data;

	data = form_data(req, "login");
	if ((why = params_get(&rq->form, "why")) == NULL)
		why = params_get(&rq->params, "why");
	/* The form field is not checked by the route: only known reasons. */
	if (why != NULL && page_text(req, "signin_why", why) != why) {
		cJSON_AddStringToObject(data, "why", why);
		cJSON_AddStringToObject(data, "why_text",
		    page_text(req, "signin_why", why));
	}
	if ((next = signin_next(req)) != NULL) {
		cJSON_AddStringToObject(data, "next", next);
		strbuf_init(&url, 128);
		strbuf_appendf(&url, "/registrieren?lang=%s&next=",
		    lang_code(rq->lang));
		params_url_encode(&url, next);
		cJSON_AddStringToObject(data, "register_url", url.data);
		strbuf_free(&url);
	}
	cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	return (form_render(req, data, "login.html"));
}

int
page_login(struct http_request *req)
{
	return (form_blank(req, &login_form));
}

/* Signed in: on to the page that asked for it, else the profile. */
int
page_login_post(struct http_request *req)
{
	const char	*next;

	if ((next = signin_next(req)) != NULL &&
	    params_get(&rq_get(req)->vars, "redirect") == NULL)
		rq_var_set(req, "redirect", next);
	return (form_run(req, &login_form, api_login));
}

int
page_logout_post(struct http_request *req)
{
	return (form_run(req, &logout_form, api_logout));
}

int
page_verify(struct http_request *req)
{
	return (form_blank(req, &verify_form));
}

int
page_verify_post(struct http_request *req)
{
	return (form_run(req, &verify_form, api_verify));
}

int
page_reset_request(struct http_request *req)
{
	return (form_blank(req, &reset_request_form));
}

int
page_reset_request_post(struct http_request *req)
{
	return (form_run(req, &reset_request_form, api_reset_request));
}

int
page_reset(struct http_request *req)
{
	return (form_blank(req, &reset_form));
}

int
page_reset_post(struct http_request *req)
{
	return (form_run(req, &reset_form, api_reset_confirm));
}

int
page_pseudonym_post(struct http_request *req)
{
	return (form_run(req, &account_form, api_me_update));
}

/* The same handler: the form sends age_band only ("" for none). */
int
page_age_band_post(struct http_request *req)
{
	return (form_run(req, &account_form, api_me_update));
}

int
page_sessions_end_post(struct http_request *req)
{
	return (form_run(req, &sessions_form, api_logout_all));
}

static int
erase_confirmed(struct http_request *req)
{
	struct field_errors	fe;
	const char		*confirm;

	confirm = params_get(&rq_get(req)->form, "confirm");
	if (confirm == NULL || strcmp(confirm, "ja") != 0) {
		memset(&fe, 0, sizeof(fe));
		error_field_add(&fe, "confirm", "must be confirmed");
		return (form_show(req, 422, &fe, NULL));
	}
	return (api_erase(req));
}

int
page_erase_post(struct http_request *req)
{
	return (form_run(req, &erase_form, erase_confirmed));
}

/* POST /konto/sitzungen/{id}/beenden: only one's own; others 404. */
int
page_session_end_post(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;

	rq_get(req)->form_page = &account_form;
	if ((s = db_step(req, &op_session_revoke, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) != 1)
		return (respond_error(req, 404, NULL, NULL, NULL));
	return (form_done(req));
}

/*
 * The select's current option: band.<key> is true for the stored band
 * (band.none when none), since templates cannot look a key up by value.
 */
static void
age_band_selected(cJSON *data, const char *band)
{
	static const char *const keys[][2] = { { "under-18", "under_18" },
	    { "18-29", "b18_29" }, { "30-44", "b30_44" }, { "45-64", "b45_64" },
	    { "65-79", "b65_79" }, { "80-plus", "b80_plus" } };
	const char	*key = "none";
	size_t		i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(band, keys[i][0]) == 0)
			key = keys[i][1];
	}
	cJSON_AddBoolToObject(cJSON_AddObjectToObject(data, "band"), key, 1);
}

/*
 * A session as a person would name it: "Firefox auf Android, zuletzt
 * heute 22:07" (agent.c parses the stored User-Agent).
 */
static void
session_words(struct http_request *req, cJSON *sessions)
{
	struct agent	a;
	const char	*ua;
	cJSON		*e;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(sessions,
	    "sessions")) {
		ua = json_str(e, "user_agent");
		agent_parse(ua, ua != NULL ? strlen(ua) : 0, &a);
		cJSON_AddStringToObject(e, "browser_label",
		    page_text(req, "browsers", a.browser));
		if (strcmp(a.os, "unknown") != 0)
			cJSON_AddStringToObject(e, "os_label",
			    page_text(req, "systems", a.os));
		else
			cJSON_AddNullToObject(e, "os_label");
		page_when(req, e, "created_at", WHEN_TIME | WHEN_RELATIVE);
		page_when(req, e, "last_seen_at", WHEN_TIME | WHEN_RELATIVE);
	}
}

/*
 * The profile page: pseudonym, age band, sessions, export, erasure; shown again
 * after an error with the errors the form engine kept.
 */
static int
account_page_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *sessions;

	if ((s = db_step(req, &op_sessions, &res)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "account");
	cJSON_AddStringToObject(data, "pseudonym", rq->who.pseudonym);
	cJSON_AddBoolToObject(data, "verified", rq->who.verified);
	age_band_selected(data, rq->who.age_band);
	if ((sessions = db_json(res)) != NULL) {
		session_words(req, sessions);
		cJSON_AddItemToObject(data, "s", sessions);
	}
	cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	return (form_render(req, data, "account.html"));
}

int
page_account(struct http_request *req)
{
	return (form_blank(req, &account_form));
}

/*
 * GET /konto/export: the personal export as a file to keep, the same
 * document as GET /api/v1/me/export (which names the file the same way).
 */
int
page_export(struct http_request *req)
{
	return (api_export(req));
}
