/*
 * Pseudonymous accounts: registration, verification, sign-in, sessions,
 * password reset, profile, GDPR export and erasure (DESIGN.md "Privacy
 * design").  Handlers validate, derive what the database may see (MACs,
 * ciphertexts, token hashes, argon2id strings) into rq->vars, and run
 * their steps; every step is a declared db_op.
 *
 * Registration and reset never reveal whether an address has an account:
 * the response is the same, and the mail goes to the address's owner.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "accounts.h"

#define VERIFY_HOURS	"48"
#define RESET_MINUTES	"60"

/* sql/functions/account_register.sql: the same outcome for every input. */
static const char SQL_REGISTER[] =
    "SELECT account_register($1, $2::bytea, $3::bytea, $4, $5::bytea,"
    " $6::bytea, $7::bytea, $8::bytea, $9)";

/*
 * Counts a registration or reset per address and per client before any
 * work is done, so concurrent requests never pass the limit together.
 */
static const char SQL_ANON_RESERVE[] =
    "WITH r AS (INSERT INTO anon_limits AS l (key) VALUES ($1), ($2)"
    " ON CONFLICT (key) DO UPDATE SET"
    " hits = CASE WHEN l.window_start <"
    "  now() - make_interval(secs => $3::int) THEN 1 ELSE l.hits + 1 END,"
    " window_start = CASE WHEN l.window_start <"
    "  now() - make_interval(secs => $3::int) THEN now()"
    "  ELSE l.window_start END"
    " RETURNING key, hits, window_start)"
    " SELECT coalesce(max(hits) FILTER (WHERE key = $1), 0),"
    "  coalesce(max(hits) FILTER (WHERE key = $2), 0),"
    "  greatest(1, ceil(extract(epoch FROM max(window_start)"
    "   + make_interval(secs => $3::int) - now()))::int)"
    " FROM r";

static const char SQL_VERIFY[] =
    "WITH t AS (UPDATE account_tokens SET used_at = now()"
    " WHERE token_hash = $1::bytea AND purpose = 'verify'"
    " AND used_at IS NULL AND expires_at > now() RETURNING account_id)"
    " UPDATE accounts a SET verified_at = coalesce(a.verified_at, now())"
    " FROM t WHERE a.id = t.account_id AND a.deleted_at IS NULL"
    " RETURNING a.id";

/*
 * Reserves the attempt (counts it as a failure) before the hash, so that
 * concurrent guesses never pass the limit together; a success settles it
 * in SQL_SESSION_CREATE.
 */
static const char SQL_LOGIN_LOOKUP[] =
    "WITH f AS (INSERT INTO login_failures AS f (key) VALUES ($2), ($3)"
    " ON CONFLICT (key) DO UPDATE SET"
    " failures = CASE WHEN f.window_start <"
    "  now() - make_interval(secs => $4::int) THEN 1 ELSE f.failures + 1 END,"
    " window_start = CASE WHEN f.window_start <"
    "  now() - make_interval(secs => $4::int) THEN now()"
    "  ELSE f.window_start END"
    " RETURNING key, failures, window_start)"
    " SELECT a.id, a.password_hash, a.pseudonym,"
    "  a.verified_at IS NOT NULL,"
    "  coalesce((SELECT failures FROM f WHERE key = $2), 0),"
    "  coalesce((SELECT failures FROM f WHERE key = $3), 0),"
    "  coalesce(ceil(extract(epoch FROM (SELECT max(window_start) FROM f)"
    "   + make_interval(secs => $4::int) - now()))::int, 1),"
    "  coalesce((SELECT string_agg(r.role, ',' ORDER BY r.role)"
    "   FROM account_roles r WHERE r.account_id = a.id), '')"
    " FROM (VALUES (1)) v LEFT JOIN accounts a"
    "  ON a.email_lookup = $1::bytea AND a.deleted_at IS NULL";

/*
 * A new token at every sign-in; a session presented before it is ended
 * (no fixation); a rehash from raised limits is stored on the way.
 */
static const char SQL_SESSION_CREATE[] =
    "WITH old AS (DELETE FROM sessions WHERE token_hash = $5::bytea),"
    " clr AS (DELETE FROM login_failures WHERE key = $6),"
    " ipf AS (UPDATE login_failures SET failures = failures - 1"
    "  WHERE key = $9 AND failures > 0),"
    " upd AS (UPDATE accounts SET password_hash = $7"
    "  WHERE id = $1::bigint AND $7::text IS NOT NULL)"
    " INSERT INTO sessions (token_hash, account_id, kind,"
    "  user_agent, expires_at)"
    " VALUES ($2::bytea, $1::bigint, $3, left(coalesce($4, ''), 200),"
    "  now() + make_interval(secs => $8::int))"
    " RETURNING id, to_char(expires_at AT TIME ZONE 'UTC',"
    "  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

static const char SQL_LOGOUT[] =
    "DELETE FROM sessions WHERE id = $1::bigint AND account_id = $2::bigint";

static const char SQL_LOGOUT_ALL[] =
    "DELETE FROM sessions WHERE account_id = $1::bigint";

