/*
 * The form engine every capability's HTML forms use.  A form runs the
 * API's own handler with rq->form_page set (form_run), so every check and
 * every write is the API's; respond_fields() and respond_done() then call
 * back here to show the form again or to go on.
 *
 * What a template sees, on every form:
 *   f.<field>          what the person typed (never a password or token)
 *   f.errors.<field>   the reason, next to the field
 *   form_errors        a summary on top, each entry linking to its field
 *                      (#<prefix><field>), shown by {{>form_message}}
 *   message            one sentence above the summary
 * A page with several forms puts each form's state under its own key with
 * its own id prefix (form_state).
 */

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mitwirken.h"

/* Form fields never shown again: secrets, the CSRF token, the traps. */
static const char *const not_kept[] = { "csrf_token", "website",
    "form_stamp", "password", "token", NULL };

/* The failed submission, for the page that shows the form again. */
static void
form_remember(struct http_request *req, int status,
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
	rq->form_again = 1;
}

/*
 * Runs a form's handler (the API's, usually).  A page with data of its own
 * cannot query inside the handler that failed (it may have failed inside a
 * query step): form_show() leaves it to f->show, called here once that
 * handler has returned, and by dispatch() when Kore calls back.
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

/* GET of a form page: the empty form. */
int
form_blank(struct http_request *req, const struct form_page *f)
{
	rq_get(req)->form_page = f;
	if (f->show != NULL)
		return (f->show(req));
	return (form_render(req, form_data(req, f->title_key),
	    f->template));
}

/* The form again, with errors next to its fields and the input kept. */
int
form_show(struct http_request *req, int status, const struct field_errors *fe,
    const char *message_key)
{
	struct rq		*rq = rq_get(req);
	const struct form_page	*f = rq->form_page;

	form_remember(req, status, fe, message_key);
	if (f->show != NULL) {
		rq->resume = f->show;
		return (KORE_RESULT_RETRY);
	}
	return (form_render(req, form_data(req, f->title_key),
	    f->template));
}

static void	signin_link(struct http_request *, cJSON *);

/* Message pages after which the next step is signing in. */
static const char *const signin_after[] = { "verified", "password_changed",
    NULL };

/* After success: a redirect (303, so reloading does not resubmit). */
int
form_done(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	const struct form_page	*f = rq->form_page;
	const char		*to;
	cJSON			*data;

	/* A page's own target (the idea a form was on) comes first. */
	if ((to = params_get(&rq->vars, "redirect")) == NULL)
		to = f->redirect;
	if (to != NULL) {
		http_response_header(req, "location", to);
		return (respond(req, 303, NULL, NULL, 0));
	}
	data = page_new(req, f->done_key);
	cJSON_AddStringToObject(data, "text", page_text(req, "done",
	    f->done_key));
	if (input_one_of(f->done_key, signin_after))
		signin_link(req, data);
	return (page_with(req, 200, data, "message.html"));
}

/*
 * /anmelden?lang=…&next=…&why=…: the sign-in page, told where to go on
 * to and why it was needed; a next that is no local path is left out.
 */
void
form_signin_url(struct http_request *req, struct strbuf *url,
    const char *next, const char *why)
{
	strbuf_appendf(url, "/anmelden?lang=%s", lang_code(rq_get(req)->lang));
	if (next != NULL && nextpath_ok(next)) {
		strbuf_appends(url, "&next=");
		params_url_encode(url, next);
	}
	if (why != NULL) {
		strbuf_appends(url, "&why=");
		params_url_encode(url, why);
	}
}

/* The confirmation and new-password pages: on to sign-in, and beyond. */
static void
signin_link(struct http_request *req, cJSON *data)
{
	struct rq	*rq = rq_get(req);
	struct strbuf	url;
	const char	*next;

	if ((next = params_get(&rq->form, "next")) == NULL)
		next = params_get(&rq->params, "next");
	strbuf_init(&url, 128);
	form_signin_url(req, &url, next, NULL);
	cJSON_AddStringToObject(data, "signin_url", url.data);
	strbuf_free(&url);
}

/*
 * What every page with forms starts from: the title, and after a failed
 * submission the message and an empty summary for form_state to fill.  A
 * simple form page gets its one form's state under "f" here.
 */
cJSON *
form_data(struct http_request *req, const char *title_key)
{
	struct rq	*rq = rq_get(req);
	cJSON		*data;
	const char	*token;

	data = page_new(req, title_key);
	cJSON_AddArrayToObject(data, "form_errors");
	if ((token = params_get(&rq->form, "token")) != NULL ||
	    (token = params_get(&rq->params, "token")) != NULL)
		cJSON_AddStringToObject(data, "token", token);
	/* Where sign-in goes on to, through a form that leads there. */
	if (((token = params_get(&rq->form, "next")) != NULL ||
	    (token = params_get(&rq->params, "next")) != NULL) &&
	    nextpath_ok(token))
		cJSON_AddStringToObject(data, "next", token);
	if (!rq->form_again)
		return (data);
	if (rq->resume_fe->count > 0)
		cJSON_AddStringToObject(data, "message",
		    page_text(req, "messages", "check_fields"));
	else if (rq->resume_message != NULL)
		cJSON_AddStringToObject(data, "message",
		    page_text(req, "messages", rq->resume_message));
	if (rq->form_page != NULL && rq->form_page->show == NULL)
		cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	return (data);
}

