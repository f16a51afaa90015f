#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

/*
 * A definition built by hand (the parser is survey.c's): one question of
 * each shape an export distinguishes.
 */
static struct survey_choice	yes_no[] = {
	{ "yes", 0, { "Ja", "Yes" } },
	{ "no", 0, { "Nein", "No" } },
};
static struct survey_choice	scale[] = {
	{ "1", 1, { "schlecht", "bad" } },
	{ "2", 1, { "mittel", "fair" } },
	{ "3", 1, { "gut", "good" } },
};
static struct survey_choice	modes[] = {
	{ "bus", 0, { "Bus", "Bus" } },
	{ "rad", 0, { "Fahrrad", "Bike" } },
	{ "fuss", 0, { "zu Fu\xC3\x9F", "on foot" } },
};
static struct survey_choice	rows[] = {
	{ "parks", 0, { "Parks", "Parks" } },
	{ "wege", 0, { "Wege", "Paths" } },
};

static struct survey_question	questions[] = {
	{ .name = "zufrieden", .type = SQ_RADIOGROUP,
	    .title = { "Zufrieden?", "Satisfied?" }, .choices = yes_no,
	    .nchoices = 2 },
	{ .name = "note", .type = SQ_RATING, .title = { "Note", "Grade" },
	    .choices = scale, .nchoices = 3 },
	{ .name = "verkehr", .type = SQ_CHECKBOX,
	    .title = { "Verkehrsmittel", "Modes" }, .choices = modes,
	    .nchoices = 3 },
	{ .name = "rang", .type = SQ_RANKING, .title = { "Rang", "Rank" },
	    .choices = modes, .nchoices = 3 },
	{ .name = "gruen", .type = SQ_MATRIX, .title = { "Gr\xC3\xBCn", "Green" },
	    .choices = scale, .nchoices = 3, .rows = rows, .nrows = 2 },
	{ .name = "alter", .type = SQ_NUMBER, .title = { "Alter", "Age" } },
	{ .name = "text", .type = SQ_COMMENT, .title = { "Ideen", "Ideas" },
	    .max_length = 100 },
	/* Names SPSS or R would refuse, or that repeat another. */
	{ .name = "1. Frage (neu)", .type = SQ_TEXT,
	    .title = { "Erste", "First" } },
	{ .name = "channel", .type = SQ_TEXT, .title = { "K", "C" } },
	{ .name = "if", .type = SQ_TEXT, .title = { "Wenn", "If" } },
	{ .name = "Channel", .type = SQ_TEXT, .title = { "K2", "C2" } },
};

static struct survey_def	def = {
	.title = { "Umfrage \"Gr\xC3\xBCn\"", "Survey" },
	.nquestions = sizeof(questions) / sizeof(questions[0]),
	.questions = questions,
};

static const struct tab_row	row = {
	"ab01", "online", "mitte", "2026-12-03T08:00:00Z"
};

static const char *const want_header =
    "respondent,channel,district,submitted_at,zufrieden,note,"
    "verkehr_bus,verkehr_rad,verkehr_fuss,rang_bus,rang_rad,rang_fuss,"
    "gruen_parks,gruen_wege,alter,text,v1_Frage_neu_,channel_2,if_2,"
    "Channel_3\r\n";

static void
columns_and_names(void)
{
	struct tab_layout	*t;
	struct strbuf		b;

	t = tabular_layout(&def, TAB_RFC4180, 0);
	strbuf_init(&b, 64);
	tabular_csv_header(&b, t);
	CHECK_STR(b.data, want_header);
	CHECK(t->ncolumns == 20);
	CHECK_STR(t->columns[6].label, "Verkehrsmittel: Bus");
	CHECK(t->columns[6].source == TAB_CHECK && t->columns[6].numeric);
	CHECK(t->by_index[0] == 1 && t->by_index[1] == 0);
	tabular_free(t);
	strbuf_free(&b);
}

static void
long_names_stay_unique(void)
{
	struct survey_question	q[2];
	struct survey_def	d;
	struct tab_layout	*t;

	memset(q, 0, sizeof(q));
	memset(&d, 0, sizeof(d));
	memset(q[0].name, 'a', SURVEY_NAME_MAX);
	memset(q[1].name, 'a', SURVEY_NAME_MAX);
	q[1].name[SURVEY_NAME_MAX - 1] = 'b';
	q[0].type = q[1].type = SQ_CHECKBOX;
	q[0].choices = q[1].choices = modes;
	q[0].nchoices = q[1].nchoices = 3;
	d.questions = q;
	d.nquestions = 2;
	t = tabular_layout(&d, TAB_RFC4180, 0);
	CHECK(t->ncolumns == 10);
	CHECK(strlen(t->columns[4].name) <= TAB_NAME_MAX);
	CHECK(strcmp(t->columns[4].name + strlen(t->columns[4].name) - 4,
	    "_bus") == 0);
	/* Both questions cut to the same prefix: the second is numbered. */
	CHECK(strcmp(t->columns[7].name, t->columns[4].name) != 0);
	CHECK(strlen(t->columns[7].name) <= TAB_NAME_MAX);
	tabular_free(t);
}

