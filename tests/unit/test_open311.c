#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static int
parse(const char *body, struct open311_request *o, struct field_errors *fe)
{
	memset(fe, 0, sizeof(*fe));
	return (open311_parse_request(body, strlen(body), o, fe));
}

static const char *
reason(const struct field_errors *fe, const char *field)
{
	int	i;

	for (i = 0; i < fe->count; i++) {
		if (strcmp(fe->items[i].field, field) == 0)
			return (fe->items[i].reason);
	}
	return (NULL);
}

static void
request_full(void)
{
	struct open311_request	o;
	struct field_errors	fe;
	char			*attrs;

	CHECK(parse("api_key=k&service_code=strassenschaden&lat=52.2689"
	    "&long=10.5211&description=Tiefes+Loch%0Ahier&email=a%40b.de"
	    "&first_name=Erika&last_name=M%C3%BCller&phone=0531+123"
	    "&attribute[depth]=12&attribute%5Bsize%5D=large"
	    "&media_url=https%3A%2F%2Fexample.org%2Fa.jpg&device_id=x"
	    "&account_id=7&jurisdiction_id=braunschweig.de", &o, &fe));
	CHECK(fe.count == 0);
	CHECK_STR(o.field[O311_SERVICE_CODE], "strassenschaden");
	CHECK_STR(o.field[O311_DESCRIPTION], "Tiefes Loch\nhier");
	CHECK_STR(o.field[O311_LAST_NAME], "M\xc3\xbcller");
	CHECK_STR(o.field[O311_PHONE], "0531 123");
	CHECK(o.has_point && o.lat > 52.2688 && o.lat < 52.2690);
	CHECK(o.lon > 10.5210 && o.lon < 10.5212);
	attrs = cJSON_PrintUnformatted(o.attributes);
	CHECK_STR(attrs, "{\"depth\":\"12\",\"size\":\"large\"}");
	cJSON_free(attrs);
	open311_request_free(&o);
}

static void
request_multivalue(void)
{
	struct open311_request	o;
	struct field_errors	fe;
	char			*attrs;

	CHECK(parse("service_code=a&address_string=Bohlweg+1"
	    "&attribute[kinds][]=x&attribute[kinds][]=y", &o, &fe));
	attrs = cJSON_PrintUnformatted(o.attributes);
	CHECK_STR(attrs, "{\"kinds\":[\"x\",\"y\"]}");
	cJSON_free(attrs);
	CHECK(!o.has_point);
	open311_request_free(&o);
	CHECK(!parse("service_code=a&address_string=x&attribute[k]=1"
	    "&attribute[k][]=2", &o, &fe));
	CHECK(reason(&fe, "attribute[k][]") != NULL);
	open311_request_free(&o);
	CHECK(!parse("service_code=a&address_string=x&attribute[K]=1", &o,
	    &fe));
	CHECK(reason(&fe, "attribute[K]") != NULL);
	open311_request_free(&o);
	CHECK(!parse("service_code=a&address_string=x&attribute[k]x=1", &o,
	    &fe));
	open311_request_free(&o);
}

