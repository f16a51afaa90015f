/*
 * Ideas as plain HTML pages that work without JavaScript: the list with
 * its filters, the detail with status history and comments, the
 * submission form and the board's view (the moderation desk is
 * moderation_pages.c).
 *
 * The pages render the API's own JSON (idea_json, the list, the queue,
 * assessments_json) through templates; their forms run the API's handlers
 * with rq->form_page set, so every check and every write is the API's.
 * This file adds only what a page needs: words for codes, which option is
 * selected, errors next to the form that failed, the way back after it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ideas.h"


/*
 * The idea as the viewer may see it, with the page of comments after
 * comment $5 (?after=; the first page without), and the reasons its
 * forms offer.
 */
static const char SQL_IDEA_PAGE[] =
    "SELECT json_build_object("
    " 'idea', idea_json($1::bigint, $2::bigint, $3::boolean, $4,"
    "  coalesce($5::bigint, 0)),"
    " 'reasons', (SELECT json_agg(json_build_object('slug', slug,"
    "  'label', CASE WHEN $4 = 'en' THEN label_en ELSE label_de END,"
    "  'flaggable', flaggable) ORDER BY position)"
    "  FROM moderation_reasons))";

/* A board member's sheet for one published idea. */
static const char SQL_BOARD_IDEA[] =
    "SELECT json_build_object('idea', json_build_object('id', i.id,"
    " 'title', i.title, 'description', i.description, 'status', i.status,"
    " 'supports', i.support_count),"
    " 'sheet', assessments_json(i.id, $2::bigint, $3))"
    " FROM ideas i WHERE i.id = $1::bigint AND i.state = 'published'";

static const char *const idea_page_args[] = { "idea", "me", "moderator",
    "@lang", "after", NULL };
static const char *const board_idea_args[] = { "id", "me", "@lang", NULL };

static const struct db_op op_idea_page = {
	.name = "page_idea", .sql = SQL_IDEA_PAGE, .kind = DB_READ,
	.args = idea_page_args,
};
static const struct db_op op_board_idea = {
	.name = "page_board_idea", .sql = SQL_BOARD_IDEA, .kind = DB_READ,
	.args = board_idea_args,
};

static int	idea_page_show(struct http_request *);
static int	submit_page_show(struct http_request *);
static int	board_idea_show(struct http_request *);

/* title_key names the form on a page with several (see form_state). */
static const struct form_page submit_form = {
	"idea_form.html", "idea_new", NULL, NULL, submit_page_show
};
static const struct form_page support_form = {
	"idea.html", "support", NULL, NULL, idea_page_show
};
static const struct form_page comment_form = {
	"idea.html", "comment", NULL, NULL, idea_page_show
};
static const struct form_page flag_form = {
	"idea.html", "flag", NULL, NULL, idea_page_show
};
static const struct form_page comment_flag_form = {
	"idea.html", "cflag", NULL, NULL, idea_page_show
};
static const struct form_page status_form = {
	"idea.html", "status", NULL, NULL, idea_page_show
};
static const struct form_page assess_form = {
	"board_idea.html", "assess", NULL, NULL, board_idea_show
};

static const char *const channels[] = { "online", "paper", "phone",
    "in_person", NULL };
static const char *const decisions[] = { "publish", "reject", "hide",
    "restore", NULL };

/* ---- small helpers ---- */

/*
 * Who wrote it, in words: the pseudonym, or how it came in (by post, by
 * phone), or "gelöschtes Konto".  author is a string (list cards) or an
 * object {pseudonym, deleted, channel} (idea_json).
 */
void
ideas_author_label(struct http_request *req, cJSON *obj)
{
	const cJSON	*a;
	const char	*name, *channel;

	a = cJSON_GetObjectItemCaseSensitive(obj, "author");
	name = cJSON_IsString(a) ? a->valuestring : json_str(a, "pseudonym");
	channel = json_str(obj, "channel");
	if (channel == NULL)
		channel = json_str(a, "channel");
	if (name != NULL)
		cJSON_AddStringToObject(obj, "author_label", name);
	else if (channel != NULL && strcmp(channel, "online") != 0)
		cJSON_AddStringToObject(obj, "author_label",
		    page_text(req, "authors", "no_account"));
	else
		cJSON_AddStringToObject(obj, "author_label",
		    page_text(req, "authors", "deleted"));
	/* Always set: a reply must not show its parent's in the template. */
	if (channel != NULL && strcmp(channel, "online") != 0)
		cJSON_AddStringToObject(obj, "channel_label",
		    page_text(req, "channels", channel));
	else
		cJSON_AddNullToObject(obj, "channel_label");
}

