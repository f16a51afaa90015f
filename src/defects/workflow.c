/*
 * The department's side of defect reports: the status workflow, handing a
 * report to another department, the dialogue with the reporter, the
 * reporter's feedback on a closed report, the queue, and what waits for
 * moderators.  Who may change a report is decided in SQL
 * (defect_for_staff, defect_reporter), in the one statement each change
 * is; the reporter's mail is sealed here in a step before it.
 */

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "defects.h"

/* Step one of a change that mails the reporter: their sealed address. */
static const char SQL_CONTACT[] =
    "SELECT email_ct, status_nonce FROM defect_contact($1::bigint)";

static const char SQL_STATUS[] =
    "SELECT defect_set_status($1::bigint, $2::smallint, $3::boolean,"
    " $4::bigint, $5, $6, $7::bigint, $8, $9::bytea, $10)";

static const char SQL_REASSIGN[] =
    "SELECT defect_reassign($1::bigint, $2::smallint, $3::boolean,"
    " $4::bigint, $5, $6, $7)";

static const char SQL_MESSAGE[] =
    "SELECT defect_message_add($1::bigint, $2, $3::bytea, $4::bigint,"
    " $5::smallint, $6::boolean, $7, $8::bytea)";

static const char SQL_FEEDBACK[] =
    "SELECT defect_feedback($1::bigint, $2::bytea, $3::bigint, $4, $5,"
    " $6::int, $7)";

/*
 * The department's queue after the last row seen, in one of three orders
 * (oldest first, newest first, most supports first), filtered by status,
 * category, district and age, with the counts per status and overdue of
 * the same filter (but any status).  The cursor names its order:
 * "q.<created µs>.<id>" oldest, "n.<created µs>.<id>" newest,
 * "s.<supports>.<id>" most supports; a cursor of another order is
 * refused by the caller.  Staff see their department; admins any, or the
 * one they name.
 */
#define QUEUE_FILTER \
    " r.department_id = coalesce((SELECT id FROM departments" \
    "  WHERE slug = $2), $1::smallint)" \
    " AND ($4::text IS NULL OR c.code = $4)" \
    " AND ($10::text IS NULL OR r.district_id = (SELECT id FROM districts" \
    "  WHERE slug = $10))" \
    " AND ($11::int IS NULL OR r.created_at < now() - $11::int *" \
    "  interval '1 day')"
#define QUEUE_ORDER \
    " CASE WHEN $12 = 'supports' THEN -r.support_count ELSE 0 END," \
    " CASE WHEN $12 = 'newest' THEN -1 ELSE 1 END *" \
    "  extract(epoch FROM r.created_at) * 1000000 * ($12 IS DISTINCT FROM" \
    "  'supports')::int," \
    " CASE WHEN $12 = 'newest' THEN -r.id ELSE r.id END"
