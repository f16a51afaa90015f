#include "mitwirken.h"
#include "unit.h"

static void
check(const char *ua, const char *browser, const char *os)
{
	struct agent	a;

	agent_parse(ua, ua != NULL ? strlen(ua) : 0, &a);
	CHECK_STR(a.browser, browser);
	CHECK_STR(a.os, os);
}

static void
families(void)
{
	check("Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 "
	    "Firefox/128.0", "firefox", "android");
	check("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
	    "Firefox/128.0", "firefox", "linux");
	check("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "chrome",
	    "windows");
	check("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 "
	    "Edg/126.0.2592.87", "edge", "windows");
	check("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
	    "Safari/605.1.15", "safari", "macos");
	check("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
	    "Mobile/15E148 Safari/604.1", "safari", "ios");
	check("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 "
	    "Mobile/15E148 Safari/604.1", "chrome", "ipados");
	check("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
	    "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
	    "Mobile/15E148 Safari/604.1", "safari", "ipados");
	check("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile "
	    "Safari/537.36", "samsung", "android");
	check("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0",
	    "opera", "windows");
	check("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 "
	    "(KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "chrome",
	    "chromeos");
	check("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, "
	    "like Gecko) Chromium/126.0.0.0 Chrome/126.0.0.0 Safari/537.36",
	    "chromium", "linux");
}

static void
unknown(void)
{
	check(NULL, "unknown", "unknown");
	check("", "unknown", "unknown");
	check("curl/8.5.0", "unknown", "unknown");
	check("node", "unknown", "unknown");
	/* "Version/" without Safari is not Safari. */
	check("Foo Version/1.0", "unknown", "unknown");
}

UNIT_SUITE(agent_tests) = {
	{ "agent: browser and system families", families },
	{ "agent: what is not recognised", unknown },
	{ NULL, NULL }
};
