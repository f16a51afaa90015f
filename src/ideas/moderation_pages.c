/*
 * The moderation desk as plain HTML, for a moderator with 200 items a
 * day: tabs with counts, filters and orders as GET parameters (a view is
 * a link), a compact row per item with its content in <details>, a
 * decision form per item whose errors stay with that item, select-all
 * and the bulk decision beside the selection, a confirmation after each
 * decision with an undo button for moderation_undo_window(), and the
 * edit forms for a moderator's corrections.
 *
 * The forms run the API's handlers (moderation.c), so every check and
 * every write is the API's; this file adds the words, which item a
 * failed form belongs to, and the way back to the same view.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ideas.h"

static const char SQL_DESK[] =
    "SELECT moderation_desk($1, $2, $3, $4, $5, $6::int, $7, $8, $9::int,"
    " $10)";

/* The confirmation of a decision or its undo, and the recent decisions. */
static const char SQL_DECISIONS[] =
    "SELECT json_build_object("
    " 'done', moderation_decision_json($1::bigint),"
    " 'undone', moderation_decision_json($2::bigint),"
    " 'recent', CASE WHEN $3 = 'decided' THEN (SELECT coalesce(json_agg("
    "  moderation_decision_json(d.id) ORDER BY d.id DESC), '[]'::json)"
    "  FROM (SELECT id FROM moderation_decisions"
    "  WHERE decided_at > now() - interval '24 hours'"
    "  ORDER BY id DESC LIMIT 100) d) END)";

/* What a moderator may correct, and the notes of earlier corrections. */
static const char SQL_EDITABLE[] =
    "SELECT json_build_object('kind', $1::text, 'id', x.id,"
    " 'title', x.title, 'body', x.body, 'idea_id', x.idea_id,"
    " 'version', (SELECT count(*) FROM idea_revisions r"
    "  WHERE r.kind = $1 AND r.target_id = x.id),"
    " 'revisions', (SELECT coalesce(json_agg(json_build_object("
    "  'note', r.note, 'at', r.edited_at, 'by', a.pseudonym)"
    "  ORDER BY r.id DESC), '[]'::json) FROM idea_revisions r"
    "  LEFT JOIN accounts a ON a.id = r.edited_by"
    "  WHERE r.kind = $1 AND r.target_id = x.id))"
    " FROM (SELECT id, title, description AS body, id AS idea_id FROM ideas"
    "  WHERE $1 = 'idea' AND id = $2::bigint"
    "  UNION ALL SELECT id, NULL, body, idea_id FROM comments"
    "  WHERE $1 = 'comment' AND id = $2::bigint) x";

static const char *const desk_args[] = { "desk_tab", "kind", "state", "field",
    "district", "age", "sort", "after", "limit", "@lang", NULL };
static const char *const decisions_args[] = { "erledigt", "rueckgaengig",
    "tab", NULL };
static const char *const editable_args[] = { "edit_kind", "id", NULL };

static const struct db_op op_desk = {
	.name = "moderation_desk", .sql = SQL_DESK, .kind = DB_READ,
	.args = desk_args,
};
static const struct db_op op_decisions = {
	.name = "moderation_decisions", .sql = SQL_DECISIONS, .kind = DB_READ,
	.args = decisions_args,
};
static const struct db_op op_editable = {
	.name = "moderation_editable", .sql = SQL_EDITABLE, .kind = DB_READ,
	.args = editable_args,
};

static int	desk_show(struct http_request *);
static int	edit_show(struct http_request *);

static const struct form_page decision_form = {
	"moderation.html", "moderation", NULL, NULL, desk_show
};
static const struct form_page undo_form = {
	"moderation.html", "moderation", NULL, NULL, desk_show
};
static const struct form_page edit_form = {
	"moderation_edit.html", "moderation_edit", NULL, NULL, edit_show
};

/*
 * Rows a page shows: 20 with the start of their text and a one-click
 * decision each keep the page, with its filters, counts and bulk form,
 * within 50 KB of HTML even for the longest ideas (about 2 KB a row;
 * tests/http/moderation_desk.test.mjs); a decision brings the next row
 * up, so a moderator rarely pages.
 */
