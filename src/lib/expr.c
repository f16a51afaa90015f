/*
 * SurveyJS expressions, the part a visibleIf needs: {name} operands,
 * numbers, quoted strings, true/false, arrays of constants; comparisons,
 * contains/notcontains, anyof/allof/noneof, empty/notempty, and/or, ! and
 * negate, parentheses.  The values follow survey-core (3.x) as closely as
 * the answers we accept can tell apart: a variable's string that reads as
 * a number is a number, "true"/"false" are booleans, strings compare
 * trimmed and without case, and/or yield an operand as JavaScript does,
 * and the condition is the result == true.  tests/http/surveyjs.test.mjs
 * holds this against survey-core's ConditionRunner.
 *
 * Known deviations: case folding covers ASCII and Latin-1 letters only;
 * strings order by code point, not by UTF-16 unit; arithmetic (+ - * /
 * % ^), functions, undefined/null keywords and {a.b} paths are refused,
 * as is "not", which survey-core does not know either.
 */

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

#define EXPR_DEPTH_MAX	64	/* nested parentheses, !, operators */
#define EXPR_ARRAY_MAX	200

enum op {
	OP_VAR = 1, OP_CONST, OP_NOT, OP_EMPTY, OP_NOTEMPTY, OP_AND, OP_OR,
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS,
	OP_NOTCONTAINS, OP_ANYOF, OP_ALLOF, OP_NONEOF
};

struct expr {
	enum op		op;
	char		*name;		/* OP_VAR */
	cJSON		*value;		/* OP_CONST */
	struct expr	*a;
	struct expr	*b;
};

/* A value while evaluating: JavaScript's kinds, as survey-core sees them. */
enum vkind { V_NULL, V_BOOL, V_NUM, V_STR, V_ARR, V_OBJ };

struct val {
	enum vkind	k;
	int		b;
	double		n;
	const char	*s;
	size_t		len;
	const cJSON	*j;
};

struct parser {
	const char	*p;
	int		depth;
	char		*err;
	size_t		errlen;
	int		failed;
};

static cJSON		 empty_array = { .type = cJSON_Array };

static struct expr	*parse_or(struct parser *);
static int		 equal(const struct val *, const struct val *);

static void
fail(struct parser *ps, const char *why)
{
	if (!ps->failed)
		(void)snprintf(ps->err, ps->errlen, "%s", why);
	ps->failed = 1;
}

static void
skip_space(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
	    *ps->p == '\r')
		ps->p++;
}

/* A word operator: case-insensitive, not followed by a name character. */
static int
word(struct parser *ps, const char *w)
{
	size_t	n = strlen(w);

	skip_space(ps);
	if (strncasecmp(ps->p, w, n) != 0 ||
	    isalnum((unsigned char)ps->p[n]) || ps->p[n] == '_')
		return (0);
	ps->p += n;
	return (1);
}

static int
sym(struct parser *ps, const char *s)
{
	size_t	n = strlen(s);

	skip_space(ps);
	if (strncmp(ps->p, s, n) != 0)
		return (0);
	ps->p += n;
	return (1);
}

static struct expr *
node(enum op op, struct expr *a, struct expr *b)
{
	struct expr	*e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		abort();
	e->op = op;
	e->a = a;
	e->b = b;
	return (e);
}

void
expr_free(struct expr *e)
{
	if (e == NULL)
		return;
	expr_free(e->a);
	expr_free(e->b);
	free(e->name);
	cJSON_Delete(e->value);
	free(e);
}

static cJSON *
parse_string(struct parser *ps)
{
	char		 q = *ps->p, *buf;
	const char	*s;
	size_t		 n = 0;
	cJSON		*v;

	s = ++ps->p;
	if ((buf = malloc(strlen(s) + 1)) == NULL)
		abort();
	for (; *s != q; s++) {
		if (*s == '\0' || *s == '\'' || *s == '"') {
			fail(ps, *s == '\0' ? "unterminated string" :
			    "a quote inside a string must be escaped");
			free(buf);
			return (NULL);
		}
		if (*s == '\\' && (s[1] == '\'' || s[1] == '"'))
			s++;
		buf[n++] = *s;
	}
	buf[n] = '\0';
	ps->p = s + 1;
	if ((v = cJSON_CreateString(buf)) == NULL)
		abort();
	free(buf);
	return (v);
}

