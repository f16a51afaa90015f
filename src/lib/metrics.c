/*
 * Prometheus metrics shared by all workers.  A scrape lands on one worker,
 * so the counters live in an anonymous shared mapping made by the parent
 * before fork and are updated with atomic adds: no locks, no messages.
 * The mapping is sized from the route table at start-up, so no route is
 * ever left out, and each route counts every status code by its number.
 */

#include <sys/mman.h>

#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

/* One slot per code 100-599; the last one for codes HTTP does not have. */
#define STATUS_FIRST	100
#define STATUS_SLOTS	501
#define WORKERS_MAX	64

const double	metrics_bucket_bounds[METRICS_BUCKETS] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
	2.5
};

struct route_stats {
	uint64_t	status[STATUS_SLOTS];
	uint64_t	bucket[METRICS_BUCKETS + 1];
	uint64_t	sum_us;
	uint64_t	count;
};

struct shared {
	uint64_t		db_errors;
	uint64_t		db_retries;
	uint64_t		password_hashes;
	uint64_t		idem_replays;
	uint64_t		image_tasks;
	struct {
		int64_t		in_use;
		int64_t		max;
		int64_t		waiting;
	} pool[WORKERS_MAX], replica_pool[WORKERS_MAX];
	uint64_t		queries[2];	/* primary, replica */
	uint64_t		routing[RD_COUNT];
	struct {
		int64_t		up;
		int64_t		lag_ms;		/* -1: not known */
	} replica[WORKERS_MAX];
	struct route_stats	routes[];	/* nroutes of them */
};

static struct shared	*shm;
static size_t		 shm_size;
static int		 nroutes;
static int		 shm_heap;	/* calloc'ed: freed on the next init */

/*
 * count: how many route labels there will be (the table plus the
 * "unmatched" pseudo-route).  Not shared: plain memory, for unit tests.
 */
