/* replica.c: read routing, the replica's lag, the write cookie. */
#include "mitwirken.h"
#include "unit.h"

static void
lsn_parse(void)
{
	uint64_t	l;

	CHECK(replica_lsn_parse("0/0", &l) && l == 0);
	CHECK(replica_lsn_parse("16/B374D848", &l) &&
	    l == ((uint64_t)0x16 << 32 | 0xB374D848u));
	CHECK(replica_lsn_parse("FFFFFFFF/FFFFFFFF", &l) && l == UINT64_MAX);
	CHECK(!replica_lsn_parse("", &l));
	CHECK(!replica_lsn_parse(NULL, &l));
	CHECK(!replica_lsn_parse("16", &l));
	CHECK(!replica_lsn_parse("16/", &l));
	CHECK(!replica_lsn_parse("/16", &l));
	CHECK(!replica_lsn_parse("-1/0", &l));
	CHECK(!replica_lsn_parse("0/-1", &l));
	CHECK(!replica_lsn_parse("1/2x", &l));
	CHECK(!replica_lsn_parse("100000000/0", &l));
}

/* The replica covers the newest time whose primary position it replayed. */
static void
track(void)
{
	struct replica_track	t;
	int			i;

	replica_track_init(&t);
	CHECK(replica_lag_ms(&t, 5000) == -1);
	CHECK(replica_track_replayed(&t, 100) == 0);
	replica_track_primary(&t, 1000, 100);
	replica_track_primary(&t, 1500, 200);
	replica_track_primary(&t, 2000, 300);
	CHECK(replica_track_replayed(&t, 99) == 0);
	CHECK(replica_track_replayed(&t, 250) == 1500);
	CHECK(replica_lag_ms(&t, 2100) == 600);
	CHECK(replica_track_replayed(&t, 300) == 2000);
	CHECK(replica_lag_ms(&t, 1900) == 0);
	/* A replica that went back does not undo what it covered. */
	CHECK(replica_track_replayed(&t, 150) == 2000);
	/* An idle primary: the position stands still, so does no lag. */
	for (i = 0; i < 3 * REPLICA_SAMPLES; i++)
		replica_track_primary(&t, 3000 + i * 500, 300);
	CHECK(replica_track_replayed(&t, 300) == 3000 +
	    (3 * REPLICA_SAMPLES - 1) * 500);
	/* Writes on, replay paused: the lag grows with the time. */
	for (i = 0; i < 10; i++)
		replica_track_primary(&t, 200000 + i * 500, 400 + i);
	CHECK(replica_track_replayed(&t, 300) == 3000 +
	    (3 * REPLICA_SAMPLES - 1) * 500);
	CHECK(replica_lag_ms(&t, 204500) == 204500 - (3000 +
	    (3 * REPLICA_SAMPLES - 1) * 500));
	CHECK(replica_track_replayed(&t, 405) == 202500);
}

static struct replica_route_in
fresh(void)
{
	struct replica_route_in	in = {
		.wants = 1, .configured = 1, .healthy = 1, .now_ms = 100000,
		.covers_ms = 99500, .max_lag_ms = 10000, .client_write_ms = 0
	};

	return (in);
}

static void
route(void)
{
	struct replica_route_in	in;

	in = fresh();
	CHECK(replica_route(&in) == RD_REPLICA);
	in.wants = 0;
	CHECK(replica_route(&in) == RD_NOT_WANTED);
	in = fresh();
	in.configured = 0;
	CHECK(replica_route(&in) == RD_NOT_CONFIGURED);
	in = fresh();
	in.healthy = 0;
	CHECK(replica_route(&in) == RD_DOWN);
	in = fresh();
	in.covers_ms = 0;	/* never measured */
	CHECK(replica_route(&in) == RD_DOWN);
	in = fresh();
	in.covers_ms = 90000;	/* exactly the bound */
	CHECK(replica_route(&in) == RD_REPLICA);
	in.covers_ms = 89999;
	CHECK(replica_route(&in) == RD_LAGGING);
	/* A covers time ahead of this node's clock is no negative lag. */
	in = fresh();
	in.covers_ms = 100300;
	CHECK(replica_route(&in) == RD_REPLICA);
	/* The client's own write: until covered, with the clock margin. */
	in = fresh();
	in.client_write_ms = 99400;
	CHECK(replica_route(&in) == RD_OWN_WRITE);
	in.client_write_ms = 99500 - REPLICA_SKEW_MS;
	CHECK(replica_route(&in) == RD_OWN_WRITE);
	in.client_write_ms = 99500 - REPLICA_SKEW_MS - 1;
	CHECK(replica_route(&in) == RD_REPLICA);
	/* Down or lagging wins over the write: the primary either way. */
	in.healthy = 0;
	in.client_write_ms = 99400;
	CHECK(replica_route(&in) == RD_DOWN);
}

/*
 * Once the cookie has expired, any replica the router still uses covers
 * the write: its lag is within the bound.
 */
static void
cookie(void)
{
	struct replica_route_in	in;
	int64_t			bound = 10000, write = 50000;

	in = fresh();
	in.max_lag_ms = bound;
	in.client_write_ms = write;
	in.now_ms = write + replica_cookie_age(bound) * 1000;
	for (in.covers_ms = in.now_ms - bound; in.covers_ms <= in.now_ms;
	    in.covers_ms += 50) {
		CHECK(replica_route(&in) == RD_REPLICA);
		in.client_write_ms = 0;
		CHECK(replica_route(&in) == RD_REPLICA);
		in.client_write_ms = write;
	}
	CHECK(replica_cookie_parse("1700000000123", 1800000000000LL) ==
	    1700000000123LL);
	CHECK(replica_cookie_parse("1900000000000", 1800000000000LL) ==
	    1800000000000LL);
	CHECK(replica_cookie_parse("", 1) == 0);
	CHECK(replica_cookie_parse(NULL, 1) == 0);
	CHECK(replica_cookie_parse("-5", 10) == 0);
	CHECK(replica_cookie_parse("12a", 100) == 0);
	CHECK(replica_cookie_parse("0", 100) == 0);
	CHECK_STR(replica_decision_name(RD_OWN_WRITE), "own_write");
	CHECK_STR(replica_decision_name(RD_FALLBACK), "fallback");
}

UNIT_SUITE(replica_tests) = {
	{ "replica: LSN text", lsn_parse },
	{ "replica: lag from primary samples", track },
	{ "replica: routing decision", route },
	{ "replica: write cookie lifetime and parsing", cookie },
	{ NULL, NULL }
};
