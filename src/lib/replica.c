/*
 * Which pool serves a read, and how stale the read replica is: pure logic
 * for src/core/replica.c (the probe) and src/core/db.c (the routing).
 *
 * Staleness is measured, not guessed from the replica's own clock.  Every
 * probe first asks the primary for its WAL position P (pg_current_wal_lsn)
 * and remembers it with the wall-clock time T at which the question was
 * sent; then it asks the replica how far it has replayed (R).  Every write
 * acknowledged before T committed at or below P, so when R >= P every
 * such write is visible on the replica: the replica "covers" T.  The
 * replica's lag is how long ago the newest covered T was.  This stays
 * right where the replica's own figures mislead: a replica whose WAL
 * stream broke shows receive = replay and an old replay timestamp
 * whether or not anything was written meanwhile; here an idle primary
 * (P does not move) keeps the lag at zero and writes make it grow.
 *
 * Read-your-writes uses the same measure: a response to a request that
 * committed a write carries the time of that write (a cookie), and a read
 * that could go to the replica goes to the primary instead until the
 * replica covers that time.  Times are wall-clock milliseconds, so any
 * node may compare a cookie another node set; REPLICA_SKEW_MS allows for
 * the clocks of the nodes differing a little.
 */

#include <stdlib.h>

#include "mitwirken.h"

/* "16/B374D848": two hexadecimal halves of a 64-bit position. */
int
replica_lsn_parse(const char *s, uint64_t *lsn)
{
	char		*end;
	unsigned long	hi, lo;

	if (s == NULL || *s == '\0' || *s == '-' || *s == '+' || *s == ' ')
		return (MW_ERROR);
	hi = strtoul(s, &end, 16);
	if (end == s || *end != '/' || hi > 0xffffffffUL)
		return (MW_ERROR);
	s = end + 1;
	if (*s == '\0' || *s == '-' || *s == '+' || *s == ' ')
		return (MW_ERROR);
	lo = strtoul(s, &end, 16);
	if (end == s || *end != '\0' || lo > 0xffffffffUL)
		return (MW_ERROR);
	*lsn = ((uint64_t)hi << 32) | (uint64_t)lo;
	return (MW_OK);
}

void
replica_track_init(struct replica_track *t)
{
	t->n = 0;
	t->head = 0;
	t->covers_ms = 0;
}

/* The primary was at lsn when asked at at_ms (the time sent). */
void
replica_track_primary(struct replica_track *t, int64_t at_ms, uint64_t lsn)
{
	t->at_ms[t->head] = at_ms;
	t->lsn[t->head] = lsn;
	t->head = (t->head + 1) % REPLICA_SAMPLES;
	if (t->n < REPLICA_SAMPLES)
		t->n++;
}

/*
 * The replica has replayed up to lsn: the newest sample it covers.  Never
 * moves back (a replica restarted from an older base cannot uncommit what
 * it showed; if its position went back, the samples above it stay
 * uncovered and the lag grows, which is what happened).
 */
int64_t
replica_track_replayed(struct replica_track *t, uint64_t lsn)
{
	int	i, k;

	for (i = 0; i < t->n; i++) {
		k = (t->head - 1 - i + REPLICA_SAMPLES) % REPLICA_SAMPLES;
		if (t->lsn[k] <= lsn) {
			if (t->at_ms[k] > t->covers_ms)
				t->covers_ms = t->at_ms[k];
			break;
		}
	}
	return (t->covers_ms);
}

/* How old the replica's view is at now_ms; -1: not known yet. */
int64_t
replica_lag_ms(const struct replica_track *t, int64_t now_ms)
{
	if (t->covers_ms == 0)
		return (-1);
	return (now_ms > t->covers_ms ? now_ms - t->covers_ms : 0);
}

/*
 * Where a read goes.  Only a read that declared stale data acceptable may
 * go to the replica, and only while the replica answers, its lag is
 * known and within the bound, and it covers the client's last write.
 */
enum replica_decision
replica_route(const struct replica_route_in *in)
{
	int64_t	lag;

	if (!in->wants)
		return (RD_NOT_WANTED);
	if (!in->configured)
		return (RD_NOT_CONFIGURED);
	if (!in->healthy || in->covers_ms <= 0)
		return (RD_DOWN);
	lag = in->now_ms > in->covers_ms ? in->now_ms - in->covers_ms : 0;
	if (lag > in->max_lag_ms)
		return (RD_LAGGING);
	if (in->client_write_ms > 0 &&
	    in->client_write_ms + REPLICA_SKEW_MS >= in->covers_ms)
		return (RD_OWN_WRITE);
	return (RD_REPLICA);
}

/*
 * How long a client must keep its write time: once that much has passed,
 * any replica the router would use covers the write anyway (its lag is
 * within the bound), so the cookie can go.
 */
int
replica_cookie_age(int64_t max_lag_ms)
{
	return ((int)((max_lag_ms + REPLICA_SKEW_MS) / 1000) + 2);
}

/* A cookie's write time; 0 (none) for anything malformed. */
int64_t
replica_cookie_parse(const char *v, int64_t now_ms)
{
	char		*end;
	long long	t;

	if (v == NULL || *v < '0' || *v > '9')
		return (0);
	t = strtoll(v, &end, 10);
	if (*end != '\0' || t <= 0)
		return (0);
	/* A time in the future is clamped: it cannot pin reads for long. */
	if (t > now_ms)
		t = now_ms;
	return ((int64_t)t);
}

const char *
replica_decision_name(enum replica_decision d)
{
	switch (d) {
	case RD_REPLICA:
		return ("replica");
	case RD_NOT_WANTED:
		return ("not_wanted");
	case RD_NOT_CONFIGURED:
		return ("not_configured");
	case RD_DOWN:
		return ("down");
	case RD_LAGGING:
		return ("lagging");
	case RD_OWN_WRITE:
		return ("own_write");
	case RD_FALLBACK:
		return ("fallback");
	}
	return ("unknown");
}