static cJSON *
parse_number(struct parser *ps)
{
	const char	*s = ps->p;
	char		*end;
	double		 d;

	if (s[0] == '-')
		s++;
	if (s[0] == '0' && s[1] == 'x') {
		d = (double)strtoll(s + 2, &end, 16);
		if (end == s + 2) {
			fail(ps, "bad hexadecimal number");
			return (NULL);
		}
	} else {
		if (!isdigit((unsigned char)*s)) {
			fail(ps, "expected a value");
			return (NULL);
		}
		while (isdigit((unsigned char)*s))
			s++;
		if (*s == '.' && isdigit((unsigned char)s[1]))
			for (s++; isdigit((unsigned char)*s); s++)
				;
		d = strtod(ps->p[0] == '-' ? ps->p + 1 : ps->p, NULL);
		end = (char *)s;
	}
	if (!isfinite(d)) {
		fail(ps, "number out of range");
		return (NULL);
	}
	if (ps->p[0] == '-')
		d = -d;
	ps->p = end;
	return (cJSON_CreateNumber(d));
}

/* A constant: a number, a string, true or false. */
static cJSON *
parse_const(struct parser *ps)
{
	skip_space(ps);
	if (*ps->p == '\'' || *ps->p == '"')
		return (parse_string(ps));
	if (word(ps, "true"))
		return (cJSON_CreateTrue());
	if (word(ps, "false"))
		return (cJSON_CreateFalse());
	return (parse_number(ps));
}

static struct expr *
parse_array(struct parser *ps)
{
	struct expr	*e;
	cJSON		*item;
	int		 n = 0;

	e = node(OP_CONST, NULL, NULL);
	if ((e->value = cJSON_CreateArray()) == NULL)
		abort();
	if (sym(ps, "]"))
		return (e);
	do {
		if (++n > EXPR_ARRAY_MAX) {
			fail(ps, "array too long");
			break;
		}
		if ((item = parse_const(ps)) == NULL)
			break;
		cJSON_AddItemToArray(e->value, item);
	} while (sym(ps, ","));
	if (!ps->failed && !sym(ps, "]"))
		fail(ps, "expected ] after the array");
	return (e);
}

static struct expr *
parse_var(struct parser *ps)
{
	const char	*end;
	struct expr	*e;
	size_t		 n;

	end = strchr(ps->p, '}');
	n = end == NULL ? 0 : (size_t)(end - ps->p);
	if (end == NULL || n == 0 || memchr(ps->p, '{', n) != NULL) {
		fail(ps, "expected {name}");
		return (NULL);
	}
	e = node(OP_VAR, NULL, NULL);
	if ((e->name = strndup(ps->p, n)) == NULL)
		abort();
	ps->p = end + 1;
	return (e);
}

static struct expr *
parse_primary(struct parser *ps)
{
	struct expr	*e;
	cJSON		*v;

	if (++ps->depth > EXPR_DEPTH_MAX) {
		fail(ps, "nested too deeply");
		return (NULL);
	}
	skip_space(ps);
	/* As in survey-core, "!" binds tighter than any operator. */
	if (sym(ps, "!") || word(ps, "negate")) {
		e = node(OP_NOT, parse_primary(ps), NULL);
	} else if (sym(ps, "(")) {
		e = parse_or(ps);
		if (!ps->failed && !sym(ps, ")"))
			fail(ps, "expected )");
	} else if (sym(ps, "{")) {
		e = parse_var(ps);
	} else if (sym(ps, "[")) {
		e = parse_array(ps);
	} else {
		if ((v = parse_const(ps)) == NULL)
			return (NULL);
		e = node(OP_CONST, NULL, NULL);
		e->value = v;
	}
	if (ps->failed)
		return (e);
	if (word(ps, "notempty"))
		e = node(OP_NOTEMPTY, e, NULL);
	else if (word(ps, "empty"))
		e = node(OP_EMPTY, e, NULL);
	ps->depth--;
	return (e);
}

