/*
 * Every request enters through dispatch(): it gives the request an id and a
 * context, adds the security headers, finds the route, rejects what the
 * route does not accept (404, 405, 413, 415, bad parameters) with a clear
 * error naming the field, and only then calls the handler.  When Kore frees
 * the request, one log line and the metrics are written.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "mitwirken.h"

#define CSP	"default-src 'none'; style-src 'self'; img-src 'self' data:; " \
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'; " \
		"report-uri /api/v1/csp-reports"

/*
 * SurveyJS 2.5.38 writes one style attribute in its markup; 'unsafe-hashes'
 * with its hash admits exactly that value, no other inline style
 * (tests/http/surveyjs_page.test.mjs fails on any CSP violation, so a new
 * SurveyJS version that needs more shows up there).
 */
#define SURVEYJS_STYLE	"'unsafe-hashes' " \
		"'sha256-Pp/vtHUW8EEiAh+JanwlbSOqQNrAchhFv9X7z+N5oOw='"

/*
 * The one page that runs JavaScript (the progressive survey page) may load
 * scripts from this server only; every other answer runs none.
 */
#define CSP_SCRIPTS	"default-src 'none'; script-src 'self'; " \
		"style-src 'self' " SURVEYJS_STYLE "; img-src 'self' data:; " \
		"connect-src 'self'; " \
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'; " \
		"report-uri /api/v1/csp-reports"

#define QUERY_PARAMS_MAX	32

static void	rq_free(struct http_request *);

/* The application's table; index 0 of the names is "unmatched". */
static const struct route_table	*table;
static char			**names;

static const char *
method_name(int m)
{
	switch (m) {
	case M_POST: return ("POST");
	case M_PUT: return ("PUT");
	case M_PATCH: return ("PATCH");
	case M_DELETE: return ("DELETE");
	default: return ("GET");
	}
}

/* In the parent, before the fork: the workers inherit the names. */
void
dispatch_init(const struct route_table *t)
{
	int	i;

	table = t;
	names = kore_calloc((size_t)t->count + 1, sizeof(*names));
	names[0] = kore_strdup("unmatched");
	for (i = 0; i < t->count; i++) {
		names[i + 1] = kore_malloc(strlen(t->routes[i].pattern) + 8);
		(void)sprintf(names[i + 1], "%s %s",
		    method_name(t->routes[i].method), t->routes[i].pattern);
	}
}

/* Metric and log labels: 0 is "unmatched", then one per route. */
const char *const *
dispatch_route_names(int *count)
{
	*count = table->count + 1;
	return ((const char *const *)names);
}

/*
 * The kind of answer a path wants when no route matched it: that of the
 * routes sharing most of its leading segments (/api/v1/x is an API path,
 * /x a page), so the table, not the dispatcher, knows the product's URLs.
 */
static enum route_kind
kind_for_path(const char *path)
{
	enum route_kind	kind = ROUTE_PAGE;
	const char	*p, *q;
	int		i, n, best = 0;

	for (i = 0; i < table->count; i++) {
		p = path;
		q = table->routes[i].pattern;
		for (n = 0; *p == *q && *p != '\0'; p++, q++) {
			if (*p == '/' && p != path)
				n++;
		}
		/* A whole segment matched: both end here. */
		if ((*p == '\0' || *p == '/') && (*q == '\0' || *q == '/'))
			n++;
		if (n > best) {
			best = n;
			kind = table->routes[i].kind;
		}
	}
	return (kind);
}

static void
security_headers(struct http_request *req)
{
	http_response_header(req, "content-security-policy", CSP);
	http_response_header(req, "x-content-type-options", "nosniff");
	http_response_header(req, "referrer-policy", "same-origin");
	http_response_header(req, "x-frame-options", "DENY");
	http_response_header(req, "permissions-policy",
	    "camera=(), microphone=(), geolocation=(self)");
	http_response_header(req, "cross-origin-opener-policy", "same-origin");
	if (mw_config.behind_tls)
		http_response_header(req, "strict-transport-security",
		    "max-age=31536000; includeSubDomains");
}

