/*
 * The one asynchronous query path.  A handler declares a struct db_op (SQL
 * as a named constant with $n parameters, which validated request
 * parameters to bind, and how the result becomes the response) and calls
 * db_request(); this file does the kore_pgsql state machine: connection,
 * queueing, waiting, errors, retry and clean-up.
 *
 * Durability: the response is built only after PostgreSQL reported the end
 * of the statement (ReadyForQuery), i.e. after the implicit COMMIT, so a
 * write is never acknowledged before it is committed.
 *
 * Recovery: after a PostgreSQL restart every pooled connection is stale.
 * Before a query, a connection is checked without blocking (poll notices
 * the server's goodbye) and reset if dead; a read that still loses
 * its connection is retried once on a fresh one, so clients see no burst of
 * failures.  Writes are never retried: their fate is unknown.
 *
 * Two pools: the primary (DATABASE_URL) and, with MITWIRKEN_REPLICA_URL, a
 * read replica for the ops marked .replica.  Where such a read goes is
 * decided once per request (src/core/replica.c), so a streamed export's
 * pages all come from one server; a statement that fails on the replica
 * runs again on the primary instead of failing the request.
 */

#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

/*
 * A read that lost its connection runs again on another, up to this many
 * times: after the server ended many sessions at once (an operator, a
 * failover), the next pooled connections may be stale too, and over TCP
 * their goodbye can still be on its way when one is taken.
 */
#define DB_READ_RETRIES	2

enum {
	DBC_SETUP = 1,
	DBC_WAIT,
	DBC_FINISHED,
	DBC_FINISHED_ERR
};

enum step {
	STEP_CONTINUE,
	STEP_RETRY,
	STEP_DONE,
	STEP_FAILED
};

/*
 * Per pool: connections held by requests, and requests queued for one.
 * Kore's own queue is shared by both pools and wakes its first waiter
 * whichever pool freed a connection; a waiter for the other pool queues
 * again at the end.  That costs fairness, never progress: every release
 * wakes someone, and a woken waiter whose pool has a free connection
 * takes it.
 */
static int	in_use[2];
static int	waiting[2];

static void
pool_gauge(void)
{
	metrics_pool(mw_worker_id, in_use[DB_POOL_PRIMARY], mw_config.db_conns,
	    waiting[DB_POOL_PRIMARY]);
	if (replica_configured())
		metrics_replica_pool(mw_worker_id, in_use[DB_POOL_REPLICA],
		    mw_config.replica_conns, waiting[DB_POOL_REPLICA]);
}

void
db_pool_status(enum db_pool pool, int *busy, int *max, int *queued)
{
	*busy = in_use[pool];
	*max = pool == DB_POOL_REPLICA ? mw_config.replica_conns :
	    mw_config.db_conns;
	*queued = waiting[pool];
}

static void
unqueue(struct db_call *c)
{
	if (c->queued) {
		c->queued = 0;
		waiting[c->pool]--;
	}
}

/*
 * Kore reads a connection on every event, and a read after an error (the
 * server's ReadyForQuery arriving in a packet of its own) replaces the
 * error's result with "no more results" before the handler runs: a
 * client's 409 then looked like a lost connection, a 503.  This hook runs
 * after each read and keeps the error's result aside until wait_result().
 */
static void
keep_error(struct kore_pgsql *sql, void *arg)
{
	struct db_call	*c = arg;

	if (sql->state == KORE_PGSQL_STATE_ERROR && sql->result != NULL &&
	    c->error == NULL) {
		c->error = sql->result;
		sql->result = NULL;
	}
}

/* A fresh kore_pgsql for the request, with the hook above. */
static void
call_bind(struct http_request *req, struct db_call *c)
{
	kore_pgsql_init(&c->sql);
	kore_pgsql_bind_request(&c->sql, req);
	c->sql.cb = keep_error;
	c->sql.arg = c;
	if (c->error != NULL) {
		PQclear(c->error);
		c->error = NULL;
	}
}