#define DESK_PAGE	"20"

/* The parameters that make a view, in the order its links carry them. */
static const char *const view_params[] = { "tab", "kind", "state", "field",
    "district", "age", "sort", NULL };

/* What a tab's bulk form offers. */
static const char *const review_decisions[] = { "publish", "reject",
    "restore", NULL };
static const char *const flagged_decisions[] = { "keep", "hide", NULL };
static const char *const sort_codes[] = { "oldest", "newest", "flags",
    NULL };
static const char *const age_codes[] = { "1", "3", "7", NULL };
static const char *const state_codes[] = { "all", "pending", "hidden",
    NULL };

/* ---- the view: tab, filters, order, as a query string ---- */

static const char *
param(struct http_request *req, const char *name)
{
	return (params_get(&rq_get(req)->params, name));
}

/* The kind of the list: one at a time, so that a bulk decision has one. */
static const char *
desk_kind(struct http_request *req)
{
	const char	*k = param(req, "kind");

	if (k == NULL)
		k = params_get(&rq_get(req)->form, "kind");
	if (k == NULL || (strcmp(k, "idea") != 0 && strcmp(k, "comment") != 0))
		k = "idea";
	return (k);
}

static const char *
desk_tab(struct http_request *req)
{
	const char	*t = param(req, "tab");

	return (t != NULL ? t : "review");
}

/* "lang=de&tab=review&kind=idea&…": the view without page or selection. */
static void
view_query(struct http_request *req, struct strbuf *qs)
{
	const char	*v;
	int		i;

	strbuf_appendf(qs, "lang=%s", lang_code(rq_get(req)->lang));
	for (i = 0; view_params[i] != NULL; i++) {
		if (strcmp(view_params[i], "kind") == 0)
			v = desk_kind(req);
		else if (strcmp(view_params[i], "tab") == 0)
			v = desk_tab(req);
		else
			v = param(req, view_params[i]);
		/* Every value is an enum or a slug: nothing to escape. */
		if (v != NULL)
			strbuf_appendf(qs, "&%s=%s", view_params[i], v);
	}
}

/* The way back to the view after a form, and on with a decision's id. */
static void
desk_redirects(struct http_request *req, const char *done_param)
{
	struct strbuf	qs;
	const char	*after;

	strbuf_init(&qs, 128);
	view_query(req, &qs);
	if ((after = param(req, "after")) != NULL)
		strbuf_appendf(&qs, "&after=%s", after);
	rq_var_setf(req, "redirect", "/moderation?%s", qs.data);
	rq_var_setf(req, "redirect_done", "/moderation?%s&%s=", qs.data,
	    done_param);
	strbuf_free(&qs);
}

/* ---- the rows ---- */

/* {"spam": 2} as [{"label": "Werbung oder Spam", "count": 2}]. */
static void
flag_list(cJSON *item, const cJSON *reasons)
{
	const cJSON	*f, *r;
	cJSON		*list, *e;

	list = cJSON_CreateArray();
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(item, "flags")) {
		e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "label", f->string);
		cJSON_ArrayForEach(r, reasons) {
			if (strcmp(json_str(r, "slug"), f->string) == 0)
				cJSON_ReplaceItemInObject(e, "label",
				    cJSON_CreateString(json_str(r, "label")));
		}
		cJSON_AddNumberToObject(e, "count", f->valuedouble);
		cJSON_AddItemToArray(list, e);
	}
	cJSON_AddItemToObject(item, "flag_list", list);
}

/* The decisions an item's state allows (moderation_next in SQL). */
static void
item_choices(struct http_request *req, cJSON *item, const char *chosen)
{
	const char	*st = json_str(item, "state");
	const char	*allowed[4];
	int		n = 0;

	if (strcmp(st, "pending") == 0)
		allowed[n++] = "publish";
	if (strcmp(st, "pending") == 0 || strcmp(st, "hidden") == 0)
		allowed[n++] = "reject";
	if (strcmp(st, "hidden") == 0)
		allowed[n++] = "restore";
	if (strcmp(st, "published") == 0) {
		allowed[n++] = "keep";
		allowed[n++] = "hide";
	}
	allowed[n] = NULL;
	cJSON_AddItemToObject(item, "choices", page_choices(req, allowed,
	    "decisions", chosen));
}

