/*
 * The Open311 parameters (src/lib/open311.c): a POST requests body, the
 * list filters and the ISO 8601 times of GET requests.  The input is split
 * at NUL bytes: a body, a list, a time.  What the parser accepts must be
 * what the handler may bind: a service code, a location, texts without
 * controls, an attributes object within its limits; a list literal needs
 * no quoting; a time survives formatting and parsing again.
 */

#include "mitwirken.h"
#include "fuzz.h"

static int
code_chars(const char *s, const char *allowed)
{
	return (*s != '\0' && strspn(s, allowed) == strlen(s));
}

static void
check_request(const char *body)
{
	struct open311_request	o;
	struct field_errors	fe;
	const cJSON		*a;
	int			i, ok;
	size_t			len;

	memset(&fe, 0, sizeof(fe));
	ok = open311_parse_request(body, strlen(body), &o, &fe);
	FUZZ_ASSERT(ok == (fe.count == 0));
	FUZZ_ASSERT(cJSON_IsObject(o.attributes));
	FUZZ_ASSERT(cJSON_GetArraySize(o.attributes) <= 16);
	for (i = 0; i < O311_FIELDS; i++) {
		if (o.field[i] == NULL)
			continue;
		len = strlen(o.field[i]);
		FUZZ_ASSERT(len > 0 && utf8_valid_text(o.field[i], len));
		if (i != O311_DESCRIPTION)
			FUZZ_ASSERT(strcspn(o.field[i], "\r\n") == len);
	}
	if (ok) {
		FUZZ_ASSERT(code_chars(o.field[O311_SERVICE_CODE],
		    "abcdefghijklmnopqrstuvwxyz0123456789-"));
		FUZZ_ASSERT(o.has_point || o.field[O311_ADDRESS] != NULL);
		if (o.has_point)
			FUZZ_ASSERT(o.lat >= -90 && o.lat <= 90 &&
			    o.lon >= -180 && o.lon <= 180);
		cJSON_ArrayForEach(a, o.attributes) {
			FUZZ_ASSERT(code_chars(a->string,
			    "abcdefghijklmnopqrstuvwxyz0123456789_"));
			FUZZ_ASSERT(cJSON_IsString(a) || (cJSON_IsArray(a) &&
			    cJSON_GetArraySize(a) <= 20));
		}
	}
	open311_request_free(&o);
}

static void
check_list(const char *in)
{
	static const char	safe[] =
	    "abcdefghijklmnopqrstuvwxyz0123456789-,{}";
	struct strbuf		out;
	enum open311_list	k;

	for (k = O311_LIST_CODES; k <= O311_LIST_STATUSES; k++) {
		strbuf_init(&out, 16);
		if (open311_parse_list(in, k, &out)) {
			FUZZ_ASSERT(out.data[0] == '{' &&
			    out.data[out.len - 1] == '}');
			FUZZ_ASSERT(strspn(out.data, safe) == out.len);
		}
		strbuf_free(&out);
	}
}

static void
check_time(const char *in)
{
	long long	t, again;
	char		buf[32];

	if (!open311_parse_time(in, &t))
		return;
	open311_format_time(t, buf, sizeof(buf));
	FUZZ_ASSERT(open311_parse_time(buf, &again));
	FUZZ_ASSERT(again == t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*parts[3], *copy;

	copy = fuzz_split(data, size, parts, 3);
	check_request(parts[0]);
	if (parts[1] != NULL)
		check_list(parts[1]);
	if (parts[2] != NULL)
		check_time(parts[2]);
	free(copy);
	return (0);
}
