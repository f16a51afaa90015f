/*
 * The administration in the browser, its accounts part: the overview of
 * /verwaltung, finding accounts by pseudonym, and granting and revoking
 * roles.  The forms run the API's own checks and statements (admin.c), so
 * the last-admin rule and the audit log are the same on both paths.  A
 * grant or revocation needs a ticked confirmation: a wrong click must not
 * take the role from a colleague.  Administrators see pseudonyms, never
 * e-mail addresses.
 */

#include <stdio.h>
#include <string.h>

#include "accounts.h"

#define ACCOUNTS_PAGE	20
#define ACCOUNTS_LIMIT	"20"

static const char *const grantable[] = { "moderator", "staff", "planner",
    "board", "admin", NULL };

static int	account_show(struct http_request *);

static const struct form_page role_form = {
	"admin_account.html", "admin_account", NULL, NULL, account_show
};
/* A revocation's errors stay with the role it was about. */
static const struct form_page revoke_page = {
	"admin_account.html", "admin_account", NULL, NULL, account_show
};

/* GET /verwaltung: the sections an administrator works in. */
int
page_admin(struct http_request *req)
{
	cJSON	*data;

	data = page_new(req, "admin");
	page_notice(req, data);
	return (page_with(req, 200, data, "admin.html"));
}

/* GET /verwaltung/konten?q=&after=: twenty accounts a page, by id. */
int
page_admin_accounts(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	const cJSON	*list, *last;
	const char	*q;
	cJSON		*data, *doc;

	rq_var_put(req, "limit", ACCOUNTS_LIMIT);
	if ((s = db_step(req, &op_admin_accounts, &res)) != DB_DONE)
		return (db_yield(s));
	data = page_new(req, "admin_accounts");
	if ((doc = db_json(res)) != NULL)
		cJSON_AddItemToObject(data, "a", doc);
	if ((q = params_get(&rq->params, "q")) != NULL)
		cJSON_AddStringToObject(data, "q", q);
	list = cJSON_GetObjectItemCaseSensitive(doc, "accounts");
	cJSON_AddBoolToObject(data, "none", cJSON_GetArraySize(list) == 0);
	if (cJSON_GetArraySize(list) == ACCOUNTS_PAGE &&
	    (last = cJSON_GetArrayItem(list, ACCOUNTS_PAGE - 1)) != NULL)
		cJSON_AddNumberToObject(data, "next", json_num(last, "id"));
	return (page_with(req, 200, data, "admin_accounts.html"));
}

/* Each role the account has, in words, and those it may still get. */
static void
account_roles(struct http_request *req, cJSON *acc)
{
	cJSON		*r, *more;
	const char	*role;
	int		held, i;

	held = 0;
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(acc, "roles")) {
		page_label(req, r, "role", "admin_roles");
		page_date(req, r, "granted_at");
		role = json_str(r, "role");
		for (i = 0; role != NULL && grantable[i] != NULL; i++) {
			if (strcmp(role, grantable[i]) == 0)
				held |= 1 << i;
		}
	}
	more = cJSON_AddArrayToObject(acc, "grantable");
	for (i = 0; grantable[i] != NULL; i++) {
		/* Staff may move to another department: always offered. */
		if ((held & (1 << i)) && strcmp(grantable[i], "staff") != 0)
			continue;
		r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "slug", grantable[i]);
		cJSON_AddStringToObject(r, "label", page_text(req,
		    "admin_roles", grantable[i]));
		cJSON_AddItemToArray(more, r);
	}
	page_date(req, acc, "created_at");
}

/* GET /verwaltung/konten/{id}, and the forms shown again after errors. */
static int
account_show(struct http_request *req)
{
	PGresult	*res;
	enum db_status	s;
	cJSON		*data, *acc, *f;

	if ((s = db_step(req, &op_admin_account, &res)) != DB_DONE)
		return (db_yield(s));
	if ((acc = db_json(res)) == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	data = form_data(req, "admin_account");
	page_notice(req, data);
	account_roles(req, acc);
	if (rq_get(req)->form_page == &revoke_page) {
		f = form_state(req, data, "revoke-");
		page_mark(cJSON_GetObjectItemCaseSensitive(acc, "roles"),
		    "role", json_str(f, "role"), "failed");
		cJSON_AddItemToObject(data, "rf", f);
		f = cJSON_CreateObject();
	} else {
		f = form_state(req, data, "");
	}
	page_mark(cJSON_GetObjectItemCaseSensitive(acc, "departments"),
	    "slug", json_str(f, "department"), "selected");
	page_mark(cJSON_GetObjectItemCaseSensitive(acc, "grantable"),
	    "slug", json_str(f, "role"), "selected");
	cJSON_AddItemToObject(data, "acc", acc);
	cJSON_AddItemToObject(data, "f", f);
	return (form_render(req, data, "admin_account.html"));
}

int
page_admin_account(struct http_request *req)
{
	return (form_blank(req, &role_form));
}

/* A role from the form and the ticked confirmation; then back here. */
static int
role_form_check(struct http_request *req, struct field_errors *fe,
    const char *done)
{
	struct rq	*rq = rq_get(req);
	const char	*role;
	char		path[64];

	role = params_get(&rq->form, "role");
	if (!input_one_of(role, grantable))
		error_field_add(fe, "role", "required");
	if (params_get(&rq->form, "confirm") == NULL)
		error_field_add(fe, "confirm", "required");
	if (fe->count > 0)
		return (MW_ERROR);
	rq_var_set(req, "role", role);
	(void)snprintf(path, sizeof(path), "/verwaltung/konten/%s",
	    params_get(&rq->params, "id"));
	form_redirect_done(req, path, done);
	return (MW_OK);
}

static int
grant_form(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (role_form_check(req, &fe, "role-granted"))
			(void)role_grant_check(req, params_get(&rq->vars,
			    "role"), params_get(&rq->form, "department"), &fe);
		if (fe.count > 0)
			return (respond_fields(req, 422, &fe));
	}
	return (db_request(req, &op_role_grant));
}

/* POST /verwaltung/konten/{id}/rollen: role, department, confirm. */
int
page_admin_role_grant_post(struct http_request *req)
{
	return (form_run(req, &role_form, grant_form));
}

static int
revoke_form(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!role_form_check(req, &fe, "role-revoked"))
			return (respond_fields(req, 422, &fe));
	}
	return (api_role_revoke(req));
}

/* POST /verwaltung/konten/{id}/rollen/entziehen: role, confirm. */
int
page_admin_role_revoke_post(struct http_request *req)
{
	return (form_run(req, &revoke_page, revoke_form));
}
