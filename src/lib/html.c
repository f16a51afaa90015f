/*
 * HTML escaping and a small mustache-like template engine that renders
 * cJSON data, so an HTML page and its JSON twin share one data shape.
 *
 *   {{name}} {{a.b}} {{.}}   value, always HTML-escaped
 *   {{#name}}..{{/name}}     array: once per element; object: once inside
 *                            it; other truthy values: once
 *   {{^name}}..{{/name}}     once when name is missing, false, null or []
 *   {{>name}}                another template, same data (a partial)
 *   {{! comment }}
 *   {{@root.name}}           name in the page's data, from anywhere
 *   {{../name}}              name in the list around the current item
 *
 * Where a name is looked up: in the innermost context, then outward
 * through the enclosing object sections, up to and including the nearest
 * list item.  A list item is a wall: inside {{#goals}}..{{/goals}} a name
 * the goal lacks is missing, not taken from the page (a page-level
 * "checked" once ticked every goal).  To use the page's data inside a
 * list, write it with @root: {{@root.lang}}, {{#@root.who}}..{{/@root.who}};
 * each "../" leaves one list item and looks up from around it by the same
 * rule (a criterion's {{../slug}} inside its list of options).
 *
 * There is deliberately no unescaped form in templates: nothing from data
 * reaches a page without passing html_escape().  The one exception is made
 * in C, not in a template: a cJSON "raw" item (cJSON_CreateRaw), which no
 * parsed document can contain, is copied as it is; only code that built
 * the markup itself with every text escaped (chart.c's SVG) creates one.
 */

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

#define STACK_MAX	16

struct render {
	struct strbuf	*out;
	const cJSON	*stack[STACK_MAX];
	unsigned char	 item[STACK_MAX];	/* stack[i] is a list item */
	int		depth;
	int		partials;
	html_partial resolve;
	char		*err;
	size_t		errlen;
};

void
html_escape(struct strbuf *out, const char *s, size_t len)
{
	size_t	i, start;
	const char *rep;

	for (i = 0, start = 0; i < len; i++) {
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		strbuf_append(out, s + start, i - start);
		strbuf_appends(out, rep);
		start = i + 1;
	}
	strbuf_append(out, s + start, len - start);
}

static const cJSON *
lookup_in(const cJSON *ctx, const char *name, size_t len)
{
	const char	*dot;
	char		key[128];
	size_t		klen;

	while (ctx != NULL && len > 0) {
		dot = memchr(name, '.', len);
		klen = dot ? (size_t)(dot - name) : len;
		if (klen == 0 || klen >= sizeof(key) || !cJSON_IsObject(ctx))
			return (NULL);
		memcpy(key, name, klen);
		key[klen] = '\0';
		ctx = cJSON_GetObjectItemCaseSensitive(ctx, key);
		if (dot == NULL)
			break;
		name = dot + 1;
		len -= klen + 1;
	}
	return (ctx);
}

/*
 * The first path segment is searched from the innermost context out, but
 * not past the nearest list item; "@root." starts at the page's data,
 * each "../" just outside the nearest list item.
 */
static const cJSON *
lookup(struct render *r, const char *name, size_t len)
{
	const char	*dot;
	char		first[128];
	size_t		flen;
	int		i;

	if (len == 1 && name[0] == '.')
		return (r->stack[r->depth - 1]);
	if (len > 6 && memcmp(name, "@root.", 6) == 0)
		return (lookup_in(r->stack[0], name + 6, len - 6));
	for (i = r->depth - 1; len > 3 && memcmp(name, "../", 3) == 0;
	    name += 3, len -= 3) {
		while (i >= 0 && !r->item[i])
			i--;
		if (--i < 0)
			return (NULL);
	}
	dot = memchr(name, '.', len);
	flen = dot ? (size_t)(dot - name) : len;
	if (flen == 0 || flen >= sizeof(first))
		return (NULL);
	memcpy(first, name, flen);
	first[flen] = '\0';
	for (; i >= 0; i--) {
		if (cJSON_IsObject(r->stack[i]) &&
		    cJSON_GetObjectItemCaseSensitive(r->stack[i], first) != NULL)
			return (lookup_in(r->stack[i], name, len));
		if (r->item[i])
			break;
	}
	return (NULL);
}

static int
truthy(const cJSON *v)
{
	if (v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return (0);
	if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 0)
		return (0);
	if (cJSON_IsString(v) && v->valuestring[0] == '\0')
		return (0);
	return (1);
}

