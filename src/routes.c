/*
 * Everything the server answers, in one table, grouped by capability: the
 * one place that names every capability, handed to the core when Kore
 * starts.  Kore routes every path to dispatch() (conf/mitwirken.conf), so
 * 404, 405, parameter checks and the error format are ours and uniform.
 * Keep assets/openapi.json in step: the contract test fails when a JSON
 * route is missing from it.
 */

#include <stddef.h>

#include "mitwirken.h"
#include "accounts/accounts.h"
#include "defects/defects.h"
#include "ideas/ideas.h"
#include "stats/stats.h"
#include "projects/board_projects.h"
#include "projects/projects.h"
#include "surveys/surveys.h"
#include "taxonomy/taxonomy.h"
#include "site/site.h"
#include "stats/evaluation.h"

void	kore_parent_configure(int, char **);

/* The largest id a JSON number carries exactly (2^53 - 1). */
#define ID_MAX	9007199254740991L

static const char *const langs[] = { "de", "en", NULL };
static const char *const csp_types[] = {
	"application/csp-report", "application/reports+json",
	"application/json", NULL
};

static const char *const body_types[] = { "application/json", FORM_TYPE,
	NULL };
static const char *const granted_roles[] = { "moderator", "staff",
	"planner", "board", "admin", NULL };
static const char *const role_filter[] = { "moderator", "staff", "planner",
	"board", "admin", NULL };

static const char *const form_types[] = { FORM_TYPE, NULL };

static const struct param_spec no_params[] = { { NULL } };

/* The confirmation and new-password pages lead on to sign-in (?next=). */
static const struct param_spec token_page_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "token", PARAM_TEXT, 0, 1, 64, NULL },
	{ "next", PARAM_TEXT, 0, 1, NEXTPATH_MAX, NULL },
	{ NULL }
};

/*
 * Sign-in and registration: where to go on to, and why (a reason the
 * catalogue has no sentence for is dropped by the page, not refused).
 */
static const struct param_spec signin_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "next", PARAM_TEXT, 0, 1, NEXTPATH_MAX, NULL },
	{ "why", PARAM_SLUG, 0, 0, 0, NULL },
	{ NULL }
};

/* "Meine Beiträge", page and API: a page of the list. */
static const struct param_spec contributions_page_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "offset", PARAM_INT, 0, 0, 1000000, NULL },
	{ NULL }
};
static const struct param_spec contributions_params[] = {
	{ "limit", PARAM_INT, 0, 1, 100, NULL },
	{ "offset", PARAM_INT, 0, 0, 1000000, NULL },
	{ NULL }
};

/* Every page about one thing: /konto/sitzungen/{id}, /ideen/{id}, ... */
static const struct param_spec id_lang_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

/* Also for every other /{id} route without further parameters. */
static const struct param_spec session_id_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ NULL }
};

static const struct param_spec admin_accounts_params[] = {
	{ "role", PARAM_ENUM, 0, 0, 0, role_filter },
	{ "after", PARAM_INT, 0, 0, ID_MAX, NULL },
	{ "limit", PARAM_INT, 0, 1, 200, NULL },
	{ "q", PARAM_TEXT, 0, 1, 40, NULL },
	{ NULL }
};

/* The administration's pages: the confirmation after a change (?done=). */
static const char *const admin_done[] = { "role-granted", "role-revoked",
	"settings-saved", "criterion-saved", "category-saved", "field-saved",
	"goal-saved", "district-saved", "district-added", "key-revoked",
	"district-retired", "district-reactivated", "criterion-added", NULL };

static const struct param_spec admin_page_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "done", PARAM_ENUM, 0, 0, 0, admin_done },
	{ NULL }
};

static const struct param_spec admin_accounts_page_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "q", PARAM_TEXT, 0, 1, 40, NULL },
	{ "after", PARAM_INT, 0, 0, ID_MAX, NULL },
	{ "done", PARAM_ENUM, 0, 0, 0, admin_done },
	{ NULL }
};

static const struct param_spec admin_id_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "done", PARAM_ENUM, 0, 0, 0, admin_done },
	{ NULL }
};

static const struct param_spec admin_code_params[] = {
	{ "code", PARAM_SLUG, 1, 0, 0, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "done", PARAM_ENUM, 0, 0, 0, admin_done },
	{ NULL }
};

static const struct param_spec admin_slug_params[] = {
	{ "slug", PARAM_SLUG, 1, 0, 0, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "done", PARAM_ENUM, 0, 0, 0, admin_done },
	{ NULL }
};

static const struct param_spec role_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "role", PARAM_ENUM, 1, 0, 0, granted_roles },
	{ NULL }
};

/* The evaluation report: a period of whole months, JSON or CSV. */
static const struct param_spec evaluation_params[] = {
	{ "from", PARAM_TEXT, 1, 10, 10, NULL },
	{ "to", PARAM_TEXT, 1, 10, 10, NULL },
	{ "format", PARAM_ENUM, 0, 0, 0, evaluation_formats },
	{ "internal", PARAM_INT, 0, 1, 1, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

/* The page: without a period, the schedule. */
static const struct param_spec evaluation_page_params[] = {
	{ "from", PARAM_TEXT, 0, 10, 10, NULL },
	{ "to", PARAM_TEXT, 0, 10, 10, NULL },
	{ "internal", PARAM_INT, 0, 1, 1, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

/* Open data: a dataset in a format, the name a path segment. */
static const struct param_spec opendata_file_params[] = {
	{ "file", PARAM_ENUM, 1, 0, 0, opendata_files },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

static const struct param_spec page_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

/* After saving: the page says so. */
static const struct param_spec notifications_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "gespeichert", PARAM_INT, 0, 1, 1, NULL },
	{ NULL }
};

/* The unsubscribe link's token; its handler checks it and explains. */
static const struct param_spec unsubscribe_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "t", PARAM_TEXT, 0, 0, 512, NULL },
	{ NULL }
};

/* RFC 8058: the one-click POST may come as either form type. */
static const char *const unsubscribe_types[] = { FORM_TYPE, MULTIPART_TYPE,
	NULL };

/* Every /{slug} route: a field of action, a criterion. */
static const struct param_spec slug_params[] = {
	{ "slug", PARAM_SLUG, 1, 0, 0, NULL },
	{ NULL }
};

static const struct param_spec category_params[] = {
	{ "department", PARAM_SLUG, 0, 0, 0, NULL },
	{ NULL }
};

static const char *const sorts[] = { "newest", "supported", NULL };
static const char *const kinds[] = { "idea", "comment", NULL };
static const char *const queue_states[] = { "pending", "hidden", "all",
	NULL };
static const char *const log_kinds[] = { "idea", "comment", "criterion",
	"settings", NULL };
static const char *const json_types[] = { "application/json", NULL };


static const struct param_spec ideas_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "field", PARAM_SLUG, 0, 0, 0, NULL },
	{ "district", PARAM_SLUG, 0, 0, 0, NULL },
	{ "status", PARAM_ENUM, 0, 0, 0, ideas_statuses },
	{ "goal", PARAM_SLUG, 0, 0, 0, NULL },
	{ "q", PARAM_TEXT, 0, 1, 200, NULL },
	{ "sort", PARAM_ENUM, 0, 0, 0, sorts },
	{ "after", PARAM_TEXT, 0, 1, 64, NULL },
	{ "limit", PARAM_INT, 0, 1, 100, NULL },
	{ NULL }
};

static const struct param_spec geojson_params[] = {
	{ "field", PARAM_SLUG, 0, 0, 0, NULL },
	{ "district", PARAM_SLUG, 0, 0, 0, NULL },
	{ "status", PARAM_ENUM, 0, 0, 0, ideas_statuses },
	{ "goal", PARAM_SLUG, 0, 0, 0, NULL },
	{ "q", PARAM_TEXT, 0, 1, 200, NULL },
	{ "after", PARAM_INT, 0, 0, ID_MAX, NULL },
	{ "limit", PARAM_INT, 0, 1, 1000, NULL },
	{ NULL }
};

static const struct param_spec similar_params[] = {
	{ "q", PARAM_TEXT, 1, 3, 200, NULL },
	{ NULL }
};

static const struct param_spec comments_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "after", PARAM_INT, 0, 0, ID_MAX, NULL },
	{ "limit", PARAM_INT, 0, 1, 100, NULL },
	{ NULL }
};

/* An idea's page, from its first comment or after one (?after=). */
static const struct param_spec idea_page_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "after", PARAM_INT, 0, 0, ID_MAX, NULL },
	{ NULL }
};

