/*
 * survey_parse sees every definition a planner saves.  It must survive any
 * JSON; what it accepts must keep its promises (names valid and unique
 * without case, choices present, limits kept, a definition compatible with
 * itself), and what it refuses must say where and why.
 */

#include <ctype.h>

#include "mitwirken.h"
#include "fuzz.h"

static void
check_def(const struct survey_def *def)
{
	struct survey_problems		 pr;
	const struct survey_question	*q;
	int				 i, k;

	FUZZ_ASSERT(def->npages >= 1 && def->npages <= SURVEY_PAGES_MAX);
	FUZZ_ASSERT(def->nquestions >= 1 &&
	    def->nquestions <= SURVEY_QUESTIONS_MAX);
	for (i = 0; i < def->nquestions; i++) {
		q = &def->questions[i];
		FUZZ_ASSERT(isalpha((unsigned char)q->name[0]));
		FUZZ_ASSERT(survey_find(def, q->name) == i);
		FUZZ_ASSERT(q->title.de != NULL && q->title.en != NULL);
		FUZZ_ASSERT((q->visible_src == NULL) ==
		    (q->visible_if == NULL));
		if (q->type != SQ_TEXT && q->type != SQ_NUMBER &&
		    q->type != SQ_COMMENT)
			FUZZ_ASSERT(q->nchoices >= 1 &&
			    q->nchoices <= SURVEY_CHOICES_MAX);
		if (q->type == SQ_MATRIX)
			FUZZ_ASSERT(q->nrows >= 1);
		for (k = 0; k < q->nchoices; k++)
			FUZZ_ASSERT(q->choices[k].value[0] != '\0');
		if (q->type == SQ_TEXT || q->type == SQ_COMMENT)
			FUZZ_ASSERT(q->max_length >= 1 &&
			    q->max_length <= 5000);
		FUZZ_ASSERT(!(q->has_min && q->has_max && q->min > q->max));
		FUZZ_ASSERT(q->page >= 0 && q->page < def->npages);
	}
	FUZZ_ASSERT(survey_compatible(def, def, &pr));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct survey_problems	 pr;
	struct survey_def	*def;
	cJSON			*doc;
	char			 err[128];
	int			 i;

	if ((doc = json_parse_body((const char *)data, size, err,
	    sizeof(err))) == NULL)
		return (0);
	def = survey_parse(doc, &pr);
	if (def != NULL) {
		FUZZ_ASSERT(pr.count == 0);
		check_def(def);
		survey_free(def);
	} else {
		FUZZ_ASSERT(pr.count > 0);
		for (i = 0; i < pr.count; i++) {
			FUZZ_ASSERT(pr.items[i].path[0] == '\0' ||
			    pr.items[i].path[0] == '/');
			FUZZ_ASSERT(pr.items[i].reason[0] != '\0');
		}
	}
	cJSON_Delete(doc);
	return (0);
}
