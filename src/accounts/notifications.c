/*
 * Notification switches (README "Notifications"): which kinds of e-mail
 * about one's own contributions a person gets, and in which language.
 * GET/PATCH /api/v1/me/notifications; the profile page and the
 * unsubscribe link run the same statement (notification_pages.c).  The
 * mails themselves are queued by the database in the transaction of their
 * event and written by the mailer.
 */

#include <string.h>

#include "accounts.h"

static const char SQL_NOTIFICATIONS[] =
    "SELECT notification_settings_json($1::bigint)::text";

/* $2: only the switches given, as a JSON object. */
static const char SQL_NOTIFICATIONS_SET[] =
    "SELECT notification_settings_set($1::bigint, $2::jsonb)::text";

static const char *const me_args[] = { "me", NULL };
static const char *const set_args[] = { "me", "values", NULL };

const struct db_op op_notifications = {
	.name = "notifications", .sql = SQL_NOTIFICATIONS, .kind = DB_READ,
	.args = me_args, .done = db_send_json,
};
static const struct db_op op_notifications_set = {
	.name = "notifications_set", .sql = SQL_NOTIFICATIONS_SET,
	.kind = DB_WRITE, .args = set_args,
};

static const char *const mail_langs[] = { "de", "en", NULL };

/*
 * The switches given, as JSON for the statement.  A form sends every
 * switch (an unticked checkbox is absent, so off); JSON only the ones
 * to change.
 */
static int
notification_values(struct http_request *req, struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	const cJSON	*v;
	const char	*lang;
	cJSON		*values;
	char		*json;
	int		i;

	values = cJSON_CreateObject();
	if ((lang = input_text(req, "lang")) != NULL) {
		if (input_one_of(lang, mail_langs))
			cJSON_AddStringToObject(values, "lang", lang);
		else
			error_field_add(fe, "lang", "must be de or en");
	}
	for (i = 0; notify_kinds[i] != NULL; i++) {
		if (rq->body != NULL) {
			v = cJSON_GetObjectItemCaseSensitive(rq->body,
			    notify_kinds[i]);
			if (cJSON_IsBool(v))
				cJSON_AddBoolToObject(values, notify_kinds[i],
				    cJSON_IsTrue(v));
		} else if (rq->form_page != NULL) {
			cJSON_AddBoolToObject(values, notify_kinds[i],
			    params_get(&rq->form, notify_kinds[i]) != NULL);
		}
	}
	json = cJSON_PrintUnformatted(values);
	cJSON_Delete(values);
	rq_var_set(req, "values", json);
	cJSON_free(json);
	return (fe->count == 0);
}

/* PATCH /api/v1/me/notifications (and the profile page's form). */
int
api_notifications_update(struct http_request *req)
{
	static const struct input_field fields[] = {
		{ "lang", IN_TEXT, NULL },
		{ "idea_decision", IN_BOOL, NULL },
		{ "idea_status", IN_BOOL, NULL },
		{ "comment_reply", IN_BOOL, NULL },
		{ "defect_status", IN_BOOL, NULL },
		{ NULL, 0, NULL }
	};
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!input_fields(req, fields, &fe) ||
		    !notification_values(req, &fe))
			return (respond_fields(req, 422, &fe));
	}
	if ((s = db_step(req, &op_notifications_set, &res)) != DB_DONE)
		return (db_yield(s));
	return (db_send_json(req, res, &op_notifications_set));
}
