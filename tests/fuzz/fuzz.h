/*
 * Shared by the libFuzzer harnesses in tests/fuzz (run.sh builds and runs
 * them).  A broken invariant aborts, so libFuzzer keeps the input as a
 * crash file exactly as it does for a sanitizer report.
 */

#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/*
 * libFuzzer's buffer ends exactly at size, so ASan sees any read past it;
 * functions that take C strings get a copy with the NUL they expect.
 */
static inline char *
fuzz_cstring(const uint8_t *data, size_t size)
{
	char	*s;

	if ((s = malloc(size + 1)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return (s);
}

/*
 * Splits the input at NUL bytes into at most n C strings, for functions
 * with several string arguments.  Pieces the input does not reach are
 * NULL, so absent headers are fuzzed too.  All pieces live in the one
 * returned copy, which the caller frees.
 */
static inline char *
fuzz_split(const uint8_t *data, size_t size, char **parts, int n)
{
	char	*copy, *p, *end;
	int	i;

	copy = fuzz_cstring(data, size);
	end = copy + size;
	for (i = 0, p = copy; i < n; i++) {
		if (p > end) {
			parts[i] = NULL;
			continue;
		}
		parts[i] = p;
		p += strlen(p) + 1;
	}
	return (copy);
}

/*
 * Well-formed UTF-8 after Table 3-7 of the Unicode standard: a second,
 * independently written reading to hold params.c's validator against.
 */
static inline int
fuzz_utf8_wellformed(const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			i, n, k;
	unsigned char		lo, hi;

	for (i = 0; i < len; i += n) {
		lo = 0x80;
		hi = 0xbf;
		if (s[i] <= 0x7f)
			n = 1;
		else if (s[i] >= 0xc2 && s[i] <= 0xdf)
			n = 2;
		else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			n = 3;
			if (s[i] == 0xe0)
				lo = 0xa0;
			else if (s[i] == 0xed)
				hi = 0x9f;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 4;
			if (s[i] == 0xf0)
				lo = 0x90;
			else if (s[i] == 0xf4)
				hi = 0x8f;
		} else
			return (0);
		if (n > len - i)
			return (0);
		for (k = 1; k < n; k++) {
			if (s[i + k] < lo || s[i + k] > hi)
				return (0);
			lo = 0x80;
			hi = 0xbf;
		}
	}
	return (1);
}

#endif
