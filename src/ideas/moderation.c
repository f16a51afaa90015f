/*
 * Moderation: the queue (oldest first), decisions on one item or many at
 * once (publish, reject, hide, restore) with a reason from the city's list
 * and a free text shown to the author, edits that keep the previous text,
 * and the audit log of all of it.  Moderators see pseudonyms and the
 * channel of a submission, never an e-mail address.
 *
 * The legal transitions live in moderation_next() (sql/functions/);
 * an illegal one is refused with 409 and nothing of a bulk decision is
 * applied.  Every decision is kept with each item's state before it, so
 * that it can be undone for a short while (moderation_undo()).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ideas.h"

#define BULK_MAX	100

/*
 * Items waiting for review, or hidden by flags pending review; oldest
 * (lowest id) first, the next page after the last id seen.
 */
static const char SQL_QUEUE[] =
    "SELECT json_build_object('items', coalesce(json_agg(CASE"
    " WHEN q.kind = 'idea' THEN (SELECT json_build_object("
    "  'kind', 'idea', 'id', i.id, 'title', i.title,"
    "  'text', i.description, 'state', i.state, 'status', i.status,"
    "  'field', f.slug, 'channel', i.channel,"
    "  'author', author_json(i.author_id, i.channel),"
    "  'created_at', i.created_at, 'reason', i.reason,"
    "  'flags', (SELECT coalesce(json_object_agg(r.reason, r.n), '{}')"
    "   FROM (SELECT fl.reason, count(*) AS n FROM flags fl"
    "   WHERE fl.kind = 'idea' AND fl.target_id = i.id"
    "   AND fl.resolved_at IS NULL GROUP BY fl.reason) r))"
    "  FROM ideas i JOIN fields f ON f.id = i.field_id WHERE i.id = q.id)"
    " ELSE (SELECT json_build_object("
    "  'kind', 'comment', 'id', c.id, 'idea_id', c.idea_id,"
    "  'idea_title', i.title, 'text', c.body, 'state', c.state,"
    "  'parent_id', c.parent_id, 'channel', c.channel,"
    "  'author', author_json(c.author_id, c.channel),"
    "  'created_at', c.created_at, 'reason', c.reason,"
    "  'flags', (SELECT coalesce(json_object_agg(r.reason, r.n), '{}')"
    "   FROM (SELECT fl.reason, count(*) AS n FROM flags fl"
    "   WHERE fl.kind = 'comment' AND fl.target_id = c.id"
    "   AND fl.resolved_at IS NULL GROUP BY fl.reason) r))"
    "  FROM comments c JOIN ideas i ON i.id = c.idea_id WHERE c.id = q.id)"
    " END ORDER BY q.id), '[]'::json),"
    " 'next', CASE WHEN count(*) = coalesce($5::int, 50) THEN"
    "  max(q.id)::text END)"
    /* The page first, by id alone; its documents only for that page. */
    " FROM (SELECT 'idea' AS kind, i.id"
    " FROM ideas i JOIN fields f ON f.id = i.field_id"
    " WHERE coalesce($1, 'idea') = 'idea' AND i.state = ANY (CASE $2"
    "  WHEN 'pending' THEN ARRAY['pending'] WHEN 'hidden' THEN"
    "  ARRAY['hidden'] ELSE ARRAY['pending', 'hidden'] END)"
    "  AND ($3::text IS NULL OR f.slug = $3)"
    "  AND i.id > coalesce($4::bigint, 0)"
    " UNION ALL"
    " SELECT 'comment', c.id"
    " FROM comments c JOIN ideas i ON i.id = c.idea_id"
    " JOIN fields f ON f.id = i.field_id"
    " WHERE $1 = 'comment' AND c.state = ANY (CASE $2"
    "  WHEN 'pending' THEN ARRAY['pending'] WHEN 'hidden' THEN"
    "  ARRAY['hidden'] ELSE ARRAY['pending', 'hidden'] END)"
    "  AND ($3::text IS NULL OR f.slug = $3)"
    "  AND c.id > coalesce($4::bigint, 0)"
    " ORDER BY 2 LIMIT coalesce($5::int, 50)) q";

static const char SQL_DECIDE[] =
    "SELECT moderate($1::bigint, $2, $3::bigint[], $4, $5, $6)";

static const char SQL_UNDO[] =
    "SELECT moderation_undo($1::bigint, $2::bigint)";

