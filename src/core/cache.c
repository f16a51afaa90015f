/*
 * A small per-worker cache of public JSON documents, declared fresh by
 * PostgreSQL.  A request first asks for the current snapshot (a prepared
 * SELECT, as cheap as /readyz); when the worker's copy of the document
 * was built after reading that very snapshot, no transaction has committed
 * since, so the copy shows exactly what the database would: it is served.
 * Otherwise the document's own statement runs and the copy is replaced.
 *
 * The document is built after its snapshot was read, so it may include
 * commits made in between; it is then filed under the older snapshot,
 * which no later request can see again (snapshots only move forward).
 * So a copy is never stale; any committed write anywhere in the cluster
 * makes the next request rebuild it.
 */

#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

#define CACHE_ENTRIES	64
#define CACHE_BODY_MAX	(256 * 1024)

static const char SQL_SNAPSHOT[] = "SELECT pg_current_snapshot()::text";

static const struct db_op op_snapshot = {
	.name = "snapshot", .sql = SQL_SNAPSHOT, .kind = DB_READ,
	.prepare = 1,
};

struct entry {
	char		*key;
	char		*snapshot;
	char		*body;
	size_t		len;
	uint64_t	used;
};

static struct entry	entries[CACHE_ENTRIES];
static uint64_t		clock_hand;

static struct entry *
lookup(const char *key)
{
	int	i;

	for (i = 0; i < CACHE_ENTRIES; i++) {
		if (entries[i].key != NULL && strcmp(entries[i].key, key) == 0)
			return (&entries[i]);
	}
	return (NULL);
}

/* Files a document under key, replacing the least recently used. */
static void
store(const char *key, const char *snapshot, const char *body, size_t len)
{
	struct entry	*e, *oldest;
	int		i;

	if (len > CACHE_BODY_MAX)
		return;
	if ((e = lookup(key)) == NULL) {
		oldest = &entries[0];
		for (i = 0; i < CACHE_ENTRIES; i++) {
			if (entries[i].used < oldest->used)
				oldest = &entries[i];
		}
		e = oldest;
		free(e->key);
		if ((e->key = strdup(key)) == NULL)
			fatal("cache: out of memory");
	}
	free(e->snapshot);
	free(e->body);
	if ((e->snapshot = strdup(snapshot)) == NULL ||
	    (e->body = malloc(len)) == NULL)
		fatal("cache: out of memory");
	memcpy(e->body, body, len);
	e->len = len;
	e->used = ++clock_hand;
}

/*
 * Like db_request for an op whose renderer is db_send_json, answered from
 * the worker's copy while the database has not changed.
 */
int
cache_request(struct http_request *req, const struct db_op *op)
{
	struct strbuf	key;
	struct entry	*e;
	PGresult	*snap, *res;
	enum db_status	s;
	int		ret;

	if ((s = db_step(req, &op_snapshot, &snap)) != DB_DONE)
		return (db_yield(s));
	strbuf_init(&key, 128);
	db_key(req, op, &key);
	e = lookup(key.data);
	if (e != NULL && strcmp(e->snapshot, PQgetvalue(snap, 0, 0)) == 0) {
		e->used = ++clock_hand;
		ret = respond(req, 200, JSON_TYPE, e->body, e->len);
		goto out;
	}
	if ((s = db_step(req, op, &res)) != DB_DONE) {
		ret = db_yield(s);
		goto out;
	}
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		store(key.data, PQgetvalue(snap, 0, 0), PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0));
	ret = op->done(req, res, op);
out:
	strbuf_free(&key);
	return (ret);
}
