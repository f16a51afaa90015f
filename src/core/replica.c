/*
 * The read replica (MITWIRKEN_REPLICA_URL): its probe, the routing of the
 * reads that accept slightly stale data, and the read-your-writes cookie.
 * The decision itself is pure (src/lib/replica.c); this file feeds it.
 *
 * The probe: every REPLICA_PROBE_MS each worker asks the primary for its
 * WAL position and then the replica how far it has replayed, over two
 * connections of its own, outside Kore's pools (a probe never waits
 * behind requests, and requests never wait behind it).  They are driven
 * without blocking from a timer: PQconnectStart/PQconnectPoll and
 * PQsendQuery, polled with a zero timeout, so an unreachable replica
 * costs the worker nothing; one that does not answer within
 * REPLICA_PROBE_TIMEOUT_MS is dropped and dialled again.  libpq dials the
 * URLs afresh each time, so a multi-host DATABASE_URL with
 * target_session_attrs=read-write follows a promoted primary.
 *
 * Read-your-writes: a request that committed a write answers with the
 * cookie mw_wrote (__Host-mw_wrote behind TLS) holding the time of the
 * write in milliseconds.  While the replica does not cover that time
 * (see src/lib/replica.c), that client's stale-tolerant reads go to the
 * primary.  A time rather than a WAL position: knowing the write's
 * position would cost a query after every write, while the time is free
 * and the probe already maps times to positions.  The cookie is not
 * secret and a client may forge it, but all it can do with it is send
 * its own reads to the primary (a future time is clamped to now, so the
 * cookie pins nothing beyond its Max-Age).  Any client that keeps cookies
 * (browsers, most HTTP libraries) reads its own writes; one that drops
 * them sees the heavy routes at most MITWIRKEN_REPLICA_MAX_LAG old.
 */

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mitwirken.h"

#define REPLICA_PROBE_MS		500
#define REPLICA_PROBE_TIMEOUT_MS	3000
/* Without an answer for this long the replica counts as down. */
#define REPLICA_STALE_MS		2000
#define REPLICA_TICK_MS			50

#define WROTE_COOKIE_PLAIN	"mw_wrote"
#define WROTE_COOKIE_TLS	"__Host-mw_wrote"

static const char SQL_PRIMARY_LSN[] = "SELECT pg_current_wal_lsn()::text";
/* A server that is no standby (misconfigured, or promoted) has no replay
 * position; its own position then says what it shows. */
static const char SQL_REPLAY_LSN[] =
    "SELECT coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn())::text";

enum probe_state {
	PROBE_IDLE = 0,
	PROBE_CONNECTING,
	PROBE_READY,
	PROBE_BUSY
};

enum probe_result {
	PROBE_PENDING,
	PROBE_DONE,
	PROBE_FAILED
};

struct probe {
	const char			*url;
	PGconn				*db;
	enum probe_state		state;
	PostgresPollingStatusType	poll;
	int64_t				since;
};

static struct probe		primary_probe, replica_probe;
static struct replica_track	track;
static int			phase;		/* 0 idle, 1 primary, 2 replica */
static int64_t			cycle_at;	/* ms: when this cycle began */
static int64_t			replica_ok_at;	/* ms: its last answer */
static int			replica_was_up;	/* for logging changes */

