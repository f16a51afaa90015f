/*
 * The evaluation capability: open data for everyone (opendata.c) and the
 * evaluation report for planners (evaluation.c, evaluation_pages.c).
 * Only the route table includes this.
 */

#ifndef STATS_EVALUATION_H
#define STATS_EVALUATION_H

#include "mitwirken.h"

extern const char *const	opendata_files[];

int	api_opendata(struct http_request *);
int	api_opendata_file(struct http_request *);
int	page_opendata(struct http_request *);

/* evaluation.c: the report; evaluation_pages.c: /planung/auswertung. */
extern const char *const	evaluation_formats[];

enum db_status	evaluation_step(struct http_request *, cJSON **);
int		api_evaluation(struct http_request *);
int		page_evaluation(struct http_request *);

#endif