static const char SQL_SESSIONS[] =
    "SELECT json_build_object('sessions', coalesce(json_agg(json_build_object("
    " 'id', s.id, 'kind', s.kind, 'user_agent', s.user_agent,"
    " 'created_at', s.created_at, 'last_seen_at', s.last_seen_at,"
    " 'expires_at', s.expires_at, 'current', s.id = $2::bigint)"
    " ORDER BY s.last_seen_at DESC), '[]'::json))"
    " FROM sessions s WHERE s.account_id = $1::bigint"
    " AND s.expires_at > now()"
    " AND s.last_seen_at > now() - make_interval(secs => $3::int)";

/* Scoped to the principal: another person's session is simply not found. */
static const char SQL_SESSION_REVOKE[] =
    "DELETE FROM sessions WHERE id = $2::bigint AND account_id = $1::bigint"
    " RETURNING json_build_object('id', id)";

/* sql/functions/password_reset_request.sql: one mail for every address. */
static const char SQL_RESET_REQUEST[] =
    "SELECT password_reset_request($1::bytea, $2::bytea, $3::bytea,"
    " $4::bytea)";

static const char SQL_RESET_CHECK[] =
    "SELECT t.account_id FROM account_tokens t JOIN accounts a"
    " ON a.id = t.account_id AND a.deleted_at IS NULL"
    " WHERE t.token_hash = $1::bytea AND t.purpose = 'reset'"
    " AND t.used_at IS NULL AND t.expires_at > now()";

/* A reset proves the address: it verifies, and ends every session. */
static const char SQL_RESET_APPLY[] =
    "WITH t AS (UPDATE account_tokens SET used_at = now()"
    " WHERE token_hash = $1::bytea AND purpose = 'reset'"
    " AND used_at IS NULL AND expires_at > now() RETURNING account_id),"
    " u AS (UPDATE accounts a SET password_hash = $2,"
    "  verified_at = coalesce(a.verified_at, now())"
    "  FROM t WHERE a.id = t.account_id AND a.deleted_at IS NULL"
    "  RETURNING a.id),"
    " k AS (DELETE FROM sessions WHERE account_id IN (SELECT id FROM u)),"
    " o AS (UPDATE account_tokens SET used_at = now()"
    "  WHERE account_id IN (SELECT id FROM u) AND purpose = 'reset'"
    "  AND used_at IS NULL AND token_hash <> $1::bytea)"
    " SELECT id FROM u";

/* $3: whether the age band was given ($4, NULL for "not given"). */
static const char SQL_ME_UPDATE[] =
    "UPDATE accounts SET pseudonym = coalesce($2, pseudonym),"
    " age_band = CASE WHEN $3::boolean THEN $4 ELSE age_band END"
    " WHERE id = $1::bigint AND deleted_at IS NULL"
    " RETURNING pseudonym, age_band";

/*
 * A person's survey responses are keyed by per-survey pseudonyms that only
 * the server can compute (survey_respondent()): the export and erasure
 * first read the survey ids, then pass the person's pseudonym for each as
 * "<survey id>:<hex>,..." ($2, sql/functions/survey_pseudonyms.sql).
 */
static const char SQL_SURVEY_IDS[] =
    "SELECT id FROM surveys ORDER BY id";

static const char SQL_EXPORT[] =
    "SELECT account_export($1::bigint, $2)::text, a.email_ct"
    " FROM accounts a WHERE a.id = $1::bigint AND a.deleted_at IS NULL";

/*
 * Erasure: the address, password, sessions, tokens, roles, pending
 * mail, notification switches and stored Idempotency-Key answers go; contributions stay, shown
 * as "gelöschtes Konto".  The pseudonym is replaced too, since people may
 * know whose it was.
 */
static const char SQL_ERASE[] =
    "WITH s AS (DELETE FROM sessions WHERE account_id = $1::bigint),"
    " t AS (DELETE FROM account_tokens WHERE account_id = $1::bigint),"
    " r AS (DELETE FROM account_roles WHERE account_id = $1::bigint),"
    " o AS (DELETE FROM outbox WHERE account_id = $1::bigint),"
    " n AS (DELETE FROM notification_settings"
    "  WHERE account_id = $1::bigint),"
    " f AS (DELETE FROM login_failures WHERE key = 'a:' ||"
    "  (SELECT encode(email_lookup, 'hex') FROM accounts"
    "   WHERE id = $1::bigint)),"
    /* Stored answers may hold the person's data. */
    " i AS (DELETE FROM idempotency_keys WHERE scope = 'a:' || $1::bigint),"
    /* Responses stay in the results, unlinked; drafts go. */
    " v AS (SELECT survey_erase($2) AS done)"
    " UPDATE accounts SET email_lookup = NULL, email_ct = NULL,"
    "  password_hash = NULL, verified_at = NULL, deleted_at = now(),"
    "  age_band = NULL,"
    "  pseudonym = 'geloescht-' ||"
    "  left(replace(gen_random_uuid()::text, '-', ''), 12)"
    " FROM v WHERE id = $1::bigint AND deleted_at IS NULL RETURNING id";

