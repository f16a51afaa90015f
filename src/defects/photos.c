/*
 * Defect photos: served to whom may see them, and the moderator's
 * decisions (publish, remove, blur an area).  Uploads are processed with
 * the report (src/core/imaging.c, defects.c); here only stored photos.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defects.h"

/*
 * A photo: published ones for everyone; pending ones for staff and for
 * the reporter (by account or by the status link's token in ?token=).
 */
static const char SQL_PHOTO[] =
    "SELECT CASE WHEN $3 = 'thumb' THEN p.thumb ELSE p.image END"
    " FROM defect_photos p JOIN defect_reports r ON r.id = p.report_id"
    " WHERE p.report_id = $1::bigint AND p.position = $2::int"
    " AND p.state <> 'removed' AND (p.state = 'published' OR $4::boolean"
    "  OR r.reporter_id = $5::bigint OR r.status_hash = $6::bytea)";

/* A photo's moderation: publish or remove; audit-logged. */
static const char SQL_PHOTO_DECIDE[] =
    "WITH p AS (UPDATE defect_photos SET"
    "  state = CASE $3 WHEN 'publish' THEN 'published' ELSE 'removed' END,"
    "  image = CASE $3 WHEN 'remove' THEN NULL ELSE image END,"
    "  thumb = CASE $3 WHEN 'remove' THEN NULL ELSE thumb END,"
    "  moderated_by = $1::bigint, moderated_at = now()"
    "  WHERE id = $2::bigint AND state <> 'removed'"
    "  RETURNING id, report_id, state),"
    " a AS (INSERT INTO audit_log (actor_id, action, target_kind,"
    "  target_id, detail) SELECT $1::bigint, 'moderation.photo_' || $3,"
    "  'defect_photo', id, jsonb_build_object('report', report_id)"
    "  FROM p)"
    " SELECT json_build_object('id', id, 'report', report_id,"
    "  'state', state) FROM p";

/* The stored photo a moderator blurs, whatever its state but removed. */
static const char SQL_PHOTO_STORED[] =
    "SELECT image FROM defect_photos WHERE id = $1::bigint"
    " AND state <> 'removed'";

/* The blurred photo replaces the stored one; its state stays. */
static const char SQL_PHOTO_BLURRED[] =
    "WITH p AS (UPDATE defect_photos SET image = $3::bytea,"
    "  thumb = $4::bytea, width = $5::int, height = $6::int,"
    "  thumb_width = $7::int, thumb_height = $8::int, blurred = true,"
    "  moderated_by = $1::bigint, moderated_at = now()"
    "  WHERE id = $2::bigint AND state <> 'removed'"
    "  RETURNING id, report_id, state),"
    " a AS (INSERT INTO audit_log (actor_id, action, target_kind,"
    "  target_id, detail) SELECT $1::bigint, 'moderation.photo_blur',"
    "  'defect_photo', id, jsonb_build_object('report', report_id,"
    "  'areas', $9::jsonb) FROM p)"
    " SELECT json_build_object('id', id, 'report', report_id,"
    "  'state', state, 'blurred', true) FROM p";

static const char *const photo_args[] = { "id", "n", "size", "staff", "me",
    "token_hash", NULL };
static const char *const photo_decide_args[] = { "me", "id", "decision",
    NULL };
static const char *const photo_stored_args[] = { "id", NULL };
static const char *const photo_blurred_args[] = { "me", "id", "photo_image",
    "photo_thumb", "photo_width", "photo_height", "photo_thumb_width",
    "photo_thumb_height", "areas", NULL };

static const struct db_op op_photo = {
	.name = "defect_photo", .sql = SQL_PHOTO, .kind = DB_READ,
	.args = photo_args,
};
static const struct db_op op_photo_decide = {
	.name = "defect_photo_decide", .sql = SQL_PHOTO_DECIDE,
	.kind = DB_WRITE, .args = photo_decide_args, .done = db_send_json,
};
static const struct db_op op_photo_stored = {
	.name = "defect_photo_stored", .sql = SQL_PHOTO_STORED,
	.kind = DB_READ, .args = photo_stored_args,
};
static const struct db_op op_photo_blurred = {
	.name = "defect_photo_blurred", .sql = SQL_PHOTO_BLURRED,
	.kind = DB_WRITE, .args = photo_blurred_args, .done = db_send_json,
};

/*
 * GET /api/v1/defects/{id}/photos/{n}[?size=thumb]: the re-encoded JPEG
 * that no browser runs as anything else: nosniff and a CSP that allows
 * nothing come with every answer (dispatch.c), the name with this one.
 */