int
metrics_init(int shared, int count)
{
	size_t	size;
	void	*p;

	if (count < 1)
		return (MW_ERROR);
	size = sizeof(struct shared) + (size_t)count *
	    sizeof(struct route_stats);
	if (!shared)
		p = calloc(1, size);
	else if ((p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED)
		p = NULL;
	if (p == NULL)
		return (MW_ERROR);
	if (shm_heap)
		free(shm);
	shm = p;
	shm_heap = !shared;
	shm_size = size;
	nroutes = count;
	return (MW_OK);
}

void
metrics_reset(void)
{
	if (shm != NULL)
		memset(shm, 0, shm_size);
}

static int
status_slot(int status)
{
	if (status < STATUS_FIRST || status >= STATUS_FIRST + STATUS_SLOTS - 1)
		return (STATUS_SLOTS - 1);
	return (status - STATUS_FIRST);
}

/* route: an index into the names given to metrics_render(), 0 unmatched. */
void
metrics_request(int route, int status, uint64_t micros)
{
	struct route_stats	*rs;
	int			b;

	if (shm == NULL || route < 0 || route >= nroutes)
		return;
	rs = &shm->routes[route];
	__atomic_fetch_add(&rs->status[status_slot(status)], 1,
	    __ATOMIC_RELAXED);
	for (b = 0; b < METRICS_BUCKETS; b++) {
		if ((double)micros / 1e6 <= metrics_bucket_bounds[b])
			break;
	}
	__atomic_fetch_add(&rs->bucket[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rs->sum_us, micros, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rs->count, 1, __ATOMIC_RELAXED);
}

void
metrics_db_error(void)
{
	if (shm != NULL)
		__atomic_fetch_add(&shm->db_errors, 1, __ATOMIC_RELAXED);
}

void
metrics_db_retry(void)
{
	if (shm != NULL)
		__atomic_fetch_add(&shm->db_retries, 1, __ATOMIC_RELAXED);
}

void
metrics_password_hash(void)
{
	if (shm != NULL)
		__atomic_fetch_add(&shm->password_hashes, 1, __ATOMIC_RELAXED);
}

void
metrics_idem_replay(void)
{
	if (shm != NULL)
		__atomic_fetch_add(&shm->idem_replays, 1, __ATOMIC_RELAXED);
}

void
metrics_image_task(void)
{
	if (shm != NULL)
		__atomic_fetch_add(&shm->image_tasks, 1, __ATOMIC_RELAXED);
}

void
metrics_pool(int worker, int in_use, int max, int waiting)
{
	if (shm == NULL || worker < 0 || worker >= WORKERS_MAX)
		return;
	__atomic_store_n(&shm->pool[worker].in_use, in_use, __ATOMIC_RELAXED);
	__atomic_store_n(&shm->pool[worker].max, max, __ATOMIC_RELAXED);
	__atomic_store_n(&shm->pool[worker].waiting, waiting,
	    __ATOMIC_RELAXED);
}

void
metrics_replica_pool(int worker, int in_use, int max, int waiting)
{
	if (shm == NULL || worker < 0 || worker >= WORKERS_MAX)
		return;
	__atomic_store_n(&shm->replica_pool[worker].in_use, in_use,
	    __ATOMIC_RELAXED);
	__atomic_store_n(&shm->replica_pool[worker].max, max,
	    __ATOMIC_RELAXED);
	__atomic_store_n(&shm->replica_pool[worker].waiting, waiting,
	    __ATOMIC_RELAXED);
}

/* A statement sent to the primary (0) or the replica (1). */
void
metrics_db_query(int replica)
{
	if (shm != NULL)
		__atomic_fetch_add(&shm->queries[replica ? 1 : 0], 1,
		    __ATOMIC_RELAXED);
}

/* Where a read that accepts stale data went, and why. */
void
metrics_replica_route(enum replica_decision d)
{
	if (shm != NULL && (int)d >= 0 && d < RD_COUNT)
		__atomic_fetch_add(&shm->routing[d], 1, __ATOMIC_RELAXED);
}

void
metrics_replica_state(int worker, int up, int64_t lag_ms)
{
	if (shm == NULL || worker < 0 || worker >= WORKERS_MAX)
		return;
	__atomic_store_n(&shm->replica[worker].up, up, __ATOMIC_RELAXED);
	__atomic_store_n(&shm->replica[worker].lag_ms, lag_ms,
	    __ATOMIC_RELAXED);
}

static uint64_t
load(const uint64_t *p)
{
	return (__atomic_load_n(p, __ATOMIC_RELAXED));
}

static void
render_requests(struct strbuf *b, const char *const *names, int nnames)
{
	int	r, i;

	strbuf_appends(b, "# HELP mitwirken_http_requests_total HTTP requests "
	    "by route and status.\n# TYPE mitwirken_http_requests_total "
	    "counter\n");
	for (r = 0; r < nnames && r < nroutes; r++) {
		for (i = 0; i < STATUS_SLOTS; i++) {
			if (load(&shm->routes[r].status[i]) == 0)
				continue;
			strbuf_appendf(b, "mitwirken_http_requests_total"
			    "{route=\"%s\",status=\"", names[r]);
			if (i < STATUS_SLOTS - 1)
				strbuf_appendf(b, "%d", STATUS_FIRST + i);
			else
				strbuf_appends(b, "other");
			strbuf_appendf(b, "\"} %llu\n", (unsigned long long)
			    load(&shm->routes[r].status[i]));
		}
	}
}

static void
render_latency(struct strbuf *b, const char *const *names, int nnames)
{
	uint64_t	cum;
	int		r, i;

	strbuf_appends(b, "# HELP mitwirken_http_request_duration_seconds "
	    "Time from dispatch to the last response byte queued.\n"
	    "# TYPE mitwirken_http_request_duration_seconds histogram\n");
	/* Every route, zeros too: a route that never ran is still seen. */
	for (r = 0; r < nnames && r < nroutes; r++) {
		for (cum = 0, i = 0; i <= METRICS_BUCKETS; i++) {
			cum += load(&shm->routes[r].bucket[i]);
			strbuf_appendf(b, "mitwirken_http_request_duration_"
			    "seconds_bucket{route=\"%s\",le=\"", names[r]);
			if (i < METRICS_BUCKETS)
				strbuf_appendf(b, "%g",
				    metrics_bucket_bounds[i]);
			else
				strbuf_appends(b, "+Inf");
			strbuf_appendf(b, "\"} %llu\n", (unsigned long long)cum);
		}
		strbuf_appendf(b, "mitwirken_http_request_duration_seconds_sum"
		    "{route=\"%s\"} %.6f\n", names[r],
		    (double)load(&shm->routes[r].sum_us) / 1e6);
		strbuf_appendf(b, "mitwirken_http_request_duration_seconds_"
		    "count{route=\"%s\"} %llu\n", names[r],
		    (unsigned long long)load(&shm->routes[r].count));
	}
}

static void
render_pool(struct strbuf *b)
{
	int64_t	in_use, max;
	int	w;

	strbuf_appends(b, "# HELP mitwirken_db_pool_connections Database "
	    "connections per worker by state.\n"
	    "# TYPE mitwirken_db_pool_connections gauge\n");
	for (w = 0; w < WORKERS_MAX; w++) {
		if ((max = __atomic_load_n(&shm->pool[w].max,
		    __ATOMIC_RELAXED)) == 0)
			continue;
		in_use = __atomic_load_n(&shm->pool[w].in_use,
		    __ATOMIC_RELAXED);
		strbuf_appendf(b, "mitwirken_db_pool_connections{worker=\"%d\","
		    "state=\"in_use\"} %lld\n", w, (long long)in_use);
		strbuf_appendf(b, "mitwirken_db_pool_connections{worker=\"%d\","
		    "state=\"max\"} %lld\n", w, (long long)max);
	}
	strbuf_appends(b, "# HELP mitwirken_db_queue_waiting Requests waiting "
	    "for a database connection, per worker.\n"
	    "# TYPE mitwirken_db_queue_waiting gauge\n");
	for (w = 0; w < WORKERS_MAX; w++) {
		if (__atomic_load_n(&shm->pool[w].max, __ATOMIC_RELAXED) == 0)
			continue;
		strbuf_appendf(b, "mitwirken_db_queue_waiting{worker=\"%d\"} "
		    "%lld\n", w, (long long)__atomic_load_n(
		    &shm->pool[w].waiting, __ATOMIC_RELAXED));
	}
}

/* The replica's pool, probe and routing: only when one is configured. */
static void
render_replica(struct strbuf *b)
{
	int64_t	max, lag;
	int	w, d;

	for (w = 0; w < WORKERS_MAX; w++) {
		if (__atomic_load_n(&shm->replica_pool[w].max,
		    __ATOMIC_RELAXED) != 0)
			break;
	}
	if (w == WORKERS_MAX)
		return;
	strbuf_appends(b, "# HELP mitwirken_db_replica_pool_connections "
	    "Read replica connections per worker by state.\n"
	    "# TYPE mitwirken_db_replica_pool_connections gauge\n");
	for (w = 0; w < WORKERS_MAX; w++) {
		if ((max = __atomic_load_n(&shm->replica_pool[w].max,
		    __ATOMIC_RELAXED)) == 0)
			continue;
		strbuf_appendf(b, "mitwirken_db_replica_pool_connections{worker="
		    "\"%d\",state=\"in_use\"} %lld\n", w, (long long)
		    __atomic_load_n(&shm->replica_pool[w].in_use,
		    __ATOMIC_RELAXED));
		strbuf_appendf(b, "mitwirken_db_replica_pool_connections{worker="
		    "\"%d\",state=\"max\"} %lld\n", w, (long long)max);
	}
	strbuf_appends(b, "# HELP mitwirken_db_replica_queue_waiting Requests "
	    "waiting for a read replica connection, per worker.\n"
	    "# TYPE mitwirken_db_replica_queue_waiting gauge\n");
	for (w = 0; w < WORKERS_MAX; w++) {
		if (__atomic_load_n(&shm->replica_pool[w].max,
		    __ATOMIC_RELAXED) == 0)
			continue;
		strbuf_appendf(b, "mitwirken_db_replica_queue_waiting{worker="
		    "\"%d\"} %lld\n", w, (long long)__atomic_load_n(
		    &shm->replica_pool[w].waiting, __ATOMIC_RELAXED));
	}
	strbuf_appends(b, "# HELP mitwirken_db_replica_up Whether the read "
	    "replica answered this worker's last probe.\n"
	    "# TYPE mitwirken_db_replica_up gauge\n");
	for (w = 0; w < WORKERS_MAX; w++) {
		if (__atomic_load_n(&shm->replica_pool[w].max,
		    __ATOMIC_RELAXED) == 0)
			continue;
		strbuf_appendf(b, "mitwirken_db_replica_up{worker=\"%d\"} "
		    "%lld\n", w, (long long)__atomic_load_n(
		    &shm->replica[w].up, __ATOMIC_RELAXED));
	}
	strbuf_appends(b, "# HELP mitwirken_db_replica_lag_seconds How long "
	    "ago the newest moment was whose writes the replica has all "
	    "replayed (NaN: not measured yet).\n"
	    "# TYPE mitwirken_db_replica_lag_seconds gauge\n");
	for (w = 0; w < WORKERS_MAX; w++) {
		if (__atomic_load_n(&shm->replica_pool[w].max,
		    __ATOMIC_RELAXED) == 0)
			continue;
		lag = __atomic_load_n(&shm->replica[w].lag_ms,
		    __ATOMIC_RELAXED);
		if (lag < 0)
			strbuf_appendf(b, "mitwirken_db_replica_lag_seconds{"
			    "worker=\"%d\"} NaN\n", w);
		else
			strbuf_appendf(b, "mitwirken_db_replica_lag_seconds{"
			    "worker=\"%d\"} %.3f\n", w, (double)lag / 1000);
	}
	strbuf_appends(b, "# HELP mitwirken_db_replica_routing_total Reads "
	    "that accept slightly stale data, by where they went and why.\n"
	    "# TYPE mitwirken_db_replica_routing_total counter\n");
	for (d = 0; d < RD_COUNT; d++) {
		if (d == RD_NOT_WANTED || d == RD_NOT_CONFIGURED)
			continue;
		strbuf_appendf(b, "mitwirken_db_replica_routing_total{decision="
		    "\"%s\"} %llu\n", replica_decision_name(
		    (enum replica_decision)d), (unsigned long long)
		    load(&shm->routing[d]));
	}
}

static void
render_db(struct strbuf *b)
{
	strbuf_appendf(b, "# HELP mitwirken_db_queries_total Statements sent, "
	    "by pool.\n# TYPE mitwirken_db_queries_total counter\n"
	    "mitwirken_db_queries_total{pool=\"primary\"} %llu\n"
	    "mitwirken_db_queries_total{pool=\"replica\"} %llu\n",
	    (unsigned long long)load(&shm->queries[0]),
	    (unsigned long long)load(&shm->queries[1]));
	strbuf_appendf(b, "# HELP mitwirken_db_errors_total Failed database "
	    "statements and connections.\n# TYPE mitwirken_db_errors_total "
	    "counter\nmitwirken_db_errors_total %llu\n",
	    (unsigned long long)load(&shm->db_errors));
	strbuf_appendf(b, "# HELP mitwirken_db_retries_total Reads retried "
	    "once on a fresh connection.\n# TYPE mitwirken_db_retries_total "
	    "counter\nmitwirken_db_retries_total %llu\n",
	    (unsigned long long)load(&shm->db_retries));
	strbuf_appendf(b, "# HELP mitwirken_password_hashes_total argon2id "
	    "computations (sign-ins verify one even for unknown addresses).\n"
	    "# TYPE mitwirken_password_hashes_total counter\n"
	    "mitwirken_password_hashes_total %llu\n",
	    (unsigned long long)load(&shm->password_hashes));
	strbuf_appendf(b, "# HELP mitwirken_idempotent_replays_total Stored "
	    "answers sent again for a repeated Idempotency-Key.\n"
	    "# TYPE mitwirken_idempotent_replays_total counter\n"
	    "mitwirken_idempotent_replays_total %llu\n",
	    (unsigned long long)load(&shm->idem_replays));
	strbuf_appendf(b, "# HELP mitwirken_image_tasks_total Photos decoded "
	    "and re-encoded in task threads (uploads and blurs).\n"
	    "# TYPE mitwirken_image_tasks_total counter\n"
	    "mitwirken_image_tasks_total %llu\n",
	    (unsigned long long)load(&shm->image_tasks));
	render_pool(b);
	render_replica(b);
}

/* names[i] labels route index i; names[0] is the "unmatched" pseudo-route. */
void
metrics_render(struct strbuf *b, const char *const *names, int nnames)
{
	if (shm == NULL)
		return;
	render_requests(b, names, nnames);
	render_latency(b, names, nnames);
	render_db(b);
}
