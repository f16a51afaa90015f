/*
 * Operations: /healthz says the process serves (no database), /readyz that
 * it can reach the primary (and how both pools and the replica are),
 * /metrics is for Prometheus.  Also the endpoint
 * browsers send Content-Security-Policy violations to, so the operators
 * learn when the policy breaks a page.
 */

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mitwirken.h"

#define TEXT	"text/plain; charset=utf-8"

/*
 * CSP reports per client and window, counted per worker in a fixed table
 * of slots by a hash of the client address: no database write for an
 * anonymous endpoint, and the memory stays fixed however many clients
 * report.  Clients that share a slot share its budget, which only errs on
 * the side of logging less.  A browser sends a handful per page view.
 */
#define CSP_LIMIT	60
#define CSP_WINDOW	60	/* seconds */
#define CSP_SLOTS	1024

static struct {
	time_t	start;
	int	count;
} csp_slots[CSP_SLOTS];

static const char SQL_READY[] = "SELECT 1";

static int	ready_done(struct http_request *, PGresult *,
		    const struct db_op *);

const struct db_op op_ready = {
	.name = "ready", .sql = SQL_READY, .kind = DB_READ,
	.done = ready_done,
};

int
ops_healthz(struct http_request *req)
{
	http_response_header(req, "cache-control", "no-store");
	return (respond(req, 200, TEXT, "ok\n", 3));
}

static void
pool_line(struct strbuf *b, const char *name, enum db_pool pool)
{
	int	busy, max, queued;

	db_pool_status(pool, &busy, &max, &queued);
	strbuf_appendf(b, "%s pool: %d busy of %d, %d waiting (worker %d)\n",
	    name, busy, max, queued, mw_worker_id);
}

/*
 * Ready when the primary answers.  A replica that is down or lagging
 * does not make the node unready (its reads go to the primary), but the
 * body says so, with both pools.
 */
static int
ready_done(struct http_request *req, PGresult *res, const struct db_op *op)
{
	struct strbuf	b;

	(void)res;
	(void)op;
	strbuf_init(&b, 256);
	strbuf_appends(&b, "ready\n");
	pool_line(&b, "primary", DB_POOL_PRIMARY);
	if (replica_configured()) {
		pool_line(&b, "replica", DB_POOL_REPLICA);
		replica_status(&b);
	}
	http_response_header(req, "cache-control", "no-store");
	respond(req, 200, TEXT, b.data, b.len);
	strbuf_free(&b);
	return (KORE_RESULT_OK);
}

int
ops_metrics(struct http_request *req)
{
	const char *const	*names;
	struct strbuf		b;
	int			n;

	names = dispatch_route_names(&n);
	strbuf_init(&b, 8192);
	metrics_render(&b, names, n);
	http_response_header(req, "cache-control", "no-store");
	respond(req, 200, "text/plain; version=0.0.4; charset=utf-8", b.data,
	    b.len);
	strbuf_free(&b);
	return (KORE_RESULT_OK);
}

/* Printable ASCII only, bounded: reports come from anywhere. */
static void
sanitize(const cJSON *obj, const char *key, char *out, size_t len)
{
	const cJSON	*v;
	size_t		i;

	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	(void)snprintf(out, len, "%s", cJSON_IsString(v) ? v->valuestring :
	    "-");
	for (i = 0; out[i] != '\0'; i++) {
		if (!isprint((unsigned char)out[i]) || out[i] == ' ')
			out[i] = '_';
	}
}

/* Seconds to wait when this client's slot is spent, else 0 (counted). */
static int
csp_wait(struct http_request *req)
{
	char		ip[64];
	uint32_t	h;
	size_t		i;
	time_t		now;
	int		slot;

	rq_client_ip(req, ip, sizeof(ip));
	h = 2166136261u;
	for (i = 0; ip[i] != '\0'; i++)
		h = (h ^ (unsigned char)ip[i]) * 16777619u;
	slot = (int)(h % CSP_SLOTS);
	now = time(NULL);
	if (now - csp_slots[slot].start >= CSP_WINDOW) {
		csp_slots[slot].start = now;
		csp_slots[slot].count = 0;
	}
	if (csp_slots[slot].count >= CSP_LIMIT)
		return ((int)(csp_slots[slot].start + CSP_WINDOW - now));
	csp_slots[slot].count++;
	return (0);
}

/*
 * Accepts the classic {"csp-report": {...}} and the Reporting API's
 * [{"type": "csp-violation", "body": {...}}]; logs one line per report.
 */
int
ops_csp_report(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	const cJSON	*report, *item;
	char		doc[160], blocked[160], directive[80], secs[16];
	int		modern, wait;

	if ((wait = csp_wait(req)) > 0) {
		(void)snprintf(secs, sizeof(secs), "%d", wait);
		http_response_header(req, "retry-after", secs);
		return (respond_error(req, 429, "too_many_requests", "Too "
		    "many CSP reports from this client; later ones are "
		    "dropped until Retry-After.", NULL));
	}
	report = cJSON_GetObjectItemCaseSensitive(rq->body, "csp-report");
	if (report == NULL && cJSON_IsArray(rq->body)) {
		item = cJSON_GetArrayItem(rq->body, 0);
		report = cJSON_GetObjectItemCaseSensitive(item, "body");
	}
	if (!cJSON_IsObject(report))
		return (respond_error(req, 422, "validation_failed",
		    "Expected a CSP violation report.", NULL));
	/* The Reporting API renamed the keys. */
	modern = cJSON_GetObjectItemCaseSensitive(report, "documentURL") !=
	    NULL;
	sanitize(report, modern ? "documentURL" : "document-uri", doc,
	    sizeof(doc));
	sanitize(report, modern ? "blockedURL" : "blocked-uri", blocked,
	    sizeof(blocked));
	sanitize(report, modern ? "effectiveDirective" : "violated-directive",
	    directive, sizeof(directive));
	kore_log(LOG_NOTICE, "csp id=%s document=%s blocked=%s directive=%s",
	    rq->id, doc, blocked, directive);
	return (respond(req, 204, NULL, NULL, 0));
}
