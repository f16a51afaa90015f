/*
 * A stored User-Agent in a person's words: which browser on which system
 * ("Firefox auf Android"), so the profile lists sessions as devices a
 * person recognises.  Only families, never versions: the tokens are
 * looked for in an order that undoes the header's history of pretending
 * to be another browser (every Chrome says "Safari", every Edge "Chrome",
 * every iPhone "like Mac OS X").
 */

#define _GNU_SOURCE
#include <string.h>

#include "mitwirken.h"

/* Longer headers are cut, as they were when stored (200 bytes). */
#define AGENT_SCAN_MAX	512

struct token {
	const char	*needle;
	const char	*name;
};

/* First match wins. */
static const struct token browsers[] = {
	{ "SamsungBrowser/", "samsung" },
	{ "Edg/", "edge" }, { "Edge/", "edge" }, { "EdgA/", "edge" },
	{ "EdgiOS/", "edge" },
	{ "OPR/", "opera" }, { "OPiOS/", "opera" }, { "Opera", "opera" },
	{ "Firefox/", "firefox" }, { "FxiOS/", "firefox" },
	{ "Chromium/", "chromium" },
	{ "Chrome/", "chrome" }, { "CriOS/", "chrome" },
	{ "Version/", "safari_if" },
	{ NULL, NULL }
};

static const struct token systems[] = {
	{ "CrOS", "chromeos" },
	{ "Android", "android" },
	{ "iPad", "ipados" },
	{ "iPhone", "ios" }, { "iPod", "ios" },
	{ "Windows", "windows" },
	{ "Macintosh", "macos" }, { "Mac OS X", "macos" },
	{ "Linux", "linux" }, { "X11", "linux" },
	{ NULL, NULL }
};

static int
contains(const char *s, size_t len, const char *needle)
{
	return (memmem(s, len, needle, strlen(needle)) != NULL);
}

static const char *
first(const char *s, size_t len, const struct token *t)
{
	for (; t->needle != NULL; t++) {
		if (contains(s, len, t->needle))
			return (t->name);
	}
	return ("unknown");
}

/*
 * Fills a->browser and a->os with codes ("firefox", "android"; "unknown"
 * when not recognised) that the catalogues turn into words.
 */
void
agent_parse(const char *ua, size_t len, struct agent *a)
{
	if (ua == NULL)
		len = 0;
	if (len > AGENT_SCAN_MAX)
		len = AGENT_SCAN_MAX;
	a->browser = len > 0 ? first(ua, len, browsers) : "unknown";
	/* Safari says "Version/… Safari/"; others mimic only the latter. */
	if (strcmp(a->browser, "safari_if") == 0)
		a->browser = contains(ua, len, "Safari/") ? "safari" :
		    "unknown";
	a->os = len > 0 ? first(ua, len, systems) : "unknown";
	/* iPadOS 13+ asks for desktop pages as a Mac with a touch screen. */
	if (strcmp(a->os, "macos") == 0 && contains(ua, len, "Mobile/"))
		a->os = "ipados";
}