static void
csp_replace(struct http_request *req, const char *policy)
{
	struct http_header	*hdr;

	TAILQ_FOREACH(hdr, &req->resp_headers, list) {
		if (strcmp(hdr->header, "content-security-policy") == 0) {
			kore_free(hdr->value);
			hdr->value = kore_strdup(policy);
		}
	}
}

/* Swaps the policy set at the start for CSP_SCRIPTS, before answering. */
void
dispatch_allow_scripts(struct http_request *req)
{
	csp_replace(req, CSP_SCRIPTS);
}

/*
 * The map pages (defect reporter) run Leaflet and defect-map.js from this
 * server, and show tiles from MITWIRKEN_TILE_URL's origin: the only other
 * place an image may come from.  Leaflet positions its panes through
 * element.style (the CSSOM), which style-src does not govern, so no
 * inline style is admitted; its style sheet is 'self'.
 */
void
dispatch_allow_map(struct http_request *req)
{
	char	origin[CONFIG_PATH_MAX], policy[CONFIG_PATH_MAX + 512];

	config_tile_origin(mw_config.tile_url, origin, sizeof(origin));
	(void)snprintf(policy, sizeof(policy), "default-src 'none'; "
	    "script-src 'self'; style-src 'self'; img-src 'self' data:%s%s; "
	    "connect-src 'self'; form-action 'self'; base-uri 'none'; "
	    "frame-ancestors 'none'; report-uri /api/v1/csp-reports",
	    origin[0] != '\0' ? " " : "", origin);
	csp_replace(req, policy);
}

static struct rq *
rq_start(struct http_request *req)
{
	struct rq	*rq;
	const char	*given;

	rq = http_state_create(req, sizeof(*rq), rq_free);
	rq->start_us = rq_now_us();
	/*
	 * Always our own id: a client's (or a proxy's) could repeat another
	 * request's and make two log lines look like one.  A sane one is
	 * logged beside ours, to find the request in the proxy's log.
	 */
	reqid_next(rq->id, sizeof(rq->id));
	if (http_request_header(req, "x-request-id", &given) &&
	    reqid_valid(given))
		(void)snprintf(rq->client_id, sizeof(rq->client_id), "%s",
		    given);
	http_response_header(req, "x-request-id", rq->id);
	security_headers(req);
	return (rq);
}

/* Printable ASCII only, bounded: a log line must stay one line. */
static const char *
log_safe(const char *in, char *out, size_t len)
{
	size_t	i;

	for (i = 0; in[i] != '\0' && i + 1 < len; i++)
		out[i] = (in[i] > 0x20 && in[i] < 0x7f) ? in[i] : '?';
	out[i] = '\0';
	return (out);
}

static void
rq_free(struct http_request *req)
{
	struct rq	*rq = http_state_get(req);
	char		line[768], path[201];
	uint64_t	micros;
	int		n, status;

	if (rq == NULL)
		return;
	hashing_cleanup(&rq->hash);
	imaging_cleanup(&rq->imaging);
	/* Kore calls this again when a task outlived the request. */
	if (rq->freed)
		return;
	rq->freed = 1;
	stream_free(rq->stream);
	rq->stream = NULL;
	db_call_cleanup(&rq->db);
	idem_cleanup(&rq->idem);
	micros = rq_now_us() - rq->start_us;
	/* 499: the client went away before an answer was queued. */
	status = req->status ? req->status : 499;
	metrics_request(rq->route_index, status, micros);
	/* Never the query string: tokens may travel there. */
	n = snprintf(line, sizeof(line), "req id=%s%s%s method=%s path=%s "
	    "route=%s status=%d ms=%.2f\n", rq->id,
	    rq->client_id[0] != '\0' ? " client_id=" : "", rq->client_id,
	    http_method_text(req->method), log_safe(req->path, path,
	    sizeof(path)), names[rq->route_index], status,
	    (double)micros / 1000.0);
	if (n > 0)
		log_line(line, (size_t)n < sizeof(line) ? (size_t)n :
		    sizeof(line) - 1);
	params_free(&rq->params);
	params_free(&rq->form);
	params_free(&rq->vars);
	kore_free(rq->resume_fe);
	if (rq->body != NULL)
		cJSON_Delete(rq->body);
}

