/*
 * expr_parse sees every visibleIf of a definition, expr_eval every answer
 * of a response.  The input is an expression, a NUL, then answers JSON:
 * parsing and evaluating must survive anything (no deep recursion), and
 * an expression that parses must name only what expr_names reports.
 */

#include "mitwirken.h"
#include "fuzz.h"

static const char fixed[] =
    "{\"a\":1,\"b\":\"ja\",\"c\":[\"x\",\"y\",1],\"d\":{\"r1\":1,\"r2\":\"\"},"
    "\"e\":\"\",\"f\":\"2.5\",\"g\":[],\"h\":-0.5,\"i\":\"'q'\"}";

static int
count(const char *name, void *arg)
{
	FUZZ_ASSERT(name[0] != '\0');
	(*(int *)arg)++;
	return (1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cJSON	*answers;
	struct expr	*e;
	cJSON		*given;
	char		*parts[2], *copy, err[128];
	int		 n = 0, r;

	if (answers == NULL && (answers = cJSON_Parse(fixed)) == NULL)
		abort();
	copy = fuzz_split(data, size, parts, 2);
	err[0] = '\0';
	if ((e = expr_parse(parts[0], err, sizeof(err))) == NULL) {
		FUZZ_ASSERT(err[0] != '\0');
		free(copy);
		return (0);
	}
	FUZZ_ASSERT(expr_names(e, count, &n) == 1);
	r = expr_eval(e, answers);
	FUZZ_ASSERT(r == 0 || r == 1);
	FUZZ_ASSERT(expr_eval(e, answers) == r);
	if (parts[1] != NULL && (given = json_parse_body(parts[1],
	    strlen(parts[1]), err, sizeof(err))) != NULL) {
		r = expr_eval(e, given);
		FUZZ_ASSERT(r == 0 || r == 1);
		cJSON_Delete(given);
	}
	expr_free(e);
	free(copy);
	return (0);
}
