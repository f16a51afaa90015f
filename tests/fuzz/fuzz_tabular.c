/*
 * tabular_csv_row formats whatever answers the database holds.  Stored
 * answers passed answers_check, but a row must never break the file even
 * if they had not: any JSON (any shapes, types, texts) against a fixed
 * definition must give exactly one well-formed CSV record per dialect:
 * one cell per column, quotes balanced, ending in CRLF, no line break
 * outside quotes, none at all in the SPSS dialect, and no cell that a
 * spreadsheet would run as a formula.
 */

#include "mitwirken.h"
#include "fuzz.h"

static const char definition[] =
    "{\"title\":\"F\",\"pages\":[{\"name\":\"p\",\"elements\":["
    "{\"type\":\"radiogroup\",\"name\":\"r\",\"choices\":[\"a\",\"b\"]},"
    "{\"type\":\"rating\",\"name\":\"n\"},"
    "{\"type\":\"checkbox\",\"name\":\"c\",\"choices\":[\"x\",\"y\",\"z\"]},"
    "{\"type\":\"ranking\",\"name\":\"k\",\"choices\":[\"x\",\"y\"]},"
    "{\"type\":\"matrix\",\"name\":\"m\",\"columns\":[1,2],"
    "\"rows\":[\"u\",\"v\"]},"
    "{\"type\":\"text\",\"inputType\":\"number\",\"name\":\"num\"},"
    "{\"type\":\"text\",\"name\":\"t\"},"
    "{\"type\":\"comment\",\"name\":\"long\"}]}]}";

static struct survey_def	*def;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct survey_problems	problems;
	cJSON			*json;

	(void)argc;
	(void)argv;
	memset(&problems, 0, sizeof(problems));
	json = cJSON_Parse(definition);
	def = survey_parse(json, &problems);
	cJSON_Delete(json);
	FUZZ_ASSERT(def != NULL);
	return (0);
}

/* Walks one record; returns its number of cells. */
static int
check_record(const struct strbuf *b, char sep, int spss)
{
	size_t	i;
	int	quoted = 0, cells = 1, start = 1;

	FUZZ_ASSERT(b->len >= 2 && b->data[b->len - 2] == '\r' &&
	    b->data[b->len - 1] == '\n');
	for (i = 0; i + 2 < b->len; i++) {
		char	ch = b->data[i];

		if (start) {
			start = 0;
			/* A cell starts with a quote, or is harmless. */
			if (ch == '"') {
				/* Spreadsheets drop the quotes, then look. */
				FUZZ_ASSERT(strchr("=+-@\t\r", b->data[i + 1]) ==
				    NULL || b->data[i + 1] == '\0');
				quoted = 1;
				continue;
			}
			FUZZ_ASSERT(ch != '=' && ch != '+' && ch != '@' &&
			    ch != '\t' && ch != '\r' &&
			    (ch != '-' || (b->data[i + 1] >= '0' &&
			    b->data[i + 1] <= '9')));
		}
		if (quoted) {
			if (ch == '"' && b->data[i + 1] == '"')
				i++;
			else if (ch == '"')
				quoted = 0;
			else if (spss)
				FUZZ_ASSERT(ch != '\n' && ch != '\r');
			continue;
		}
		FUZZ_ASSERT(ch != '\n' && ch != '\r' && ch != '"');
		if (ch == sep) {
			cells++;
			start = 1;
		}
	}
	FUZZ_ASSERT(!quoted);
	return (cells);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum tab_dialect	dialects[] = { TAB_RFC4180,
	    TAB_EXCEL_DE, TAB_SPSS };
	static const char		seps[] = { ',', ';', ',' };
	struct tab_row			row = { "ab", "online", NULL, "t" };
	struct tab_layout		*t;
	struct strbuf			b;
	cJSON				*answers;
	char				*text;
	size_t				i;

	text = fuzz_cstring(data, size);
	answers = cJSON_Parse(text);
	strbuf_init(&b, 256);
	for (i = 0; i < sizeof(dialects) / sizeof(dialects[0]); i++) {
		t = tabular_layout(def, dialects[i], (int)(size & 1));
		strbuf_reset(&b);
		tabular_csv_row(&b, t, &row, answers);
		FUZZ_ASSERT(check_record(&b, seps[i], dialects[i] == TAB_SPSS) ==
		    t->ncolumns);
		/* A free text as a cell on its own. */
		strbuf_reset(&b);
		tabular_text_cell(&b, dialects[i], text, strlen(text));
		strbuf_append(&b, "\r\n", 2);
		FUZZ_ASSERT(check_record(&b, seps[i], dialects[i] == TAB_SPSS) ==
		    1);
		tabular_free(t);
	}
	strbuf_free(&b);
	cJSON_Delete(answers);
	free(text);
	return (0);
}
