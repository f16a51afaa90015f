/* answers.c: responses checked against the definition; the HTML form. */

#include <stdlib.h>

#include "mitwirken.h"
#include "unit.h"

static const char def_json[] =
    "{\"pages\":[{\"elements\":["
    "{\"type\":\"radiogroup\",\"name\":\"rad\",\"isRequired\":true,"
    "\"choices\":[\"ja\",\"nein\"]},"
    "{\"type\":\"dropdown\",\"name\":\"drop\",\"choices\":[1,2,3],"
    "\"visibleIf\":\"{rad} = 'ja'\"},"
    "{\"type\":\"checkbox\",\"name\":\"box\",\"choices\":[\"a\",\"b\",\"c\"],"
    "\"visibleIf\":\"{drop} >= 2\"}]},"
    "{\"elements\":["
    "{\"type\":\"rating\",\"name\":\"rate\"},"
    "{\"type\":\"text\",\"name\":\"txt\",\"maxLength\":5},"
    "{\"type\":\"text\",\"name\":\"num\",\"inputType\":\"number\","
    "\"min\":0,\"max\":10},"
    "{\"type\":\"comment\",\"name\":\"com\",\"maxLength\":10},"
    "{\"type\":\"ranking\",\"name\":\"rank\",\"choices\":[\"x\",\"y\","
    "\"z\"]},"
    "{\"type\":\"matrix\",\"name\":\"mat\",\"isRequired\":true,"
    "\"rows\":[\"r1\",\"r/2\"],\"columns\":[1,2]}]}]}";

static struct survey_def *
the_def(void)
{
	struct survey_problems	 pr;
	struct survey_def	*def;
	cJSON			*doc;

	doc = cJSON_Parse(def_json);
	def = survey_parse(doc, &pr);
	CHECK(def != NULL);
	cJSON_Delete(doc);
	return (def);
}

/* The clean answers as text, or "!" and the problem paths. */
static char *
check(const struct survey_def *def, const char *given, enum answers_mode m,
    unsigned char *seen)
{
	struct survey_problems	 pr;
	struct strbuf		 sb;
	unsigned char		 own[16];
	cJSON			*g, *clean;
	char			*s;
	int			 i;

	g = cJSON_Parse(given);
	CHECK(g != NULL);
	clean = answers_check(def, g, m, seen ? seen : own, &pr);
	cJSON_Delete(g);
	if (clean != NULL) {
		CHECK(pr.count == 0);
		s = cJSON_PrintUnformatted(clean);
		cJSON_Delete(clean);
		return (s);
	}
	strbuf_init(&sb, 64);
	strbuf_appends(&sb, "!");
	for (i = 0; i < pr.count; i++) {
		CHECK(pr.items[i].reason[0] != '\0');
		strbuf_appendf(&sb, "%s%s", i ? " " : "", pr.items[i].path);
	}
	return (strbuf_steal(&sb));
}

#define ANSWERS(given, mode, want) do {					\
	char *got_ = check(def, (given), (mode), NULL);			\
	CHECK_STR(got_, (want));					\
	free(got_);							\
} while (0)

#define BASE	"\"rad\":\"nein\",\"mat\":{\"r1\":1}"

