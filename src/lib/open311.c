/*
 * Open311 GeoReport v2, the pure part: the parameters of a new service
 * request (a form body, where attribute[code][] repeats), the filters of
 * GET requests (comma lists, ISO 8601 times), the spec's error document,
 * and the XML form of every JSON document the server answers.
 *
 * The XML is derived from the JSON (an array's items are named by the
 * singular of the array's element: services/service, attributes/attribute,
 * values/value, service_requests/request), so the two formats come from
 * one document and cannot drift apart.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mitwirken.h"

#define ATTR_CODE_MAX	32
#define ATTRS_MAX	16
#define ATTR_VALUES_MAX	20
#define LIST_ITEMS_MAX	100
/* A decoded value: a 4000-character description in bytes. */
#define PAIR_MAX	(4000 * 4 + 1)

static const struct {
	const char	*name;
	size_t		max;		/* characters */
	int		multiline;
} fields[O311_FIELDS] = {
	[O311_SERVICE_CODE] = { "service_code", 64, 0 },
	[O311_LAT] = { "lat", 32, 0 },
	[O311_LONG] = { "long", 32, 0 },
	[O311_ADDRESS] = { "address_string", 200, 0 },
	[O311_ADDRESS_ID] = { "address_id", 64, 0 },
	[O311_EMAIL] = { "email", EMAIL_MAX, 0 },
	[O311_DEVICE_ID] = { "device_id", 128, 0 },
	[O311_ACCOUNT_ID] = { "account_id", 128, 0 },
	[O311_FIRST_NAME] = { "first_name", 100, 0 },
	[O311_LAST_NAME] = { "last_name", 100, 0 },
	[O311_PHONE] = { "phone", 40, 0 },
	[O311_DESCRIPTION] = { "description", 4000, 1 },
	[O311_MEDIA_URL] = { "media_url", 500, 0 },
	[O311_API_KEY] = { "api_key", 128, 0 },
	[O311_JURISDICTION] = { "jurisdiction_id", 128, 0 },
};

const char *
open311_field_name(enum open311_field f)
{
	return (fields[f].name);
}

static int
field_find(const char *name)
{
	int	i;

	for (i = 0; i < O311_FIELDS; i++) {
		if (strcmp(fields[i].name, name) == 0)
			return (i);
	}
	return (-1);
}

/* Service codes: a-z, 0-9 and '-'; attribute codes: '_' for '-'. */
static int
code_valid(const char *s, size_t max, char other)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == other))
			return (0);
	}
	return (i >= 1 && i <= max);
}

/* "attribute[code]" or "attribute[code][]": the code, and which form. */
static int
attribute_name(const char *name, char *code, int *list)
{
	const char	*p, *end;
	size_t		len;

	if (strncmp(name, "attribute[", 10) != 0)
		return (MW_ERROR);
	p = name + 10;
	if ((end = strchr(p, ']')) == NULL)
		return (MW_ERROR);
	len = (size_t)(end - p);
	if (len == 0 || len > ATTR_CODE_MAX)
		return (MW_ERROR);
	memcpy(code, p, len);
	code[len] = '\0';
	if (!code_valid(code, ATTR_CODE_MAX, '_'))
		return (MW_ERROR);
	if (end[1] == '\0')
		*list = 0;
	else if (strcmp(end + 1, "[]") == 0)
		*list = 1;
	else
		return (MW_ERROR);
	return (MW_OK);
}

/* One attribute[code] or attribute[code][] value into the object. */
static void
attribute_add(struct open311_request *o, const char *name, char *value,
    struct field_errors *fe)
{
	char		code[ATTR_CODE_MAX + 1];
	const char	*why;
	cJSON		*have;
	size_t		b, len;
	int		list;

