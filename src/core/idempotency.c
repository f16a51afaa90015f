/*
 * Idempotency-Key on POST: the same key and request replays the first
 * answer; the same key with another request gets 422; a retry while the
 * first still runs gets 409.  Which routes take part, the key's syntax,
 * the request fingerprint and the decision are pure (idemkey.c).
 *
 * dispatch() calls idem_begin() once the caller is known and the body
 * accepted: it claims the key in one statement (a db step).  While the
 * handler runs, respond() hands its answer to idem_capture() instead of
 * sending it; idem_after() then stores it and only then sends it, so a
 * retry that arrives after the answer always finds it.  Handlers know
 * nothing of this.
 *
 * Each scope may claim MITWIRKEN_IDEM_LIMIT new keys per
 * MITWIRKEN_IDEM_WINDOW seconds (idem_admit.sql): past that a new key gets
 * 429 with Retry-After and the request does not run, so a client that
 * relies on its key never loses that guarantee silently; a retry of a key
 * already held still replays.
 *
 * A 5xx is not an answer worth keeping: the key is given up (claim NULL)
 * and a retry runs again, unless the request's write had committed.
 *
 * After a crash.  A request dies with its node between claiming the key
 * and storing the answer; its key stays 'running'.  Every write it ran
 * marked the key written in the write's own statement and checked that
 * the key was still its own (idem_write_op below), so the database knows
 * whether the write committed, and a request that lost its key can
 * commit nothing more.  The claim records the worker (owner.c); when it
 * is gone, or the key has been held for IDEM_RUNNING_MAX seconds, a retry
 * of a key not written takes it over (a compare-and-swap on the claim)
 * and runs; one that was written answers 409 idempotency_carried_out,
 * because the effect exists but its answer was lost (idem_decide).  A
 * statement the node was running when it died still finishes on the
 * server (PostgreSQL notices a vanished client only when it next talks
 * to it, unless client_connection_check_interval is set); if a retry
 * took the key over meanwhile, its check fails and it commits nothing.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mitwirken.h"

#define IDEM_HEADER	"Idempotency-Key"

/*
 * Claims the key, or reports what holds it.  An expired row (24 hours)
 * is taken over in place; the sweep removes a few other expired rows on
 * the way, so the table needs no timer.  A row another request inserted
 * after this statement's snapshot is invisible to the second SELECT: no
 * row at all means "still running" (idem_decide).
 */
static const char SQL_IDEM_BEGIN[] =
    "WITH admit AS (SELECT idem_admit($1, $2, $4::int, $5::int) AS wait),"
    " sweep AS (DELETE FROM idempotency_keys WHERE (scope, key) IN ("
    "  SELECT scope, key FROM idempotency_keys"
    "  WHERE created_at < now() - interval '24 hours'"
    "  AND NOT (scope = $1 AND key = $2)"
    "  ORDER BY created_at LIMIT 16 FOR UPDATE SKIP LOCKED)),"
    " ins AS (INSERT INTO idempotency_keys AS k"
    "  (scope, key, request_hash, owner, claim)"
    "  SELECT $1, $2, $3::bytea, $6::bigint, $7 FROM admit"
    "  WHERE admit.wait = 0"
    "  ON CONFLICT (scope, key) DO UPDATE SET"
    "  request_hash = EXCLUDED.request_hash, state = 'running',"
    "  status = NULL, content_type = NULL, location = NULL, body = NULL,"
    "  owner = EXCLUDED.owner, claim = EXCLUDED.claim, written = false,"
    "  created_at = now()"
    "  WHERE k.created_at < now() - interval '24 hours'"
    "  RETURNING 1)"
    " SELECT true, true, false, 0, NULL::smallint, NULL::text, NULL::text,"
    "  NULL::bytea, 0, false, false, false, false, NULL::text FROM ins"
    " UNION ALL"
    " SELECT false, k.request_hash = $3::bytea, k.state = 'done',"
    "  extract(epoch FROM now() - k.created_at)::int, k.status,"
    "  k.content_type, k.location, k.body, 0, k.owner IS NOT NULL,"
    /* pg_locks costs a look at every lock: only for a held key. */
    "  CASE WHEN k.state = 'running' AND k.owner IS NOT NULL"
    "  THEN idem_owner_alive(k.owner) ELSE false END,"
    "  k.claim IS NULL, k.written, k.claim"
    " FROM idempotency_keys k, admit WHERE admit.wait = 0"
    "  AND k.scope = $1 AND k.key = $2 AND NOT EXISTS (SELECT 1 FROM ins)"
    " UNION ALL"
    " SELECT false, false, false, 0, NULL, NULL, NULL, NULL, wait,"
    "  false, false, false, false, NULL FROM admit WHERE wait > 0";