static const struct param_spec queue_params[] = {
	{ "kind", PARAM_ENUM, 0, 0, 0, kinds },
	{ "state", PARAM_ENUM, 0, 0, 0, queue_states },
	{ "field", PARAM_SLUG, 0, 0, 0, NULL },
	{ "after", PARAM_INT, 0, 0, ID_MAX, NULL },
	{ "limit", PARAM_INT, 0, 1, 200, NULL },
	{ NULL }
};

static const struct param_spec log_params[] = {
	{ "kind", PARAM_ENUM, 0, 0, 0, log_kinds },
	{ "id", PARAM_INT, 0, 1, ID_MAX, NULL },
	{ "action", PARAM_TEXT, 0, 1, 64, NULL },
	{ "before", PARAM_INT, 0, 1, ID_MAX, NULL },
	{ "limit", PARAM_INT, 0, 1, 500, NULL },
	{ NULL }
};

static const struct param_spec ranking_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "field", PARAM_SLUG, 0, 0, 0, NULL },
	{ NULL }
};

static const struct param_spec comment_flag_page_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "idee", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "after", PARAM_INT, 0, 0, ID_MAX, NULL },
	{ NULL }
};

/* The moderation desk: a view is its tab, filters and order (a link). */
static const char *const desk_tabs[] = { "review", "flagged", "decided",
	NULL };
static const char *const desk_ages[] = { "1", "3", "7", NULL };
static const char *const desk_sorts[] = { "oldest", "newest", "flags",
	NULL };
static const char *const desk_all[] = { "1", NULL };

#define DESK_VIEW_PARAMS \
	{ "lang", PARAM_ENUM, 0, 0, 0, langs }, \
	{ "tab", PARAM_ENUM, 0, 0, 0, desk_tabs }, \
	{ "kind", PARAM_ENUM, 0, 0, 0, kinds }, \
	{ "state", PARAM_ENUM, 0, 0, 0, queue_states }, \
	{ "field", PARAM_SLUG, 0, 0, 0, NULL }, \
	{ "district", PARAM_SLUG, 0, 0, 0, NULL }, \
	{ "age", PARAM_ENUM, 0, 0, 0, desk_ages }, \
	{ "sort", PARAM_ENUM, 0, 0, 0, desk_sorts }, \
	{ "after", PARAM_TEXT, 0, 7, 80, NULL }

static const struct param_spec moderation_page_params[] = {
	DESK_VIEW_PARAMS,
	{ "alle", PARAM_ENUM, 0, 0, 0, desk_all },
	{ "entscheiden", PARAM_INT, 0, 1, ID_MAX, NULL },
	{ "erledigt", PARAM_INT, 0, 1, ID_MAX, NULL },
	{ "rueckgaengig", PARAM_INT, 0, 1, ID_MAX, NULL },
	{ NULL }
};

/*
 * Where a decision's form came from: a view of the desk and the row
 * (item) whose form it was, or an idea's page (back).
 */
static const struct param_spec decision_page_params[] = {
	DESK_VIEW_PARAMS,
	{ "item", PARAM_INT, 0, 1, ID_MAX, NULL },
	{ "back", PARAM_INT, 0, 1, ID_MAX, NULL },
	{ NULL }
};

static const struct param_spec undo_page_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	DESK_VIEW_PARAMS,
	{ NULL }
};

static const char *const saved[] = { "1", NULL };

static const struct param_spec moderation_edit_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "gespeichert", PARAM_ENUM, 0, 0, 0, saved },
	{ NULL }
};

/* Surveys. */
static const char *const survey_channels[] = { "online", "paper", "phone",
	"in_person", NULL };
static const char *const code_formats[] = { "json", "csv", NULL };

static const struct param_spec surveys_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "status", PARAM_ENUM, 0, 0, 0, surveys_statuses },
	{ "after", PARAM_INT, 0, 1, ID_MAX, NULL },
	{ "limit", PARAM_INT, 0, 1, 100, NULL },
	{ NULL }
};

static const struct param_spec survey_codes_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "format", PARAM_ENUM, 0, 0, 0, code_formats },
	{ NULL }
};

static const struct param_spec survey_results_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "channel", PARAM_ENUM, 0, 0, 0, survey_channels },
	{ "district", PARAM_SLUG, 0, 0, 0, NULL },
	{ NULL }
};

/* The forum dashboard: months, a filter, the planners' internal view. */
static const char *const stats_internal[] = { "0", "1", NULL };

static const struct param_spec stats_params[] = {
	{ "from", PARAM_TEXT, 0, 1, 16, NULL },
	{ "to", PARAM_TEXT, 0, 1, 16, NULL },
	{ "field", PARAM_SLUG, 0, 0, 0, NULL },
	{ "district", PARAM_SLUG, 0, 0, 0, NULL },
	{ "internal", PARAM_ENUM, 0, 0, 0, stats_internal },
	{ NULL }
};

static const struct param_spec stats_page_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "from", PARAM_TEXT, 0, 1, 16, NULL },
	{ "to", PARAM_TEXT, 0, 1, 16, NULL },
	{ "field", PARAM_SLUG, 0, 0, 0, NULL },
	{ "district", PARAM_SLUG, 0, 0, 0, NULL },
	{ "internal", PARAM_ENUM, 0, 0, 0, stats_internal },
	{ NULL }
};

/* The planners' pages: a survey's preview by page, codes as CSV. */
static const char *const page_code_formats[] = { "csv", NULL };

static const struct param_spec planning_preview_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "seite", PARAM_INT, 0, 1, SURVEY_PAGES_MAX, NULL },
	{ NULL }
};

static const struct param_spec planning_codes_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "format", PARAM_ENUM, 0, 0, 0, page_code_formats },
	{ NULL }
};

static const struct param_spec asset_params[] = {
	{ "name", PARAM_TEXT, 1, 1, 64, NULL },
	{ "v", PARAM_TEXT, 0, 1, 32, NULL },
	{ NULL }
};

/* Surveys: a planner's export of the responses. */
static const struct param_spec survey_export_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "format", PARAM_ENUM, 0, 0, 0, export_formats },
	{ "dialect", PARAM_ENUM, 0, 0, 0, export_dialects },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

/* Defect reports. */
static const struct param_spec category_code_params[] = {
	{ "code", PARAM_SLUG, 1, 0, 0, NULL },
	{ NULL }
};

static const char *const defect_status_filter[] = { "open", "acknowledged",
	"in_progress", "resolved", "not_responsible", "duplicate", "rejected",
	"closed", "unresolved", NULL };
static const char *const queue_status_filter[] = { "open", "acknowledged",
	"in_progress", "resolved", "not_responsible", "duplicate", "rejected",
	"closed", "all", NULL };
static const char *const yes[] = { "true", "1", NULL };
/* The queues' age filter (older than n days) and orders. */
static const char *const queue_ages[] = { "1", "3", "7", NULL };
static const char *const queue_sorts[] = { "oldest", "newest", "supports",
	NULL };
static const char *const defect_moderation_sorts[] = { "oldest", "newest",
	NULL };
static const char *const defect_moderation_tabs[] = { "texts", "messages",
	"photos", NULL };
static const char *const photo_sizes[] = { "thumb", NULL };
static const char *const defect_body_types[] = { "application/json",
	FORM_TYPE, "multipart/form-data", NULL };

static const struct param_spec defects_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "category", PARAM_SLUG, 0, 0, 0, NULL },
	{ "status", PARAM_ENUM, 0, 0, 0, defect_status_filter },
	{ "district", PARAM_SLUG, 0, 0, 0, NULL },
	{ "department", PARAM_SLUG, 0, 0, 0, NULL },
	{ "after", PARAM_INT, 0, 1, ID_MAX, NULL },
	{ "limit", PARAM_INT, 0, 1, 100, NULL },
	{ NULL }
};

static const struct param_spec defects_geojson_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "bbox", PARAM_TEXT, 0, 7, 100, NULL },
	{ "category", PARAM_SLUG, 0, 0, 0, NULL },
	{ "status", PARAM_ENUM, 0, 0, 0, defect_status_filter },
	{ "after", PARAM_INT, 0, 1, ID_MAX, NULL },
	{ "limit", PARAM_INT, 0, 1, 1000, NULL },
	{ NULL }
};

static const struct param_spec defects_nearby_params[] = {
	{ "category", PARAM_SLUG, 1, 0, 0, NULL },
	{ "lat", PARAM_TEXT, 1, 1, 20, NULL },
	{ "lon", PARAM_TEXT, 1, 1, 20, NULL },
	{ NULL }
};

static const struct param_spec defect_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

static const struct param_spec defect_photo_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "n", PARAM_INT, 1, 1, 3, NULL },
	{ "size", PARAM_ENUM, 0, 0, 0, photo_sizes },
	{ "token", PARAM_TEXT, 0, 1, 64, NULL },
	{ NULL }
};

