/*
 * Administration of accounts and roles.  Roles other than citizen are
 * granted by an admin, never self-assigned; every grant and revocation is
 * written to the audit log in the same statement.  Administrators see
 * pseudonyms, never addresses.
 */

#include <string.h>

#include "accounts.h"

static const char SQL_ACCOUNTS[] =
    "SELECT json_build_object('accounts', coalesce(json_agg(x ORDER BY"
    " x.id), '[]'::json)) FROM ("
    " SELECT a.id, a.pseudonym, a.verified_at IS NOT NULL AS verified,"
    "  a.created_at,"
    "  coalesce((SELECT json_agg(json_build_object('role', r.role,"
    "   'department', d.slug) ORDER BY r.role) FROM account_roles r"
    "   LEFT JOIN departments d ON d.id = r.department_id"
    "   WHERE r.account_id = a.id), '[]'::json) AS roles"
    " FROM accounts a WHERE a.deleted_at IS NULL"
    "  AND ($1::text IS NULL OR EXISTS (SELECT 1 FROM account_roles r"
    "   WHERE r.account_id = a.id AND r.role = $1))"
    "  AND a.id > coalesce($2::bigint, 0)"
    /* A pseudonym or any part of one, without LIKE's wildcards. */
    "  AND ($4::text IS NULL OR strpos(lower(a.pseudonym), lower($4)) > 0)"
    " ORDER BY a.id LIMIT coalesce($3::int, 50)) x";

/* One account for its page: pseudonym and roles, never the address. */
static const char SQL_ACCOUNT[] =
    "SELECT json_build_object('id', a.id, 'pseudonym', a.pseudonym,"
    " 'verified', a.verified_at IS NOT NULL, 'created_at', a.created_at,"
    " 'roles', coalesce((SELECT json_agg(json_build_object('role', r.role,"
    "  'department', d.slug, 'granted_at', r.granted_at) ORDER BY r.role)"
    "  FROM account_roles r LEFT JOIN departments d"
    "  ON d.id = r.department_id WHERE r.account_id = a.id), '[]'::json),"
    " 'departments', (SELECT coalesce(json_agg(json_build_object("
    "  'slug', d.slug, 'name', CASE WHEN $2 = 'en' THEN d.name_en"
    "  ELSE d.name_de END) ORDER BY d.slug), '[]'::json) FROM departments d))"
    " FROM accounts a WHERE a.id = $1::bigint AND a.deleted_at IS NULL";

static const char SQL_GRANT[] =
    "WITH g AS (INSERT INTO account_roles (account_id, role, department_id,"
    "  granted_by)"
    " SELECT a.id, $3, (SELECT id FROM departments WHERE slug = $4),"
    "  $1::bigint FROM accounts a"
    " WHERE a.id = $2::bigint AND a.deleted_at IS NULL"
    " ON CONFLICT (account_id, role) DO UPDATE SET"
    "  department_id = EXCLUDED.department_id,"
    "  granted_by = EXCLUDED.granted_by, granted_at = now()"
    " RETURNING account_id, role),"
    " audit AS (INSERT INTO audit_log (actor_id, action, target_id, detail)"
    "  SELECT $1::bigint, 'role_grant', account_id,"
    "  jsonb_build_object('role', role, 'department', $4) FROM g)"
    " SELECT json_build_object('account_id', account_id, 'role', role,"
    "  'department', $4) FROM g";

/* The last admin cannot be removed (trigger last_admin, 004). */
static const char SQL_REVOKE[] =
    "WITH d AS (DELETE FROM account_roles r"
    " WHERE r.account_id = $2::bigint AND r.role = $3"
    " RETURNING account_id, role),"
    " audit AS (INSERT INTO audit_log (actor_id, action, target_id, detail)"
    "  SELECT $1::bigint, 'role_revoke', account_id,"
    "  jsonb_build_object('role', role) FROM d)"
    " SELECT count(*) FROM d";

static const char *const accounts_args[] = { "role", "after", "limit",
    "q", NULL };
static const char *const account_args[] = { "id", "@lang", NULL };
static const char *const grant_args[] = { "me", "id", "role", "department",
    NULL };
static const char *const revoke_args[] = { "me", "id", "role", NULL };

static const struct db_constraint grant_constraints[] = {
	{ "account_roles_check", 422, "department",
	    "staff need a known department; other roles take none", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

static const struct db_constraint revoke_constraints[] = {
	{ "last_admin", 409, "role",
	    "the last administrator cannot lose the role", "last_admin" },
	{ NULL, 0, NULL, NULL, NULL }
};

/* A form shows the rule next to the role instead of an error page. */
static const struct db_constraint revoke_form_constraints[] = {
	{ "last_admin", 409, "role",
	    "the last administrator cannot lose the role", NULL },
	{ NULL, 0, NULL, NULL, NULL }
};

const struct db_op op_admin_accounts = {
	.name = "admin_accounts", .sql = SQL_ACCOUNTS, .kind = DB_READ,
	.args = accounts_args, .done = db_send_json,
};
const struct db_op op_admin_account = {
	.name = "admin_account", .sql = SQL_ACCOUNT, .kind = DB_READ,
	.args = account_args,
};
const struct db_op op_role_grant = {
	.name = "role_grant", .sql = SQL_GRANT, .kind = DB_WRITE,
	.args = grant_args, .constraints = grant_constraints,
	.done = db_send_json,
};
static const struct db_op op_revoke = {
	.name = "role_revoke", .sql = SQL_REVOKE, .kind = DB_WRITE,
	.args = revoke_args, .constraints = revoke_constraints,
};
static const struct db_op op_revoke_form = {
	.name = "role_revoke", .sql = SQL_REVOKE, .kind = DB_WRITE,
	.args = revoke_args, .constraints = revoke_form_constraints,
};

/*
 * Only staff belong to a department; say so, do not drop it.  The API
 * and the account page both check a grant here.
 */
int
role_grant_check(struct http_request *req, const char *role,
    const char *dept, struct field_errors *fe)
{
	if (dept != NULL && *dept == '\0')
		dept = NULL;
	if ((dept != NULL && strcmp(role, "staff") != 0) ||
	    (dept == NULL && strcmp(role, "staff") == 0)) {
		error_field_add(fe, "department", "staff need a known "
		    "department; other roles take none");
		return (MW_ERROR);
	}
	if (dept != NULL)
		rq_var_set(req, "department", dept);
	return (MW_OK);
}

/* PUT /api/v1/admin/accounts/{id}/roles/{role} {"department": "..."} */
int
api_role_grant(struct http_request *req)
{
	static const char *const allowed[] = { "department", NULL };
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	const char		*dept;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!input_check(req, allowed, &fe))
			return (respond_error(req, 422, NULL, NULL, &fe));
		dept = input_get(req, "department");
		if (!role_grant_check(req, params_get(&rq->params, "role"),
		    dept, &fe))
			return (respond_error(req, 422, NULL, NULL, &fe));
	}
	return (db_request(req, &op_role_grant));
}

/* DELETE /api/v1/admin/accounts/{id}/roles/{role} */
int
api_role_revoke(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;

	if ((s = db_step(req, rq_get(req)->form_page != NULL ?
	    &op_revoke_form : &op_revoke, &res)) != DB_DONE)
		return (db_yield(s));
	if (strcmp(PQgetvalue(res, 0, 0), "1") == 0)
		return (respond_done(req, 204, NULL, NULL, 0));
	return (respond_error(req, 404, NULL, NULL, NULL));
}
