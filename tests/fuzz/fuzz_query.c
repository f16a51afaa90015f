/*
 * The query string and form-body path of dispatch.c: params_url_decode,
 * utf8_valid_text, params_parse_query and params_validate against a fixed
 * list of declarations.  Decoding and UTF-8 are held against independent
 * readings; what params_validate accepts must fit the declared types.
 */

#include <errno.h>

#include "mitwirken.h"
#include "fuzz.h"

static const char *const	sorts[] = { "new", "top", "old", NULL };
static const char *const	langs[] = { "de", "en", NULL };

static const struct param_spec	optional[] = {
	{ "page", PARAM_INT, 0, 1, 1000, NULL },
	{ "limit", PARAM_INT, 0, -5, 100, NULL },
	{ "field", PARAM_SLUG, 0, 0, 0, NULL },
	{ "sort", PARAM_ENUM, 0, 0, 0, sorts },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "q", PARAM_TEXT, 0, 1, 200, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

static const struct param_spec	required[] = {
	{ "id", PARAM_INT, 1, 1, 9223372036854775807L, NULL },
	{ "token", PARAM_TEXT, 1, 43, 43, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	c |= 0x20;
	return (c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1);
}

/* What "%XX and '+', no broken escapes, no NUL bytes" means; -1: refused. */
static long
reference_decode(const char *in, size_t len, char *out)
{
	size_t	i, o;
	int	c;

	for (i = 0, o = 0; i < len; i++, o++) {
		if (in[i] == '%') {
			if (len - i < 3 || hexval(in[i + 1]) < 0 ||
			    hexval(in[i + 2]) < 0)
				return (-1);
			c = hexval(in[i + 1]) * 16 + hexval(in[i + 2]);
			i += 2;
		} else
			c = in[i] == '+' ? ' ' : (unsigned char)in[i];
		if (c == 0)
			return (-1);
		out[o] = (char)c;
	}
	return ((long)o);
}

static void
check_decode(const uint8_t *data, size_t size)
{
	char	*got, *want;
	size_t	used, small;
	long	n;
	int	ok;

	got = malloc(size + 1);
	want = malloc(size + 1);
	if (got == NULL || want == NULL)
		abort();
	n = reference_decode((const char *)data, size, want);
	ok = params_url_decode((const char *)data, size, got, size + 1, &used);
	FUZZ_ASSERT(ok == (n >= 0));
	if (ok) {
		FUZZ_ASSERT(used == (size_t)n && got[used] == '\0');
		FUZZ_ASSERT(memcmp(got, want, used) == 0);
	}
	/* Too small a buffer is refused, never overrun. */
	small = size / 2 + 1;
	if (params_url_decode((const char *)data, size, got, small, &used))
		FUZZ_ASSERT(used < small && got[used] == '\0');
	free(got);
	free(want);
}

static int
reference_text(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t' &&
		    s[i] != '\n' && s[i] != '\r') || s[i] == 0x7f)
			return (0);
	}
	return (fuzz_utf8_wellformed(s, len));
}

static int
is_decimal(const char *v)
{
	const char	*p;

	p = (*v == '-') ? v + 1 : v;
	if (*p == '\0')
		return (0);
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return (0);
	}
	return (1);
}

/* The declared types of mitwirken.h, read independently of params.c. */
static int
value_fits(const struct param_spec *s, const char *v)
{
	const char	*const *c;
	size_t		len, i;
	long		n;

	len = strlen(v);
	switch (s->type) {
	case PARAM_SLUG:
		for (i = 0; i < len; i++) {
			if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-",
			    v[i]) == NULL)
				return (0);
		}
		return (len >= 1 && len <= 64);
	case PARAM_INT:
		if (!is_decimal(v))
			return (0);
		errno = 0;
		n = strtol(v, NULL, 10);
		return (errno == 0 && n >= s->min && n <= s->max);
	case PARAM_ENUM:
		for (c = s->choices; *c != NULL; c++) {
			if (strcmp(*c, v) == 0)
				return (1);
		}
		return (0);
	case PARAM_TEXT:
		return ((long)len >= s->min && (long)len <= s->max);
	}
	return (0);
}

static int
reference_validate(const struct param_set *ps, const struct param_spec *specs)
{
	const struct param_spec	*s;
	const char		*v;
	int			i;

	for (i = 0; i < ps->count; i++) {
		for (s = specs; s->name != NULL; s++) {
			if (strcmp(s->name, ps->items[i].name) == 0)
				break;
		}
		if (s->name == NULL)
			return (0);
	}
	for (s = specs; s->name != NULL; s++) {
		if ((v = params_get(ps, s->name)) == NULL) {
			if (s->required)
				return (0);
		} else if (!value_fits(s, v))
			return (0);
	}
	return (1);
}

static void
check_set(const struct param_set *ps)
{
	int	i, j;
	size_t	nlen, vlen;

	FUZZ_ASSERT(ps->count >= 0 && ps->count <= PARAMS_MAX);
	for (i = 0; i < ps->count; i++) {
		nlen = strlen(ps->items[i].name);
		vlen = strlen(ps->items[i].value);
		FUZZ_ASSERT(nlen > 0 && nlen < PARAM_NAME_MAX);
		FUZZ_ASSERT(vlen < PARAM_VALUE_MAX);
		FUZZ_ASSERT(reference_text(ps->items[i].name, nlen));
		FUZZ_ASSERT(reference_text(ps->items[i].value, vlen));
		for (j = i + 1; j < ps->count; j++)
			FUZZ_ASSERT(strcmp(ps->items[i].name,
			    ps->items[j].name) != 0);
	}
}

static void
check_validate(const struct param_set *ps, const struct param_spec *specs)
{
	struct field_errors	fe;
	int			ok;

	memset(&fe, 0, sizeof(fe));
	ok = params_validate(ps, specs, &fe);
	FUZZ_ASSERT(ok == reference_validate(ps, specs));
	FUZZ_ASSERT(ok == (fe.count == 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct param_set	ps;
	struct field_errors	fe;
	char			*qs;
	int			ok;

	check_decode(data, size);
	FUZZ_ASSERT(utf8_valid_text((const char *)data, size) ==
	    reference_text((const char *)data, size));

	qs = fuzz_cstring(data, size);
	memset(&ps, 0, sizeof(ps));
	memset(&fe, 0, sizeof(fe));
	ok = params_parse_query(qs, &ps, &fe);
	FUZZ_ASSERT(ok == (fe.count == 0));
	check_set(&ps);
	if (ok) {
		check_validate(&ps, optional);
		check_validate(&ps, required);
	}
	params_free(&ps);
	free(qs);
	return (0);
}
