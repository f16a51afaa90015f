/*
 * A survey's responses as a table for planners: the columns an export has
 * (derived from the parsed definition, never from the answers, so every
 * page of a streamed export has the same shape), one response as one CSV
 * line or one JSON object, and the files that describe the CSV: SPSS
 * syntax, an R script and a codebook.
 *
 * Spreadsheets run a cell that starts with = + - @ (or a tab or CR, which
 * some strip first) as a formula; every text cell that does is prefixed
 * with a single quote and quoted (OWASP, "CSV Injection").  Numbers this
 * file writes itself are not text and are left alone.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mitwirken.h"

/* SPSS and R reserved words: no variable may be called that. */
static const char *const reserved[] = {
	"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR",
	"TO", "WITH", "if", "else", "repeat", "while", "function", "for",
	"next", "break", "TRUE", "FALSE", "NULL", "Inf", "NaN", "NA",
	"NA_integer_", "NA_real_", "NA_character_", "NA_complex_", "in",
	NULL
};

static const char *const meta_names[TAB_META_COLUMNS] = {
	"respondent", "channel", "district", "submitted_at"
};
static const char *const meta_de[TAB_META_COLUMNS] = {
	"Befragte Person (Pseudonym)", "Kanal", "Stadtbezirk",
	"Abgegeben (UTC)"
};
static const char *const meta_en[TAB_META_COLUMNS] = {
	"Respondent (pseudonym)", "Channel", "District", "Submitted (UTC)"
};
static const int meta_width[TAB_META_COLUMNS] = { 64, 9, 64, 20 };

#define SPSS_LABEL_MAX		255	/* bytes of a variable label */
#define SPSS_VALUE_LABEL_MAX	120	/* bytes of a value label */
#define SPSS_STRING_MAX		32767
#define SPSS_LITERAL_PIECE	60	/* bytes per line of a long literal */

static char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		abort();
	return (p);
}

/*
 * A number as %.15g writes it; integers (counts, codes, most answers)
 * without printf, which was most of the cost of a row.
 */
static const char *
num_text(double v, char *buf, size_t len)
{
	char		tmp[24];
	long long	n;
	size_t		i = 0, k = 0;

	if (v > -1e15 && v < 1e15 && (double)(n = (long long)v) == v &&
	    len >= sizeof(tmp)) {
		if (n < 0) {
			buf[k++] = '-';
			n = -n;
		}
		do {
			tmp[i++] = (char)('0' + n % 10);
			n /= 10;
		} while (n > 0);
		while (i > 0)
			buf[k++] = tmp[--i];
		buf[k] = '\0';
		return (buf);
	}
	(void)snprintf(buf, len, "%.15g", v);
	return (buf);
}

static const char *
text_of(const struct tab_layout *t, const struct survey_text *x)
{
	const char	*s;

	s = t->english ? x->en : x->de;
	return (s != NULL ? s : "");
}

static const char *
choice_text(const struct tab_layout *t, const struct survey_choice *c)
{
	const char	*s;

	s = text_of(t, &c->text);
	return (s[0] != '\0' ? s : c->value);
}

/* [A-Za-z0-9_] only, runs of anything else as one "_". */
static void
name_clean(const char *in, char *out, size_t max)
{
	size_t	n = 0;

	for (; *in != '\0' && n < max; in++) {
		if (isascii((unsigned char)*in) && isalnum((unsigned char)*in))
			out[n++] = *in;
		else if (n == 0 || out[n - 1] != '_')
			out[n++] = '_';
	}
	out[n] = '\0';
}

static int
name_taken(const struct tab_layout *t, int upto, const char *name)
{
	int	i;

	for (i = 0; reserved[i] != NULL; i++) {
		if (strcasecmp(reserved[i], name) == 0)
			return (1);
	}
	for (i = 0; i < upto; i++) {
		if (strcasecmp(t->columns[i].name, name) == 0)
			return (1);
	}
	return (0);
}

/*
 * The column's variable name: the question's name (and the option's
 * value), made safe, starting with a letter, and made unique with _2, _3.
 */