static const struct db_constraint pseudonym_taken[] = {
	{ "accounts_pseudonym_key", 409, "pseudonym", "is already taken",
	    NULL },
	{ "accounts_age_band_check", 422, "age_band", "must be one of "
	    AGE_BANDS " or null", NULL },
	{ "accounts_pseudonym_check", 422, "pseudonym",
	    "must be 3 to 32 characters of a-z, 0-9 and '-'", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint pseudonym_bad[] = {
	{ "accounts_pseudonym_check", 422, "pseudonym",
	    "must be 3 to 32 characters of a-z, 0-9 and '-'", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint erase_constraints[] = {
	{ "last_admin", 409, "account", "the last administrator cannot be "
	    "erased; make someone else an administrator first", "last_admin" },
	{ NULL, 0, NULL, NULL, NULL }
};

static const char *const register_args[] = { "pseudonym", "lookup",
    "email_ct", "password_hash", "mail_new", "mail_renamed", "mail_existing",
    "token_hash", "@lang", NULL };
static const char *const anon_args[] = { "anon_address", "anon_ip",
    "anon_window", NULL };
static const char *const token_args[] = { "token_hash", NULL };
static const char *const login_args[] = { "lookup", "fail_account",
    "fail_ip", "login_window", NULL };
static const char *const create_args[] = { "account_id", "new_hash",
    "kind", "user_agent", "session_hash", "fail_account",
    "rehash", "absolute", "fail_ip", NULL };
static const char *const logout_args[] = { "session_id", "me", NULL };
static const char *const me_args[] = { "me", NULL };
static const char *const me_respondents_args[] = { "me", "respondents",
    NULL };
static const char *const sessions_args[] = { "me", "session_id",
    "session_idle", NULL };
static const char *const revoke_args[] = { "me", "id", NULL };
static const char *const reset_args[] = { "lookup", "token_hash", "mail",
    "mail_unknown", NULL };
static const char *const apply_args[] = { "token_hash", "password_hash",
    NULL };
static const char *const me_update_args[] = { "me", "pseudonym",
    "age_band_set", "age_band", NULL };

static const struct db_op op_register = {
	.name = "register", .sql = SQL_REGISTER, .kind = DB_WRITE,
	.args = register_args, .constraints = pseudonym_bad,
};
static const struct db_op op_anon_reserve = {
	.name = "anon_reserve", .sql = SQL_ANON_RESERVE, .kind = DB_WRITE,
	.args = anon_args, .counts_only = 1,
};
static const struct db_op op_verify = {
	.name = "verify", .sql = SQL_VERIFY, .kind = DB_WRITE,
	.args = token_args,
};
static const struct db_op op_login_lookup = {
	.name = "login_lookup", .sql = SQL_LOGIN_LOOKUP, .kind = DB_WRITE,
	.args = login_args,
};
static const struct db_op op_session_create = {
	.name = "session_create", .sql = SQL_SESSION_CREATE, .kind = DB_WRITE,
	.args = create_args,
};
static const struct db_op op_logout = {
	.name = "logout", .sql = SQL_LOGOUT, .kind = DB_WRITE,
	.args = logout_args,
};
static const struct db_op op_logout_all = {
	.name = "logout_all", .sql = SQL_LOGOUT_ALL, .kind = DB_WRITE,
	.args = me_args,
};
const struct db_op op_sessions = {
	.name = "sessions", .sql = SQL_SESSIONS, .kind = DB_READ,
	.args = sessions_args, .done = db_send_json,
};
const struct db_op op_session_revoke = {
	.name = "session_revoke", .sql = SQL_SESSION_REVOKE, .kind = DB_WRITE,
	.args = revoke_args, .done = db_send_json,
};
static const struct db_op op_reset_request = {
	.name = "reset_request", .sql = SQL_RESET_REQUEST, .kind = DB_WRITE,
	.args = reset_args,
};
static const struct db_op op_reset_check = {
	.name = "reset_check", .sql = SQL_RESET_CHECK, .kind = DB_READ,
	.args = token_args,
};
static const struct db_op op_reset_apply = {
	.name = "reset_apply", .sql = SQL_RESET_APPLY, .kind = DB_WRITE,
	.args = apply_args,
};
static const struct db_op op_me_update = {
	.name = "me_update", .sql = SQL_ME_UPDATE, .kind = DB_WRITE,
	.args = me_update_args, .constraints = pseudonym_taken,
};
static const struct db_op op_survey_ids = {
	.name = "survey_ids", .sql = SQL_SURVEY_IDS, .kind = DB_READ,
};
static const struct db_op op_export = {
	.name = "export", .sql = SQL_EXPORT, .kind = DB_READ,
	.args = me_respondents_args,
};
static const struct db_op op_erase = {
	.name = "erase", .sql = SQL_ERASE, .kind = DB_WRITE,
	.args = me_respondents_args, .constraints = erase_constraints,
};

/* A fresh token: the plaintext goes to the person, the hash to a var. */
static void
new_token(struct http_request *req, const char *hash_var, char *token)
{
	unsigned char	hash[TOKEN_HASH_LEN];

	token_new(token);
	token_hash(&mw_keys, token, hash);
	rq_var_bytea(req, hash_var, hash, sizeof(hash));
}

static void
link_for(char *out, size_t len, const char *path, const char *token)
{
	(void)snprintf(out, len, "%s%s?token=%s", mw_config.public_url, path,
	    token);
}

static int
email_field(struct http_request *req, char *norm, size_t len,
    struct field_errors *fe)
{
	const char	*email;

	if ((email = input_get(req, "email")) == NULL) {
		error_field_add(fe, "email", "required");
		return (MW_ERROR);
	}
	if (!email_normalize(email, norm, len)) {
		error_field_add(fe, "email", "is not an e-mail address");
		return (MW_ERROR);
	}
	return (MW_OK);
}

static void
var_lookup(struct http_request *req, const char *norm)
{
	unsigned char	lookup[EMAIL_LOOKUP_LEN];

	email_lookup(&mw_keys, norm, lookup);
	rq_var_bytea(req, "lookup", lookup, sizeof(lookup));
}

static int
pseudonym_field(struct http_request *req, int required,
    struct field_errors *fe)
{
	const char	*p;
	size_t		i, len;

	if ((p = input_get(req, "pseudonym")) == NULL || *p == '\0') {
		if (required)
			error_field_add(fe, "pseudonym", "required");
		return (required ? MW_ERROR : MW_OK);
	}
	len = strlen(p);
	for (i = 0; i < len; i++) {
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			break;
	}
	if (len < 3 || len > 32 || i != len || p[0] == '-' ||
	    p[len - 1] == '-' || strncmp(p, "geloescht-", 10) == 0) {
		error_field_add(fe, "pseudonym", "must be 3 to 32 characters "
		    "of a-z, 0-9 and '-'");
		return (MW_ERROR);
	}
	rq_var_set(req, "pseudonym", p);
	return (MW_OK);
}

/*
 * The optional age band: absent leaves it, null or "" (the form's "keine
 * Angabe") clears it, a band sets it.  Returns whether it was given.
 */
static int
age_band_field(struct http_request *req, struct field_errors *fe)
{
	const char	*v;

	if (!input_present(req, "age_band"))
		return (0);
	rq_var_set(req, "age_band_set", "true");
	if ((v = input_text(req, "age_band")) == NULL)
		return (1);
	if (!validate_age_band(v))
		error_field_add(fe, "age_band", "must be one of " AGE_BANDS
		    " or null");
	else
		rq_var_set(req, "age_band", v);
	return (1);
}

static int
password_field(struct http_request *req, struct field_errors *fe)
{
	const char	*pw, *problem;

	if ((pw = input_get(req, "password")) == NULL) {
		error_field_add(fe, "password", "required");
		return (MW_ERROR);
	}
	if ((problem = passwords_problem(pw, strlen(pw))) != NULL) {
		error_field_add(fe, "password", problem);
		return (MW_ERROR);
	}
	return (MW_OK);
}

/*
 * The answer points: JSON for the API, or, when a form page runs the same
 * flow (rq->form), the form again with the errors next to the fields, or
 * the page that follows it.
 */
static int
fail_fields(struct http_request *req, struct field_errors *fe)
{
	return (respond_fields(req, 422, fe));
}

/* For preparation steps: answers 422, then reports failure. */
static int
refuse(struct http_request *req, struct field_errors *fe)
{
	fail_fields(req, fe);
	return (MW_ERROR);
}

static int
refuse_with(struct http_request *req, int status, const char *code,
    const char *message, const char *message_key)
{
	if (rq_get(req)->form_page != NULL)
		return (form_show(req, status, NULL, message_key));
	return (respond_error(req, status, code, message, NULL));
}

static int
answered(struct http_request *req, int status, const char *json)
{
	if (rq_get(req)->form_page != NULL)
		return (form_done(req));
	if (json == NULL)
		return (respond(req, status, NULL, NULL, 0));
	return (respond_json_literal(req, status, json));
}

/* The keys registration and reset are counted under (after var_lookup). */
static void
anon_prepare(struct http_request *req)
{
	char	ip[64];

	rq_var_setf(req, "anon_address", "n:%s",
	    params_get(&rq_get(req)->vars, "lookup") + 2);
	rq_client_ip(req, ip, sizeof(ip));
	rq_var_setf(req, "anon_ip", "m:%s", ip);
	rq_var_setf(req, "anon_window", "%d", mw_config.anon_window);
}

/* Answers 429 when the reserved count is over a limit. */
static int
anon_limited(struct http_request *req, PGresult *res)
{
	if (atoi(PQgetvalue(res, 0, 0)) <= mw_config.anon_limit_address &&
	    atoi(PQgetvalue(res, 0, 1)) <= mw_config.anon_limit_ip)
		return (0);
	kore_log(LOG_NOTICE, "denied id=%s anonymous rate limit",
	    rq_get(req)->id);
	http_response_header(req, "retry-after", PQgetvalue(res, 0, 2));
	refuse_with(req, 429, "too_many_requests", "Too many requests for "
	    "this address or from this client; wait and try again.",
	    "too_many_attempts");
	return (1);
}

/*
 * The confirmation link: in the language of the registration, and, when
 * it began on a page that asked for sign-in (the form's "next"), on to
 * that page after confirming and signing in.  The path is checked here
 * and again by the confirmation page (nextpath.c); one that would make
 * the link too long for the mail is left out rather than the mail lost.
 */
static void
verify_link(struct http_request *req, struct strbuf *url, const char *token)
{
	struct rq	*rq = rq_get(req);
	struct strbuf	enc;
	const char	*next;

	strbuf_appendf(url, "%s/bestaetigen?token=%s&lang=%s",
	    mw_config.public_url, token, lang_code(rq->lang));
	if ((next = params_get(&rq->form, "next")) == NULL ||
	    !nextpath_ok(next))
		return;
	strbuf_init(&enc, 128);
	params_url_encode(&enc, next);
	if (url->len + strlen("&next=") + enc.len <= MAIL_LINK_MAX) {
		strbuf_appends(url, "&next=");
		strbuf_appends(url, enc.data);
	}
	strbuf_free(&enc);
}

/* Derives everything registration stores; MW_ERROR after a 422. */
static int
register_prepare(struct http_request *req)
{
	static const char *const allowed[] = { "email", "password",
	    "pseudonym", NULL };
	struct field_errors	fe;
	struct strbuf		link;
	unsigned char		ct[256];
	char			norm[EMAIL_MAX + 1], token[TOKEN_LEN + 1];
	size_t			len;

	memset(&fe, 0, sizeof(fe));
	if (!input_check(req, allowed, &fe))
		return (refuse(req, &fe));
	(void)email_field(req, norm, sizeof(norm), &fe);
	(void)password_field(req, &fe);
	(void)pseudonym_field(req, 0, &fe);
	if (fe.count > 0)
		return (refuse(req, &fe));
	var_lookup(req, norm);
	anon_prepare(req);
	if (!secret_seal(mw_keys.email, "email", norm, strlen(norm), ct,
	    sizeof(ct), &len))
		fatal("register: address too long to seal");
	rq_var_bytea(req, "email_ct", ct, len);
	new_token(req, "token_hash", token);
	/* Never grown (realloc would leave a copy of the token behind). */
	strbuf_init(&link, MAIL_LINK_MAX + CONFIG_PATH_MAX);
	verify_link(req, &link, token);
	mail_var(req, "mail_new", norm, "verify", link.data);
	mail_var(req, "mail_renamed", norm, "verify_renamed", link.data);
	mail_var(req, "mail_existing", norm, "already_registered",
	    mw_config.public_url);
	sodium_memzero(link.data, link.len);
	strbuf_free(&link);
	sodium_memzero(token, sizeof(token));
	sodium_memzero(norm, sizeof(norm));
	return (MW_OK);
}

/*
 * POST /api/v1/accounts.  The password is hashed whether or not the
 * address is known, and the answer is the same either way.
 */
int
api_register(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	const char	*pw;
	PGresult	*res;
	enum db_status	s;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!register_prepare(req))
			return (KORE_RESULT_OK);
	}
	if ((s = db_step(req, &op_anon_reserve, &res)) != DB_DONE)
		return (db_yield(s));
	if (rq->hash.state == HASH_IDLE && anon_limited(req, res))
		return (KORE_RESULT_OK);
	pw = input_get(req, "password");
	rq->hash.anon = 1;
	if ((s = hashing_step(req, 0, pw, strlen(pw), NULL)) != DB_DONE)
		return (db_yield(s));
	if (params_get(&rq->vars, "password_hash") == NULL)
		rq_var_set(req, "password_hash", rq->hash.hash);
	if ((s = db_step(req, &op_register, &res)) != DB_DONE)
		return (db_yield(s));
	return (answered(req, 202, "{\"status\":\"verification_sent\"}"));
}

static int
token_field(struct http_request *req, struct field_errors *fe)
{
	const char	*token;
	unsigned char	hash[TOKEN_HASH_LEN];

	if ((token = input_get(req, "token")) == NULL) {
		error_field_add(fe, "token", "required");
		return (MW_ERROR);
	}
	if (!token_valid(token)) {
		error_field_add(fe, "token", "is invalid or has expired");
		return (MW_ERROR);
	}
	token_hash(&mw_keys, token, hash);
	rq_var_bytea(req, "token_hash", hash, sizeof(hash));
	return (MW_OK);
}

/* POST /api/v1/accounts/verify */
int
api_verify(struct http_request *req)
{
	static const char *const allowed[] = { "token", NULL };
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!input_check(req, allowed, &fe) || !token_field(req, &fe))
			return (fail_fields(req, &fe));
	}
	if ((s = db_step(req, &op_verify, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) != 1) {
		memset(&fe, 0, sizeof(fe));
		error_field_add(&fe, "token", "is invalid or has expired");
		return (fail_fields(req, &fe));
	}
	return (answered(req, 200, "{\"verified\":true}"));
}

static int
login_prepare(struct http_request *req)
{
	static const char *const allowed[] = { "email", "password", "kind",
	    NULL };
	struct field_errors	fe;
	const char		*kind, *ua, *lookup;
	char			norm[EMAIL_MAX + 1], ip[64];

	memset(&fe, 0, sizeof(fe));
	if (!input_check(req, allowed, &fe))
		return (refuse(req, &fe));
	(void)email_field(req, norm, sizeof(norm), &fe);
	if (input_get(req, "password") == NULL)
		error_field_add(&fe, "password", "required");
	else if (strlen(input_get(req, "password")) > PASSWORD_MAX * 4)
		error_field_add(&fe, "password", "is too long");
	kind = input_get(req, "kind");
	if (kind != NULL && strcmp(kind, "cookie") != 0 &&
	    strcmp(kind, "bearer") != 0)
		error_field_add(&fe, "kind", "must be cookie or bearer");
	if (fe.count > 0)
		return (refuse(req, &fe));
	rq_var_set(req, "kind", kind != NULL ? kind : "cookie");
	var_lookup(req, norm);
	sodium_memzero(norm, sizeof(norm));
	lookup = params_get(&rq_get(req)->vars, "lookup");
	rq_var_setf(req, "fail_account", "a:%s", lookup + 2);
	rq_client_ip(req, ip, sizeof(ip));
	rq_var_setf(req, "fail_ip", "i:%s", ip);
	rq_var_setf(req, "login_window", "%d", mw_config.login_window);
	rq_var_setf(req, "absolute", "%d", mw_config.session_absolute);
	if (!http_request_header(req, "user-agent", &ua))
		ua = "";
	rq_var_setf(req, "user_agent", "%.200s", ua);
	return (MW_OK);
}

static int
login_limited(struct http_request *req, PGresult *acct)
{
	char	retry[16];

	/* The counts include this attempt. */
	if (atoi(PQgetvalue(acct, 0, 4)) <= mw_config.login_limit_account &&
	    atoi(PQgetvalue(acct, 0, 5)) <= mw_config.login_limit_ip)
		return (0);
	kore_log(LOG_NOTICE, "denied id=%s login rate limit",
	    rq_get(req)->id);
	(void)snprintf(retry, sizeof(retry), "%d",
	    atoi(PQgetvalue(acct, 0, 6)));
	http_response_header(req, "retry-after", retry);
	refuse_with(req, 429, "too_many_requests", "Too many failed sign-ins; "
	    "wait and try again.", "too_many_sign_ins");
	return (1);
}

/* The session answer: who, the CSRF token, and for API clients the token. */
static int
login_respond(struct http_request *req, PGresult *acct, PGresult *sess)
{
	struct rq	*rq = rq_get(req);
	const char	*token, *kind;
	cJSON		*root, *account;
	char		*body;

	token = params_get(&rq->vars, "token");
	kind = params_get(&rq->vars, "kind");
	root = cJSON_CreateObject();
	account = cJSON_AddObjectToObject(root, "account");
	cJSON_AddNumberToObject(account, "id",
	    (double)strtoll(PQgetvalue(acct, 0, 0), NULL, 10));
	cJSON_AddStringToObject(account, "pseudonym", PQgetvalue(acct, 0, 2));
	cJSON_AddBoolToObject(account, "verified",
	    PQgetvalue(acct, 0, 3)[0] == 't');
	roles_to_json(account, roles_from_list(PQgetvalue(acct, 0, 7)));
	cJSON_AddStringToObject(root, "csrf_token",
	    params_get(&rq->vars, "csrf"));
	cJSON_AddStringToObject(root, "expires_at", PQgetvalue(sess, 0, 1));
	if (strcmp(kind, "bearer") == 0)
		cJSON_AddStringToObject(root, "token", token);
	else
		session_cookie_set(req, token);
	if (rq->form_page != NULL) {
		cJSON_Delete(root);
		return (form_done(req));
	}
	http_response_header(req, "cache-control", "no-store");
	body = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	respond(req, 200, JSON_TYPE, body, strlen(body));
	cJSON_free(body);
	return (KORE_RESULT_OK);
}

/* Runs once the password matched: a new session with fresh tokens. */
static void
session_prepare(struct http_request *req, PGresult *acct)
{
	struct rq	*rq = rq_get(req);
	char		token[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];

	rq_var_set(req, "account_id", PQgetvalue(acct, 0, 0));
	new_token(req, "new_hash", token);
	rq_var_set(req, "token", token);
	/* Derived, not stored: session_step derives it again. */
	session_csrf_derive(token, csrf);
	rq_var_set(req, "csrf", csrf);
	sodium_memzero(csrf, sizeof(csrf));
	if (rq->hash.rehashed)
		rq_var_set(req, "rehash", rq->hash.hash);
	sodium_memzero(token, sizeof(token));
}

/*
 * POST /api/v1/session.  Unknown addresses are verified against a dummy
 * hash, so they cost the same time; attempts count per account and per
 * client address before the hash, and a success gives its count back.
 */
int
api_login(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*acct, *res;
	const char	*pw, *stored;
	enum db_status	s;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (!login_prepare(req))
			return (KORE_RESULT_OK);
	}
	if ((s = db_step(req, &op_login_lookup, &acct)) != DB_DONE)
		return (db_yield(s));
	if (rq->hash.state == HASH_IDLE && login_limited(req, acct))
		return (KORE_RESULT_OK);
	pw = input_get(req, "password");
	stored = PQgetisnull(acct, 0, 1) ? NULL : PQgetvalue(acct, 0, 1);
	if ((s = hashing_step(req, 1, pw, strlen(pw), stored)) != DB_DONE)
		return (db_yield(s));
	/* Already counted by the lookup. */
	if (!rq->hash.ok) {
		return (refuse_with(req, 401, "invalid_credentials",
		    "E-mail address or password is wrong.",
		    "invalid_credentials"));
	}
	if (params_get(&rq->vars, "account_id") == NULL)
		session_prepare(req, acct);
	if ((s = db_step(req, &op_session_create, &res)) != DB_DONE)
		return (db_yield(s));
	return (login_respond(req, acct, res));
}