static const char SQL_QUEUE[] =
    "SELECT json_build_object('department', (SELECT json_build_object("
    "  'slug', slug, 'name', CASE WHEN $9 = 'en' THEN name_en ELSE"
    "  name_de END) FROM departments WHERE id = coalesce((SELECT id FROM"
    "  departments WHERE slug = $2), $1::smallint)),"
    " 'counts', (SELECT json_build_object('open', count(*) FILTER"
    "   (WHERE r.status = 'open'), 'acknowledged', count(*) FILTER"
    "   (WHERE r.status = 'acknowledged'), 'in_progress', count(*) FILTER"
    "   (WHERE r.status = 'in_progress'), 'overdue', count(*) FILTER"
    "   (WHERE defect_overdue(r, c)), 'resolved', count(*) FILTER"
    "   (WHERE r.status = 'resolved'), 'closed_30d', count(*) FILTER"
    "   (WHERE r.closed_at > now() - interval '30 days'))"
    "  FROM defect_reports r JOIN defect_categories c"
    "  ON c.id = r.category_id WHERE" QUEUE_FILTER "),"
    " 'defects', coalesce(json_agg(q.card ORDER BY q.n)"
    "  FILTER (WHERE q.n <= q.lim), '[]'::json),"
    " 'next', CASE WHEN count(*) > min(q.lim) THEN max(q.cursor)"
    "  FILTER (WHERE q.n = q.lim) END)"
    " FROM (SELECT r.id, coalesce($8::int, 50) AS lim,"
    "  row_number() OVER (ORDER BY" QUEUE_ORDER ") AS n,"
    "  CASE WHEN $12 = 'supports' THEN 's.' || r.support_count"
    "  ELSE CASE WHEN $12 = 'newest' THEN 'n.' ELSE 'q.' END ||"
    "  (extract(epoch FROM r.created_at) * 1000000)::bigint END ||"
    "  '.' || r.id AS cursor,"
    "  json_build_object('id', r.id, 'category',"
    "  json_build_object('code', c.code, 'name', CASE WHEN $9 = 'en'"
    "  THEN c.name_en ELSE c.name_de END), 'status', r.status,"
    "  'field', f.slug, 'field_name', CASE WHEN $9 = 'en' THEN f.name_en"
    "  ELSE f.name_de END, 'district', d.slug, 'district_name', d.name,"
    "  'state', r.state, 'address', r.address, 'location',"
    "  CASE WHEN r.lat IS NOT NULL THEN json_build_object('lat', r.lat,"
    "  'lon', r.lon) END, 'excerpt', left(r.description, 200),"
    "  'supports', r.support_count, 'channel', r.channel,"
    "  'overdue', defect_overdue(r, c), 'reopened', r.reopened_count,"
    "  'pending_messages', (SELECT count(*) FROM defect_messages m"
    "   WHERE m.report_id = r.id AND m.sender = 'reporter' AND"
    "   m.created_at > coalesce((SELECT max(s.created_at) FROM"
    "   defect_messages s WHERE s.report_id = r.id AND"
    "   s.sender = 'staff'), '-infinity')),"
    "  'created_at', r.created_at, 'created_local', to_char(r.created_at"
    "  AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD\"T\"HH24:MI'),"
    "  'updated_at', r.updated_at,"
    "  'acknowledged_at', r.acknowledged_at) AS card"
    "  FROM defect_reports r JOIN defect_categories c"
    "  ON c.id = r.category_id LEFT JOIN fields f ON f.id = c.field_id"
    "  LEFT JOIN districts d ON d.id = r.district_id WHERE" QUEUE_FILTER
    "  AND (CASE WHEN $3::text IS NULL THEN r.closed_at IS NULL"
    "   WHEN $3 = 'closed' THEN r.closed_at IS NOT NULL"
    "   WHEN $3 = 'all' THEN true ELSE r.status = $3 END)"
    "  AND (NOT coalesce($5::boolean, false) OR defect_overdue(r, c))"
    "  AND ($6::bigint IS NULL OR CASE"
    "   WHEN $12 = 'supports' THEN (-r.support_count, r.id) >"
    "    (-$6::bigint, $7::bigint)"
    "   WHEN $12 = 'newest' THEN (r.created_at, r.id) < ('epoch'::"
    "    timestamptz + $6::bigint * interval '1 microsecond', $7::bigint)"
    "   ELSE (r.created_at, r.id) > ('epoch'::timestamptz + $6::bigint *"
    "    interval '1 microsecond', $7::bigint) END)"
    "  ORDER BY" QUEUE_ORDER " LIMIT coalesce($8::int, 50) + 1) q";

/*
 * What waits for a moderator: report texts, messages, photos, filtered
 * and ordered, a page of each or of one tab (sql/functions/
 * moderation_defects.sql); and how many wait under the same filters.
 */
static const char SQL_MODERATION[] =
    "SELECT moderation_defects($1, $2, $3, $4::int, $5, $6::bigint,"
    " $7::bigint, $8::int, $9)";

static const char *const contact_args[] = { "id", NULL };
static const char *const status_args[] = { "me", "department_id", "admin",
    "id", "status", "note", "duplicate_of", "forwarded_to", "mail", "@lang",
    NULL };
static const char *const reassign_args[] = { "me", "department_id",
    "admin", "id", "department", "note", "@lang", NULL };
static const char *const message_args[] = { "id", "sender", "token_hash",
    "me", "department_id", "admin", "body", "mail", NULL };