static void
name_set(struct tab_layout *t, int col, const char *base, const char *sub)
{
	/* want fits b, "_" and s; room keeps it within TAB_NAME_MAX. */
	char	b[TAB_NAME_MAX + 1], s[21], want[TAB_NAME_MAX + 23], num[16];
	size_t	room;
	int	n, len;

	s[0] = '\0';
	if (sub != NULL)
		name_clean(sub, s, sizeof(s) - 1);
	room = TAB_NAME_MAX - (sub != NULL ? 1 + strlen(s) : 0);
	b[0] = 'v';
	name_clean(base, b + 1, room - 1);
	/* A name must start with a letter: "v" stays in front otherwise. */
	if (isascii((unsigned char)b[1]) && isalpha((unsigned char)b[1]))
		memmove(b, b + 1, strlen(b + 1) + 1);
	(void)snprintf(want, sizeof(want), "%s%s%s", b, sub != NULL ? "_" :
	    "", s);
	(void)snprintf(t->columns[col].name, TAB_NAME_MAX + 1, "%.*s",
	    TAB_NAME_MAX, want);
	for (n = 2; name_taken(t, col, t->columns[col].name); n++) {
		len = snprintf(num, sizeof(num), "_%d", n);
		(void)snprintf(t->columns[col].name, TAB_NAME_MAX + 1,
		    "%.*s%s", TAB_NAME_MAX - len, want, num);
	}
}

static struct tab_column *
column_add(struct tab_layout *t, enum tab_source src, int q, int item,
    int numeric, int width)
{
	struct tab_column	*c;

	c = &t->columns[t->ncolumns++];
	memset(c, 0, sizeof(*c));
	c->source = src;
	c->question = q;
	c->item = item;
	c->numeric = numeric;
	c->width = width;
	return (c);
}

static char *
label_join(const char *a, const char *b)
{
	size_t	len;
	char	*p;

	len = strlen(a) + strlen(b) + 3;
	if ((p = malloc(len)) == NULL)
		abort();
	(void)snprintf(p, len, "%s: %s", a, b);
	return (p);
}

/* Codes are the values themselves only when every value is a number. */
static int
codes_by_index(const struct survey_choice *c, int n)
{
	char	*end;
	int	i;

	for (i = 0; i < n; i++) {
		if (!c[i].numeric) {
			(void)strtod(c[i].value, &end);
			if (c[i].value[0] == '\0' || *end != '\0')
				return (1);
		}
	}
	return (0);
}

static int
columns_needed(const struct survey_def *def)
{
	int	i, n = TAB_META_COLUMNS;

	for (i = 0; i < def->nquestions; i++) {
		switch (def->questions[i].type) {
		case SQ_CHECKBOX:
		case SQ_RANKING:
			n += def->questions[i].nchoices;
			break;
		case SQ_MATRIX:
			n += def->questions[i].nrows;
			break;
		default:
			n++;
			break;
		}
	}
	return (n);
}

static void
question_columns(struct tab_layout *t, int q)
{
	const struct survey_question	*sq = &t->def->questions[q];
	struct tab_column		*c;
	const char			*title;
	int				i, width;

	title = text_of(t, &sq->title);
	if (title[0] == '\0')
		title = sq->name;
	switch (sq->type) {
	case SQ_CHECKBOX:
	case SQ_RANKING:
		for (i = 0; i < sq->nchoices; i++) {
			c = column_add(t, sq->type == SQ_CHECKBOX ? TAB_CHECK :
			    TAB_RANK, q, i, 1, 0);
			name_set(t, t->ncolumns - 1, sq->name,
			    sq->choices[i].value);
			c->label = label_join(title, choice_text(t,
			    &sq->choices[i]));
		}
		return;
	case SQ_MATRIX:
		for (i = 0; i < sq->nrows; i++) {
			c = column_add(t, TAB_CELL, q, i, 1, 0);
			name_set(t, t->ncolumns - 1, sq->name,
			    sq->rows[i].value);
			c->label = label_join(title, choice_text(t,
			    &sq->rows[i]));
		}
		return;
	case SQ_TEXT:
	case SQ_COMMENT:
		width = (sq->max_length > 0 ? sq->max_length :
		    (sq->type == SQ_TEXT ? 500 : 5000)) * 4;
		c = column_add(t, TAB_VALUE, q, -1, 0,
		    width > SPSS_STRING_MAX ? SPSS_STRING_MAX : width);
		break;
	case SQ_NUMBER:
		c = column_add(t, TAB_VALUE, q, -1, 1, 0);
		break;
	default:
		c = column_add(t, TAB_CODE, q, -1, 1, 0);
		break;
	}
	name_set(t, t->ncolumns - 1, sq->name, NULL);
	c->label = xstrdup(title);
}

