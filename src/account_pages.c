/*
 * The account flows as plain HTML forms that work without JavaScript: the
 * same handlers as the JSON API run underneath (rq->form_page switches
 * their answers to HTML).  Errors appear next to their fields, in the
 * reader's language, with what they typed kept (never the password).
 */

#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

static const char *const keep_email[] = { "email", NULL };
static const char *const keep_register[] = { "email", "pseudonym", NULL };
static const char *const keep_none[] = { NULL };

static const struct form_page register_form = {
	"register.html", "register", NULL, "registered", keep_register
};
static const struct form_page login_form = {
	"login.html", "login", "/konto", NULL, keep_email
};
static const struct form_page logout_form = {
	"login.html", "login", "/", NULL, keep_none
};
static const struct form_page verify_form = {
	"verify.html", "verify", NULL, "verified", keep_none
};
static const struct form_page reset_request_form = {
	"reset_request.html", "reset_request", NULL, "reset_sent", keep_email
};
static const struct form_page reset_form = {
	"reset.html", "reset", NULL, "password_changed", keep_none
};
static const struct form_page account_form = {
	"account.html", "account", "/konto", NULL, keep_none
};
static const struct form_page sessions_form = {
	"account.html", "account", "/anmelden", NULL, keep_none
};
static const struct form_page erase_form = {
	"account.html", "account", NULL, "erased", keep_none
};

/* t.reasons["required"] → "Bitte ausfüllen."; unknown reasons as given. */
static const char *
translate(struct http_request *req, const char *group, const char *key)
{
	const cJSON	*g, *v;

	g = cJSON_GetObjectItemCaseSensitive(page_catalog(rq_get(req)->lang),
	    group);
	v = cJSON_GetObjectItemCaseSensitive(g, key);
	return (cJSON_IsString(v) ? v->valuestring : key);
}

static cJSON *
page_data(struct http_request *req, const char *title_key)
{
	cJSON	*data;
	char	key[64];

	data = cJSON_CreateObject();
	(void)snprintf(key, sizeof(key), "%s", title_key);
	cJSON_AddStringToObject(data, "title", translate(req, "titles", key));
	return (data);
}

/* Whether the form has a place for this field's error. */
static int
has_field(const struct form_page *f, const char *field)
{
	int	i;

	if (strcmp(field, "password") == 0 || strcmp(field, "token") == 0 ||
	    strcmp(field, "confirm") == 0)
		return (1);
	for (i = 0; f->keep[i] != NULL; i++) {
		if (strcmp(f->keep[i], field) == 0)
			return (1);
	}
	return (0);
}

/*
 * The form, with errors next to fields and the input kept; errors for
 * fields the form does not have (a tampered request) are listed on top.
 */
int
form_show(struct http_request *req, int status, const struct field_errors *fe,
    const char *message_key)
{
	struct rq		*rq = rq_get(req);
	const struct form_page	*f = rq->form_page;
	const char		*v, *reason;
	cJSON			*data, *form, *errors, *other, *item;
	int			i;

	/* The profile page shows its data again around the error. */
	if (strcmp(f->template, "account.html") == 0)
		return (page_account_errors(req, fe));
	data = page_data(req, f->title_key);
	form = cJSON_AddObjectToObject(data, "form");
	for (i = 0; f->keep[i] != NULL; i++) {
		if ((v = params_get(&rq->form, f->keep[i])) != NULL)
			cJSON_AddStringToObject(form, f->keep[i], v);
	}
	if ((v = params_get(&rq->form, "token")) != NULL ||
	    (v = params_get(&rq->params, "token")) != NULL)
		cJSON_AddStringToObject(data, "token", v);
	errors = cJSON_AddObjectToObject(data, "errors");
	other = cJSON_AddArrayToObject(data, "other_errors");
	for (i = 0; fe != NULL && i < fe->count; i++) {
		reason = translate(req, "reasons", fe->items[i].reason);
		if (has_field(f, fe->items[i].field)) {
			cJSON_AddStringToObject(errors, fe->items[i].field,
			    reason);
		} else {
			item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "field",
			    fe->items[i].field);
			cJSON_AddStringToObject(item, "reason", reason);
			cJSON_AddItemToArray(other, item);
		}
	}
	/* A mustache section over an array repeats: the list needs a flag. */
	cJSON_AddBoolToObject(data, "has_other_errors",
	    cJSON_GetArraySize(other) > 0);
	if (fe != NULL && fe->count > 0)
		cJSON_AddStringToObject(data, "message",
		    translate(req, "messages", "check_fields"));
	else if (message_key != NULL)
		cJSON_AddStringToObject(data, "message",
		    translate(req, "messages", message_key));
	return (page_with(req, status, data, f->template));
}