static void
release(struct db_call *c)
{
	/*
	 * libpq closes the socket of a connection it found dead; Kore would
	 * then ask epoll to forget fd -1 and treat the failure as fatal.
	 */
	if (c->sql.conn != NULL && PQsocket(c->sql.conn->db) < 0)
		c->sql.flags &= ~KORE_PGSQL_SCHEDULED;
	kore_pgsql_cleanup(&c->sql);
	unqueue(c);
	if (c->holds_conn) {
		c->holds_conn = 0;
		in_use[c->pool]--;
	}
	pool_gauge();
}

void
db_call_cleanup(struct db_call *c)
{
	int	i;

	if (c->op != NULL)
		release(c);
	if (c->result != NULL)
		PQclear(c->result);
	if (c->error != NULL)
		PQclear(c->error);
	c->error = NULL;
	for (i = 0; i < c->ndone; i++) {
		if (c->done_res[i] != NULL)
			PQclear(c->done_res[i]);
	}
	c->result = NULL;
	c->ndone = 0;
	c->op = NULL;
}

/*
 * A pooled connection may have died with the server.  An idle connection
 * never has anything to read unless the server is saying goodbye (an error
 * message, then EOF), so readable means stale: reconnect before use.
 */
static int
conn_fresh(PGconn *db)
{
	struct pollfd	pfd;

	pfd.fd = PQsocket(db);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (pfd.fd >= 0 && PQstatus(db) == CONNECTION_OK &&
	    PQtransactionStatus(db) == PQTRANS_IDLE && poll(&pfd, 1, 0) == 0)
		return (MW_OK);
	PQreset(db);
	return (PQstatus(db) == CONNECTION_OK ? MW_OK : MW_ERROR);
}

/*
 * Which statements a connection has prepared.  A server session forgets
 * them when it ends, so an entry is valid only for the backend process
 * it was made in (PQreset and a new connection get a new one).
 */
#define PREPARED_CONNS	64
#define PREPARED_OPS	32

static struct {
	PGconn			*db;
	int			pid;
	int			n;
	uint64_t		used;
	const struct db_op	*ops[PREPARED_OPS];
} prepared[PREPARED_CONNS];

static uint64_t	prepared_clock;

/*
 * The entry of a connection.  Kore may close connections and open new
 * ones (after an outage); the least recently used entry makes room, since
 * it most likely belongs to a connection that is gone.
 */
static int
prepared_slot(PGconn *db)
{
	int	i, slot;

	slot = 0;
	for (i = 0; i < PREPARED_CONNS; i++) {
		if (prepared[i].db == db)
			break;
		if (prepared[i].used < prepared[slot].used)
			slot = i;
	}
	if (i < PREPARED_CONNS)
		slot = i;
	if (prepared[slot].db != db || prepared[slot].pid != PQbackendPID(db)) {
		prepared[slot].db = db;
		prepared[slot].pid = PQbackendPID(db);
		prepared[slot].n = 0;
	}
	prepared[slot].used = ++prepared_clock;
	return (slot);
}

/* Forgets what a connection prepared (the server said it has not). */
static void
prepared_forget(PGconn *db)
{
	int	i;

	for (i = 0; i < PREPARED_CONNS; i++) {
		if (prepared[i].db == db)
			prepared[i].n = 0;
	}
}

/*
 * Prepares op on the connection once.  Synchronous, but only the first
 * time per connection and statement; MW_ERROR sends the statement the
 * ordinary way instead, which then reports any error properly.
 */
static int
prepare_once(PGconn *db, const struct db_op *op, int nparams)
{
	PGresult	*res;
	int		i, slot, ok;

	slot = prepared_slot(db);
	for (i = 0; i < prepared[slot].n; i++) {
		if (prepared[slot].ops[i] == op)
			return (MW_OK);
	}
	if (prepared[slot].n == PREPARED_OPS)
		return (MW_ERROR);
	res = PQprepare(db, op->name, op->sql, nparams, NULL);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (ok)
		prepared[slot].ops[prepared[slot].n++] = op;
	return (ok ? MW_OK : MW_ERROR);
}