	if (!attribute_name(name, code, &list)) {
		error_field_add(fe, name, "is not attribute[code] or "
		    "attribute[code][] with a code of a-z, 0-9 and _");
		return;
	}
	if ((why = validate_text(value, 1, 500, 0, &b, &len)) != NULL) {
		error_field_add(fe, name, why);
		return;
	}
	value[b + len] = '\0';
	have = cJSON_GetObjectItemCaseSensitive(o->attributes, code);
	if (have != NULL && (!list || !cJSON_IsArray(have))) {
		error_field_add(fe, name, "given more than once, or both as "
		    "attribute[code] and attribute[code][]");
		return;
	}
	if (have == NULL && cJSON_GetArraySize(o->attributes) == ATTRS_MAX) {
		error_field_add(fe, name, "too many attributes");
		return;
	}
	if (!list) {
		cJSON_AddStringToObject(o->attributes, code, value + b);
		return;
	}
	if (have == NULL)
		have = cJSON_AddArrayToObject(o->attributes, code);
	if (cJSON_GetArraySize(have) == ATTR_VALUES_MAX) {
		error_field_add(fe, name, "too many values");
		return;
	}
	cJSON_AddItemToArray(have, cJSON_CreateString(value + b));
}

/* One of the named fields: its text without surrounding white space. */
static void
field_set(struct open311_request *o, int f, char *value,
    struct field_errors *fe)
{
	const char	*why;
	size_t		b, len;

	if (o->field[f] != NULL) {
		error_field_add(fe, fields[f].name, "given more than once");
		return;
	}
	/* An empty optional field is a field not given (HTML forms). */
	if ((why = validate_text(value, 0, fields[f].max, fields[f].multiline,
	    &b, &len)) != NULL) {
		if (strcmp(why, "required") != 0)
			error_field_add(fe, fields[f].name, why);
		return;
	}
	if ((o->field[f] = strndup(value + b, len)) == NULL)
		abort();
}

static int
pair_parse(struct open311_request *o, const char *pair, size_t len,
    struct field_errors *fe)
{
	static char	value[PAIR_MAX];
	char		name[PARAM_NAME_MAX];
	const char	*eq;
	size_t		nlen, vlen;
	int		f;

	if ((eq = memchr(pair, '=', len)) == NULL)
		eq = pair + len;
	if (!params_url_decode(pair, (size_t)(eq - pair), name, sizeof(name),
	    &nlen) || nlen == 0 || !utf8_valid_text(name, nlen)) {
		error_field_add(fe, "body", "malformed parameter name");
		return (MW_ERROR);
	}
	value[0] = '\0';
	vlen = 0;
	if (eq < pair + len && !params_url_decode(eq + 1,
	    (size_t)(pair + len - eq - 1), value, sizeof(value), &vlen)) {
		error_field_add(fe, name, "malformed or too long");
		return (MW_OK);
	}
	if ((f = field_find(name)) >= 0)
		field_set(o, f, value, fe);
	else if (strncmp(name, "attribute[", 10) == 0)
		attribute_add(o, name, value, fe);
	else
		error_field_add(fe, name, "unknown parameter");
	return (MW_OK);
}

/* "52.2689": what the spec's lat and long are (no decimal comma). */
static int
coordinate(const char *s, double min, double max, double *out)
{
	const char	*p;
	char		*end;
	int		digits = 0;

	p = (*s == '-' || *s == '+') ? s + 1 : s;
	for (; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != '.')
			return (MW_ERROR);
	}
	if (digits == 0)
		return (MW_ERROR);
	*out = strtod(s, &end);
	return (*end == '\0' && *out >= min && *out <= max);
}

static void
location_check(struct open311_request *o, struct field_errors *fe)
{
	const char	*lat = o->field[O311_LAT], *lon = o->field[O311_LONG];

	if ((lat == NULL) != (lon == NULL)) {
		error_field_add(fe, lat == NULL ? "lat" : "long",
		    "lat and long go together");
		return;
	}
	if (lat != NULL) {
		if (!coordinate(lat, -90, 90, &o->lat))
			error_field_add(fe, "lat", "must be a latitude in "
			    "decimal degrees (WGS 84), like 52.2689");
		if (!coordinate(lon, -180, 180, &o->lon))
			error_field_add(fe, "long", "must be a longitude in "
			    "decimal degrees (WGS 84), like 10.5211");
		o->has_point = 1;
		return;
	}
	if (o->field[O311_ADDRESS] == NULL)
		error_field_add(fe, "lat", "a location is required: lat and "
		    "long, or address_string");
}

