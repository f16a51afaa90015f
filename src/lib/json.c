/*
 * Request bodies are parsed strictly: valid UTF-8, one JSON value, bounded
 * nesting, no duplicate keys.  cJSON alone would keep the first of two
 * duplicate keys while other parsers keep the last: a smuggling risk.
 */

#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

/* Up to max bytes of s, never cutting a UTF-8 sequence in half. */
static int
utf8_prefix(const char *s, int max)
{
	int	n;

	n = (int)strlen(s);
	if (n <= max)
		return (n);
	for (n = max; n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80; n--)
		;
	return (n);
}

/*
 * cJSON ends a string at an escaped NUL (\u0000) and keeps the rest
 * silently: "secret\u0000ignored" would arrive as "secret".  Such a body
 * is refused instead.
 */
static int
has_nul_escape(const char *p, size_t len)
{
	size_t	i;
	int	in_string;

	for (i = 0, in_string = 0; i < len; i++) {
		if (p[i] == '"') {
			in_string = !in_string;
		} else if (in_string && p[i] == '\\') {
			if (i + 5 < len && p[i + 1] == 'u' &&
			    memcmp(p + i + 2, "0000", 4) == 0)
				return (1);
			i++;
		}
	}
	return (0);
}

static int
check_tree(const cJSON *node, int depth, char *err, size_t errlen)
{
	const cJSON	*child, *other;

	if (depth > JSON_DEPTH_MAX) {
		(void)snprintf(err, errlen, "nested deeper than %d levels",
		    JSON_DEPTH_MAX);
		return (MW_ERROR);
	}
	for (child = node->child; child != NULL; child = child->next) {
		if (cJSON_IsObject(node)) {
			for (other = child->next; other != NULL;
			    other = other->next) {
				if (strcmp(child->string, other->string) == 0) {
					(void)snprintf(err, errlen, "duplicate "
					    "key \"%.*s\"",
					    utf8_prefix(child->string, 40),
					    child->string);
					return (MW_ERROR);
				}
			}
		}
		if (!check_tree(child, depth + 1, err, errlen))
			return (MW_ERROR);
	}
	return (MW_OK);
}

/* Returns the parsed document or NULL with a reason a client can read. */
cJSON *
json_parse_body(const char *body, size_t len, char *err, size_t errlen)
{
	const char	*end;
	size_t		i;
	cJSON		*doc;

	if (len == 0) {
		(void)snprintf(err, errlen, "the body is empty");
		return (NULL);
	}
	for (i = 0; i < len; i++) {
		if (body[i] == '\0') {
			(void)snprintf(err, errlen, "the body contains a NUL "
			    "byte");
			return (NULL);
		}
	}
	if (!utf8_valid_json(body, len)) {
		(void)snprintf(err, errlen, "the body is not valid UTF-8");
		return (NULL);
	}
	if (has_nul_escape(body, len)) {
		(void)snprintf(err, errlen, "the body contains an escaped NUL "
		    "(\\u0000)");
		return (NULL);
	}
	doc = cJSON_ParseWithLengthOpts(body, len, &end, 0);
	if (doc == NULL) {
		(void)snprintf(err, errlen, "malformed JSON at byte %zu",
		    (size_t)(cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() - body :
		    0));
		return (NULL);
	}
	while (end < body + len && (*end == ' ' || *end == '\n' ||
	    *end == '\r' || *end == '\t'))
		end++;
	if (end != body + len) {
		(void)snprintf(err, errlen, "trailing data after the JSON "
		    "value");
		cJSON_Delete(doc);
		return (NULL);
	}
	if (!check_tree(doc, 1, err, errlen)) {
		cJSON_Delete(doc);
		return (NULL);
	}
	return (doc);
}

const char *
json_str(const cJSON *obj, const char *key)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return (cJSON_IsString(v) ? v->valuestring : NULL);
}

double
json_num(const cJSON *obj, const char *key)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return (cJSON_IsNumber(v) ? v->valuedouble : 0);
}

int
json_true(const cJSON *obj, const char *key)
{
	return (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key)));
}
