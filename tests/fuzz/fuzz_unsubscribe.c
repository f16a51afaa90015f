/*
 * The unsubscribe token parser (unsubscribe.c): whatever a link carries,
 * unsub_check never reads past it, and it accepts only what unsub_token
 * made, for the account and kind it names.  Each accepted input is made
 * again from its account and kind and must be the very same string.
 */

#include <sodium.h>

#include "mitwirken.h"
#include "fuzz.h"

static struct keys	keys;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned char	file[64];
	size_t		i;

	(void)argc;
	(void)argv;
	if (sodium_init() < 0)
		abort();
	for (i = 0; i < sizeof(file); i++)
		file[i] = (unsigned char)(i * 5 + 3);
	if (!keys_derive(&keys, file, sizeof(file)))
		abort();
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*token, again[UNSUB_TOKEN_MAX + 1];
	long long	account = -1;
	int		kind = -1;

	token = fuzz_cstring(data, size);
	if (unsub_check(&keys, token, &account, &kind)) {
		FUZZ_ASSERT(account >= 1 && kind >= 0 && kind < NOTIFY_KINDS);
		unsub_token(&keys, account, kind, again);
		FUZZ_ASSERT(strcmp(again, token) == 0);
	}
	/* A token it made itself always passes, for any account. */
	unsub_token(&keys, (long long)(size % 1000) + 1,
	    (int)(size % NOTIFY_KINDS), again);
	FUZZ_ASSERT(unsub_check(&keys, again, &account, &kind));
	free(token);
	return (0);
}