/* The columns of that answer. */
enum {
	B_FRESH, B_SAME, B_DONE, B_AGE, B_STATUS, B_TYPE, B_LOCATION, B_BODY,
	B_WAIT, B_OWNED, B_ALIVE, B_FREE, B_WRITTEN, B_CLAIM
};

/*
 * Takes over a key whose request died before its write committed (or
 * gave the key up), if it is still as the claim statement saw it: the
 * same claim, still running and not written.  Of two retries racing for
 * it, one wins; the other is told it is in progress.
 */
static const char SQL_IDEM_TAKE_OVER[] =
    "UPDATE idempotency_keys SET request_hash = $3::bytea,"
    " owner = $4::bigint, claim = $5, created_at = now()"
    " WHERE scope = $1 AND key = $2 AND state = 'running' AND NOT written"
    " AND claim IS NOT DISTINCT FROM $6"
    " RETURNING 1";

/* Only while this request still holds the key. */
static const char SQL_IDEM_STORE[] =
    "UPDATE idempotency_keys SET state = 'done', status = $4::smallint,"
    " content_type = $5, location = $6, body = $7::bytea"
    " WHERE scope = $1 AND key = $2 AND claim = $3 AND state = 'running'";

/*
 * After a 5xx: the key is given up, so a retry runs again, unless the
 * write committed (written stays, and the retry learns it was carried
 * out).  The row stays, so a write of this request still under way on
 * the server fails its claim check instead of committing unnoticed.
 */
static const char SQL_IDEM_RELEASE[] =
    "UPDATE idempotency_keys SET claim = NULL"
    " WHERE scope = $1 AND key = $2 AND claim = $3 AND state = 'running'";

/*
 * What a write of a request holding a key runs in front of its own
 * statement: one more common table expression marking the key written
 * and checking it is still this request's (idem_fence), in the write's
 * own transaction.  %d are the numbers of three parameters added after
 * the op's own: claim, scope, key.
 */
static const char SQL_IDEM_MARK[] =
    "idem_mark AS (UPDATE idempotency_keys"
    " SET written = idem_fence(claim, $%d)"
    " WHERE scope = $%d AND key = $%d)";

static const char *const claim_args[] = { "idem_scope", "idem_key",
    "idem_hash", "idem_limit", "idem_window", "idem_owner", "idem_claim",
    NULL };
static const char *const take_over_args[] = { "idem_scope", "idem_key",
    "idem_hash", "idem_owner", "idem_claim", "idem_old_claim", NULL };
static const char *const release_args[] = { "idem_scope", "idem_key",
    "idem_claim", NULL };
static const char *const store_args[] = { "idem_scope", "idem_key",
    "idem_claim", "idem_status", "idem_type", "idem_location", "idem_body",
    NULL };
static const char *const mark_args[] = { "idem_claim", "idem_scope",
    "idem_key" };

