/*
 * multipart/form-data (RFC 7578) bodies held in memory: text fields go to
 * the same parameter set as a urlencoded form, under the same rules (valid
 * UTF-8 text, one value per name, PARAMS_MAX), and parts with a filename
 * become uploads that point into the body.  A part's Content-Type and its
 * file name are ignored: what a file is, its bytes decide (image.c).
 *
 * Kore has a multipart parser, but it keeps only fields declared to its
 * own validators (this application declares none: src/core/dispatch.c
 * checks every parameter), splits Content-Disposition at every ';', even
 * inside a quoted name, and cuts a value at its first NUL byte.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mitwirken.h"

#define BOUNDARY_MAX		70	/* RFC 2046 */
#define PART_HEADERS_MAX	4096

/* RFC 2046 bchars, without the space (not allowed last, and no one uses it). */
static int
bchar(int c)
{
	return ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || strchr("'()+_,-./:=?", c) != NULL);
}

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return (p);
}

/*
 * A parameter's value, a token or a quoted string (with \-escapes), into
 * out; returns the position after it, or NULL.
 */
static const char *
param_value(const char *p, const char *end, char *out, size_t outlen,
    size_t *olen)
{
	size_t	n = 0;

	if (p < end && *p == '"') {
		for (p++; p < end && *p != '"'; p++) {
			if (*p == '\\' && p + 1 < end)
				p++;
			if (n + 1 >= outlen)
				return (NULL);
			out[n++] = *p;
		}
		if (p == end)
			return (NULL);
		p++;
	} else {
		for (; p < end && *p != ';' && *p != ' ' && *p != '\t'; p++) {
			if (n + 1 >= outlen)
				return (NULL);
			out[n++] = *p;
		}
	}
	out[n] = '\0';
	*olen = n;
	return (p);
}

/*
 * Finds the parameter `name` among the ";"-separated parameters after the
 * first value.  1: found (value in out); 0: absent; -1: malformed.
 */
static int
header_param(const char *p, const char *end, const char *name, char *out,
    size_t outlen, size_t *olen)
{
	char		pname[32], junk[PARAM_NAME_MAX * 4];
	const char	*q;
	size_t		n, jn;
	int		found = 0;

	while ((p = memchr(p, ';', (size_t)(end - p))) != NULL) {
		p = skip_ws(p + 1, end);
		for (q = p; q < end && *q != '=' && *q != ';' && *q != ' ';)
			q++;
		n = (size_t)(q - p);
		q = skip_ws(q, end);
		if (q == end || *q != '=')
			return (-1);
		q = skip_ws(q + 1, end);
		(void)snprintf(pname, sizeof(pname), "%.*s", (int)(n <
		    sizeof(pname) ? n : sizeof(pname) - 1), p);
		if (!found && strcasecmp(pname, name) == 0) {
			if ((p = param_value(q, end, out, outlen, olen)) ==
			    NULL)
				return (-1);
			found = 1;
		} else if ((p = param_value(q, end, junk, sizeof(junk),
		    &jn)) == NULL) {
			return (-1);
		}
		p = skip_ws(p, end);
		if (p < end && *p != ';')
			return (-1);
	}
	return (found);
}

/* The boundary of a multipart/form-data Content-Type. */
int
multipart_boundary(const char *ctype, char *out, size_t outlen)
{
	const char	*end = ctype + strlen(ctype);
	size_t		n, i;

	if (strncasecmp(ctype, MULTIPART_TYPE, strlen(MULTIPART_TYPE)) != 0 ||
	    header_param(ctype, end, "boundary", out, outlen, &n) != 1 ||
	    n == 0 || n > BOUNDARY_MAX)
		return (MW_ERROR);
	for (i = 0; i < n; i++) {
		if (!bchar((unsigned char)out[i]))
			return (MW_ERROR);
	}
	return (MW_OK);
}

static const char *
find(const char *p, const char *end, const char *needle, size_t n)
{
	for (; (size_t)(end - p) >= n; p++) {
		if (*p == *needle && memcmp(p, needle, n) == 0)
			return (p);
	}
	return (NULL);
}

struct part {
	char		name[PARAM_NAME_MAX];
	size_t		nlen;
	int		file;		/* it has a filename */
	int		file_named;	/* and that is not empty */
	const char	*data;
	size_t		len;
};