int64_t
replica_now_ms(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int
replica_configured(void)
{
	return (mw_config.replica_url[0] != '\0');
}

/*
 * Drops a probe's connection.  The replica's going down is logged once,
 * with libpq's reason; /readyz only says "down" (the reason names hosts
 * and ports, which the public need not learn).
 */
static void
probe_drop(struct probe *p, int is_replica)
{
	char	msg[200], *p2;
	size_t	i;

	if (is_replica && replica_was_up) {
		(void)snprintf(msg, sizeof(msg), "%s", p->db != NULL ?
		    PQerrorMessage(p->db) : "no connection");
		for (i = 0; msg[i] != '\0'; i++) {
			if (msg[i] == '\n' || msg[i] == '\r' || msg[i] == '\t')
				msg[i] = ' ';
		}
		/* The scripts read "fatal" in the log as a crashed worker. */
		for (p2 = msg; (p2 = strstr(p2, "FATAL:")) != NULL; p2 += 6)
			memcpy(p2, "ended:", 6);
		kore_log(LOG_WARNING, "replica down: %s", msg);
		replica_was_up = 0;
	}
	if (p->db != NULL)
		PQfinish(p->db);
	p->db = NULL;
	p->state = PROBE_IDLE;
}

/* Is the connection's socket ready for what libpq waits for? */
static int
ready_for(PGconn *db, short events)
{
	struct pollfd	pfd;

	pfd.fd = PQsocket(db);
	pfd.events = events;
	pfd.revents = 0;
	return (pfd.fd >= 0 && poll(&pfd, 1, 0) > 0);
}

static enum probe_result
probe_connect(struct probe *p)
{
	short	ev;

	while (p->poll != PGRES_POLLING_OK) {
		if (p->poll == PGRES_POLLING_FAILED)
			return (PROBE_FAILED);
		ev = p->poll == PGRES_POLLING_WRITING ? POLLOUT : POLLIN;
		if (!ready_for(p->db, ev))
			return (PROBE_PENDING);
		p->poll = PQconnectPoll(p->db);
	}
	p->state = PROBE_READY;
	return (PROBE_DONE);
}

/* The single text value the statement answered, into out. */
static enum probe_result
probe_read(struct probe *p, char *out, size_t len)
{
	PGresult	*res;
	int		ok;

	if (ready_for(p->db, POLLIN) && !PQconsumeInput(p->db))
		return (PROBE_FAILED);
	if (PQisBusy(p->db))
		return (PROBE_PENDING);
	ok = 0;
	while ((res = PQgetResult(p->db)) != NULL) {
		if (PQresultStatus(res) == PGRES_TUPLES_OK &&
		    PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
			(void)snprintf(out, len, "%s", PQgetvalue(res, 0, 0));
			ok = 1;
		}
		PQclear(res);
	}
	p->state = PROBE_READY;
	return (ok ? PROBE_DONE : PROBE_FAILED);
}

/* Advances one probe's statement as far as it goes without blocking. */
static enum probe_result
probe_step(struct probe *p, const char *sql, int64_t now, char *out,
    size_t len)
{
	enum probe_result	r;

	if (p->state == PROBE_IDLE) {
		p->db = PQconnectStart(p->url);
		if (p->db == NULL || PQstatus(p->db) == CONNECTION_BAD)
			return (PROBE_FAILED);
		p->poll = PGRES_POLLING_WRITING;
		p->state = PROBE_CONNECTING;
		p->since = now;
	}
	if (p->state == PROBE_CONNECTING) {
		if (now - p->since > REPLICA_PROBE_TIMEOUT_MS)
			return (PROBE_FAILED);
		if ((r = probe_connect(p)) != PROBE_DONE)
			return (r);
	}
	if (p->state == PROBE_READY) {
		if (PQstatus(p->db) != CONNECTION_OK ||
		    !PQsendQuery(p->db, sql))
			return (PROBE_FAILED);
		p->state = PROBE_BUSY;
		p->since = now;
	}
	if (now - p->since > REPLICA_PROBE_TIMEOUT_MS)
		return (PROBE_FAILED);
	return (probe_read(p, out, len));
}

static void
publish(int64_t now)
{
	metrics_replica_state(mw_worker_id, replica_healthy(now),
	    replica_lag_ms(&track, now));
}

static void
probe_tick(void *arg, uint64_t unused)
{
	enum probe_result	r;
	char			v[64];
	uint64_t		lsn;
	int64_t			now;

	(void)arg;
	(void)unused;
	now = replica_now_ms();
	if (phase == 0) {
		if (now - cycle_at < REPLICA_PROBE_MS)
			return;
		cycle_at = now;
		phase = 1;
	}
	if (phase == 1) {
		r = probe_step(&primary_probe, SQL_PRIMARY_LSN, now, v,
		    sizeof(v));
		if (r == PROBE_PENDING)
			return;
		/* The time the question was asked bounds what it covers. */
		if (r == PROBE_DONE && replica_lsn_parse(v, &lsn))
			replica_track_primary(&track, primary_probe.since, lsn);
		if (r == PROBE_FAILED)
			probe_drop(&primary_probe, 0);
		phase = 2;
	}
	r = probe_step(&replica_probe, SQL_REPLAY_LSN, now, v, sizeof(v));
	if (r == PROBE_PENDING)
		return;
	if (r == PROBE_DONE && replica_lsn_parse(v, &lsn)) {
		(void)replica_track_replayed(&track, lsn);
		replica_ok_at = now;
		if (!replica_was_up)
			kore_log(LOG_NOTICE, "replica up");
		replica_was_up = 1;
	} else {
		probe_drop(&replica_probe, 1);
		replica_ok_at = 0;
	}
	phase = 0;
	publish(now);
}

int
replica_healthy(int64_t now)
{
	return (replica_ok_at != 0 && now - replica_ok_at <= REPLICA_STALE_MS);
}

/* A worker's replica pool and probe; nothing without a replica. */
void
replica_init(void)
{
	if (!replica_configured())
		return;
	pgsql_conn_max = (u_int16_t)mw_config.replica_conns;
	if (!kore_pgsql_register(DB_REPLICA, mw_config.replica_url))
		fatal("cannot register the read replica");
	replica_track_init(&track);
	primary_probe.url = mw_config.database_url;
	replica_probe.url = mw_config.replica_url;
	metrics_replica_pool(mw_worker_id, 0, mw_config.replica_conns, 0);
	metrics_replica_state(mw_worker_id, 0, -1);
	kore_timer_add(probe_tick, REPLICA_TICK_MS, NULL, 0);
}

/* A replica statement lost its connection: down until a probe answers. */
void
replica_failed(void)
{
	replica_ok_at = 0;
	publish(replica_now_ms());
}

/* The write time the client presents, 0 for none. */
static int64_t
client_write(struct http_request *req, int64_t now)
{
	const char	*h;
	char		v[32];

	if (!http_request_header(req, "cookie", &h) ||
	    !cookie_find(h, mw_config.behind_tls ? WROTE_COOKIE_TLS :
	    WROTE_COOKIE_PLAIN, v, sizeof(v)))
		return (0);
	return (replica_cookie_parse(v, now));
}

/*
 * Where the stale-tolerant reads of this request go.  wrote: the request
 * itself committed a write already (a form that writes, then shows).
 */
enum replica_decision
replica_decide(struct http_request *req, int wrote)
{
	struct replica_route_in	in;

	memset(&in, 0, sizeof(in));
	in.wants = 1;
	in.configured = replica_configured();
	if (!in.configured)
		return (RD_NOT_CONFIGURED);
	in.now_ms = replica_now_ms();
	in.healthy = replica_healthy(in.now_ms);
	in.covers_ms = track.covers_ms;
	in.max_lag_ms = (int64_t)mw_config.replica_max_lag * 1000;
	in.client_write_ms = wrote ? in.now_ms : client_write(req, in.now_ms);
	return (replica_route(&in));
}

/* After a committed write: the client's next reads see it. */
void
replica_wrote(struct http_request *req)
{
	char	value[32], cookie[160];

	if (!replica_configured())
		return;
	(void)snprintf(value, sizeof(value), "%lld",
	    (long long)replica_now_ms());
	cookie_format(cookie, sizeof(cookie), mw_config.behind_tls ?
	    WROTE_COOKIE_TLS : WROTE_COOKIE_PLAIN, value,
	    replica_cookie_age((int64_t)mw_config.replica_max_lag * 1000),
	    mw_config.behind_tls);
	http_response_header(req, "set-cookie", cookie);
}

/* For /readyz: the replica's state in words. */
void
replica_status(struct strbuf *b)
{
	int64_t	now, lag;

	if (!replica_configured())
		return;
	now = replica_now_ms();
	lag = replica_lag_ms(&track, now);
	if (!replica_healthy(now))
		strbuf_appends(b, "replica: down; its reads go to the "
		    "primary\n");
	else if (lag < 0)
		strbuf_appends(b, "replica: up, lag not measured yet; its "
		    "reads go to the primary\n");
	else if (lag > (int64_t)mw_config.replica_max_lag * 1000)
		strbuf_appendf(b, "replica: up, lagging %.1f s (bound %d s); "
		    "its reads go to the primary\n", (double)lag / 1000,
		    mw_config.replica_max_lag);
	else
		strbuf_appendf(b, "replica: up, lag %.1f s (bound %d s)\n",
		    (double)lag / 1000, mw_config.replica_max_lag);
}
