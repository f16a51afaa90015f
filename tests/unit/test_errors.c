#include "mitwirken.h"
#include "unit.h"

static void
body_shape(void)
{
	struct field_errors	fe = { 0 };
	cJSON			*doc, *err;
	char			*s;

	error_field_add(&fe, "title", "required");
	s = error_body(422, NULL, NULL, &fe, "abc123");
	doc = cJSON_Parse(s);
	CHECK(doc != NULL);
	err = cJSON_GetObjectItem(doc, "error");
	CHECK_STR(cJSON_GetObjectItem(err, "code")->valuestring,
	    "validation_failed");
	CHECK_STR(cJSON_GetObjectItem(err, "request_id")->valuestring,
	    "abc123");
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(err, "fields"),
	    "title")->valuestring, "required");
	CHECK(cJSON_GetArraySize(doc) == 1);
	cJSON_Delete(doc);
	cJSON_free(s);

	s = error_body(404, NULL, NULL, NULL, "x");
	doc = cJSON_Parse(s);
	err = cJSON_GetObjectItem(doc, "error");
	CHECK_STR(cJSON_GetObjectItem(err, "code")->valuestring, "not_found");
	CHECK(cJSON_GetObjectItem(err, "fields") == NULL);
	cJSON_Delete(doc);
	cJSON_free(s);
}

static void
message_escaped(void)
{
	char	*s;
	cJSON	*doc;

	s = error_body(400, "malformed_json", "bad \"quote\" \n", NULL, "x");
	doc = cJSON_Parse(s);
	CHECK(doc != NULL);
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "error"),
	    "message")->valuestring, "bad \"quote\" \n");
	cJSON_Delete(doc);
	cJSON_free(s);
}

static void
sqlstates(void)
{
	const char	*code;
	int		status;

	error_sqlstate("23505", &status, &code);
	CHECK(status == 409);
	error_sqlstate("23503", &status, &code);
	CHECK(status == 422);
	error_sqlstate("22P02", &status, &code);
	CHECK(status == 422);
	error_sqlstate("57P01", &status, &code);
	CHECK(status == 503);
	error_sqlstate("08006", &status, &code);
	CHECK(status == 503);
	error_sqlstate("40001", &status, &code);
	CHECK(status == 503);
	error_sqlstate(NULL, &status, &code);
	CHECK(status == 503);
	error_sqlstate("42601", &status, &code);
	CHECK(status == 500);
	CHECK_STR(code, "internal_error");
	CHECK_STR(error_code_for_status(415), "unsupported_media_type");
	CHECK(error_sqlstate_lost("57P01"));
	CHECK(error_sqlstate_lost("08006"));
	CHECK(!error_sqlstate_lost("57014"));
	CHECK(!error_sqlstate_lost("23505"));
	CHECK(!error_sqlstate_lost(NULL));
}

UNIT_SUITE(errors_tests) = {
	{ "errors: body shape", body_shape },
	{ "errors: message is JSON-escaped", message_escaped },
	{ "errors: SQLSTATE mapping", sqlstates },
	{ NULL, NULL }
};