/* Flags for the header and the forms a role may see. */
static void
role_flags(struct http_request *req, cJSON *data)
{
	int	roles = rq_get(req)->who.roles;

	cJSON_AddBoolToObject(data, "is_moderator", roles & ROLE_MODERATOR);
	cJSON_AddBoolToObject(data, "is_staff", roles & ROLE_STAFF);
	cJSON_AddBoolToObject(data, "can_set_status", roles &
	    (ROLE_MODERATOR | ROLE_STAFF | ROLE_PLANNER));
	cJSON_AddBoolToObject(data, "signed_in", rq_get(req)->who.account_id !=
	    0);
	cJSON_AddBoolToObject(data, "unverified", rq_get(req)->who.account_id
	    != 0 && !rq_get(req)->who.verified && mw_config.require_verified);
}

/* ---- the list ---- */

static const char *const list_keys[] = { "field", "district", "status",
    "goal", "q", "sort", "limit", NULL };

/* The next page: the same filters, after the last entry shown. */
static void
next_link(struct http_request *req, cJSON *data, const char *next)
{
	struct rq	*rq = rq_get(req);
	struct strbuf	url;
	const char	*v;
	int		i;

	strbuf_init(&url, 128);
	strbuf_appendf(&url, "/ideen?lang=%s", lang_code(rq->lang));
	for (i = 0; list_keys[i] != NULL; i++) {
		if ((v = params_get(&rq->params, list_keys[i])) == NULL)
			continue;
		strbuf_appendf(&url, "&%s=", list_keys[i]);
		params_url_encode(&url, v);
	}
	strbuf_appends(&url, "&after=");
	params_url_encode(&url, next);
	cJSON_AddStringToObject(data, "next_url", url.data);
	strbuf_free(&url);
}

static void
list_filters(struct http_request *req, cJSON *data, cJSON *tax)
{
	struct rq	*rq = rq_get(req);
	const char	*sort;
	static const char *const sorts[] = { "newest", "supported", NULL };

	page_mark(cJSON_GetObjectItemCaseSensitive(tax, "fields"), "slug",
	    params_get(&rq->params, "field"), "selected");
	page_mark(cJSON_GetObjectItemCaseSensitive(tax, "districts"), "slug",
	    params_get(&rq->params, "district"), "selected");
	page_mark(cJSON_GetObjectItemCaseSensitive(tax, "goals"), "slug",
	    params_get(&rq->params, "goal"), "selected");
	cJSON_AddItemToObject(data, "tax", tax);
	cJSON_AddItemToObject(data, "statuses", page_choices(req,
	    ideas_statuses,
	    "statuses", params_get(&rq->params, "status")));
	sort = params_get(&rq->params, "sort");
	cJSON_AddItemToObject(data, "sorts", page_choices(req, sorts, "sorts",
	    sort != NULL ? sort : "newest"));
	if (params_get(&rq->params, "q") != NULL)
		cJSON_AddStringToObject(data, "q",
		    params_get(&rq->params, "q"));
}

static void
card_labels(struct http_request *req, cJSON *ideas)
{
	cJSON	*e;

	cJSON_ArrayForEach(e, ideas) {
		page_label(req, e, "status", "statuses");
		ideas_author_label(req, e);
		page_date(req, e, "published_at");
	}
}

