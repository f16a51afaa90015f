/*
 * The administration in the browser, its Open311 part: the API keys of
 * the partners' apps, listed without the keys; a new key shown once, on
 * the page that issued it, with the warning that it cannot be shown
 * again (only its keyed hash is stored); a revocation after a ticked
 * confirmation.  The checks and statements are the API's
 * (open311_keys.c); each issue and revocation is in the audit log.
 */

#include <stdio.h>
#include <string.h>

#include "defects.h"

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
	} else {
		cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	}
	if (doc != NULL)
		cJSON_AddItemToObject(data, "k", doc);
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

/* Issues the key; the page itself shows it, so nothing redirects. */
static int
key_create_form(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!open311_key_prepare(req, &fe))
			return (respond_fields(req, 422, &fe));
	}
	if ((s = db_step(req, &op_open311_key_create, &res)) != DB_DONE)
		return (db_yield(s));
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
