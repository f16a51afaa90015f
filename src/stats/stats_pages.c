#include "mitwirken.h"
#include "stats/stats.h"
int page_stats(struct http_request *req) { return api_stats_dashboard(req); }
int page_stats_inclusion(struct http_request *req) { return api_stats_inclusion(req); }