struct tab_layout *
tabular_layout(const struct survey_def *def, enum tab_dialect dialect,
    int english)
{
	struct tab_layout	*t;
	struct tab_column	*c;
	int			i;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		abort();
	t->def = def;
	t->dialect = dialect;
	t->english = english;
	if ((t->columns = calloc((size_t)columns_needed(def),
	    sizeof(*t->columns))) == NULL ||
	    (t->by_index = calloc((size_t)def->nquestions + 1,
	    sizeof(int))) == NULL)
		abort();
	for (i = 0; i < TAB_META_COLUMNS; i++) {
		c = column_add(t, TAB_META, -1, i, 0, meta_width[i]);
		(void)snprintf(c->name, sizeof(c->name), "%s", meta_names[i]);
		c->label = xstrdup(english ? meta_en[i] : meta_de[i]);
	}
	for (i = 0; i < def->nquestions; i++) {
		t->by_index[i] = codes_by_index(def->questions[i].choices,
		    def->questions[i].nchoices);
		question_columns(t, i);
	}
	return (t);
}

void
tabular_free(struct tab_layout *t)
{
	int	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ncolumns; i++)
		free(t->columns[i].label);
	free(t->columns);
	free(t->by_index);
	free(t);
}

static char
sep_of(const struct tab_layout *t)
{
	return (t->dialect == TAB_EXCEL_DE ? ';' : ',');
}

/*
 * A text cell: neutralised when a spreadsheet would take it for a
 * formula, quoted (RFC 4180) when it holds a separator, a quote or a line
 * break, or was neutralised.
 */
