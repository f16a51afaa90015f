/*
 * json_parse_body sees every JSON request body before a handler does.  It
 * must survive anything; what it accepts must keep json.c's promises (valid
 * UTF-8, nesting within JSON_DEPTH_MAX, no duplicate keys) and survive a
 * trip through cJSON's printer and back unchanged, since responses and the
 * database get the document cJSON holds, not the client's bytes.
 */

#include <float.h>
#include <math.h>

#include "mitwirken.h"
#include "fuzz.h"

static int
deepest(const cJSON *node, int depth)
{
	const cJSON	*child;
	int		d, max;

	max = depth;
	for (child = node->child; child != NULL; child = child->next) {
		if ((d = deepest(child, depth + 1)) > max)
			max = d;
	}
	return (max);
}

static void
check_unique_keys(const cJSON *node)
{
	const cJSON	*a, *b;

	for (a = node->child; a != NULL; a = a->next) {
		if (cJSON_IsObject(node)) {
			for (b = a->next; b != NULL; b = b->next)
				FUZZ_ASSERT(strcmp(a->string, b->string) != 0);
		}
		check_unique_keys(a);
	}
}

/*
 * Equality after a print and a parse, as far as cJSON's printer keeps it:
 * a number it cannot represent (1e999 became infinity) is printed as null,
 * and one is printed with 15 digits when that is within DBL_EPSILON of it.
 * Neither is a loss json.c could prevent.
 */
static int
same(const cJSON *a, const cJSON *b)
{
	const cJSON	*x, *y;

	if (cJSON_IsNumber(a) && !isfinite(a->valuedouble))
		return (cJSON_IsNull(b));
	if ((a->type & 0xff) != (b->type & 0xff))
		return (0);
	if (cJSON_IsNumber(a))
		return (fabs(a->valuedouble - b->valuedouble) <=
		    fmax(fabs(a->valuedouble), fabs(b->valuedouble)) *
		    DBL_EPSILON);
	if (cJSON_IsString(a))
		return (strcmp(a->valuestring, b->valuestring) == 0);
	for (x = a->child, y = b->child; x != NULL && y != NULL;
	    x = x->next, y = y->next) {
		if (cJSON_IsObject(a) && strcmp(x->string, y->string) != 0)
			return (0);
		if (!same(x, y))
			return (0);
	}
	return (x == NULL && y == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON	*doc, *again;
	char	err[128], err2[128], *text;

	err[0] = '\0';
	doc = json_parse_body((const char *)data, size, err, sizeof(err));
	if (doc == NULL) {
		/* The reason goes into a JSON error body as it is. */
		FUZZ_ASSERT(err[0] != '\0');
		FUZZ_ASSERT(fuzz_utf8_wellformed(err, strlen(err)));
		return (0);
	}
	FUZZ_ASSERT(size > 0 && memchr(data, '\0', size) == NULL);
	FUZZ_ASSERT(utf8_valid_json((const char *)data, size));
	FUZZ_ASSERT(deepest(doc, 1) <= JSON_DEPTH_MAX);
	check_unique_keys(doc);

	if ((text = cJSON_PrintUnformatted(doc)) == NULL)
		abort();
	again = json_parse_body(text, strlen(text), err2, sizeof(err2));
	FUZZ_ASSERT(again != NULL);
	FUZZ_ASSERT(same(doc, again));
	cJSON_Delete(again);
	cJSON_free(text);
	cJSON_Delete(doc);
	return (0);
}
