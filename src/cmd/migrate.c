/*
 * mitwirken-migrate: applies the numbered SQL files in sql/ that the
 * database has not seen, each in its own transaction, recording it in
 * schema_migrations.  Forward-only: there are no down migrations.  A failing
 * file rolls back to the previous version and stops with its name and the
 * error.  Concurrent runs serialise on an advisory lock.
 *
 * Then the repeatable files in sql/functions/, one function each (README
 * "Migrations"): those whose checksum differs from the one recorded in
 * schema_repeatables, or all of them after a numbered file was applied,
 * since that may have dropped or changed what they rely on.  They run in
 * one transaction together: functions call each other, and the
 * application must see the old set or the new one, never half of each.
 *
 * usage: mitwirken-migrate [SQL_DIR]   (connection from DATABASE_URL)
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "mitwirken.h"

#define MIGRATIONS_MAX	1000
#define REPEATABLE_DIR	"functions"

/* An arbitrary constant naming our advisory lock ("mitwirken"). */
static const char SQL_LOCK[] = "SELECT pg_advisory_lock(727318)";

static const char SQL_BOOTSTRAP[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version bigint PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

static const char SQL_BOOTSTRAP_REPEATABLES[] =
    "CREATE TABLE IF NOT EXISTS schema_repeatables ("
    " name text PRIMARY KEY,"
    " checksum text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),"
    " applied_at timestamptz NOT NULL DEFAULT now())";

static const char SQL_APPLIED[] =
    "SELECT version FROM schema_migrations ORDER BY version";

static const char SQL_RECORD[] =
    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

static const char SQL_REPEATABLES_APPLIED[] =
    "SELECT name, checksum FROM schema_repeatables";

static const char SQL_REPEATABLE_RECORD[] =
    "INSERT INTO schema_repeatables (name, checksum) VALUES ($1, $2)"
    " ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum,"
    " applied_at = now()";

static const char SQL_REPEATABLE_FORGET[] =
    "DELETE FROM schema_repeatables WHERE name = $1";

static int
exec_ok(PGconn *db, const char *sql, const char *what)
{
	PGresult	*res;
	int		ok;

	res = PQexec(db, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "migrate: %s: %s", what, PQerrorMessage(db));
	PQclear(res);
	return (ok ? MW_OK : MW_ERROR);
}

static int
list_files(const char *dir, struct migration *m, int *n)
{
	struct dirent	*de;
	DIR		*d;
	char		err[512];
	long		version;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "migrate: cannot open %s\n", dir);
		return (MW_ERROR);
	}
	*n = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' ||
		    strcmp(de->d_name, REPEATABLE_DIR) == 0)
			continue;
		if (!migration_parse_name(de->d_name, &version)) {
			fprintf(stderr, "migrate: %s/%s is not named "
			    "NNN_words.sql\n", dir, de->d_name);
			closedir(d);
			return (MW_ERROR);
		}
		if (*n == MIGRATIONS_MAX || strlen(de->d_name) >=
		    sizeof(m[*n].name)) {
			closedir(d);
			return (MW_ERROR);
		}
		m[*n].version = version;
		(void)snprintf(m[*n].name, sizeof(m[*n].name), "%s",
		    de->d_name);
		(*n)++;
	}
	closedir(d);
	if (!migration_sort(m, *n, err, sizeof(err))) {
		fprintf(stderr, "migrate: %s\n", err);
		return (MW_ERROR);
	}
	return (MW_OK);
}

static char *
read_file(const char *dir, const char *name)
{
	struct strbuf	b;
	char		path[1024], chunk[8192];
	size_t		n;
	FILE		*fp;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "r")) == NULL)
		return (NULL);
	strbuf_init(&b, sizeof(chunk));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		strbuf_append(&b, chunk, n);
	fclose(fp);
	return (strbuf_steal(&b));
}

static int
apply_one(PGconn *db, const char *dir, const struct migration *m)
{
	PGresult	*res;
	const char	*params[2];
	char		version[32], *sql;
	int		ok;

	if ((sql = read_file(dir, m->name)) == NULL) {
		fprintf(stderr, "migrate: cannot read %s/%s\n", dir, m->name);
		return (MW_ERROR);
	}
	ok = MW_ERROR;
	if (!exec_ok(db, "BEGIN", "BEGIN"))
		goto out;
	res = PQexec(db, sql);
	/* A file whose statements moved to sql/functions/ is comments only. */
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_EMPTY_QUERY) {
		fprintf(stderr, "migrate: %s failed, database left at the "
		    "previous version: %s", m->name, PQerrorMessage(db));
		PQclear(res);
		(void)exec_ok(db, "ROLLBACK", "ROLLBACK");
		goto out;
	}
	PQclear(res);
	(void)snprintf(version, sizeof(version), "%ld", m->version);
	params[0] = version;
	params[1] = m->name;
	res = PQexecParams(db, SQL_RECORD, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "migrate: recording %s: %s", m->name,
		    PQerrorMessage(db));
		PQclear(res);
		(void)exec_ok(db, "ROLLBACK", "ROLLBACK");
		goto out;
	}
	PQclear(res);
	if (!exec_ok(db, "COMMIT", m->name))
		goto out;
	printf("migrate: applied %s\n", m->name);
	ok = MW_OK;
