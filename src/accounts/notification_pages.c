/*
 * The notification pages: the switches in the profile
 * (/konto/benachrichtigungen, the API's handler underneath) and the
 * unsubscribe link of every notification (/abbestellen), which works
 * without signing in.
 *
 * Unsubscribing: GET only shows what the link would switch off and one
 * button, since mail scanners and link previews fetch links; the POST
 * switches it off.  The POST is also RFC 8058's one-click unsubscribe,
 * sent by a mail provider's server without cookies, so it carries no
 * CSRF token: the token in the link is itself the proof (a MAC over the
 * account and the kind, src/lib/unsubscribe.c) that a third-party page
 * cannot produce, and all it can do is switch one kind of mail off.
 */

#include <string.h>

#include "accounts.h"

static const char SQL_UNSUBSCRIBE[] =
    "SELECT notification_settings_set($1::bigint,"
    " jsonb_build_object($2::text, false))";

static const char *const unsubscribe_args[] = { "unsub_account",
    "unsub_kind", NULL };

static const struct db_op op_unsubscribe = {
	.name = "unsubscribe", .sql = SQL_UNSUBSCRIBE, .kind = DB_WRITE,
	.args = unsubscribe_args,
};

static int	notifications_show(struct http_request *);

static const struct form_page notifications_form = {
	"notifications.html", "notifications",
	"/konto/benachrichtigungen?gespeichert=1", NULL, notifications_show
};

/* The switches as stored (or, after a refused form, as stored still). */
/* What a switch covers beyond its label (defect_status: messages too). */
static void
kind_hint(struct http_request *req, cJSON *obj, const char *kind)
{
	const char	*hint;

	hint = page_text(req, "notification_kind_hints", kind);
	if (hint != kind)
		cJSON_AddStringToObject(obj, "hint", hint);
}

static int
notifications_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *stored, *kinds, *kind, *lang;
	int		i;

	if ((s = db_step(req, &op_notifications, &res)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "notifications");
	if ((stored = db_json(res)) == NULL)
		stored = cJSON_CreateObject();
	kinds = cJSON_AddArrayToObject(data, "kinds");
	for (i = 0; notify_kinds[i] != NULL; i++) {
		kind = cJSON_CreateObject();
		cJSON_AddStringToObject(kind, "name", notify_kinds[i]);
		cJSON_AddStringToObject(kind, "label", page_text(req,
		    "notification_kinds", notify_kinds[i]));
		kind_hint(req, kind, notify_kinds[i]);
		cJSON_AddBoolToObject(kind, "on", cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(stored, notify_kinds[i])));
		cJSON_AddItemToArray(kinds, kind);
	}
	lang = cJSON_GetObjectItemCaseSensitive(stored, "lang");
	cJSON_AddBoolToObject(data, "lang_en", cJSON_IsString(lang) &&
	    strcmp(lang->valuestring, "en") == 0);
	cJSON_AddBoolToObject(data, "saved",
	    params_get(&rq->params, "gespeichert") != NULL && !rq->form_again);
	cJSON_Delete(stored);
	cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	return (form_render(req, data, "notifications.html"));
}

int
page_notifications(struct http_request *req)
{
	return (form_blank(req, &notifications_form));
}

int
page_notifications_post(struct http_request *req)
{
	return (form_run(req, &notifications_form, api_notifications_update));
}

/* The link's token (query, or the confirmation form's field), checked. */
static int
unsubscribe_token(struct http_request *req, const char **token, int *kind)
{
	struct rq	*rq = rq_get(req);
	long long	account;

	if ((*token = params_get(&rq->form, "t")) == NULL)
		*token = params_get(&rq->params, "t");
	if (!unsub_check(&mw_keys, *token, &account, kind))
		return (MW_ERROR);
	rq_var_setf(req, "unsub_account", "%lld", account);
	rq_var_set(req, "unsub_kind", notify_kinds[*kind]);
	return (MW_OK);
}

/* GET /abbestellen?t=…: what the button would switch off; no change. */
int
page_unsubscribe(struct http_request *req)
{
	const char	*token;
	cJSON		*data;
	int		kind;

	if (!unsubscribe_token(req, &token, &kind))
		return (page_error(req, 400, "unsubscribe_link"));
	data = page_new(req, "unsubscribe");
	cJSON_AddStringToObject(data, "kind_label", page_text(req,
	    "notification_kinds", notify_kinds[kind]));
	kind_hint(req, data, notify_kinds[kind]);
	cJSON_AddStringToObject(data, "unsub_token", token);
	return (page_with(req, 200, data, "unsubscribe.html"));
}

/* POST /abbestellen: the button, or a mail provider's one-click POST. */
int
page_unsubscribe_post(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	const char	*token;
	PGresult	*res;
	enum db_status	s;
	cJSON		*data;
	int		kind;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!unsubscribe_token(req, &token, &kind))
			return (page_error(req, 400, "unsubscribe_link"));
	}
	if ((s = db_step(req, &op_unsubscribe, &res)) != DB_DONE)
		return (db_yield(s));
	/* An erased account has nothing to switch off: the same answer. */
	data = page_new(req, "unsubscribed");
	cJSON_AddStringToObject(data, "text", page_text(req,
	    "notification_unsubscribed", params_get(&rq->vars,
	    "unsub_kind")));
	return (page_with(req, 200, data, "message.html"));
}