static const char *const answers_json =
    "{\"zufrieden\":\"no\",\"note\":3,\"verkehr\":[\"fuss\",\"bus\"],"
    "\"rang\":[\"rad\",\"fuss\",\"bus\"],\"gruen\":{\"wege\":2},"
    "\"alter\":42.5,\"text\":\"=HYPERLINK(\\\"x\\\"), \\\"gut\\\"\\nja\","
    "\"1. Frage (neu)\":\"-1\",\"channel\":\"@me\",\"if\":\"\\tx\","
    "\"Channel\":\"a;b\"}";

static void
one_row(void)
{
	struct tab_layout	*t;
	struct strbuf		b;
	cJSON			*a;

	a = cJSON_Parse(answers_json);
	t = tabular_layout(&def, TAB_RFC4180, 0);
	strbuf_init(&b, 64);
	tabular_csv_row(&b, t, &row, a);
	CHECK_STR(b.data, "ab01,online,mitte,2026-12-03T08:00:00Z,2,3,"
	    "1,0,1,3,1,2,,2,42.5,\"'=HYPERLINK(\"\"x\"\"), \"\"gut\"\"\nja\","
	    "\"'-1\",\"'@me\",\"'\tx\",a;b\r\n");
	tabular_free(t);
	/* excel-de: semicolons, decimal comma, the BOM in the header. */
	strbuf_reset(&b);
	t = tabular_layout(&def, TAB_EXCEL_DE, 0);
	tabular_csv_header(&b, t);
	CHECK(memcmp(b.data, "\xEF\xBB\xBFrespondent;channel;", 22) == 0);
	strbuf_reset(&b);
	tabular_csv_row(&b, t, &row, a);
	CHECK(strstr(b.data, ";42,5;") != NULL);
	CHECK(strstr(b.data, ";\"a;b\"\r\n") != NULL);
	tabular_free(t);
	cJSON_Delete(a);
	strbuf_free(&b);
}

static void
missing_answers_are_empty(void)
{
	struct tab_layout	*t;
	struct tab_row		r = { "ab", "paper", NULL, "t" };
	struct strbuf		b;
	cJSON			*a;

	a = cJSON_Parse("{\"verkehr\":[]}");
	t = tabular_layout(&def, TAB_RFC4180, 0);
	strbuf_init(&b, 64);
	tabular_csv_row(&b, t, &r, a);
	/* An answered checkbox without ticks: zeros; the rest empty. */
	CHECK_STR(b.data, "ab,paper,,t,,,0,0,0,,,,,,,,,,,\r\n");
	tabular_free(t);
	cJSON_Delete(a);
	strbuf_free(&b);
}

static void
spss_dialect_lines(void)
{
	struct strbuf	b;

	strbuf_init(&b, 16);
	tabular_text_cell(&b, TAB_SPSS, "a\r\nb\nc\rd", 8);
	CHECK_STR(b.data, "\"a b c d\"");
	strbuf_reset(&b);
	tabular_text_cell(&b, TAB_RFC4180, "a\r\nb", 4);
	CHECK_STR(b.data, "\"a\r\nb\"");
	strbuf_free(&b);
}

static void
formula_cells(void)
{
	const char	*in[] = { "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx",
	    "a=1", NULL };
	const char	*out[] = { "\"'=1+1\"", "\"'+1\"", "\"'-1\"",
	    "\"'@SUM(A1)\"", "\"'\tx\"", "\"'\rx\"", "a=1" };
	struct strbuf	b;
	int		i;

	strbuf_init(&b, 16);
	for (i = 0; in[i] != NULL; i++) {
		strbuf_reset(&b);
		tabular_text_cell(&b, TAB_RFC4180, in[i], strlen(in[i]));
		CHECK_STR(b.data, out[i]);
	}
	strbuf_free(&b);
}