out:
	free(sql);
	return (ok);
}

static int
is_applied(PGresult *applied, long version)
{
	int	i;

	for (i = 0; i < PQntuples(applied); i++) {
		if (strtol(PQgetvalue(applied, i, 0), NULL, 10) == version)
			return (1);
	}
	return (0);
}

static int
apply_all(PGconn *db, const char *dir, struct migration *m, int n,
    int *count)
{
	PGresult	*applied;
	long		latest;
	int		i, ok;

	applied = PQexec(db, SQL_APPLIED);
	if (PQresultStatus(applied) != PGRES_TUPLES_OK) {
		fprintf(stderr, "migrate: %s", PQerrorMessage(db));
		PQclear(applied);
		return (MW_ERROR);
	}
	latest = PQntuples(applied) ? strtol(PQgetvalue(applied,
	    PQntuples(applied) - 1, 0), NULL, 10) : 0;
	ok = MW_OK;
	for (i = 0, *count = 0; i < n && ok; i++) {
		if (is_applied(applied, m[i].version))
			continue;
		if (m[i].version < latest) {
			fprintf(stderr, "migrate: %s is older than the applied "
			    "version %ld; migrations are forward-only, give it "
			    "a new number\n", m[i].name, latest);
			ok = MW_ERROR;
			break;
		}
		if ((ok = apply_one(db, dir, &m[i])))
			(*count)++;
	}
	PQclear(applied);
	if (ok)
		printf("migrate: %d applied, schema at version %ld\n", *count,
		    n ? m[n - 1].version : 0);
	return (ok);
}

/*
 * Reads every file in DIR/functions with its checksum.  No such folder
 * means no repeatables (a tree from before they existed).
 */
static int
list_repeatables(const char *dir, struct repeatable *r, int *n)
{
	struct dirent	*de;
	DIR		*d;
	char		sub[1024];
	int		i;

	*n = 0;
	(void)snprintf(sub, sizeof(sub), "%s/%s", dir, REPEATABLE_DIR);
	if ((d = opendir(sub)) == NULL) {
		if (errno == ENOENT)
			return (MW_OK);
		fprintf(stderr, "migrate: cannot open %s\n", sub);
		return (MW_ERROR);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (!migration_parse_repeatable(de->d_name)) {
			fprintf(stderr, "migrate: %s/%s is not named "
			    "words.sql\n", sub, de->d_name);
			closedir(d);
			return (MW_ERROR);
		}
		if (*n == MIGRATIONS_MAX) {
			closedir(d);
			return (MW_ERROR);
		}
		(void)snprintf(r[*n].name, sizeof(r[*n].name), "%s",
		    de->d_name);
		r[*n].pending = 1;
		r[*n].sql = NULL;
		(*n)++;
	}
	closedir(d);
	migration_sort_repeatables(r, *n);
	for (i = 0; i < *n; i++) {
		if ((r[i].sql = read_file(sub, r[i].name)) == NULL) {
			fprintf(stderr, "migrate: cannot read %s/%s\n", sub,
			    r[i].name);
			return (MW_ERROR);
		}
		migration_checksum(r[i].sql, strlen(r[i].sql), r[i].checksum);
	}
	return (MW_OK);
}

/* Runs every pending file once; the first error rolls back and names it. */
static int
run_pending(PGconn *db, const struct repeatable *r, int n)
{
	PGresult	*res;
	int		i, ok;

	for (i = 0; i < n; i++) {
		if (!r[i].pending)
			continue;
		res = PQexec(db, r[i].sql);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
		    PQresultStatus(res) == PGRES_TUPLES_OK;
		PQclear(res);
		if (!ok) {
			fprintf(stderr, "migrate: %s/%s failed, no function "
			    "changed: %s", REPEATABLE_DIR, r[i].name,
			    PQerrorMessage(db));
			return (MW_ERROR);
		}
	}
	return (MW_OK);
}

static int
record(PGconn *db, const char *sql, int nparams, const char *const *params)
{
	PGresult	*res;
	int		ok;