/*
 * A row's one-click decisions: those that need no reason.  Rejecting or
 * hiding opens the row's full form (?entscheiden=), which a page of 50
 * rows cannot carry for each within 50 KB.
 */
static void
quick_choices(struct http_request *req, cJSON *item)
{
	static const char *const quick[] = { "publish", "restore", "keep",
	    NULL };
	const cJSON	*c;
	const char	*allowed[4];
	int		n = 0, i, needs = 0;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(item,
	    "choices")) {
		for (i = 0; quick[i] != NULL; i++) {
			if (strcmp(json_str(c, "slug"), quick[i]) == 0 && n < 3)
				allowed[n++] = quick[i];
		}
		needs |= strcmp(json_str(c, "slug"), "reject") == 0 ||
		    strcmp(json_str(c, "slug"), "hide") == 0;
	}
	allowed[n] = NULL;
	cJSON_AddItemToObject(item, "quick", page_choices(req, allowed,
	    "decisions", NULL));
	cJSON_AddBoolToObject(item, "needs_reason", needs);
}

/* The failed form: this item's (?item=) or the bulk one. */
static const char *
failed_item(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (rq->resume == NULL || rq->form_page != &decision_form)
		return (NULL);
	return (param(req, "item"));
}

static void
desk_items(struct http_request *req, cJSON *data, cJSON *items,
    const cJSON *reasons)
{
	struct rq	*rq = rq_get(req);
	const char	*failed = failed_item(req), *chosen;
	char		name[40], id[24], prefix[48];
	cJSON		*item, *f, *rc;
	int		all = param(req, "alle") != NULL;

	cJSON_ArrayForEach(item, items) {
		(void)snprintf(id, sizeof(id), "%.0f", json_num(item, "id"));
		ideas_author_label(req, item);
		page_label(req, item, "state", "states");
		page_label(req, item, "kind", "desk_kinds");
		page_date(req, item, "created_at");
		flag_list(item, reasons);
		chosen = NULL;
		if (failed != NULL && strcmp(failed, id) == 0) {
			(void)snprintf(prefix, sizeof(prefix), "%s-%s-",
			    json_str(item, "kind"), id);
			f = form_state(req, data, prefix);
			chosen = json_str(f, "decision");
			rc = cJSON_Duplicate(reasons, 1);
			page_mark(rc, "slug", json_str(f, "reason"),
			    "selected");
			cJSON_AddItemToObject(item, "reason_choices", rc);
			cJSON_AddItemToObject(item, "f", f);
			cJSON_AddBoolToObject(item, "open", 1);
		}
		if (chosen == NULL && param(req, "entscheiden") != NULL &&
		    strcmp(param(req, "entscheiden"), id) == 0) {
			cJSON_AddBoolToObject(item, "open", 1);
			cJSON_AddBoolToObject(item, "full", 1);
		}
		if (cJSON_HasObjectItem(item, "f"))
			cJSON_AddBoolToObject(item, "full", 1);
		item_choices(req, item, chosen);
		quick_choices(req, item);
		(void)snprintf(name, sizeof(name), "id-%s", id);
		if (all || (rq->resume != NULL && failed == NULL &&
		    params_get(&rq->form, name) != NULL))
			cJSON_AddBoolToObject(item, "checked", 1);
	}
}

/* ---- tabs, filters, confirmation ---- */

