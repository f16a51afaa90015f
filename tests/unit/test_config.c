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

/* Boxes: four finite numbers, min below max, on the globe. */
static void
bboxes(void)
{
	double	b[4];

	CHECK(config_bbox("10.40,52.18,10.72,52.36", b));
	CHECK(b[0] == 10.40 && b[3] == 52.36);
	CHECK(!config_bbox("NaN,NaN,NaN,NaN", b));
	CHECK(!config_bbox("10.4,52.1,nan,52.3", b));
	CHECK(!config_bbox("-inf,52.1,10.7,52.3", b));
	CHECK(!config_bbox("10.7,52.1,10.4,52.3", b));
	CHECK(!config_bbox("10.4,52.1,10.7", b));
	CHECK(!config_bbox("10.4,52.1,10.7,52.3,1", b));
	CHECK(!config_bbox("-181,52.1,10.7,52.3", b));
}

/* The defect settings: defaults, and their bounds. */
static void
defect_settings(void)
{
	static const char *const small[] = { "MITWIRKEN_PHOTO_MAX_BYTES",
	    "1000", NULL };
	static const char *const tiles[] = { "MITWIRKEN_TILE_URL",
	    "https://tiles.example/{z}/{x}/{y}.png", NULL };
	static const char *const none[] = { NULL };
	struct config	c;
	char		err[256];

	env = none;
	CHECK(config_load(&c, fake_getenv, err, sizeof(err)));
	CHECK(c.photo_max_bytes == 10485760 && c.photo_max_pixels == 40000000);
	CHECK(c.duplicate_radius == 50 && c.reopen_days == 14);
	CHECK_STR(c.tile_url, "");
	env = small;
	CHECK(!config_load(&c, fake_getenv, err, sizeof(err)));
	CHECK(strstr(err, "MITWIRKEN_PHOTO_MAX_BYTES") != NULL);
	env = tiles;
	CHECK(config_load(&c, fake_getenv, err, sizeof(err)));
	CHECK_STR(c.tile_url, "https://tiles.example/{z}/{x}/{y}.png");
}

/* The tile server as a CSP source: scheme and host, "{s}." as "*.". */
static void
tile_origins(void)
{
	char	o[128];

	config_tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png", o,
	    sizeof(o));
	CHECK_STR(o, "https://*.tile.example.org");
	config_tile_origin("http://127.0.0.1:8080/t/{z}/{x}/{y}.png", o,
	    sizeof(o));
	CHECK_STR(o, "http://127.0.0.1:8080");
	config_tile_origin("https://tiles.example", o, sizeof(o));
	CHECK_STR(o, "https://tiles.example");
	config_tile_origin("", o, sizeof(o));
	CHECK_STR(o, "");
	/* Nothing that could end or widen the policy. */
	config_tile_origin("https://a.example; script-src *;/x", o, sizeof(o));
	CHECK_STR(o, "");
	config_tile_origin("https://{a-c}.example/{z}", o, sizeof(o));
	CHECK_STR(o, "");
	config_tile_origin("https://'self'/x", o, sizeof(o));
	CHECK_STR(o, "");
}

/* The read replica: none by default, its lag bound within reason. */
static void
replica_settings(void)
{
	static const char *const none[] = { NULL };
	static const char *const set[] = { "MITWIRKEN_REPLICA_URL",
	    "postgresql://r1:5432,r2:5432/db?target_session_attrs=standby",
	    "MITWIRKEN_REPLICA_MAX_LAG", "3", "MITWIRKEN_REPLICA_CONNS", "4",
	    NULL };
	static const char *const zero[] = { "MITWIRKEN_REPLICA_MAX_LAG", "0",
	    NULL };
	struct config	c;
	char		err[256];

	env = none;
	CHECK(config_load(&c, fake_getenv, err, sizeof(err)));
	CHECK_STR(c.replica_url, "");
	CHECK(c.replica_max_lag == 10 && c.replica_conns == 16);
	env = set;
	CHECK(config_load(&c, fake_getenv, err, sizeof(err)));
	CHECK(strstr(c.replica_url, "target_session_attrs=standby") != NULL);
	CHECK(c.replica_max_lag == 3 && c.replica_conns == 4);
	env = zero;
	CHECK(!config_load(&c, fake_getenv, err, sizeof(err)));
	CHECK(strstr(err, "MITWIRKEN_REPLICA_MAX_LAG") != NULL);
}

UNIT_SUITE(config_tests) = {
	{ "config: the read replica", replica_settings },
	{ "config: a tile URL's origin for the CSP", tile_origins },
	{ "config: bounding boxes refuse NaN and infinity", bboxes },
	{ "config: defect settings", defect_settings },
	{ "config: defaults", defaults },
	{ "config: overrides and errors name the variable",
	    overrides_and_errors },
	{ NULL, NULL }
};