static const char SQL_EDIT[] =
    "SELECT moderate_edit($1::bigint, $2, $3::bigint, $4, $5, $6, $7::int)";

/*
 * Newest first; the actor by pseudonym ("system" for automatic hiding).
 * The board's entries are not moderation: only administrators see them,
 * and they never hold scores (see assess()), so that nobody reads a
 * member's judgement before giving their own.
 */
static const char SQL_LOG[] =
    "SELECT json_build_object('entries', coalesce(json_agg(json_build_object("
    " 'id', l.id, 'at', l.at, 'actor', coalesce(a.pseudonym, 'system'),"
    " 'action', l.action, 'kind', l.target_kind, 'target_id', l.target_id,"
    " 'detail', l.detail) ORDER BY l.id DESC), '[]'::json))"
    " FROM (SELECT * FROM audit_log l"
    "  WHERE ($1::text IS NULL OR l.target_kind = $1)"
    "  AND ($2::bigint IS NULL OR l.target_id = $2::bigint)"
    "  AND ($3::text IS NULL OR l.action LIKE $3 || '%')"
    "  AND l.id < coalesce($4::bigint, 9223372036854775807)"
    "  AND (l.action NOT LIKE 'board.%' OR EXISTS (SELECT 1"
    "   FROM account_roles r WHERE r.account_id = $6::bigint"
    "   AND r.role = 'admin'))"
    "  ORDER BY l.id DESC LIMIT coalesce($5::int, 100)) l"
    " LEFT JOIN accounts a ON a.id = l.actor_id";

static const char SQL_REASONS[] =
    "SELECT json_build_object('reasons', json_agg(json_build_object("
    " 'slug', slug, 'label', CASE WHEN $1 = 'en' THEN label_en"
    " ELSE label_de END, 'flaggable', flaggable) ORDER BY position))"
    " FROM moderation_reasons";

static const char *const queue_args[] = { "kind", "state", "field", "after",
    "limit", NULL };
static const char *const decide_args[] = { "me", "kind", "ids", "decision",
    "reason", "explanation", NULL };
static const char *const undo_args[] = { "me", "id", NULL };
static const char *const edit_args[] = { "me", "kind", "id", "title",
    "body", "note", "version", NULL };
static const char *const log_args[] = { "kind", "id", "action", "before",
    "limit", "me", NULL };
static const char *const reasons_args[] = { "@lang", NULL };