static void
desk_tabs(struct http_request *req, cJSON *data, const cJSON *counts)
{
	static const char *const tabs[][3] = {
	    { "review_ideas", "tab=review&kind=idea", "review_ideas" },
	    { "review_comments", "tab=review&kind=comment",
		"review_comments" },
	    { "flagged", "tab=flagged", NULL },
	    { "defects", NULL, "defects" },
	    { "decided", "tab=decided", "decided" } };
	const char	*tab = desk_tab(req), *kind = desk_kind(req);
	char		href[96], label[128], cur[32];
	double		n;
	cJSON		*list, *e;
	size_t		i;

	(void)snprintf(cur, sizeof(cur), "%s%s%s", tab,
	    strcmp(tab, "review") == 0 ? "_" : "", strcmp(tab, "review") ==
	    0 ? (strcmp(kind, "idea") == 0 ? "ideas" : "comments") : "");
	list = cJSON_AddArrayToObject(data, "tabs");
	for (i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		e = cJSON_CreateObject();
		if (tabs[i][2] != NULL)
			n = json_num(counts, tabs[i][2]);
		else
			n = json_num(counts, "flagged_ideas") +
			    json_num(counts, "flagged_comments");
		if (tabs[i][1] == NULL)
			(void)snprintf(href, sizeof(href),
			    "/moderation/maengel?lang=%s",
			    lang_code(rq_get(req)->lang));
		/* Flagged: the kind that has some, ideas first. */
		else if (tabs[i][2] == NULL)
			(void)snprintf(href, sizeof(href),
			    "/moderation?lang=%s&%s&kind=%s",
			    lang_code(rq_get(req)->lang), tabs[i][1],
			    json_num(counts, "flagged_ideas") == 0 &&
			    json_num(counts, "flagged_comments") > 0 ?
			    "comment" : "idea");
		else
			(void)snprintf(href, sizeof(href),
			    "/moderation?lang=%s&%s",
			    lang_code(rq_get(req)->lang), tabs[i][1]);
		(void)snprintf(label, sizeof(label), "%s (%.0f)",
		    page_text(req, "desk_tabs", tabs[i][0]), n);
		cJSON_AddStringToObject(e, "href", href);
		cJSON_AddStringToObject(e, "label", label);
		if (strcmp(cur, tabs[i][0]) == 0)
			cJSON_AddBoolToObject(e, "current", 1);
		cJSON_AddItemToArray(list, e);
	}
}

/* The filter form's selects, with what is chosen marked. */
static void
desk_filters(struct http_request *req, cJSON *data, cJSON *tax)
{
	page_mark(cJSON_GetObjectItemCaseSensitive(tax, "fields"), "slug",
	    param(req, "field"), "selected");
	page_mark(cJSON_GetObjectItemCaseSensitive(tax, "districts"), "slug",
	    param(req, "district"), "selected");
	cJSON_AddItemToObject(data, "tax", tax);
	cJSON_AddItemToObject(data, "kinds", page_choices(req,
	    (const char *const[]){ "idea", "comment", NULL }, "desk_kinds",
	    desk_kind(req)));
	cJSON_AddItemToObject(data, "states_filter", page_choices(req,
	    state_codes, "desk_states", param(req, "state")));
	cJSON_AddItemToObject(data, "ages", page_choices(req, age_codes,
	    "desk_ages", param(req, "age")));
	cJSON_AddItemToObject(data, "sorts", page_choices(req, sort_codes,
	    "desk_sorts", param(req, "sort") != NULL ? param(req, "sort") :
	    "oldest"));
}

/*
 * "Idee „Bänke am Ring“ veröffentlicht." or "3 Kommentare abgelehnt.":
 * one sentence for a decision, from the catalogue's parts.
 */
static void
decision_sentence(struct http_request *req, cJSON *d)
{
	const cJSON	*items = cJSON_GetObjectItemCaseSensitive(d, "items");
	const char	*kind = json_str(d, "kind"), *verb;
	char		out[512], key[48];
	int		n = cJSON_GetArraySize(items);

	if (kind == NULL)
		return;
	verb = page_text(req, "desk_done", json_str(d, "decision"));
	if (n == 1) {
		(void)snprintf(out, sizeof(out), page_text(req, "desk",
		    "sentence_one"), page_text(req, "desk_kinds", kind),
		    json_str(cJSON_GetArrayItem(items, 0), "title") != NULL ?
		    json_str(cJSON_GetArrayItem(items, 0), "title") : "",
		    verb);
	} else {
		(void)snprintf(key, sizeof(key), "%s_many", kind);
		(void)snprintf(out, sizeof(out), "%d %s %s.", n,
		    page_text(req, "desk_kinds", key), verb);
	}
	cJSON_AddStringToObject(d, "sentence", out);
	page_date(req, d, "decided_at");
}