/* Content-Disposition: form-data; name="..."[; filename="..."]. */
static int
disposition(const char *p, const char *end, struct part *part)
{
	char	fname[1024];
	size_t	n;
	int	r;

	p = skip_ws(p, end);
	if ((size_t)(end - p) < 9 || strncasecmp(p, "form-data", 9) != 0)
		return (MW_ERROR);
	if (header_param(p + 9, end, "name", part->name, sizeof(part->name),
	    &part->nlen) != 1 || part->nlen == 0 ||
	    strlen(part->name) != part->nlen ||
	    !utf8_valid_text(part->name, part->nlen))
		return (MW_ERROR);
	r = header_param(p + 9, end, "filename", fname, sizeof(fname), &n);
	if (r < 0)
		return (MW_ERROR);
	part->file = r == 1;
	part->file_named = r == 1 && n > 0;
	if (!part->file && header_param(p + 9, end, "filename*", fname,
	    sizeof(fname), &n) == 1)
		part->file = part->file_named = 1;
	return (MW_OK);
}

/* The part's headers: Content-Disposition is the one that matters. */
static int
part_headers(const char *p, const char *end, struct part *part)
{
	const char	*eol, *colon;
	int		seen = 0;

	for (; p < end; p = eol + 2) {
		if ((eol = find(p, end + 2, "\r\n", 2)) == NULL)
			eol = end;
		if ((colon = memchr(p, ':', (size_t)(eol - p))) == NULL)
			return (MW_ERROR);
		if ((size_t)(colon - p) == 19 &&
		    strncasecmp(p, "content-disposition", 19) == 0) {
			if (seen++ || !disposition(colon + 1, eol, part))
				return (MW_ERROR);
		}
		if (eol == end)
			break;
	}
	return (seen ? MW_OK : MW_ERROR);
}

static int
add_field(const struct part *part, struct param_set *form,
    struct field_errors *fe)
{
	if (part->len >= PARAM_VALUE_MAX ||
	    !utf8_valid_text(part->data, part->len)) {
		error_field_add(fe, part->name, "malformed value");
		return (400);
	}
	if (params_get(form, part->name) != NULL) {
		error_field_add(fe, part->name, "given more than once");
		return (400);
	}
	if (!params_add(form, part->name, part->nlen, part->data,
	    part->len)) {
		error_field_add(fe, "form", "too many parameters");
		return (400);
	}
	return (0);
}

static int
add_file(const struct part *part, struct uploads *files,
    struct field_errors *fe)
{
	struct upload_part	*u;
	char		reason[64];

	/* A file input left empty: the browser sends filename="". */
	if (!part->file_named && part->len == 0)
		return (0);
	if (files->count == UPLOADS_MAX) {
		(void)snprintf(reason, sizeof(reason), "is one file too many "
		    "(at most %d)", UPLOADS_MAX);
		error_field_add(fe, part->name, reason);
		return (422);
	}
	u = &files->items[files->count++];
	memcpy(u->field, part->name, part->nlen + 1);
	u->data = (const unsigned char *)part->data;
	u->len = part->len;
	return (0);
}

/*
 * Parses a whole body.  0 when accepted; otherwise the HTTP status to
 * answer with (400 malformed, 422 too many files) and the field in fe.
 */
int
multipart_parse(const void *body, size_t len, const char *boundary,
    struct param_set *form, struct uploads *files, struct field_errors *fe)
{
	const char	*p = body, *end = p + len, *hend, *next;
	char		delim[BOUNDARY_MAX + 5];
	struct part	part;
	size_t		dl;
	int		status;

	dl = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", boundary);
	if (dl >= sizeof(delim) || len == 0)
		goto malformed;
	/* The first delimiter may open the body: no CRLF before it. */
	if (len >= dl - 2 && memcmp(p, delim + 2, dl - 2) == 0)
		p += dl - 2;
	else if ((p = find(p, end, delim, dl)) != NULL)
		p += dl;
	else
		goto malformed;
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return (0);
		p = skip_ws(p, end);
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			goto malformed;
		p += 2;
		memset(&part, 0, sizeof(part));
		hend = find(p, p + PART_HEADERS_MAX < end ? p +
		    PART_HEADERS_MAX : end, "\r\n\r\n", 4);
		if (hend == NULL || !part_headers(p, hend, &part) ||
		    (next = find(hend + 2, end, delim, dl)) == NULL)
			goto malformed;
		part.data = hend + 4;
		part.len = next >= hend + 4 ? (size_t)(next - (hend + 4)) : 0;
		status = part.file ? add_file(&part, files, fe) :
		    add_field(&part, form, fe);
		if (status != 0)
			return (status);
		p = next + dl;
	}
malformed:
	if (fe->count == 0)
		error_field_add(fe, "body", "is not well-formed "
		    "multipart/form-data");
	return (400);
}