/* HEAD is served by the GET route; Kore drops the body itself. */
static const struct route *
route_find(struct http_request *req, struct route_match *m, int *index,
    int *allowed)
{
	struct route_match	tmp;
	int			i, method;

	method = req->method == HTTP_METHOD_HEAD ? M_GET :
	    router_method_value(http_method_text(req->method));
	*allowed = 0;
	for (i = 0; i < table->count; i++) {
		if (!router_path_match(table->routes[i].pattern, req->path,
		    &tmp))
			continue;
		*allowed |= table->routes[i].method;
		if (table->routes[i].method == method) {
			*m = tmp;
			*index = i + 1;
			return (&table->routes[i]);
		}
	}
	return (NULL);
}

static int
captures_to_params(struct rq *rq, const struct route_match *m)
{
	char	name[PARAM_NAME_MAX], value[ROUTER_SEGMENT_MAX + 1];
	size_t	vlen;
	int	i;

	for (i = 0; i < m->ncaptures; i++) {
		if (m->captures[i].name_len >= sizeof(name) ||
		    !params_url_decode(m->captures[i].value,
		    m->captures[i].value_len, value, sizeof(value), &vlen) ||
		    !utf8_valid_text(value, vlen))
			return (MW_ERROR);
		memcpy(name, m->captures[i].name, m->captures[i].name_len);
		name[m->captures[i].name_len] = '\0';
		if (!params_add(&rq->params, name, strlen(name), value, vlen))
			return (MW_ERROR);
	}
	return (MW_OK);
}

static int
media_type_is(const char *header, const char *type)
{
	size_t	len;

	len = strlen(type);
	return (strncasecmp(header, type, len) == 0 &&
	    (header[len] == '\0' || header[len] == ';' || header[len] == ' '));
}

/* A form body is a query string; its fields land in rq->form. */
static int
accept_form(struct http_request *req, struct rq *rq, const char *data,
    size_t len)
{
	struct field_errors	fe;
	char			*copy;
	int			ok;

	memset(&fe, 0, sizeof(fe));
	if ((copy = strndup(data != NULL ? data : "", len)) == NULL)
		fatal("accept_form: out of memory");
	ok = strlen(copy) == len && params_parse_query(copy, &rq->form, &fe);
	free(copy);
	if (!ok) {
		respond_error(req, 400, "malformed_form",
		    "The form data is malformed.", &fe);
		return (MW_ERROR);
	}
	return (MW_OK);
}

/*
 * multipart/form-data: text fields into rq->form as from a urlencoded
 * form, files (at most UPLOADS_MAX) into rq->uploads.  Each file's size
 * and type are imaging_step's to check, so that a form page can show the
 * form again with the reason next to the file's field.
 */
static int
accept_multipart(struct http_request *req, struct rq *rq, const char *ctype,
    const char *data, size_t len)
{
	struct field_errors	fe;
	char			boundary[80];
	int			status;

	memset(&fe, 0, sizeof(fe));
	if (!multipart_boundary(ctype, boundary, sizeof(boundary))) {
		error_field_add(&fe, "content-type", "has no valid boundary");
		status = 400;
	} else {
		status = multipart_parse(data != NULL ? data : "", len,
		    boundary, &rq->form, &rq->uploads, &fe);
	}
	if (status != 0) {
		respond_error(req, status, status == 400 ? "malformed_form" :
		    NULL, status == 400 ? "The form data is malformed." : NULL,
		    &fe);
		return (MW_ERROR);
	}
	return (MW_OK);
}