/* http(s), a host, nothing a log line or a link could be broken by. */
static int
media_url_valid(const char *u)
{
	const char	*host;
	size_t		i;

	if (strncmp(u, "https://", 8) == 0)
		host = u + 8;
	else if (strncmp(u, "http://", 7) == 0)
		host = u + 7;
	else
		return (0);
	if (*host == '\0' || *host == '/' || *host == '?' || *host == '#')
		return (0);
	for (i = 0; u[i] != '\0'; i++) {
		if ((unsigned char)u[i] <= 0x20 || strchr("\"<>\\^`{|}",
		    u[i]) != NULL)
			return (0);
	}
	return (1);
}

int
open311_parse_request(const char *body, size_t len,
    struct open311_request *o, struct field_errors *fe)
{
	size_t	i, start;

	memset(o, 0, sizeof(*o));
	o->attributes = cJSON_CreateObject();
	for (i = 0, start = 0; i <= len; i++) {
		if (i < len && body[i] != '&')
			continue;
		if (i > start && !pair_parse(o, body + start, i - start, fe))
			return (MW_ERROR);
		start = i + 1;
	}
	if (o->field[O311_SERVICE_CODE] == NULL)
		error_field_add(fe, "service_code", "required");
	else if (!code_valid(o->field[O311_SERVICE_CODE], 64, '-'))
		error_field_add(fe, "service_code", "is not a service code "
		    "(see services)");
	location_check(o, fe);
	if (o->field[O311_MEDIA_URL] != NULL &&
	    !media_url_valid(o->field[O311_MEDIA_URL]))
		error_field_add(fe, "media_url", "must be an http or https "
		    "URL");
	return (fe->count == 0 ? MW_OK : MW_ERROR);
}

void
open311_request_free(struct open311_request *o)
{
	int	i;

	for (i = 0; i < O311_FIELDS; i++) {
		free(o->field[i]);
		o->field[i] = NULL;
	}
	cJSON_Delete(o->attributes);
	o->attributes = NULL;
}

/*
 * A comma list of service codes, ids or statuses as a PostgreSQL array
 * literal ("{a,b}"); each item is checked, so the literal needs no quoting.
 */
int
open311_parse_list(const char *in, enum open311_list kind, struct strbuf *out)
{
	char		item[72];
	const char	*p, *end;
	size_t		len;
	int		n = 0;

	strbuf_appends(out, "{");
	for (p = in;; p = end + 1) {
		end = p + strcspn(p, ",");
		len = (size_t)(end - p);
		if (len == 0 || len >= sizeof(item) || ++n > LIST_ITEMS_MAX)
			return (MW_ERROR);
		memcpy(item, p, len);
		item[len] = '\0';
		if (kind == O311_LIST_CODES && !code_valid(item, 64, '-'))
			return (MW_ERROR);
		if (kind == O311_LIST_IDS && (strspn(item, "0123456789") !=
		    len || len > 15 || item[0] == '0'))
			return (MW_ERROR);
		if (kind == O311_LIST_STATUSES && strcmp(item, "open") != 0 &&
		    strcmp(item, "closed") != 0)
			return (MW_ERROR);
		strbuf_appendf(out, "%s%s", n > 1 ? "," : "", item);
		if (*end == '\0')
			break;
	}
	strbuf_appends(out, "}");
	return (MW_OK);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long
days_from_civil(int y, int m, int d)
{
	int		era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return ((long long)era * 146097 + doe - 719468);
}

static int
digits(const char **p, int n, int *out)
{
	int	i;

	*out = 0;
	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return (MW_ERROR);
		*out = *out * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return (MW_OK);
}

static int
month_days(int y, int m)
{
	static const int	days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return (29);
	return (days[m - 1]);
}

/* "Z", "+hh:mm", "+hhmm", "-hh": seconds east of UTC. */
static int
zone(const char *p, long long *offset)
{
	int	h, m = 0, sign;

	if (strcmp(p, "Z") == 0 || strcmp(p, "z") == 0) {
		*offset = 0;
		return (MW_OK);
	}
	if (*p != '+' && *p != '-')
		return (MW_ERROR);
	sign = *p++ == '-' ? -1 : 1;
	if (!digits(&p, 2, &h))
		return (MW_ERROR);
	if (*p == ':')
		p++;
	if (*p != '\0' && !digits(&p, 2, &m))
		return (MW_ERROR);
	if (*p != '\0' || h > 14 || m > 59)
		return (MW_ERROR);
	*offset = sign * (h * 3600LL + m * 60LL);
	return (MW_OK);
}

/*
 * ISO 8601 as the spec's examples write it: "2010-04-14T06:37:38-08:00",
 * "2010-05-24T00:00:00Z", with optional fractions of a second; a time
 * needs its zone.  A plain date ("2010-05-24") is its midnight in UTC.
 * The result is seconds since the epoch.
 */
int
open311_parse_time(const char *s, long long *out)
{
	const char	*p = s;
	long long	off = 0;
	int		y, mo, d, h = 0, mi = 0, sec = 0;

	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) ||
	    *p++ != '-' || !digits(&p, 2, &d))
		return (MW_ERROR);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
		return (MW_ERROR);
	if (*p != '\0') {
		if ((*p != 'T' && *p != 't') || (p++, !digits(&p, 2, &h)) ||
		    *p++ != ':' || !digits(&p, 2, &mi))
			return (MW_ERROR);
		if (*p == ':' && (p++, !digits(&p, 2, &sec)))
			return (MW_ERROR);
		if (*p == '.' || *p == ',') {
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
			if (p[-1] == '.' || p[-1] == ',')
				return (MW_ERROR);
		}
		if (h > 23 || mi > 59 || sec > 59 || !zone(p, &off))
			return (MW_ERROR);
	}
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600LL + mi * 60LL +
	    sec - off;
	return (MW_OK);
}