static void
desk_decisions(struct http_request *req, cJSON *data, cJSON *doc)
{
	cJSON	*d;

	if (doc == NULL)
		return;
	decision_sentence(req, cJSON_GetObjectItemCaseSensitive(doc, "done"));
	decision_sentence(req, cJSON_GetObjectItemCaseSensitive(doc,
	    "undone"));
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(doc, "recent"))
		decision_sentence(req, d);
	cJSON_AddItemToObject(data, "decisions_doc", doc);
}

/* The bulk form: the tab's decisions, and its state after a failure. */
static void
desk_bulk(struct http_request *req, cJSON *data, const cJSON *reasons)
{
	struct rq	*rq = rq_get(req);
	const char	*chosen = NULL;
	cJSON		*f, *rc;

	rc = cJSON_Duplicate(reasons, 1);
	if (rq->resume != NULL && rq->form_page == &decision_form &&
	    failed_item(req) == NULL) {
		f = form_state(req, data, "bulk-");
		chosen = json_str(f, "decision");
		page_mark(rc, "slug", json_str(f, "reason"), "selected");
		cJSON_AddItemToObject(data, "f", f);
	}
	cJSON_AddItemToObject(data, "bulk_reasons", rc);
	cJSON_AddItemToObject(data, "bulk_decisions", page_choices(req,
	    strcmp(desk_tab(req), "flagged") == 0 ? flagged_decisions :
	    review_decisions, "decisions", chosen));
}

static void
desk_links(struct http_request *req, cJSON *data, const cJSON *list)
{
	struct strbuf	qs;
	const char	*after = param(req, "after");

	strbuf_init(&qs, 128);
	view_query(req, &qs);
	cJSON_AddStringToObject(data, "view", qs.data);
	if (after != NULL)
		strbuf_appendf(&qs, "&after=%s", after);
	cJSON_AddStringToObject(data, "page_view", qs.data);
	cJSON_AddBoolToObject(data, "all_selected", param(req, "alle") !=
	    NULL);
	cJSON_AddBoolToObject(data, "paged", after != NULL);
	if (json_str(list, "next") != NULL)
		cJSON_AddStringToObject(data, "next", json_str(list, "next"));
	strbuf_free(&qs);
}

static int
desk_show(struct http_request *req)
{
	PGresult	*q, *r, *t, *d;
	enum db_status	s;
	const char	*tab = desk_tab(req), *after = param(req, "after");
	cJSON		*data, *list, *rdoc, *reasons, *counts;

	if (after != NULL && !desk_cursor_ok(after))
		return (page_error(req, 400, NULL));
	rq_var_put(req, "desk_tab", strcmp(tab, "decided") == 0 ? "review" :
	    tab);
	rq_var_put(req, "kind", desk_kind(req));
	rq_var_put(req, "sort", param(req, "sort") != NULL ?
	    param(req, "sort") : "oldest");
	rq_var_put(req, "limit", DESK_PAGE);
	if ((s = db_step(req, &op_desk, &q)) != DB_DONE ||
	    (s = db_step(req, &op_moderation_reasons, &r)) != DB_DONE ||
	    (s = db_step(req, &op_page_taxonomy, &t)) != DB_DONE ||
	    (s = db_step(req, &op_decisions, &d)) != DB_DONE)
		return (db_yield(s));
	data = form_data(req, "moderation");
	list = db_json(q);
	rdoc = db_json(r);
	reasons = cJSON_GetObjectItemCaseSensitive(rdoc, "reasons");
	counts = cJSON_GetObjectItemCaseSensitive(list, "counts");
	desk_tabs(req, data, counts);
	desk_filters(req, data, db_json(t));
	desk_items(req, data, cJSON_GetObjectItemCaseSensitive(list, "items"),
	    reasons);
	desk_bulk(req, data, reasons);
	desk_links(req, data, list);
	desk_decisions(req, data, db_json(d));
	cJSON_AddBoolToObject(data, "has_items", cJSON_GetArraySize(
	    cJSON_GetObjectItemCaseSensitive(list, "items")) > 0);
	cJSON_AddBoolToObject(data, "tab_decided", strcmp(tab, "decided") == 0);
	cJSON_AddBoolToObject(data, "tab_review", strcmp(tab, "review") == 0);
	cJSON_AddStringToObject(data, "kind", desk_kind(req));
	cJSON_AddStringToObject(data, "tab", tab);
	cJSON_AddItemToObject(data, "list", list);
	cJSON_AddItemToObject(data, "r", rdoc);
	cJSON_AddItemReferenceToObject(data, "reasons", reasons);
	return (form_render(req, data, "moderation.html"));
}