/* A photo as the whole body: one upload, named "body" in errors. */
static int
accept_photo(struct rq *rq, const char *data, size_t len)
{
	(void)snprintf(rq->uploads.items[0].field,
	    sizeof(rq->uploads.items[0].field), "body");
	rq->uploads.items[0].data = (const unsigned char *)(data != NULL ?
	    data : "");
	rq->uploads.items[0].len = len;
	rq->uploads.count = 1;
	return (MW_OK);
}

static int
is_photo_type(const char *ctype)
{
	return (media_type_is(ctype, JPEG_TYPE) ||
	    media_type_is(ctype, PNG_TYPE));
}

/*
 * The largest body of a type: three photos and their form, one photo, or
 * JSON and urlencoded forms.  Kore's http_body_max covers the largest
 * (src/tools/conf.sh).
 */
static long
body_max(const char *ctype)
{
	if (media_type_is(ctype, MULTIPART_TYPE))
		return (UPLOADS_MAX * mw_config.photo_max_bytes + 1048576);
	if (is_photo_type(ctype))
		return (mw_config.photo_max_bytes);
	return (mw_config.json_body_max);
}

static int
body_too_large(struct http_request *req, const char *ctype, size_t len)
{
	struct field_errors	fe;
	struct image_info	info;

	memset(&fe, 0, sizeof(fe));
	if (is_photo_type(ctype)) {
		(void)image_inspect(req->http_body->data, len,
		    mw_config.photo_max_bytes, mw_config.photo_max_pixels,
		    &info);
		error_field_add(&fe, "body", info.reason);
	}
	respond_error(req, 413, NULL, NULL, fe.count ? &fe : NULL);
	return (MW_ERROR);
}

static int
accept_body(struct http_request *req, struct rq *rq)
{
	const char	*ctype;
	char		err[160], *data;
	size_t		len;
	int		i;

	len = req->http_body_length;
	/*
	 * No body and no Content-Type: nothing was sent, and the handler
	 * reports missing fields.  An empty body declared as JSON is not JSON.
	 */
	if (!http_request_header(req, "content-type", &ctype)) {
		if (len == 0)
			return (MW_OK);
		ctype = "";
	}
	if (rq->route->body_types == NULL) {
		respond_error(req, 415, NULL, "This endpoint takes no body.",
		    NULL);
		return (MW_ERROR);
	}
	for (i = 0; rq->route->body_types[i] != NULL; i++) {
		if (media_type_is(ctype, rq->route->body_types[i]))
			break;
	}
	if (rq->route->body_types[i] == NULL) {
		respond_error(req, 415, NULL, "Send the body as "
		    "one of the documented types.", NULL);
		return (MW_ERROR);
	}
	if ((long)len > body_max(ctype))
		return (body_too_large(req, ctype, len));
	data = req->http_body != NULL ?
	    (char *)req->http_body->data : NULL;
	/* Open311 repeats attribute[code][]: its handler parses the body. */
	if (rq->route->kind == ROUTE_OPEN311)
		return (MW_OK);
	if (media_type_is(ctype, FORM_TYPE))
		return (accept_form(req, rq, data, len));
	if (media_type_is(ctype, MULTIPART_TYPE))
		return (accept_multipart(req, rq, ctype, data, len));
	if (is_photo_type(ctype))
		return (accept_photo(rq, data, len));
	if (data == NULL || (rq->body = json_parse_body(data, len, err,
	    sizeof(err))) == NULL) {
		respond_error(req, 400, "malformed_json", data == NULL ?
		    "The body is empty." : err, NULL);
		return (MW_ERROR);
	}
	return (MW_OK);
}