static const struct param_spec defect_token_params[] = {
	{ "token", PARAM_TEXT, 1, 1, 64, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

static const struct param_spec staff_defects_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "department", PARAM_SLUG, 0, 0, 0, NULL },
	{ "status", PARAM_ENUM, 0, 0, 0, queue_status_filter },
	{ "category", PARAM_SLUG, 0, 0, 0, NULL },
	{ "overdue", PARAM_ENUM, 0, 0, 0, yes },
	{ "district", PARAM_SLUG, 0, 0, 0, NULL },
	{ "age", PARAM_ENUM, 0, 0, 0, queue_ages },
	{ "sort", PARAM_ENUM, 0, 0, 0, queue_sorts },
	{ "after", PARAM_TEXT, 0, 1, 64, NULL },
	{ "limit", PARAM_INT, 0, 1, 200, NULL },
	{ NULL }
};

static const struct param_spec moderation_defects_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "category", PARAM_SLUG, 0, 0, 0, NULL },
	{ "district", PARAM_SLUG, 0, 0, 0, NULL },
	{ "age", PARAM_ENUM, 0, 0, 0, queue_ages },
	{ "sort", PARAM_ENUM, 0, 0, 0, defect_moderation_sorts },
	{ "limit", PARAM_INT, 0, 1, 200, NULL },
	{ NULL }
};

/* /moderation/maengel: a tab at a time, paged by the desk's cursor. */
static const struct param_spec defect_moderation_page_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "tab", PARAM_ENUM, 0, 0, 0, defect_moderation_tabs },
	{ "category", PARAM_SLUG, 0, 0, 0, NULL },
	{ "district", PARAM_SLUG, 0, 0, 0, NULL },
	{ "age", PARAM_ENUM, 0, 0, 0, queue_ages },
	{ "sort", PARAM_ENUM, 0, 0, 0, defect_moderation_sorts },
	{ "after", PARAM_TEXT, 0, 1, 64, NULL },
	{ NULL }
};

/*
 * Open311 (README "Open311"): every route takes jurisdiction_id (one
 * jurisdiction per server, so it selects nothing) and lang.  A path
 * segment with an id carries the format too ("7.json"): the handler
 * splits it; the fixed paths have a route per format.
 */
static const struct param_spec open311_params[] = {
	{ "jurisdiction_id", PARAM_TEXT, 0, 1, 128, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

static const struct param_spec open311_code_params[] = {
	{ "code", PARAM_TEXT, 1, 1, 80, NULL },
	{ "jurisdiction_id", PARAM_TEXT, 0, 1, 128, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

static const struct param_spec open311_id_params[] = {
	{ "id", PARAM_TEXT, 1, 1, 80, NULL },
	{ "jurisdiction_id", PARAM_TEXT, 0, 1, 128, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

static const struct param_spec open311_token_params[] = {
	{ "token", PARAM_TEXT, 1, 1, 80, NULL },
	{ "jurisdiction_id", PARAM_TEXT, 0, 1, 128, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

/* The filters are checked by the handler, which names what is wrong. */
static const struct param_spec open311_list_params[] = {
	{ "service_request_id", PARAM_TEXT, 0, 1, 2000, NULL },
	{ "service_code", PARAM_TEXT, 0, 1, 2000, NULL },
	{ "start_date", PARAM_TEXT, 0, 1, 40, NULL },
	{ "end_date", PARAM_TEXT, 0, 1, 40, NULL },
	{ "status", PARAM_TEXT, 0, 1, 20, NULL },
	{ "page", PARAM_INT, 0, 1, 1000000, NULL },
	{ "page_size", PARAM_INT, 0, 1, 1000, NULL },
	{ "jurisdiction_id", PARAM_TEXT, 0, 1, 128, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

/* The body is the handler's (attribute[code][] repeats); some clients
 * send the key in the query string. */
static const struct param_spec open311_post_params[] = {
	{ "api_key", PARAM_TEXT, 0, 1, 128, NULL },
	{ "jurisdiction_id", PARAM_TEXT, 0, 1, 128, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

static const struct param_spec open311_key_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ NULL }
};

/* Defect pages. */
static const char *const defect_form_types[] = { FORM_TYPE,
	"multipart/form-data", NULL };
static const char *const overdue_only[] = { "1", NULL };
static const char *const fresh_flag[] = { "1", NULL };

static const struct param_spec defects_page_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "category", PARAM_SLUG, 0, 0, 0, NULL },
	{ "status", PARAM_ENUM, 0, 0, 0, defects_statuses },
	{ "district", PARAM_SLUG, 0, 0, 0, NULL },
	{ "after", PARAM_INT, 0, 1, ID_MAX, NULL },
	{ NULL }
};

/* Step 1 of the report form sends where and what in the query. */
static const struct param_spec defect_new_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "schritt", PARAM_INT, 0, 1, 2, NULL },
	{ "category", PARAM_TEXT, 0, 1, 64, NULL },
	{ "lat", PARAM_TEXT, 0, 1, 32, NULL },
	{ "lon", PARAM_TEXT, 0, 1, 32, NULL },
	{ "address", PARAM_TEXT, 0, 1, 400, NULL },
	{ NULL }
};

static const struct param_spec defect_status_params[] = {
	{ "token", PARAM_TEXT, 1, 1, 64, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "neu", PARAM_ENUM, 0, 0, 0, fresh_flag },
	{ NULL }
};

/* A form of the status page names the report it is about (?id=). */
static const struct param_spec defect_status_form_params[] = {
	{ "token", PARAM_TEXT, 1, 1, 64, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "id", PARAM_INT, 0, 1, ID_MAX, NULL },
	{ NULL }
};

static const struct param_spec staff_queue_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "status", PARAM_ENUM, 0, 0, 0, queue_status_filter },
	{ "category", PARAM_SLUG, 0, 0, 0, NULL },
	{ "overdue", PARAM_ENUM, 0, 0, 0, overdue_only },
	{ "department", PARAM_SLUG, 0, 0, 0, NULL },
	{ "district", PARAM_SLUG, 0, 0, 0, NULL },
	{ "age", PARAM_ENUM, 0, 0, 0, queue_ages },
	{ "sort", PARAM_ENUM, 0, 0, 0, queue_sorts },
	{ "after", PARAM_TEXT, 0, 1, 64, NULL },
	{ NULL }
};

/* The project registry. */
static const struct param_spec projects_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "field", PARAM_SLUG, 0, 0, 0, NULL },
	{ "goal", PARAM_SLUG, 0, 0, 0, NULL },
	{ "status", PARAM_ENUM, 0, 0, 0, projects_statuses },
	{ "page", PARAM_INT, 0, 1, 10000, NULL },
	{ NULL }
};

static const struct param_spec criterion_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "cid", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ NULL }
};

static const struct param_spec measurement_params[] = {
	{ "id", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "cid", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ "mid", PARAM_INT, 1, 1, ID_MAX, NULL },
	{ NULL }
};

/* The site's own pages and files (issue 16). */
static const char *const saved_flag[] = { "1", NULL };
static const char *const logo_form_types[] = { "multipart/form-data",
	NULL };

static const struct param_spec version_params[] = {
	{ "v", PARAM_TEXT, 0, 1, 24, NULL },
	{ NULL }
};

static const struct param_spec slug_key_params[] = {
	{ "key", PARAM_TEXT, 1, 1, 32, NULL },
	{ NULL }
};

static const struct param_spec saved_page_params[] = {
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "gespeichert", PARAM_ENUM, 0, 0, 0, saved_flag },
	{ NULL }
};

/* The handler answers 404 for a key that names no text. */
static const struct param_spec text_key_params[] = {
	{ "key", PARAM_TEXT, 1, 1, 32, NULL },
	{ "lang", PARAM_ENUM, 0, 0, 0, langs },
	{ "gespeichert", PARAM_ENUM, 0, 0, 0, saved_flag },
	{ NULL }
};