static int
func_op(struct parser *ps, enum op *op)
{
	if (word(ps, "contains") || word(ps, "contain"))
		*op = OP_CONTAINS;
	else if (word(ps, "notcontains") || word(ps, "notcontain"))
		*op = OP_NOTCONTAINS;
	else if (word(ps, "anyof"))
		*op = OP_ANYOF;
	else if (word(ps, "allof"))
		*op = OP_ALLOF;
	else if (word(ps, "noneof"))
		*op = OP_NONEOF;
	else
		return (0);
	return (1);
}

static int
cmp_op(struct parser *ps, enum op *op)
{
	if (sym(ps, "<=") || word(ps, "lessorequal"))
		*op = OP_LE;
	else if (sym(ps, ">=") || word(ps, "greaterorequal"))
		*op = OP_GE;
	else if (sym(ps, "==") || word(ps, "equal") || sym(ps, "="))
		*op = OP_EQ;
	else if (sym(ps, "!=") || sym(ps, "<>") || word(ps, "notequal"))
		*op = OP_NE;
	else if (sym(ps, "<") || word(ps, "less"))
		*op = OP_LT;
	else if (sym(ps, ">") || word(ps, "greater"))
		*op = OP_GT;
	else
		return (0);
	return (1);
}

/*
 * One left-associative level; each operator on it counts towards the
 * depth, since evaluation recurses down the left spine.
 */
static struct expr *
parse_level(struct parser *ps, int level)
{
	struct expr	*e;
	enum op		 op;
	int		 found, depth = ps->depth;

	e = level == 3 ? parse_primary(ps) : parse_level(ps, level + 1);
	while (!ps->failed) {
		if (level == 0)
			found = (op = OP_OR, sym(ps, "||") || word(ps, "or"));
		else if (level == 1)
			found = (op = OP_AND, sym(ps, "&&") || word(ps, "and"));
		else if (level == 2)
			found = cmp_op(ps, &op);
		else
			found = func_op(ps, &op);
		if (!found)
			break;
		if (++ps->depth > EXPR_DEPTH_MAX) {
			fail(ps, "nested too deeply");
			break;
		}
		e = node(op, e, level == 3 ? parse_primary(ps) :
		    parse_level(ps, level + 1));
	}
	ps->depth = depth;
	return (e);
}

static struct expr *
parse_or(struct parser *ps)
{
	return (parse_level(ps, 0));
}

struct expr *
expr_parse(const char *src, char *err, size_t errlen)
{
	struct parser	 ps;
	struct expr	*e;

	memset(&ps, 0, sizeof(ps));
	ps.p = src;
	ps.err = err;
	ps.errlen = errlen;
	e = parse_or(&ps);
	skip_space(&ps);
	if (!ps.failed && *ps.p != '\0') {
		if (strchr("+-*/%^", *ps.p) != NULL)
			fail(&ps, "arithmetic is not supported");
		else
			fail(&ps, "unexpected text after the expression");
	}
	if (ps.failed) {
		expr_free(e);
		return (NULL);
	}
	return (e);
}

int
expr_names(const struct expr *e, int (*cb)(const char *, void *), void *arg)
{
	if (e == NULL)
		return (1);
	if (e->op == OP_VAR && !cb(e->name, arg))
		return (0);
	return (expr_names(e->a, cb, arg) && expr_names(e->b, cb, arg));
}

/* ---- values ---- */

static int
js_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f');
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && js_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && js_space((*s)[*len - 1]))
		(*len)--;
}

/* A whole decimal literal as JavaScript's Number() reads one. */
static int
decimal(const char *s, size_t len, double *d)
{
	char	buf[64];
	size_t	i = 0, digits = 0;

	if (len == 0 || len >= sizeof(buf))
		return (0);
	if (s[i] == '+' || s[i] == '-')
		i++;
	for (; i < len && isdigit((unsigned char)s[i]); i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && isdigit((unsigned char)s[i]); i++)
			digits++;
	if (digits == 0)
		return (0);
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i == len || !isdigit((unsigned char)s[i]))
			return (0);
		while (i < len && isdigit((unsigned char)s[i]))
			i++;
	}
	if (i != len)
		return (0);
	memcpy(buf, s, len);
	buf[len] = '\0';
	*d = strtod(buf, NULL);
	return (1);
}