static const struct db_op op_idem_begin = {
	.name = "idem_begin", .sql = SQL_IDEM_BEGIN, .kind = DB_WRITE,
	.args = claim_args,
};
static const struct db_op op_idem_take_over = {
	.name = "idem_take_over", .sql = SQL_IDEM_TAKE_OVER,
	.kind = DB_WRITE, .args = take_over_args,
};
/* Quiet: when these fail, the client gets the handler's answer. */
static const struct db_op op_idem_store = {
	.name = "idem_store", .sql = SQL_IDEM_STORE, .kind = DB_WRITE,
	.args = store_args, .quiet = 1,
};
static const struct db_op op_idem_release = {
	.name = "idem_release", .sql = SQL_IDEM_RELEASE, .kind = DB_WRITE,
	.args = release_args, .quiet = 1,
};

static int
refuse(struct http_request *req, int status, const char *code,
    const char *message, const char *reason)
{
	struct field_errors	fe;

	memset(&fe, 0, sizeof(fe));
	error_field_add(&fe, IDEM_HEADER, reason);
	respond_error(req, status, code, message, &fe);
	return (MW_ERROR);
}

/* The key's scope and the request's fingerprint, as vars for the steps. */
static void
claim_vars(struct http_request *req, struct rq *rq, const char *key)
{
	struct idem_request	r;
	unsigned char		hash[IDEM_HASH_LEN];
	char			hex[IDEM_HASH_LEN * 2 + 3], ip[64];

	/* Signed in: the account, from any device.  Else the address. */
	if (rq->who.account_id != 0) {
		rq_var_setf(req, "idem_scope", "a:%lld",
		    (long long)rq->who.account_id);
	} else {
		rq_client_ip(req, ip, sizeof(ip));
		rq_var_setf(req, "idem_scope", "i:%s", ip);
	}
	rq_var_set(req, "idem_key", key);
	rq_var_set(req, "idem_owner", owner_id());
	rq_var_set(req, "idem_claim", rq->id);
	rq_var_setf(req, "idem_limit", "%d", mw_config.idem_limit);
	rq_var_setf(req, "idem_window", "%d", mw_config.idem_window);
	memset(&r, 0, sizeof(r));
	r.method = http_method_text(req->method);
	r.path = req->path;
	r.query = req->query_string;
	if (!http_request_header(req, "content-type", &r.content_type))
		r.content_type = NULL;
	if (req->http_body != NULL) {
		r.body = req->http_body->data;
		r.body_len = req->http_body_length;
	}
	idem_request_hash(mw_keys.idem, &r, hash);
	bytea_hex(hash, sizeof(hash), hex, sizeof(hex));
	rq_var_set(req, "idem_hash", hex);
}

/* Reads the header once; MW_ERROR after answering a refusal. */
static int
idem_prepare(struct http_request *req, struct rq *rq)
{
	enum idem_policy	policy;
	const char		*key;

	rq->idem.state = IDEM_OFF;
	policy = idem_route_policy(rq->route->method,
	    rq->route->kind == ROUTE_API, rq->route->pattern);
	if (policy == IDEM_IGNORE ||
	    !http_request_header(req, "idempotency-key", &key))
		return (MW_OK);
	if (policy == IDEM_REFUSE)
		return (refuse(req, 422, "idempotency_not_supported",
		    "This endpoint does not take an Idempotency-Key.",
		    "is not accepted here: the answer holds a session token, "
		    "which is never stored"));
	if (!idem_key_valid(key))
		return (refuse(req, 422, NULL, NULL,
		    "must be 1 to 255 visible ASCII characters"));
	claim_vars(req, rq, key);
	rq->idem.state = IDEM_CLAIMING;
	return (MW_OK);
}

/* The stored answer, marked as a replay; never a Set-Cookie. */
static void
replay(struct http_request *req, PGresult *res)
{
	unsigned char	*body;
	size_t		len;

	body = NULL;
	len = 0;
	if (!PQgetisnull(res, 0, B_BODY) && (body = PQunescapeBytea(
	    (const unsigned char *)PQgetvalue(res, 0, B_BODY), &len)) == NULL)
		fatal("idempotency: out of memory");
	if (!PQgetisnull(res, 0, B_LOCATION))
		http_response_header(req, "location",
		    PQgetvalue(res, 0, B_LOCATION));
	http_response_header(req, "idempotent-replayed", "true");
	metrics_idem_replay();
	respond(req, atoi(PQgetvalue(res, 0, B_STATUS)),
	    PQgetisnull(res, 0, B_TYPE) ? NULL : PQgetvalue(res, 0, B_TYPE),
	    body, len);
	PQfreemem(body);
}