/* GET /ideen: filters, cards, and a link to the next page. */
int
page_ideas(struct http_request *req)
{
	const struct db_op	*op;
	PGresult		*tax, *list;
	enum db_status		s;
	cJSON			*data, *result;

	if (!ideas_list_prepare(req, &op))
		return (KORE_RESULT_OK);
	if ((s = db_step(req, &op_page_taxonomy, &tax)) != DB_DONE ||
	    (s = db_step(req, op, &list)) != DB_DONE)
		return (db_yield(s));
	if ((result = db_json(list)) == NULL)
		return (respond_error(req, 500, NULL, NULL, NULL));
	data = page_new(req, "ideas");
	role_flags(req, data);
	list_filters(req, data, db_json(tax));
	card_labels(req, cJSON_GetObjectItemCaseSensitive(result, "ideas"));
	if (json_str(result, "next") != NULL)
		next_link(req, data, json_str(result, "next"));
	cJSON_AddItemToObject(data, "list", result);
	return (page_with(req, 200, data, "ideas.html"));
}

/* ---- the detail ---- */

static cJSON *
comment_by_id(cJSON *comments, double id)
{
	cJSON	*c, *r;

	cJSON_ArrayForEach(c, comments) {
		if (json_num(c, "id") == id)
			return (c);
		if ((r = comment_by_id(cJSON_GetObjectItemCaseSensitive(c,
		    "replies"), id)) != NULL)
			return (r);
	}
	return (NULL);
}

static void
comment_labels(struct http_request *req, cJSON *comments, int top)
{
	cJSON	*c;

	cJSON_ArrayForEach(c, comments) {
		ideas_author_label(req, c);
		page_label(req, c, "state", "states");
		cJSON_AddStringToObject(c, "plain_state", page_text(req,
		    "plain_states", json_str(c, "state")));
		page_date(req, c, "created_at");
		cJSON_AddBoolToObject(c, "is_published",
		    strcmp(json_str(c, "state"), "published") == 0);
		cJSON_AddBoolToObject(c, "takes_replies", top &&
		    strcmp(json_str(c, "state"), "published") == 0);
		/* Set below for the comment whose form failed, else none. */
		cJSON_AddNullToObject(c, "f_reply");
		cJSON_AddNullToObject(c, "f_cflag");
		comment_labels(req, cJSON_GetObjectItemCaseSensitive(c,
		    "replies"), 0);
	}
}

/* 52.2689000 as "52.2689": coordinates as people write them. */
static void
coordinate(cJSON *loc, const char *key)
{
	char	text[32], name[16];
	size_t	n;

	(void)snprintf(text, sizeof(text), "%.7f", json_num(loc, key));
	for (n = strlen(text); n > 0 && text[n - 1] == '0'; n--)
		text[n - 1] = '\0';
	if (n > 0 && text[n - 1] == '.')
		text[n - 1] = '\0';
	(void)snprintf(name, sizeof(name), "%s_text", key);
	cJSON_AddStringToObject(loc, name, text);
}

static void
idea_labels(struct http_request *req, cJSON *idea)
{
	cJSON	*h, *loc;

	page_label(req, idea, "status", "statuses");
	page_label(req, idea, "state", "states");
	ideas_author_label(req, idea);
	page_date(req, idea, "published_at");
	page_date(req, idea, "created_at");
	cJSON_AddBoolToObject(idea, "is_published",
	    strcmp(json_str(idea, "state"), "published") == 0);
	if (cJSON_IsObject(loc = cJSON_GetObjectItemCaseSensitive(idea,
	    "location"))) {
		coordinate(loc, "lat");
		coordinate(loc, "lon");
	}
	cJSON_AddBoolToObject(idea, "is_pending",
	    strcmp(json_str(idea, "state"), "pending") == 0);
	/* One state in plain words, not "Prüfstand" beside "Status". */
	cJSON_AddStringToObject(idea, "plain_state",
	    page_text(req, "plain_states", json_str(idea, "state")));
	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(idea,
	    "status_history")) {
		page_label(req, h, "status", "statuses");
		page_date(req, h, "at");
	}
	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(idea,
	    "projects"))
		page_label(req, h, "status", "project_statuses");
	comment_labels(req, cJSON_GetObjectItemCaseSensitive(idea,
	    "comments"), 1);
}

/*
 * Signed out: each action's link to sign-in says why, and comes back to
 * the action's place on this page.
 */