/* DELETE /api/v1/session: ends this session. */
int
api_logout(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;

	if ((s = db_step(req, &op_logout, &res)) != DB_DONE)
		return (db_yield(s));
	if (!rq_get(req)->who.bearer)
		session_cookie_clear(req);
	return (answered(req, 204, NULL));
}

/* DELETE /api/v1/me/sessions: ends every session of the account. */
int
api_logout_all(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;

	if ((s = db_step(req, &op_logout_all, &res)) != DB_DONE)
		return (db_yield(s));
	if (!rq_get(req)->who.bearer)
		session_cookie_clear(req);
	return (answered(req, 204, NULL));
}

/* GET /api/v1/me: straight from the resolved session, no query. */
int
api_me(struct http_request *req)
{
	struct principal	*p = &rq_get(req)->who;
	cJSON			*root;
	char			*body;

	root = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "id", (double)p->account_id);
	cJSON_AddStringToObject(root, "pseudonym", p->pseudonym);
	cJSON_AddBoolToObject(root, "verified", p->verified);
	if (p->age_band[0] != '\0')
		cJSON_AddStringToObject(root, "age_band", p->age_band);
	else
		cJSON_AddNullToObject(root, "age_band");
	/* Unverified accounts may not publish content (configurable). */
	cJSON_AddBoolToObject(root, "can_publish", p->verified ||
	    !mw_config.require_verified);
	roles_to_json(root, p->roles);
	/* Departments are named by slug everywhere in the API. */
	if (p->department[0] != '\0')
		cJSON_AddStringToObject(root, "department", p->department);
	else
		cJSON_AddNullToObject(root, "department");
	cJSON_AddStringToObject(root, "csrf_token", p->bearer ? "" : p->csrf);
	http_response_header(req, "cache-control", "no-store");
	body = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	respond(req, 200, JSON_TYPE, body, strlen(body));
	cJSON_free(body);
	return (KORE_RESULT_OK);
}

