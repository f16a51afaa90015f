/*
 * UTF-8: what the server accepts as text, and lengths in characters (the
 * unit every limit a person reads is stated in).
 */

#include <stddef.h>

#include "mitwirken.h"

static int
utf8_check(const char *s, size_t len, int allow_del)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			i, n, k;
	uint32_t		cp, min;

	for (i = 0; i < len; i += n) {
		if (p[i] < 0x80) {
			if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
			    p[i] != '\r') || (p[i] == 0x7f && !allow_del))
				return (MW_ERROR);
			n = 1;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			n = 2; cp = p[i] & 0x1f; min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			n = 3; cp = p[i] & 0x0f; min = 0x800;
		} else if ((p[i] & 0xf8) == 0xf0) {
			n = 4; cp = p[i] & 0x07; min = 0x10000;
		} else {
			return (MW_ERROR);
		}
		if (i + n > len)
			return (MW_ERROR);
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return (MW_ERROR);
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return (MW_ERROR);
	}
	return (MW_OK);
}

/*
 * For JSON bodies: C0 controls may not appear raw (JSON forbids them in
 * strings, and cJSON would take them for white space), but DEL may.
 */
int
utf8_valid_json(const char *s, size_t len)
{
	return (utf8_check(s, len, 1));
}

/* Strict UTF-8 without C0 controls (but tab and newlines) or DEL. */
int
utf8_valid_text(const char *s, size_t len)
{
	return (utf8_check(s, len, 0));
}

/* Code points in valid UTF-8. */
size_t
utf8_length(const char *s, size_t len)
{
	size_t	i, n;

	for (i = 0, n = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	}
	return (n);
}
