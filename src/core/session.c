/*
 * Sessions: who is asking.  A browser holds a 256-bit token in an HttpOnly
 * cookie; an API client sends a bearer token.  Only the token's keyed hash
 * is stored.  Every state-changing request of a cookie session must carry
 * the session's synchronizer token (X-CSRF-Token or the form field
 * csrf_token), and a cross-site Origin or Sec-Fetch-Site is refused.  The
 * synchronizer token is a MAC of the session token, so it is not stored.
 */

#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "mitwirken.h"

#define COOKIE_PLAIN	"mw_session"
#define COOKIE_TLS	"__Host-mw_session"
#define FORM_COOKIE_PLAIN	"mw_form"
#define FORM_COOKIE_TLS		"__Host-mw_form"
#define FORM_COOKIE_AGE		7200	/* time to fill in a form */

static const char SQL_SESSION[] =
    "WITH s AS ("
    " SELECT s.id, s.account_id, s.last_seen_at, a.pseudonym,"
    "  a.verified_at IS NOT NULL AS verified, a.age_band"
    " FROM sessions s JOIN accounts a ON a.id = s.account_id"
    "  AND a.deleted_at IS NULL"
    " WHERE s.token_hash = $1::bytea AND s.kind = $2"
    "  AND s.expires_at > now()"
    "  AND s.last_seen_at > now() - make_interval(secs => $3::int)),"
    /* Touch at most once a minute: the idle timeout needs no finer. */
    " touch AS (UPDATE sessions SET last_seen_at = now()"
    "  WHERE id = (SELECT id FROM s)"
    "  AND last_seen_at < now() - interval '60 seconds')"
    " SELECT s.id, s.account_id, s.pseudonym, s.verified,"
    "  coalesce((SELECT string_agg(r.role, ',') FROM account_roles r"
    "   WHERE r.account_id = s.account_id), ''),"
    "  (SELECT r.department_id FROM account_roles r"
    "   WHERE r.account_id = s.account_id AND r.role = 'staff'),"
    "  (SELECT d.slug FROM account_roles r JOIN departments d"
    "   ON d.id = r.department_id"
    "   WHERE r.account_id = s.account_id AND r.role = 'staff'),"
    "  coalesce(s.age_band, '')"
    " FROM s";

static const char *const session_args[] = { "session_hash", "session_kind",
    "session_idle", NULL };

static const struct db_op op_session = {
	.name = "session", .sql = SQL_SESSION, .kind = DB_READ,
	.args = session_args, .prepare = 1,	/* every signed-in request */
};

static const char *
session_cookie_name(void)
{
	return (mw_config.behind_tls ? COOKIE_TLS : COOKIE_PLAIN);
}

/* The token the request presents, from the cookie or the bearer header. */
static int
presented_token(struct http_request *req, char *token, int *bearer)
{
	const char	*h;

	if (http_request_header(req, "authorization", &h)) {
		if (strncasecmp(h, "Bearer ", 7) != 0 ||
		    strlen(h + 7) > TOKEN_LEN)
			return (MW_ERROR);
		(void)snprintf(token, TOKEN_LEN + 1, "%s", h + 7);
		*bearer = 1;
		return (token_valid(token));
	}
	if (!http_request_header(req, "cookie", &h) ||
	    !cookie_find(h, session_cookie_name(), token, TOKEN_LEN + 1))
		return (MW_ERROR);
	*bearer = 0;
	return (token_valid(token));
}

static void
principal_fill(struct principal *p, PGresult *res, int bearer)
{
	p->session_id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	p->account_id = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	(void)snprintf(p->pseudonym, sizeof(p->pseudonym), "%s",
	    PQgetvalue(res, 0, 2));
	p->verified = PQgetvalue(res, 0, 3)[0] == 't';
	p->bearer = bearer;
	p->roles = roles_from_list(PQgetvalue(res, 0, 4));
	if (!PQgetisnull(res, 0, 5)) {
		p->department_id = (int)strtol(PQgetvalue(res, 0, 5), NULL, 10);
		(void)snprintf(p->department, sizeof(p->department), "%s",
		    PQgetvalue(res, 0, 6));
	}
	(void)snprintf(p->age_band, sizeof(p->age_band), "%s",
	    PQgetvalue(res, 0, 7));
}

/*
 * Resolves the principal once per request (a db step).  No credential, or
 * one that matches nothing, leaves the request anonymous.
 */
enum db_status
session_step(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	unsigned char	hash[TOKEN_HASH_LEN];
	char		token[TOKEN_LEN + 1], hex[TOKEN_HASH_LEN * 2 + 3];
	enum db_status	s;
	int		bearer;

	if (params_get(&rq->vars, "session_hash") == NULL) {
		if (!presented_token(req, token, &bearer))
			return (DB_DONE);
		token_hash(&mw_keys, token, hash);
		/* Kept until the lookup says whether the session exists. */
		if (!bearer)
			session_csrf_derive(token, rq->who.csrf);
		sodium_memzero(token, sizeof(token));
		bytea_hex(hash, sizeof(hash), hex, sizeof(hex));
		rq_var_set(req, "session_hash", hex);
		rq_var_set(req, "session_kind", bearer ? "bearer" : "cookie");
		rq_var_setf(req, "session_idle", "%d", mw_config.session_idle);
	}
	if ((s = db_step(req, &op_session, &res)) != DB_DONE)
		return (s);
	if (rq->who.account_id == 0 && PQntuples(res) == 1) {
		principal_fill(&rq->who, res,
		    strcmp(params_get(&rq->vars, "session_kind"), "bearer") == 0);
		rq_var_setf(req, "me", "%lld", (long long)rq->who.account_id);
		rq_var_setf(req, "session_id", "%lld",
		    (long long)rq->who.session_id);
	}
	if (rq->who.account_id == 0)
		sodium_memzero(rq->who.csrf, sizeof(rq->who.csrf));
	return (DB_DONE);
}