/*
 * PATCH /api/v1/me: change the pseudonym, the optional age band, or both
 * (the pseudonym is required when the age band is not given).
 */
int
api_me_update(struct http_request *req)
{
	static const struct input_field fields[] = {
		{ "pseudonym", IN_TEXT, NULL }, { "age_band", IN_TEXT, NULL },
		{ NULL, 0, NULL }
	};
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;
	cJSON			*root;
	char			*body;
	int			band, rc;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!input_fields(req, fields, &fe))
			return (fail_fields(req, &fe));
		band = age_band_field(req, &fe);
		(void)pseudonym_field(req, !band, &fe);
		if (fe.count > 0)
			return (fail_fields(req, &fe));
	}
	if ((s = db_step(req, &op_me_update, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) != 1)
		return (respond_error(req, 404, NULL, NULL, NULL));
	root = cJSON_CreateObject();
	cJSON_AddStringToObject(root, "pseudonym", PQgetvalue(res, 0, 0));
	if (PQgetisnull(res, 0, 1))
		cJSON_AddNullToObject(root, "age_band");
	else
		cJSON_AddStringToObject(root, "age_band",
		    PQgetvalue(res, 0, 1));
	body = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	rc = answered(req, 200, body);
	cJSON_free(body);
	return (rc);
}

