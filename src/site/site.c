/*
 * The site's settings and texts through the API, and the files made from
 * the settings: the style sheet with the city's colours, the favicon and
 * the logo.  Every write bumps site_settings.version (texts do not: they
 * are read per page) and tells this worker's copy (core/site.c).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site.h"

static const char *const text_keys[] = { "impressum", "datenschutz",
    "barrierefreiheit", "leichte_sprache", "gebaerdensprache", NULL };

/* The settings as GET /api/v1/site and the admin writes answer them. */
#define SITE_JSON(s)							\
    "json_build_object('site_name', " s ".site_name,"			\
    " 'city_name', " s ".city_name,"					\
    " 'primary_colour', " s ".primary_colour,"				\
    " 'link_colour', " s ".link_colour,"				\
    " 'logo', CASE WHEN " s ".logo_type IS NULL THEN NULL"		\
    "  ELSE '/assets/logo?v=' || " s ".version END,"			\
    " 'sign_video_url', " s ".sign_video_url,"				\
    " 'a11y_contact', " s ".a11y_contact,"				\
    " 'version', " s ".version, 'updated_at', " s ".updated_at)"

static const char SQL_SITE[] =
    "SELECT " SITE_JSON("s") "::jsonb || jsonb_build_object('texts',"
    " (SELECT jsonb_object_agg(key, langs) FROM (SELECT key,"
    "  jsonb_object_agg(lang, jsonb_build_object('body', body,"
    "  'updated_at', updated_at)) AS langs FROM site_texts GROUP BY key) k))"
    " FROM site_settings s";

const struct db_op op_site = {
	.name = "site", .sql = SQL_SITE, .kind = DB_READ,
	.done = db_send_json,
};

int
site_text_key_ok(const char *key)
{
	return (input_one_of(key, text_keys));
}

static int
site_written(struct http_request *req, PGresult *res, const struct db_op *op)
{
	site_invalidate();
	return (db_send_json(req, res, op));
}

/* ---- PUT /api/v1/admin/site ---- */

static const char SQL_SITE_PUT[] =
    "WITH s AS (UPDATE site_settings SET"
    "  site_name = coalesce($1, site_name),"
    "  city_name = coalesce($2, city_name),"
    "  primary_colour = coalesce($3, primary_colour),"
    "  link_colour = coalesce($4, link_colour),"
    "  sign_video_url = CASE WHEN $5::text IS NULL THEN sign_video_url"
    "   ELSE nullif($5, '') END,"
    "  a11y_contact = CASE WHEN $6::text IS NULL THEN a11y_contact"
    "   ELSE nullif($6, '') END,"
    "  version = version + 1, updated_at = now(), updated_by = $7::bigint"
    "  RETURNING *),"
    " a AS (INSERT INTO audit_log (actor_id, action, target_kind, detail)"
    "  SELECT $7::bigint, 'site.update', 'site', jsonb_strip_nulls("
    "  jsonb_build_object('site_name', $1::text, 'city_name', $2::text,"
    "  'primary_colour', $3::text, 'link_colour', $4::text,"
    "  'sign_video_url', $5::text, 'a11y_contact', $6::text)) FROM s)"
    " SELECT " SITE_JSON("s") " FROM s";

static const char *const site_put_args[] = { "site_name", "city_name",
    "primary_colour", "link_colour", "sign_video_url", "a11y_contact", "me",
    NULL };

static const struct db_op op_site_put = {
	.name = "site_put", .sql = SQL_SITE_PUT, .kind = DB_WRITE,
	.args = site_put_args, .done = site_written,
};

static const struct input_field site_input[] = {
	{ "site_name", IN_TEXT, NULL },
	{ "city_name", IN_TEXT, NULL },
	{ "primary_colour", IN_TEXT, NULL },
	{ "link_colour", IN_TEXT, NULL },
	{ "sign_video_url", IN_TEXT, NULL },
	{ "a11y_contact", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

/* A colour field: lower case for the database, refused below 4.5:1. */
static void
colour_var(struct http_request *req, const char *name,
    struct field_errors *fe)
{
	const char	*v;
	char		c[8], why[120];
	size_t		i;

	if ((v = input_text(req, name)) == NULL)
		return;
	if (!colour_check(v, why, sizeof(why))) {
		error_field_add(fe, name, why);
		return;
	}
	for (i = 0; i < 7; i++)
		c[i] = (v[i] >= 'A' && v[i] <= 'F') ? v[i] - 'A' + 'a' : v[i];
	c[7] = '\0';
	rq_var_set(req, name, c);
}

/* "" clears an optional field; else it must be what check says. */
static void
optional_var(struct http_request *req, const char *name, int (*check)(
    const char *), const char *reason, struct field_errors *fe)
{
	const char	*v;

	/* input_get, not input_text: here "" is a value (none). */
	if ((v = input_get(req, name)) == NULL)
		return;
	if (*v != '\0' && !check(v)) {
		error_field_add(fe, name, reason);
		return;
	}
	rq_var_set(req, name, v);
}

static int
video_url_ok(const char *v)
{
	return (strlen(v) <= 500 && strncmp(v, "https://", 8) == 0 &&
	    markup_link_ok(v, strlen(v)) && strlen(v) > 8);
}

static int
contact_ok(const char *v)
{
	char	norm[EMAIL_MAX + 1];

	return (email_normalize(v, norm, sizeof(norm)));
}

int
api_site_put(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;

	if (rq->prepared)
		return (db_request(req, &op_site_put));
	rq->prepared = 1;
	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, site_input, &fe))
		return (respond_fields(req, 422, &fe));
	(void)input_text_var(req, "site_name", 1, 60, 0, &fe);
	(void)input_text_var(req, "city_name", 1, 80, 0, &fe);
	colour_var(req, "primary_colour", &fe);
	colour_var(req, "link_colour", &fe);
	optional_var(req, "sign_video_url", video_url_ok,
	    "must be an https:// address", &fe);
	optional_var(req, "a11y_contact", contact_ok,
	    "is not an e-mail address", &fe);
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	return (db_request(req, &op_site_put));
}

