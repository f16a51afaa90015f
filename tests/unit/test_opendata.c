#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static const struct od_column cols[] = {
	{ "id", OD_INTEGER, "", "Nummer", "Number" },
	{ "title", OD_STRING, "", "Titel", "Title" },
	{ "goals", OD_STRINGS, "", "Ziele", "Goals" },
	{ "idea_ids", OD_INTEGERS, "", "Ideen", "Ideas" },
	{ "public", OD_BOOLEAN, "", "Öffentlich", "Public" },
	{ "budget_eur", OD_NUMBER, "EUR", "Budget", "Budget" },
	{ NULL, 0, NULL, NULL, NULL }
};

static void
test_csv_quoting(void)
{
	struct strbuf		b;
	const char *const	v[] = { "7", "Ein \"Park\", bitte\nneu",
		"a;b", NULL, "t", "1200.50" };
	const char *const	f[] = { "8", "=HYPERLINK(1)", NULL, "3;4", "f",
		NULL };

	strbuf_init(&b, 64);
	opendata_csv_header(&b, cols);
	CHECK_STR(b.data, "id,title,goals,idea_ids,public,budget_eur\r\n");
	strbuf_reset(&b);
	opendata_csv_row(&b, cols, v);
	CHECK_STR(b.data, "7,\"Ein \"\"Park\"\", bitte\nneu\",a;b,,t,1200.50"
	    "\r\n");
	strbuf_reset(&b);
	/* A formula is neutralised and quoted, as in the survey export. */
	opendata_csv_row(&b, cols, f);
	CHECK_STR(b.data, "8,\"'=HYPERLINK(1)\",,3;4,f,\r\n");
	strbuf_free(&b);
}

static void
test_json_types(void)
{
	struct strbuf		b;
	const char *const	v[] = { "7", "Zeile\n\"zwei\"\x01", "a;b", "3;4",
		"t", "1200.50" };
	const char *const	n[] = { "8", NULL, NULL, NULL, "f", NULL };
	cJSON			*doc, *o;

	strbuf_init(&b, 64);
	strbuf_appends(&b, "[");
	opendata_json_row(&b, cols, v, 1);
	opendata_json_row(&b, cols, n, 0);
	strbuf_appends(&b, "]");
	doc = cJSON_Parse(b.data);
	CHECK(doc != NULL && cJSON_GetArraySize(doc) == 2);
	o = cJSON_GetArrayItem(doc, 0);
	CHECK(json_num(o, "id") == 7);
	CHECK_STR(json_str(o, "title"), "Zeile\n\"zwei\"\x01");
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(o, "goals")) == 2);
	CHECK(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "idea_ids"),
	    1)->valuedouble == 4);
	CHECK(cJSON_IsTrue(cJSON_GetObjectItem(o, "public")));
	CHECK(json_num(o, "budget_eur") == 1200.5);
	o = cJSON_GetArrayItem(doc, 1);
	CHECK(cJSON_IsNull(cJSON_GetObjectItem(o, "title")));
	CHECK(cJSON_GetArraySize(cJSON_GetObjectItem(o, "goals")) == 0);
	CHECK(cJSON_IsFalse(cJSON_GetObjectItem(o, "public")));
	cJSON_Delete(doc);
	strbuf_free(&b);
}

struct seen {
	int	rows;
	int	withheld;
	char	last[200];
};

static void
collect(const struct od_survey_row *r, void *arg)
{
	struct seen	*s = arg;

	s->rows++;
	if (r->value == NULL)
		s->withheld++;
	(void)snprintf(s->last, sizeof(s->last), "%s|%s|%s|%s|%s",
	    r->question ? r->question : "", r->item ? r->item : "",
	    r->column ? r->column : "", r->measure, r->value ? r->value : "");
}

static void
test_survey_rows(void)
{
	struct seen	s;
	cJSON		*doc;

	doc = cJSON_Parse("{\"k\":5,\"respondents\":12,\"questions\":["
	    "{\"name\":\"q\",\"type\":\"radiogroup\",\"title\":\"Q\","
	    "\"seen\":12,\"answered\":12,\"options\":["
	    "{\"value\":\"a\",\"label\":\"A\",\"count\":9,\"share\":0.75},"
	    "{\"value\":\"b\",\"label\":\"B\",\"count\":null,\"share\":null}]},"
	    "{\"name\":\"m\",\"type\":\"matrix\",\"title\":\"M\",\"seen\":12,"
	    "\"answered\":12,\"rows\":[{\"value\":\"r\",\"label\":\"R\","
	    "\"answered\":12,\"columns\":[{\"value\":\"1\",\"label\":\"eins\","
	    "\"count\":12,\"share\":1}]}]}]}");
	memset(&s, 0, sizeof(s));
	opendata_survey_rows(doc, "3", "T", collect, &s);
	/* respondents; q: 2 + 2x2; m: 2 + row 1 + column 2. */
	CHECK(s.rows == 1 + 6 + 5);
	CHECK(s.withheld == 2);
	CHECK_STR(s.last, "m|r|1|share|1");
	cJSON_Delete(doc);
	/* Too few respondents: one row, withheld. */
	doc = cJSON_Parse("{\"k\":5,\"suppressed\":true,"
	    "\"too_few_respondents\":true,\"respondents\":null}");
	memset(&s, 0, sizeof(s));
	opendata_survey_rows(doc, "4", "T", collect, &s);
	CHECK(s.rows == 1 && s.withheld == 1);
	CHECK_STR(s.last, "|||respondents|");
	cJSON_Delete(doc);
}

UNIT_SUITE(opendata_tests) = {
	{ "opendata: CSV quoting and formulas", test_csv_quoting },
	{ "opendata: JSON typed by the dictionary", test_json_types },
	{ "opendata: survey results as rows", test_survey_rows },
	{ NULL, NULL }
};
