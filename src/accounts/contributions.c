/*
 * "Meine Beiträge": everything a signed-in person contributed, in one
 * list (account_contributions.sql), as JSON (GET /api/v1/me/contributions)
 * and as the page /konto/beitraege.  The page says each item's state in
 * plain words: one sentence, not the moderation state beside the public
 * status ("Wartet auf Prüfung", "Nicht veröffentlicht: <reason>", then
 * the public status once it is out).
 */

#include <stdio.h>
#include <string.h>

#include "accounts.h"

#define CONTRIBUTIONS_LIMIT	"20"

static const char SQL_CONTRIBUTIONS[] =
    "SELECT account_contributions($1::bigint, $2, $3, $4::int, $5::int)";

static const char *const contributions_args[] = { "me", "respondents",
    "@lang", "limit", "offset", NULL };

static const struct db_op op_contributions = {
	.name = "contributions", .sql = SQL_CONTRIBUTIONS, .kind = DB_READ,
	.args = contributions_args,
};

static enum db_status
contributions_step(struct http_request *req, PGresult **res)
{
	struct rq	*rq = rq_get(req);
	enum db_status	s;

	if ((s = accounts_respondents(req)) != DB_DONE)
		return (s);
	if (params_get(&rq->params, "limit") == NULL)
		rq_var_put(req, "limit", CONTRIBUTIONS_LIMIT);
	if (params_get(&rq->params, "offset") == NULL)
		rq_var_put(req, "offset", "0");
	return (db_step(req, &op_contributions, res));
}

/* GET /api/v1/me/contributions?limit=&offset= */
int
api_contributions(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;

	if ((s = contributions_step(req, &res)) != DB_DONE)
		return (db_yield(s));
	http_response_header(req, "cache-control", "no-store");
	return (respond(req, 200, JSON_TYPE, PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0)));
}

/*
 * One state in plain words: before publication the moderation state
 * (with the reason, if a moderator gave one), after it the public status
 * of the item's kind; a survey response is simply sent.
 */
static void
plain_state(struct http_request *req, cJSON *item)
{
	const char	*kind = json_str(item, "kind");
	const char	*state = json_str(item, "state");
	const char	*status = json_str(item, "status");
	const char	*group;

	if (strcmp(kind, "survey") == 0) {
		cJSON_AddStringToObject(item, "plain",
		    page_text(req, "contributions", "sent"));
		return;
	}
	if (state != NULL && strcmp(state, "published") != 0) {
		cJSON_AddStringToObject(item, "plain",
		    page_text(req, "plain_states", state));
		return;
	}
	group = strncmp(kind, "defect", 6) == 0 ? "defect_statuses" :
	    "statuses";
	cJSON_AddStringToObject(item, "plain", status != NULL ?
	    page_text(req, group, status) : page_text(req, "plain_states",
	    "published"));
}

/* The item's page in the reader's language: ?lang= before the anchor. */
static void
item_href(struct http_request *req, cJSON *item)
{
	const char	*path = json_str(item, "path"), *hash;
	char		href[160];

	if (path == NULL)
		return;
	hash = strchr(path, '#');
	(void)snprintf(href, sizeof(href), "%.*s?lang=%s%s",
	    (int)(hash != NULL ? (size_t)(hash - path) : strlen(path)), path,
	    lang_code(rq_get(req)->lang), hash != NULL ? hash : "");
	cJSON_AddStringToObject(item, "href", href);
}

static void
item_words(struct http_request *req, cJSON *item)
{
	char	key[32];

	item_href(req, item);
	(void)snprintf(key, sizeof(key), "%s", json_str(item, "kind"));
	cJSON_AddStringToObject(item, "kind_label",
	    page_text(req, "contribution_kinds", key));
	plain_state(req, item);
	page_date(req, item, "at");
	/* Null, not absent: a section must not see its parent's. */
	if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(item,
	    "reason_label")))
		cJSON_ReplaceItemInObject(item, "reason_label",
		    cJSON_CreateNull());
}

/* GET /konto/beitraege */
int
page_contributions(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *list, *item;
	char		url[96];

	if ((s = contributions_step(req, &res)) != DB_DONE)
		return (db_yield(s));
	if ((list = db_json(res)) == NULL)
		return (respond_error(req, 500, NULL, NULL, NULL));
	data = page_new(req, "contributions");
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(list,
	    "items"))
		item_words(req, item);
	if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(list,
	    "next_offset"))) {
		(void)snprintf(url, sizeof(url), "/konto/beitraege?lang=%s"
		    "&offset=%.0f", lang_code(rq->lang),
		    json_num(list, "next_offset"));
		cJSON_AddStringToObject(data, "next_url", url);
	}
	cJSON_AddItemToObject(data, "list", list);
	http_response_header(req, "cache-control", "no-store");
	return (page_with(req, 200, data, "contributions.html"));
}