static int
flag(PGresult *res, int col)
{
	return (PQgetvalue(res, 0, col)[0] == 't');
}

static enum idem_outcome
outcome(PGresult *res)
{
	struct idem_row	row;

	memset(&row, 0, sizeof(row));
	if (PQntuples(res) == 1) {
		row.fresh = flag(res, B_FRESH);
		row.found = !row.fresh;
		row.same_request = flag(res, B_SAME);
		row.done = flag(res, B_DONE);
		row.age = strtol(PQgetvalue(res, 0, B_AGE), NULL, 10);
		row.wait = strtol(PQgetvalue(res, 0, B_WAIT), NULL, 10);
		row.owned = flag(res, B_OWNED);
		row.alive = flag(res, B_ALIVE);
		row.free = flag(res, B_FREE);
		row.written = flag(res, B_WRITTEN);
	}
	return (idem_decide(&row));
}

static int
in_progress(struct http_request *req)
{
	http_response_header(req, "retry-after", "1");
	return (refuse(req, 409, "idempotency_in_progress",
	    "A request with this Idempotency-Key is still running; "
	    "retry in a moment to get its answer.", "is in use by a "
	    "request that has not finished"));
}

/* DB_DONE: the key is this request's now.  DB_FAILED: answered. */
static enum db_status
take_over(struct http_request *req, struct rq *rq, PGresult *claim)
{
	PGresult	*res;
	enum db_status	s;

	if (params_get(&rq->vars, "idem_taking") == NULL) {
		rq_var_set(req, "idem_taking", "1");
		if (!PQgetisnull(claim, 0, B_CLAIM))
			rq_var_set(req, "idem_old_claim",
			    PQgetvalue(claim, 0, B_CLAIM));
	}
	if ((s = db_step(req, &op_idem_take_over, &res)) != DB_DONE)
		return (s);
	if (PQntuples(res) == 1) {
		kore_log(LOG_NOTICE, "id=%s: Idempotency-Key taken over from "
		    "a request that ended before its write (claim %s)",
		    rq->id, PQgetisnull(claim, 0, B_CLAIM) ? "given up" :
		    PQgetvalue(claim, 0, B_CLAIM));
		rq->idem.state = IDEM_ACTIVE;
		return (DB_DONE);
	}
	/* Another retry was faster, or the write committed after all. */
	rq->idem.state = IDEM_OFF;
	(void)in_progress(req);
	return (DB_FAILED);
}

/* DB_DONE: run the handler.  DB_FAILED: answered (a replay or an error). */
static enum db_status
claimed(struct http_request *req, struct rq *rq, PGresult *res)
{
	switch (outcome(res)) {
	case IDEM_PROCEED:
		rq->idem.state = IDEM_ACTIVE;
		return (DB_DONE);
	case IDEM_REPLAY:
		replay(req, res);
		break;
	case IDEM_TAKE_OVER:
		return (take_over(req, rq, res));
	case IDEM_IN_PROGRESS:
		(void)in_progress(req);
		break;
	case IDEM_CARRIED_OUT:
		(void)refuse(req, 409, "idempotency_carried_out",
		    "The first request with this Idempotency-Key was carried "
		    "out, but its answer was lost (its server stopped before "
		    "sending it); look the result up instead of sending it "
		    "again.", "belongs to a request that was carried out "
		    "without an answer");
		break;
	case IDEM_UNKNOWN:
		(void)refuse(req, 409, "idempotency_outcome_unknown",
		    "The first request with this Idempotency-Key ended "
		    "without recording its answer, so whether it took effect "
		    "is unknown; check, then use a new key.", "belongs to a "
		    "request whose outcome is unknown");
		break;
	case IDEM_OVER_QUOTA:
		http_response_header(req, "retry-after", PQgetvalue(res, 0, 8));
		(void)refuse(req, 429, "too_many_requests", "Too many new "
		    "Idempotency-Keys from this client; wait for Retry-After, "
		    "or send the request without a key.", "is one key too many "
		    "in this window");
		break;
	case IDEM_REUSED:
		(void)refuse(req, 422, "idempotency_key_reused",
		    "This Idempotency-Key was used for a different request.",
		    "was used for a different request");
		break;
	}
	rq->idem.state = IDEM_OFF;
	return (DB_FAILED);
}