static void
types(void)
{
	struct survey_def	*def = the_def();

	if (def == NULL)
		return;
	ANSWERS("{" BASE "}", ANSWERS_FINAL, "{\"rad\":\"nein\",\"mat\":"
	    "{\"r1\":1}}");
	ANSWERS("[]", ANSWERS_FINAL, "!");
	ANSWERS("{" BASE ",\"nope\":1}", ANSWERS_FINAL, "!/nope");
	ANSWERS("{" BASE ",\"RATE\":1}", ANSWERS_FINAL, "!/RATE");
	ANSWERS("{\"rad\":\"vielleicht\",\"mat\":{\"r1\":1}}", ANSWERS_FINAL,
	    "!/rad");
	ANSWERS("{\"rad\":1,\"mat\":{\"r1\":1}}", ANSWERS_FINAL, "!/rad");
	/* Numeric choices want numbers: SurveyJS sends 3, not "3". */
	ANSWERS("{" BASE ",\"rate\":3}", ANSWERS_FINAL, "{\"rad\":\"nein\","
	    "\"rate\":3,\"mat\":{\"r1\":1}}");
	ANSWERS("{" BASE ",\"rate\":\"3\"}", ANSWERS_FINAL, "!/rate");
	ANSWERS("{" BASE ",\"rate\":6}", ANSWERS_FINAL, "!/rate");
	ANSWERS("{" BASE ",\"rate\":3.0}", ANSWERS_FINAL, "{\"rad\":\"nein\","
	    "\"rate\":3,\"mat\":{\"r1\":1}}");
	/* Text: characters, one line. */
	ANSWERS("{" BASE ",\"txt\":\"Straße\"}", ANSWERS_FINAL, "!/txt");
	ANSWERS("{" BASE ",\"txt\":\"Weg\"}", ANSWERS_FINAL, "{\"rad\":"
	    "\"nein\",\"txt\":\"Weg\",\"mat\":{\"r1\":1}}");
	ANSWERS("{" BASE ",\"txt\":\"äöüßé\"}", ANSWERS_FINAL, "{\"rad\":"
	    "\"nein\",\"txt\":\"äöüßé\",\"mat\":{\"r1\":1}}");
	ANSWERS("{" BASE ",\"txt\":\"a\\nb\"}", ANSWERS_FINAL, "!/txt");
	ANSWERS("{" BASE ",\"txt\":\"a\\u0001\"}", ANSWERS_FINAL, "!/txt");
	ANSWERS("{" BASE ",\"txt\":5}", ANSWERS_FINAL, "!/txt");
	/* Comments may break lines; other control characters are refused. */
	ANSWERS("{" BASE ",\"com\":\"a\\nb\\tc\"}", ANSWERS_FINAL, "{\"rad\":"
	    "\"nein\",\"com\":\"a\\nb\\tc\",\"mat\":{\"r1\":1}}");
	ANSWERS("{" BASE ",\"com\":\"a\\u0007\"}", ANSWERS_FINAL, "!/com");
	ANSWERS("{" BASE ",\"com\":\"12345678901\"}", ANSWERS_FINAL, "!/com");
	/* Numbers. */
	ANSWERS("{" BASE ",\"num\":2.5}", ANSWERS_FINAL, "{\"rad\":\"nein\","
	    "\"num\":2.5,\"mat\":{\"r1\":1}}");
	ANSWERS("{" BASE ",\"num\":11}", ANSWERS_FINAL, "!/num");
	ANSWERS("{" BASE ",\"num\":-1}", ANSWERS_FINAL, "!/num");
	ANSWERS("{" BASE ",\"num\":\"2\"}", ANSWERS_FINAL, "!/num");
	/* Ranking: every choice once. */
	ANSWERS("{" BASE ",\"rank\":[\"z\",\"x\",\"y\"]}", ANSWERS_FINAL,
	    "{\"rad\":\"nein\",\"rank\":[\"z\",\"x\",\"y\"],\"mat\":"
	    "{\"r1\":1}}");
	ANSWERS("{" BASE ",\"rank\":[\"z\",\"x\"]}", ANSWERS_FINAL, "!/rank");
	ANSWERS("{" BASE ",\"rank\":[\"z\",\"x\",\"x\"]}", ANSWERS_FINAL,
	    "!/rank/2");
	ANSWERS("{" BASE ",\"rank\":[\"z\",\"x\",\"y\",\"w\"]}",
	    ANSWERS_FINAL, "!/rank/3");
	ANSWERS("{" BASE ",\"rank\":\"x\"}", ANSWERS_FINAL, "!/rank");
	/* Matrix: known rows, valid columns; paths escape "/". */
	ANSWERS("{\"rad\":\"nein\",\"mat\":{\"r1\":2,\"r/2\":1}}",
	    ANSWERS_FINAL, "{\"rad\":\"nein\",\"mat\":{\"r1\":2,\"r/2\":1}}");
	ANSWERS("{\"rad\":\"nein\",\"mat\":{\"r1\":3}}", ANSWERS_FINAL,
	    "!/mat/r1");
	ANSWERS("{\"rad\":\"nein\",\"mat\":{\"r/2\":\"1\"}}", ANSWERS_FINAL,
	    "!/mat/r~12");
	ANSWERS("{\"rad\":\"nein\",\"mat\":{\"r3\":1}}", ANSWERS_FINAL,
	    "!/mat/r3");
	ANSWERS("{\"rad\":\"nein\",\"mat\":[1]}", ANSWERS_FINAL, "!/mat");
	survey_free(def);
}

