/*
 * /planung/auswertung: the evaluation report as a printable page that the
 * CDO can hand to the council (a table of contents, one section per
 * Handlungsfeld and per goal, each beginning a printed page), and without
 * a period the evaluation schedule from the settings, each due report one
 * link away.  The page renders evaluation.c's document.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"
#include "stats/evaluation.h"

#define DUES_MAX	40

static const char SQL_SCHEDULE[] =
    "SELECT setting('strategy_adopted_on'),"
    " setting('evaluation_first_months')::int,"
    " setting('evaluation_every_months')::int,"
    " to_char(now() AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD'),"
    " setting('stats_k')";

static const struct db_op op_schedule = {
	.name = "evaluation_schedule", .sql = SQL_SCHEDULE, .kind = DB_READ,
};

static void
date_text(cJSON *o, const char *name, const struct sdate *d)
{
	char	buf[16];

	schedule_format(d, buf, sizeof(buf));
	cJSON_AddStringToObject(o, name, buf);
}

static int
schedule_page(struct http_request *req)
{
	struct evaluation_due	dues[DUES_MAX];
	struct sdate		adopted, today;
	PGresult		*res;
	enum db_status		s;
	cJSON			*data, *list, *e;
	int			i, n;

	if ((s = db_step(req, &op_schedule, &res)) != DB_DONE)
		return (db_yield(s));
	data = page_new(req, "evaluation");
	cJSON_AddStringToObject(data, "k", PQgetvalue(res, 0, 4));
	if (!schedule_parse(PQgetvalue(res, 0, 0), &adopted) ||
	    !schedule_parse(PQgetvalue(res, 0, 3), &today)) {
		cJSON_AddTrueToObject(data, "unset");
		return (page_with(req, 200, data, "evaluation_schedule.html"));
	}
	date_text(data, "adopted", &adopted);
	cJSON_AddNumberToObject(data, "first", atoi(PQgetvalue(res, 0, 1)));
	cJSON_AddNumberToObject(data, "every", atoi(PQgetvalue(res, 0, 2)));
	n = schedule_list(&adopted, atoi(PQgetvalue(res, 0, 1)),
	    atoi(PQgetvalue(res, 0, 2)), &today, dues, DUES_MAX);
	list = cJSON_AddArrayToObject(data, "dues");
	for (i = n - 1; i >= 0; i--) {
		e = cJSON_CreateObject();
		date_text(e, "due", &dues[i].due);
		date_text(e, "from", &dues[i].from);
		date_text(e, "to", &dues[i].to);
		cJSON_AddBoolToObject(e, "past", dues[i].past);
		cJSON_AddItemToArray(list, e);
	}
	return (page_with(req, 200, data, "evaluation_schedule.html"));
}

/*
 * Whether a survey has items to tabulate; shares in percent, and means,
 * as the reader writes numbers (1,67).
 */
static void
shares(struct http_request *req, cJSON *row)
{
	cJSON	*s, *i, *top;

	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(row,
	    "surveys")) {
		cJSON_AddBoolToObject(s, "has_items", cJSON_GetArraySize(
		    cJSON_GetObjectItemCaseSensitive(s, "items")) > 0);
		cJSON_ArrayForEach(i, cJSON_GetObjectItemCaseSensitive(s,
		    "items")) {
			page_number(req, i, "mean", 2);
			top = cJSON_GetObjectItemCaseSensitive(i,
			    "most_chosen");
			if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(
			    top, "share"))) {
				cJSON_AddNumberToObject(top, "share_pct",
				    round(json_num(top, "share") * 1000) / 10);
				page_number(req, top, "share_pct", 1);
			}
		}
	}
}

/* Words for the codes the template shows. */
static void
labels(struct http_request *req, cJSON *doc)
{
	cJSON	*row, *c, *p, *cr, *pr;
	int	j;
	const char	*lists[] = { "fields", "goals" };

	for (j = 0; j < 2; j++) {
		cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(doc,
		    lists[j])) {
			shares(req, row);
			cJSON_ArrayForEach(c,
			    cJSON_GetObjectItemCaseSensitive(row, "counts"))
				cJSON_AddStringToObject(c, "label",
				    page_text(req, "evaluation_metrics",
				    c->string));
			cJSON_ArrayForEach(p,
			    cJSON_GetObjectItemCaseSensitive(row, "projects")) {
				page_label(req, p, "status", "project_statuses");
				cJSON_ArrayForEach(cr,
				    cJSON_GetObjectItemCaseSensitive(p,
				    "criteria")) {
					pr = cJSON_GetObjectItemCaseSensitive(
					    cr, "progress");
					page_label(req, pr, "verdict",
					    "project_verdicts");
				}
			}
		}
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "totals"))
		cJSON_AddStringToObject(c, "label", page_text(req,
		    "evaluation_metrics", c->string));
}

/* GET /planung/auswertung[?from=&to=] */
int
page_evaluation(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	enum db_status	s;
	cJSON		*doc, *data;

	if (params_get(&rq->params, "from") == NULL &&
	    params_get(&rq->params, "to") == NULL)
		return (schedule_page(req));
	if ((s = evaluation_step(req, &doc)) != DB_DONE)
		return (db_yield(s));
	labels(req, doc);
	data = page_new(req, "evaluation");
	cJSON_AddItemToObject(data, "report", doc);
	return (page_with(req, 200, data, "evaluation.html"));
}