static const struct db_constraint decide_constraints[] = {
	{ "moderation_transition", 409, "decision", "this decision is not "
	    "possible in the item's current state", "illegal_transition" },
	{ "moderation_target", 404, "ids", "no such item", NULL },
	{ "moderation_reason", 422, "reason", "is not a known reason", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint undo_constraints[] = {
	{ "moderation_decision", 404, "id", "no such decision", NULL },
	{ "moderation_undone", 409, "id", "this decision was undone already",
	    "already_undone" },
	{ "moderation_undo_expired", 409, "id", "the time to undo this "
	    "decision has passed", "undo_expired" },
	{ "moderation_undo_conflict", 409, "id", "someone decided on one of "
	    "its items since", "undo_conflict" },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint edit_constraints[] = {
	{ "moderation_target", 404, "id", "no such item", NULL },
	{ "ideas_title_check", 422, "title", "must be 5 to 120 characters "
	    "long", NULL },
	/* No code of its own: a form shows it at its field, with the text
	 * the moderator typed kept. */
	{ "moderation_edit_conflict", 409, "version", "someone else edited "
	    "this text since you opened it", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

const struct db_op op_moderation_queue = {
	.name = "moderation_queue", .sql = SQL_QUEUE, .kind = DB_READ,
	.args = queue_args, .done = db_send_json,
};
static int	decided(struct http_request *, PGresult *,
		    const struct db_op *);

static const struct db_op op_decide = {
	.name = "moderation_decide", .sql = SQL_DECIDE, .kind = DB_WRITE,
	.args = decide_args, .constraints = decide_constraints,
	.done = decided,
};
static const struct db_op op_undo = {
	.name = "moderation_undo", .sql = SQL_UNDO, .kind = DB_WRITE,
	.args = undo_args, .constraints = undo_constraints,
	.done = decided,
};
static const struct db_op op_edit = {
	.name = "moderation_edit", .sql = SQL_EDIT, .kind = DB_WRITE,
	.args = edit_args, .constraints = edit_constraints,
	.done = db_send_json,
};
const struct db_op op_moderation_log = {
	.name = "moderation_log", .sql = SQL_LOG, .kind = DB_READ,
	.args = log_args, .done = db_send_json,
};
const struct db_op op_moderation_reasons = {
	.name = "moderation_reasons", .sql = SQL_REASONS, .kind = DB_READ,
	.args = reasons_args, .done = db_send_json,
};

static const struct input_field decide_input[] = {
	{ "kind", IN_TEXT, NULL },
	{ "ids", IN_IDS, "id-" },
	{ "decision", IN_TEXT, NULL },
	{ "reason", IN_TEXT, NULL },
	{ "explanation", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/* The ids of a bulk decision as an array literal "{1,2}". */
static int
ids_var(struct http_request *req, struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	const cJSON	*ids, *e;
	struct strbuf	arr;
	char		*end;
	long long	id;
	int		i, n;

	strbuf_init(&arr, 64);
	strbuf_appends(&arr, "{");
	n = 0;
	if (rq->body != NULL) {
		ids = cJSON_GetObjectItemCaseSensitive(rq->body, "ids");
		cJSON_ArrayForEach(e, ids) {
			if (!cJSON_IsNumber(e) || e->valuedouble < 1 ||
			    e->valuedouble > 9007199254740991.0 ||
			    e->valuedouble != (double)(long long)e->valuedouble)
				goto bad;
			strbuf_appendf(&arr, "%s%lld", n++ ? "," : "",
			    (long long)e->valuedouble);
		}
	} else {
		for (i = 0; i < rq->form.count; i++) {
			if (strncmp(rq->form.items[i].name, "id-", 3) != 0)
				continue;
			id = strtoll(rq->form.items[i].name + 3, &end, 10);
			if (*end != '\0' || id < 1)
				goto bad;
			strbuf_appendf(&arr, "%s%lld", n++ ? "," : "", id);
		}
	}
	if (n == 0 || n > BULK_MAX) {
		error_field_add(fe, "ids", n == 0 ? "required" :
		    "at most 100 items at once");
		strbuf_free(&arr);
		return (MW_ERROR);
	}
	strbuf_appends(&arr, "}");
	rq_var_set(req, "ids", arr.data);
	strbuf_free(&arr);
	return (MW_OK);
bad:
	error_field_add(fe, "ids", "must be a list of item ids");
	strbuf_free(&arr);
	return (MW_ERROR);
}

/* The decision's words: kind, decision, and a reason where one is owed. */
static int
moderation_prepare(struct http_request *req, struct field_errors *fe)
{
	static const char *const kinds[] = { "idea", "comment", "defect",
	    "defect_message", NULL };
	static const char *const decisions[] = { "publish", "reject", "hide",
	    "restore", "keep", NULL };
	const char	*kind, *decision, *reason;

	if (!input_fields(req, decide_input, fe))
		return (MW_ERROR);
	kind = input_text(req, "kind");
	decision = input_text(req, "decision");
	reason = input_text(req, "reason");
	if (!input_one_of(kind, kinds))
		error_field_add(fe, "kind", "must be idea, comment, defect or "
		    "defect_message");
	if (!input_one_of(decision, decisions))
		error_field_add(fe, "decision", "must be publish, reject, hide, "
		    "restore or keep");
	(void)ids_var(req, fe);
	/* The author is owed a reason for what is taken away. */
	if (reason == NULL && input_one_of(decision, (const char *const[]){
	    "reject", "hide", NULL }))
		error_field_add(fe, "reason", "required");
	(void)input_text_var(req, "explanation", 1, 2000, TEXT_MULTILINE, fe);
	if (reason != NULL && strcmp(reason, "other") == 0 &&
	    input_text(req, "explanation") == NULL)
		error_field_add(fe, "explanation", "required with the reason "
		    "other");
	if (fe->count > 0)
		return (MW_ERROR);
	rq_var_set(req, "kind", kind);
	rq_var_set(req, "decision", decision);
	if (reason != NULL && input_one_of(decision, (const char *const[]){
	    "reject", "hide", NULL }))
		rq_var_set(req, "reason", reason);
	return (MW_OK);
}

/*
 * After a decision or its undo: the JSON, or a form's next page.  A page
 * that confirms decisions names its way on in "redirect_done"; the
 * decision's id goes with it, for the confirmation and its undo button.
 */
static int
decided(struct http_request *req, PGresult *res, const struct db_op *op)
{
	struct rq	*rq = rq_get(req);
	const char	*base;
	cJSON		*doc;
	char		to[512];

	if (rq->form_page != NULL &&
	    (base = params_get(&rq->vars, "redirect_done")) != NULL &&
	    (doc = db_json(res)) != NULL) {
		(void)snprintf(to, sizeof(to), "%s%.0f", base,
		    json_num(doc, "decision_id"));
		rq_var_update(req, "redirect", to);
		cJSON_Delete(doc);
	}
	return (db_send_json(req, res, op));
}

/* POST /api/v1/moderation/decisions */
int
api_moderation_decide(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!moderation_prepare(req, &fe))
			return (respond_fields(req, 422, &fe));
	}
	return (db_request(req, &op_decide));
}

static const struct input_field edit_idea_input[] = {
	{ "title", IN_TEXT, NULL },
	{ "description", IN_TEXT, NULL },
	{ "note", IN_TEXT, NULL },
	{ "version", IN_INT, NULL },
	{ NULL, 0, NULL }
};

static const struct input_field edit_comment_input[] = {
	{ "body", IN_TEXT, NULL },
	{ "note", IN_TEXT, NULL },
	{ "version", IN_INT, NULL },
	{ NULL, 0, NULL }
};

/*
 * The version the editor started from: If-Match: "2" (the API), or the
 * form's hidden field (the edit page always sends it).  Without either,
 * an API client's edit is taken as is.
 */
static void
edit_version(struct http_request *req, struct field_errors *fe)
{
	const char	*h;
	char		*end;
	double		n;
	int		got;

	if (http_request_header(req, "if-match", &h)) {
		if (strncmp(h, "W/", 2) == 0)
			h += 2;
		if (*h == '"')
			h++;
		n = strtol(h, &end, 10);
		if (end == h || (*end != '"' && *end != '\0')) {
			error_field_add(fe, "If-Match", "must be the text's "
			    "version in quotes");
			return;
		}
	} else if ((got = input_number(req, "version", &n, fe)) <= 0) {
		if (got == 0 && rq_get(req)->form_page != NULL)
			error_field_add(fe, "version", "is missing: load the "
			    "page again");
		return;
	}
	if (n < 0 || n > 1000000 || n != (long)n)
		error_field_add(fe, "version", "must be the text's version, "
		    "as its revisions count it");
	else
		rq_var_setf(req, "version", "%ld", (long)n);
}

static int
edit(struct http_request *req, const char *kind)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*body;

	if (rq->prepared)
		return (db_request(req, &op_edit));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, strcmp(kind, "idea") == 0 ? edit_idea_input :
	    edit_comment_input, &fe))
		return (respond_fields(req, 422, &fe));
	rq_var_set(req, "kind", kind);
	if (strcmp(kind, "idea") == 0) {
		(void)input_text_var(req, "title", 5, 120, 0, &fe);
		(void)input_text_var(req, "description", 20, 5000,
		    TEXT_MULTILINE, &fe);
		if (fe.count == 0 && input_text(req, "title") == NULL &&
		    input_text(req, "description") == NULL)
			error_field_add(&fe, "title", "give a new title or "
			    "description");
		if ((body = params_get(&rq->vars, "description")) != NULL)
			rq_var_set(req, "body", body);
	} else {
		(void)input_text_var(req, "body", 2, 2000,
		    TEXT_REQUIRED | TEXT_MULTILINE, &fe);
	}
	/* Why a moderator changed someone's words is always recorded. */
	(void)input_text_var(req, "note", 3, 500, TEXT_REQUIRED, &fe);
	edit_version(req, &fe);
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	return (db_request(req, &op_edit));
}

/* PATCH /api/v1/moderation/ideas/{id} */
int
api_moderation_edit_idea(struct http_request *req)
{
	return (edit(req, "idea"));
}

/* PATCH /api/v1/moderation/comments/{id} */
int
api_moderation_edit_comment(struct http_request *req)
{
	return (edit(req, "comment"));
}

/*
 * POST /api/v1/moderation/decisions/{id}/undo: takes a decision back
 * within moderation_undo_window(); no body, or an empty one.
 */
int
api_moderation_undo(struct http_request *req)
{
	static const struct input_field none[] = { { NULL, 0, NULL } };
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!input_fields(req, none, &fe))
			return (respond_fields(req, 422, &fe));
	}
	return (db_request(req, &op_undo));
}
