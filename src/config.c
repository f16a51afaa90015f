/*
 * Deployment settings come from the environment (DESIGN.md "Operations");
 * Kore's own settings stay in conf/.  Defaults work on a laptop.  A bad
 * value stops start-up with a message naming the variable, instead of
 * running with a surprise.
 */

#include <errno.h>
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

int
config_load(struct config *c, config_getenv get, char *err, size_t errlen)
{
	long	n;

	memset(c, 0, sizeof(*c));
	if (!copy(c->database_url, sizeof(c->database_url),
	    env_or(get, "DATABASE_URL", "postgresql:///mitwirken"),
	    "DATABASE_URL", err, errlen) ||
	    !copy(c->key_file, sizeof(c->key_file),
	    env_or(get, "MITWIRKEN_KEY_FILE", "var/mitwirken.key"),
	    "MITWIRKEN_KEY_FILE", err, errlen) ||
	    !copy(c->assets_dir, sizeof(c->assets_dir),
	    env_or(get, "MITWIRKEN_ASSETS", "assets"),
	    "MITWIRKEN_ASSETS", err, errlen))
		return (MW_ERROR);
	if (!boolean(env_or(get, "MITWIRKEN_BEHIND_TLS", "0"),
	    "MITWIRKEN_BEHIND_TLS", &c->behind_tls, err, errlen))
		return (MW_ERROR);
	if (!number(env_or(get, "MITWIRKEN_DB_CONNS", "16"),
	    "MITWIRKEN_DB_CONNS", 1, 500, &n, err, errlen))
		return (MW_ERROR);
	c->db_conns = (int)n;
	if (!number(env_or(get, "MITWIRKEN_RETRY_AFTER", "5"),
	    "MITWIRKEN_RETRY_AFTER", 1, 3600, &n, err, errlen))
		return (MW_ERROR);
	c->retry_after = (int)n;
	if (!number(env_or(get, "MITWIRKEN_JSON_BODY_MAX", "65536"),
	    "MITWIRKEN_JSON_BODY_MAX", 1024, 8388608, &n, err, errlen))
		return (MW_ERROR);
	c->json_body_max = n;
	return (MW_OK);
}
