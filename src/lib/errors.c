/*
 * The one error format of the API (DESIGN.md "Errors"):
 *   {"error": {"code": "...", "message": "...", "fields": {...},
 *              "request_id": "..."}}
 * and the mapping from PostgreSQL's SQLSTATE to what a client may retry.
 */

#include <string.h>

#include <stdio.h>

#include "mitwirken.h"

static const struct {
	int		status;
	const char	*code;
	const char	*message;
} statuses[] = {
	{ 400, "bad_request", "The request is malformed." },
	{ 401, "unauthorized", "Authentication is required." },
	{ 403, "forbidden", "You may not do this." },
	{ 404, "not_found", "There is nothing at this address." },
	{ 405, "method_not_allowed", "This method is not allowed here." },
	{ 409, "conflict", "This conflicts with the current state." },
	{ 411, "length_required", "A Content-Length is required." },
	{ 413, "payload_too_large", "The request body is too large." },
	{ 415, "unsupported_media_type",
	    "This Content-Type is not accepted here." },
	{ 422, "validation_failed", "Some fields are invalid." },
	{ 429, "too_many_requests", "Too many requests; try again later." },
	{ 500, "internal_error", "Something went wrong on our side." },
	{ 503, "unavailable",
	    "The service is temporarily unavailable; try again shortly." },
};

static int
status_index(int status)
{
	size_t	i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		if (statuses[i].status == status)
			return ((int)i);
	}
	return (-1);
}

const char *
error_code_for_status(int status)
{
	int	i;

	if ((i = status_index(status)) < 0)
		return (status >= 500 ? "internal_error" : "bad_request");
	return (statuses[i].code);
}

/* The status's sentence for a person, as the error body says it. */
const char *
error_message_for_status(int status)
{
	int	i;

	if ((i = status_index(status)) < 0)
		return (status >= 500 ? "Something went wrong on our side." :
		    "The request is malformed.");
	return (statuses[i].message);
}

/*
 * Builds the error body; code and message default from the status.  The
 * caller frees the result with cJSON_free().
 */
char *
error_body(int status, const char *code, const char *message,
    const struct field_errors *fe, const char *request_id)
{
	cJSON	*root, *err, *fields;
	char	*out;
	int	i, idx;

	idx = status_index(status);
	if (code == NULL)
		code = error_code_for_status(status);
	if (message == NULL)
		message = idx >= 0 ? statuses[idx].message : "Request failed.";

	root = cJSON_CreateObject();
	err = cJSON_AddObjectToObject(root, "error");
	cJSON_AddStringToObject(err, "code", code);
	cJSON_AddStringToObject(err, "message", message);
	if (fe != NULL && fe->count > 0) {
		fields = cJSON_AddObjectToObject(err, "fields");
		for (i = 0; i < fe->count; i++)
			cJSON_AddStringToObject(fields, fe->items[i].field,
			    fe->items[i].reason);
	}
	cJSON_AddStringToObject(err, "request_id",
	    request_id != NULL ? request_id : "");
	out = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return (out);
}

/*
 * What a failed statement means for the client.  Constraint violations are
 * the client's doing (409/422); lost connections, shutdowns, overload and
 * serialization failures are transient (503 + Retry-After); everything else
 * is our bug (500), never blamed on the client.
 */
void
error_sqlstate(const char *sqlstate, int *status, const char **code)
{
	if (sqlstate == NULL || strlen(sqlstate) != 5) {
		*status = 503;
		*code = "database_unavailable";
	} else if (strcmp(sqlstate, "23505") == 0) {
		*status = 409;
		*code = "conflict";
	} else if (strncmp(sqlstate, "23", 2) == 0 ||
	    strncmp(sqlstate, "22", 2) == 0) {
		*status = 422;
		*code = "validation_failed";
	} else if (strncmp(sqlstate, "08", 2) == 0 ||
	    strncmp(sqlstate, "53", 2) == 0 ||
	    strncmp(sqlstate, "57", 2) == 0 ||
	    strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0) {
		*status = 503;
		*code = "database_unavailable";
	} else {
		*status = 500;
		*code = "internal_error";
	}
}

/*
 * Whether a failed statement lost its connection: the server said it is
 * terminating the session (admin shutdown, crash recovery, starting up) or
 * the connection broke.  The FATAL message arrives before the EOF, so
 * libpq may still call the connection OK when we read it.
 */
int
error_sqlstate_lost(const char *sqlstate)
{
	if (sqlstate == NULL)
		return (0);
	return (strncmp(sqlstate, "08", 2) == 0 ||
	    strcmp(sqlstate, "57P01") == 0 || strcmp(sqlstate, "57P02") == 0 ||
	    strcmp(sqlstate, "57P03") == 0);
}

void
error_field_add(struct field_errors *fe, const char *field,
    const char *reason)
{
	struct field_error	*e;
	int			i;

	for (i = 0; i < fe->count; i++) {
		if (strcmp(fe->items[i].field, field) == 0)
			return;
	}
	if (fe->count == (int)(sizeof(fe->items) / sizeof(fe->items[0])))
		return;
	e = &fe->items[fe->count++];
	(void)snprintf(e->field, sizeof(e->field), "%s", field);
	(void)snprintf(e->reason, sizeof(e->reason), "%s", reason);
}