void
tabular_text_cell(struct strbuf *b, enum tab_dialect dialect, const char *s,
    size_t len)
{
	char	sep = dialect == TAB_EXCEL_DE ? ';' : ',';
	size_t	i, start;
	int	formula, quote;

	formula = len > 0 && strchr("=+-@\t\r", s[0]) != NULL;
	quote = formula;
	for (i = 0; i < len && !quote; i++) {
		if (s[i] == sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	}
	if (!quote) {
		strbuf_append(b, s, len);
		return;
	}
	strbuf_append(b, formula ? "\"'" : "\"", formula ? 2 : 1);
	for (i = start = 0; i < len; i++) {
		if (s[i] == '"') {
			strbuf_append(b, s + start, i + 1 - start);
			strbuf_append(b, "\"", 1);
			start = i + 1;
		} else if (dialect == TAB_SPSS && (s[i] == '\n' ||
		    s[i] == '\r')) {
			/* SPSS reads a case per line, quoted or not. */
			strbuf_append(b, s + start, i - start);
			if (s[i] == '\n' || i + 1 == len || s[i + 1] != '\n')
				strbuf_append(b, " ", 1);
			start = i + 1;
		}
	}
	strbuf_append(b, s + start, len - start);
	strbuf_append(b, "\"", 1);
}

/* A number we write: %.15g, with a decimal comma in excel-de. */
static void
number_cell(struct strbuf *b, const struct tab_layout *t, double v)
{
	char	num[32], *p;

	num_text(v, num, sizeof(num));
	if (t->dialect == TAB_EXCEL_DE && (p = strchr(num, '.')) != NULL)
		*p = ',';
	strbuf_appends(b, num);
}

/* A numeric choice value is its own code (decimal comma in excel-de). */
static void
value_cell(struct strbuf *b, const struct tab_layout *t, const char *v)
{
	const char	*dot;

	if (t->dialect == TAB_EXCEL_DE && (dot = strchr(v, '.')) != NULL) {
		strbuf_append(b, v, (size_t)(dot - v));
		strbuf_append(b, ",", 1);
		v = dot + 1;
	}
	strbuf_appends(b, v);
}

/* A choice value as written in the definition ("3", "yes"). */
static const char *
value_text(const cJSON *v, char *buf, size_t len)
{
	if (cJSON_IsString(v))
		return (v->valuestring);
	if (cJSON_IsNumber(v))
		return (num_text(v->valuedouble, buf, len));
	if (cJSON_IsBool(v))
		return (cJSON_IsTrue(v) ? "true" : "false");
	return (NULL);
}

static int
choice_index(const struct survey_choice *c, int n, const cJSON *v)
{
	const char	*s;
	char		buf[32];
	int		i;

	if ((s = value_text(v, buf, sizeof(buf))) == NULL)
		return (-1);
	for (i = 0; i < n; i++) {
		if (strcmp(c[i].value, s) == 0)
			return (i);
	}
	return (-1);
}

static void
code_cell(struct strbuf *b, const struct tab_layout *t, int q,
    const struct survey_choice *c, int n, const cJSON *v)
{
	char	num[32];
	int	i;

	if ((i = choice_index(c, n, v)) < 0)
		return;
	if (t->by_index[q])
		strbuf_appends(b, num_text(i + 1, num, sizeof(num)));
	else
		value_cell(b, t, c[i].value);
}

static void
meta_cell(struct strbuf *b, const struct tab_layout *t,
    const struct tab_row *r, int item)
{
	const char	*s = NULL;

	switch (item) {
	case 0:
		s = r->respondent;
		break;
	case 1:
		s = r->channel;
		break;
	case 2:
		s = r->district;
		break;
	default:
		s = r->submitted_at;
		break;
	}
	if (s != NULL)
		tabular_text_cell(b, t->dialect, s, strlen(s));
}

static int
rank_of(const cJSON *a, const struct survey_choice *c)
{
	const cJSON	*e;
	const char	*s;
	char		buf[32];
	int		rank = 0;

	cJSON_ArrayForEach(e, a) {
		rank++;
		if ((s = value_text(e, buf, sizeof(buf))) != NULL &&
		    strcmp(s, c->value) == 0)
			return (rank);
	}
	return (0);
}

static void
answer_cell(struct strbuf *b, const struct tab_layout *t,
    const struct tab_column *col, const cJSON *a)
{
	const struct survey_question	*sq = &t->def->questions[col->question];
	char				num[32];
	int				rank;

	switch (col->source) {
	case TAB_VALUE:
		if (cJSON_IsString(a))
			tabular_text_cell(b, t->dialect, a->valuestring,
			    strlen(a->valuestring));
		else if (cJSON_IsNumber(a))
			number_cell(b, t, a->valuedouble);
		break;
	case TAB_CODE:
		code_cell(b, t, col->question, sq->choices, sq->nchoices, a);
		break;
	case TAB_CHECK:
		if (cJSON_IsArray(a))
			strbuf_appends(b, rank_of(a, &sq->choices[col->item]) ?
			    "1" : "0");
		break;
	case TAB_RANK:
		if (cJSON_IsArray(a) &&
		    (rank = rank_of(a, &sq->choices[col->item])) > 0)
			strbuf_appends(b, num_text(rank, num, sizeof(num)));
		break;
	case TAB_CELL:
		if (cJSON_IsObject(a) && (a = cJSON_GetObjectItemCaseSensitive(
		    a, sq->rows[col->item].value)) != NULL)
			code_cell(b, t, col->question, sq->choices,
			    sq->nchoices, a);
		break;
	default:
		break;
	}
}

void
tabular_csv_header(struct strbuf *b, const struct tab_layout *t)
{
	int	i;

	if (t->dialect == TAB_EXCEL_DE)
		strbuf_appends(b, "\xEF\xBB\xBF");
	for (i = 0; i < t->ncolumns; i++) {
		if (i > 0)
			strbuf_append(b, &(char){ sep_of(t) }, 1);
		strbuf_appends(b, t->columns[i].name);
	}
	strbuf_append(b, "\r\n", 2);
}

/* One response, its cells in the header's order; a missing answer: "". */
void
tabular_csv_row(struct strbuf *b, const struct tab_layout *t,
    const struct tab_row *r, const cJSON *answers)
{
	const struct tab_column	*col;
	const cJSON		*a = NULL;
	char			sep = sep_of(t);
	int			i, q = -1;

	for (i = 0; i < t->ncolumns; i++) {
		col = &t->columns[i];
		if (i > 0)
			strbuf_append(b, &sep, 1);
		if (col->source == TAB_META) {
			meta_cell(b, t, r, col->item);
			continue;
		}
		if (col->question != q) {
			q = col->question;
			a = cJSON_GetObjectItemCaseSensitive(answers,
			    t->def->questions[q].name);
		}
		if (a != NULL && !cJSON_IsNull(a))
			answer_cell(b, t, col, a);
	}
	strbuf_append(b, "\r\n", 2);
}

static void
json_string(struct strbuf *b, const char *s)
{
	const unsigned char	*p;

	if (s == NULL || s[0] == '\0') {
		strbuf_appends(b, "null");
		return;
	}
	strbuf_append(b, "\"", 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_appendf(b, "\\%c", *p);
		else if (*p < 0x20)
			strbuf_appendf(b, "\\u%04x", *p);
		else
			strbuf_append(b, p, 1);
	}
	strbuf_append(b, "\"", 1);
}

/*
 * One response as an element of the export's array: the stored answers
 * (PostgreSQL's jsonb text, already valid JSON) as they are.
 */
void
tabular_json_row(struct strbuf *b, const struct tab_row *r,
    const char *answers, size_t len, int first)
{
	strbuf_appends(b, first ? "\n{\"respondent\":" : ",\n{\"respondent\":");
	json_string(b, r->respondent);
	strbuf_appends(b, ",\"channel\":");
	json_string(b, r->channel);
	strbuf_appends(b, ",\"district\":");
	json_string(b, r->district);
	strbuf_appends(b, ",\"submitted_at\":");
	json_string(b, r->submitted_at);
	strbuf_appends(b, ",\"answers\":");
	strbuf_append(b, answers, len);
	strbuf_append(b, "}", 1);
}

/* How many bytes of s fit in max without cutting a UTF-8 sequence. */
static size_t
utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return (len);
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return (max);
}