static int
is_capture(const struct route_match *m, const char *name)
{
	int	i;

	for (i = 0; i < m->ncaptures; i++) {
		if (m->captures[i].name_len == strlen(name) &&
		    memcmp(m->captures[i].name, name, strlen(name)) == 0)
			return (1);
	}
	return (0);
}

static int
check_params(struct http_request *req, struct rq *rq,
    const struct route_match *m)
{
	struct field_errors	fe;

	memset(&fe, 0, sizeof(fe));
	if (!captures_to_params(rq, m)) {
		respond_error(req, 404, NULL, NULL, NULL);
		return (MW_ERROR);
	}
	/*
	 * A form body may carry a survey page's many fields (PARAMS_MAX); a
	 * query string has no use for more than QUERY_PARAMS_MAX.
	 */
	if (!params_parse_query(req->query_string, &rq->params, &fe) ||
	    rq->params.count > QUERY_PARAMS_MAX + m->ncaptures) {
		if (fe.count == 0)
			error_field_add(&fe, "query", "too many parameters");
		respond_error(req, 400, "malformed_query",
		    "The query string is malformed.", &fe);
		return (MW_ERROR);
	}
	if (rq->route->kind == ROUTE_PAGE) {
		params_drop_empty(&rq->params);
		params_drop_unknown(&rq->params, rq->route->params);
	}
	if (!params_validate(&rq->params, rq->route->params, &fe)) {
		/* A path segment that cannot be valid names nothing. */
		if (is_capture(m, fe.items[0].field))
			respond_error(req, 404, NULL, NULL, NULL);
		else
			respond_error(req, 422, NULL, NULL, &fe);
		return (MW_ERROR);
	}
	return (MW_OK);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t	len = strlen(s), slen = strlen(suffix);

	return (len >= slen && strcmp(s + len - slen, suffix) == 0);
}

static int
rq_route(struct http_request *req, struct rq *rq)
{
	struct route_match	m;
	const char		*accept;
	enum route_kind		kind;
	char			allow[96];
	int			allowed;

	rq->route = route_find(req, &m, &rq->route_index, &allowed);
	kind = rq->route != NULL ? rq->route->kind : kind_for_path(req->path);
	rq->html = kind == ROUTE_PAGE;
	/* Open311's format is the path's extension (requests/7.xml). */
	if (kind == ROUTE_OPEN311)
		rq->open311 = ends_with(req->path, ".xml") ? 2 : 1;
	if (rq->route == NULL) {
		if (allowed == 0)
			return (respond_not_found(req), MW_ERROR);
		router_allow_header(allowed, allow, sizeof(allow));
		http_response_header(req, "allow", allow);
		if (req->method == HTTP_METHOD_OPTIONS)
			respond(req, 204, NULL, NULL, 0);
		else
			respond_error(req, 405, NULL, NULL, NULL);
		return (MW_ERROR);
	}
	if (!check_params(req, rq, &m))
		return (MW_ERROR);
	if (!http_request_header(req, "accept-language", &accept))
		accept = NULL;
	rq->lang = lang_negotiate(params_get(&rq->params, "lang"), accept);
	return (MW_OK);
}

static int
state_changing(struct http_request *req)
{
	return (req->method == HTTP_METHOD_POST ||
	    req->method == HTTP_METHOD_PUT ||
	    req->method == HTTP_METHOD_PATCH ||
	    req->method == HTTP_METHOD_DELETE);
}

/*
 * To the sign-in page, which comes back here afterwards: the page asked
 * for (a GET), or the page a form was sent from (its Referer, if on this
 * host); the sign-in page validates next again before it goes there.
 */
