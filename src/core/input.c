/*
 * Typed input from a JSON body or a form.  A JSON body must be an object
 * whose fields are all declared and of the declared type; a form sends
 * strings, and lists as one checkbox per entry ("goal-<slug>=on"), maps as
 * one field per key ("score-<slug>=2").  Unknown fields are errors, not
 * silently dropped, so a client learns about a typo.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

static const char *
type_reason(enum input_type t)
{
	switch (t) {
	case IN_NUMBER: return ("must be a number");
	case IN_INT: return ("must be an integer");
	case IN_LIST: return ("must be a list of strings");
	case IN_IDS: return ("must be a list of ids");
	case IN_MAP: return ("must be an object");
	case IN_ARRAY: return ("must be an array");
	case IN_BOOL: return ("must be true or false");
	default: return ("must be a string");
	}
}

static int
json_type_ok(const cJSON *v, enum input_type t)
{
	const cJSON	*e;

	switch (t) {
	case IN_NUMBER:
		return (cJSON_IsNumber(v));
	case IN_INT:
		return (cJSON_IsNumber(v) && v->valuedouble == (double)
		    (long long)v->valuedouble);
	case IN_BOOL:
		return (cJSON_IsBool(v));
	case IN_LIST:
		if (!cJSON_IsArray(v))
			return (0);
		cJSON_ArrayForEach(e, v) {
			if (!cJSON_IsString(e))
				return (0);
		}
		return (1);
	case IN_IDS:
		if (!cJSON_IsArray(v))
			return (0);
		cJSON_ArrayForEach(e, v) {
			if (!cJSON_IsNumber(e))
				return (0);
		}
		return (1);
	case IN_MAP:
		return (cJSON_IsObject(v));
	case IN_ARRAY:
		return (cJSON_IsArray(v));
	default:
		/* null stands for "not given" for optional fields. */
		return (cJSON_IsString(v) || cJSON_IsNull(v));
	}
}

static const struct input_field *
spec_for_form(const struct input_field *spec, const char *name)
{
	size_t	n;

	for (; spec->name != NULL; spec++) {
		if (spec->form_prefix != NULL) {
			n = strlen(spec->form_prefix);
			if (strncmp(name, spec->form_prefix, n) == 0)
				return (spec);
		} else if (strcmp(spec->name, name) == 0) {
			return (spec);
		}
	}
	return (NULL);
}

/*
 * A page's own form fields, never the API's: the CSRF token, the bot
 * traps, which button, and where sign-in goes on to (next, why).
 */
static const char *const page_only[] = { "csrf_token", "form_stamp",
    "website", "action", "next", "why", NULL };
/* The account forms (input_check) have no bot traps or buttons. */
static const char *const page_navigation[] = { "csrf_token", "next", "why",
    NULL };

int
input_fields(struct http_request *req, const struct input_field *spec,
    struct field_errors *fe)
{
	struct rq			*rq = rq_get(req);
	const struct input_field	*s;
	const cJSON			*v;
	int				i;

	if (rq->body != NULL && !cJSON_IsObject(rq->body)) {
		error_field_add(fe, "body", "must be a JSON object");
		return (MW_ERROR);
	}
	if (rq->body != NULL) {
		cJSON_ArrayForEach(v, rq->body) {
			for (s = spec; s->name != NULL; s++) {
				if (strcmp(s->name, v->string) == 0)
					break;
			}
			if (s->name == NULL)
				error_field_add(fe, v->string,
				    "unknown field");
			else if (!json_type_ok(v, s->type))
				error_field_add(fe, v->string,
				    type_reason(s->type));
		}
	}
	for (i = 0; i < rq->form.count; i++) {
		if (input_one_of(rq->form.items[i].name, page_only))
			continue;
		if (spec_for_form(spec, rq->form.items[i].name) == NULL)
			error_field_add(fe, rq->form.items[i].name,
			    "unknown field");
	}
	return (fe->count == 0 ? MW_OK : MW_ERROR);
}

/* A text field; NULL when absent, null, or an empty form field. */
const char *
input_text(struct http_request *req, const char *name)
{
	const char	*v;

	v = input_get(req, name);
	return (v != NULL && *v != '\0') ? v : NULL;
}

