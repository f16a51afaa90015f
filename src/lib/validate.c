/*
 * Rules for what citizens write: texts measured in characters (code
 * points, as people count them, not bytes), map points inside the city's
 * bounding box, and the opaque cursors of keyset pagination.  Pure, so
 * the unit tests and the fuzzer reach every branch.
 */

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

static int
is_space(unsigned char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r');
}

/*
 * U+202A..U+202E (embeddings, overrides) and U+2066..U+2069 (isolates):
 * they let a text display in another order than it reads (a title that
 * shows one thing and says another).  Right-to-left script needs none of
 * them; the plain marks U+200E/U+200F stay allowed.
 */
static int
has_bidi_control(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			i;

	for (i = 0; i + 2 < len; i++) {
		if (p[i] != 0xe2)
			continue;
		if ((p[i + 1] == 0x80 && p[i + 2] >= 0xaa && p[i + 2] <= 0xae) ||
		    (p[i + 1] == 0x81 && p[i + 2] >= 0xa6 && p[i + 2] <= 0xa9))
			return (1);
	}
	return (0);
}

/*
 * Checks a text and finds it without surrounding white space (*start,
 * *tlen).  Single-line texts (titles) may not contain line breaks.
 * Returns NULL, or the reason for the client.
 */
const char *
validate_text(const char *s, size_t min, size_t max, int multiline,
    size_t *start, size_t *tlen)
{
	static char	reason[96];
	size_t		len, b, e, n;

	len = strlen(s);
	if (!utf8_valid_text(s, len))
		return ("must be text without control characters");
	if (has_bidi_control(s, len))
		return ("must not contain text-direction control characters");
	for (b = 0; b < len && is_space((unsigned char)s[b]); b++)
		;
	for (e = len; e > b && is_space((unsigned char)s[e - 1]); e--)
		;
	if (!multiline && strcspn(s + b, "\r\n") < e - b)
		return ("must be a single line");
	n = utf8_length(s + b, e - b);
	if (n == 0)
		return ("required");
	if (n < min || n > max) {
		(void)snprintf(reason, sizeof(reason),
		    "must be %zu to %zu characters long", min, max);
		return (reason);
	}
	*start = b;
	*tlen = e - b;
	return (NULL);
}

/* A decimal number as people type it ("52.27"; a comma is accepted too). */
int
validate_decimal(const char *s, double *out)
{
	char	buf[32], *end;
	size_t	i, len;

	len = strlen(s);
	if (len == 0 || len >= sizeof(buf))
		return (MW_ERROR);
	for (i = 0; i < len; i++) {
		buf[i] = s[i] == ',' ? '.' : s[i];
		if (!((buf[i] >= '0' && buf[i] <= '9') || buf[i] == '.' ||
		    (i == 0 && buf[i] == '-')))
			return (MW_ERROR);
	}
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	if (*end != '\0' || errno != 0 || !isfinite(*out))
		return (MW_ERROR);
	return (MW_OK);
}

/* Whether a point lies in the box (min lon, min lat, max lon, max lat). */
/*
 * The optional age bands of the inclusion monitor (accounts.age_band);
 * AGE_BANDS lists them for the error message.
 */
int
validate_age_band(const char *s)
{
	static const char *const bands[] = { "under-18", "18-29", "30-44",
	    "45-64", "65-79", "80-plus", NULL };
	int	i;

	for (i = 0; s != NULL && bands[i] != NULL; i++) {
		if (strcmp(s, bands[i]) == 0)
			return (MW_OK);
	}
	return (MW_ERROR);
}

int
validate_point(double lat, double lon, const double *box)
{
	return (isfinite(lat) && isfinite(lon) && lon >= box[0] &&
	    lat >= box[1] && lon <= box[2] && lat <= box[3]);
}

/*
 * A cursor is "<kind>.<a>.<b>", made by the list query from the last row
 * it returned: the sort key (a timestamp in microseconds or a count) and
 * the id, so the next page continues after that row however many new
 * rows arrived meanwhile.
 */
int
validate_cursor(const char *s, char kind, long long *a, long long *b)
{
	char		*end;
	const char	*p;

	if (s[0] == '\0' || s[0] != kind || s[1] != '.')
		return (MW_ERROR);
	p = s + 2;
	if (!(*p >= '0' && *p <= '9'))
		return (MW_ERROR);
	errno = 0;
	*a = strtoll(p, &end, 10);
	if (errno != 0 || *end != '.' || !(end[1] >= '0' && end[1] <= '9'))
		return (MW_ERROR);
	p = end + 1;
	*b = strtoll(p, &end, 10);
	if (errno != 0 || *end != '\0' || *b <= 0)
		return (MW_ERROR);
	return (MW_OK);
}