/*
 * An SPSS string literal: apostrophes doubled, line breaks as spaces, at
 * most max bytes, split into pieces joined with "+" so no syntax line is
 * long.
 */
static void
spss_literal(struct strbuf *b, const char *s, size_t max)
{
	size_t	len, i, piece;

	len = utf8_cut(s, strlen(s), max);
	strbuf_append(b, "'", 1);
	for (i = piece = 0; i < len; i++) {
		if (piece >= SPSS_LITERAL_PIECE &&
		    ((unsigned char)s[i] & 0xC0) != 0x80) {
			strbuf_appends(b, "' +\n    '");
			piece = 0;
		}
		if (s[i] == '\'')
			strbuf_append(b, "''", 2);
		else if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t')
			strbuf_append(b, " ", 1);
		else
			strbuf_append(b, s + i, 1);
		piece++;
	}
	strbuf_append(b, "'", 1);
}

static const char *
check_label(const struct tab_layout *t, int checked)
{
	if (t->english)
		return (checked ? "selected" : "not selected");
	return (checked ? "gew\xC3\xA4hlt" : "nicht gew\xC3\xA4hlt");
}

/* The value labels of a column: code, text; none for a count or text. */
static int
column_labels(const struct tab_layout *t, const struct tab_column *c,
    const struct survey_choice **choices, int *n)
{
	const struct survey_question	*sq;

	*choices = NULL;
	*n = 0;
	if (c->source == TAB_CHECK)
		return (2);
	if (c->source != TAB_CODE && c->source != TAB_CELL)
		return (0);
	sq = &t->def->questions[c->question];
	*choices = sq->choices;
	*n = sq->nchoices;
	return (*n > 0);
}

/* A choice's code as text: its index + 1, or its numeric value. */
static void
code_text(const struct tab_layout *t, const struct tab_column *c, int i,
    char *buf, size_t len)
{
	const struct survey_choice	*ch;

	ch = &t->def->questions[c->question].choices[i];
	if (t->by_index[c->question])
		(void)snprintf(buf, len, "%d", i + 1);
	else
		(void)snprintf(buf, len, "%s", ch->value);
}

static void
spss_value_labels(struct strbuf *b, const struct tab_layout *t)
{
	const struct survey_choice	*ch;
	const struct tab_column		*c;
	char				code[32];
	int				i, j, n, first = 1;

	for (i = 0; i < t->ncolumns; i++) {
		c = &t->columns[i];
		if (!column_labels(t, c, &ch, &n))
			continue;
		strbuf_appendf(b, "%s%s", first ? "VALUE LABELS " : "\n  /",
		    c->name);
		first = 0;
		if (c->source == TAB_CHECK) {
			for (j = 0; j < 2; j++) {
				strbuf_appendf(b, "\n    %d ", j);
				spss_literal(b, check_label(t, j),
				    SPSS_VALUE_LABEL_MAX);
			}
			continue;
		}
		for (j = 0; j < n; j++) {
			code_text(t, c, j, code, sizeof(code));
			strbuf_appendf(b, "\n    %s ", code);
			spss_literal(b, choice_text(t, &ch[j]),
			    SPSS_VALUE_LABEL_MAX);
		}
	}
	if (!first)
		strbuf_appends(b, ".\n");
}