/* JavaScript's Number(string); NAN when it is not one. */
static double
js_tonumber(const char *s, size_t len)
{
	char	buf[40];
	double	d;

	trim(&s, &len);
	if (len == 0)
		return (0);
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    len < sizeof(buf)) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (strspn(buf + 2, "0123456789abcdefABCDEF") != len - 2)
			return (NAN);
		return ((double)strtoull(buf + 2, NULL, 16));
	}
	if (!decimal(s, len, &d))
		return (NAN);
	return (d);
}

/* survey-core's Helpers.getNumber: what a string is as a number, or NAN. */
static double
sj_number(const char *s, size_t len)
{
	char	buf[64];
	size_t	i, commas = 0;
	double	d;

	trim(&s, &len);
	if (len == 0 || len >= sizeof(buf))
		return (NAN);
	if (len >= 2 && s[0] == '0' && s[1] == 'x')
		return (len > 32 ? NAN : js_tonumber(s, len));
	if (len > 15 && strspn(s, "0123456789") >= len)
		return (NAN);
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* One comma is a decimal comma. */
	for (i = 0; i < len; i++)
		commas += buf[i] == ',';
	if (commas == 1)
		*strchr(buf, ',') = '.';
	if (!decimal(buf, len, &d) || !isfinite(d))
		return (NAN);
	if (strpbrk(buf, "*^/%") != NULL)
		return (NAN);
	return (d);
}

/* Const.getCorrectValue: what survey-core makes of a variable's string. */
static void
string_value(const char *s, size_t len, struct val *v)
{
	double	d;

	v->k = V_STR;
	v->s = s;
	v->len = len;
	if (len == 0)
		return;
	if ((len == 4 && strncasecmp(s, "true", 4) == 0) ||
	    (len == 5 && strncasecmp(s, "false", 5) == 0)) {
		v->k = V_BOOL;
		v->b = len == 4;
		return;
	}
	if (len > 1 && (s[0] == '\'' || s[0] == '"') &&
	    (s[len - 1] == '\'' || s[len - 1] == '"')) {
		v->s = s + 1;
		v->len = len - 2;
		return;
	}
	if (isnan(d = sj_number(s, len)))
		return;
	if (s[0] == '0' && !(len > 1 && s[1] == 'x') && len > 1 &&
	    s[1] != '.' && s[1] != ',')
		return;
	v->k = V_NUM;
	v->n = d;
}

static void
json_value(const cJSON *j, int convert, struct val *v)
{
	memset(v, 0, sizeof(*v));
	if (j == NULL || cJSON_IsNull(j))
		v->k = V_NULL;
	else if (cJSON_IsBool(j)) {
		v->k = V_BOOL;
		v->b = cJSON_IsTrue(j);
	} else if (cJSON_IsNumber(j)) {
		v->k = V_NUM;
		v->n = j->valuedouble;
	} else if (cJSON_IsString(j)) {
		if (convert)
			string_value(j->valuestring, strlen(j->valuestring), v);
		else {
			v->k = V_STR;
			v->s = j->valuestring;
			v->len = strlen(v->s);
		}
	} else {
		v->k = cJSON_IsArray(j) ? V_ARR : V_OBJ;
		v->j = j;
	}
}

static int
empty(const struct val *v)
{
	const cJSON	*c;
	struct val	 x;

	switch (v->k) {
	case V_NULL:
		return (1);
	case V_STR:
		return (v->len == 0);
	case V_NUM:
		return (isnan(v->n));
	case V_ARR:
		return (v->j->child == NULL);
	case V_OBJ:
		for (c = v->j->child; c != NULL; c = c->next) {
			json_value(c, 0, &x);
			if (!empty(&x))
				return (0);
		}
		return (1);
	default:
		return (0);
	}
}

static int
truthy(const struct val *v)
{
	switch (v->k) {
	case V_NULL:
		return (0);
	case V_BOOL:
		return (v->b);
	case V_NUM:
		return (v->n != 0 && !isnan(v->n));
	case V_STR:
		return (v->len > 0);
	default:
		return (1);
	}
}

