#include "mitwirken.h"
#include "unit.h"

static void
counts_and_histogram(void)
{
	static const char *const names[] = { "unmatched", "GET /a" };
	struct strbuf		b;

	CHECK(metrics_init(0, 2));
	metrics_reset();
	metrics_request(1, 200, 300);		/* 0.3 ms */
	metrics_request(1, 200, 20000);		/* 20 ms */
	metrics_request(1, 418, 1000);
	metrics_request(0, 404, 100);
	metrics_db_error();
	metrics_idem_replay();
	metrics_image_task();
	metrics_image_task();
	metrics_pool(1, 3, 16, 2);
	strbuf_init(&b, 1024);
	metrics_render(&b, names, 2);
	CHECK(strstr(b.data, "mitwirken_http_requests_total{route=\"GET /a\","
	    "status=\"200\"} 2\n") != NULL);
	CHECK(strstr(b.data, "{route=\"GET /a\",status=\"418\"} 1\n") !=
	    NULL);
	CHECK(strstr(b.data, "{route=\"unmatched\",status=\"404\"} 1\n") !=
	    NULL);
	CHECK(strstr(b.data, "seconds_bucket{route=\"GET /a\",le=\"0.0005\"} "
	    "1\n") != NULL);
	CHECK(strstr(b.data, "seconds_bucket{route=\"GET /a\",le=\"0.025\"} "
	    "3\n") != NULL);
	CHECK(strstr(b.data, "seconds_bucket{route=\"GET /a\",le=\"+Inf\"} "
	    "3\n") != NULL);
	CHECK(strstr(b.data, "seconds_count{route=\"GET /a\"} 3\n") != NULL);
	CHECK(strstr(b.data, "mitwirken_db_errors_total 1\n") != NULL);
	CHECK(strstr(b.data, "mitwirken_idempotent_replays_total 1\n") !=
	    NULL);
	CHECK(strstr(b.data, "mitwirken_image_tasks_total 2\n") != NULL);
	CHECK(strstr(b.data, "{worker=\"1\",state=\"in_use\"} 3\n") != NULL);
	CHECK(strstr(b.data, "mitwirken_db_queue_waiting{worker=\"1\"} 2\n") !=
	    NULL);
	CHECK(strstr(b.data, "# TYPE mitwirken_http_request_duration_seconds "
	    "histogram\n") != NULL);
	strbuf_free(&b);
}

/* The registry is as large as the route table: no route is dropped. */
static void
every_route_and_code(void)
{
	static char		 buf[100][24];
	const char		*names[100];
	struct strbuf		 b;
	char			 want[128];
	int			 i;

	for (i = 0; i < 100; i++) {
		(void)snprintf(buf[i], sizeof(buf[i]), "GET /r%d", i);
		names[i] = buf[i];
	}
	CHECK(!metrics_init(0, 0));
	CHECK(metrics_init(0, 100));
	metrics_request(99, 202, 100);
	metrics_request(70, 499, 100);
	metrics_request(70, 700, 100);
	metrics_request(100, 200, 100);		/* beyond the table: ignored */
	strbuf_init(&b, 1024);
	metrics_render(&b, names, 100);
	CHECK(strstr(b.data, "{route=\"GET /r99\",status=\"202\"} 1\n") !=
	    NULL);
	CHECK(strstr(b.data, "{route=\"GET /r70\",status=\"499\"} 1\n") !=
	    NULL);
	/* Only a code HTTP does not have is "other". */
	CHECK(strstr(b.data, "{route=\"GET /r70\",status=\"other\"} 1\n") !=
	    NULL);
	CHECK(strstr(b.data, "status=\"200\"") == NULL);
	for (i = 0; i < 100; i++) {
		(void)snprintf(want, sizeof(want), "seconds_count{route=\"%s\"} "
		    "%d\n", names[i], i == 99 ? 1 : i == 70 ? 2 : 0);
		CHECK(strstr(b.data, want) != NULL);
	}
	strbuf_free(&b);
}

/* Both pools, the replica's probe and where stale-tolerant reads went. */
static void
replica_metrics(void)
{
	static const char *const names[] = { "unmatched" };
	struct strbuf		b;

	CHECK(metrics_init(0, 1));
	metrics_pool(0, 1, 16, 0);
	strbuf_init(&b, 1024);
	metrics_render(&b, names, 1);
	/* No replica configured: none of its series. */
	CHECK(strstr(b.data, "mitwirken_db_replica_") == NULL);
	CHECK(strstr(b.data, "mitwirken_db_queries_total{pool=\"replica\"} "
	    "0\n") != NULL);
	metrics_replica_pool(0, 2, 8, 1);
	metrics_replica_pool(1, 0, 8, 0);
	metrics_replica_state(0, 1, 1250);
	metrics_replica_state(1, 0, -1);
	metrics_db_query(1);
	metrics_db_query(1);
	metrics_db_query(0);
	metrics_replica_route(RD_REPLICA);
	metrics_replica_route(RD_OWN_WRITE);
	metrics_replica_route(RD_OWN_WRITE);
	strbuf_reset(&b);
	metrics_render(&b, names, 1);
	CHECK(strstr(b.data, "mitwirken_db_queries_total{pool=\"replica\"} "
	    "2\n") != NULL);
	CHECK(strstr(b.data, "mitwirken_db_queries_total{pool=\"primary\"} "
	    "1\n") != NULL);
	CHECK(strstr(b.data, "mitwirken_db_replica_pool_connections{worker="
	    "\"0\",state=\"in_use\"} 2\n") != NULL);
	CHECK(strstr(b.data, "mitwirken_db_replica_queue_waiting{worker="
	    "\"0\"} 1\n") != NULL);
	CHECK(strstr(b.data, "mitwirken_db_replica_lag_seconds{worker="
	    "\"0\"} 1.250\n") != NULL);
	CHECK(strstr(b.data, "mitwirken_db_replica_lag_seconds{worker="
	    "\"1\"} NaN\n") != NULL);
	CHECK(strstr(b.data, "mitwirken_db_replica_up{worker=\"1\"} 0\n") !=
	    NULL);
	CHECK(strstr(b.data, "routing_total{decision=\"own_write\"} 2\n") !=
	    NULL);
	CHECK(strstr(b.data, "routing_total{decision=\"lagging\"} 0\n") !=
	    NULL);
	CHECK(strstr(b.data, "not_wanted") == NULL);
	strbuf_free(&b);
}

UNIT_SUITE(metrics_tests) = {
	{ "metrics: the read replica", replica_metrics },
	{ "metrics: counters, histogram, pool", counts_and_histogram },
	{ "metrics: every route, every status code", every_route_and_code },
	{ NULL, NULL }
};
