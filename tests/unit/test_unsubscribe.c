/* unsubscribe.c: tokens name account and kind, and only ours pass. */
#include <stdio.h>
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

static void
round_trip(void)
{
	struct keys	*k = unit_keys();
	char		t[UNSUB_TOKEN_MAX + 1];
	long long	account;
	int		kind, i;

	for (i = 0; i < NOTIFY_KINDS; i++) {
		unsub_token(k, 9007199254740991LL, i, t);
		CHECK(strlen(t) <= UNSUB_TOKEN_MAX);
		CHECK(unsub_check(k, t, &account, &kind));
		CHECK(account == 9007199254740991LL && kind == i);
	}
	unsub_token(k, 42, notify_kind("comment_reply"), t);
	CHECK(strncmp(t, "1.42.comment_reply.", 19) == 0);
	CHECK(notify_kind("newsletter") == -1);
	CHECK(notify_kinds[NOTIFY_KINDS] == NULL);
}

/* Which switch turns a mail off: its kind's, defect_message the status'. */
static void
switches(void)
{
	CHECK(notify_switch("idea_status") == notify_kind("idea_status"));
	CHECK(notify_switch("defect_status") == notify_kind("defect_status"));
	CHECK(notify_switch("defect_message") == notify_kind("defect_status"));
	CHECK(notify_switch("verify") == -1);
	CHECK(notify_switch("defect_received") == -1);
	CHECK(notify_switch(NULL) == -1);
}

/* Another account, another kind, another version: each is refused. */
static void
forged(void)
{
	struct keys	*k = unit_keys();
	struct keys	other = *k;
	char		t[UNSUB_TOKEN_MAX + 1], f[UNSUB_TOKEN_MAX + 40];
	const char	*mac;
	long long	account;
	int		kind;

	unsub_token(k, 42, 0, t);
	mac = strrchr(t, '.') + 1;
	(void)snprintf(f, sizeof(f), "1.43.idea_decision.%s", mac);
	CHECK(!unsub_check(k, f, &account, &kind));
	(void)snprintf(f, sizeof(f), "1.42.idea_status.%s", mac);
	CHECK(!unsub_check(k, f, &account, &kind));
	(void)snprintf(f, sizeof(f), "2.42.idea_decision.%s", mac);
	CHECK(!unsub_check(k, f, &account, &kind));
	(void)snprintf(f, sizeof(f), "1.042.idea_decision.%s", mac);
	CHECK(!unsub_check(k, f, &account, &kind));
	(void)snprintf(f, sizeof(f), "%s", t);
	f[strlen(f) - 1] = f[strlen(f) - 1] == 'A' ? 'B' : 'A';
	CHECK(!unsub_check(k, f, &account, &kind));
	other.token[0] ^= 1;
	CHECK(!unsub_check(&other, t, &account, &kind));
	CHECK(unsub_check(k, t, &account, &kind));
}

static void
malformed(void)
{
	struct keys	*k = unit_keys();
	static const char *const bad[] = { "", ".", "...", "1...",
	    "1.42.idea_decision.", "1.42..x", "1.-4.idea_status.x",
	    "1.42.idea_status", "x.42.idea_status.aaaa",
	    "1.99999999999999999999.idea_status."
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    "1.42.idea_status.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa+",
	    NULL };
	long long	account;
	int		i, kind;

	for (i = 0; bad[i] != NULL; i++)
		CHECK(!unsub_check(k, bad[i], &account, &kind));
	CHECK(!unsub_check(k, NULL, &account, &kind));
}

UNIT_SUITE(unsubscribe_tests) = {
	{ "unsubscribe: tokens round-trip for every kind", round_trip },
	{ "unsubscribe: another account, kind, version or key fails", forged },
	{ "unsubscribe: malformed tokens are refused", malformed },
	{ "unsubscribe: the switch that governs each mail", switches },
	{ NULL, NULL }
};