/* POST /api/v1/password-reset: the same answer for every address. */
int
api_reset_request(struct http_request *req)
{
	static const char *const allowed[] = { "email", NULL };
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;
	char			norm[EMAIL_MAX + 1], token[TOKEN_LEN + 1];
	char			link[CONFIG_PATH_MAX + 128];

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!input_check(req, allowed, &fe) ||
		    !email_field(req, norm, sizeof(norm), &fe))
			return (fail_fields(req, &fe));
		var_lookup(req, norm);
		anon_prepare(req);
		new_token(req, "token_hash", token);
		link_for(link, sizeof(link), "/passwort-neu", token);
		mail_var(req, "mail", norm, "reset", link);
		mail_var(req, "mail_unknown", norm, "reset_unknown", NULL);
		sodium_memzero(token, sizeof(token));
		sodium_memzero(norm, sizeof(norm));
	}
	if ((s = db_step(req, &op_anon_reserve, &res)) != DB_DONE)
		return (db_yield(s));
	if (anon_limited(req, res))
		return (KORE_RESULT_OK);
	if ((s = db_step(req, &op_reset_request, &res)) != DB_DONE)
		return (db_yield(s));
	return (answered(req, 202, "{\"status\":\"reset_sent\"}"));
}

/*
 * POST /api/v1/password-reset/confirm.  The token is checked before the
 * expensive hash, so random tokens cost the server nothing.
 */