static const char *const feedback_args[] = { "id", "token_hash", "me",
    "action", "note", "reopen_days", "@lang", NULL };
static const char *const queue_args[] = { "department_id", "department",
    "status", "category", "overdue", "after_a", "after_b", "limit", "@lang",
    "district", "age", "sort", NULL };
static const char *const moderation_args[] = { "moderation_tab",
    "category", "district", "age", "sort", "after_a", "after_b", "limit",
    "@lang", NULL };

static const struct db_op op_contact = {
	.name = "defect_contact", .sql = SQL_CONTACT, .kind = DB_READ,
	.args = contact_args,
};
static const struct db_op op_status = {
	.name = "defect_status", .sql = SQL_STATUS, .kind = DB_WRITE,
	.args = status_args, .constraints = defects_report_constraints,
	.done = db_send_json,
};
static const struct db_op op_reassign = {
	.name = "defect_reassign", .sql = SQL_REASSIGN, .kind = DB_WRITE,
	.args = reassign_args, .constraints = defects_report_constraints,
	.done = db_send_json,
};
static const struct db_op op_message = {
	.name = "defect_message", .sql = SQL_MESSAGE, .kind = DB_WRITE,
	.args = message_args, .constraints = defects_report_constraints,
};
static const struct db_op op_feedback = {
	.name = "defect_feedback", .sql = SQL_FEEDBACK, .kind = DB_WRITE,
	.args = feedback_args, .constraints = defects_report_constraints,
	.done = db_send_json,
};
const struct db_op op_staff_defects = {
	.name = "staff_defects", .sql = SQL_QUEUE, .kind = DB_READ,
	.args = queue_args, .done = db_send_json,
};
const struct db_op op_moderation_defects = {
	.name = "moderation_defects", .sql = SQL_MODERATION, .kind = DB_READ,
	.args = moderation_args, .done = db_send_json,
};

/* The acting staff member: their department, and whether an admin. */
static void
staff_vars(struct http_request *req)
{
	struct principal	*p = &rq_get(req)->who;

	if (p->roles & ROLE_STAFF)
		rq_var_setf(req, "department_id", "%d", p->department_id);
	rq_var_set(req, "admin", (p->roles & ROLE_ADMIN) ? "t" : "f");
}

/*
 * Step one of a change the reporter hears about: seal the mail (template
 * and the status link) for their address, if there is one and they want
 * mail.  The change's statement inserts it only if that still holds.
 */
static enum db_status
mail_step(struct http_request *req, const char *template)
{
	PGresult	*res;
	enum db_status	s;
	unsigned char	ct[SEALED_MAX];
	char		to[EMAIL_MAX + 1], token[TOKEN_LEN + 1];
	char		link[CONFIG_PATH_MAX + 64];
	size_t		len;

	if ((s = db_step(req, &op_contact, &res)) != DB_DONE)
		return (s);
	if (PQntuples(res) == 0 || params_get(&rq_get(req)->vars, "mail"))
		return (DB_DONE);
	if (!bytea_parse(PQgetvalue(res, 0, 0), ct, sizeof(ct), &len) ||
	    !secret_open(mw_keys.email, "email", ct, len, to, sizeof(to)) ||
	    !bytea_parse(PQgetvalue(res, 0, 1), ct, DEFECT_NONCE_LEN, &len) ||
	    len != DEFECT_NONCE_LEN) {
		kore_log(LOG_WARNING, "defect %s: a stored address does not "
		    "open", params_get(&rq_get(req)->params, "id"));
		return (DB_DONE);
	}
	defects_status_token(ct, token);
	defects_status_link(token, link, sizeof(link));
	mail_var(req, "mail", to, template, link);
	sodium_memzero(to, sizeof(to));
	return (DB_DONE);
}