static void
signin_links(struct http_request *req, cJSON *data, const cJSON *idea)
{
	static const char *const actions[][2] = {
		{ "support", "unterstuetzen" }, { "comment", "kommentare" },
		{ "flag", "melden" } };
	struct strbuf	url;
	char		next[96], key[32];
	size_t		i;

	if (rq_get(req)->who.account_id != 0)
		return;
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		(void)snprintf(next, sizeof(next), "/ideen/%.0f?lang=%s#%s",
		    json_num(idea, "id"), lang_code(rq_get(req)->lang),
		    actions[i][1]);
		strbuf_init(&url, 128);
		form_signin_url(req, &url, next, actions[i][0]);
		(void)snprintf(key, sizeof(key), "signin_%s", actions[i][0]);
		cJSON_AddStringToObject(data, key, url.data);
		strbuf_free(&url);
	}
}

/*
 * The errors of the form that failed go next to it: an idea's forms at
 * the top level (f_comment, f_flag, f_status), a comment's own (a reply,
 * a flag) into that comment (f_reply, f_cflag).
 */
static void
idea_form_errors(struct http_request *req, cJSON *data, cJSON *idea)
{
	struct rq	*rq = rq_get(req);
	const char	*form = rq->form_page->title_key, *parent;
	cJSON		*target, *comments;
	char		prefix[48], key[16];
	double		cid;

	comments = cJSON_GetObjectItemCaseSensitive(idea, "comments");
	parent = params_get(&rq->form, "parent_id");
	if (strcmp(form, "comment") == 0 && parent != NULL && *parent != '\0') {
		cid = strtod(parent, NULL);
		(void)snprintf(key, sizeof(key), "f_reply");
	} else if (strcmp(form, "cflag") == 0) {
		cid = strtod(params_get(&rq->params, "id"), NULL);
		(void)snprintf(key, sizeof(key), "f_cflag");
	} else {
		(void)snprintf(prefix, sizeof(prefix), "%s-", form);
		(void)snprintf(key, sizeof(key), "f_%s", form);
		cJSON_AddItemToObject(data, key, form_state(req, data, prefix));
		return;
	}
	(void)snprintf(prefix, sizeof(prefix), "%s-%.0f-", key + 2, cid);
	if ((target = comment_by_id(comments, cid)) != NULL)
		cJSON_ReplaceItemInObject(target, key, form_state(req, data,
		    prefix));
	else
		cJSON_AddItemToObject(data, key, form_state(req, data, prefix));
}

static void
reason_lists(cJSON *data, cJSON *reasons)
{
	cJSON	*flaggable, *e;

	flaggable = cJSON_AddArrayToObject(data, "flag_reasons");
	cJSON_ArrayForEach(e, reasons) {
		if (json_true(e, "flaggable"))
			cJSON_AddItemToArray(flaggable,
			    cJSON_Duplicate(e, 1));
	}
	cJSON_AddItemReferenceToObject(data, "reasons", reasons);
}

static int
idea_page_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*result, *idea, *data;
	const char	*after;

	ideas_viewer_vars(req);
	if ((s = db_step(req, &op_idea_page, &res)) != DB_DONE)
		return (db_yield(s));
	result = db_json(res);
	idea = cJSON_GetObjectItemCaseSensitive(result, "idea");
	if (!cJSON_IsObject(idea)) {
		cJSON_Delete(result);
		return (respond_error(req, 404, NULL, NULL, NULL));
	}
	data = form_data(req, "idea");
	role_flags(req, data);
	if ((after = params_get(&rq->params, "after")) != NULL)
		cJSON_AddStringToObject(data, "after", after);
	cJSON_ReplaceItemInObject(data, "title",
	    cJSON_CreateString(json_str(idea, "title")));
	idea_labels(req, idea);
	signin_links(req, data, idea);
	reason_lists(data, cJSON_GetObjectItemCaseSensitive(result, "reasons"));
	cJSON_AddItemToObject(data, "statuses", page_choices(req,
	    ideas_statuses + 1,
	    "statuses", params_get(&rq->form, "status")));
	cJSON_AddItemToObject(data, "decisions", page_choices(req, decisions,
	    "decisions", NULL));
	if (rq->resume != NULL && rq->form_page != NULL)
		idea_form_errors(req, data, idea);
	cJSON_AddItemToObject(data, "result", result);
	cJSON_AddItemReferenceToObject(data, "idea", idea);
	return (form_render(req, data, "idea.html"));
}

