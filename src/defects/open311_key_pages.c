/*
 * The administration in the browser, its Open311 part: the API keys of
 * the partners' apps, listed without the keys; a new key shown once, on
 * the page that issued it, with the warning that it cannot be shown
 * again (only its keyed hash is stored); a revocation after a ticked
 * confirmation.  The checks and statements are the API's
 * (open311_keys.c); each issue and revocation is in the audit log.
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "defects.h"

/*
 * A repeated submit (a double click, a reload of the POST) must not issue
 * a second key unnoticed.  Post/Redirect/Get would need the new key kept
 * somewhere until the next page shows it: a second copy of a secret that
 * is otherwise never stored (only its keyed hash is).  So the page that
 * issued the key shows it, and the form carries a signed form stamp
 * (stamp.c, as the submission forms do) with a random part of its own
 * ("<stamp>:<43 random characters>": a stamp alone has a resolution of
 * a second, and two forms shown in the same second must not share it).
 * It is spent with the key: the same statement records it as one of the
 * admin's idempotency keys ('form:open311-key:<value>', swept after 24
 * hours) and issues the key only if it was not recorded before.  A second send of the same form
 * finds it spent and says so (409); nothing is issued.  A stamp older
 * than KEY_FORM_MAX (well below the sweep's 24 hours) is refused, so a
 * swept stamp can never be spent twice.
 */
#define KEY_FORM_MAX	(12 * 3600)

static const char SQL_KEY_CREATE_ONCE[] =
    "WITH once AS (INSERT INTO idempotency_keys (scope, key, request_hash)"
    "  VALUES ('a:' || $1::bigint, 'form:open311-key:' || $4,"
    "  sha256(convert_to($4, 'UTF8')))"
    "  ON CONFLICT (scope, key) DO NOTHING RETURNING 1)"
    " SELECT open311_key_create($1::bigint, $2, $3::bytea) FROM once";

static const char *const create_once_args[] = { "me", "name", "key_hash",
    "form_stamp", NULL };

static const struct db_op op_key_create_once = {
	.name = "open311_key_create_once", .sql = SQL_KEY_CREATE_ONCE,
	.kind = DB_WRITE, .args = create_once_args,
};

static int	keys_show(struct http_request *);

static const struct form_page create_form = {
	"admin_open311.html", "admin_open311", NULL, NULL, keys_show
};
static const struct form_page revoke_form = {
	"admin_open311.html", "admin_open311", NULL, NULL, keys_show
};

/* A revocation's errors stay with its key, ids key-<id>-<field>. */
static void
keys_failed(struct http_request *req, cJSON *data, cJSON *keys)
{
	struct rq	*rq = rq_get(req);
	const char	*id;
	char		prefix[40], num[24];
	cJSON		*k, *f;

	id = params_get(&rq->params, "id");
	(void)snprintf(prefix, sizeof(prefix), "key-%s-", id);
	f = form_state(req, data, prefix);
	cJSON_ArrayForEach(k, keys) {
		(void)snprintf(num, sizeof(num), "%.0f", json_num(k, "id"));
		if (strcmp(num, id) == 0)
			cJSON_AddItemToObject(k, "errors", cJSON_Duplicate(
			    cJSON_GetObjectItemCaseSensitive(f, "errors"), 1));
	}
	cJSON_Delete(f);
}

/* The keys; after an issue, the new key once (201). */
static int
keys_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	const char	*key;
	char		stamp[64], nonce[TOKEN_LEN + 1];
	cJSON		*data, *doc, *k;

	if ((s = db_step(req, &op_open311_keys, &res)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "admin_open311");
	page_notice(req, data);
	doc = db_json(res);
	cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(doc, "keys")) {
		page_date(req, k, "created_at");
		page_date(req, k, "revoked_at");
		page_date(req, k, "last_used_at");
	}
	if (rq->form_page == &revoke_form && rq->form_again) {
		keys_failed(req, data, cJSON_GetObjectItemCaseSensitive(doc,
		    "keys"));
		cJSON_AddItemToObject(data, "f", cJSON_CreateObject());
	} else if (!rq->form_again && params_get(&rq->vars, "key") != NULL) {
		/* Issued: an empty form, not a second key under the same name. */
		cJSON_AddItemToObject(data, "f", cJSON_CreateObject());
	} else {
		cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	}
	if (doc != NULL)
		cJSON_AddItemToObject(data, "k", doc);
	/* Always a new one: the one just sent may be spent. */
	stamp_new(&mw_keys, (long long)time(NULL), stamp, sizeof(stamp));
	token_new(nonce);
	cJSON_AddStringToObject(data, "form_stamp", stamp);
	cJSON_AddStringToObject(data, "form_once", nonce);
	if (!rq->form_again && (key = params_get(&rq->vars, "key")) != NULL) {
		cJSON_AddStringToObject(data, "new_key", key);
		cJSON_AddStringToObject(data, "new_name",
		    params_get(&rq->vars, "name"));
	}
	return (form_render(req, data, "admin_open311.html"));
}

int
page_admin_open311(struct http_request *req)
{
	return (form_blank(req, &create_form));
}

/* "<stamp>:<nonce>": NULL if good, else the message key for the page. */
static const char *
key_stamp_refusal(const char *value)
{
	const char	*colon;
	char		stamp[64];
	long long	age;
	size_t		i, n;

	if (value == NULL || (colon = strchr(value, ':')) == NULL)
		return ("stamp_invalid");
	n = (size_t)(colon - value);
	if (n >= sizeof(stamp) || strlen(colon + 1) != TOKEN_LEN)
		return ("stamp_invalid");
	for (i = 1; i <= TOKEN_LEN; i++) {
		if (!isalnum((unsigned char)colon[i]) && colon[i] != '-' &&
		    colon[i] != '_')
			return ("stamp_invalid");
	}
	memcpy(stamp, value, n);
	stamp[n] = '\0';
	if (!stamp_age(&mw_keys, stamp, (long long)time(NULL), &age) ||
	    age < 0)
		return ("stamp_invalid");
	if (age > KEY_FORM_MAX || age > mw_config.form_max_seconds)
		return ("form_expired");
	return (NULL);
}

/* Issues the key once per form; the page itself shows it (see above). */
static int
key_create_form(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;
	const char		*why, *stamp;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		stamp = params_get(&rq->form, "form_stamp");
		if ((why = key_stamp_refusal(stamp)) != NULL)
			return (form_show(req, 422, NULL, why));
		rq_var_set(req, "form_stamp", stamp);
		if (!open311_key_prepare(req, &fe))
			return (respond_fields(req, 422, &fe));
	}
	if ((s = db_step(req, &op_key_create_once, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) == 0) {
		kore_log(LOG_NOTICE, "open311 key form sent again id=%s "
		    "account=%lld", rq->id, (long long)rq->who.account_id);
		return (form_show(req, 409, NULL, "key_already_issued"));
	}
	return (keys_show(req));
}

/* POST /verwaltung/open311: name. */
int
page_admin_open311_post(struct http_request *req)
{
	return (form_run(req, &create_form, key_create_form));
}

static int
key_revoke_form(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (params_get(&rq->form, "confirm") == NULL) {
			error_field_add(&fe, "confirm", "required");
			return (respond_fields(req, 422, &fe));
		}
		form_redirect_done(req, "/verwaltung/open311", "key-revoked");
	}
	return (db_request(req, &op_open311_key_revoke));
}

/* POST /verwaltung/open311/{id}/widerrufen: confirm. */
int
page_admin_open311_revoke_post(struct http_request *req)
{
	return (form_run(req, &revoke_form, key_revoke_form));
}
