/*
 * The survey modules from the command line, for tests that hold them
 * against SurveyJS (tests/http/surveyjs.test.mjs):
 *
 *   surveycheck def < definition.json
 *	{"ok":true,"questions":n} or {"ok":false,"problems":[...]}
 *   surveycheck eval 'expression' < answers.json
 *	true or false (exit 2 if the expression does not parse)
 *   surveycheck answers definition.json < answers.json
 *	the clean answers, or {"ok":false,"problems":[...]}
 *   surveycheck batch < lines of {"expr": "...", "answers": {...}}
 *	one line each: true, false or error (eval without a process each)
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

static char *
slurp(FILE *f, size_t *len)
{
	struct strbuf	sb;
	char		buf[4096];
	size_t		n;

	strbuf_init(&sb, sizeof(buf));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_append(&sb, buf, n);
	*len = sb.len;
	return (strbuf_steal(&sb));
}

static cJSON *
read_json(FILE *f)
{
	cJSON	*doc;
	char	*text, err[128];
	size_t	 len;

	text = slurp(f, &len);
	if ((doc = json_parse_body(text, len, err, sizeof(err))) == NULL)
		fprintf(stderr, "surveycheck: %s\n", err);
	free(text);
	return (doc);
}

static void
print_problems(const struct survey_problems *pr)
{
	cJSON	*out, *list, *p;
	char	*s;
	int	 i;

	out = cJSON_CreateObject();
	cJSON_AddFalseToObject(out, "ok");
	list = cJSON_AddArrayToObject(out, "problems");
	for (i = 0; i < pr->count; i++) {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "path", pr->items[i].path);
		cJSON_AddStringToObject(p, "reason", pr->items[i].reason);
		cJSON_AddItemToArray(list, p);
	}
	cJSON_AddNumberToObject(out, "more", pr->more);
	s = cJSON_PrintUnformatted(out);
	puts(s);
	cJSON_free(s);
	cJSON_Delete(out);
}

static struct survey_def *
load_def(FILE *f, struct survey_problems *pr)
{
	struct survey_def	*def;
	cJSON			*doc;

	if ((doc = read_json(f)) == NULL)
		exit(2);
	def = survey_parse(doc, pr);
	cJSON_Delete(doc);
	return (def);
}

static int
batch(void)
{
	struct expr	*e;
	cJSON		*doc;
	char		*line = NULL, err[128];
	size_t		 cap = 0;
	ssize_t		 n;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		doc = cJSON_ParseWithLength(line, n);
		e = NULL;
		if (doc == NULL || !cJSON_IsString(cJSON_GetObjectItem(doc,
		    "expr")) || (e = expr_parse(cJSON_GetObjectItem(doc,
		    "expr")->valuestring, err, sizeof(err))) == NULL)
			puts("error");
		else
			puts(expr_eval(e, cJSON_GetObjectItem(doc, "answers")) ?
			    "true" : "false");
		expr_free(e);
		cJSON_Delete(doc);
	}
	free(line);
	return (0);
}

int
main(int argc, char *argv[])
{
	struct survey_problems	 pr;
	struct survey_def	*def;
	struct expr		*e;
	unsigned char		*seen;
	cJSON			*doc, *clean;
	FILE			*f;
	char			 err[128], *s;

	if (argc == 2 && strcmp(argv[1], "def") == 0) {
		if ((def = load_def(stdin, &pr)) == NULL) {
			print_problems(&pr);
			return (1);
		}
		printf("{\"ok\":true,\"questions\":%d}\n", def->nquestions);
		survey_free(def);
		return (0);
	}
	if (argc == 2 && strcmp(argv[1], "batch") == 0)
		return (batch());
	if (argc == 3 && strcmp(argv[1], "eval") == 0) {
		if ((e = expr_parse(argv[2], err, sizeof(err))) == NULL) {
			fprintf(stderr, "surveycheck: %s\n", err);
			return (2);
		}
		if ((doc = read_json(stdin)) == NULL)
			return (2);
		puts(expr_eval(e, doc) ? "true" : "false");
		expr_free(e);
		cJSON_Delete(doc);
		return (0);
	}
	if (argc == 3 && strcmp(argv[1], "answers") == 0) {
		if ((f = fopen(argv[2], "r")) == NULL) {
			perror(argv[2]);
			return (2);
		}
		def = load_def(f, &pr);
		fclose(f);
		if (def == NULL) {
			print_problems(&pr);
			return (2);
		}
		if ((doc = read_json(stdin)) == NULL)
			return (2);
		if ((seen = calloc(def->nquestions + 1, 1)) == NULL)
			abort();
		clean = answers_check(def, doc, ANSWERS_FINAL, seen, &pr);
		if (clean == NULL)
			print_problems(&pr);
		else {
			s = cJSON_PrintUnformatted(clean);
			puts(s);
			cJSON_free(s);
		}
		cJSON_Delete(clean);
		cJSON_Delete(doc);
		free(seen);
		survey_free(def);
		return (clean == NULL);
	}
	fprintf(stderr, "usage: surveycheck def | eval EXPR | answers DEF | "
	    "batch\n");
	return (2);
}