/* GET /ideen/{id} */
int
page_idea(struct http_request *req)
{
	rq_var_put(req, "idea", params_get(&rq_get(req)->params, "id"));
	return (idea_page_show(req));
}

/*
 * A form on the idea page: runs the API's handler, then back to the idea
 * (303), or the idea page again with the errors next to the form.
 */
static int
idea_form(struct http_request *req, const struct form_page *f,
    const char *idea, const char *anchor,
    int (*handler)(struct http_request *))
{
	struct rq	*rq = rq_get(req);
	const char	*after;
	char		to[160];

	/*
	 * Back to the page of comments the form was on (?after=), at the
	 * place of the form (the anchor), not the top; a new comment's
	 * anchor gets its id once it is stored (see created() in ideas.c).
	 */
	if (params_get(&rq->vars, "redirect") == NULL) {
		rq_var_set(req, "idea", idea);
		after = params_get(&rq->params, "after");
		(void)snprintf(to, sizeof(to), "/ideen/%s?lang=%s%s%s%s", idea,
		    lang_code(rq->lang), after != NULL ? "&after=" : "",
		    after != NULL ? after : "", anchor);
		rq_var_set(req, "redirect", to);
	}
	return (form_run(req, f, handler));
}

#define IDEA_ID(req)	params_get(&rq_get(req)->params, "id")

int
page_support_post(struct http_request *req)
{
	return (idea_form(req, &support_form, IDEA_ID(req), "#unterstuetzen",
	    api_support_add));
}

int
page_support_remove_post(struct http_request *req)
{
	return (idea_form(req, &support_form, IDEA_ID(req), "#unterstuetzen",
	    api_support_remove));
}

int
page_comment_post(struct http_request *req)
{
	return (idea_form(req, &comment_form, IDEA_ID(req), "#kommentar-",
	    api_comment_create));
}

int
page_idea_flag_post(struct http_request *req)
{
	return (idea_form(req, &flag_form, IDEA_ID(req), "#melden",
	    api_idea_flag));
}

/* POST /kommentare/{id}/melden?idee=…: the idea is where to go back to. */
int
page_comment_flag_post(struct http_request *req)
{
	char	anchor[48];

	(void)snprintf(anchor, sizeof(anchor), "#kommentar-%s",
	    params_get(&rq_get(req)->params, "id"));
	return (idea_form(req, &comment_flag_form,
	    params_get(&rq_get(req)->params, "idee"), anchor,
	    api_comment_flag));
}

int
page_status_post(struct http_request *req)
{
	return (idea_form(req, &status_form, IDEA_ID(req), "#verlauf",
	    api_idea_status));
}

/* ---- the submission form ---- */

/* The choices of the form, with what the person chose kept. */
static void
submit_choices(struct http_request *req, cJSON *data, cJSON *tax)
{
	struct rq	*rq = rq_get(req);
	const char	*channel;
	cJSON		*g;
	char		name[80];

	page_mark(cJSON_GetObjectItemCaseSensitive(tax, "fields"), "slug",
	    params_get(&rq->form, "field"), "selected");
	page_mark(cJSON_GetObjectItemCaseSensitive(tax, "districts"), "slug",
	    params_get(&rq->form, "district"), "selected");
	cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(tax, "goals")) {
		(void)snprintf(name, sizeof(name), "goal-%s",
		    json_str(g, "slug"));
		if (params_get(&rq->form, name) != NULL)
			cJSON_AddBoolToObject(g, "checked", 1);
	}
	cJSON_AddItemToObject(data, "tax", tax);
	channel = params_get(&rq->form, "channel");
	cJSON_AddItemToObject(data, "channels", page_choices(req, channels,
	    "channels_select", channel != NULL ? channel : "online"));
}