/* What kore_pgsql does after sending: wait for the socket, asleep. */
static void
schedule(struct http_request *req, struct db_call *c)
{
	kore_platform_schedule_read(PQsocket(c->sql.conn->db), c->sql.conn);
	c->sql.state = KORE_PGSQL_STATE_WAIT;
	c->sql.flags |= KORE_PGSQL_SCHEDULED;
	http_request_sleep(req);
}

/* The value bound for an op's argument name (see struct db_op). */
static const char *
arg_value(struct http_request *req, const char *name)
{
	struct rq	*rq = rq_get(req);
	const char	*v;

	if (strcmp(name, "@lang") == 0)
		return (lang_code(rq->lang));
	if ((v = params_get(&rq->vars, name)) == NULL)
		v = params_get(&rq->params, name);
	return (v);
}

/* What identifies op's result: its name and every bound value. */
void
db_key(struct http_request *req, const struct db_op *op, struct strbuf *key)
{
	const char	*v;
	int		n;

	strbuf_appends(key, op->name);
	for (n = 0; op->args != NULL && op->args[n] != NULL; n++) {
		v = arg_value(req, op->args[n]);
		/* NULL told apart from "". */
		strbuf_appendf(key, "\x1f%s%s", v != NULL ? "=" : "!",
		    v != NULL ? v : "");
	}
}

/* Sends c->run: the op, or the variant that marks an Idempotency-Key. */
static int
send_query(struct http_request *req, struct db_call *c)
{
	const struct db_op	*op = c->run;
	const char		*values[PARAMS_MAX];
	PGconn			*db = c->sql.conn->db;
	int			n;

	for (n = 0; op->args != NULL && op->args[n] != NULL &&
	    n < PARAMS_MAX; n++)
		values[n] = arg_value(req, op->args[n]);
	metrics_db_query(c->pool);
	if (op->prepare && prepare_once(db, op, n)) {
		if (!PQsendQueryPrepared(db, op->name, n, values, NULL, NULL,
		    0))
			return (MW_ERROR);
		schedule(req, c);
		return (MW_OK);
	}
	return (kore_pgsql_query_param_fields(&c->sql, op->sql, 0, n,
	    values, NULL, NULL));
}

static void
log_error(struct http_request *req, struct db_call *c)
{
	const char	*msg;
	char		line[512];
	size_t		i;

	msg = c->sql.error != NULL ? c->sql.error : "connection lost";
	(void)snprintf(line, sizeof(line), "%s", msg);
	for (i = 0; line[i] != '\0'; i++) {
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	}
	kore_log(LOG_WARNING, "db id=%s op=%s error=%s", rq_get(req)->id,
	    c->op->name, line);
}

/* A declared constraint the client violated: a 409/422 naming the field. */
static int
client_violation(struct http_request *req, struct db_call *c)
{
	const struct db_constraint	*k;
	struct field_errors		fe;
	const char			*name, *reason;

	if (c->op->constraints == NULL || c->sql.result == NULL ||
	    (name = PQresultErrorField(c->sql.result,
	    PG_DIAG_CONSTRAINT_NAME)) == NULL)
		return (0);
	for (k = c->op->constraints; k->name != NULL; k++) {
		if (strcmp(k->name, name) == 0)
			break;
	}
	if (k->name == NULL)
		return (0);
	memset(&fe, 0, sizeof(fe));
	/* No reason of its own: the function's message is written for
	 * clients (defect_attributes_check names the attribute). */
	if ((reason = k->reason) == NULL && (reason = PQresultErrorField(
	    c->sql.result, PG_DIAG_MESSAGE_PRIMARY)) == NULL)
		reason = "is not valid";
	error_field_add(&fe, k->field, reason);
	release(c);
	c->state = DBC_FINISHED_ERR;
	if (k->code != NULL)
		respond_error(req, k->status, k->code, NULL, &fe);
	else
		respond_fields(req, k->status, &fe);
	return (1);
}

