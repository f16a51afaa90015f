/*
 * Open311 API keys, managed by admins through the JSON API: listed without
 * the keys, issued (the key is shown once, only its keyed hash is kept),
 * revoked.  Each issue and revocation is in the audit log.
 */

#include <string.h>

#include <sodium.h>

#include "defects.h"

static const char SQL_KEYS[] =
    "SELECT json_build_object('keys', coalesce(json_agg(open311_key_json(k)"
    " ORDER BY k.id), '[]'::json)) FROM open311_keys k";

static const char SQL_KEY_CREATE[] =
    "SELECT open311_key_create($1::bigint, $2, $3::bytea)";

static const char SQL_KEY_REVOKE[] =
    "SELECT open311_key_revoke($1::bigint, $2::bigint)";

static const char *const create_args[] = { "me", "name", "key_hash", NULL };
static const char *const revoke_args[] = { "me", "id", NULL };

const struct db_op op_open311_keys = {
	.name = "open311_keys", .sql = SQL_KEYS, .kind = DB_READ,
	.done = db_send_json,
};
const struct db_op op_open311_key_create = {
	.name = "open311_key_create", .sql = SQL_KEY_CREATE, .kind = DB_WRITE,
	.args = create_args,
};
const struct db_op op_open311_key_revoke = {
	.name = "open311_key_revoke", .sql = SQL_KEY_REVOKE, .kind = DB_WRITE,
	.args = revoke_args, .done = db_send_json,
};

static const struct input_field key_input[] = {
	{ "name", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/*
 * A new key for the name given: the key as var "key" (shown once), its
 * keyed hash as "key_hash" (all that is stored).  For the API and the
 * keys page alike.
 */
int
open311_key_prepare(struct http_request *req, struct field_errors *fe)
{
	unsigned char	hash[TOKEN_HASH_LEN];
	char		key[TOKEN_LEN + 1];

	if (!input_fields(req, key_input, fe) ||
	    !input_text_var(req, "name", 1, 120, TEXT_REQUIRED, fe))
		return (MW_ERROR);
	token_new(key);
	token_hash(&mw_keys, key, hash);
	rq_var_set(req, "key", key);
	rq_var_bytea(req, "key_hash", hash, sizeof(hash));
	sodium_memzero(key, sizeof(key));
	return (MW_OK);
}

/* POST /api/v1/admin/open311-keys {"name"}: 201 with the key, once. */
int
api_open311_key_create(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;
	cJSON			*doc;
	char			*json;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!open311_key_prepare(req, &fe))
			return (respond_fields(req, 422, &fe));
	}
	if ((s = db_step(req, &op_open311_key_create, &res)) != DB_DONE)
		return (db_yield(s));
	if ((doc = db_json(res)) == NULL)
		return (respond_error(req, 500, NULL, NULL, NULL));
	cJSON_AddStringToObject(doc, "key", params_get(&rq->vars, "key"));
	json = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	respond(req, 201, JSON_TYPE, json, strlen(json));
	sodium_memzero(json, strlen(json));
	cJSON_free(json);
	return (KORE_RESULT_OK);
}