static void
required(void)
{
	struct survey_def	*def = the_def();

	if (def == NULL)
		return;
	ANSWERS("{}", ANSWERS_FINAL, "!/rad /mat");
	ANSWERS("{\"rad\":\"\",\"mat\":{}}", ANSWERS_FINAL, "!/rad /mat");
	ANSWERS("{\"rad\":null,\"mat\":{}}", ANSWERS_FINAL, "!/rad /mat");
	/* Drafts need no answers, but what they hold is checked. */
	ANSWERS("{}", ANSWERS_DRAFT, "{}");
	ANSWERS("{\"rad\":\"\",\"txt\":\"\"}", ANSWERS_DRAFT, "{}");
	ANSWERS("{\"rate\":9}", ANSWERS_DRAFT, "!/rate");
	survey_free(def);
}

static void
visibility(void)
{
	struct survey_def	*def = the_def();
	unsigned char		 seen[16];
	char			*got;

	if (def == NULL)
		return;
	/* drop is visible only when rad = ja; box only when drop >= 2. */
	got = check(def, "{\"rad\":\"ja\",\"drop\":2,\"box\":[\"a\",\"c\"],"
	    "\"mat\":{\"r1\":1}}", ANSWERS_FINAL, seen);
	CHECK_STR(got, "{\"rad\":\"ja\",\"drop\":2,\"box\":[\"a\",\"c\"],"
	    "\"mat\":{\"r1\":1}}");
	CHECK(seen[0] && seen[1] && seen[2] && seen[3] && seen[8]);
	free(got);
	/* rad = nein hides drop, and with it box (a chain). */
	got = check(def, "{\"rad\":\"nein\",\"drop\":2,\"box\":[\"a\"],"
	    "\"mat\":{\"r1\":1}}", ANSWERS_FINAL, seen);
	CHECK_STR(got, "{\"rad\":\"nein\",\"mat\":{\"r1\":1}}");
	CHECK(seen[0] && !seen[1] && !seen[2] && seen[3]);
	free(got);
	/* A hidden answer is dropped even when it would be invalid. */
	ANSWERS("{\"rad\":\"nein\",\"drop\":99,\"mat\":{\"r1\":1}}",
	    ANSWERS_FINAL, "{\"rad\":\"nein\",\"mat\":{\"r1\":1}}");
	ANSWERS("{\"rad\":\"ja\",\"drop\":1,\"box\":[\"a\"],\"mat\":"
	    "{\"r1\":1}}", ANSWERS_FINAL, "{\"rad\":\"ja\",\"drop\":1,"
	    "\"mat\":{\"r1\":1}}");
	/* Checkbox values: distinct, known. */
	ANSWERS("{\"rad\":\"ja\",\"drop\":3,\"box\":[\"a\",\"a\"],\"mat\":"
	    "{\"r1\":1}}", ANSWERS_FINAL, "!/box/1");
	ANSWERS("{\"rad\":\"ja\",\"drop\":3,\"box\":[\"a\",\"d\"],\"mat\":"
	    "{\"r1\":1}}", ANSWERS_FINAL, "!/box/1");
	ANSWERS("{\"rad\":\"ja\",\"drop\":3,\"box\":\"a\",\"mat\":"
	    "{\"r1\":1}}", ANSWERS_FINAL, "!/box");
	ANSWERS("{\"rad\":\"ja\",\"drop\":\"3\",\"mat\":{\"r1\":1}}",
	    ANSWERS_FINAL, "!/drop");
	survey_free(def);
}