/*
 * SPSS syntax reading the CSV export in the SPSS dialect (csv names that
 * file), then labels, value labels and missing values.  GET DATA, not
 * DATA LIST: DATA LIST's free format knows no RFC 4180 quoting, so a
 * comma or a doubled quote inside a text answer would shift every later
 * column (seen in PSPP).  Numbers are free-format; strings as wide as
 * their answers may be in bytes.
 */
void
tabular_spss(struct strbuf *b, const struct tab_layout *t, const char *csv)
{
	const struct tab_column	*c;
	int			i, strings;

	strbuf_appends(b, "* Encoding: UTF-8.\n* mitwirken survey export: ");
	spss_literal(b, text_of(t, &t->def->title), SPSS_LABEL_MAX);
	strbuf_appends(b, ".\nGET DATA /TYPE=TXT /FILE=");
	spss_literal(b, csv, 255);
	strbuf_appends(b, " /ENCODING='UTF8'\n"
	    "  /ARRANGEMENT=DELIMITED /DELCASE=LINE /FIRSTCASE=2\n"
	    "  /DELIMITERS=\",\" /QUALIFIER='\"'\n  /VARIABLES=");
	for (i = 0; i < t->ncolumns; i++) {
		c = &t->columns[i];
		strbuf_appendf(b, "%s%s", i == 0 ? "" : i % 4 ? " " : "\n   ",
		    c->name);
		if (c->numeric)
			strbuf_appends(b, " F16.4");
		else
			strbuf_appendf(b, " A%d", c->width);
	}
	strbuf_appends(b, ".\n\nVARIABLE LABELS");
	for (i = 0; i < t->ncolumns; i++) {
		strbuf_appendf(b, "%s%s ", i ? "\n  /" : " ",
		    t->columns[i].name);
		spss_literal(b, t->columns[i].label, SPSS_LABEL_MAX);
	}
	strbuf_appends(b, ".\n\n");
	spss_value_labels(b, t);
	/*
	 * An empty numeric cell is system-missing by itself; an empty string
	 * (no district, no text answer) is declared missing.
	 */
	for (i = strings = 0; i < t->ncolumns; i++) {
		c = &t->columns[i];
		if (c->numeric || (c->source == TAB_META && c->item != 2))
			continue;
		strbuf_appendf(b, "%s%s", strings == 0 ? "\nMISSING VALUES\n  " :
		    strings % 6 ? " " : "\n  ", c->name);
		strings++;
	}
	if (strings > 0)
		strbuf_appends(b, " ('').\n");
	for (i = 0; i < t->ncolumns; i++) {
		c = &t->columns[i];
		if (c->numeric)
			strbuf_appendf(b, "FORMATS %s (F8.%d).\n", c->name,
			    c->source == TAB_VALUE ? 2 : 0);
	}
	strbuf_appends(b, "EXECUTE.\n");
}

/* An R string literal, ASCII only: non-ASCII as \u{...}, so the script
 * reads the same whatever the locale Rscript runs in. */
static void
r_literal(struct strbuf *b, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned int		cp;
	int			n, k;

	strbuf_append(b, "\"", 1);
	while (*p != '\0') {
		if (*p < 0x80) {
			if (*p == '"' || *p == '\\')
				strbuf_appendf(b, "\\%c", *p);
			else if (*p < 0x20 || *p == 0x7f)
				strbuf_appendf(b, "\\x%02x", *p);
			else
				strbuf_append(b, p, 1);
			p++;
			continue;
		}
		n = *p >= 0xF0 ? 3 : *p >= 0xE0 ? 2 : 1;
		cp = *p & (0x3F >> n);
		for (k = 1; k <= n && (p[k] & 0xC0) == 0x80; k++)
			cp = (cp << 6) | (p[k] & 0x3F);
		strbuf_appendf(b, "\\u{%x}", cp);
		p += k;
	}
	strbuf_append(b, "\"", 1);
}

/*
 * An R script that reads the CSV export (same dialect) and makes each
 * coded column a factor labelled with the choice texts, as LimeSurvey's
 * R export does; the labels of the variables in
 * attributes(data)$variable.labels.
 */