/*
 * Before the handler, once per request: claims the key if the route takes
 * one and the request carries one.
 */
enum db_status
idem_begin(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;

	if (rq->idem.state == IDEM_UNSET && !idem_prepare(req, rq))
		return (DB_FAILED);
	if (rq->idem.state != IDEM_CLAIMING)
		return (DB_DONE);
	if ((s = db_step(req, &op_idem_begin, &res)) != DB_DONE)
		return (s);
	return (claimed(req, rq, res));
}

/* From respond(): keeps the handler's answer until it is stored. */
void
idem_capture(struct http_request *req, int status, const char *type,
    const void *body, size_t len)
{
	struct idem		*im = &rq_get(req)->idem;
	struct http_header	*h;

	im->status = status;
	if (type != NULL)
		im->type = kore_strdup(type);
	TAILQ_FOREACH(h, &req->resp_headers, list) {
		if (strcasecmp(h->header, "location") == 0 &&
		    im->location == NULL)
			im->location = kore_strdup(h->value);
	}
	if (len > 0) {
		im->body = kore_malloc(len);
		memcpy(im->body, body, len);
		im->len = len;
	}
	im->state = IDEM_CAPTURED;
}

static void
answer_vars(struct http_request *req, const struct idem *im)
{
	char	*hex;

	rq_var_setf(req, "idem_status", "%d", im->status);
	if (im->type != NULL)
		rq_var_set(req, "idem_type", im->type);
	if (im->location != NULL)
		rq_var_set(req, "idem_location", im->location);
	if (im->len > 0) {
		hex = kore_malloc(im->len * 2 + 3);
		bytea_hex((const unsigned char *)im->body, im->len, hex,
		    im->len * 2 + 3);
		rq_var_set(req, "idem_body", hex);
		kore_free(hex);
	}
}

/* Stores the captured answer (or gives the key up after a 5xx), sends it. */
static int
idem_finish(struct http_request *req, struct rq *rq)
{
	struct idem	*im = &rq->idem;
	PGresult	*res;

	if (params_get(&rq->vars, "idem_status") == NULL) {
		answer_vars(req, im);
		/* A failed handler step is answered (captured) already. */
		db_clear_failure(&rq->db);
	}
	if (db_step(req, im->status >= 500 ? &op_idem_release :
	    &op_idem_store, &res) == DB_PENDING)
		return (KORE_RESULT_RETRY);
	/* A failed store was logged; the handler's answer stands. */
	im->state = IDEM_SENT;
	return (respond(req, im->status, im->type, im->body, im->len));
}

/* After the handler returned r: what dispatch() returns to Kore. */
int
idem_after(struct http_request *req, int r)
{
	struct rq	*rq = rq_get(req);

	if (r == KORE_RESULT_RETRY || (rq->idem.state != IDEM_ACTIVE &&
	    rq->idem.state != IDEM_CAPTURED))
		return (r);
	if (rq->idem.state == IDEM_ACTIVE) {
		kore_log(LOG_ERR, "bug id=%s: handler ended without an answer",
		    rq->id);
		respond_error(req, 500, NULL, NULL, NULL);
	}
	return (idem_finish(req, rq));
}