/* ---- PUT /api/v1/admin/site/texts/{key} ---- */

static const char SQL_TEXT_PUT[] =
    "WITH t AS (INSERT INTO site_texts (key, lang, body, updated_by)"
    "  SELECT $1, l.lang, l.body, $4::bigint FROM (VALUES ('de', $2::text),"
    "  ('en', $3::text)) l(lang, body) WHERE l.body IS NOT NULL"
    "  ON CONFLICT (key, lang) DO UPDATE SET body = EXCLUDED.body,"
    "  updated_at = now(), updated_by = EXCLUDED.updated_by RETURNING *),"
    " a AS (INSERT INTO audit_log (actor_id, action, target_kind, detail)"
    "  SELECT $4::bigint, 'site.text', 'site', jsonb_build_object('key', $1,"
    "  'langs', (SELECT jsonb_agg(lang) FROM t)))"
    " SELECT json_build_object('key', $1::text, 'texts',"
    "  (SELECT json_object_agg(lang, json_build_object('body', body,"
    "  'updated_at', updated_at)) FROM (SELECT lang, body, updated_at FROM t"
    "  UNION ALL SELECT lang, body, updated_at FROM site_texts s"
    "  WHERE s.key = $1 AND s.lang NOT IN (SELECT lang FROM t)) x))";

static const char *const text_put_args[] = { "key", "de", "en", "me", NULL };

static const struct db_op op_text_put = {
	.name = "site_text_put", .sql = SQL_TEXT_PUT, .kind = DB_WRITE,
	.args = text_put_args, .done = db_send_json,
};

static const struct input_field text_input[] = {
	{ "de", IN_TEXT, NULL },
	{ "en", IN_TEXT, NULL },
	{ NULL, 0, NULL }
};

int
api_site_text_put(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;

	if (rq->prepared)
		return (db_request(req, &op_text_put));
	rq->prepared = 1;
	if (!site_text_key_ok(params_get(&rq->params, "key")))
		return (respond_error(req, 404, NULL, NULL, NULL));
	memset(&fe, 0, sizeof(fe));
	if (!input_fields(req, text_input, &fe))
		return (respond_fields(req, 422, &fe));
	if (input_text(req, "de") == NULL && input_text(req, "en") == NULL)
		error_field_add(&fe, "de", "required");
	(void)input_text_var(req, "de", 1, 30000, TEXT_MULTILINE, &fe);
	(void)input_text_var(req, "en", 1, 30000, TEXT_MULTILINE, &fe);
	if (fe.count > 0)
		return (respond_fields(req, 422, &fe));
	return (db_request(req, &op_text_put));
}

/* ---- the logo: PUT (PNG or JPEG, re-encoded), DELETE, GET ---- */

/* The image pipeline's one re-encoded JPEG: metadata and any trailing
 * payload gone, whatever the upload was. */
static const char SQL_LOGO_PUT[] =
    "WITH s AS (UPDATE site_settings SET logo = ($1::bytea[])[1],"
    "  logo_type = 'image/jpeg', version = version + 1, updated_at = now(),"
    "  updated_by = $2::bigint RETURNING *),"
    " a AS (INSERT INTO audit_log (actor_id, action, target_kind)"
    "  SELECT $2::bigint, 'site.logo', 'site' FROM s)"
    " SELECT " SITE_JSON("s") " FROM s";

static const char *const logo_put_args[] = { "photo_images", "me", NULL };

static const struct db_op op_logo_put = {
	.name = "site_logo_put", .sql = SQL_LOGO_PUT, .kind = DB_WRITE,
	.args = logo_put_args, .done = site_written,
};

int
api_site_logo_put(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct field_errors	fe;
	enum db_status		s;

	if (!rq->prepared) {
		rq->prepared = 1;
		memset(&fe, 0, sizeof(fe));
		/* One file, in the field "logo" (multipart, page and API). */
		if (rq->uploads.count != 1 ||
		    strcmp(rq->uploads.items[0].field, "logo") != 0)
			error_field_add(&fe, "logo", "required");
		if (fe.count > 0)
			return (respond_fields(req, 422, &fe));
	}
	if ((s = imaging_step(req)) != DB_DONE)
		return (db_yield(s));
	return (db_request(req, &op_logo_put));
}