/*
 * A statement the replica failed runs again on the primary, whatever the
 * error: a replica that went away, one that cancelled the query for a
 * conflict with recovery, a standby refusing something.  The primary's
 * answer is the one the client gets.
 */
static enum step
replica_fallback(struct http_request *req, struct db_call *c, int lost)
{
	metrics_db_error();
	log_error(req, c);
	metrics_replica_route(RD_FALLBACK);
	if (lost)
		replica_failed();
	c->route = RD_FALLBACK + 1;
	c->vanished = 0;
	release(c);
	call_bind(req, c);
	c->state = DBC_SETUP;
	return (STEP_CONTINUE);
}

static enum step
fail(struct http_request *req, struct db_call *c)
{
	const char	*sqlstate, *code;
	int		lost, status;

	sqlstate = c->sql.result != NULL ?
	    PQresultErrorField(c->sql.result, PG_DIAG_SQLSTATE) : NULL;
	lost = c->vanished || c->sql.conn == NULL ||
	    PQstatus(c->sql.conn->db) != CONNECTION_OK ||
	    error_sqlstate_lost(sqlstate);
	if (c->pool == DB_POOL_REPLICA)
		return (replica_fallback(req, c, lost));
	/*
	 * A client's mistake (a declared constraint) is no database error:
	 * its 4xx is in the request log.  Logging each at length let a flood
	 * of bad requests fill the worker's log channel.
	 */
	if (!lost && !c->op->quiet && client_violation(req, c))
		return (STEP_FAILED);
	metrics_db_error();
	log_error(req, c);
	/* A prepared statement the session does not know: prepare again. */
	if (c->run->prepare && sqlstate != NULL &&
	    strcmp(sqlstate, "26000") == 0 && c->sql.conn != NULL) {
		prepared_forget(c->sql.conn->db);
		lost = c->op->kind == DB_READ;
	}
	if (lost && c->op->kind == DB_READ && c->retried < DB_READ_RETRIES) {
		c->retried++;
		c->vanished = 0;
		metrics_db_retry();
		release(c);
		call_bind(req, c);
		c->state = DBC_SETUP;
		return (STEP_CONTINUE);
	}
	if (c->op->quiet) {
		release(c);
		c->state = DBC_FINISHED;
		return (STEP_FAILED);
	}
	if (lost) {
		status = 503;
		code = "database_unavailable";
	} else {
		error_sqlstate(sqlstate, &status, &code);
	}
	release(c);
	c->state = DBC_FINISHED;
	if (status == 503)
		respond_unavailable(req);
	else
		respond_error(req, status, code, NULL, NULL);
	return (STEP_FAILED);
}

/* The pool for this step: the replica only for a read that accepts it. */
static enum db_pool
choose_pool(struct http_request *req, struct db_call *c)
{
	enum replica_decision	d;

	if (!c->op->replica || c->op->kind != DB_READ ||
	    !replica_configured())
		return (DB_POOL_PRIMARY);
	if (c->route == 0) {
		d = replica_decide(req, c->wrote);
		c->route = (int)d + 1;
		metrics_replica_route(d);
	}
	return (c->route == RD_REPLICA + 1 ? DB_POOL_REPLICA :
	    DB_POOL_PRIMARY);
}

