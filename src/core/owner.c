/*
 * This worker's identity towards the database, for Idempotency-Keys
 * (idempotency.c): a random owner number made at start, recorded with
 * every key the worker claims, and a connection of its own that holds a
 * session advisory lock on that number for as long as the worker lives.
 * Another node asks PostgreSQL whether the lock is held
 * (sql/functions/idem_owner_alive.sql) to learn whether a key's claimant
 * can still finish.  When the worker dies, however it dies (kill -9, the
 * machine), its connection closes and PostgreSQL drops the lock: a
 * retry on another node takes the key over at once, without waiting for
 * a lease to expire, and nothing is written to keep the lock (a lease
 * row renewed every few seconds per worker would be a commit each time,
 * waited for by a synchronous standby).
 *
 * The connection is driven without blocking from a timer, as the
 * replica's probe is (replica.c), and dialled again when it breaks; a
 * multi-host DATABASE_URL makes it follow a promoted primary.  While the
 * worker holds no lock (at start, or after the database went away) its
 * keys look abandoned to other nodes, which may then take one over: the
 * claim check in every write (idem_fence) keeps that from running a
 * request twice; it costs the request here its answer (503, and the
 * retry gets the other one's).
 */

#include <poll.h>
#include <stdio.h>

#include <sodium.h>

#include "mitwirken.h"

#define OWNER_TICK_MS		500
#define OWNER_CONNECT_MS	3000

static const char SQL_OWNER_LOCK[] =
    "SELECT pg_try_advisory_lock($1::bigint)";

enum owner_state {
	OWNER_IDLE = 0,
	OWNER_CONNECTING,
	OWNER_LOCKING,
	OWNER_HELD
};

static char				owner_text[24];
static PGconn				*conn;
static enum owner_state			state;
static PostgresPollingStatusType	polling;
static int64_t				since;
static int				was_held;

const char *
owner_id(void)
{
	return (owner_text);
}

static int
ready_for(short events)
{
	struct pollfd	pfd;

	pfd.fd = PQsocket(conn);
	pfd.events = events;
	pfd.revents = 0;
	return (pfd.fd >= 0 && poll(&pfd, 1, 0) > 0);
}

static void
drop(void)
{
	if (was_held)
		kore_log(LOG_WARNING, "owner %s: lock connection lost; this "
		    "worker's Idempotency-Keys look abandoned until it is back",
		    owner_text);
	was_held = 0;
	if (conn != NULL)
		PQfinish(conn);
	conn = NULL;
	state = OWNER_IDLE;
}

/* MW_OK once connected and the lock asked for; MW_ERROR: give up. */
static int
connect_step(int64_t now)
{
	const char	*values[1];

	while (polling != PGRES_POLLING_OK) {
		if (polling == PGRES_POLLING_FAILED ||
		    now - since > OWNER_CONNECT_MS)
			return (MW_ERROR);
		if (!ready_for(polling == PGRES_POLLING_WRITING ? POLLOUT :
		    POLLIN))
			return (MW_OK);
		polling = PQconnectPoll(conn);
	}
	values[0] = owner_text;
	if (!PQsendQueryParams(conn, SQL_OWNER_LOCK, 1, NULL, values, NULL,
	    NULL, 0))
		return (MW_ERROR);
	state = OWNER_LOCKING;
	return (MW_OK);
}

/* The lock's answer: MW_ERROR unless it was granted. */
static int
lock_step(void)
{
	PGresult	*res;
	int		ok;

	if (ready_for(POLLIN) && !PQconsumeInput(conn))
		return (MW_ERROR);
	if (PQisBusy(conn))
		return (MW_OK);
	ok = 0;
	while ((res = PQgetResult(conn)) != NULL) {
		ok = PQresultStatus(res) == PGRES_TUPLES_OK &&
		    PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
		PQclear(res);
	}
	if (!ok)
		return (MW_ERROR);
	state = OWNER_HELD;
	was_held = 1;
	return (MW_OK);
}

/*
 * An idle connection has nothing to read unless the server is saying
 * goodbye (a restart, a failover): then it is dialled again.
 */
static void
owner_tick(void *arg, uint64_t unused)
{
	int64_t	now;
	int	ok;

	(void)arg;
	(void)unused;
	now = replica_now_ms();
	ok = MW_OK;
	switch (state) {
	case OWNER_IDLE:
		conn = PQconnectStart(mw_config.database_url);
		if (conn == NULL || PQstatus(conn) == CONNECTION_BAD) {
			ok = MW_ERROR;
			break;
		}
		polling = PGRES_POLLING_WRITING;
		since = now;
		state = OWNER_CONNECTING;
		ok = connect_step(now);
		break;
	case OWNER_CONNECTING:
		ok = connect_step(now);
		break;
	case OWNER_LOCKING:
		ok = lock_step();
		break;
	case OWNER_HELD:
		if (ready_for(POLLIN) && (!PQconsumeInput(conn) ||
		    PQstatus(conn) != CONNECTION_OK))
			ok = MW_ERROR;
		break;
	}
	if (!ok)
		drop();
}

/* At worker start: a new owner number, and the lock taken soon after. */
void
owner_init(void)
{
	uint64_t	n;

	randombytes_buf(&n, sizeof(n));
	/* Positive and never 0: a bigint PostgreSQL prints as we do. */
	n = (n >> 1) | 1;
	(void)snprintf(owner_text, sizeof(owner_text), "%lld", (long long)n);
	owner_tick(NULL, 0);
	kore_timer_add(owner_tick, OWNER_TICK_MS, NULL, 0);
}

/* Whether this worker's keys show it alive (for /readyz, the tests). */
int
owner_held(void)
{
	return (state == OWNER_HELD);
}