static void
form(void)
{
	struct survey_def	*def = the_def();
	struct survey_problems	 pr;
	struct param_set	 f;
	cJSON			*a;
	char			*s;

	if (def == NULL)
		return;
	memset(&f, 0, sizeof(f));
#define ADD(k, v)	CHECK(params_add(&f, k, strlen(k), v, strlen(v)))
	a = cJSON_Parse("{\"rad\":\"ja\",\"box\":[\"a\"],\"txt\":\"alt\"}");
	ADD("q_rad", "ja");
	ADD("q_drop", "2");
	ADD("q_box.1", "b");
	ADD("q_box.2", "c");
	ADD("csrf", "x");
	CHECK(answers_from_form(def, 0, &f, a, &pr) == MW_OK);
	s = cJSON_PrintUnformatted(a);
	/* box is replaced (a was unchecked), txt on page 2 stays. */
	CHECK_STR(s, "{\"txt\":\"alt\",\"rad\":\"ja\",\"drop\":2,"
	    "\"box\":[\"b\",\"c\"]}");
	free(s);
	params_free(&f);

	memset(&f, 0, sizeof(f));
	ADD("q_rate", "4");
	ADD("q_txt", "neu");
	ADD("q_num", "1,5");
	ADD("q_com", "zwei\r\nZeilen");
	ADD("q_rank.0", "2");
	ADD("q_rank.1", "3");
	ADD("q_rank.2", "1");
	ADD("q_mat.0", "1");
	ADD("q_mat.1", "2");
	CHECK(answers_from_form(def, 1, &f, a, &pr) == MW_OK);
	s = cJSON_PrintUnformatted(a);
	CHECK_STR(s, "{\"rad\":\"ja\",\"drop\":2,\"box\":[\"b\",\"c\"],"
	    "\"rate\":4,\"txt\":\"neu\",\"num\":1.5,\"com\":\"zwei\\r\\n"
	    "Zeilen\",\"rank\":[\"z\",\"x\",\"y\"],\"mat\":{\"r1\":1,"
	    "\"r/2\":2}}");
	free(s);
	params_free(&f);

	/* Bad input: a number, ranks, a choice, a column. */
	memset(&f, 0, sizeof(f));
	ADD("q_num", "1,5,5");
	ADD("q_rank.0", "1");
	ADD("q_rank.1", "1");
	ADD("q_rank.2", "2");
	ADD("q_rate", "7");
	ADD("q_mat.1", "9");
	CHECK(answers_from_form(def, 1, &f, a, &pr) == MW_ERROR);
	CHECK(pr.count == 4);
	CHECK_STR(pr.items[0].path, "/rate");
	CHECK_STR(pr.items[1].path, "/num");
	CHECK_STR(pr.items[2].path, "/rank");
	CHECK_STR(pr.items[3].path, "/mat/r~12");
	params_free(&f);
	memset(&f, 0, sizeof(f));
	ADD("q_num", "abc");
	CHECK(answers_from_form(def, 1, &f, a, &pr) == MW_ERROR);
	CHECK_STR(pr.items[0].path, "/num");
	params_free(&f);
	memset(&f, 0, sizeof(f));
	ADD("q_box.0", "b");		/* option 0 is "a" */
	CHECK(answers_from_form(def, 0, &f, a, &pr) == MW_ERROR);
	CHECK(answers_from_form(def, 2, &f, a, &pr) == MW_ERROR);
	params_free(&f);
#undef ADD
	cJSON_Delete(a);
	survey_free(def);
}

UNIT_SUITE(answers_tests) = {
	{ "answers: types", types },
	{ "answers: required", required },
	{ "answers: visibility", visibility },
	{ "answers: the HTML form", form },
	{ NULL, NULL }
};
