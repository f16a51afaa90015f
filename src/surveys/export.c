/*
 * GET /api/v1/surveys/{id}/export: a survey's responses for planners.
 *
 * CSV and JSON are streamed (src/core/stream.c) in keyset pages: each
 * page is one short statement (survey, id after the last one sent, at
 * most the largest id when the export began), so no database connection
 * or transaction is held between pages, a client that stops reading holds
 * none, and the export has a fixed end: responses arriving meanwhile are
 * not in it.  SPSS syntax, the R script and the codebook depend only on
 * the definition and are answered whole.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"
#include "surveys/surveys.h"

/*
 * Rows per page: a chunk of one to a few MiB.  Pages of 2000 rows spent
 * most of an export waiting between chunks (22k rows/s against 87k for
 * psql \copy on a busy machine); 10000 leave the time to PostgreSQL and
 * the formatting.
 */
#define EXPORT_PAGE	"10000"
#define EXPORT_PAGE_ROWS	10000

const char *const	export_formats[] = { "csv", "json", "spss", "r",
	"codebook", NULL };
const char *const	export_dialects[] = { "excel-de", "spss", NULL };

static const char SQL_EXPORT_SURVEY[] =
    "SELECT s.definition::text, coalesce((SELECT max(r.id) "
    "FROM survey_responses r WHERE r.survey_id = s.id), 0) "
    "FROM surveys s WHERE s.id = $1";

/* The same SELECT, without the keyset, is what the bench gives psql. */
static const char SQL_EXPORT_PAGE[] =
    "SELECT r.id, encode(r.respondent, 'hex'), r.channel, d.slug, "
    "to_char(r.submitted_at AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), r.answers::text "
    "FROM survey_responses r LEFT JOIN districts d ON d.id = r.district_id "
    "WHERE r.survey_id = $1 AND r.id > $2 AND r.id <= $3 "
    "ORDER BY r.id LIMIT " EXPORT_PAGE;

static const char *const survey_args[] = { "id", NULL };
static const char *const page_args[] = { "id", "after", "last", NULL };

static const struct db_op op_export_survey = {
	.name = "export_survey", .sql = SQL_EXPORT_SURVEY, .kind = DB_READ,
	.args = survey_args, .replica = 1,
};

/*
 * Quiet: once the stream began, a failure can only cut it.  Not prepared:
 * a generic plan knows neither the survey nor the keyset bounds, and a
 * custom plan costs little beside thousands of rows.
 */
static const struct db_op op_export_page = {
	.name = "export_page", .sql = SQL_EXPORT_PAGE, .kind = DB_READ,
	.args = page_args, .quiet = 1, .replica = 1,
};

enum export_format {
	EXPORT_CSV = 0,
	EXPORT_JSON,
	EXPORT_SPSS,
	EXPORT_R,
	EXPORT_CODEBOOK
};

struct export {
	enum export_format	format;
	struct survey_def	*def;
	struct tab_layout	*layout;
	int			rows;	/* sent so far */
};

static void
export_free(void *arg)
{
	struct export	*x = arg;

	if (x == NULL)
		return;
	tabular_free(x->layout);
	survey_free(x->def);
	kore_free(x);
}

static enum export_format
format_of(struct http_request *req)
{
	const char	*f;
	int		i;

	if ((f = params_get(&rq_get(req)->params, "format")) == NULL)
		return (EXPORT_CSV);
	for (i = 0; export_formats[i] != NULL; i++) {
		if (strcmp(export_formats[i], f) == 0)
			return ((enum export_format)i);
	}
	return (EXPORT_CSV);
}

/* SPSS syntax always reads the SPSS dialect: one case per line. */
static enum tab_dialect
dialect_of(struct http_request *req, enum export_format format)
{
	const char	*d;

	if (format == EXPORT_SPSS)
		return (TAB_SPSS);
	if ((d = params_get(&rq_get(req)->params, "dialect")) == NULL)
		return (TAB_RFC4180);
	return (strcmp(d, "spss") == 0 ? TAB_SPSS : strcmp(d, "excel-de") == 0 ?
	    TAB_EXCEL_DE : TAB_RFC4180);
}

/* The CSV's file name: the SPSS dialect's is the one the .sps reads. */
static void
csv_name(char *buf, size_t len, const char *id, enum tab_dialect d)
{
	(void)snprintf(buf, len, "survey-%s%s.csv", id, d == TAB_SPSS ?
	    "-spss" : "");
}

/* The stored definition, parsed; it passed validation when saved. */
static struct export *
export_new(struct http_request *req, PGresult *res)
{
	struct rq		*rq = rq_get(req);
	struct survey_problems	*problems;
	struct export		*x;
	cJSON			*json;

	x = kore_calloc(1, sizeof(*x));
	x->format = format_of(req);
	problems = kore_calloc(1, sizeof(*problems));
	json = cJSON_ParseWithLength(PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0));
	if (json != NULL)
		x->def = survey_parse(json, problems);
	cJSON_Delete(json);
	if (x->def == NULL) {
		kore_log(LOG_ERR, "export id=%s: survey %s: stored definition "
		    "does not parse (%s)", rq->id, params_get(&rq->params,
		    "id"), problems->count ? problems->items[0].reason : "");
		kore_free(problems);
		export_free(x);
		return (NULL);
	}
	kore_free(problems);
	x->layout = tabular_layout(x->def, dialect_of(req, x->format),
	    rq->lang == LANG_EN);
	return (x);
}