static const char *
form_cookie_name(void)
{
	return (mw_config.behind_tls ? FORM_COOKIE_TLS : FORM_COOKIE_PLAIN);
}

/* Could a page on another site have sent this body with a plain form? */
static int
form_like(struct http_request *req, struct rq *rq)
{
	const char	*ct;

	if (rq->route->kind == ROUTE_PAGE)
		return (MW_OK);
	if (!http_request_header(req, "content-type", &ct))
		return (MW_ERROR);
	return (strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0 ||
	    strncasecmp(ct, "multipart/form-data", 19) == 0 ||
	    strncasecmp(ct, "text/plain", 10) == 0);
}

/*
 * Without a session there is no synchronizer token, yet a forged sign-in
 * (login CSRF) or sign-up is still an attack.  A browser that names this
 * site in Origin or Sec-Fetch-Site is believed (a page cannot forge those
 * headers); one that sends neither must show the pre-session pair: the
 * mw_form cookie and, in the form, a MAC of it, so a cookie planted from
 * a sibling host is useless without its MAC.  JSON bodies need no pair:
 * another site cannot send them without a CORS preflight we never allow.
 */
static int
presession_ok(struct http_request *req, struct rq *rq, const char *site,
    const char *origin)
{
	const char	*h, *given;
	char		nonce[TOKEN_LEN + 1], want[TOKEN_LEN + 1];
	int		ok;

	if (!form_like(req, rq) || origin != NULL ||
	    (site != NULL && strcmp(site, "same-origin") == 0))
		return (MW_OK);
	if (!http_request_header(req, "x-csrf-token", &given) &&
	    (given = params_get(&rq->form, "csrf_token")) == NULL)
		return (MW_ERROR);
	if (!http_request_header(req, "cookie", &h) ||
	    !cookie_find(h, form_cookie_name(), nonce, sizeof(nonce)) ||
	    !token_valid(nonce))
		return (MW_ERROR);
	token_derive(&mw_keys, "form", nonce, want);
	ok = token_equal(given, want);
	sodium_memzero(nonce, sizeof(nonce));
	sodium_memzero(want, sizeof(want));
	return (ok);
}

/*
 * A form shown to someone not signed in: (re)sets the pre-session cookie
 * and puts its MAC where page_context gives it to the form.  The cookie is
 * kept if the browser has one, so two open forms both stay valid.
 */
void
session_form_token(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	const char	*h;
	char		nonce[TOKEN_LEN + 1], cookie[160];

	if (rq->who.account_id != 0)
		return;
	if (!http_request_header(req, "cookie", &h) ||
	    !cookie_find(h, form_cookie_name(), nonce, sizeof(nonce)) ||
	    !token_valid(nonce))
		token_new(nonce);
	cookie_format(cookie, sizeof(cookie), form_cookie_name(), nonce,
	    FORM_COOKIE_AGE, mw_config.behind_tls);
	http_response_header(req, "set-cookie", cookie);
	/* The page holds a per-browser token: no shared cache may keep it. */
	http_response_header(req, "cache-control", "no-store");
	token_derive(&mw_keys, "form", nonce, rq->who.csrf);
	sodium_memzero(nonce, sizeof(nonce));
	sodium_memzero(cookie, sizeof(cookie));
}

/*
 * Cross-site requests are refused outright; a cookie session must also
 * show its synchronizer token.  Bearer clients are not browsers: the token
 * cannot be sent by a third-party page, so it needs no CSRF token.
 */
int
session_csrf_ok(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	const char	*site, *origin, *host, *given;

	if (!http_request_header(req, "sec-fetch-site", &site))
		site = NULL;
	if (!http_request_header(req, "origin", &origin))
		origin = NULL;
	if (!http_request_header(req, "host", &host))
		host = NULL;
	if (!authz_origin_allowed(site, origin,
	    mw_config.behind_tls ? "https" : "http", host))
		return (MW_ERROR);
	if (rq->who.account_id == 0)
		return (presession_ok(req, rq, site, origin));
	if (rq->who.bearer)
		return (MW_OK);
	if (!http_request_header(req, "x-csrf-token", &given) &&
	    (given = params_get(&rq->form, "csrf_token")) == NULL)
		return (MW_ERROR);
	return (token_equal(given, rq->who.csrf));
}

/* A cookie session's synchronizer token: a MAC of its session token. */
void
session_csrf_derive(const char *session_token, char *csrf)
{
	token_derive(&mw_keys, "csrf", session_token, csrf);
}

void
session_cookie_set(struct http_request *req, const char *token)
{
	char	cookie[256];

	cookie_format(cookie, sizeof(cookie), session_cookie_name(), token,
	    mw_config.session_absolute, mw_config.behind_tls);
	http_response_header(req, "set-cookie", cookie);
}

void
session_cookie_clear(struct http_request *req)
{
	char	cookie[160];

	cookie_format(cookie, sizeof(cookie), session_cookie_name(), "", 0,
	    mw_config.behind_tls);
	http_response_header(req, "set-cookie", cookie);
}
