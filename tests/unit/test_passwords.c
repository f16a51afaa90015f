#include <stdlib.h>

#include "mitwirken.h"
#include "unit.h"

static void
rules(void)
{
	static char	list[] = "123456\npassword\nqwertyuiopasdfgh\n"
			    "iloveyou123456\n";
	char		*long_pw;

	CHECK(passwords_load(list, strlen(list)));
	CHECK(passwords_problem("correct horse battery", 21) == NULL);
	CHECK_STR(passwords_problem("short", 5),
	    "must be at least 12 characters long");
	/* 12 characters but 24 bytes: counted as characters. */
	CHECK(passwords_problem("ääääääääääää", 24) == NULL);
	CHECK(passwords_problem("äääääääääää", 22) != NULL);
	CHECK_STR(passwords_problem("QWERTYUIOPASDFGH", 16),
	    "is one of the most common passwords; choose another");
	CHECK(passwords_problem("iloveyou1234567", 15) == NULL);
	CHECK(passwords_problem("abc\xff\xfe" "defghijkl", 14) != NULL);
	CHECK(passwords_problem("abcdefghijk\0lmn", 15) != NULL);
	long_pw = malloc(200);
	memset(long_pw, 'x', 129);
	long_pw[129] = '\0';
	CHECK_STR(passwords_problem(long_pw, 129),
	    "must be at most 128 characters long");
	long_pw[128] = '\0';
	CHECK(passwords_problem(long_pw, 128) == NULL);
	free(long_pw);
}

UNIT_SUITE(passwords_tests) = {
	{ "passwords: length in characters, common list, valid text", rules },
	{ NULL, NULL }
};