static const struct route routes[] = {
	{ M_GET, "/", ROUTE_PAGE, NULL, &op_index, page_params, NULL,
	    AUTH_OPTIONAL, 0 },
	{ M_GET, "/registrieren", ROUTE_PAGE, page_register, NULL,
	    signin_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/registrieren", ROUTE_PAGE, page_register_post, NULL,
	    page_params, form_types, AUTH_OPTIONAL, 0 },
	{ M_GET, "/anmelden", ROUTE_PAGE, page_login, NULL, signin_params,
	    NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/anmelden", ROUTE_PAGE, page_login_post, NULL, page_params,
	    form_types, AUTH_OPTIONAL, 0 },
	{ M_POST, "/abmelden", ROUTE_PAGE, page_logout_post, NULL, page_params,
	    form_types, AUTH_REQUIRED, 0 },
	{ M_GET, "/bestaetigen", ROUTE_PAGE, page_verify, NULL,
	    token_page_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/bestaetigen", ROUTE_PAGE, page_verify_post, NULL,
	    page_params, form_types, AUTH_OPTIONAL, 0 },
	{ M_GET, "/passwort-vergessen", ROUTE_PAGE, page_reset_request, NULL,
	    page_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/passwort-vergessen", ROUTE_PAGE, page_reset_request_post,
	    NULL, page_params, form_types, AUTH_OPTIONAL, 0 },
	{ M_GET, "/passwort-neu", ROUTE_PAGE, page_reset, NULL,
	    token_page_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/passwort-neu", ROUTE_PAGE, page_reset_post, NULL,
	    page_params, form_types, AUTH_OPTIONAL, 0 },
	{ M_GET, "/konto", ROUTE_PAGE, page_account, NULL, page_params, NULL,
	    AUTH_REQUIRED, 0 },
	{ M_POST, "/konto/pseudonym", ROUTE_PAGE, page_pseudonym_post, NULL,
	    page_params, form_types, AUTH_REQUIRED, 0 },
	{ M_POST, "/konto/sitzungen/beenden", ROUTE_PAGE,
	    page_sessions_end_post, NULL, page_params, form_types,
	    AUTH_REQUIRED, 0 },
	{ M_POST, "/konto/sitzungen/{id}/beenden", ROUTE_PAGE,
	    page_session_end_post, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, 0 },
	{ M_POST, "/konto/loeschen", ROUTE_PAGE, page_erase_post, NULL,
	    page_params, form_types, AUTH_REQUIRED, 0 },
	{ M_GET, "/konto/beitraege", ROUTE_PAGE, page_contributions, NULL,
	    contributions_page_params, NULL, AUTH_REQUIRED, 0 },
	{ M_GET, "/konto/export", ROUTE_PAGE, page_export, NULL, page_params,
	    NULL, AUTH_REQUIRED, 0 },
	{ M_GET, "/konto/benachrichtigungen", ROUTE_PAGE, page_notifications,
	    NULL, notifications_params, NULL, AUTH_REQUIRED, 0 },
	{ M_POST, "/konto/benachrichtigungen", ROUTE_PAGE,
	    page_notifications_post, NULL, page_params, form_types,
	    AUTH_REQUIRED, 0 },
	/* Signed out, from a mail: the link's token is the credential. */
	{ M_GET, "/abbestellen", ROUTE_PAGE, page_unsubscribe, NULL,
	    unsubscribe_params, NULL, AUTH_NONE, 0 },
	{ M_POST, "/abbestellen", ROUTE_PAGE, page_unsubscribe_post, NULL,
	    unsubscribe_params, unsubscribe_types, AUTH_NONE, 0 },
	{ M_GET, "/ideen", ROUTE_PAGE, page_ideas, NULL, ideas_params, NULL,
	    AUTH_OPTIONAL, 0 },
	/* Before /ideen/{id}, which would take "neu" for an id. */
	{ M_GET, "/ideen/neu", ROUTE_PAGE, page_idea_new, NULL, page_params,
	    NULL, AUTH_REQUIRED, 0 },
	{ M_POST, "/ideen/neu", ROUTE_PAGE, page_idea_new_post, NULL,
	    page_params, form_types, AUTH_REQUIRED, 0 },
	{ M_GET, "/ideen/{id}", ROUTE_PAGE, page_idea, NULL, idea_page_params,
	    NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/ideen/{id}/unterstuetzen", ROUTE_PAGE, page_support_post,
	    NULL, id_lang_params, form_types, AUTH_REQUIRED, 0 },
	{ M_POST, "/ideen/{id}/unterstuetzung-zurueckziehen", ROUTE_PAGE,
	    page_support_remove_post, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, 0 },
	{ M_POST, "/ideen/{id}/kommentare", ROUTE_PAGE, page_comment_post,
	    NULL, idea_page_params, form_types, AUTH_REQUIRED, 0 },
	{ M_POST, "/ideen/{id}/melden", ROUTE_PAGE, page_idea_flag_post, NULL,
	    id_lang_params, form_types, AUTH_REQUIRED, 0 },
	{ M_POST, "/kommentare/{id}/melden", ROUTE_PAGE,
	    page_comment_flag_post, NULL, comment_flag_page_params,
	    form_types, AUTH_REQUIRED, 0 },
	{ M_POST, "/ideen/{id}/status", ROUTE_PAGE, page_status_post, NULL,
	    id_lang_params, form_types, AUTH_REQUIRED,
	    ROLE_MODERATOR | ROLE_STAFF | ROLE_PLANNER },
	{ M_GET, "/moderation", ROUTE_PAGE, page_moderation, NULL,
	    moderation_page_params, NULL, AUTH_REQUIRED, ROLE_MODERATOR },
	{ M_POST, "/moderation/entscheidungen", ROUTE_PAGE, page_decision_post,
	    NULL, decision_page_params, form_types, AUTH_REQUIRED,
	    ROLE_MODERATOR },
	{ M_POST, "/moderation/entscheidungen/{id}/rueckgaengig", ROUTE_PAGE,
	    page_undo_post, NULL, undo_page_params, form_types, AUTH_REQUIRED,
	    ROLE_MODERATOR },
	{ M_GET, "/moderation/ideen/{id}/bearbeiten", ROUTE_PAGE,
	    page_edit_idea, NULL, moderation_edit_params, NULL, AUTH_REQUIRED,
	    ROLE_MODERATOR },
	{ M_POST, "/moderation/ideen/{id}/bearbeiten", ROUTE_PAGE,
	    page_edit_idea_post, NULL, moderation_edit_params, form_types,
	    AUTH_REQUIRED, ROLE_MODERATOR },
	{ M_GET, "/moderation/kommentare/{id}/bearbeiten", ROUTE_PAGE,
	    page_edit_comment, NULL, moderation_edit_params, NULL,
	    AUTH_REQUIRED, ROLE_MODERATOR },
	{ M_POST, "/moderation/kommentare/{id}/bearbeiten", ROUTE_PAGE,
	    page_edit_comment_post, NULL, moderation_edit_params, form_types,
	    AUTH_REQUIRED, ROLE_MODERATOR },
	{ M_GET, "/gremium", ROUTE_PAGE, page_board, NULL, ranking_params,
	    NULL, AUTH_REQUIRED, ROLE_BOARD },
	{ M_GET, "/gremium/ideen/{id}", ROUTE_PAGE, page_board_idea, NULL,
	    id_lang_params, NULL, AUTH_REQUIRED, ROLE_BOARD },
	{ M_POST, "/gremium/ideen/{id}", ROUTE_PAGE, page_assess_post, NULL,
	    id_lang_params, form_types, AUTH_REQUIRED, ROLE_BOARD },
	/* Surveys for respondents. */
	{ M_GET, "/umfragen", ROUTE_PAGE, page_surveys, NULL, page_params,
	    NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/umfragen/{id}", ROUTE_PAGE, page_survey, NULL,
	    id_lang_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/umfragen/{id}", ROUTE_PAGE, page_survey_post, NULL,
	    id_lang_params, form_types, AUTH_OPTIONAL, 0 },
	{ M_GET, "/umfragen/{id}/danke", ROUTE_PAGE, page_survey_done, NULL,
	    id_lang_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/umfragen/{id}/interaktiv", ROUTE_PAGE, page_survey_js,
	    NULL, id_lang_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/umfragen/{id}/ergebnisse", ROUTE_PAGE, page_survey_results,
	    NULL, survey_results_params, NULL, AUTH_OPTIONAL, 0 },
	/* Surveys for planners. */
	{ M_GET, "/planung/umfragen", ROUTE_PAGE, page_planning_surveys, NULL,
	    page_params, NULL, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/planung/umfragen", ROUTE_PAGE, page_planning_create, NULL,
	    page_params, form_types, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_GET, "/planung/umfragen/{id}", ROUTE_PAGE, page_planning_survey,
	    NULL, id_lang_params, NULL, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/planung/umfragen/{id}", ROUTE_PAGE, page_planning_save,
	    NULL, id_lang_params, form_types, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/planung/umfragen/{id}/oeffnen", ROUTE_PAGE,
	    page_planning_open, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/planung/umfragen/{id}/schliessen", ROUTE_PAGE,
	    page_planning_close, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/planung/umfragen/{id}/kopieren", ROUTE_PAGE,
	    page_planning_copy, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/planung/umfragen/{id}/codes", ROUTE_PAGE,
	    page_planning_codes, NULL, planning_codes_params, form_types,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_GET, "/planung/umfragen/{id}/vorschau", ROUTE_PAGE,
	    page_planning_preview, NULL, planning_preview_params, NULL,
	    AUTH_REQUIRED, ROLE_PLANNER },
	/* Defect pages: the public list and form, the reporter's status
	 * page by its private link, the departments' pages, moderation. */
	{ M_GET, "/maengel", ROUTE_PAGE, page_defects, NULL,
	    defects_page_params, NULL, AUTH_OPTIONAL, 0 },
	/* Before /maengel/{id}, which would take "neu" for an id. */
	{ M_GET, "/maengel/neu", ROUTE_PAGE, page_defect_new, NULL,
	    defect_new_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/maengel/neu", ROUTE_PAGE, page_defect_new_post, NULL,
	    page_params, defect_form_types, AUTH_OPTIONAL, 0 },
	{ M_GET, "/maengel/status/{token}", ROUTE_PAGE, page_defect_status,
	    NULL, defect_status_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/maengel/status/{token}/nachricht", ROUTE_PAGE,
	    page_defect_message_post, NULL, defect_status_form_params,
	    form_types,
	    AUTH_OPTIONAL, 0 },
	{ M_POST, "/maengel/status/{token}/rueckmeldung", ROUTE_PAGE,
	    page_defect_feedback_post, NULL, defect_status_form_params,
	    form_types,
	    AUTH_OPTIONAL, 0 },
	{ M_POST, "/maengel/status/{token}/email-loeschen", ROUTE_PAGE,
	    page_defect_email_erase_post, NULL, token_page_params,
	    form_types, AUTH_OPTIONAL, 0 },
	{ M_GET, "/maengel/{id}", ROUTE_PAGE, page_defect, NULL,
	    id_lang_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/maengel/{id}/unterstuetzen", ROUTE_PAGE,
	    page_defect_support_post, NULL, id_lang_params, form_types,
	    AUTH_OPTIONAL, 0 },
	{ M_GET, "/fachbereich", ROUTE_PAGE, page_staff_queue, NULL,
	    staff_queue_params, NULL, AUTH_REQUIRED, ROLE_STAFF | ROLE_ADMIN },
	{ M_GET, "/fachbereich/maengel/{id}", ROUTE_PAGE, page_staff_defect,
	    NULL, id_lang_params, NULL, AUTH_REQUIRED,
	    ROLE_STAFF | ROLE_ADMIN },
	{ M_POST, "/fachbereich/maengel/{id}/status", ROUTE_PAGE,
	    page_staff_status_post, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, ROLE_STAFF | ROLE_ADMIN },
	{ M_POST, "/fachbereich/maengel/{id}/fachbereich", ROUTE_PAGE,
	    page_staff_department_post, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, ROLE_STAFF | ROLE_ADMIN },
	{ M_POST, "/fachbereich/maengel/{id}/nachricht", ROUTE_PAGE,
	    page_staff_reply_post, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, ROLE_STAFF | ROLE_ADMIN },
	{ M_GET, "/moderation/maengel", ROUTE_PAGE, page_defect_moderation,
	    NULL, defect_moderation_page_params, NULL, AUTH_REQUIRED,
	    ROLE_MODERATOR },
	{ M_POST, "/moderation/maengel/fotos/{id}", ROUTE_PAGE,
	    page_defect_photo_post, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, ROLE_MODERATOR },
	/* Before /assets/{name}: files made from the site's settings. */
	{ M_GET, "/assets/site.css", ROUTE_PAGE, site_css, NULL,
	    version_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/assets/icon.svg", ROUTE_PAGE, site_icon_svg, NULL,
	    version_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/assets/logo", ROUTE_PAGE, site_logo, NULL, version_params,
	    NULL, AUTH_NONE, 0 },
	{ M_GET, "/favicon.ico", ROUTE_PAGE, site_favicon, NULL,
	    version_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/impressum", ROUTE_PAGE, page_impressum, NULL, page_params,
	    NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/datenschutz", ROUTE_PAGE, page_datenschutz, NULL,
	    page_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/barrierefreiheit", ROUTE_PAGE, page_barrierefreiheit, NULL,
	    page_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/barrierefreiheit", ROUTE_PAGE, page_barrierefreiheit_post,
	    NULL, page_params, form_types, AUTH_OPTIONAL, 0 },
	{ M_GET, "/leichte-sprache", ROUTE_PAGE, page_leichte_sprache, NULL,
	    page_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/gebaerdensprache", ROUTE_PAGE, page_gebaerdensprache, NULL,
	    page_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/verwaltung/texte", ROUTE_PAGE, page_admin_texts, NULL,
	    page_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/verwaltung/texte/{key}", ROUTE_PAGE, page_admin_text, NULL,
	    text_key_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/texte/{key}", ROUTE_PAGE, page_admin_text_post,
	    NULL, text_key_params, form_types, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/verwaltung/auftritt", ROUTE_PAGE, page_admin_branding, NULL,
	    saved_page_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/auftritt", ROUTE_PAGE, page_admin_branding_post,
	    NULL, page_params, form_types, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/auftritt/logo", ROUTE_PAGE,
	    page_admin_logo_post, NULL, page_params, logo_form_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/auftritt/logo-entfernen", ROUTE_PAGE,
	    page_admin_logo_delete_post, NULL, page_params, form_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/api/v1/site", ROUTE_API, NULL, &op_site, no_params, NULL,
	    AUTH_NONE, 0 },
	{ M_PUT, "/api/v1/admin/site", ROUTE_API, api_site_put, NULL,
	    no_params, body_types, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_PUT, "/api/v1/admin/site/texts/{key}", ROUTE_API,
	    api_site_text_put, NULL, slug_key_params, body_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_PUT, "/api/v1/admin/site/logo", ROUTE_API, api_site_logo_put,
	    NULL, no_params, logo_form_types, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_DELETE, "/api/v1/admin/site/logo", ROUTE_API,
	    api_site_logo_delete, NULL, no_params, NULL, AUTH_REQUIRED,
	    ROLE_ADMIN },
	{ M_GET, "/assets/{name}", ROUTE_PAGE, assets_serve, NULL,
	    asset_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/healthz", ROUTE_OPS, ops_healthz, NULL, no_params, NULL,
	    AUTH_NONE, 0 },
	{ M_GET, "/readyz", ROUTE_OPS, NULL, &op_ready, no_params, NULL,
	    AUTH_NONE, 0 },
	{ M_GET, "/metrics", ROUTE_OPS, ops_metrics, NULL, no_params, NULL,
	    AUTH_NONE, 0 },
	{ M_GET, "/api/v1/openapi.json", ROUTE_API, assets_openapi, NULL,
	    no_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/api/v1/fields", ROUTE_API, NULL, &op_fields, no_params,
	    NULL, AUTH_NONE, 0 },
	{ M_GET, "/api/v1/fields/{slug}", ROUTE_API, NULL, &op_field,
	    slug_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/api/v1/goals", ROUTE_API, NULL, &op_goals, no_params,
	    NULL, AUTH_NONE, 0 },
	{ M_GET, "/api/v1/districts", ROUTE_API, NULL, &op_districts,
	    no_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/api/v1/categories", ROUTE_API, NULL, &op_categories,
	    category_params, NULL, AUTH_NONE, 0 },
	{ M_PUT, "/api/v1/admin/categories/{code}", ROUTE_API,
	    api_category_put, NULL, category_code_params, body_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_PUT, "/api/v1/admin/fields/{slug}", ROUTE_API, api_field_put,
	    NULL, slug_params, body_types, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_PUT, "/api/v1/admin/goals/{slug}", ROUTE_API, api_goal_put,
	    NULL, slug_params, body_types, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/api/v1/admin/districts", ROUTE_API, api_district_create,
	    NULL, no_params, body_types, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_PUT, "/api/v1/admin/districts/{slug}", ROUTE_API,
	    api_district_put, NULL, slug_params, body_types, AUTH_REQUIRED,
	    ROLE_ADMIN },
	{ M_GET, "/verwaltung/taxonomie", ROUTE_PAGE, page_admin_taxonomy,
	    NULL, admin_page_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/verwaltung/taxonomie/felder/{slug}", ROUTE_PAGE,
	    page_admin_field, NULL, admin_slug_params, NULL, AUTH_REQUIRED,
	    ROLE_ADMIN },
	{ M_POST, "/verwaltung/taxonomie/felder/{slug}", ROUTE_PAGE,
	    page_admin_field_post, NULL, admin_slug_params, form_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/verwaltung/taxonomie/ziele/{slug}", ROUTE_PAGE,
	    page_admin_goal, NULL, admin_slug_params, NULL, AUTH_REQUIRED,
	    ROLE_ADMIN },
	{ M_POST, "/verwaltung/taxonomie/ziele/{slug}", ROUTE_PAGE,
	    page_admin_goal_post, NULL, admin_slug_params, form_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/taxonomie/bezirke", ROUTE_PAGE,
	    page_admin_district_add_post, NULL, admin_page_params, form_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/verwaltung/taxonomie/bezirke/{slug}", ROUTE_PAGE,
	    page_admin_district, NULL, admin_slug_params, NULL, AUTH_REQUIRED,
	    ROLE_ADMIN },
	{ M_POST, "/verwaltung/taxonomie/bezirke/{slug}", ROUTE_PAGE,
	    page_admin_district_post, NULL, admin_slug_params, form_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/taxonomie/bezirke/{slug}/aktiv", ROUTE_PAGE,
	    page_admin_district_active_post, NULL, admin_slug_params,
	    form_types, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/verwaltung/kategorien", ROUTE_PAGE, page_admin_categories,
	    NULL, admin_page_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/verwaltung/kategorien/{code}", ROUTE_PAGE,
	    page_admin_category, NULL, admin_code_params, NULL, AUTH_REQUIRED,
	    ROLE_ADMIN },
	{ M_POST, "/verwaltung/kategorien/{code}", ROUTE_PAGE,
	    page_admin_category_post, NULL, admin_code_params, form_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/api/v1/csp-reports", ROUTE_API, ops_csp_report, NULL,
	    no_params, csp_types, AUTH_NONE, 0 },

	{ M_POST, "/api/v1/accounts", ROUTE_API, api_register, NULL, no_params,
	    body_types, AUTH_OPTIONAL, 0 },
	{ M_POST, "/api/v1/accounts/verify", ROUTE_API, api_verify, NULL,
	    no_params, body_types, AUTH_OPTIONAL, 0 },
	{ M_POST, "/api/v1/session", ROUTE_API, api_login, NULL, no_params,
	    body_types, AUTH_OPTIONAL, 0 },
	{ M_DELETE, "/api/v1/session", ROUTE_API, api_logout, NULL, no_params,
	    NULL, AUTH_REQUIRED, 0 },
	{ M_POST, "/api/v1/password-reset", ROUTE_API, api_reset_request, NULL,
	    no_params, body_types, AUTH_OPTIONAL, 0 },
	{ M_POST, "/api/v1/password-reset/confirm", ROUTE_API,
	    api_reset_confirm, NULL, no_params, body_types, AUTH_OPTIONAL, 0 },
	{ M_GET, "/api/v1/me", ROUTE_API, api_me, NULL, no_params, NULL,
	    AUTH_REQUIRED, 0 },
	{ M_PATCH, "/api/v1/me", ROUTE_API, api_me_update, NULL, no_params,
	    body_types, AUTH_REQUIRED, 0 },
	{ M_DELETE, "/api/v1/me", ROUTE_API, api_erase, NULL, no_params, NULL,
	    AUTH_REQUIRED, 0 },
	{ M_GET, "/api/v1/me/export", ROUTE_API, api_export, NULL, no_params,
	    NULL, AUTH_REQUIRED, 0 },
	{ M_GET, "/api/v1/me/contributions", ROUTE_API, api_contributions,
	    NULL, contributions_params, NULL, AUTH_REQUIRED, 0 },
	{ M_GET, "/api/v1/me/notifications", ROUTE_API, NULL,
	    &op_notifications, no_params, NULL, AUTH_REQUIRED, 0 },
	{ M_PATCH, "/api/v1/me/notifications", ROUTE_API,
	    api_notifications_update, NULL, no_params, body_types,
	    AUTH_REQUIRED, 0 },
	{ M_POST, "/api/v1/me/consent-code", ROUTE_API, api_consent_code,
	    NULL, no_params, NULL, AUTH_REQUIRED, 0 },
	{ M_GET, "/api/v1/me/sessions", ROUTE_API, NULL, &op_sessions,
	    no_params, NULL, AUTH_REQUIRED, 0 },
	{ M_DELETE, "/api/v1/me/sessions", ROUTE_API, api_logout_all, NULL,
	    no_params, NULL, AUTH_REQUIRED, 0 },
	{ M_DELETE, "/api/v1/me/sessions/{id}", ROUTE_API, NULL,
	    &op_session_revoke, session_id_params, NULL, AUTH_REQUIRED, 0 },
	{ M_GET, "/api/v1/admin/accounts", ROUTE_API, NULL, &op_admin_accounts,
	    admin_accounts_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_PUT, "/api/v1/admin/accounts/{id}/roles/{role}", ROUTE_API,
	    api_role_grant, NULL, role_params, body_types, AUTH_REQUIRED,
	    ROLE_ADMIN },
	{ M_DELETE, "/api/v1/admin/accounts/{id}/roles/{role}", ROUTE_API,
	    api_role_revoke, NULL, role_params, NULL, AUTH_REQUIRED,
	    ROLE_ADMIN },
	/* The administration in the browser: admins only. */
	{ M_GET, "/verwaltung", ROUTE_PAGE, page_admin, NULL,
	    admin_page_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/verwaltung/konten", ROUTE_PAGE, page_admin_accounts, NULL,
	    admin_accounts_page_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/verwaltung/konten/{id}", ROUTE_PAGE, page_admin_account,
	    NULL, admin_id_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/konten/{id}/rollen", ROUTE_PAGE,
	    page_admin_role_grant_post, NULL, admin_id_params, form_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/konten/{id}/rollen/entziehen", ROUTE_PAGE,
	    page_admin_role_revoke_post, NULL, admin_id_params, form_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/verwaltung/einstellungen", ROUTE_PAGE, page_admin_settings,
	    NULL, admin_page_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/einstellungen", ROUTE_PAGE,
	    page_admin_settings_post, NULL, admin_page_params, form_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/verwaltung/kriterien", ROUTE_PAGE, page_admin_criteria,
	    NULL, admin_page_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/kriterien", ROUTE_PAGE,
	    page_admin_criterion_new_post, NULL, admin_page_params,
	    form_types, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/kriterien/{slug}", ROUTE_PAGE,
	    page_admin_criterion_post, NULL, admin_slug_params, form_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/api/v1/admin/settings", ROUTE_API, NULL, &op_settings,
	    no_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_PUT, "/api/v1/admin/settings", ROUTE_API, api_settings_put, NULL,
	    no_params, json_types, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_PUT, "/api/v1/admin/criteria/{slug}", ROUTE_API,
	    api_criterion_put, NULL, slug_params, json_types,
	    AUTH_REQUIRED, ROLE_ADMIN },

	{ M_GET, "/api/v1/ideas", ROUTE_API, api_ideas, NULL, ideas_params,
	    NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/api/v1/ideas", ROUTE_API, api_idea_create, NULL,
	    no_params, body_types, AUTH_REQUIRED, 0 },
	{ M_GET, "/api/v1/ideas.geojson", ROUTE_API, NULL, &op_ideas_geojson,
	    geojson_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/api/v1/ideas/similar", ROUTE_API, NULL, &op_ideas_similar,
	    similar_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/api/v1/ideas/{id}", ROUTE_API, api_idea, NULL,
	    id_lang_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/api/v1/ideas/{id}/supports", ROUTE_API, api_support_add,
	    NULL, session_id_params, NULL, AUTH_REQUIRED, 0 },
	{ M_DELETE, "/api/v1/ideas/{id}/supports", ROUTE_API,
	    api_support_remove, NULL, session_id_params, NULL, AUTH_REQUIRED,
	    0 },
	{ M_GET, "/api/v1/ideas/{id}/comments", ROUTE_API, api_idea_comments,
	    NULL, comments_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/api/v1/ideas/{id}/comments", ROUTE_API,
	    api_comment_create, NULL, session_id_params, body_types,
	    AUTH_REQUIRED, 0 },
	{ M_POST, "/api/v1/ideas/{id}/flags", ROUTE_API, api_idea_flag, NULL,
	    session_id_params, body_types, AUTH_REQUIRED, 0 },
	{ M_GET, "/api/v1/comments/{id}", ROUTE_API, api_comment, NULL,
	    session_id_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/api/v1/comments/{id}/flags", ROUTE_API, api_comment_flag,
	    NULL, session_id_params, body_types, AUTH_REQUIRED, 0 },
	{ M_POST, "/api/v1/ideas/{id}/status", ROUTE_API, api_idea_status,
	    NULL, id_lang_params, body_types, AUTH_REQUIRED,
	    ROLE_MODERATOR | ROLE_STAFF | ROLE_PLANNER },
	{ M_GET, "/api/v1/ideas/{id}/assessments", ROUTE_API, NULL,
	    &op_assessments, id_lang_params, NULL, AUTH_REQUIRED, ROLE_BOARD },
	{ M_PUT, "/api/v1/ideas/{id}/assessment", ROUTE_API, api_assess, NULL,
	    id_lang_params, body_types, AUTH_REQUIRED, ROLE_BOARD },
	{ M_GET, "/api/v1/board/ranking", ROUTE_API, NULL, &op_board_ranking,
	    ranking_params, NULL, AUTH_REQUIRED, ROLE_BOARD },
	{ M_GET, "/api/v1/board/criteria", ROUTE_API, NULL, &op_criteria,
	    no_params, NULL, AUTH_REQUIRED, ROLE_BOARD | ROLE_ADMIN },

	{ M_GET, "/api/v1/moderation/queue", ROUTE_API, NULL,
	    &op_moderation_queue, queue_params, NULL, AUTH_REQUIRED,
	    ROLE_MODERATOR },
	{ M_POST, "/api/v1/moderation/decisions", ROUTE_API,
	    api_moderation_decide, NULL, no_params, body_types, AUTH_REQUIRED,
	    ROLE_MODERATOR },
	{ M_POST, "/api/v1/moderation/decisions/{id}/undo", ROUTE_API,
	    api_moderation_undo, NULL, session_id_params, body_types,
	    AUTH_REQUIRED, ROLE_MODERATOR },
	{ M_PATCH, "/api/v1/moderation/ideas/{id}", ROUTE_API,
	    api_moderation_edit_idea, NULL, session_id_params, body_types,
	    AUTH_REQUIRED, ROLE_MODERATOR },
	{ M_PATCH, "/api/v1/moderation/comments/{id}", ROUTE_API,
	    api_moderation_edit_comment, NULL, session_id_params, body_types,
	    AUTH_REQUIRED, ROLE_MODERATOR },
	{ M_GET, "/api/v1/moderation/log", ROUTE_API, NULL,
	    &op_moderation_log, log_params, NULL, AUTH_REQUIRED,
	    ROLE_MODERATOR | ROLE_ADMIN },
	{ M_GET, "/api/v1/moderation/reasons", ROUTE_API, NULL,
	    &op_moderation_reasons, page_params, NULL, AUTH_NONE, 0 },

	{ M_GET, "/api/v1/surveys", ROUTE_API, api_surveys, NULL,
	    surveys_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/api/v1/surveys", ROUTE_API, api_survey_create, NULL,
	    page_params, json_types, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_GET, "/api/v1/surveys/{id}", ROUTE_API, api_survey, NULL,
	    id_lang_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_PUT, "/api/v1/surveys/{id}", ROUTE_API, api_survey_update, NULL,
	    id_lang_params, json_types, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/api/v1/surveys/{id}/copy", ROUTE_API, api_survey_copy,
	    NULL, id_lang_params, NULL, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/api/v1/surveys/{id}/open", ROUTE_API, api_survey_open,
	    NULL, id_lang_params, NULL, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/api/v1/surveys/{id}/close", ROUTE_API, api_survey_close,
	    NULL, id_lang_params, NULL, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/api/v1/surveys/{id}/responses", ROUTE_API,
	    api_survey_respond, NULL, session_id_params, json_types,
	    AUTH_OPTIONAL, 0 },
	{ M_GET, "/api/v1/surveys/{id}/draft", ROUTE_API, api_survey_draft,
	    NULL, session_id_params, NULL, AUTH_REQUIRED, 0 },
	{ M_PUT, "/api/v1/surveys/{id}/draft", ROUTE_API,
	    api_survey_draft_put, NULL, session_id_params, json_types,
	    AUTH_REQUIRED, 0 },
	{ M_DELETE, "/api/v1/surveys/{id}/draft", ROUTE_API,
	    api_survey_draft_delete, NULL, session_id_params, NULL,
	    AUTH_REQUIRED, 0 },
	{ M_POST, "/api/v1/surveys/{id}/codes", ROUTE_API, api_survey_codes,
	    NULL, survey_codes_params, json_types, AUTH_REQUIRED,
	    ROLE_PLANNER },
	{ M_GET, "/api/v1/surveys/{id}/results", ROUTE_API,
	    api_survey_results, NULL, survey_results_params, NULL,
	    AUTH_OPTIONAL, 0 },

	/* Defect reports: the public, reporters, departments, moderators. */
	{ M_GET, "/api/v1/defects", ROUTE_API, NULL, &op_defects,
	    defects_params, NULL, AUTH_NONE, 0 },
	{ M_POST, "/api/v1/defects", ROUTE_API, api_defect_create, NULL,
	    no_params, defect_body_types, AUTH_OPTIONAL, 0 },
	{ M_GET, "/api/v1/defects.geojson", ROUTE_API, api_defects_geojson,
	    NULL, defects_geojson_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/api/v1/defects/nearby", ROUTE_API, api_defects_nearby,
	    NULL, defects_nearby_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/api/v1/defects/{id}", ROUTE_API, api_defect, NULL,
	    defect_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/api/v1/defects/{id}/supports", ROUTE_API,
	    api_defect_support, NULL, session_id_params, NULL, AUTH_OPTIONAL,
	    0 },
	{ M_POST, "/api/v1/defects/{id}/status", ROUTE_API, api_defect_status,
	    NULL, defect_params, body_types, AUTH_REQUIRED,
	    ROLE_STAFF | ROLE_ADMIN },
	{ M_POST, "/api/v1/defects/{id}/department", ROUTE_API,
	    api_defect_department, NULL, defect_params, body_types,
	    AUTH_REQUIRED, ROLE_STAFF | ROLE_ADMIN },
	{ M_POST, "/api/v1/defects/{id}/messages", ROUTE_API,
	    api_defect_message_create, NULL, session_id_params, body_types,
	    AUTH_OPTIONAL, 0 },
	{ M_POST, "/api/v1/defects/{id}/feedback", ROUTE_API,
	    api_defect_feedback, NULL, defect_params, body_types,
	    AUTH_OPTIONAL, 0 },
	{ M_GET, "/api/v1/defects/{id}/photos/{n}", ROUTE_API,
	    api_defect_photo, NULL, defect_photo_params, NULL, AUTH_OPTIONAL,
	    0 },
	{ M_GET, "/api/v1/defect-status/{token}", ROUTE_API,
	    api_defect_by_token, NULL, defect_token_params, NULL, AUTH_NONE,
	    0 },
	{ M_DELETE, "/api/v1/defect-status/{token}/email", ROUTE_API,
	    api_defect_email_erase, NULL, defect_token_params, NULL,
	    AUTH_NONE, 0 },
	{ M_GET, "/api/v1/staff/defects", ROUTE_API, api_staff_defects, NULL,
	    staff_defects_params, NULL, AUTH_REQUIRED,
	    ROLE_STAFF | ROLE_ADMIN },
	{ M_GET, "/api/v1/moderation/defects", ROUTE_API, NULL,
	    &op_moderation_defects, moderation_defects_params, NULL,
	    AUTH_REQUIRED, ROLE_MODERATOR },
	{ M_POST, "/api/v1/moderation/defect-photos/{id}", ROUTE_API,
	    api_defect_photo_moderate, NULL, session_id_params, body_types,
	    AUTH_REQUIRED, ROLE_MODERATOR },

	{ M_GET, "/api/v1/surveys/{id}/export", ROUTE_API, api_survey_export,
	    NULL, survey_export_params, NULL, AUTH_REQUIRED, ROLE_PLANNER },

	/* Open311 GeoReport v2. */
	{ M_GET, "/open311/v2/discovery.json", ROUTE_OPEN311,
	    open311_discovery, NULL, open311_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/open311/v2/discovery.xml", ROUTE_OPEN311,
	    open311_discovery, NULL, open311_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/open311/v2/services.json", ROUTE_OPEN311, NULL,
	    &op_open311_services, open311_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/open311/v2/services.xml", ROUTE_OPEN311, NULL,
	    &op_open311_services, open311_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/open311/v2/services/{code}", ROUTE_OPEN311,
	    open311_definition, NULL, open311_code_params, NULL, AUTH_NONE,
	    0 },
	{ M_GET, "/open311/v2/requests.json", ROUTE_OPEN311, open311_requests,
	    NULL, open311_list_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/open311/v2/requests.xml", ROUTE_OPEN311, open311_requests,
	    NULL, open311_list_params, NULL, AUTH_NONE, 0 },
	{ M_POST, "/open311/v2/requests.json", ROUTE_OPEN311,
	    open311_request_create, NULL, open311_post_params, form_types,
	    AUTH_NONE, 0 },
	{ M_POST, "/open311/v2/requests.xml", ROUTE_OPEN311,
	    open311_request_create, NULL, open311_post_params, form_types,
	    AUTH_NONE, 0 },
	{ M_GET, "/open311/v2/requests/{id}", ROUTE_OPEN311, open311_request,
	    NULL, open311_id_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/open311/v2/tokens/{token}", ROUTE_OPEN311, open311_token,
	    NULL, open311_token_params, NULL, AUTH_NONE, 0 },
	/* The profile's optional age band (the inclusion monitor). */
	{ M_POST, "/konto/altersgruppe", ROUTE_PAGE, page_age_band_post, NULL,
	    page_params, form_types, AUTH_REQUIRED, 0 },
	{ M_GET, "/verwaltung/open311", ROUTE_PAGE, page_admin_open311, NULL,
	    admin_page_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/open311", ROUTE_PAGE, page_admin_open311_post,
	    NULL, admin_page_params, form_types, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/verwaltung/open311/{id}/widerrufen", ROUTE_PAGE,
	    page_admin_open311_revoke_post, NULL, admin_id_params, form_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	{ M_GET, "/api/v1/admin/open311-keys", ROUTE_API, NULL,
	    &op_open311_keys, no_params, NULL, AUTH_REQUIRED, ROLE_ADMIN },
	{ M_POST, "/api/v1/admin/open311-keys", ROUTE_API,
	    api_open311_key_create, NULL, no_params, body_types,
	    AUTH_REQUIRED, ROLE_ADMIN },
	/* Statistics: the forum dashboard and the inclusion monitor. */
	{ M_GET, "/api/v1/stats/dashboard", ROUTE_API, api_stats_dashboard,
	    NULL, stats_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/api/v1/stats/dashboard.csv", ROUTE_API,
	    api_stats_dashboard_csv, NULL, stats_params, NULL, AUTH_OPTIONAL,
	    0 },
	{ M_GET, "/api/v1/stats/inclusion", ROUTE_API, api_stats_inclusion,
	    NULL, stats_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/statistik", ROUTE_PAGE, page_stats, NULL,
	    stats_page_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/statistik/handlungsfelder", ROUTE_PAGE, page_stats_fields,
	    NULL, stats_page_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/statistik/teilhabe", ROUTE_PAGE, page_stats_inclusion,
	    NULL, stats_page_params, NULL, AUTH_OPTIONAL, 0 },
	/* Open data and the evaluation report (issue 15). */
	{ M_GET, "/api/v1/opendata", ROUTE_API, api_opendata, NULL, no_params,
	    NULL, AUTH_NONE, 0 },
	{ M_GET, "/api/v1/opendata/{file}", ROUTE_API, api_opendata_file,
	    NULL, opendata_file_params, NULL, AUTH_NONE, 0 },
	{ M_GET, "/offene-daten", ROUTE_PAGE, page_opendata, NULL,
	    page_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/api/v1/evaluation", ROUTE_API, api_evaluation, NULL,
	    evaluation_params, NULL, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_GET, "/planung/auswertung", ROUTE_PAGE, page_evaluation, NULL,
	    evaluation_page_params, NULL, AUTH_REQUIRED, ROLE_PLANNER },
	/* The board's selection of projects: assessments (own first, the
	 * others' after), the ranking of proposed projects, the decision. */
	{ M_GET, "/api/v1/projects/{id}/assessments", ROUTE_API, NULL,
	    &op_project_assessments, id_lang_params, NULL, AUTH_REQUIRED,
	    ROLE_BOARD },
	{ M_PUT, "/api/v1/projects/{id}/assessment", ROUTE_API,
	    api_project_assess, NULL, id_lang_params, body_types,
	    AUTH_REQUIRED, ROLE_BOARD },
	{ M_POST, "/api/v1/projects/{id}/decision", ROUTE_API,
	    api_project_decide, NULL, session_id_params, body_types,
	    AUTH_REQUIRED, ROLE_BOARD },
	{ M_GET, "/api/v1/board/projects", ROUTE_API, NULL,
	    &op_board_projects, ranking_params, NULL, AUTH_REQUIRED,
	    ROLE_BOARD },
	{ M_GET, "/gremium/projekte", ROUTE_PAGE, page_board_projects, NULL,
	    ranking_params, NULL, AUTH_REQUIRED, ROLE_BOARD },
	{ M_GET, "/gremium/projekte/{id}", ROUTE_PAGE, page_board_project,
	    NULL, id_lang_params, NULL, AUTH_REQUIRED, ROLE_BOARD },
	{ M_POST, "/gremium/projekte/{id}", ROUTE_PAGE,
	    page_project_assess_post, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, ROLE_BOARD },
	{ M_POST, "/gremium/projekte/{id}/entscheidung", ROUTE_PAGE,
	    page_project_decide_post, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, ROLE_BOARD },
	/* The project registry: public pages, planners' forms, the API. */
	{ M_GET, "/projekte", ROUTE_PAGE, page_projects, NULL,
	    projects_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/projekte/{id}", ROUTE_PAGE, page_project, NULL,
	    id_lang_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_GET, "/planung/projekte", ROUTE_PAGE, page_planning_projects,
	    NULL, page_params, NULL, AUTH_REQUIRED, ROLE_PLANNER },
	/* Before /planung/projekte/{id}, which would take "neu" for an id. */
	{ M_GET, "/planung/projekte/neu", ROUTE_PAGE,
	    page_planning_project_new, NULL, page_params, NULL, AUTH_REQUIRED,
	    ROLE_PLANNER },
	{ M_POST, "/planung/projekte/neu", ROUTE_PAGE,
	    page_planning_project_new_post, NULL, page_params, form_types,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_GET, "/planung/projekte/{id}", ROUTE_PAGE, page_planning_project,
	    NULL, id_lang_params, NULL, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/planung/projekte/{id}", ROUTE_PAGE,
	    page_planning_project_post, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/planung/projekte/{id}/status", ROUTE_PAGE,
	    page_planning_status_post, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/planung/projekte/{id}/kriterien", ROUTE_PAGE,
	    page_planning_criterion_post, NULL, id_lang_params, form_types,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/planung/projekte/{id}/kriterien/{cid}/messungen",
	    ROUTE_PAGE, page_planning_measurement_post, NULL,
	    criterion_params, form_types, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_GET, "/api/v1/projects", ROUTE_API, api_projects, NULL,
	    projects_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_POST, "/api/v1/projects", ROUTE_API, api_project_create, NULL,
	    page_params, body_types, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_GET, "/api/v1/projects/{id}", ROUTE_API, api_project, NULL,
	    id_lang_params, NULL, AUTH_OPTIONAL, 0 },
	{ M_PUT, "/api/v1/projects/{id}", ROUTE_API, api_project_update,
	    NULL, id_lang_params, body_types, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/api/v1/projects/{id}/status", ROUTE_API,
	    api_project_status, NULL, id_lang_params, body_types,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_GET, "/api/v1/projects/{id}/criteria", ROUTE_API,
	    api_project_criteria, NULL, id_lang_params, NULL, AUTH_OPTIONAL,
	    0 },
	{ M_POST, "/api/v1/projects/{id}/criteria", ROUTE_API,
	    api_criterion_create, NULL, id_lang_params, body_types,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_PUT, "/api/v1/projects/{id}/criteria/{cid}", ROUTE_API,
	    api_criterion_update, NULL, criterion_params, body_types,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_DELETE, "/api/v1/projects/{id}/criteria/{cid}", ROUTE_API,
	    api_criterion_delete, NULL, criterion_params, NULL,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_POST, "/api/v1/projects/{id}/criteria/{cid}/measurements",
	    ROUTE_API, api_measurement_create, NULL, criterion_params,
	    body_types, AUTH_REQUIRED, ROLE_PLANNER },
	{ M_DELETE,
	    "/api/v1/projects/{id}/criteria/{cid}/measurements/{mid}",
	    ROUTE_API, api_measurement_delete, NULL, measurement_params, NULL,
	    AUTH_REQUIRED, ROLE_PLANNER },
	{ M_DELETE, "/api/v1/admin/open311-keys/{id}", ROUTE_API, NULL,
	    &op_open311_key_revoke, open311_key_params, NULL, AUTH_REQUIRED,
	    ROLE_ADMIN },
};

static const struct route_table table = {
	routes, sizeof(routes) / sizeof(routes[0]), "/anmelden"
};

/* Kore's start-up hook: the core configures itself and takes the table. */
void
kore_parent_configure(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	app_parent_configure(&table);
}
