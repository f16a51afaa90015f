/*
 * answers_check sees every response.  Over a fixed definition with every
 * question type and a chain of visibleIf, any answers JSON must be either
 * refused with paths into it, or cleaned: only known, visible questions,
 * and the clean answers must pass again unchanged.
 */

#include "mitwirken.h"
#include "fuzz.h"

static const char def_json[] =
    "{\"pages\":[{\"elements\":["
    "{\"type\":\"radiogroup\",\"name\":\"rad\",\"isRequired\":true,"
    "\"choices\":[\"ja\",\"nein\"]},"
    "{\"type\":\"dropdown\",\"name\":\"drop\",\"choices\":[1,2,3],"
    "\"visibleIf\":\"{rad} = 'ja'\"},"
    "{\"type\":\"checkbox\",\"name\":\"box\",\"choices\":[\"a\",\"b\",\"c\"],"
    "\"visibleIf\":\"{drop} >= 2 or {rate} anyof [1, 5]\"}]},"
    "{\"elements\":["
    "{\"type\":\"rating\",\"name\":\"rate\"},"
    "{\"type\":\"text\",\"name\":\"txt\",\"maxLength\":5},"
    "{\"type\":\"text\",\"name\":\"num\",\"inputType\":\"number\","
    "\"min\":0,\"max\":10},"
    "{\"type\":\"comment\",\"name\":\"com\",\"maxLength\":10,"
    "\"visibleIf\":\"{txt} notempty\"},"
    "{\"type\":\"ranking\",\"name\":\"rank\",\"choices\":[\"x\",\"y\","
    "\"z\"]},"
    "{\"type\":\"matrix\",\"name\":\"mat\",\"rows\":[\"r1\",\"r/2\"],"
    "\"columns\":[1,\"zwei\"]}]}]}";

static struct survey_def *
the_def(void)
{
	static struct survey_def	*def;
	struct survey_problems		 pr;
	cJSON				*doc;

	if (def == NULL) {
		if ((doc = cJSON_Parse(def_json)) == NULL ||
		    (def = survey_parse(doc, &pr)) == NULL)
			abort();
		cJSON_Delete(doc);
	}
	return (def);
}

static void
one(const struct survey_def *def, const cJSON *given, enum answers_mode m)
{
	struct survey_problems	 pr;
	unsigned char		 seen[16], seen2[16];
	const cJSON		*c;
	cJSON			*clean, *again;
	char			*a, *b;
	int			 i, k;

	clean = answers_check(def, given, m, seen, &pr);
	if (clean == NULL) {
		FUZZ_ASSERT(pr.count > 0);
		for (i = 0; i < pr.count; i++)
			FUZZ_ASSERT(pr.items[i].path[0] == '\0' ||
			    pr.items[i].path[0] == '/');
		return;
	}
	for (c = clean->child; c != NULL; c = c->next) {
		k = survey_find(def, c->string);
		FUZZ_ASSERT(k >= 0 && seen[k]);
	}
	again = answers_check(def, clean, m, seen2, &pr);
	FUZZ_ASSERT(again != NULL);
	FUZZ_ASSERT(memcmp(seen, seen2, def->nquestions) == 0);
	a = cJSON_PrintUnformatted(clean);
	b = cJSON_PrintUnformatted(again);
	FUZZ_ASSERT(strcmp(a, b) == 0);
	cJSON_free(a);
	cJSON_free(b);
	cJSON_Delete(again);
	cJSON_Delete(clean);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON	*given;
	char	 err[128];

	if ((given = json_parse_body((const char *)data, size, err,
	    sizeof(err))) == NULL)
		return (0);
	one(the_def(), given, ANSWERS_FINAL);
	one(the_def(), given, ANSWERS_DRAFT);
	cJSON_Delete(given);
	return (0);
}