static int
kept(const char *name)
{
	return (!input_one_of(name, not_kept));
}

/*
 * The failed form's state: errors by field, the input kept, and entries
 * in data's summary linking to each field (ids are prefix + field).
 */
cJSON *
form_state(struct http_request *req, cJSON *data, const char *prefix)
{
	struct rq			*rq = rq_get(req);
	const struct field_errors	*fe = rq->resume_fe;
	cJSON				*state, *errors, *summary, *item;
	const char			*reason, *label;
	char				href[128];
	int				i;

	state = cJSON_CreateObject();
	errors = cJSON_AddObjectToObject(state, "errors");
	summary = cJSON_GetObjectItemCaseSensitive(data, "form_errors");
	for (i = 0; fe != NULL && i < fe->count; i++) {
		reason = page_text(req, "reasons", fe->items[i].reason);
		cJSON_AddStringToObject(errors, fe->items[i].field, reason);
		item = cJSON_CreateObject();
		label = page_text(req, "labels", fe->items[i].field);
		/* A field no form of ours has (a tampered request): no link. */
		if (label == fe->items[i].field) {
			cJSON_AddNullToObject(item, "href");
		} else {
			(void)snprintf(href, sizeof(href), "#%s%s", prefix,
			    fe->items[i].field);
			cJSON_AddStringToObject(item, "href", href);
		}
		cJSON_AddStringToObject(item, "label", label);
		cJSON_AddStringToObject(item, "reason", reason);
		cJSON_AddItemToArray(summary, item);
	}
	for (i = 0; i < rq->form.count; i++) {
		if (kept(rq->form.items[i].name))
			cJSON_AddStringToObject(state, rq->form.items[i].name,
			    rq->form.items[i].value);
	}
	return (state);
}

/* 200 for a fresh form; after a failure, its status (422 for fields). */
static int
form_status(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (!rq->form_again)
		return (200);
	if (rq->resume_fe->count > 0)
		return (rq->resume_status >= 400 ? rq->resume_status : 422);
	return (rq->resume_status);
}

/* Renders a page with forms; consumes data. */
int
form_render(struct http_request *req, cJSON *data, const char *template)
{
	const cJSON	*summary;

	summary = cJSON_GetObjectItemCaseSensitive(data, "form_errors");
	/* A mustache section over an array repeats: the list needs a flag. */
	cJSON_AddBoolToObject(data, "has_form_errors",
	    cJSON_GetArraySize(summary) > 0);
	/* Without a session, the form still needs a token (login CSRF). */
	session_form_token(req);
	return (page_with(req, form_status(req), data, template));
}

static enum stamp_verdict
form_stamp_check(const char *stamp)
{
	return (stamp_check(&mw_keys, stamp, (long long)time(NULL),
	    mw_config.form_min_seconds, mw_config.form_max_seconds));
}

/* The stamp to send with a form: the one sent, if it is good, or new. */
void
form_stamp_field(struct http_request *req, cJSON *data)
{
	const char	*sent;
	char		stamp[64];

	sent = params_get(&rq_get(req)->form, "form_stamp");
	if (form_stamp_check(sent) == STAMP_OK) {
		cJSON_AddStringToObject(data, "form_stamp", sent);
		return;
	}
	stamp_new(&mw_keys, (long long)time(NULL), stamp, sizeof(stamp));
	cJSON_AddStringToObject(data, "form_stamp", stamp);
}

/* Why a stamp is refused (the message key), or NULL. */
static const char *
stamp_refusal(const char *stamp)
{
	switch (form_stamp_check(stamp)) {
	case STAMP_OK:
		return (NULL);
	case STAMP_TOO_YOUNG:
		return ("too_fast");
	case STAMP_EXPIRED:
		return ("form_expired");
	default:
		return ("stamp_invalid");
	}
}

/*
 * Bots fill every field, humans leave the hidden "website" empty; bots
 * send at once, humans take a while, but not for ever: a form shown more
 * than MITWIRKEN_FORM_MAX_SECONDS ago has expired.  The stamp is signed,
 * so it cannot be back-dated.  Refused: the form again, nothing stored.
 * Shared by the submission forms (ideas, defect reports).
 */
int
form_human(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	const char	*honeypot, *why;

	honeypot = params_get(&rq->form, "website");
	why = NULL;
	if (honeypot != NULL && *honeypot != '\0')
		why = "honeypot";
	else
		why = stamp_refusal(params_get(&rq->form, "form_stamp"));
	if (why == NULL)
		return (MW_OK);
	kore_log(LOG_NOTICE, "form refused id=%s account=%lld reason=%s",
	    rq->id, (long long)rq->who.account_id, why);
	form_show(req, 422, NULL, why);
	return (MW_ERROR);
}

/*
 * After success, back to the page the form was on, with a "done" key the
 * page turns into a confirmation (page_notice) and the reader's language
 * kept: an administrator sees at once that the change was stored.
 */
void
form_redirect_done(struct http_request *req, const char *path,
    const char *done)
{
	rq_var_setf(req, "redirect", "%s%sdone=%s&lang=%s", path,
	    strchr(path, '?') != NULL ? "&" : "?", done,
	    lang_code(rq_get(req)->lang));
}
