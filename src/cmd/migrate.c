/*
 * mitwirken-migrate: applies the numbered SQL files in sql/ that the
 * database has not seen, each in its own transaction, recording it in
 * schema_migrations.  Forward-only: there are no down migrations.  A failing
 * file rolls back to the previous version and stops with its name and the
 * error.  Concurrent runs serialise on an advisory lock.
 *
 * usage: mitwirken-migrate [SQL_DIR]   (connection from DATABASE_URL)
 */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "mitwirken.h"

#define MIGRATIONS_MAX	1000

/* An arbitrary constant naming our advisory lock ("mitwirken"). */
static const char SQL_LOCK[] = "SELECT pg_advisory_lock(727318)";

static const char SQL_BOOTSTRAP[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version bigint PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

static const char SQL_APPLIED[] =
    "SELECT version FROM schema_migrations ORDER BY version";

static const char SQL_RECORD[] =
    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

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
		if (de->d_name[0] == '.')
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
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
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
apply_all(PGconn *db, const char *dir, struct migration *m, int n)
{
	PGresult	*applied;
	long		latest;
	int		i, ok, count;

	applied = PQexec(db, SQL_APPLIED);
	if (PQresultStatus(applied) != PGRES_TUPLES_OK) {
		fprintf(stderr, "migrate: %s", PQerrorMessage(db));
		PQclear(applied);
		return (MW_ERROR);
	}
	latest = PQntuples(applied) ? strtol(PQgetvalue(applied,
	    PQntuples(applied) - 1, 0), NULL, 10) : 0;
	ok = MW_OK;
	for (i = 0, count = 0; i < n && ok; i++) {
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
			count++;
	}
	PQclear(applied);
	if (ok)
		printf("migrate: %d applied, schema at version %ld\n", count,
		    n ? m[n - 1].version : 0);
	return (ok);
}

int
main(int argc, char **argv)
{
	static struct migration	m[MIGRATIONS_MAX];
	const char		*dir, *dsn;
	PGconn			*db;
	int			n, ok;

	dir = argc > 1 ? argv[1] : "sql";
	if ((dsn = getenv("DATABASE_URL")) == NULL || *dsn == '\0') {
		fprintf(stderr, "migrate: DATABASE_URL is not set\n");
		return (2);
	}
	if (!list_files(dir, m, &n))
		return (1);
	db = PQconnectdb(dsn);
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "migrate: cannot connect: %s",
		    PQerrorMessage(db));
		PQfinish(db);
		return (1);
	}
	ok = exec_ok(db, "SET client_min_messages = warning", "settings") &&
	    exec_ok(db, SQL_LOCK, "advisory lock") &&
	    exec_ok(db, SQL_BOOTSTRAP, "schema_migrations") &&
	    apply_all(db, dir, m, n);
	PQfinish(db);
	return (ok ? 0 : 1);
}
