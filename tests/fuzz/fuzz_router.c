/*
 * router_path_match against patterns of the route table in src/routes.c.
 * A match must explain the whole path: the pattern with each capture
 * replaced by its value gives back the path byte for byte, and every value
 * is one non-empty segment of at most ROUTER_SEGMENT_MAX bytes.
 */

#include "mitwirken.h"
#include "fuzz.h"

static const char *const	patterns[] = {
	"/",
	"/konto/sitzungen/{id}/beenden",
	"/assets/{name}",
	"/api/v1/fields",
	"/api/v1/fields/{slug}",
	"/api/v1/me/sessions",
	"/api/v1/me/sessions/{id}",
	"/api/v1/admin/accounts/{id}/roles/{role}",
	"/api/v1/openapi.json",
	NULL
};

static void
check_match(const char *pattern, const char *path,
    const struct route_match *m)
{
	const struct route_capture	*c;
	const char			*p, *s, *seg;
	size_t				len, plen;
	int				i;

	FUZZ_ASSERT(m->ncaptures >= 0 && m->ncaptures <= ROUTER_CAPTURES_MAX);
	plen = strlen(path);
	for (i = 0, p = pattern, s = path; *p != '\0'; ) {
		if (*p == '{') {
			FUZZ_ASSERT(i < m->ncaptures);
			c = &m->captures[i++];
			seg = strchr(p, '}');
			len = (size_t)(seg - p) - 1;
			FUZZ_ASSERT(c->name == p + 1 && c->name_len == len);
			FUZZ_ASSERT(c->value == s);
			FUZZ_ASSERT(c->value_len > 0 &&
			    c->value_len <= ROUTER_SEGMENT_MAX);
			FUZZ_ASSERT(c->value_len <= plen - (size_t)(s - path));
			FUZZ_ASSERT(memchr(c->value, '/', c->value_len) ==
			    NULL);
			s += c->value_len;
			p = seg + 1;
		} else {
			FUZZ_ASSERT(*s == *p);
			s++;
			p++;
		}
	}
	FUZZ_ASSERT(*s == '\0' && i == m->ncaptures);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct route_match	m;
	char			*path, allow[64];
	int			i, mask;

	path = fuzz_cstring(data, size);
	for (i = 0; patterns[i] != NULL; i++) {
		memset(&m, 0xa5, sizeof(m));
		if (router_path_match(patterns[i], path, &m))
			check_match(patterns[i], path, &m);
	}

	mask = router_method_value(path);
	FUZZ_ASSERT(mask == 0 || (mask & (mask - 1)) == 0);
	/* The Allow header fits whatever buffer it is given. */
	if (size > 0) {
		router_allow_header(data[0], allow, 1 + data[size - 1] % 64);
		FUZZ_ASSERT(strlen(allow) < 1 + (size_t)data[size - 1] % 64);
	}
	free(path);
	return (0);
}
