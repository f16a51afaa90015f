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
	"register.html", "register", NULL, "registered", keep_register, NULL
};
static const struct form_page login_form = {
	"login.html", "login", "/konto", NULL, keep_email, NULL
};
static const struct form_page logout_form = {
	"login.html", "login", "/", NULL, keep_none, NULL
};
static const struct form_page verify_form = {
	"verify.html", "verify", NULL, "verified", keep_none, NULL
};
static const struct form_page reset_request_form = {
	"reset_request.html", "reset_request", NULL, "reset_sent", keep_email,
	NULL
};
static const struct form_page reset_form = {
	"reset.html", "reset", NULL, "password_changed", keep_none, NULL
};
static int	account_page_show(struct http_request *);

static const struct form_page account_form = {
	"account.html", "account", "/konto", NULL, keep_none,
	account_page_show
};
static const struct form_page sessions_form = {
	"account.html", "account", "/anmelden", NULL, keep_none,
	account_page_show
};
static const struct form_page erase_form = {
	"account.html", "account", NULL, "erased", keep_none,
	account_page_show
};

static const char *
translate(struct http_request *req, const char *group, const char *key)
{
	return (page_text(req, group, key));
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
 * A page with data of its own cannot query inside the handler that failed
 * (it may fail inside a query step): remember the errors for f->show,
 * which form_run() calls once that handler has returned.
 */
static int
form_defer(struct http_request *req, int status,
    const struct field_errors *fe, const char *message_key)
{
	struct rq	*rq = rq_get(req);

	/* Kept only for this rare path: not in every request's state. */
	if (rq->resume_fe == NULL)
		rq->resume_fe = kore_calloc(1, sizeof(*rq->resume_fe));
	if (fe != NULL)
		*rq->resume_fe = *fe;
	rq->resume_status = status;
	rq->resume_message = message_key;
	rq->resume = rq->form_page->show;
	return (KORE_RESULT_RETRY);
}

/*
 * Runs a form's handler (the API's, usually); a page that was deferred
 * by form_defer() is shown now, and by dispatch() when Kore calls back.
 */
int
form_run(struct http_request *req, const struct form_page *f,
    int (*handler)(struct http_request *))
{
	struct rq	*rq = rq_get(req);
	int		ret;

	rq->form_page = f;
	ret = handler(req);
	if (rq->resume == NULL || req->status != 0)
		return (ret);
	db_clear_failure(&rq->db);
	return (rq->resume(req));
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

	if (f->show != NULL)
		return (form_defer(req, status, fe, message_key));
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
	struct rq		*rq = rq_get(req);
	const struct form_page	*f = rq->form_page;
	const char		*to;
	cJSON			*data;
	char			key[64];

	/* A page's own target (the idea a form was on) comes first. */
	if ((to = params_get(&rq->vars, "redirect")) == NULL)
		to = f->redirect;
	if (to != NULL) {
		http_response_header(req, "location", to);
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
	return (form_run(req, f, handler));
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

static int
erase_confirmed(struct http_request *req)
{
	struct field_errors	fe;
	const char		*confirm;

	confirm = params_get(&rq_get(req)->form, "confirm");
	if (confirm == NULL || strcmp(confirm, "ja") != 0) {
		memset(&fe, 0, sizeof(fe));
		field_errors_add(&fe, "confirm", "must be confirmed");
		return (form_show(req, 422, &fe, NULL));
	}
	return (api_erase(req));
}

int
page_erase_post(struct http_request *req)
{
	return (run(req, &erase_form, erase_confirmed));
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
 * The profile page: pseudonym, sessions, export, erasure; shown again
 * after an error with the errors form_defer() kept.
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
account_page_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	return (account_page(req, rq->resume_fe->count > 0 ? 422 :
	    rq->resume_status, rq->resume_fe));
}

int
page_account(struct http_request *req)
{
	return (account_page(req, 200, NULL));
}