/* After success: a redirect (303, so reloading does not resubmit). */
int
form_done(struct http_request *req)
{
	const struct form_page	*f = rq_get(req)->form_page;
	cJSON			*data;
	char			key[64];

	if (f->redirect != NULL) {
		http_response_header(req, "location", f->redirect);
		return (respond(req, 303, NULL, NULL, 0));
	}
	data = page_data(req, f->done_key);
	(void)snprintf(key, sizeof(key), "%s", f->done_key);
	cJSON_AddStringToObject(data, "text", translate(req, "done", key));
	return (page_with(req, 200, data, "message.html"));
}

static int
show(struct http_request *req, const struct form_page *f)
{
	rq_get(req)->form_page = f;
	return (form_show(req, 200, NULL, NULL));
}

static int
run(struct http_request *req, const struct form_page *f,
    int (*handler)(struct http_request *))
{
	rq_get(req)->form_page = f;
	return (handler(req));
}

int
page_register(struct http_request *req)
{
	return (show(req, &register_form));
}

int
page_register_post(struct http_request *req)
{
	return (run(req, &register_form, api_register));
}

int
page_login(struct http_request *req)
{
	return (show(req, &login_form));
}

int
page_login_post(struct http_request *req)
{
	return (run(req, &login_form, api_login));
}

int
page_logout_post(struct http_request *req)
{
	return (run(req, &logout_form, api_logout));
}

int
page_verify(struct http_request *req)
{
	return (show(req, &verify_form));
}

int
page_verify_post(struct http_request *req)
{
	return (run(req, &verify_form, api_verify));
}

int
page_reset_request(struct http_request *req)
{
	return (show(req, &reset_request_form));
}

int
page_reset_request_post(struct http_request *req)
{
	return (run(req, &reset_request_form, api_reset_request));
}

int
page_reset(struct http_request *req)
{
	return (show(req, &reset_form));
}

int
page_reset_post(struct http_request *req)
{
	return (run(req, &reset_form, api_reset_confirm));
}

int
page_pseudonym_post(struct http_request *req)
{
	return (run(req, &account_form, api_me_update));
}

int
page_sessions_end_post(struct http_request *req)
{
	return (run(req, &sessions_form, api_logout_all));
}

int
page_erase_post(struct http_request *req)
{
	struct field_errors	fe;
	const char		*confirm;

	confirm = params_get(&rq_get(req)->form, "confirm");
	if (confirm == NULL || strcmp(confirm, "ja") != 0) {
		memset(&fe, 0, sizeof(fe));
		field_errors_add(&fe, "confirm", "must be confirmed");
		rq_get(req)->form_page = &erase_form;
		return (form_show(req, 422, &fe, NULL));
	}
	return (run(req, &erase_form, api_erase));
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

static int	account_page_resume(struct http_request *);

/*
 * The profile page: pseudonym, sessions, export, erasure.  Shown again
 * after an error it needs a query of its own: Kore then calls back
 * account_page_resume() instead of the handler that failed.
 */
static int
account_page(struct http_request *req, int status,
    const struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *sessions, *errors;
	int		i;

	if (fe != NULL && fe != rq->resume_fe) {
		/* Kept only for this rare path: not in every request's state. */
		if (rq->resume_fe == NULL)
			rq->resume_fe = kore_calloc(1, sizeof(*rq->resume_fe));
		*rq->resume_fe = *fe;
		rq->resume_status = fe->count > 0 ? 422 : status;
		rq->resume = account_page_resume;
		db_clear_failure(&rq->db);
	}
	fe = rq->resume != NULL ? rq->resume_fe : NULL;
	if (rq->resume != NULL)
		status = rq->resume_status;
	if ((s = db_step(req, &op_sessions, &res)) != DB_DONE)
		return (db_yield(s));
	data = page_data(req, "account");
	cJSON_AddStringToObject(data, "pseudonym", rq->who.pseudonym);
	cJSON_AddBoolToObject(data, "verified", rq->who.verified);
	sessions = cJSON_ParseWithLength(PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0));
	if (sessions != NULL)
		cJSON_AddItemToObject(data, "s", sessions);
	errors = cJSON_AddObjectToObject(data, "errors");
	for (i = 0; fe != NULL && i < fe->count; i++)
		cJSON_AddStringToObject(errors, fe->items[i].field,
		    translate(req, "reasons", fe->items[i].reason));
	if (fe != NULL && fe->count > 0)
		cJSON_AddStringToObject(data, "message",
		    translate(req, "messages", "check_fields"));
	return (page_with(req, status, data, "account.html"));
}

static int
account_page_resume(struct http_request *req)
{
	return (account_page(req, 0, rq_get(req)->resume_fe));
}

int
page_account(struct http_request *req)
{
	return (account_page(req, 200, NULL));
}

int
page_account_errors(struct http_request *req, const struct field_errors *fe)
{
	return (account_page(req, 422, fe));
}
