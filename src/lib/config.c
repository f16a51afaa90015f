/*
 * Deployment settings come from the environment (DESIGN.md "Operations");
 * Kore's own settings stay in conf/.  Defaults work on a laptop.  A bad
 * value stops start-up with a message naming the variable, instead of
 * running with a surprise.
 */

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

static int
copy(char *dst, size_t len, const char *src, const char *name, char *err,
    size_t errlen)
{
	if (strlen(src) >= len) {
		(void)snprintf(err, errlen, "%s is too long", name);
		return (MW_ERROR);
	}
	(void)snprintf(dst, len, "%s", src);
	return (MW_OK);
}

static int
number(const char *v, const char *name, long min, long max, long *out,
    char *err, size_t errlen)
{
	char	*end;
	long	n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < min || n > max) {
		(void)snprintf(err, errlen, "%s must be a number from %ld to "
		    "%ld, not \"%s\"", name, min, max, v);
		return (MW_ERROR);
	}
	*out = n;
	return (MW_OK);
}

static int
boolean(const char *v, const char *name, int *out, char *err, size_t errlen)
{
	if (!strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true")) {
		*out = 1;
	} else if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false")) {
		*out = 0;
	} else {
		(void)snprintf(err, errlen, "%s must be 1/yes/true or "
		    "0/no/false, not \"%s\"", name, v);
		return (MW_ERROR);
	}
	return (MW_OK);
}

static const char *
env_or(config_getenv get, const char *name, const char *def)
{
	const char	*v;

	v = get(name);
	return (v != NULL && *v != '\0') ? v : def;
}

static const struct {
	const char	*name;
	const char	*def;
	long		min;
	long		max;
	size_t		offset;
	int		is_long;
} numeric[] = {
	{ "MITWIRKEN_DB_CONNS", "16", 1, 500,
	    offsetof(struct config, db_conns), 0 },
	{ "MITWIRKEN_RETRY_AFTER", "5", 1, 3600,
	    offsetof(struct config, retry_after), 0 },
	{ "MITWIRKEN_JSON_BODY_MAX", "65536", 1024, 8388608,
	    offsetof(struct config, json_body_max), 1 },
	{ "MITWIRKEN_SESSION_IDLE", "1800", 60, 86400 * 30,
	    offsetof(struct config, session_idle), 0 },
	{ "MITWIRKEN_SESSION_ABSOLUTE", "43200", 300, 86400 * 365,
	    offsetof(struct config, session_absolute), 0 },
	{ "MITWIRKEN_LOGIN_LIMIT_ACCOUNT", "10", 1, 10000,
	    offsetof(struct config, login_limit_account), 0 },
	{ "MITWIRKEN_LOGIN_LIMIT_IP", "50", 1, 100000,
	    offsetof(struct config, login_limit_ip), 0 },
	{ "MITWIRKEN_LOGIN_WINDOW", "900", 10, 86400,
	    offsetof(struct config, login_window), 0 },
	{ "MITWIRKEN_ANON_LIMIT_ADDRESS", "5", 1, 100000,
	    offsetof(struct config, anon_limit_address), 0 },
	{ "MITWIRKEN_ANON_LIMIT_IP", "30", 1, 1000000,
	    offsetof(struct config, anon_limit_ip), 0 },
	{ "MITWIRKEN_ANON_WINDOW", "3600", 10, 86400,
	    offsetof(struct config, anon_window), 0 },
	{ "MITWIRKEN_SUBMIT_LIMIT_ACCOUNT", "10", 1, 1000000,
	    offsetof(struct config, submit_limit_account), 0 },
	{ "MITWIRKEN_SUBMIT_LIMIT_IP", "30", 1, 1000000,
	    offsetof(struct config, submit_limit_ip), 0 },
	{ "MITWIRKEN_SUBMIT_WINDOW", "3600", 10, 86400,
	    offsetof(struct config, submit_window), 0 },
	{ "MITWIRKEN_FORM_MIN_SECONDS", "3", 0, 600,
	    offsetof(struct config, form_min_seconds), 0 },
	{ "MITWIRKEN_FORM_MAX_SECONDS", "86400", 600, 2592000,
	    offsetof(struct config, form_max_seconds), 0 },
	{ "MITWIRKEN_IDEM_LIMIT", "100", 1, 1000000,
	    offsetof(struct config, idem_limit), 0 },
	{ "MITWIRKEN_IDEM_WINDOW", "3600", 10, 86400,
	    offsetof(struct config, idem_window), 0 },
	{ "MITWIRKEN_STREAM_STALL", "60", 1, 3600,
	    offsetof(struct config, stream_stall), 0 },
	{ "MITWIRKEN_SURVEY_K", "5", 3, 1000,
	    offsetof(struct config, survey_k), 0 },
	{ "MITWIRKEN_PHOTO_MAX_BYTES", "10485760", 65536, 52428800,
	    offsetof(struct config, photo_max_bytes), 1 },
	{ "MITWIRKEN_PHOTO_MAX_PIXELS", "40000000", 10000, 200000000,
	    offsetof(struct config, photo_max_pixels), 1 },
	{ "MITWIRKEN_DUPLICATE_RADIUS", "50", 1, 5000,
	    offsetof(struct config, duplicate_radius), 0 },
	{ "MITWIRKEN_REOPEN_DAYS", "14", 1, 365,
	    offsetof(struct config, reopen_days), 0 },
	{ "MITWIRKEN_REPLICA_CONNS", "16", 1, 500,
	    offsetof(struct config, replica_conns), 0 },
	{ "MITWIRKEN_REPLICA_MAX_LAG", "10", 1, 3600,
	    offsetof(struct config, replica_max_lag), 0 },
};