/* SPSS syntax, R script, codebook: small, whole, as attachments. */
static int
export_describe(struct http_request *req, struct export *x, const char *id)
{
	struct strbuf	b;
	char		csv[64], name[80], v[120];
	const char	*type = "text/plain; charset=utf-8";

	csv_name(csv, sizeof(csv), id, x->layout->dialect);
	strbuf_init(&b, 4096);
	switch (x->format) {
	case EXPORT_SPSS:
		tabular_spss(&b, x->layout, csv);
		(void)snprintf(name, sizeof(name), "survey-%s.sps", id);
		break;
	case EXPORT_R:
		tabular_r(&b, x->layout, csv);
		(void)snprintf(name, sizeof(name), "survey-%s.R", id);
		break;
	default:
		tabular_codebook(&b, x->layout);
		(void)snprintf(name, sizeof(name), "survey-%s-codebook.csv",
		    id);
		type = "text/csv; charset=utf-8; header=present";
		break;
	}
	(void)snprintf(v, sizeof(v), "attachment; filename=\"%s\"", name);
	http_response_header(req, "content-disposition", v);
	respond(req, 200, type, b.data, b.len);
	strbuf_free(&b);
	export_free(x);
	return (KORE_RESULT_OK);
}

static void
export_rows(struct http_request *req, PGresult *res)
{
	struct export	*x = stream_data(req);
	struct strbuf	*b = stream_buf(req);
	struct tab_row	row;
	cJSON		*a;
	int		i, n;

	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		row.respondent = PQgetvalue(res, i, 1);
		row.channel = PQgetvalue(res, i, 2);
		row.district = PQgetisnull(res, i, 3) ? NULL :
		    PQgetvalue(res, i, 3);
		row.submitted_at = PQgetvalue(res, i, 4);
		if (x->format == EXPORT_JSON) {
			tabular_json_row(b, &row, PQgetvalue(res, i, 5),
			    (size_t)PQgetlength(res, i, 5), x->rows == 0);
		} else {
			a = cJSON_ParseWithLength(PQgetvalue(res, i, 5),
			    (size_t)PQgetlength(res, i, 5));
			tabular_csv_row(b, x->layout, &row, a);
			cJSON_Delete(a);
		}
		x->rows++;
	}
}

static int
export_finish(struct http_request *req)
{
	struct export	*x = stream_data(req);

	if (x->format == EXPORT_JSON)
		strbuf_appends(stream_buf(req), x->rows ? "\n]\n" : "]\n");
	return (stream_end(req));
}

/* The next page starts after this one's last response. */
static int
export_next(struct http_request *req, PGresult *res)
{
	int	n = PQntuples(res);

	if (n > 0)
		rq_var_update(req, "after", PQgetvalue(res, n - 1, 0));
	return (n == EXPORT_PAGE_ROWS);
}

static const struct stream_pager export_pager = {
	&op_export_page, export_next, export_rows, export_finish
};

static int
export_start(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	struct export	*x;
	PGresult	*res;
	enum db_status	s;
	const char	*id, *last;
	char		name[80];
	int		empty;

	if ((s = db_step(req, &op_export_survey, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) == 0)
		return (respond_not_found(req));
	if ((x = export_new(req, res)) == NULL)
		return (respond_error(req, 500, NULL, NULL, NULL));
	id = params_get(&rq->params, "id");
	if (x->format != EXPORT_CSV && x->format != EXPORT_JSON)
		return (export_describe(req, x, id));
	last = PQgetvalue(res, 0, 1);
	empty = strcmp(last, "0") == 0;
	rq_var_set(req, "last", last);
	rq_var_set(req, "after", "0");
	if (x->format == EXPORT_JSON)
		(void)snprintf(name, sizeof(name), "survey-%s.json", id);
	else
		csv_name(name, sizeof(name), id, x->layout->dialect);
	if (!stream_begin(req, x->format == EXPORT_JSON ? JSON_TYPE :
	    "text/csv; charset=utf-8; header=present", name, x, export_free)) {
		export_free(x);
		return (respond_error(req, 500, NULL, NULL, NULL));
	}
	if (x->format == EXPORT_CSV)
		tabular_csv_header(stream_buf(req), x->layout);
	else
		strbuf_appends(stream_buf(req), "[");
	db_call_cleanup(&rq->db);
	if (empty || req->method == HTTP_METHOD_HEAD)
		return (export_finish(req));
	return (stream_pages(req, &export_pager));
}

int
api_survey_export(struct http_request *req)
{
	if (!stream_started(req))
		return (export_start(req));
	return (stream_pages(req, &export_pager));
}