static const struct input_field status_input[] = {
	{ "status", IN_TEXT, NULL },
	{ "note", IN_TEXT, NULL },
	{ "duplicate_of", IN_INT, NULL },
	{ "forwarded_to", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

static int
status_check(struct http_request *req, struct field_errors *fe)
{
	const char	*status;
	long long	dup;
	int		r, closing_elsewhere;

	if (!input_fields(req, status_input, fe))
		return (MW_ERROR);
	if ((status = input_text(req, "status")) == NULL)
		error_field_add(fe, "status", "required");
	else if (!input_one_of(status, defects_statuses + 1))
		error_field_add(fe, "status", "must be acknowledged, "
		    "in_progress, resolved, not_responsible, duplicate or "
		    "rejected");
	else
		rq_var_set(req, "status", status);
	(void)input_text_var(req, "note", 10, 2000,
	    TEXT_REQUIRED | TEXT_MULTILINE, fe);
	r = input_id(req, "duplicate_of", &dup, fe);
	if (status != NULL && strcmp(status, "duplicate") == 0 && r == 0)
		error_field_add(fe, "duplicate_of", "required");
	else if (r == 1 && (status == NULL || strcmp(status, "duplicate")))
		error_field_add(fe, "duplicate_of", "only with the status "
		    "duplicate");
	else if (r == 1)
		rq_var_setf(req, "duplicate_of", "%lld", dup);
	closing_elsewhere = status != NULL &&
	    strcmp(status, "not_responsible") == 0;
	(void)input_text_var(req, "forwarded_to", 2, 200,
	    closing_elsewhere ? TEXT_REQUIRED : 0, fe);
	if (input_text(req, "forwarded_to") != NULL && !closing_elsewhere)
		error_field_add(fe, "forwarded_to", "only with the status "
		    "not_responsible");
	return (fe->count == 0);
}

/* POST /api/v1/defects/{id}/status (staff of its department, admins) */
int
api_defect_status(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	enum db_status		s;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!status_check(req, &fe))
			return (respond_fields(req, 422, &fe));
		staff_vars(req);
	}
	if ((s = mail_step(req, "defect_status")) != DB_DONE)
		return (db_yield(s));
	return (db_request(req, &op_status));
}

static const struct input_field department_input[] = {
	{ "department", IN_TEXT, NULL },
	{ "note", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/* POST /api/v1/defects/{id}/department: hand a report to another. */
int
api_defect_department(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*v;

	if (rq->prepared)
		return (db_request(req, &op_reassign));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, department_input, &fe))
		return (respond_fields(req, 422, &fe));
	if ((v = input_text(req, "department")) == NULL)
		error_field_add(&fe, "department", "required");
	else
		rq_var_set(req, "department", v);
	(void)input_text_var(req, "note", 10, 2000,
	    TEXT_REQUIRED | TEXT_MULTILINE, &fe);
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	staff_vars(req);
	return (db_request(req, &op_reassign));
}

/* 401 names its scheme (RFC 9110), as the dispatcher's own 401 does. */
static int
unauthorized(struct http_request *req)
{
	http_response_header(req, "www-authenticate",
	    "Bearer realm=\"mitwirken\"");
	return (respond_error(req, 401, NULL, "Sign in, or use the link "
	    "from your status page.", NULL));
}

static const struct input_field message_input[] = {
	{ "body", IN_TEXT, NULL },
	{ "token", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/*
 * Who writes: the reporter (status token, or their own account) or staff
 * of the report's department.  Staff who reported a defect themselves
 * write as reporter only by its token.  MW_ERROR after an answer.
 */
static int
sender_vars(struct http_request *req, struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	const char	*token;

	token = input_text(req, "token");
	if (token == NULL && rq->form_page == NULL)
		token = params_get(&rq->params, "token");
	if (token != NULL) {
		if (!defects_token_vars(req, token)) {
			error_field_add(fe, "token", "is not a status link's "
			    "token");
			return (MW_ERROR);
		}
		rq_var_set(req, "sender", "reporter");
		return (MW_OK);
	}
	if (rq->who.roles & (ROLE_STAFF | ROLE_ADMIN)) {
		staff_vars(req);
		rq_var_set(req, "sender", "staff");
		return (MW_OK);
	}
	if (rq->who.account_id == 0) {
		unauthorized(req);
		return (-1);
	}
	rq_var_set(req, "sender", "reporter");
	return (MW_OK);
}

/* POST /api/v1/defects/{id}/messages */
int
api_defect_message_create(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	PGresult		*res;
	enum db_status		s;
	int			r;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!input_fields(req, message_input, &fe))
			return (respond_fields(req, 422, &fe));
		if ((r = sender_vars(req, &fe)) < 0)
			return (KORE_RESULT_OK);
		(void)input_text_var(req, "body", 2, 2000,
		    TEXT_REQUIRED | TEXT_MULTILINE, &fe);
		if (fe.count > 0)
			return (respond_fields(req, 422, &fe));
	}
	if (strcmp(params_get(&rq->vars, "sender"), "staff") == 0 &&
	    (s = mail_step(req, "defect_message")) != DB_DONE)
		return (db_yield(s));
	if ((s = db_step(req, &op_message, &res)) != DB_DONE)
		return (db_yield(s));
	if (rq->form_page != NULL)
		return (form_done(req));
	return (respond_done(req, 201, JSON_TYPE, PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0)));
}