int
api_defect_photo(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	PGresult	*res;
	enum db_status	s;
	unsigned char	*img;
	size_t		cap, len;
	char		disp[96];
	const char	*token;
	int		r;

	if (!rq->prepared) {
		rq->prepared = 1;
		defects_viewer_vars(req);
		token = params_get(&rq->params, "token");
		if (token != NULL && !defects_token_vars(req, token))
			return (respond_not_found(req));
	}
	if ((s = db_step(req, &op_photo, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0))
		return (respond_not_found(req));
	cap = (size_t)PQgetlength(res, 0, 0) / 2;
	if ((img = malloc(cap)) == NULL)
		fatal("api_defect_photo: out of memory");
	if (!bytea_parse(PQgetvalue(res, 0, 0), img, cap, &len)) {
		free(img);
		return (respond_error(req, 500, NULL, NULL, NULL));
	}
	(void)snprintf(disp, sizeof(disp), "inline; filename=\"maengel-%s-%s%s"
	    ".jpg\"", params_get(&rq->params, "id"),
	    params_get(&rq->params, "n"),
	    params_get(&rq->params, "size") != NULL ? "-klein" : "");
	http_response_header(req, "content-disposition", disp);
	http_response_header(req, "cache-control", "private, max-age=300");
	r = respond(req, 200, "image/jpeg", img, len);
	free(img);
	return (r);
}

static const struct input_field photo_decision_input[] = {
	{ "decision", IN_TEXT, NULL },
	{ "areas", IN_ARRAY, NULL },
	{ "x", IN_NUMBER, NULL },
	{ "y", IN_NUMBER, NULL },
	{ "w", IN_NUMBER, NULL },
	{ "h", IN_NUMBER, NULL },
	{ NULL, 0, NULL }
};

/*
 * The areas to hide: JSON "areas": [{"x", "y", "w", "h"}] in fractions of
 * the width and height from the top left; a form gives one area as x, y,
 * w, h in percent.  Kept as JSON in var "areas" for the audit log.
 */
static int
areas_parse(struct http_request *req, struct image_rect *r, int *n,
    struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	const cJSON	*a, *e;
	double		v[4];
	char		*json;
	cJSON		*out;
	int		i;

	*n = 0;
	if (rq->body != NULL) {
		a = cJSON_GetObjectItemCaseSensitive(rq->body, "areas");
		cJSON_ArrayForEach(e, a) {
			if (*n == IMAGE_RECTS_MAX || !cJSON_IsObject(e))
				goto bad;
			r[*n].x = json_num(e, "x");
			r[*n].y = json_num(e, "y");
			r[*n].w = json_num(e, "w");
			r[*n].h = json_num(e, "h");
			(*n)++;
		}
	} else {
		for (i = 0; i < 4; i++) {
			if (input_number(req, (const char *[]){ "x", "y", "w",
			    "h" }[i], &v[i], fe) != 1)
				goto bad;
		}
		r[0] = (struct image_rect){ v[0] / 100, v[1] / 100,
		    v[2] / 100, v[3] / 100 };
		*n = 1;
	}
	if (*n == 0 || !image_rects_valid(r, *n))
		goto bad;
	out = cJSON_CreateArray();
	for (i = 0; i < *n; i++) {
		e = cJSON_CreateObject();
		cJSON_AddNumberToObject((cJSON *)e, "x", r[i].x);
		cJSON_AddNumberToObject((cJSON *)e, "y", r[i].y);
		cJSON_AddNumberToObject((cJSON *)e, "w", r[i].w);
		cJSON_AddNumberToObject((cJSON *)e, "h", r[i].h);
		cJSON_AddItemToArray(out, (cJSON *)e);
	}
	json = cJSON_PrintUnformatted(out);
	cJSON_Delete(out);
	rq_var_set(req, "areas", json);
	cJSON_free(json);
	return (MW_OK);
bad:
	error_field_add(fe, "areas", "needs 1 to 16 areas inside the photo, "
	    "each with x, y, w, h (JSON: fractions 0 to 1; form: percent)");
	return (MW_ERROR);
}

/* The areas back from var "areas", as areas_parse left them. */
static int
areas_from_var(struct http_request *req, struct image_rect *r)
{
	cJSON		*a;
	const cJSON	*e;
	int		n;

	n = 0;
	a = cJSON_Parse(params_get(&rq_get(req)->vars, "areas"));
	cJSON_ArrayForEach(e, a) {
		if (n == IMAGE_RECTS_MAX)
			break;
		r[n++] = (struct image_rect){ json_num(e, "x"),
		    json_num(e, "y"), json_num(e, "w"), json_num(e, "h") };
	}
	cJSON_Delete(a);
	return (n);
}

/* Blurs the stored photo in a task thread, then stores it in its place. */
static int
photo_blur(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct image_rect	r[IMAGE_RECTS_MAX];
	PGresult		*res;
	enum db_status		s;
	unsigned char		*jpeg;
	size_t			cap, len;

	if ((s = db_step(req, &op_photo_stored, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) == 0)
		return (respond_not_found(req));
	if (rq->imaging.state == IMAGING_IDLE) {
		cap = (size_t)PQgetlength(res, 0, 0) / 2 + 1;
		if ((jpeg = malloc(cap)) == NULL)
			fatal("photo_blur: out of memory");
		if (!bytea_parse(PQgetvalue(res, 0, 0), jpeg, cap, &len))
			len = 0;
		s = imaging_blur_step(req, jpeg, len, r,
		    areas_from_var(req, r));
		free(jpeg);
	} else {
		s = imaging_blur_step(req, NULL, 0, NULL, 0);
	}
	if (s != DB_DONE)
		return (db_yield(s));
	return (db_request(req, &op_photo_blurred));
}

/* POST /api/v1/moderation/defect-photos/{id}: publish, remove or blur. */
int
api_defect_photo_moderate(struct http_request *req)
{
	static const char *const decisions[] = { "publish", "remove", "blur",
	    NULL };
	struct rq		*rq = rq_get(req);
	struct image_rect	r[IMAGE_RECTS_MAX];
	struct field_errors	fe;
	const char		*d;
	int			n;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		if (!input_fields(req, photo_decision_input, &fe))
			return (respond_fields(req, 422, &fe));
		if ((d = input_text(req, "decision")) == NULL ||
		    !input_one_of(d, decisions)) {
			error_field_add(&fe, "decision", "must be publish, "
			    "remove or blur");
			return (respond_fields(req, 422, &fe));
		}
		rq_var_set(req, "decision", d);
		if (strcmp(d, "blur") == 0 && !areas_parse(req, r, &n, &fe))
			return (respond_fields(req, 422, &fe));
	}
	if (strcmp(params_get(&rq->vars, "decision"), "blur") == 0)
		return (photo_blur(req));
	return (db_request(req, &op_photo_decide));
}