static int
checking(struct http_request *req)
{
	const char	*action;

	action = params_get(&rq_get(req)->form, "action");
	return (action != NULL && strcmp(action, "check") == 0);
}

static int
submit_page_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*tax, *similar;
	enum db_status	s;
	const char	*title;
	cJSON		*data;

	title = params_get(&rq->form, "title");
	if (checking(req) && title != NULL && utf8_length(title,
	    strlen(title)) >= 3)
		rq_var_put(req, "q", title);
	if ((s = db_step(req, &op_page_taxonomy, &tax)) != DB_DONE)
		return (db_yield(s));
	similar = NULL;
	if (params_get(&rq->vars, "q") != NULL &&
	    (s = db_step(req, &op_ideas_similar, &similar)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "idea_new");
	role_flags(req, data);
	submit_choices(req, data, db_json(tax));
	form_stamp_field(req, data);
	cJSON_AddItemToObject(data, "f", form_state(req, data, ""));
	if (similar != NULL)
		cJSON_AddItemToObject(data, "similar", db_json(similar));
	cJSON_AddBoolToObject(data, "checked", checking(req));
	return (form_render(req, data, "idea_form.html"));
}

/* GET /ideen/neu */
int
page_idea_new(struct http_request *req)
{
	return (submit_page_show(req));
}

static int
idea_submit(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;

	if (!rq->prepared) {
		rq->prepared = 1;
		if (checking(req))
			return (form_show(req, 200, NULL, NULL));
		if (!form_human(req) || !ideas_prepare(req))
			return (KORE_RESULT_OK);
	}
	if ((s = db_step(req, &op_idea_submit, &res)) != DB_DONE)
		return (db_yield(s));
	if (!PQgetisnull(res, 0, 1))
		return (submission_limited(req, PQgetvalue(res, 0, 1)));
	rq_var_setf(req, "redirect", "/ideen/%s?lang=%s", PQgetvalue(res, 0, 2),
	    lang_code(rq->lang));
	return (form_done(req));
}

/* POST /ideen/neu: checks as the API does, then the idea's page. */
int
page_idea_new_post(struct http_request *req)
{
	return (form_run(req, &submit_form, idea_submit));
}

/* ---- the board ---- */

/* GET /gremium: the ranking; means only where the member has assessed. */
int
page_board(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *ranking, *e;

	if ((s = db_step(req, &op_board_ranking, &res)) != DB_DONE)
		return (db_yield(s));
	data = page_new(req, "board");
	role_flags(req, data);
	ranking = db_json(res);
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(ranking,
	    "ideas")) {
		page_label(req, e, "status", "statuses");
		page_number(req, e, "weighted_mean", 2);
	}
	cJSON_AddItemToObject(data, "ranking", ranking);
	return (page_with(req, 200, data, "board.html"));
}

static int
board_idea_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *result, *sheet;

	if ((s = db_step(req, &op_board_idea, &res)) != DB_DONE)
		return (db_yield(s));
	if ((result = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	data = form_data(req, "board_idea");
	role_flags(req, data);
	sheet = cJSON_GetObjectItemCaseSensitive(result, "sheet");
	page_score_sheet(req, sheet);
	page_label(req, cJSON_GetObjectItemCaseSensitive(result, "idea"), "status",
	    "statuses");
	if (rq->resume != NULL)
		cJSON_AddItemToObject(data, "f", form_state(req, data,
		    "assess-"));
	cJSON_AddItemToObject(data, "b", result);
	return (form_render(req, data, "board_idea.html"));
}

/* GET /gremium/ideen/{id} */
int
page_board_idea(struct http_request *req)
{
	return (board_idea_show(req));
}

/* POST /gremium/ideen/{id}: the assessment, then the sheet again. */
int
page_assess_post(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	char		to[96];

	if (params_get(&rq->vars, "redirect") == NULL) {
		(void)snprintf(to, sizeof(to), "/gremium/ideen/%s?lang=%s",
		    IDEA_ID(req), lang_code(rq->lang));
		rq_var_set(req, "redirect", to);
	}
	return (form_run(req, &assess_form, api_assess));
}