static enum step
setup(struct http_request *req, struct db_call *c)
{
	c->pool = choose_pool(req, c);
	if (!kore_pgsql_setup(&c->sql, c->pool == DB_POOL_REPLICA ?
	    DB_REPLICA : DB_NAME, KORE_PGSQL_ASYNC)) {
		/* Still INIT: queued for a free connection; Kore wakes us. */
		if (c->sql.state == KORE_PGSQL_STATE_INIT) {
			if (!c->queued) {
				c->queued = 1;
				waiting[c->pool]++;
			}
			pool_gauge();
			return (STEP_RETRY);
		}
		unqueue(c);
		return (fail(req, c));
	}
	unqueue(c);
	c->holds_conn = 1;
	in_use[c->pool]++;
	pool_gauge();
	if (!conn_fresh(c->sql.conn->db) || !send_query(req, c))
		return (fail(req, c));
	c->state = DBC_WAIT;
	return (STEP_CONTINUE);
}

/* The statement ended (after COMMIT): remember its result for the step. */
static enum step
finish(struct http_request *req, struct db_call *c)
{
	/* Committed: from now on this client reads from the primary. */
	if (c->op->kind == DB_WRITE) {
		if (!c->wrote)
			replica_wrote(req);
		c->wrote = 1;
		if (c->route == RD_REPLICA + 1)
			c->route = RD_OWN_WRITE + 1;
	}
	release(c);
	c->done_op[c->ndone] = c->op;
	c->done_res[c->ndone] = c->result;
	c->ndone++;
	c->result = NULL;
	c->op = NULL;
	c->state = DBC_FINISHED;
	return (STEP_DONE);
}

static enum step
wait_result(struct http_request *req, struct db_call *c)
{
	/* An error's result, kept by keep_error(): the error it was. */
	if (c->error != NULL) {
		if (c->sql.result != NULL)
			PQclear(c->sql.result);
		c->sql.result = c->error;
		c->error = NULL;
		c->sql.state = KORE_PGSQL_STATE_ERROR;
	}
	switch (c->sql.state) {
	case KORE_PGSQL_STATE_WAIT:
		return (STEP_RETRY);
	case KORE_PGSQL_STATE_RESULT:
		/* Keep the rows, but answer only once the statement ended. */
		if (c->result != NULL)
			PQclear(c->result);
		c->result = c->sql.result;
		c->sql.result = NULL;
		kore_pgsql_continue(&c->sql);
		return (STEP_CONTINUE);
	case KORE_PGSQL_STATE_ERROR:
		return (fail(req, c));
	case KORE_PGSQL_STATE_COMPLETE:
		return (finish(req, c));
	case KORE_PGSQL_STATE_DONE:
		/*
		 * Every statement answers with a result, rows or not.  None at
		 * all: libpq had no query running any more, because the server
		 * ended the session under it (seen over TCP, where a
		 * terminated backend's goodbye is no hang-up for epoll).  A
		 * read is retried; a write's outcome is unknown: 503.
		 */
		if (c->sql.result == NULL && c->result == NULL) {
			c->vanished = 1;
			return (fail(req, c));
		}
		kore_pgsql_continue(&c->sql);
		return (STEP_CONTINUE);
	default:
		kore_pgsql_continue(&c->sql);
		return (STEP_CONTINUE);
	}
}

static int
memo(struct db_call *c, const struct db_op *op, PGresult **res)
{
	int	i;

	for (i = 0; i < c->ndone; i++) {
		if (c->done_op[i] == op) {
			*res = c->done_res[i];
			return (1);
		}
	}
	return (0);
}

/*
 * Runs op to completion across handler calls.  A handler may call several
 * steps in sequence: each finished step is remembered, so when Kore calls
 * the handler again the earlier steps return their results at once and
 * the handler reads like straight-line code.
 */