/* "2026-12-03T10:57:34Z": RFC 3339, the zone always written. */
void
open311_format_time(long long t, char *out, size_t len)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(out, len, "1970-01-01T00:00:00Z");
}

/* ---- XML ---- */

static const char *const singulars[][2] = {
	{ "service_requests", "request" },
	{ "services", "service" },
	{ "attributes", "attribute" },
	{ "values", "value" },
	{ "endpoints", "endpoint" },
	{ "formats", "format" },
	{ "errors", "error" },
	{ NULL, NULL }
};

static const char *
singular(const char *plural)
{
	int	i;

	for (i = 0; singulars[i][0] != NULL; i++) {
		if (strcmp(singulars[i][0], plural) == 0)
			return (singulars[i][1]);
	}
	return ("item");
}

/* An element name: the key, with anything XML does not allow as '_'. */
static void
xml_name(struct strbuf *out, const char *name)
{
	const unsigned char	*p = (const unsigned char *)name;
	char			c;
	size_t			i;

	if (name == NULL || *name == '\0') {
		strbuf_appends(out, "_");
		return;
	}
	for (i = 0; p[i] != '\0' && i < 64; i++) {
		c = (char)p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || (i > 0 && ((c >= '0' && c <= '9') ||
		    c == '-' || c == '.'))))
			c = '_';
		strbuf_append(out, &c, 1);
	}
}

/*
 * The length of the valid UTF-8 sequence at p that XML 1.0 allows as a
 * character (Char production), or 0.
 */
static size_t
xml_char(const unsigned char *p, size_t left)
{
	uint32_t	cp, min;
	size_t		n, k;

	if (p[0] < 0x80)
		return ((p[0] >= 0x20 || p[0] == '\t' || p[0] == '\n' ||
		    p[0] == '\r') ? 1 : 0);
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2; cp = p[0] & 0x1f; min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3; cp = p[0] & 0x0f; min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4; cp = p[0] & 0x07; min = 0x10000;
	} else {
		return (0);
	}
	if (n > left)
		return (0);
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return (0);
		cp = (cp << 6) | (p[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp == 0xfffe || cp == 0xffff)
		return (0);
	return (n);
}

/*
 * Character data: the five special characters as entities, CR as a
 * reference (a parser would fold it away), anything that is not a valid
 * XML character (broken UTF-8, C0 controls) as U+FFFD.
 */
