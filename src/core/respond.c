/*
 * Every answer goes out through respond(): one answer per request, stored
 * first under an Idempotency-Key, errors in the uniform JSON of DESIGN.md
 * or as an HTML page for page routes, field errors next to the fields on
 * a form page.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mitwirken.h"

static int
header_set(struct http_request *req, const char *name)
{
	struct http_header	*h;

	TAILQ_FOREACH(h, &req->resp_headers, list) {
		if (strcasecmp(h->header, name) == 0)
			return (1);
	}
	return (0);
}

/*
 * Whatever answers a signed-in request is personal: the data itself, or a
 * public page whose header carries the pseudonym and the CSRF token.  No
 * cache may keep it (a shared proxy, the back button on a shared
 * computer), unless the handler chose its own caching.
 */
static void
private_answer(struct http_request *req, struct rq *rq)
{
	if (rq->who.account_id != 0 && !header_set(req, "cache-control"))
		http_response_header(req, "cache-control", "no-store");
}

int
respond(struct http_request *req, int status, const char *type,
    const void *body, size_t len)
{
	struct rq	*rq = rq_get(req);

	/* A second answer to one request would corrupt the connection. */
	if (req->status != 0 || rq->idem.state == IDEM_CAPTURED) {
		kore_log(LOG_ERR, "bug id=%s: second response (%d after %d)",
		    rq->id, status, req->status != 0 ? req->status :
		    rq->idem.status);
		return (KORE_RESULT_OK);
	}
	/* Under an Idempotency-Key the answer is stored before it is sent. */
	if (rq->idem.state == IDEM_ACTIVE) {
		idem_capture(req, status, type, body, len);
		return (KORE_RESULT_OK);
	}
	private_answer(req, rq);
	if (type != NULL)
		http_response_header(req, "content-type", type);
	http_response(req, status, body, len);
	return (KORE_RESULT_OK);
}

/*
 * Open311 routes answer errors as the spec's array in the format the path
 * asked for.  The spec names 400 for a bad request: a field error (422
 * elsewhere in the API) is its 400.
 */
static int
respond_open311(struct http_request *req, struct rq *rq, int status,
    const char *message, const struct field_errors *fe)
{
	struct strbuf	body;

	if (status == 422)
		status = 400;
	strbuf_init(&body, 256);
	open311_error(&body, rq->open311 == 2, status, message, fe);
	respond(req, status, rq->open311 == 2 ? XML_TYPE : JSON_TYPE,
	    body.data, body.len);
	strbuf_free(&body);
	return (KORE_RESULT_OK);
}

int
respond_error(struct http_request *req, int status, const char *code,
    const char *message, const struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	char		*body, retry[16];

	/* A 429 carries its own Retry-After: the time its limit resets. */
	if (status == 503) {
		(void)snprintf(retry, sizeof(retry), "%d",
		    mw_config.retry_after);
		http_response_header(req, "retry-after", retry);
	}
	if (rq->html)
		return (page_error(req, status, code));
	if (rq->open311)
		return (respond_open311(req, rq, status, message, fe));
	body = error_body(status, code, message, fe, rq->id);
	respond(req, status, JSON_TYPE, body, strlen(body));
	cJSON_free(body);
	return (KORE_RESULT_OK);
}

/* Field errors: next to the fields on a form page, else the JSON error. */
int
respond_fields(struct http_request *req, int status,
    const struct field_errors *fe)
{
	if (rq_get(req)->form_page != NULL)
		return (form_show(req, status, fe, NULL));
	return (respond_error(req, status, NULL, NULL, fe));
}

/* A handler's success: its JSON, or on a form page the page after it. */
int
respond_done(struct http_request *req, int status, const char *type,
    const void *body, size_t len)
{
	if (rq_get(req)->form_page != NULL)
		return (form_done(req));
	return (respond(req, status, type, body, len));
}

int
respond_json_literal(struct http_request *req, int status, const char *json)
{
	return (respond(req, status, JSON_TYPE, json, strlen(json)));
}

int
respond_unavailable(struct http_request *req)
{
	return (respond_error(req, 503, "database_unavailable",
	    "The database is unavailable; try again shortly.", NULL));
}

int
respond_not_found(struct http_request *req)
{
	return (respond_error(req, 404, NULL, NULL, NULL));
}