/*
 * The marking variants of write ops, made the first time a request
 * holding a key runs the op, and kept for the worker's life.  Ops are
 * constants scattered over the capabilities with no list of them, so
 * they cannot be made at start-up; the first use is the next best
 * moment, and there are as many variants as write ops, a few dozen.
 */
struct variant {
	const struct db_op	*base;
	struct db_op		op;
};

static struct variant	**variants;
static int		nvariants;

/*
 * The op's statement with idem_mark in front.  A statement with a WITH
 * list of its own gets it as its first member, so its data-modifying
 * members stay at the top level, where PostgreSQL allows them; any other
 * statement (SELECT, INSERT, UPDATE, DELETE) takes a WITH list as it is.
 * The statement itself is unchanged, so are its result and its command
 * tag.  An unreferenced data-modifying CTE still runs, to completion,
 * after the statement: once per statement.  Only constants go into the
 * text: the op's SQL, SQL_IDEM_MARK, and parameter numbers; the values
 * are bound, as for every statement.
 */
static char *
marked_sql(const char *sql, int n)
{
	struct strbuf	b;
	const char	*rest;
	size_t		len;

	strbuf_init(&b, strlen(sql) + 256);
	strbuf_appends(&b, "WITH ");
	rest = sql;
	if (strncasecmp(sql, "WITH", 4) == 0 && (sql[4] == ' ' ||
	    sql[4] == '\n')) {
		rest = sql + 5;
		len = strspn(rest, " \n");
		rest += len;
		if (strncasecmp(rest, "RECURSIVE ", 10) == 0) {
			strbuf_appends(&b, "RECURSIVE ");
			rest += 10;
		}
	}
	strbuf_appendf(&b, SQL_IDEM_MARK, n + 1, n + 2, n + 3);
	strbuf_appends(&b, rest != sql ? ", " : " ");
	strbuf_appends(&b, rest);
	return (strbuf_steal(&b));
}

static const struct db_op *
variant_make(const struct db_op *base)
{
	struct variant	*v;
	const char	**args;
	char		*name;
	int		i, n;

	for (n = 0; base->args != NULL && base->args[n] != NULL; n++)
		;
	args = kore_calloc(n + 4, sizeof(*args));
	for (i = 0; i < n; i++)
		args[i] = base->args[i];
	for (i = 0; i < 3; i++)
		args[n + i] = mark_args[i];
	name = kore_malloc(strlen(base->name) + 6);
	memcpy(name, base->name, strlen(base->name));
	memcpy(name + strlen(base->name), "+idem", 6);
	v = kore_calloc(1, sizeof(*v));
	v->base = base;
	v->op = *base;
	v->op.name = name;
	v->op.sql = marked_sql(base->sql, n);
	v->op.args = args;
	variants = kore_realloc(variants, (nvariants + 1) * sizeof(*variants));
	variants[nvariants++] = v;
	return (&v->op);
}

/*
 * The statement db.c sends for op: while a request holds a key, a write
 * marks it in the same transaction (see above), so "written" is true
 * exactly when the write committed.  A handler that writes more than
 * once marks with each write: the first committed write makes the key
 * written, and a retry after a crash between two writes learns it was
 * carried out rather than running it again (no POST handler writes
 * twice today).  Writes that only count toward a rate limit
 * (.counts_only) run as they are: running them twice is harmless, and a
 * mark there would call a request carried out that had only been
 * counted.
 */
const struct db_op *
idem_write_op(struct http_request *req, const struct db_op *op)
{
	int	i;

	if (op->kind != DB_WRITE || op->counts_only ||
	    rq_get(req)->idem.state != IDEM_ACTIVE)
		return (op);
	for (i = 0; i < nvariants; i++) {
		if (variants[i]->base == op)
			return (&variants[i]->op);
	}
	return (variant_make(op));
}

void
idem_cleanup(struct idem *im)
{
	kore_free(im->type);
	kore_free(im->location);
	kore_free(im->body);
	im->type = im->location = im->body = NULL;
}
