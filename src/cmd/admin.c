/*
 * mitwirken-admin: makes an account an administrator, creating it when the
 * address has none, and prints a one-time link (24 hours) with which the
 * person sets their password.  This is how a fresh installation gets its
 * first admin; later admins are granted through the API.
 *
 * With --open311-key NAME it issues an Open311 API key instead (as
 * POST /api/v1/admin/open311-keys does) and prints it, once: for an
 * installation whose operator works from the shell.
 *
 * stats-check compares the statistics tables (sql/017_stats.sql) with a
 * recount from the base tables and prints every cell that differs, exiting
 * 1 when there is one; stats-rebuild replaces them with the recount.
 *
 * usage: mitwirken-admin EMAIL    (DATABASE_URL, MITWIRKEN_KEY_FILE,
 *                                  MITWIRKEN_PUBLIC_URL from the environment)
 *        mitwirken-admin --open311-key NAME
 *        mitwirken-admin stats-check | stats-rebuild   (DATABASE_URL)
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "mitwirken.h"

static const char SQL_ADMIN[] =
    "WITH existing AS (SELECT id, pseudonym FROM accounts"
    " WHERE email_lookup = $1::bytea AND deleted_at IS NULL),"
    " ins AS (INSERT INTO accounts (pseudonym, email_lookup, email_ct,"
    "  verified_at) SELECT pseudonym_new(), $1::bytea, $2::bytea, now()"
    "  WHERE NOT EXISTS (SELECT 1 FROM existing) RETURNING id, pseudonym),"
    /* The statement's snapshot does not see its own insert: use RETURNING. */
    " acct AS (SELECT id, pseudonym FROM existing"
    "  UNION ALL SELECT id, pseudonym FROM ins),"
    " role AS (INSERT INTO account_roles (account_id, role)"
    "  SELECT id, 'admin' FROM acct ON CONFLICT DO NOTHING),"
    " tok AS (INSERT INTO account_tokens (token_hash, account_id, purpose,"
    "  expires_at) SELECT $3::bytea, id, 'reset',"
    "  now() + interval '24 hours' FROM acct),"
    " audit AS (INSERT INTO audit_log (action, target_id, detail)"
    "  SELECT 'role_grant', id,"
    "  '{\"role\": \"admin\", \"via\": \"mitwirken-admin\"}' FROM acct)"
    " SELECT id, pseudonym, (SELECT count(*) FROM ins) FROM acct";

static const char SQL_OPEN311_KEY[] =
    "SELECT open311_key_create(NULL, $1, $2::bytea)->>'id'";

static const char SQL_STATS_CHECK[] =
    "SELECT tbl, cell, stored, recounted FROM stats_recount()";

static const char SQL_STATS_REBUILD[] = "SELECT stats_rebuild()";

/* Prints the cells whose stored count differs from the recount. */
static int
stats_check(const char *dsn)
{
	PGresult	*res;
	PGconn		*db;
	int		i, rc = 1;

	db = PQconnectdb(dsn);
	res = PQexec(db, SQL_STATS_CHECK);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "admin: stats-check failed: %s\n",
		    PQerrorMessage(db));
		goto out;
	}
	for (i = 0; i < PQntuples(res); i++)
		printf("%s %s: stored %s, recounted %s\n",
		    PQgetvalue(res, i, 0), PQgetvalue(res, i, 1),
		    PQgetvalue(res, i, 2), PQgetvalue(res, i, 3));
	if (PQntuples(res) > 0) {
		printf("stats-check: %d cells differ from a recount "
		    "(repair: stats-rebuild)\n", PQntuples(res));
		goto out;
	}
	printf("stats-check: the statistics equal a recount\n");
	rc = 0;
out:
	PQclear(res);
	PQfinish(db);
	return (rc);
}

static int
stats_rebuild(const char *dsn)
{
	PGresult	*res;
	PGconn		*db;
	int		rc = 1;

	db = PQconnectdb(dsn);
	res = PQexec(db, SQL_STATS_REBUILD);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		fprintf(stderr, "admin: stats-rebuild failed: %s\n",
		    PQerrorMessage(db));
	} else {
		printf("stats-rebuild: %s count cells recounted\n",
		    PQgetvalue(res, 0, 0));
		rc = 0;
	}
	PQclear(res);
	PQfinish(db);
	return (rc);
}

static int
load_keys(struct keys *k)
{
	const char	*path;

	if ((path = getenv("MITWIRKEN_KEY_FILE")) == NULL)
		path = "var/mitwirken.key";
	if (!keys_load(k, path)) {
		fprintf(stderr, "admin: cannot read key file %s (start the "
		    "server once to create it)\n", path);
		return (MW_ERROR);
	}
	return (MW_OK);
}