static const char SQL_LOGO_DELETE[] =
    "WITH s AS (UPDATE site_settings SET logo = NULL, logo_type = NULL,"
    "  version = version + 1, updated_at = now(), updated_by = $1::bigint"
    "  RETURNING *),"
    " a AS (INSERT INTO audit_log (actor_id, action, target_kind)"
    "  SELECT $1::bigint, 'site.logo_delete', 'site' FROM s)"
    " SELECT " SITE_JSON("s") " FROM s";

static const char *const me_args[] = { "me", NULL };

static const struct db_op op_logo_delete = {
	.name = "site_logo_delete", .sql = SQL_LOGO_DELETE, .kind = DB_WRITE,
	.args = me_args, .done = site_written,
};

int
api_site_logo_delete(struct http_request *req)
{
	return (db_request(req, &op_logo_delete));
}

static const char SQL_LOGO[] =
    "SELECT logo, logo_type, version FROM site_settings"
    " WHERE logo IS NOT NULL";

static const struct db_op op_logo = {
	.name = "site_logo", .sql = SQL_LOGO, .kind = DB_READ,
};

/*
 * A generated file: immutable for a year under its current ?v=, else
 * five minutes (a page from before a change asks for the old version);
 * the ETag is the version either way.
 */
static int
serve_versioned(struct http_request *req, long long version,
    const char *type, const void *data, size_t len)
{
	const char	*v, *inm;
	char		etag[40], now[24];

	(void)snprintf(etag, sizeof(etag), "\"site-%lld\"", version);
	(void)snprintf(now, sizeof(now), "%lld", version);
	v = params_get(&rq_get(req)->params, "v");
	http_response_header(req, "etag", etag);
	http_response_header(req, "cache-control", v != NULL &&
	    strcmp(v, now) == 0 ? "public, max-age=31536000, immutable" :
	    "public, max-age=300, must-revalidate");
	if (http_request_header(req, "if-none-match", &inm) &&
	    strcmp(inm, etag) == 0)
		return (respond(req, 304, NULL, NULL, 0));
	return (respond(req, 200, type, data, len));
}

/* GET /assets/logo?v= */
int
site_logo(struct http_request *req)
{
	PGresult	*res;
	unsigned char	*img;
	size_t		len, cap;
	enum db_status	s;
	int		ret;

	if ((s = db_step(req, &op_logo, &res)) != DB_DONE)
		return (db_yield(s));
	if (PQntuples(res) != 1)
		return (respond_error(req, 404, NULL, NULL, NULL));
	cap = (size_t)PQgetlength(res, 0, 0) / 2 + 1;
	img = kore_malloc(cap);
	if (!bytea_parse(PQgetvalue(res, 0, 0), img, cap, &len)) {
		kore_free(img);
		return (respond_error(req, 500, NULL, NULL, NULL));
	}
	http_response_header(req, "content-disposition",
	    "inline; filename=\"logo.jpg\"");
	ret = serve_versioned(req, strtoll(PQgetvalue(res, 0, 2), NULL, 10),
	    PQgetvalue(res, 0, 1), img, len);
	kore_free(img);
	return (ret);
}

/* GET /assets/site.css?v=: the city's colours over style.css's. */
int
site_css(struct http_request *req)
{
	const struct site_brand	*b = site_brand();
	struct strbuf		css;
	int			ret;

	strbuf_init(&css, 256);
	strbuf_appendf(&css, "/* The city's colours (/verwaltung/auftritt). */\n"
	    ":root { --accent: %s; --link: %s; }\n"
	    "a { color: var(--link); }\n"
	    "a.button, a.button:visited { color: #fff; }\n"
	    ".brand img.logo { height: 2.5rem; width: auto; max-width: 100%%; "
	    "vertical-align: middle; }\n", b->primary, b->link);
	ret = serve_versioned(req, b->version, "text/css; charset=utf-8",
	    css.data, css.len);
	strbuf_free(&css);
	return (ret);
}

static int
brand_rgb(unsigned char rgb[3])
{
	return (colour_parse(site_brand()->primary, rgb));
}

/* GET /assets/icon.svg?v= */
int
site_icon_svg(struct http_request *req)
{
	unsigned char	rgb[3] = { 0, 0x5a, 0x8c };
	struct strbuf	svg;
	int		ret;

	(void)brand_rgb(rgb);
	strbuf_init(&svg, 256);
	favicon_svg(rgb, &svg);
	ret = serve_versioned(req, site_brand()->version, "image/svg+xml",
	    svg.data, svg.len);
	strbuf_free(&svg);
	return (ret);
}

/* GET /favicon.ico: browsers ask without a version: five minutes. */
int
site_favicon(struct http_request *req)
{
	unsigned char	rgb[3] = { 0, 0x5a, 0x8c };
	unsigned char	ico[FAVICON_ICO_LEN];

	(void)brand_rgb(rgb);
	favicon_ico(rgb, ico);
	return (serve_versioned(req, site_brand()->version, "image/x-icon",
	    ico, sizeof(ico)));
}