void
tabular_r(struct strbuf *b, const struct tab_layout *t, const char *csv)
{
	const struct survey_choice	*ch;
	const struct tab_column		*c;
	char				code[32];
	int				i, j, n;

	strbuf_appends(b, "# mitwirken survey export: ");
	r_literal(b, text_of(t, &t->def->title));
	strbuf_appends(b, "\ndata <- read.csv(");
	r_literal(b, csv);
	strbuf_appendf(b, ", sep = \"%c\", dec = \"%c\", quote = \"\\\"\",\n"
	    "    fileEncoding = \"UTF-8-BOM\", encoding = \"UTF-8\",\n"
	    "    na.strings = \"\", check.names = FALSE,\n"
	    "    stringsAsFactors = FALSE, colClasses = c(", sep_of(t),
	    t->dialect == TAB_EXCEL_DE ? ',' : '.');
	for (i = 0; i < t->ncolumns; i++)
		strbuf_appendf(b, "%s\"%s\"", i ? ", " : "",
		    t->columns[i].numeric ? "numeric" : "character");
	strbuf_appends(b, "))\nattributes(data)$variable.labels <- c(");
	for (i = 0; i < t->ncolumns; i++) {
		strbuf_appends(b, i ? ",\n    " : "\n    ");
		r_literal(b, t->columns[i].label);
	}
	strbuf_appends(b, ")\n");
	for (i = 0; i < t->ncolumns; i++) {
		c = &t->columns[i];
		if (!column_labels(t, c, &ch, &n))
			continue;
		strbuf_appendf(b, "data[[\"%s\"]] <- factor(data[[\"%s\"]], "
		    "levels = c(", c->name, c->name);
		if (c->source == TAB_CHECK) {
			strbuf_appends(b, "0, 1), labels = c(");
			r_literal(b, check_label(t, 0));
			strbuf_appends(b, ", ");
			r_literal(b, check_label(t, 1));
			strbuf_appends(b, "))\n");
			continue;
		}
		for (j = 0; j < n; j++) {
			code_text(t, c, j, code, sizeof(code));
			strbuf_appendf(b, "%s%s", j ? ", " : "", code);
		}
		strbuf_appends(b, "),\n    labels = c(");
		for (j = 0; j < n; j++) {
			strbuf_appends(b, j ? ", " : "");
			r_literal(b, choice_text(t, &ch[j]));
		}
		strbuf_appends(b, "))\n");
	}
}

/*
 * The codebook, a CSV in the export's dialect: variable, question, label,
 * type, and the value labels as "code = text" lines in one cell.
 */
void
tabular_codebook(struct strbuf *b, const struct tab_layout *t)
{
	const struct survey_choice	*ch;
	const struct tab_column		*c;
	struct strbuf			v;
	const char			*q;
	char				code[32], sep = sep_of(t);
	int				i, j, n;

	strbuf_init(&v, 256);
	if (t->dialect == TAB_EXCEL_DE)
		strbuf_appends(b, "\xEF\xBB\xBF");
	strbuf_appendf(b, "variable%cquestion%clabel%ctype%cvalues\r\n", sep,
	    sep, sep, sep);
	for (i = 0; i < t->ncolumns; i++) {
		c = &t->columns[i];
		q = c->question >= 0 ? t->def->questions[c->question].name : "";
		strbuf_reset(&v);
		if (column_labels(t, c, &ch, &n)) {
			for (j = 0; j < (c->source == TAB_CHECK ? 2 : n); j++) {
				if (c->source == TAB_CHECK) {
					strbuf_appendf(&v, "%s%d = %s", j ?
					    "\n" : "", j, check_label(t, j));
					continue;
				}
				code_text(t, c, j, code, sizeof(code));
				strbuf_appendf(&v, "%s%s = %s", j ? "\n" : "",
				    code, choice_text(t, &ch[j]));
			}
		}
		tabular_text_cell(b, t->dialect, c->name, strlen(c->name));
		strbuf_append(b, &sep, 1);
		tabular_text_cell(b, t->dialect, q, strlen(q));
		strbuf_append(b, &sep, 1);
		tabular_text_cell(b, t->dialect, c->label, strlen(c->label));
		strbuf_append(b, &sep, 1);
		strbuf_appends(b, c->numeric ? "numeric" : "string");
		strbuf_append(b, &sep, 1);
		tabular_text_cell(b, t->dialect, v.data, v.len);
		strbuf_append(b, "\r\n", 2);
	}
	strbuf_free(&v);
}