/* 0: absent; 1: *out is set; -1: not a number (fe has the reason). */
int
input_number(struct http_request *req, const char *name, double *out,
    struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	const cJSON	*v;
	const char	*s;

	if (rq->body != NULL) {
		v = cJSON_GetObjectItemCaseSensitive(rq->body, name);
		if (v == NULL || cJSON_IsNull(v))
			return (0);
		*out = v->valuedouble;
		return (1);
	}
	if ((s = params_get(&rq->form, name)) == NULL || *s == '\0')
		return (0);
	if (!validate_decimal(s, out)) {
		error_field_add(fe, name, "must be a number");
		return (-1);
	}
	return (1);
}

/* Like input_number, for whole numbers from 1 up (ids). */
int
input_id(struct http_request *req, const char *name, long long *out,
    struct field_errors *fe)
{
	double	d;
	int	r;

	if ((r = input_number(req, name, &d, fe)) != 1)
		return (r);
	if (d < 1 || d > 9007199254740991.0 || d != (double)(long long)d) {
		error_field_add(fe, name, "must be a positive integer");
		return (-1);
	}
	*out = (long long)d;
	return (1);
}

static int
slug_ok(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-'))
			return (0);
	}
	return (i > 0 && i <= 64);
}

static int
list_add(struct strbuf *arr, const char *slug, int *n, int max,
    const char *name, struct field_errors *fe)
{
	if (!slug_ok(slug)) {
		error_field_add(fe, name, "contains an unknown entry");
		return (MW_ERROR);
	}
	if (++*n > max) {
		error_field_add(fe, name, "has too many entries");
		return (MW_ERROR);
	}
	/* Slugs need no quoting in a PostgreSQL array literal. */
	strbuf_appendf(arr, "%s%s", *n > 1 ? "," : "", slug);
	return (MW_OK);
}

/*
 * A list of slugs as a PostgreSQL array literal ("{a,b}") in var name;
 * "{}" when absent.  The database checks that the slugs exist.
 */
int
input_slugs(struct http_request *req, const struct input_field *f, int max,
    struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	struct strbuf	arr;
	const cJSON	*v, *e;
	int		i, n, ok;
	size_t		plen;

	strbuf_init(&arr, 64);
	strbuf_appends(&arr, "{");
	n = 0;
	ok = MW_OK;
	if (rq->body != NULL) {
		v = cJSON_GetObjectItemCaseSensitive(rq->body, f->name);
		cJSON_ArrayForEach(e, v) {
			if (!(ok = list_add(&arr, e->valuestring, &n, max,
			    f->name, fe)))
				break;
		}
	} else {
		plen = strlen(f->form_prefix);
		for (i = 0; i < rq->form.count && ok; i++) {
			if (strncmp(rq->form.items[i].name, f->form_prefix,
			    plen) == 0)
				ok = list_add(&arr, rq->form.items[i].name +
				    plen, &n, max, f->name, fe);
		}
	}
	strbuf_appends(&arr, "}");
	if (ok)
		rq_var_set(req, f->name, arr.data);
	strbuf_free(&arr);
	return (ok);
}

/*
 * A text field checked by validate_text and stored trimmed in the var of
 * the same name.  MW_ERROR with the reason in fe.
 */
int
input_text_var(struct http_request *req, const char *name, size_t min,
    size_t max, int flags, struct field_errors *fe)
{
	const char	*v, *problem;
	size_t		start, len;
	char		*copy;

	if ((v = input_text(req, name)) == NULL) {
		if (flags & TEXT_REQUIRED)
			error_field_add(fe, name, "required");
		return ((flags & TEXT_REQUIRED) ? MW_ERROR : MW_OK);
	}
	if ((problem = validate_text(v, min, max, flags & TEXT_MULTILINE,
	    &start, &len)) != NULL) {
		error_field_add(fe, name, problem);
		return (MW_ERROR);
	}
	if ((copy = strndup(v + start, len)) == NULL)
		fatal("input_text_var: out of memory");
	rq_var_set(req, name, copy);
	free(copy);
	return (MW_OK);
}

/* Whether v (which may be NULL) is one of the NULL-terminated choices. */
int
input_one_of(const char *v, const char *const *choices)
{
	int	i;

	for (i = 0; v != NULL && choices[i] != NULL; i++) {
		if (strcmp(v, choices[i]) == 0)
			return (1);
	}
	return (0);
}