int
api_reset_confirm(struct http_request *req)
{
	static const char *const allowed[] = { "token", "password", NULL };
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	const char		*pw;
	enum db_status		s;

	memset(&fe, 0, sizeof(fe));
	if (!rq->prepared) {
		rq->prepared = 1;
		if (!input_check(req, allowed, &fe))
			return (fail_fields(req, &fe));
		(void)token_field(req, &fe);
		(void)password_field(req, &fe);
		if (fe.count > 0)
			return (fail_fields(req, &fe));
	}
	if ((s = db_step(req, &op_reset_check, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) != 1) {
		error_field_add(&fe, "token", "is invalid or has expired");
		return (fail_fields(req, &fe));
	}
	pw = input_get(req, "password");
	rq->hash.anon = 1;
	if ((s = hashing_step(req, 0, pw, strlen(pw), NULL)) != DB_DONE)
		return (db_yield(s));
	if (params_get(&rq->vars, "password_hash") == NULL)
		rq_var_set(req, "password_hash", rq->hash.hash);
	if ((s = db_step(req, &op_reset_apply, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) != 1) {
		error_field_add(&fe, "token", "is invalid or has expired");
		return (fail_fields(req, &fe));
	}
	return (answered(req, 200, "{\"password_changed\":true}"));
}

/* mitwirken-daten-YYYY-MM-DD.json: the day it was made, in Berlin. */
static void
export_filename(struct http_request *req)
{
	struct when	w;
	char		cd[96];

	when_berlin((long long)time(NULL), &w);
	(void)snprintf(cd, sizeof(cd), "attachment; filename=\""
	    "mitwirken-daten-%04d-%02d-%02d.json\"", w.y, w.m, w.d);
	http_response_header(req, "content-disposition", cd);
}

/* Adds the decrypted address to the export: it is the person's data. */
static int
export_respond(struct http_request *req, PGresult *res)
{
	unsigned char	ct[512];
	char		email[EMAIL_MAX + 1], *body;
	size_t		len;
	cJSON		*doc, *account;

	doc = cJSON_ParseWithLength(PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0));
	if (doc == NULL)
		return (respond_error(req, 500, NULL, NULL, NULL));
	account = cJSON_GetObjectItemCaseSensitive(doc, "account");
	if (bytea_parse(PQgetvalue(res, 0, 1), ct, sizeof(ct), &len) &&
	    secret_open(mw_keys.email, "email", ct, len, email, sizeof(email)))
		cJSON_AddStringToObject(account, "email", email);
	sodium_memzero(email, sizeof(email));
	body = cJSON_Print(doc);
	cJSON_Delete(doc);
	export_filename(req);
	http_response_header(req, "cache-control", "no-store");
	respond(req, 200, JSON_TYPE, body, strlen(body));
	cJSON_free(body);
	return (KORE_RESULT_OK);
}

/*
 * The caller's survey pseudonyms, one per survey, as the var
 * "respondents" (see SQL_SURVEY_IDS).
 */
enum db_status
accounts_respondents(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	struct strbuf	sb;
	PGresult	*res;
	enum db_status	s;
	unsigned char	mac[SURVEY_RESPONDENT_LEN];
	char		hex[SURVEY_RESPONDENT_LEN * 2 + 3], who[24];
	int		i;

	if ((s = db_step(req, &op_survey_ids, &res)) != DB_DONE)
		return (s);
	if (params_get(&rq->vars, "respondents") != NULL)
		return (DB_DONE);
	(void)snprintf(who, sizeof(who), "%lld",
	    (long long)rq->who.account_id);
	strbuf_init(&sb, 256);
	for (i = 0; i < PQntuples(res); i++) {
		survey_respondent(&mw_keys,
		    strtoll(PQgetvalue(res, i, 0), NULL, 10), 'a', who, mac);
		bytea_hex(mac, sizeof(mac), hex, sizeof(hex));
		/* Without bytea_hex's leading "\\x": SQL decodes bare hex. */
		strbuf_appendf(&sb, "%s%s:%s", i > 0 ? "," : "",
		    PQgetvalue(res, i, 0), hex + 2);
	}
	rq_var_set(req, "respondents", sb.data);
	strbuf_free(&sb);
	return (DB_DONE);
}

/* GET /api/v1/me/export */
int
api_export(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;

	if ((s = accounts_respondents(req)) != DB_DONE)
		return (db_yield(s));
	if ((s = db_step(req, &op_export, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) != 1)
		return (respond_error(req, 404, NULL, NULL, NULL));
	return (export_respond(req, res));
}

/* DELETE /api/v1/me */
int
api_erase(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;

	if ((s = accounts_respondents(req)) != DB_DONE)
		return (db_yield(s));
	if ((s = db_step(req, &op_erase, &res)) != DB_DONE)
		return (db_yield(s));
	if (!rq_get(req)->who.bearer)
		session_cookie_clear(req);
	kore_log(LOG_NOTICE, "erased id=%s account=%lld", rq_get(req)->id,
	    (long long)rq_get(req)->who.account_id);
	return (answered(req, 204, NULL));
}

/* How long a consent code lives: long enough to read it out on the phone. */
#define CONSENT_SECONDS	"1800"

static const char SQL_CONSENT[] =
    "SELECT consent_code_new($1::bigint, $2, $3::int)";

static const char *const consent_args[] = { "me", "code", "seconds", NULL };

static const struct db_op op_consent = {
	.name = "consent_code", .sql = SQL_CONSENT, .kind = DB_WRITE,
	.args = consent_args,
};

/*
 * POST /api/v1/me/consent-code: a code the citizen gives staff so that a
 * paper, phone or in-person contribution is attributed to their account.
 * Eight characters without look-alikes (0/O, 1/I): 40 bits, single-use
 * and short-lived, so guessing one in time is hopeless.
 */
int
api_consent_code(struct http_request *req)
{
	static const char	alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	char			code[9];
	PGresult		*res;
	enum db_status		s;
	size_t			i;

	if (!rq_get(req)->prepared) {
		rq_get(req)->prepared = 1;
		for (i = 0; i < sizeof(code) - 1; i++)
			code[i] = alphabet[randombytes_uniform(
			    sizeof(alphabet) - 1)];
		code[i] = '\0';
		rq_var_set(req, "code", code);
		rq_var_set(req, "seconds", CONSENT_SECONDS);
	}
	if ((s = db_step(req, &op_consent, &res)) != DB_DONE)
		return (db_yield(s));
	return (respond(req, 201, JSON_TYPE, PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0)));
}
