/*
 * Statistics: the forum dashboard and the inclusion monitor, as JSON, CSV
 * and pages.  One computed document (stats_dashboard_step) is what every
 * format renders, so no two numbers disagree.
 * For the capability's own files and the route table (src/routes.c).
 */

#ifndef MITWIRKEN_STATS_H
#define MITWIRKEN_STATS_H

#include "mitwirken.h"

#define STATS_METRICS	8
#define STATS_CHANNELS	5
#define STATS_BANDS	7	/* 0 not given, 1 under-18 .. 6 80-plus */
#define STATS_MONTHS_MAX 120

extern const char *const	stats_metrics[];
extern const char *const	stats_channels[];
extern const char *const	stats_bands[];
extern const char *const	stats_statuses[];

/* stats.c: the computed document and the JSON and CSV answers. */
enum db_status	stats_dashboard_step(struct http_request *, cJSON **);
enum db_status	stats_inclusion_step(struct http_request *, cJSON **);
int		api_stats_dashboard(struct http_request *);
int		api_stats_dashboard_csv(struct http_request *);
int		api_stats_inclusion(struct http_request *);
void		stats_dashboard_again(struct http_request *);

/* stats_pages.c: /statistik, /statistik/handlungsfelder, /teilhabe. */
int	page_stats(struct http_request *);
int	page_stats_fields(struct http_request *);
int	page_stats_inclusion(struct http_request *);

#endif