static void
signin_redirect(struct http_request *req)
{
	struct strbuf	next, url;
	const char	*ref, *host, *p;

	strbuf_init(&next, 128);
	if (req->method == HTTP_METHOD_GET) {
		strbuf_appends(&next, req->path);
		if (req->query_string != NULL && *req->query_string != '\0')
			strbuf_appendf(&next, "?%s", req->query_string);
	} else if (http_request_header(req, "referer", &ref) &&
	    http_request_header(req, "host", &host) &&
	    (p = strstr(ref, "://")) != NULL &&
	    strncmp(p + 3, host, strlen(host)) == 0 &&
	    p[3 + strlen(host)] == '/') {
		strbuf_appends(&next, p + 3 + strlen(host));
	}
	strbuf_init(&url, 160);
	form_signin_url(req, &url, next.len > 0 ? next.data : NULL,
	    nextpath_why(next.len > 0 ? next.data : NULL));
	http_response_header(req, "location", url.data);
	respond(req, 303, NULL, NULL, 0);
	strbuf_free(&url);
	strbuf_free(&next);
}

/* Who is asking, and may they. */
static int
authorize(struct http_request *req, struct rq *rq)
{
	int	status;

	status = authz_check(&rq->who, rq->route->auth, rq->route->roles);
	if (status != 0) {
		kore_log(LOG_NOTICE, "denied id=%s account=%lld route=%s "
		    "status=%d", rq->id, (long long)rq->who.account_id,
		    names[rq->route_index], status);
		if (status == 401 && rq->route->kind == ROUTE_PAGE) {
			/* A person, not a client: take them to the sign-in. */
			signin_redirect(req);
			return (MW_ERROR);
		}
		if (status == 401)
			http_response_header(req, "www-authenticate",
			    "Bearer realm=\"mitwirken\"");
		respond_error(req, status, NULL, NULL, NULL);
		return (MW_ERROR);
	}
	return (MW_OK);
}

/* Did a state-changing request really come from this site? */
static int
same_site(struct http_request *req, struct rq *rq)
{
	if (rq->route->auth != AUTH_NONE && state_changing(req) &&
	    !session_csrf_ok(req)) {
		kore_log(LOG_NOTICE, "denied id=%s account=%lld route=%s "
		    "csrf", rq->id, (long long)rq->who.account_id,
		    names[rq->route_index]);
		respond_error(req, 403, "csrf_failed", "The request did not "
		    "come from this site's own page, or its form expired; "
		    "reload the page and try again.", NULL);
		return (MW_ERROR);
	}
	return (MW_OK);
}

static int
run_handler(struct http_request *req, struct rq *rq)
{
	if (rq->resume != NULL)
		return (rq->resume(req));
	if (rq->route->handler == NULL)
		return (db_request(req, rq->route->op));
	return (rq->route->handler(req));
}

int
dispatch(struct http_request *req)
{
	struct rq	*rq;
	enum db_status	s;
	int		r;

	if ((rq = rq_get(req)) == NULL) {
		rq = rq_start(req);
		if (!rq_route(req, rq))
			return (KORE_RESULT_OK);
	}
	/*
	 * Order: who is asking (401/403) before what they sent (413, 415,
	 * 400), and the body before the CSRF check, which may read a form.
	 */
	if (!rq->auth_done) {
		if (rq->route->auth != AUTH_NONE &&
		    (s = session_step(req)) != DB_DONE)
			return (db_yield(s));
		rq->auth_done = 1;
		if (!authorize(req, rq) || (state_changing(req) &&
		    req->method != HTTP_METHOD_DELETE && !accept_body(req, rq)) ||
		    !same_site(req, rq))
			return (KORE_RESULT_OK);
	}
	/* Pages show the city's name and colours (site.c); files do not. */
	if (rq->html && rq->route->handler != assets_serve &&
	    (s = site_step(req)) != DB_DONE)
		return (db_yield(s));
	/* After the checks, so a refused request never claims a key. */
	if ((s = idem_begin(req)) != DB_DONE)
		return (db_yield(s));
	r = KORE_RESULT_OK;
	if (rq->idem.state != IDEM_CAPTURED)
		r = run_handler(req, rq);
	return (idem_after(req, r));
}