/* A string field of the JSON body or of the form; NULL if absent. */
const char *
input_get(struct http_request *req, const char *name)
{
	struct rq	*rq = rq_get(req);
	const cJSON	*v;

	if (rq->body != NULL) {
		v = cJSON_GetObjectItemCaseSensitive(rq->body, name);
		return (cJSON_IsString(v) ? v->valuestring : NULL);
	}
	return (params_get(&rq->form, name));
}

/* Whether the body or the form carries the field at all (null included). */
int
input_present(struct http_request *req, const char *name)
{
	struct rq	*rq = rq_get(req);

	if (rq->body != NULL)
		return (cJSON_GetObjectItemCaseSensitive(rq->body, name) !=
		    NULL);
	return (params_get(&rq->form, name) != NULL);
}

/*
 * Checks the body's shape: an object whose fields are all declared and
 * are strings.  Forms may also carry the CSRF token.
 */
int
input_check(struct http_request *req, const char *const *allowed,
    struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	const cJSON	*v;
	int		i, j;

	if (rq->body != NULL && !cJSON_IsObject(rq->body)) {
		error_field_add(fe, "body", "must be a JSON object");
		return (MW_ERROR);
	}
	if (rq->body != NULL) {
		cJSON_ArrayForEach(v, rq->body) {
			for (i = 0; allowed[i] != NULL; i++) {
				if (strcmp(allowed[i], v->string) == 0)
					break;
			}
			if (allowed[i] == NULL)
				error_field_add(fe, v->string,
				    "unknown field");
			else if (!cJSON_IsString(v))
				error_field_add(fe, v->string,
				    "must be a string");
		}
	}
	for (j = 0; j < rq->form.count; j++) {
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(allowed[i], rq->form.items[j].name) == 0)
				break;
		}
		if (allowed[i] == NULL &&
		    !input_one_of(rq->form.items[j].name, page_navigation))
			error_field_add(fe, rq->form.items[j].name,
			    "unknown field");
	}
	return (fe->count == 0 ? MW_OK : MW_ERROR);
}

static int
score_add(cJSON *scores, const char *slug, const char *value, int number,
    double d, struct field_errors *fe)
{
	int	ok;

	if (number)
		ok = d == 0 || d == 1 || d == 2 || d == 3;
	else
		ok = value != NULL && value[0] >= '0' && value[0] <= '3' &&
		    value[1] == '\0';
	if (!ok || strlen(slug) == 0 || strlen(slug) > 64) {
		error_field_add(fe, "scores", "needs one score from 0 to 3 "
		    "for each criterion");
		return (MW_ERROR);
	}
	cJSON_AddNumberToObject(scores, slug, number ? d : value[0] - '0');
	return (MW_OK);
}

/*
 * A board member's scores (ideas and projects alike): a JSON object
 * {"slug": 0..3} or form fields score-<slug>=0..3, checked for their
 * values and put in var "scores" as a JSON object; the database checks
 * that they name exactly the active criteria.
 */
int
input_scores_var(struct http_request *req, struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	const cJSON	*in, *e;
	cJSON		*scores;
	char		*json;
	int		i, ok;

	scores = cJSON_CreateObject();
	ok = MW_OK;
	if (rq->body != NULL) {
		in = cJSON_GetObjectItemCaseSensitive(rq->body, "scores");
		cJSON_ArrayForEach(e, in) {
			if (!(ok = score_add(scores, e->string, NULL,
			    cJSON_IsNumber(e), e->valuedouble, fe)))
				break;
		}
	} else {
		for (i = 0; i < rq->form.count && ok; i++) {
			if (strncmp(rq->form.items[i].name, "score-", 6) == 0)
				ok = score_add(scores,
				    rq->form.items[i].name + 6,
				    rq->form.items[i].value, 0, 0, fe);
		}
	}
	if (ok && cJSON_GetArraySize(scores) == 0) {
		error_field_add(fe, "scores", "required");
		ok = MW_ERROR;
	}
	if (ok) {
		json = cJSON_PrintUnformatted(scores);
		rq_var_set(req, "scores", json);
		cJSON_free(json);
	}
	cJSON_Delete(scores);
	return (ok);
}