static void
request_errors(void)
{
	struct open311_request	o;
	struct field_errors	fe;
	char			big[5200];

	CHECK(!parse("lat=52.1&long=10.5", &o, &fe));
	CHECK_STR(reason(&fe, "service_code"), "required");
	open311_request_free(&o);
	CHECK(!parse("service_code=a", &o, &fe));
	CHECK(strstr(reason(&fe, "lat"), "location is required") != NULL);
	open311_request_free(&o);
	CHECK(!parse("service_code=a&lat=52.1", &o, &fe));
	CHECK_STR(reason(&fe, "long"), "lat and long go together");
	open311_request_free(&o);
	/* The spec's decimal point only; degrees in range. */
	CHECK(!parse("service_code=a&lat=52%2C1&long=10.5", &o, &fe));
	CHECK(reason(&fe, "lat") != NULL);
	open311_request_free(&o);
	CHECK(!parse("service_code=a&lat=91&long=10.5", &o, &fe));
	CHECK(reason(&fe, "lat") != NULL);
	open311_request_free(&o);
	CHECK(!parse("service_code=a&lat=1e3&long=10.5", &o, &fe));
	open311_request_free(&o);
	CHECK(!parse("service_code=Not+a+code&address_string=x", &o, &fe));
	CHECK(reason(&fe, "service_code") != NULL);
	open311_request_free(&o);
	CHECK(!parse("service_code=a&address_string=x&colour=red", &o, &fe));
	CHECK_STR(reason(&fe, "colour"), "unknown parameter");
	open311_request_free(&o);
	CHECK(!parse("service_code=a&service_code=b&address_string=x", &o,
	    &fe));
	CHECK_STR(reason(&fe, "service_code"), "given more than once");
	open311_request_free(&o);
	CHECK(!parse("service_code=a&address_string=x"
	    "&media_url=javascript%3Aalert(1)", &o, &fe));
	CHECK(reason(&fe, "media_url") != NULL);
	open311_request_free(&o);
	CHECK(!parse("service_code=a&address_string=x%0Ay", &o, &fe));
	CHECK_STR(reason(&fe, "address_string"), "must be a single line");
	open311_request_free(&o);
	CHECK(!parse("service_code=a&address_string=%01", &o, &fe));
	open311_request_free(&o);
	CHECK(!parse("service_code=a&address_string=x%", &o, &fe));
	open311_request_free(&o);
	/* 4001 characters: one too many. */
	memcpy(big, "service_code=a&address_string=x&description=", 44);
	memset(big + 44, 'x', 4001);
	big[44 + 4001] = '\0';
	CHECK(!parse(big, &o, &fe));
	CHECK_STR(reason(&fe, "description"),
	    "must be 0 to 4000 characters long");
	open311_request_free(&o);
	big[44 + 4000] = '\0';
	CHECK(parse(big, &o, &fe));
	open311_request_free(&o);
	/* Empty fields are fields not given (HTML forms send them). */
	CHECK(parse("service_code=a&address_string=x&email=&lat=&long=", &o,
	    &fe));
	CHECK(o.field[O311_EMAIL] == NULL && !o.has_point);
	open311_request_free(&o);
}

static void
lists(void)
{
	struct strbuf	b;

	strbuf_init(&b, 32);
	CHECK(open311_parse_list("a,b-c", O311_LIST_CODES, &b));
	CHECK_STR(b.data, "{a,b-c}");
	strbuf_reset(&b);
	CHECK(open311_parse_list("12,7", O311_LIST_IDS, &b));
	CHECK_STR(b.data, "{12,7}");
	strbuf_reset(&b);
	CHECK(open311_parse_list("open,closed", O311_LIST_STATUSES, &b));
	CHECK_STR(b.data, "{open,closed}");
	strbuf_reset(&b);
	CHECK(!open311_parse_list("a,,b", O311_LIST_CODES, &b));
	strbuf_reset(&b);
	CHECK(!open311_parse_list("a\"}", O311_LIST_CODES, &b));
	strbuf_reset(&b);
	CHECK(!open311_parse_list("1,x", O311_LIST_IDS, &b));
	strbuf_reset(&b);
	CHECK(!open311_parse_list("007", O311_LIST_IDS, &b));
	strbuf_reset(&b);
	CHECK(!open311_parse_list("pending", O311_LIST_STATUSES, &b));
	strbuf_reset(&b);
	CHECK(!open311_parse_list("", O311_LIST_STATUSES, &b));
	strbuf_free(&b);
}

static void
times(void)
{
	long long	t;
	char		buf[32];

	CHECK(open311_parse_time("2010-04-14T06:37:38-08:00", &t));
	CHECK(t == 1271255858LL);
	CHECK(open311_parse_time("2010-04-14T14:37:38Z", &t));
	CHECK(t == 1271255858LL);
	CHECK(open311_parse_time("2010-04-14T16:37:38.250+0200", &t));
	CHECK(t == 1271255858LL);
	CHECK(open311_parse_time("2010-05-24", &t));
	CHECK(t == 1274659200LL);
	CHECK(open311_parse_time("2024-02-29T00:00Z", &t));
	CHECK(!open311_parse_time("2023-02-29", &t));
	/* A time without its zone is ambiguous. */
	CHECK(!open311_parse_time("2010-04-14T06:37:38", &t));
	CHECK(!open311_parse_time("2010-13-01", &t));
	CHECK(!open311_parse_time("2010-04-14T24:00:00Z", &t));
	CHECK(!open311_parse_time("2010-04-14T06:37:38+25:00", &t));
	CHECK(!open311_parse_time("2010-04-14T06:37:38.Z", &t));
	CHECK(!open311_parse_time("14.04.2010", &t));
	CHECK(!open311_parse_time("2010-04-14 06:37:38Z", &t));
	open311_format_time(1271255858LL, buf, sizeof(buf));
	CHECK_STR(buf, "2010-04-14T14:37:38Z");
}