void
open311_xml_text(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			i, n;

	for (i = 0; i < len; i += n) {
		n = xml_char(p + i, len - i);
		if (n == 0) {
			strbuf_appends(out, "\xef\xbf\xbd");
			n = 1;
			continue;
		}
		switch (p[i]) {
		case '&': strbuf_appends(out, "&amp;"); break;
		case '<': strbuf_appends(out, "&lt;"); break;
		case '>': strbuf_appends(out, "&gt;"); break;
		case '"': strbuf_appends(out, "&quot;"); break;
		case '\'': strbuf_appends(out, "&apos;"); break;
		case '\r': strbuf_appends(out, "&#13;"); break;
		default: strbuf_append(out, p + i, n); break;
		}
	}
}

static void	element(struct strbuf *, const char *, const cJSON *, int);

static void
xml_children(struct strbuf *out, const char *name, const cJSON *v, int depth)
{
	const cJSON	*c;
	char		*num;

	if (cJSON_IsObject(v)) {
		cJSON_ArrayForEach(c, v)
			element(out, c->string, c, depth + 1);
	} else if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(c, v)
			element(out, singular(name), c, depth + 1);
	} else if (cJSON_IsString(v)) {
		open311_xml_text(out, v->valuestring, strlen(v->valuestring));
	} else if (cJSON_IsBool(v)) {
		strbuf_appends(out, cJSON_IsTrue(v) ? "true" : "false");
	} else if (cJSON_IsNumber(v)) {
		/* The number as the JSON form writes it. */
		if ((num = cJSON_PrintUnformatted(v)) != NULL) {
			strbuf_appends(out, num);
			cJSON_free(num);
		}
	}
}

/* A JSON null is an empty element, as in the spec's XML examples. */
static void
element(struct strbuf *out, const char *name, const cJSON *v, int depth)
{
	/* cJSON nests no deeper than its own limit; this is a backstop. */
	if (depth > JSON_DEPTH_MAX * 2)
		return;
	strbuf_appends(out, "<");
	xml_name(out, name);
	strbuf_appends(out, ">");
	xml_children(out, name, v, depth);
	strbuf_appends(out, "</");
	xml_name(out, name);
	strbuf_appends(out, ">");
}

/*
 * One element named name for the JSON value: a long list is written item
 * by item, each parsed on its own (GET requests, 1000 at a time).
 */
void
open311_xml_element(struct strbuf *out, const char *name, const cJSON *v)
{
	element(out, name, v, 0);
}

/* The document: the declaration, then the root element named root. */
void
open311_xml(struct strbuf *out, const char *root, const cJSON *doc)
{
	strbuf_appends(out, OPEN311_XML_DECL);
	element(out, root, doc, 0);
	strbuf_appends(out, "\n");
}

/*
 * The spec's error document, [{"code": 400, "description": "..."}], in
 * JSON or XML: the description is the message and the field errors
 * ("service_code: required; lat: ..."), or else the status's own words.
 */
void
open311_error(struct strbuf *out, int xml, int status, const char *message,
    const struct field_errors *fe)
{
	struct strbuf	desc;
	cJSON		*doc, *e;
	char		*json;
	int		i;

	strbuf_init(&desc, 128);
	if (message != NULL)
		strbuf_appends(&desc, message);
	for (i = 0; fe != NULL && i < fe->count; i++)
		strbuf_appendf(&desc, "%s%s: %s", i > 0 ? "; " :
		    desc.len > 0 ? " " : "", fe->items[i].field,
		    fe->items[i].reason);
	if (desc.len == 0)
		strbuf_appends(&desc, error_message_for_status(status));
	doc = cJSON_CreateArray();
	e = cJSON_CreateObject();
	cJSON_AddNumberToObject(e, "code", status);
	cJSON_AddStringToObject(e, "description", desc.data);
	cJSON_AddItemToArray(doc, e);
	if (xml) {
		open311_xml(out, "errors", doc);
	} else {
		json = cJSON_PrintUnformatted(doc);
		strbuf_appends(out, json);
		cJSON_free(json);
	}
	cJSON_Delete(doc);
	strbuf_free(&desc);
}