/* GET /moderation */
int
page_moderation(struct http_request *req)
{
	return (desk_show(req));
}

/*
 * POST /moderation/entscheidungen: a row's decision (?item=) or the bulk
 * one, back to the same view with the confirmation; from an idea's page
 * (?back=) back to the idea; a defect report's text or message back to
 * /moderation/maengel.
 */
int
page_decision_post(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	const char	*back, *kind;

	if (params_get(&rq->vars, "redirect") == NULL) {
		back = param(req, "back");
		kind = params_get(&rq->form, "kind");
		if (kind != NULL && strncmp(kind, "defect", 6) == 0)
			rq_var_setf(req, "redirect", "/moderation/maengel"
			    "?lang=%s&tab=%s", lang_code(rq->lang),
			    strcmp(kind, "defect") == 0 ? "texts" :
			    "messages");
		else if (back != NULL)
			rq_var_setf(req, "redirect", "/ideen/%s?lang=%s",
			    back, lang_code(rq->lang));
		else
			desk_redirects(req, "erledigt");
	}
	return (form_run(req, &decision_form, api_moderation_decide));
}

/* POST /moderation/entscheidungen/{id}/rueckgaengig */
int
page_undo_post(struct http_request *req)
{
	if (params_get(&rq_get(req)->vars, "redirect") == NULL)
		desk_redirects(req, "rueckgaengig");
	return (form_run(req, &undo_form, api_moderation_undo));
}

/* ---- a moderator's corrections ---- */

static int
edit_show(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *doc, *e;

	if ((s = db_step(req, &op_editable, &res)) != DB_DONE)
		return (db_yield(s));
	if ((doc = db_json(res)) == NULL)
		return (page_error(req, 404, NULL));
	data = form_data(req, "moderation_edit");
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(doc,
	    "revisions"))
		page_date(req, e, "at");
	cJSON_AddBoolToObject(doc, "is_idea", strcmp(json_str(doc, "kind"),
	    "idea") == 0);
	cJSON_AddItemToObject(data, "e", doc);
	cJSON_AddBoolToObject(data, "saved", param(req, "gespeichert") !=
	    NULL);
	if (rq->resume != NULL)
		cJSON_AddItemToObject(data, "f", form_state(req, data,
		    "edit-"));
	return (form_render(req, data, "moderation_edit.html"));
}

static int
edit_page(struct http_request *req, const char *kind)
{
	rq_var_put(req, "edit_kind", kind);
	rq_get(req)->form_page = &edit_form;
	return (edit_show(req));
}

static int
edit_post(struct http_request *req, const char *kind, const char *path,
    int (*handler)(struct http_request *))
{
	struct rq	*rq = rq_get(req);

	if (params_get(&rq->vars, "redirect") == NULL)
		rq_var_setf(req, "redirect", "/moderation/%s/%s/bearbeiten"
		    "?lang=%s&gespeichert=1", path, param(req, "id"),
		    lang_code(rq->lang));
	rq_var_put(req, "edit_kind", kind);
	return (form_run(req, &edit_form, handler));
}

/* GET /moderation/ideen/{id}/bearbeiten */
int
page_edit_idea(struct http_request *req)
{
	return (edit_page(req, "idea"));
}

/* POST /moderation/ideen/{id}/bearbeiten */
int
page_edit_idea_post(struct http_request *req)
{
	return (edit_post(req, "idea", "ideen", api_moderation_edit_idea));
}

/* GET /moderation/kommentare/{id}/bearbeiten */
int
page_edit_comment(struct http_request *req)
{
	return (edit_page(req, "comment"));
}

/* POST /moderation/kommentare/{id}/bearbeiten */
int
page_edit_comment_post(struct http_request *req)
{
	return (edit_post(req, "comment", "kommentare",
	    api_moderation_edit_comment));
}