static void
json_rows(void)
{
	struct strbuf	b;

	strbuf_init(&b, 16);
	tabular_json_row(&b, &row, "{\"a\": 1}", 8, 1);
	CHECK_STR(b.data, "\n{\"respondent\":\"ab01\",\"channel\":\"online\","
	    "\"district\":\"mitte\",\"submitted_at\":\"2026-12-03T08:00:00Z\","
	    "\"answers\":{\"a\": 1}}");
	strbuf_reset(&b);
	tabular_json_row(&b, &(struct tab_row){ "x\"", "o", NULL, "t" },
	    "{}", 2, 0);
	CHECK(strncmp(b.data, ",\n{\"respondent\":\"x\\\"\"", 21) == 0);
	CHECK(strstr(b.data, "\"district\":null") != NULL);
	strbuf_free(&b);
}

static void
spss_syntax(void)
{
	struct tab_layout	*t;
	struct strbuf		b;

	t = tabular_layout(&def, TAB_RFC4180, 0);
	strbuf_init(&b, 64);
	tabular_spss(&b, t, "survey-1.csv");
	CHECK(strstr(b.data, "GET DATA /TYPE=TXT /FILE='survey-1.csv' "
	    "/ENCODING='UTF8'") != NULL);
	CHECK(strstr(b.data, "/VARIABLES=respondent A64") != NULL);
	CHECK(strstr(b.data, "text A400") != NULL);
	CHECK(strstr(b.data, "MISSING VALUES\n  district text v1_Frage_neu_ "
	    "channel_2 if_2 Channel_3 ('').") != NULL);
	CHECK(strstr(b.data, "VARIABLE LABELS respondent") != NULL);
	CHECK(strstr(b.data, "VALUE LABELS zufrieden\n    1 'Ja'\n    "
	    "2 'Nein'") != NULL);
	CHECK(strstr(b.data, "/note\n    1 'schlecht'") != NULL);
	CHECK(strstr(b.data, "/verkehr_bus\n    0 'nicht gew") != NULL);
	CHECK(strstr(b.data, "MISSING VALUES") != NULL);
	CHECK(strstr(b.data, "EXECUTE.\n") != NULL);
	CHECK(strstr(b.data, "'Umfrage \"Gr\xC3\xBCn\"'") != NULL);
	tabular_free(t);
	strbuf_free(&b);
}

static void
r_script(void)
{
	struct tab_layout	*t;
	struct strbuf		b;

	t = tabular_layout(&def, TAB_EXCEL_DE, 1);
	strbuf_init(&b, 64);
	tabular_r(&b, t, "survey-1.csv");
	CHECK(strstr(b.data, "read.csv(\"survey-1.csv\", sep = \";\", "
	    "dec = \",\"") != NULL);
	CHECK(strstr(b.data, "data[[\"zufrieden\"]] <- factor(data[["
	    "\"zufrieden\"]], levels = c(1, 2),\n    labels = c(\"Yes\", "
	    "\"No\"))") != NULL);
	/* Only ASCII: non-ASCII as escapes. */
	tabular_free(t);
	t = tabular_layout(&def, TAB_RFC4180, 0);
	strbuf_reset(&b);
	tabular_r(&b, t, "s.csv");
	CHECK(strstr(b.data, "Verkehrsmittel: zu Fu\\u{df}\"") != NULL);
	tabular_free(t);
	strbuf_free(&b);
}

static void
codebook(void)
{
	struct tab_layout	*t;
	struct strbuf		b;

	t = tabular_layout(&def, TAB_RFC4180, 0);
	strbuf_init(&b, 64);
	tabular_codebook(&b, t);
	CHECK(strncmp(b.data, "variable,question,label,type,values\r\n"
	    "respondent,,Befragte Person (Pseudonym),string,\r\n",
	    strlen("variable,question,label,type,values\r\n"
	    "respondent,,Befragte Person (Pseudonym),string,\r\n")) == 0);
	CHECK(strstr(b.data, "zufrieden,zufrieden,Zufrieden?,numeric,"
	    "\"1 = Ja\n2 = Nein\"\r\n") != NULL);
	tabular_free(t);
	strbuf_free(&b);
}

UNIT_SUITE(tabular_tests) = {
	{ "tabular: columns and names", columns_and_names },
	{ "tabular: long names stay unique", long_names_stay_unique },
	{ "tabular: one row, both dialects", one_row },
	{ "tabular: missing answers are empty", missing_answers_are_empty },
	{ "tabular: formula cells neutralised", formula_cells },
	{ "tabular: SPSS dialect, one case per line", spss_dialect_lines },
	{ "tabular: JSON rows", json_rows },
	{ "tabular: SPSS syntax", spss_syntax },
	{ "tabular: R script", r_script },
	{ "tabular: codebook", codebook },
	{ NULL, NULL }
};