/* Number.prototype.toString, close enough: the shortest exact digits. */
static void
num_text(double d, struct strbuf *sb)
{
	char	buf[40];
	int	prec;

	if (isnan(d)) {
		strbuf_appends(sb, "NaN");
		return;
	}
	if (d == 0)
		d = 0;
	for (prec = 1; prec <= 17; prec++) {
		(void)snprintf(buf, sizeof(buf), "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (fabs(d) >= 1 && fabs(d) < 1e21 && d == trunc(d))
		(void)snprintf(buf, sizeof(buf), "%.0f", d);
	strbuf_appends(sb, buf);
}

/* String(value): arrays join with ",", objects are [object Object]. */
static void
to_text(const struct val *v, struct strbuf *sb, int depth)
{
	const cJSON	*c;
	struct val	 x;

	switch (v->k) {
	case V_NULL:
		strbuf_appends(sb, depth ? "" : "null");
		break;
	case V_BOOL:
		strbuf_appends(sb, v->b ? "true" : "false");
		break;
	case V_NUM:
		num_text(v->n, sb);
		break;
	case V_STR:
		strbuf_append(sb, v->s, v->len);
		break;
	case V_ARR:
		for (c = v->j->child; c != NULL; c = c->next) {
			json_value(c, 0, &x);
			if (depth < JSON_DEPTH_MAX)
				to_text(&x, sb, depth + 1);
			if (c->next != NULL)
				strbuf_appends(sb, ",");
		}
		break;
	case V_OBJ:
		strbuf_appends(sb, "[object Object]");
		break;
	}
}

/* JavaScript's ToNumber. */
static double
to_number(const struct val *v)
{
	struct strbuf	sb;
	double		d;

	switch (v->k) {
	case V_NULL:
		return (0);
	case V_BOOL:
		return (v->b);
	case V_NUM:
		return (v->n);
	case V_STR:
		return (js_tonumber(v->s, v->len));
	case V_OBJ:
		return (NAN);
	default:
		strbuf_init(&sb, 32);
		to_text(v, &sb, 0);
		d = js_tonumber(sb.data, sb.len);
		strbuf_free(&sb);
		return (d);
	}
}

/* JavaScript's left < right (lt) or left > right. */
static int
relation(const struct val *l, const struct val *r, int lt)
{
	struct strbuf	a, b;
	struct val	x, y;
	double		p, q;
	int		c, res;

	if (l->k == V_NULL || r->k == V_NULL)
		return (0);
	x = *l;
	y = *r;
	strbuf_init(&a, 32);
	strbuf_init(&b, 32);
	/* ToPrimitive: arrays and objects become their text. */
	if (x.k == V_ARR || x.k == V_OBJ) {
		to_text(&x, &a, 0);
		x.k = V_STR;
		x.s = a.data;
		x.len = a.len;
	}
	if (y.k == V_ARR || y.k == V_OBJ) {
		to_text(&y, &b, 0);
		y.k = V_STR;
		y.s = b.data;
		y.len = b.len;
	}
	if (x.k == V_STR && y.k == V_STR) {
		c = memcmp(x.s, y.s, x.len < y.len ? x.len : y.len);
		if (c == 0)
			c = (x.len > y.len) - (x.len < y.len);
		res = lt ? c < 0 : c > 0;
	} else {
		p = to_number(&x);
		q = to_number(&y);
		res = lt ? p < q : p > q;
	}
	strbuf_free(&a);
	strbuf_free(&b);
	return (res);
}

/* parseFloat / parseInt of String(v): the longest leading number. */
static double
parse_lead(const struct val *v, int integer)
{
	struct strbuf	 sb;
	const char	*s;
	char		*end;
	double		 d = NAN;
	size_t		 i = 0;

	strbuf_init(&sb, 32);
	to_text(v, &sb, 0);
	s = sb.data;
	while (js_space(*s))
		s++;
	if (s[i] == '+' || s[i] == '-')
		i++;
	if (integer) {
		if (isdigit((unsigned char)s[i]))
			d = trunc(strtod(s, &end));
	} else if (isdigit((unsigned char)s[i]) ||
	    (s[i] == '.' && isdigit((unsigned char)s[i + 1]))) {
		d = strtod(s, &end);
	} else if (strncmp(s + i, "Infinity", 8) == 0) {
		d = s[0] == '-' ? -INFINITY : INFINITY;
	}
	strbuf_free(&sb);
	return (d);
}

static int
convertible(const struct val *v)
{
	return (v->k != V_NULL && v->k != V_ARR && !isnan(to_number(v)));
}

/*
 * toLowerCase for ASCII and Latin-1 (U+00C0..U+00DE: umlauts and accented
 * letters), in place; both keep their UTF-8 length.
 */
static void
fold(char *s, size_t len)
{
	unsigned char	*p = (unsigned char *)s;
	size_t		 i;

	for (i = 0; i < len; i++) {
		if (p[i] >= 'A' && p[i] <= 'Z')
			p[i] += 32;
		else if (p[i] == 0xc3 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9e && p[i + 1] != 0x97)
			p[++i] += 0x20;
	}
}

static int
same_text(const char *a, size_t alen, const char *b, size_t blen)
{
	char	*x, *y;
	int	 same;

	trim(&a, &alen);
	trim(&b, &blen);
	if (alen != blen)
		return (0);
	if ((x = strndup(a, alen)) == NULL || (y = strndup(b, blen)) == NULL)
		abort();
	fold(x, alen);
	fold(y, blen);
	same = memcmp(x, y, alen) == 0;
	free(x);
	free(y);
	return (same);
}

/* JavaScript's x == y for values that are not arrays or objects. */
static int
loose_equal(const struct val *x, const struct val *y)
{
	struct val	t;

	if (x->k == V_NULL || y->k == V_NULL)
		return (x->k == y->k);
	if (x->k == V_BOOL || y->k == V_BOOL) {
		if (x->k == y->k)
			return (x->b == y->b);
		memset(&t, 0, sizeof(t));
		t.k = V_NUM;
		t.n = x->k == V_BOOL ? x->b : y->b;
		return (loose_equal(&t, x->k == V_BOOL ? y : x));
	}
	if (x->k == V_STR && y->k == V_STR)
		return (x->len == y->len && memcmp(x->s, y->s, x->len) == 0);
	return (to_number(x) == to_number(y));
}

/* An array element with its text, the key of JavaScript's default sort. */
struct keyed {
	char		*text;
	const cJSON	*item;
};

static int
by_text(const void *a, const void *b)
{
	return (strcmp(((const struct keyed *)a)->text,
	    ((const struct keyed *)b)->text));
}

static struct keyed *
sorted(const cJSON *arr, int n)
{
	struct strbuf	 sb;
	struct val	 v;
	const cJSON	*c;
	struct keyed	*t;
	int		 i = 0;

	if ((t = calloc(n ? n : 1, sizeof(*t))) == NULL)
		abort();
	for (c = arr->child; c != NULL; c = c->next) {
		json_value(c, 0, &v);
		strbuf_init(&sb, 16);
		to_text(&v, &sb, 0);
		t[i].text = strbuf_steal(&sb);
		t[i++].item = c;
	}
	qsort(t, n, sizeof(*t), by_text);
	return (t);
}

/* Helpers.checkIfArraysEqual without order: both sorted, then pairwise. */
static int
arrays_equal(const cJSON *x, const cJSON *y)
{
	struct keyed	*tx, *ty;
	struct val	 p, q;
	int		 nx, ny, i, res = 1;

	nx = cJSON_GetArraySize(x);
	ny = cJSON_GetArraySize(y);
	if (nx != ny)
		return (0);
	tx = sorted(x, nx);
	ty = sorted(y, ny);
	for (i = 0; i < nx && res; i++) {
		json_value(tx[i].item, 0, &p);
		json_value(ty[i].item, 0, &q);
		res = equal(&p, &q);
	}
	for (i = 0; i < nx; i++) {
		free(tx[i].text);
		free(ty[i].text);
	}
	free(tx);
	free(ty);
	return (res);
}

static int
objects_equal(const cJSON *x, const cJSON *y)
{
	const cJSON	*a, *b;
	struct val	 p, q;

	for (a = x->child; a != NULL; a = a->next) {
		b = cJSON_GetObjectItemCaseSensitive(y, a->string);
		if (b == NULL)
			return (0);
		json_value(a, 0, &p);
		json_value(b, 0, &q);
		if (!equal(&p, &q))
			return (0);
	}
	for (b = y->child; b != NULL; b = b->next)
		if (cJSON_GetObjectItemCaseSensitive(x, b->string) == NULL)
			return (0);
	return (1);
}

/* Helpers.checkIfValuesEqual (ignore order, no case, trimmed strings). */
static int
equal(const struct val *x, const struct val *y)
{
	int	xo, yo;

	/*
	 * survey-core's [] == undefined never applies: a missing answer is
	 * null there (Variable.returnJSONObject), and we have no undefined.
	 */
	if ((x->k == V_NULL && y->k == V_STR && y->len == 0) ||
	    (y->k == V_NULL && x->k == V_STR && x->len == 0))
		return (1);
	if (x->k == V_STR && y->k == V_STR)
		return (same_text(x->s, x->len, y->s, y->len));
	if (x->k == V_NULL && y->k == V_NULL)
		return (1);
	if ((x->k == V_ARR || x->k == V_OBJ) && x->j == y->j)
		return (1);
	if (convertible(x) && convertible(y) &&
	    parse_lead(x, 1) == parse_lead(y, 1) &&
	    parse_lead(x, 0) == parse_lead(y, 0))
		return (1);
	if (empty(x) != empty(y))
		return (0);
	if (x->k == V_BOOL && y->k == V_STR)
		return (same_text(x->b ? "true" : "false", 4 + !x->b,
		    y->s, y->len) && (y->len == 4 + (size_t)!x->b));
	if (y->k == V_BOOL && x->k == V_STR)
		return (equal(y, x));
	xo = x->k == V_ARR || x->k == V_OBJ;
	yo = y->k == V_ARR || y->k == V_OBJ;
	if (!xo && !yo)
		return (loose_equal(x, y));
	if (!xo || !yo)
		return (0);
	if (x->k == V_ARR && y->k == V_ARR)
		return (arrays_equal(x->j, y->j));
	/* An array and an object compare by keys: equal only when empty. */
	if (x->k != y->k)
		return (x->j->child == NULL && y->j->child == NULL);
	return (objects_equal(x->j, y->j));
}

/* OperandMaker.binaryFunctions.containsCore. */
static int
contains(const struct val *l, const struct val *r, int is)
{
	struct strbuf	 a, b;
	const cJSON	*ri, *c;
	struct val	 x, y, one;
	int		 found;

	if (l->k == V_ARR && l->j->child == NULL)
		return (!is);
	if (!truthy(l) && !(l->k == V_NUM && l->n == 0) && l->k != V_BOOL)
		return (0);
	if (l->k != V_ARR) {
		/* A string, or what becomes one (numbers, booleans). */
		if (!truthy(r))
			return (0);
		strbuf_init(&a, 32);
		strbuf_init(&b, 32);
		to_text(l, &a, 0);
		to_text(r, &b, 0);
		fold(a.data, a.len);
		fold(b.data, b.len);
		found = strstr(a.data, b.data) != NULL;
		strbuf_free(&a);
		strbuf_free(&b);
		return (is ? found : !found);
	}
	ri = r->k == V_ARR ? r->j->child : NULL;
	one = *r;
	for (;;) {
		if (r->k == V_ARR) {
			if (ri == NULL)
				break;
			json_value(ri, 0, &y);
		} else
			y = one;
		found = 0;
		for (c = l->j->child; c != NULL && !found; c = c->next) {
			json_value(c, 0, &x);
			found = equal(&x, &y);
		}
		if (!found)
			return (!is);
		if (r->k != V_ARR)
			break;
		ri = ri->next;
	}
	return (is);
}

static int
anyof(const struct val *l, const struct val *r)
{
	const cJSON	*c;
	struct val	 y;

	if (empty(l) && empty(r))
		return (1);
	if (empty(l))
		return (0);
	if (empty(r))
		return (1);
	if (l->k != V_ARR)
		return (contains(r, l, 1));
	if (r->k != V_ARR)
		return (contains(l, r, 1));
	for (c = r->j->child; c != NULL; c = c->next) {
		json_value(c, 0, &y);
		if (contains(l, &y, 1))
			return (1);
	}
	return (0);
}

static int
allof(const struct val *l, const struct val *r)
{
	const cJSON	*c;
	struct val	 y;

	if (!truthy(l) && !empty(r))
		return (0);
	if (r->k != V_ARR)
		return (contains(l, r, 1));
	for (c = r->j->child; c != NULL; c = c->next) {
		json_value(c, 0, &y);
		if (!contains(l, &y, 1))
			return (0);
	}
	return (1);
}

/* arithmeticOp's convertForArithmeticOp, which and/or go through. */
static void
arith_operand(struct val *v, const struct val *other)
{
	if (!empty(v))
		return;
	if (other->k == V_NUM) {
		memset(v, 0, sizeof(*v));
		v->k = V_NUM;
	} else if (v->k == V_STR) {
		return;
	} else if (other->k == V_STR) {
		memset(v, 0, sizeof(*v));
		v->k = V_STR;
		v->s = "";
	} else if (other->k == V_ARR) {
		memset(v, 0, sizeof(*v));
		v->k = V_ARR;
		v->j = &empty_array;
	} else {
		memset(v, 0, sizeof(*v));
		v->k = V_NUM;
	}
}

static void
boolean(struct val *v, int b)
{
	memset(v, 0, sizeof(*v));
	v->k = V_BOOL;
	v->b = b;
}

static void
eval(const struct expr *e, const cJSON *answers, struct val *v)
{
	struct val	l, r;

	switch (e->op) {
	case OP_VAR:
		json_value(cJSON_GetObjectItem(answers, e->name), 1, v);
		return;
	case OP_CONST:
		json_value(e->value, 0, v);
		return;
	case OP_NOT:
		eval(e->a, answers, &l);
		boolean(v, !truthy(&l));
		return;
	case OP_EMPTY:
	case OP_NOTEMPTY:
		eval(e->a, answers, &l);
		boolean(v, empty(&l) == (e->op == OP_EMPTY));
		return;
	default:
		break;
	}
	eval(e->a, answers, &l);
	eval(e->b, answers, &r);
	switch (e->op) {
	case OP_AND:
	case OP_OR:
		arith_operand(&l, &r);
		arith_operand(&r, &l);
		if (e->op == OP_AND)
			*v = truthy(&l) ? r : l;
		else
			*v = truthy(&l) ? l : r;
		return;
	case OP_EQ:
		boolean(v, equal(&l, &r));
		break;
	case OP_NE:
		boolean(v, !equal(&l, &r));
		break;
	case OP_LT:
		boolean(v, relation(&l, &r, 1));
		break;
	case OP_GT:
		boolean(v, relation(&l, &r, 0));
		break;
	case OP_LE:
		boolean(v, equal(&l, &r) || relation(&l, &r, 1));
		break;
	case OP_GE:
		boolean(v, equal(&l, &r) || relation(&l, &r, 0));
		break;
	case OP_CONTAINS:
		boolean(v, contains(&l, &r, 1));
		break;
	case OP_NOTCONTAINS:
		boolean(v, (!truthy(&l) && !empty(&r)) || contains(&l, &r, 0));
		break;
	case OP_ANYOF:
		boolean(v, anyof(&l, &r));
		break;
	case OP_NONEOF:
		boolean(v, !anyof(&l, &r));
		break;
	case OP_ALLOF:
		boolean(v, allof(&l, &r));
		break;
	default:
		boolean(v, 0);
		break;
	}
}

/* ConditionRunner: the result == true. */
int
expr_eval(const struct expr *e, const cJSON *answers)
{
	struct val	v;

	eval(e, answers, &v);
	if (v.k == V_BOOL)
		return (v.b);
	if (v.k == V_NULL || v.k == V_OBJ)
		return (0);
	return (to_number(&v) == 1);
}
