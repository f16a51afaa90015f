/*
 * Every request parameter is declared; anything undeclared or invalid is
 * reported back by name.  Kore's own validators silently drop bad input,
 * which would let a typo in "?distrct=" quietly return unfiltered data.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* Decodes %XX and '+'; refuses broken escapes and NUL bytes. */
int
params_url_decode(const char *in, size_t len, char *out, size_t outlen,
    size_t *outused)
{
	size_t	i, o;
	int	hi, lo;

	for (i = 0, o = 0; i < len; i++, o++) {
		if (o + 1 >= outlen || in[i] == '\0')
			return (MW_ERROR);
		if (in[i] == '+') {
			out[o] = ' ';
		} else if (in[i] == '%') {
			if (i + 2 >= len)
				return (MW_ERROR);
			hi = hexval(in[i + 1]);
			lo = hexval(in[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return (MW_ERROR);
			out[o] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o] = in[i];
		}
	}
	out[o] = '\0';
	*outused = o;
	return (MW_OK);
}

int
params_add(struct param_set *ps, const char *name, size_t nlen,
    const char *value, size_t vlen)
{
	struct param	*p;

	if (ps->count == PARAMS_MAX)
		return (MW_ERROR);
	p = &ps->items[ps->count++];
	if ((p->name = strndup(name, nlen)) == NULL ||
	    (p->value = strndup(value, vlen)) == NULL)
		abort();
	return (MW_OK);
}

void
params_free(struct param_set *ps)
{
	int	i;

	for (i = 0; i < ps->count; i++) {
		free(ps->items[i].name);
		free(ps->items[i].value);
	}
	ps->count = 0;
}

/*
 * Drops the parameters with empty values: a page's GET form sends every
 * field, and an empty one ("alle Handlungsfelder") means no filter.
 */
void
params_drop_empty(struct param_set *ps)
{
	int	i, n;

	for (i = 0, n = 0; i < ps->count; i++) {
		if (ps->items[i].value[0] == '\0') {
			free(ps->items[i].name);
			free(ps->items[i].value);
			continue;
		}
		ps->items[n++] = ps->items[i];
	}
	ps->count = n;
}

/*
 * Drops the parameters specs does not declare: a page is reached by shared
 * links, which carry fbclid, utm_* and the like.  The JSON API keeps them
 * and refuses them, naming each, so a client learns about a typo.
 */
void
params_drop_unknown(struct param_set *ps, const struct param_spec *specs)
{
	const struct param_spec	*s;
	int			 i, n;

	for (i = 0, n = 0; i < ps->count; i++) {
		for (s = specs; s != NULL && s->name != NULL; s++) {
			if (strcmp(s->name, ps->items[i].name) == 0)
				break;
		}
		if (s == NULL || s->name == NULL) {
			free(ps->items[i].name);
			free(ps->items[i].value);
			continue;
		}
		ps->items[n++] = ps->items[i];
	}
	ps->count = n;
}

const char *
params_get(const struct param_set *ps, const char *name)
{
	int	i;

	for (i = 0; i < ps->count; i++) {
		if (strcmp(ps->items[i].name, name) == 0)
			return (ps->items[i].value);
	}
	return (NULL);
}

static int
parse_pair(const char *pair, size_t len, struct param_set *ps,
    struct field_errors *fe)
{
	/* Static: a 64 KiB value does not belong on a worker's stack. */
	static char	value[PARAM_VALUE_MAX];
	char		name[PARAM_NAME_MAX];
	const char	*eq;
	size_t		nlen, vlen;

	if ((eq = memchr(pair, '=', len)) == NULL)
		eq = pair + len;
	if (!params_url_decode(pair, (size_t)(eq - pair), name,
	    sizeof(name), &nlen) || nlen == 0 ||
	    !utf8_valid_text(name, nlen)) {
		error_field_add(fe, "query", "malformed parameter name");
		return (MW_ERROR);
	}
	if (eq == pair + len) {
		value[0] = '\0';
		vlen = 0;
	} else if (!params_url_decode(eq + 1, len - (size_t)(eq - pair) - 1,
	    value, sizeof(value), &vlen) || !utf8_valid_text(value, vlen)) {
		error_field_add(fe, name, "malformed value");
		return (MW_ERROR);
	}
	if (params_get(ps, name) != NULL) {
		error_field_add(fe, name, "given more than once");
		return (MW_ERROR);
	}
	if (!params_add(ps, name, nlen, value, vlen)) {
		error_field_add(fe, "query", "too many parameters");
		return (MW_ERROR);
	}
	return (MW_OK);
}

/* Parses "a=1&b=2"; empty pieces ("a=1&&b=2", trailing "&") are ignored. */
int
params_parse_query(const char *qs, struct param_set *ps,
    struct field_errors *fe)
{
	const char	*p, *amp;
	int		ok;

	ok = MW_OK;
	if (qs == NULL)
		return (ok);
	for (p = qs; *p != '\0'; p = (*amp == '&') ? amp + 1 : amp) {
		amp = p + strcspn(p, "&");
		if (amp > p && !parse_pair(p, (size_t)(amp - p), ps, fe))
			ok = MW_ERROR;
	}
	return (ok);
}

static void
check_int(const struct param_spec *s, const char *v, struct field_errors *fe)
{
	char	*end, reason[128];
	long	n;

	/* strtol would skip leading white space and accept a '+'. */
	errno = 0;
	n = strtol(v, &end, 10);
	if (!((v[0] >= '0' && v[0] <= '9') || (v[0] == '-' &&
	    v[1] >= '0' && v[1] <= '9')) || *end != '\0' || errno != 0 ||
	    n < s->min || n > s->max) {
		(void)snprintf(reason, sizeof(reason),
		    "must be a whole number from %ld to %ld", s->min, s->max);
		error_field_add(fe, s->name, reason);
	}
}

static void
check_enum(const struct param_spec *s, const char *v, struct field_errors *fe)
{
	struct strbuf	reason;
	int		i;

	for (i = 0; s->choices[i] != NULL; i++) {
		if (strcmp(s->choices[i], v) == 0)
			return;
	}
	strbuf_init(&reason, 64);
	strbuf_appends(&reason, "must be one of:");
	for (i = 0; s->choices[i] != NULL; i++)
		strbuf_appendf(&reason, " %s", s->choices[i]);
	error_field_add(fe, s->name, reason.data);
	strbuf_free(&reason);
}

static void
check_value(const struct param_spec *s, const char *v,
    struct field_errors *fe)
{
	size_t	i, len;

	len = strlen(v);
	switch (s->type) {
	case PARAM_SLUG:
		for (i = 0; i < len; i++) {
			if (!((v[i] >= 'a' && v[i] <= 'z') ||
			    (v[i] >= '0' && v[i] <= '9') || v[i] == '-'))
				break;
		}
		if (len == 0 || len > 64 || i != len)
			error_field_add(fe, s->name, "must be 1 to 64 "
			    "characters of a-z, 0-9 and '-'");
		break;
	case PARAM_INT:
		check_int(s, v, fe);
		break;
	case PARAM_ENUM:
		check_enum(s, v, fe);
		break;
	case PARAM_TEXT:
		if ((long)len < s->min || (long)len > s->max)
			error_field_add(fe, s->name, "has the wrong length");
		break;
	}
}

/*
 * Checks every given parameter against the specs (terminated by a spec
 * without a name): unknown names, missing required ones, bad values.
 */
int
params_validate(const struct param_set *ps, const struct param_spec *specs,
    struct field_errors *fe)
{
	const struct param_spec	*s;
	const char		*v;
	int			i, before;

	before = fe->count;
	for (i = 0; i < ps->count; i++) {
		for (s = specs; s != NULL && s->name != NULL; s++) {
			if (strcmp(s->name, ps->items[i].name) == 0)
				break;
		}
		if (s == NULL || s->name == NULL)
			error_field_add(fe, ps->items[i].name,
			    "unknown parameter");
	}
	for (s = specs; s != NULL && s->name != NULL; s++) {
		if ((v = params_get(ps, s->name)) == NULL) {
			if (s->required)
				error_field_add(fe, s->name, "required");
			continue;
		}
		check_value(s, v, fe);
	}
	return (fe->count == before) ? MW_OK : MW_ERROR;
}

void
params_url_encode(struct strbuf *out, const char *s)
{
	static const char	hex[] = "0123456789ABCDEF";
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~", *p) != NULL) {
			strbuf_append(out, p, 1);
		} else {
			strbuf_appendf(out, "%%%c%c", hex[*p >> 4],
			    hex[*p & 15]);
		}
	}
}
