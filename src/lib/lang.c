/*
 * German is the default; English is offered second.  An explicit ?lang=
 * wins over Accept-Language so a shared link shows what its sender saw.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mitwirken.h"

const char *
lang_code(enum lang l)
{
	return (l == LANG_EN ? "en" : "de");
}

static int
lang_from_tag(const char *p, size_t len, enum lang *out)
{
	if (len >= 2 && strncasecmp(p, "de", 2) == 0 &&
	    (len == 2 || p[2] == '-')) {
		*out = LANG_DE;
		return (MW_OK);
	}
	if (len >= 2 && strncasecmp(p, "en", 2) == 0 &&
	    (len == 2 || p[2] == '-')) {
		*out = LANG_EN;
		return (MW_OK);
	}
	return (MW_ERROR);
}

/* Quality of one Accept-Language entry ("en;q=0.8"); 1.0 when absent. */
static double
entry_quality(const char *semi, const char *end)
{
	const char	*q;

	for (q = semi; q < end; q++) {
		if ((q[0] == 'q' || q[0] == 'Q') && q + 1 < end &&
		    q[1] == '=')
			return (strtod(q + 2, NULL));
	}
	return (1.0);
}

enum lang
lang_negotiate(const char *query_lang, const char *accept)
{
	enum lang	best, l;
	double		best_q, q;
	const char	*p, *end, *semi;
	size_t		taglen;

	if (query_lang != NULL && lang_from_tag(query_lang,
	    strlen(query_lang), &l) == MW_OK)
		return (l);
	if (accept == NULL)
		return (LANG_DE);

	best = LANG_DE;
	best_q = 0.0;
	for (p = accept; *p != '\0'; p = (*end == ',') ? end + 1 : end) {
		while (*p == ' ' || *p == '\t')
			p++;
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		if ((semi = memchr(p, ';', (size_t)(end - p))) == NULL)
			semi = end;
		taglen = (size_t)(semi - p);
		while (taglen > 0 && isspace((unsigned char)p[taglen - 1]))
			taglen--;
		q = entry_quality(semi, end);
		if (lang_from_tag(p, taglen, &l) == MW_OK && q > best_q) {
			best = l;
			best_q = q;
		}
		if (*end == '\0')
			break;
	}
	return (best);
}