enum db_status
db_step(struct http_request *req, const struct db_op *op, PGresult **res)
{
	struct db_call	*c = &rq_get(req)->db;
	enum step	s;

	*res = NULL;
	if (memo(c, op, res))
		return (DB_DONE);
	if (c->state == DBC_FINISHED_ERR)
		return (DB_FAILED);
	if (c->op == NULL) {
		if (c->ndone == DB_STEPS_MAX)
			fatal("db_step: %s: too many steps", op->name);
		c->op = op;
		c->run = idem_write_op(req, op);
		c->retried = 0;
		c->vanished = 0;
		call_bind(req, c);
		c->state = DBC_SETUP;
	} else if (c->op != op) {
		/* A handler bug; answer it instead of losing the worker. */
		kore_log(LOG_ERR, "bug id=%s: db_step %s while %s runs",
		    rq_get(req)->id, op->name, c->op->name);
		respond_error(req, 500, NULL, NULL, NULL);
		return (DB_FAILED);
	}
	do {
		switch (c->state) {
		case DBC_SETUP:
			s = setup(req, c);
			break;
		case DBC_WAIT:
			s = wait_result(req, c);
			break;
		default:
			s = STEP_FAILED;
			break;
		}
	} while (s == STEP_CONTINUE);
	if (s == STEP_RETRY)
		return (DB_PENDING);
	if (s == STEP_FAILED) {
		/*
		 * Its connection is released: a step run after the handler
		 * has returned (db_clear_failure()) starts afresh.
		 */
		c->op = NULL;
		c->state = DBC_FINISHED_ERR;
		return (DB_FAILED);
	}
	memo(c, op, res);
	return (DB_DONE);
}

/*
 * Takes a finished step's result out of the request: the caller owns it
 * (PQclear), and the same step may run again, with new values bound: the
 * next page of a keyset query, started before this page is used.
 */
PGresult *
db_take(struct http_request *req, const struct db_op *op)
{
	struct db_call	*c = &rq_get(req)->db;
	PGresult	*res;
	int		i;

	for (i = 0; i < c->ndone; i++) {
		if (c->done_op[i] != op)
			continue;
		res = c->done_res[i];
		c->ndone--;
		c->done_op[i] = c->done_op[c->ndone];
		c->done_res[i] = c->done_res[c->ndone];
		return (res);
	}
	return (NULL);
}

/*
 * After a failed step a handler normally stops; a form page that shows
 * itself again with the error may then run a step of its own.
 */
void
db_clear_failure(struct db_call *c)
{
	/* The failed step's connection has been released already. */
	if (c->state == DBC_FINISHED_ERR) {
		c->state = DBC_FINISHED;
		c->op = NULL;
	}
}

/* What a handler returns to Kore for a step that is not DB_DONE. */
int
db_yield(enum db_status s)
{
	return (s == DB_PENDING ? KORE_RESULT_RETRY : KORE_RESULT_OK);
}

/* One step, then the op's renderer: the whole of most endpoints. */
int
db_request(struct http_request *req, const struct db_op *op)
{
	PGresult	*res;
	enum db_status	s;

	if ((s = db_step(req, op, &res)) != DB_DONE)
		return (db_yield(s));
	return (op->done(req, res, op));
}

/* The first column of the first row is the JSON document; none is a 404. */
int
db_send_json(struct http_request *req, PGresult *res, const struct db_op *op)
{
	(void)op;
	/* A form that ran an API handler goes on to its next page. */
	if (rq_get(req)->form_page != NULL)
		return (form_done(req));
	if (res == NULL || PQntuples(res) == 0 || PQgetisnull(res, 0, 0))
		return (respond_error(req, 404, NULL, NULL, NULL));
	return (respond(req, 200, JSON_TYPE,
	    PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0)));
}

/* The same for a GeoJSON document (RFC 7946: its own media type). */
int
db_send_geojson(struct http_request *req, PGresult *res,
    const struct db_op *op)
{
	(void)op;
	if (res == NULL || PQntuples(res) == 0 || PQgetisnull(res, 0, 0))
		return (respond_error(req, 404, NULL, NULL, NULL));
	return (respond(req, 200, "application/geo+json",
	    PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0)));
}

cJSON *
db_json(PGresult *res)
{
	if (res == NULL || PQntuples(res) == 0 || PQgetisnull(res, 0, 0))
		return (NULL);
	return (cJSON_ParseWithLength(PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0)));
}
