/*
 * The city's appearance (name, city, colours, whether there is a logo) as
 * every page needs it: page_context() is synchronous, so each worker keeps
 * a copy and refreshes it as a step of the request, before the handler.
 *
 * Why not cache.c's snapshot check: it costs a query on every page, and
 * any commit anywhere (every support, every survey answer) would count as
 * a change.  Why not a Kore timer: a timer has no request to run an
 * asynchronous query in, and a synchronous one would block the worker.
 * So: a page request whose worker's copy is older than SITE_REFRESH_US
 * reads the one row again (a prepared primary-key read of a few hundred
 * bytes); at most one such read per worker every two seconds, none on an
 * idle worker.  An admin's change shows at once in the worker that made
 * it (site_invalidate) and in every other within SITE_REFRESH_US: the
 * bound tests/http/site_pages.test.mjs checks.
 *
 * A failed read is not the page's failure: the page is served with the
 * copy it has (the defaults before the first read), and the next page
 * tries again.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

#define SITE_REFRESH_US	(2 * 1000000ULL)

static const char SQL_SITE_BRAND[] =
    "SELECT site_name, city_name, primary_colour, link_colour,"
    " coalesce(logo_type, ''), version FROM site_settings";

static const struct db_op op_site_brand = {
	.name = "site_brand", .sql = SQL_SITE_BRAND, .kind = DB_READ,
	.prepare = 1, .quiet = 1,
};

static struct site_brand	brand = {
	"mitwirken", "Braunschweig", "#005a8c", "#005a8c", 0, 0
};
static uint64_t			loaded_us;
static int			loaded;

const struct site_brand *
site_brand(void)
{
	return (&brand);
}

/* The next page in this worker reads the row again. */
void
site_invalidate(void)
{
	loaded = 0;
}

static void
copy(char *dst, size_t len, PGresult *res, int col)
{
	(void)snprintf(dst, len, "%s", PQgetvalue(res, 0, col));
}

static void
brand_load(PGresult *res)
{
	if (res == NULL || PQntuples(res) != 1)
		return;
	copy(brand.site_name, sizeof(brand.site_name), res, 0);
	copy(brand.city_name, sizeof(brand.city_name), res, 1);
	copy(brand.primary, sizeof(brand.primary), res, 2);
	copy(brand.link, sizeof(brand.link), res, 3);
	brand.has_logo = PQgetvalue(res, 0, 4)[0] != '\0';
	brand.version = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
	loaded = 1;
	loaded_us = rq_now_us();
}

enum db_status
site_step(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;

	/* Once per request: a later call may find another step running. */
	if (rq->site_done)
		return (DB_DONE);
	if (loaded && rq_now_us() - loaded_us < SITE_REFRESH_US) {
		rq->site_done = 1;
		return (DB_DONE);
	}
	if ((s = db_step(req, &op_site_brand, &res)) == DB_PENDING)
		return (s);
	rq->site_done = 1;
	if (s == DB_DONE) {
		brand_load(res);
		PQclear(db_take(req, &op_site_brand));
	} else {
		db_clear_failure(&rq->db);
	}
	return (DB_DONE);
}
