/*
 * A growable byte buffer for the pure modules.  Kore's kore_buf would do in
 * the server, but the pure code must link into unit tests without Kore.
 * Allocation failure aborts, like Kore's allocators: no caller checks NULL.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mitwirken.h"

static void
grow(struct strbuf *b, size_t need)
{
	size_t	cap;

	if (b->len + need + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < b->len + need + 1)
		cap *= 2;
	if ((b->data = realloc(b->data, cap)) == NULL)
		abort();
	b->cap = cap;
}

void
strbuf_init(struct strbuf *b, size_t cap)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	grow(b, cap);
	b->data[0] = '\0';
}

void
strbuf_free(struct strbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
strbuf_reset(struct strbuf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
strbuf_append(struct strbuf *b, const void *p, size_t len)
{
	grow(b, len);
	memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
strbuf_appends(struct strbuf *b, const char *s)
{
	strbuf_append(b, s, strlen(s));
}

void
strbuf_appendf(struct strbuf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	grow(b, (size_t)n);
	va_start(ap, fmt);
	(void)vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Hands the bytes to the caller, who frees them with free(). */
char *
strbuf_steal(struct strbuf *b)
{
	char	*p;

	if (b->data == NULL)
		strbuf_init(b, 1);
	p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return (p);
}
