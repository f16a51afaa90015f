/*
 * Request ids tie a client's error message to the server's log line.  An id
 * supplied by a proxy (X-Request-Id) is reused only when it is short and
 * plain, so it can never inject into a log line or a header.
 */

#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

int
reqid_valid(const char *id)
{
	size_t	i, len;

	len = strlen(id);
	if (len < 8 || len > REQID_LEN * 2)
		return (MW_ERROR);
	for (i = 0; i < len; i++) {
		if (!((id[i] >= 'a' && id[i] <= 'z') ||
		    (id[i] >= 'A' && id[i] <= 'Z') ||
		    (id[i] >= '0' && id[i] <= '9') || id[i] == '-' ||
		    id[i] == '_'))
			return (MW_ERROR);
	}
	return (MW_OK);
}

void
reqid_from_bytes(const unsigned char *raw, size_t len, char *out,
    size_t outlen)
{
	static const char	hex[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < len && (i * 2 + 2) < outlen; i++) {
		out[i * 2] = hex[raw[i] >> 4];
		out[i * 2 + 1] = hex[raw[i] & 0x0f];
	}
	out[i * 2] = '\0';
}

/*
 * Ids are a per-process random prefix and a counter: unique and not
 * guessable across restarts, without a getrandom(2) call per request.
 */
static unsigned char	prefix[8];
static uint64_t		counter;

void
reqid_seed(const unsigned char *seed, size_t len)
{
	memcpy(prefix, seed, len < sizeof(prefix) ? len : sizeof(prefix));
	counter = 0;
}

void
reqid_next(char *out, size_t outlen)
{
	char	hex[sizeof(prefix) * 2 + 1];

	reqid_from_bytes(prefix, sizeof(prefix), hex, sizeof(hex));
	(void)snprintf(out, outlen, "%s%016llx", hex,
	    (unsigned long long)++counter);
}
