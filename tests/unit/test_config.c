#include "mitwirken.h"
#include "unit.h"

static const char *const	*env;

static const char *
fake_getenv(const char *name)
{
	int	i;

	for (i = 0; env[i] != NULL; i += 2) {
		if (strcmp(env[i], name) == 0)
			return (env[i + 1]);
	}
	return (NULL);
}

static void
defaults(void)
{
	static const char *const none[] = { NULL };
	struct config	c;
	char		err[256];

	env = none;
	CHECK(config_load(&c, fake_getenv, err, sizeof(err)));
	CHECK_STR(c.key_file, "var/mitwirken.key");
	CHECK(c.db_conns == 16);
	CHECK(c.behind_tls == 0);
	CHECK(c.retry_after == 5);
}

static void
overrides_and_errors(void)
{
	static const char *const good[] = { "DATABASE_URL", "postgresql://x/y",
	    "MITWIRKEN_BEHIND_TLS", "yes", "MITWIRKEN_DB_CONNS", "32", NULL };
	static const char *const bad[] = { "MITWIRKEN_DB_CONNS", "lots",
	    NULL };
	static const char *const badtls[] = { "MITWIRKEN_BEHIND_TLS", "maybe",
	    NULL };
	struct config	c;
	char		err[256];

	env = good;
	CHECK(config_load(&c, fake_getenv, err, sizeof(err)));
	CHECK_STR(c.database_url, "postgresql://x/y");
	CHECK(c.behind_tls == 1 && c.db_conns == 32);
	env = bad;
	CHECK(!config_load(&c, fake_getenv, err, sizeof(err)));
	CHECK(strstr(err, "MITWIRKEN_DB_CONNS") != NULL);
	env = badtls;
	CHECK(!config_load(&c, fake_getenv, err, sizeof(err)));
	CHECK(strstr(err, "MITWIRKEN_BEHIND_TLS") != NULL);
}

UNIT_SUITE(config_tests) = {
	{ "config: defaults", defaults },
	{ "config: overrides and errors name the variable",
	    overrides_and_errors },
	{ NULL, NULL }
};
