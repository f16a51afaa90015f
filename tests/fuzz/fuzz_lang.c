/*
 * lang_negotiate reads ?lang= and Accept-Language on every page request.
 * The first byte chooses which of the two are present; the rest is split
 * at the first NUL into the ?lang= value and the header.  English can only
 * come from one of them naming it.
 */

#include <strings.h>

#include "mitwirken.h"
#include "fuzz.h"

static int
names(const char *tag, const char *code)
{
	return (strncasecmp(tag, code, 2) == 0 &&
	    (tag[2] == '\0' || tag[2] == '-'));
}

/* Whether "en" occurs anywhere, in any case. */
static int
mentions_en(const char *s)
{
	for (; s[0] != '\0'; s++) {
		if ((s[0] | 0x20) == 'e' && (s[1] | 0x20) == 'n')
			return (1);
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*copy, *part[2], *query, *accept;
	enum lang	l;

	if (size == 0)
		return (0);
	copy = fuzz_split(data + 1, size - 1, part, 2);
	query = (data[0] & 1) ? part[0] : NULL;
	accept = (data[0] & 2) ? part[1] : part[0];
	if (data[0] & 4)
		accept = NULL;

	l = lang_negotiate(query, accept);
	FUZZ_ASSERT(l == LANG_DE || l == LANG_EN);
	FUZZ_ASSERT(strcmp(lang_code(l), l == LANG_EN ? "en" : "de") == 0);
	if (query != NULL && names(query, "en"))
		FUZZ_ASSERT(l == LANG_EN);
	else if (query != NULL && names(query, "de"))
		FUZZ_ASSERT(l == LANG_DE);
	else if (l == LANG_EN)
		FUZZ_ASSERT(accept != NULL && mentions_en(accept));
	free(copy);
	return (0);
}