static int
numbers(struct config *c, config_getenv get, char *err, size_t errlen)
{
	size_t	i;
	long	n;

	for (i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++) {
		if (!number(env_or(get, numeric[i].name, numeric[i].def),
		    numeric[i].name, numeric[i].min, numeric[i].max, &n, err,
		    errlen))
			return (MW_ERROR);
		if (numeric[i].is_long)
			*(long *)((char *)c + numeric[i].offset) = n;
		else
			*(int *)((char *)c + numeric[i].offset) = (int)n;
	}
	return (MW_OK);
}

/* "min_lon,min_lat,max_lon,max_lat", as in GeoJSON's bbox. */
int
config_bbox(const char *v, double *box)
{
	char	*end;
	int	i;

	for (i = 0; i < 4; i++) {
		box[i] = strtod(v, &end);
		if (end == v || (i < 3 && *end != ',') || (i == 3 &&
		    *end != '\0'))
			return (MW_ERROR);
		v = end + 1;
	}
	/* NaN passes every comparison below: refuse it first. */
	for (i = 0; i < 4; i++) {
		if (!isfinite(box[i]))
			return (MW_ERROR);
	}
	if (box[0] < -180 || box[2] > 180 || box[1] < -90 || box[3] > 90 ||
	    box[0] >= box[2] || box[1] >= box[3])
		return (MW_ERROR);
	return (MW_OK);
}

int
config_load(struct config *c, config_getenv get, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	if (!copy(c->database_url, sizeof(c->database_url),
	    env_or(get, "DATABASE_URL", "postgresql:///mitwirken"),
	    "DATABASE_URL", err, errlen) ||
	    !copy(c->key_file, sizeof(c->key_file),
	    env_or(get, "MITWIRKEN_KEY_FILE", "var/mitwirken.key"),
	    "MITWIRKEN_KEY_FILE", err, errlen) ||
	    !copy(c->assets_dir, sizeof(c->assets_dir),
	    env_or(get, "MITWIRKEN_ASSETS", "assets"),
	    "MITWIRKEN_ASSETS", err, errlen) ||
	    !copy(c->public_url, sizeof(c->public_url),
	    env_or(get, "MITWIRKEN_PUBLIC_URL", "http://127.0.0.1:8888"),
	    "MITWIRKEN_PUBLIC_URL", err, errlen) ||
	    !copy(c->tile_url, sizeof(c->tile_url),
	    env_or(get, "MITWIRKEN_TILE_URL", ""),
	    "MITWIRKEN_TILE_URL", err, errlen) ||
	    !copy(c->tile_attribution, sizeof(c->tile_attribution),
	    env_or(get, "MITWIRKEN_TILE_ATTRIBUTION", ""),
	    "MITWIRKEN_TILE_ATTRIBUTION", err, errlen) ||
	    !copy(c->replica_url, sizeof(c->replica_url),
	    env_or(get, "MITWIRKEN_REPLICA_URL", ""),
	    "MITWIRKEN_REPLICA_URL", err, errlen))
		return (MW_ERROR);
	if (!numbers(c, get, err, errlen))
		return (MW_ERROR);
	/* Braunschweig's city area, with a margin. */
	if (!config_bbox(env_or(get, "MITWIRKEN_BBOX",
	    "10.40,52.18,10.72,52.36"), c->bbox)) {
		(void)snprintf(err, errlen, "MITWIRKEN_BBOX must be "
		    "min_lon,min_lat,max_lon,max_lat");
		return (MW_ERROR);
	}
	if (!boolean(env_or(get, "MITWIRKEN_BEHIND_TLS", "0"),
	    "MITWIRKEN_BEHIND_TLS", &c->behind_tls, err, errlen) ||
	    !boolean(env_or(get, "MITWIRKEN_TRUST_PROXY", "0"),
	    "MITWIRKEN_TRUST_PROXY", &c->trust_proxy, err, errlen) ||
	    !boolean(env_or(get, "MITWIRKEN_REQUIRE_VERIFIED", "1"),
	    "MITWIRKEN_REQUIRE_VERIFIED", &c->require_verified, err, errlen))
		return (MW_ERROR);
	return (MW_OK);
}

/*
 * The origin of a tile URL template as a CSP source: scheme and host,
 * Leaflet's subdomain placeholder "{s}." as "*.".  Anything else in the
 * host that a policy could misread (spaces, quotes, ';', other
 * placeholders) yields "": no tiles admitted rather than a broken policy.
 */
void
config_tile_origin(const char *url, char *out, size_t len)
{
	const char	*host, *end;
	size_t		n;

	out[0] = '\0';
	if ((host = strstr(url, "://")) == NULL)
		return;
	host += 3;
	if ((end = strchr(host, '/')) == NULL)
		end = host + strlen(host);
	if (strncmp(host, "{s}.", 4) == 0) {
		(void)snprintf(out, len, "%.*s*.", (int)(host - url), url);
		host += 4;
	} else {
		(void)snprintf(out, len, "%.*s", (int)(host - url), url);
	}
	for (n = 0; host + n < end; n++) {
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:", host[n]) == NULL) {
			out[0] = '\0';
			return;
		}
	}
	n = strlen(out);
	(void)snprintf(out + n, len - n, "%.*s", (int)(end - host), host);
}