/* What open311_keys.name takes: 1 to 120 characters of text. */
static int
key_name_ok(const char *name)
{
	size_t	len = strlen(name);

	return (len > 0 && utf8_valid_text(name, len) &&
	    utf8_length(name, len) <= 120);
}

static int
open311_key(const struct keys *k, const char *dsn, const char *name)
{
	unsigned char	hash[TOKEN_HASH_LEN];
	char		key[TOKEN_LEN + 1], hex[80];
	const char	*params[2];
	PGresult	*res;
	PGconn		*db;
	int		rc = 1;

	token_new(key);
	token_hash(k, key, hash);
	bytea_hex(hash, sizeof(hash), hex, sizeof(hex));
	params[0] = name;
	params[1] = hex;
	db = PQconnectdb(dsn);
	res = PQexecParams(db, SQL_OPEN311_KEY, 2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		fprintf(stderr, "admin: failed: %s\n", PQerrorMessage(db));
	} else {
		printf("admin: Open311 API key %s (\"%s\"), shown this once:\n"
		    "  %s\n", PQgetvalue(res, 0, 0), name, key);
		rc = 0;
	}
	sodium_memzero(key, sizeof(key));
	PQclear(res);
	PQfinish(db);
	return (rc);
}

int
main(int argc, char **argv)
{
	struct keys	k;
	unsigned char	lookup[EMAIL_LOOKUP_LEN], ct[512], hash[TOKEN_HASH_LEN];
	char		norm[EMAIL_MAX + 1], token[TOKEN_LEN + 1];
	char		hl[80], hc[1100], ht[80];
	const char	*params[3], *dsn, *url;
	PGresult	*res;
	PGconn		*db;
	size_t		len;
	int		rc;

	if (argc == 2 && (strcmp(argv[1], "stats-check") == 0 ||
	    strcmp(argv[1], "stats-rebuild") == 0)) {
		if ((dsn = getenv("DATABASE_URL")) == NULL)
			return (1);
		if (strcmp(argv[1], "stats-check") == 0)
			return (stats_check(dsn));
		return (stats_rebuild(dsn));
	}
	if (argc == 3 && strcmp(argv[1], "--open311-key") == 0 &&
	    key_name_ok(argv[2])) {
		if (sodium_init() < 0 || !load_keys(&k) ||
		    (dsn = getenv("DATABASE_URL")) == NULL)
			return (1);
		rc = open311_key(&k, dsn, argv[2]);
		sodium_memzero(&k, sizeof(k));
		return (rc);
	}
	if (argc != 2 || !email_normalize(argv[1], norm, sizeof(norm))) {
		fprintf(stderr, "usage: mitwirken-admin EMAIL\n"
		    "       mitwirken-admin --open311-key NAME\n"
		    "       mitwirken-admin stats-check | stats-rebuild\n");
		return (2);
	}
	if (sodium_init() < 0 || !load_keys(&k) ||
	    (dsn = getenv("DATABASE_URL")) == NULL)
		return (1);
	if ((url = getenv("MITWIRKEN_PUBLIC_URL")) == NULL || *url == '\0')
		url = "http://127.0.0.1:8888";
	email_lookup(&k, norm, lookup);
	if (!secret_seal(k.email, "email", norm, strlen(norm), ct, sizeof(ct),
	    &len))
		return (1);
	token_new(token);
	token_hash(&k, token, hash);
	bytea_hex(lookup, sizeof(lookup), hl, sizeof(hl));
	bytea_hex(ct, len, hc, sizeof(hc));
	bytea_hex(hash, sizeof(hash), ht, sizeof(ht));
	params[0] = hl;
	params[1] = hc;
	params[2] = ht;
	db = PQconnectdb(dsn);
	res = PQexecParams(db, SQL_ADMIN, 3, NULL, params, NULL, NULL, 0);
	rc = 1;
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		fprintf(stderr, "admin: failed: %s\n", PQerrorMessage(db));
	} else {
		printf("admin: account %s (%s, %s) is an administrator.\n"
		    "Set its password within 24 hours, once, here:\n"
		    "  %s/passwort-neu?token=%s\n", PQgetvalue(res, 0, 0),
		    PQgetvalue(res, 0, 1), strcmp(PQgetvalue(res, 0, 2), "1") ==
		    0 ? "new" : "existing", url, token);
		rc = 0;
	}
	sodium_memzero(token, sizeof(token));
	sodium_memzero(&k, sizeof(k));
	PQclear(res);
	PQfinish(db);
	return (rc);
}
