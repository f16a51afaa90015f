/*
 * Route patterns are plain paths whose segments may be "{name}" captures,
 * e.g. "/api/v1/fields/{slug}".  A capture matches one non-empty segment;
 * its value is checked later by the route's declared parameters, so the
 * router itself stays a dumb, exhaustively testable matcher.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mitwirken.h"

static const struct {
	const char	*name;
	int		value;
} methods[] = {
	{ "GET", M_GET },
	{ "HEAD", M_HEAD },
	{ "POST", M_POST },
	{ "PUT", M_PUT },
	{ "PATCH", M_PATCH },
	{ "DELETE", M_DELETE },
	{ "OPTIONS", M_OPTIONS },
};

int
router_method_value(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (strcasecmp(methods[i].name, name) == 0)
			return (methods[i].value);
	}
	return (0);
}

/* The Allow header for a 405: HEAD is implied wherever GET is allowed. */
void
router_allow_header(int mask, char *out, size_t outlen)
{
	size_t	i, off;
	int	n;

	if (mask & M_GET)
		mask |= M_HEAD;
	off = 0;
	out[0] = '\0';
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (!(mask & methods[i].value))
			continue;
		n = snprintf(out + off, outlen - off, "%s%s",
		    off ? ", " : "", methods[i].name);
		if (n < 0 || (size_t)n >= outlen - off)
			return;
		off += (size_t)n;
	}
}

int
router_path_match(const char *pattern, const char *path,
    struct route_match *m)
{
	const char	*p, *s, *pend, *send;

	m->ncaptures = 0;
	p = pattern;
	s = path;
	while (*p != '\0' && *s != '\0') {
		if (*p != '/' || *s != '/')
			return (MW_ERROR);
		p++;
		s++;
		pend = p + strcspn(p, "/");
		send = s + strcspn(s, "/");
		if (*p == '{' && pend > p + 1 && pend[-1] == '}') {
			if (send == s || m->ncaptures == ROUTER_CAPTURES_MAX)
				return (MW_ERROR);
			if ((size_t)(send - s) > ROUTER_SEGMENT_MAX)
				return (MW_ERROR);
			m->captures[m->ncaptures].name = p + 1;
			m->captures[m->ncaptures].name_len =
			    (size_t)(pend - p) - 2;
			m->captures[m->ncaptures].value = s;
			m->captures[m->ncaptures].value_len =
			    (size_t)(send - s);
			m->ncaptures++;
		} else if (pend - p != send - s ||
		    memcmp(p, s, (size_t)(pend - p)) != 0) {
			return (MW_ERROR);
		}
		p = pend;
		s = send;
	}
	return (*p == '\0' && *s == '\0') ? MW_OK : MW_ERROR;
}