static const struct input_field feedback_input[] = {
	{ "action", IN_TEXT, NULL },
	{ "note", IN_TEXT, NULL },
	{ "token", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/* POST /api/v1/defects/{id}/feedback: confirm "fixed", or reopen. */
int
api_defect_feedback(struct http_request *req)
{
	static const char *const actions[] = { "confirm", "reopen", NULL };
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*action;

	if (rq->prepared)
		return (db_request(req, &op_feedback));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, feedback_input, &fe))
		return (respond_fields(req, 422, &fe));
	if ((action = input_text(req, "action")) == NULL ||
	    !input_one_of(action, actions))
		error_field_add(&fe, "action", "must be confirm or reopen");
	else
		rq_var_set(req, "action", action);
	(void)input_text_var(req, "note", 10, 2000, TEXT_MULTILINE |
	    (action != NULL && strcmp(action, "reopen") == 0 ?
	    TEXT_REQUIRED : 0), &fe);
	if (input_text(req, "token") != NULL) {
		if (!defects_token_vars(req, input_text(req, "token")))
			error_field_add(&fe, "token", "is not a status "
			    "link's token");
	} else if (rq->who.account_id == 0) {
		return (unauthorized(req));
	}
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	rq_var_setf(req, "reopen_days", "%d", mw_config.reopen_days);
	return (db_request(req, &op_feedback));
}

/*
 * The queue's cursor ("q.", "n." or "s." by the order, see SQL_QUEUE)
 * into its two vars; one of another order or none at all is refused.
 */
int
defects_queue_cursor(struct http_request *req)
{
	const char	*after, *sort;
	long long	a, b;
	char		kind, text[24];

	if ((after = params_get(&rq_get(req)->params, "after")) == NULL)
		return (MW_OK);
	sort = params_get(&rq_get(req)->params, "sort");
	kind = sort == NULL ? 'q' : strcmp(sort, "newest") == 0 ? 'n' :
	    strcmp(sort, "supports") == 0 ? 's' : 'q';
	if (!validate_cursor(after, kind, &a, &b))
		return (MW_ERROR);
	/* Pages run again after each query step: put, not set. */
	(void)snprintf(text, sizeof(text), "%lld", a);
	rq_var_put(req, "after_a", text);
	(void)snprintf(text, sizeof(text), "%lld", b);
	rq_var_put(req, "after_b", text);
	return (MW_OK);
}

/*
 * GET /api/v1/staff/defects: the department's queue.  Staff see their own
 * department (naming another is refused); admins the one they name, or
 * the first.
 */
int
api_staff_defects(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*dept;

	if (rq->prepared)
		return (db_request(req, &op_staff_defects));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	dept = params_get(&rq->params, "department");
	if (!(rq->who.roles & ROLE_ADMIN)) {
		if (dept != NULL && strcmp(dept, rq->who.department) != 0)
			return (respond_error(req, 403, "forbidden", "Staff "
			    "see the queue of their own department.", NULL));
		rq_var_setf(req, "department_id", "%d",
		    rq->who.department_id);
	} else if (dept == NULL) {
		rq_var_set(req, "department_id", "1");
	}
	if (!defects_queue_cursor(req)) {
		error_field_add(&fe, "after", "is not a cursor of this queue in "
		    "this order");
		return (respond_fields(req, 422, &fe));
	}
	return (db_request(req, &op_staff_defects));
}
