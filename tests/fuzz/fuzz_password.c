/*
 * password_problem is the whole password policy of DESIGN.md: valid text
 * of 12 to 128 characters (code points, not bytes) that is not on the
 * common list, compared without regard to ASCII case, and not guessable in
 * the ways passwords.c names.  The harness loads a small list and a few
 * words, holds the length and list answers against that policy, checks
 * that any other refusal gives one of the named reasons, and that nothing
 * made of one repeated character (in ASCII case) is ever accepted.
 */

#include <ctype.h>
#include <strings.h>

#include "mitwirken.h"
#include "fuzz.h"

static char		list[] = "123456\npassword\nqwertyuiopasdfgh\n"
			    "iloveyou123456\npasswort1234\n\n"
			    "m\xc3\xa4""dchen12345678\nsommer2023sommer\n";
static char		words[] = "Passwort\nsommer\n\xc3\x9c""bung\n";
static const char *const	reasons[] = {
	"is one character repeated; choose another",
	"repeats a short pattern; choose another",
	"follows the alphabet, the digits or a keyboard row; choose another",
	"is a dictionary word with few changes; add more words", NULL
};
static const char *const	common[] = {
	"123456", "password", "qwertyuiopasdfgh", "iloveyou123456",
	"passwort1234", "m\xc3\xa4""dchen12345678", "sommer2023sommer", NULL
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!passwords_load(list, sizeof(list) - 1) ||
	    !passwords_load_words(words, sizeof(words) - 1))
		abort();
	return (0);
}

static size_t
code_points(const char *s, size_t len)
{
	size_t	i, n;

	for (i = 0, n = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	}
	return (n);
}

static int
on_list(const char *pw)
{
	int	i;

	for (i = 0; common[i] != NULL; i++) {
		if (strcasecmp(common[i], pw) == 0)
			return (1);
	}
	return (0);
}

static int
named_reason(const char *problem)
{
	int	i;

	for (i = 0; reasons[i] != NULL; i++) {
		if (strcmp(reasons[i], problem) == 0)
			return (1);
	}
	return (0);
}

static int
one_character(const char *s, size_t len)
{
	size_t	i;

	for (i = 1; i < len; i++) {
		if (tolower((unsigned char)s[i]) != tolower((unsigned char)s[0]))
			return (0);
	}
	return (1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*problem;
	char		*pw;
	size_t		chars;
	int		text;

	/* Callers pass C strings (strlen), so pw[len] is a NUL. */
	pw = fuzz_cstring(data, size);
	problem = passwords_problem(pw, size);
	text = memchr(pw, '\0', size) == NULL &&
	    utf8_valid_text(pw, size) && fuzz_utf8_wellformed(pw, size);
	chars = text ? code_points(pw, size) : 0;
	if (problem == NULL) {
		FUZZ_ASSERT(text);
		FUZZ_ASSERT(chars >= PASSWORD_MIN && chars <= PASSWORD_MAX);
		FUZZ_ASSERT(!on_list(pw));
		FUZZ_ASSERT(!one_character(pw, size));
	} else if (text && chars >= PASSWORD_MIN && chars <= PASSWORD_MAX) {
		FUZZ_ASSERT(on_list(pw) || named_reason(problem));
	}
	if (text)
		FUZZ_ASSERT(passwords_common(pw) == on_list(pw));
	free(pw);
	return (0);
}
