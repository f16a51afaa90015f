#include <stdlib.h>

#include "mitwirken.h"
#include "unit.h"

static void
rules(void)
{
	static char	list[] = "123456\npassword\nqwertyuiopasdfgh\n"
			    "iloveyou123456\n";
	char		*long_pw;
	int		i;

	CHECK(passwords_load(list, strlen(list)));
	CHECK(passwords_problem("correct horse battery", 21) == NULL);
	CHECK_STR(passwords_problem("short", 5),
	    "must be at least 12 characters long");
	/* 12 characters but 24 bytes: counted as characters. */
	CHECK(passwords_problem("äöüßäöüßäöüö", 24) == NULL);
	CHECK_STR(passwords_problem("äöüäöüäöüäö", 22),
	    "must be at least 12 characters long");
	CHECK_STR(passwords_problem("QWERTYUIOPASDFGH", 16),
	    "is one of the most common passwords; choose another");
	CHECK(passwords_problem("iloveyou1234567", 15) == NULL);
	CHECK(passwords_problem("abc\xff\xfe" "defghijkl", 14) != NULL);
	CHECK(passwords_problem("abcdefghijk\0lmn", 15) != NULL);
	long_pw = malloc(200);
	for (i = 0; i < 129; i++)
		long_pw[i] = "ein Satz aus Worten "[i % 20];
	long_pw[129] = '\0';
	CHECK_STR(passwords_problem(long_pw, 129),
	    "must be at most 128 characters long");
	memcpy(long_pw, "mit einem anderen Anfang", 24);
	long_pw[128] = '\0';
	CHECK(passwords_problem(long_pw, 128) == NULL);
	free(long_pw);
}

#define REFUSED(pw, why)	CHECK_STR(passwords_problem(pw, strlen(pw)), why)
#define ACCEPTED(pw)		CHECK(passwords_problem(pw, strlen(pw)) == NULL)

static const char	repeated[] = "is one character repeated; choose another";
static const char	pattern[] = "repeats a short pattern; choose another";
static const char	sequence[] = "follows the alphabet, the digits or a "
			    "keyboard row; choose another";
static const char	word[] = "is a dictionary word with few changes; add "
			    "more words";

/* What the common list misses at 12 characters (issue 12). */
static void
guessable(void)
{
	static char	dict[] = "Passwort\npassword\nSommer\n\xc3\x9c"
			    "bung\nDonaudampfschifffahrt\nliebe\nein\n";

	CHECK(passwords_load_words(dict, strlen(dict)));
	REFUSED("aaaaaaaaaaaa", repeated);
	REFUSED("ÄäÄäääääääää", repeated);
	REFUSED("abcabcabcabc", pattern);
	REFUSED("1234123412341", pattern);
	REFUSED("passwortpasswort", pattern);
	REFUSED("123456789012", sequence);
	REFUSED("9876543210987", sequence);
	REFUSED("qwertzuiopasdfghjkl", sequence);
	REFUSED("abcdefghijkl", sequence);
	REFUSED("password1234", word);
	REFUSED("Passwort1234", word);
	REFUSED("PASSWORT2024!", word);
	REFUSED("Sommer 2024!!", word);
	REFUSED("Sommer12345678", word);
	REFUSED("p4ssw0rd1234", word);
	REFUSED("L1ebe!123456", word);
	REFUSED("übung12345678", word);
	REFUSED("Donaudampfschifffahrt", word);
	REFUSED("ein1234567890", word);
	ACCEPTED("ein langes Passwort für Tests");
	ACCEPTED("Mondschein über der Oker 42");
	ACCEPTED("Passwort83920174635");
	ACCEPTED("correct horse battery staple");
	ACCEPTED("Sommer und Winter 2024");
}

UNIT_SUITE(passwords_tests) = {
	{ "passwords: length in characters, common list, valid text", rules },
	{ "passwords: repeats, sequences, words with digits", guessable },
	{ NULL, NULL }
};