static void
xml_escaping(void)
{
	struct strbuf	b;

	strbuf_init(&b, 64);
	open311_xml_text(&b, "a<b>&\"c'\r\n", 10);
	CHECK_STR(b.data, "a&lt;b&gt;&amp;&quot;c&apos;&#13;\n");
	strbuf_reset(&b);
	/* Invalid UTF-8, a C0 control, U+FFFE and a surrogate: U+FFFD. */
	open311_xml_text(&b, "\xc3(\x01\xef\xbf\xbe\xed\xa0\x80\xc3\xa4",
	    11);
	CHECK(strncmp(b.data, "\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd", 10) ==
	    0);
	CHECK(strcmp(b.data + b.len - 2, "\xc3\xa4") == 0);
	strbuf_free(&b);
}

static void
xml_documents(void)
{
	struct strbuf	b;
	cJSON		*doc;

	strbuf_init(&b, 256);
	doc = cJSON_Parse("[{\"service_code\":\"a\",\"metadata\":true,"
	    "\"lat\":52.5,\"group\":null,\"keywords\":\"x,y\"}]");
	open311_xml(&b, "services", doc);
	CHECK_STR(b.data, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<services><service><service_code>a</service_code>"
	    "<metadata>true</metadata><lat>52.5</lat><group></group>"
	    "<keywords>x,y</keywords></service></services>\n");
	cJSON_Delete(doc);
	strbuf_reset(&b);
	doc = cJSON_Parse("{\"service_code\":\"a\",\"attributes\":[{\"code\":"
	    "\"size\",\"order\":2,\"values\":[{\"key\":\"s\",\"name\":"
	    "\"<klein>\"}]}]}");
	open311_xml(&b, "service_definition", doc);
	CHECK(strstr(b.data, "<service_definition><service_code>a"
	    "</service_code><attributes><attribute><code>size</code>"
	    "<order>2</order><values><value><key>s</key><name>&lt;klein&gt;"
	    "</name></value></values></attribute></attributes>"
	    "</service_definition>") != NULL);
	cJSON_Delete(doc);
	strbuf_reset(&b);
	/* Keys that are no XML names still make a well-formed element. */
	doc = cJSON_Parse("{\"1 a<b\":\"x\",\"\":1}");
	open311_xml(&b, "r", doc);
	CHECK(strstr(b.data, "<r><__a_b>x</__a_b><_>1</_></r>") != NULL);
	cJSON_Delete(doc);
	strbuf_free(&b);
}

static void
errors_document(void)
{
	struct strbuf		b;
	struct field_errors	fe;

	memset(&fe, 0, sizeof(fe));
	error_field_add(&fe, "service_code", "required");
	error_field_add(&fe, "lat", "out of the city");
	strbuf_init(&b, 128);
	open311_error(&b, 0, 400, NULL, &fe);
	CHECK_STR(b.data, "[{\"code\":400,\"description\":\"service_code: "
	    "required; lat: out of the city\"}]");
	strbuf_reset(&b);
	open311_error(&b, 1, 403, "api_key is not valid", NULL);
	CHECK(strstr(b.data, "<errors><error><code>403</code><description>"
	    "api_key is not valid</description></error></errors>") != NULL);
	strbuf_reset(&b);
	open311_error(&b, 0, 404, NULL, NULL);
	CHECK_STR(b.data, "[{\"code\":404,\"description\":\"There is nothing "
	    "at this address.\"}]");
	strbuf_free(&b);
}

UNIT_SUITE(open311_tests) = {
	{ "open311: a full request", request_full },
	{ "open311: multivaluelist attributes", request_multivalue },
	{ "open311: request errors name the parameter", request_errors },
	{ "open311: comma lists", lists },
	{ "open311: ISO 8601 times", times },
	{ "open311: XML escaping", xml_escaping },
	{ "open311: XML documents", xml_documents },
	{ "open311: error documents", errors_document },
	{ NULL, NULL }
};