static void
emit_value(struct render *r, const cJSON *v)
{
	char	num[64];

	if (cJSON_IsString(v)) {
		html_escape(r->out, v->valuestring, strlen(v->valuestring));
	} else if (cJSON_IsRaw(v)) {
		strbuf_appends(r->out, v->valuestring);
	} else if (cJSON_IsNumber(v)) {
		/*
		 * Whole numbers print without exponent; no cast to an integer
		 * type, which is undefined beyond its range (bigint ids).
		 */
		if (fabs(v->valuedouble) < 1e19 &&
		    v->valuedouble == floor(v->valuedouble))
			(void)snprintf(num, sizeof(num), "%.0f",
			    v->valuedouble);
		else
			(void)snprintf(num, sizeof(num), "%.17g",
			    v->valuedouble);
		strbuf_appends(r->out, num);
	} else if (cJSON_IsTrue(v)) {
		strbuf_appends(r->out, "true");
	}
}

static int	render_span(struct render *, const char *, const char *);

static int
fail(struct render *r, const char *msg, const char *where)
{
	(void)snprintf(r->err, r->errlen, "%s near \"%.20s\"", msg, where);
	return (MW_ERROR);
}

/* Finds the {{/name}} closing a section, skipping nested same-name ones. */
static const char *
section_end(const char *p, const char *end, const char *name, size_t len,
    const char **after)
{
	const char	*t, *close;
	int		nest;

	for (nest = 0, t = p; (t = strstr(t, "{{")) != NULL && t < end;
	    t = close + 2) {
		if ((close = strstr(t, "}}")) == NULL || close >= end)
			return (NULL);
		if ((t[2] == '#' || t[2] == '^') &&
		    (size_t)(close - t - 3) == len &&
		    memcmp(t + 3, name, len) == 0)
			nest++;
		else if (t[2] == '/' && (size_t)(close - t - 3) == len &&
		    memcmp(t + 3, name, len) == 0 && nest-- == 0) {
			*after = close + 2;
			return (t);
		}
	}
	return (NULL);
}

static int
render_section(struct render *r, char kind, const char *name, size_t len,
    const char *body, const char *body_end)
{
	const cJSON	*v, *el;
	int		ok;

	v = lookup(r, name, len);
	if (kind == '^')
		return (truthy(v) ? MW_OK : render_span(r, body, body_end));
	if (!truthy(v))
		return (MW_OK);
	if (r->depth == STACK_MAX)
		return (fail(r, "sections nested too deeply", name));
	ok = MW_OK;
	if (cJSON_IsArray(v)) {
		cJSON_ArrayForEach(el, v) {
			r->item[r->depth] = 1;
			r->stack[r->depth++] = el;
			ok = render_span(r, body, body_end);
			r->depth--;
			if (!ok)
				break;
		}
	} else {
		r->item[r->depth] = 0;
		r->stack[r->depth++] = v;
		ok = render_span(r, body, body_end);
		r->depth--;
	}
	return (ok);
}

static int
render_partial(struct render *r, const char *name, size_t len)
{
	const char	*t;
	size_t		tlen;
	int		ok;

	if (r->resolve == NULL ||
	    (t = r->resolve(name, len, &tlen)) == NULL)
		return (fail(r, "unknown partial", name));
	if (r->partials == STACK_MAX)
		return (fail(r, "partials nested too deeply", name));
	r->partials++;
	ok = render_span(r, t, t + tlen);
	r->partials--;
	return (ok);
}

static int
render_span(struct render *r, const char *p, const char *end)
{
	const char	*open, *close, *name, *body_end, *after;
	size_t		len;

	while (p < end) {
		open = strstr(p, "{{");
		if (open == NULL || open >= end) {
			strbuf_append(r->out, p, (size_t)(end - p));
			break;
		}
		strbuf_append(r->out, p, (size_t)(open - p));
		if ((close = strstr(open + 2, "}}")) == NULL || close >= end)
			return (fail(r, "unterminated tag", open));
		name = open + 2;
		len = (size_t)(close - name);
		p = close + 2;
		if (len == 0)
			return (fail(r, "empty tag", open));
		switch (*name) {
		case '!':
			break;
		case '#':
		case '^':
			body_end = section_end(p, end, name + 1, len - 1,
			    &after);
			if (body_end == NULL)
				return (fail(r, "unclosed section", open));
			if (!render_section(r, *name, name + 1, len - 1, p,
			    body_end))
				return (MW_ERROR);
			p = after;
			break;
		case '>':
			if (!render_partial(r, name + 1, len - 1))
				return (MW_ERROR);
			break;
		case '/':
			return (fail(r, "unexpected section end", open));
		default:
			emit_value(r, lookup(r, name, len));
			break;
		}
	}
	return (MW_OK);
}

/* tmpl must be NUL-terminated at tmpl[len], as partials must be. */
int
html_render(struct strbuf *out, const char *tmpl, size_t len,
    const cJSON *data, html_partial resolve, char *err, size_t errlen)
{
	struct render	r;

	memset(&r, 0, sizeof(r));
	r.resolve = resolve;
	r.out = out;
	r.err = err;
	r.errlen = errlen;
	r.stack[r.depth++] = data;
	return (render_span(&r, tmpl, tmpl + len));
}