	res = PQexecParams(db, sql, nparams, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "migrate: recording %s: %s", params[0],
		    PQerrorMessage(db));
	PQclear(res);
	return (ok ? MW_OK : MW_ERROR);
}

/*
 * Applies the pending repeatables in one transaction.  The first pass
 * runs with check_function_bodies off, as pg_dump does, so a LANGUAGE sql
 * function may come before the functions it calls (files go in name
 * order); the second runs the same files with it on, now that every
 * function exists, so a broken body still fails here and not at the first
 * request.  The files are CREATE OR REPLACE, so running them twice is
 * harmless.
 */
static int
apply_repeatables(PGconn *db, struct repeatable *r, int n, int all)
{
	PGresult	*applied;
	const char	*params[2];
	char		**gone;
	int		i, ngone, count, ok;

	applied = PQexec(db, SQL_REPEATABLES_APPLIED);
	if (PQresultStatus(applied) != PGRES_TUPLES_OK) {
		fprintf(stderr, "migrate: %s", PQerrorMessage(db));
		PQclear(applied);
		return (MW_ERROR);
	}
	gone = calloc((size_t)PQntuples(applied) + 1, sizeof(*gone));
	if (gone == NULL) {
		PQclear(applied);
		return (MW_ERROR);
	}
	for (i = 0, ngone = 0; i < PQntuples(applied); i++) {
		if (!migration_seen(r, n, PQgetvalue(applied, i, 0),
		    PQgetvalue(applied, i, 1)))
			gone[ngone++] = PQgetvalue(applied, i, 0);
	}
	for (i = 0, count = 0; i < n; i++) {
		if (all)
			r[i].pending = 1;
		count += r[i].pending;
	}
	ok = MW_ERROR;
	if (count == 0 && ngone == 0) {
		ok = MW_OK;
		goto out;
	}
	if (!exec_ok(db, "BEGIN", "BEGIN"))
		goto out;
	if (!exec_ok(db, "SET LOCAL check_function_bodies = off", "settings") ||
	    !run_pending(db, r, n) ||
	    !exec_ok(db, "SET LOCAL check_function_bodies = on", "settings") ||
	    !run_pending(db, r, n))
		goto rollback;
	for (i = 0; i < n; i++) {
		params[0] = r[i].name;
		params[1] = r[i].checksum;
		if (r[i].pending && !record(db, SQL_REPEATABLE_RECORD, 2,
		    params))
			goto rollback;
	}
	/* A file that went keeps its function until a migration drops it. */
	for (i = 0; i < ngone; i++) {
		if (!record(db, SQL_REPEATABLE_FORGET, 1,
		    (const char *const *)&gone[i]))
			goto rollback;
	}
	if (!exec_ok(db, "COMMIT", "COMMIT"))
		goto out;
	for (i = 0; i < n; i++) {
		if (r[i].pending)
			printf("migrate: applied %s/%s\n", REPEATABLE_DIR,
			    r[i].name);
	}
	ok = MW_OK;
	goto out;
rollback:
	(void)exec_ok(db, "ROLLBACK", "ROLLBACK");
out:
	if (ok)
		printf("migrate: %d of %d repeatables applied\n", count, n);
	free(gone);
	PQclear(applied);
	return (ok);
}

int
main(int argc, char **argv)
{
	static struct migration	m[MIGRATIONS_MAX];
	static struct repeatable	r[MIGRATIONS_MAX];
	const char		*dir, *dsn;
	PGconn			*db;
	int			i, n, nr, count, ok;

	dir = argc > 1 ? argv[1] : "sql";
	if ((dsn = getenv("DATABASE_URL")) == NULL || *dsn == '\0') {
		fprintf(stderr, "migrate: DATABASE_URL is not set\n");
		return (2);
	}
	nr = count = 0;
	ok = 0;
	if (sodium_init() < 0) {
		fprintf(stderr, "migrate: libsodium failed to start\n");
		goto out;
	}
	if (!list_files(dir, m, &n) || !list_repeatables(dir, r, &nr))
		goto out;
	db = PQconnectdb(dsn);
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "migrate: cannot connect: %s",
		    PQerrorMessage(db));
		PQfinish(db);
		goto out;
	}
	ok = exec_ok(db, "SET client_min_messages = warning", "settings") &&
	    exec_ok(db, SQL_LOCK, "advisory lock") &&
	    exec_ok(db, SQL_BOOTSTRAP, "schema_migrations") &&
	    exec_ok(db, SQL_BOOTSTRAP_REPEATABLES, "schema_repeatables") &&
	    apply_all(db, dir, m, n, &count) &&
	    apply_repeatables(db, r, nr, count > 0);
	PQfinish(db);
out:
	for (i = 0; i < nr; i++)
		free(r[i].sql);
	return (ok ? 0 : 1);
}
