/*
 * Password rules (NIST SP 800-63B style, DESIGN.md): 12 to 128 characters
 * of any Unicode, no composition rules, never truncated, not one of the
 * 10,000 most common passwords (assets/common-passwords.txt, compared
 * without regard to ASCII case), and not one of the guesses that list
 * misses at this length: one character or a short unit repeated, a run
 * along the alphabet, the digits or a keyboard row, or a dictionary word
 * (German or English, Debian's wngerman and wamerican) with a few digits
 * or symbols around it.  Cracklib would check words too, but it opens its
 * dictionary at every check, which a sandboxed worker cannot; the parent
 * loads the word lists into memory before fork instead.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mitwirken.h"

/* Affixes longer than this are too much to guess along with the word. */
#define AFFIX_GUESSABLE	6
#define FOLDED_MAX	(PASSWORD_MAX * 4 + 1)

struct table {
	char	**v;
	size_t	n;
};

static struct table	common, words;

/* Keyboard rows (German and US), alphabet and digits, wrapping 9 to 0. */
static const char *const	sequences[] = {
	"abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertzuiop",
	"qwertyuiop", "asdfghjkl", "yxcvbnm", "zxcvbnm", NULL
};

static int
casecmp(const void *a, const void *b)
{
	return (strcasecmp(*(char *const *)a, *(char *const *)b));
}

static int
bytecmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* ASCII lower case, and the German capitals Ä, Ö, Ü to ä, ö, ü. */
static void
fold(char *s)
{
	unsigned char	*p;

	for (p = (unsigned char *)s; *p != '\0'; p++) {
		if (p[0] == 0xc3 && (p[1] == 0x84 || p[1] == 0x96 ||
		    p[1] == 0x9c))
			*++p += 0x20;
		else
			*p = (unsigned char)tolower(*p);
	}
}

/* One entry a line; the buffer must outlive the table. */
static int
load(struct table *t, char *data, size_t len, int folded)
{
	char	*p, *nl, *end;
	size_t	cap;

	cap = 1024;
	if ((t->v = malloc(cap * sizeof(*t->v))) == NULL)
		abort();
	t->n = 0;
	end = data + len;
	for (p = data; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		*nl = '\0';
		if (*p == '\0')
			continue;
		if (t->n == cap) {
			cap *= 2;
			if ((t->v = realloc(t->v, cap * sizeof(*t->v))) ==
			    NULL)
				abort();
		}
		if (folded)
			fold(p);
		t->v[t->n++] = p;
	}
	qsort(t->v, t->n, sizeof(*t->v), folded ? bytecmp : casecmp);
	return (t->n > 0 ? MW_OK : MW_ERROR);
}

int
passwords_load(char *data, size_t len)
{
	return (load(&common, data, len, 0));
}

/* Word lists are folded once here so a check is one binary search. */
int
passwords_load_words(char *data, size_t len)
{
	return (load(&words, data, len, 1));
}

int
passwords_common(const char *pw)
{
	if (common.v == NULL)
		return (0);
	return (bsearch(&pw, common.v, common.n, sizeof(*common.v),
	    casecmp) != NULL);
}

static int
is_word(const char *folded)
{
	if (words.v == NULL)
		return (0);
	return (bsearch(&folded, words.v, words.n, sizeof(*words.v),
	    bytecmp) != NULL);
}

/* The shortest unit that, repeated, spells s; len when there is none. */
static size_t
repeat_unit(const char *s, size_t len)
{
	size_t	u, i;

	for (u = 1; u <= len / 2; u++) {
		for (i = u; i < len && s[i] == s[i - u]; i++)
			;
		if (i == len)
			return (u);
	}
	return (len);
}

static int
adjacent(char a, char b)
{
	const char	*p;
	int		i;

	if (a == b)
		return (1);
	for (i = 0; sequences[i] != NULL; i++) {
		for (p = sequences[i]; p[0] != '\0' && p[1] != '\0'; p++) {
			if ((p[0] == a && p[1] == b) ||
			    (p[0] == b && p[1] == a))
				return (1);
		}
	}
	return (0);
}

/* At most two runs along a sequence ("qwertyasdfgh", "abcdef123456"). */
static int
sequential(const char *s, size_t len)
{
	size_t	i, breaks;

	for (i = 1, breaks = 0; i < len; i++) {
		if (!adjacent(s[i - 1], s[i]) && ++breaks > 1)
			return (0);
	}
	return (1);
}

static int
affix_char(unsigned char c)
{
	return (isdigit(c) || ispunct(c) || c == ' ');
}

/* The common substitutions; which of i and l a 1 or ! stands for varies. */
static int
unleet(char *s, char one)
{
	static const char	from[] = "0345$7@", to[] = "oeassta";
	const char		*p;
	int			changed;

	for (changed = 0; *s != '\0'; s++) {
		if (*s == '1' || *s == '!') {
			*s = one;
			changed = 1;
		} else if ((p = strchr(from, *s)) != NULL) {
			*s = to[p - from];
			changed = 1;
		}
	}
	return (changed);
}

/* Spaces between word and number add next to nothing to guess. */
static size_t
keep_affix(char *affix, size_t n, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (s[i] != ' ')
			affix[n++] = s[i];
	}
	return (n);
}

static int
word_or_common(const char *core)
{
	char	v[FOLDED_MAX];

	if (is_word(core) || passwords_common(core))
		return (1);
	snprintf(v, sizeof(v), "%s", core);
	if (unleet(v, 'i') && (is_word(v) || passwords_common(v)))
		return (1);
	snprintf(v, sizeof(v), "%s", core);
	return (unleet(v, 'l') && (is_word(v) || passwords_common(v)));
}

/*
 * A word with digits or symbols around it ("Passwort1234", "p4ssw0rd!"):
 * refused when what surrounds the word is short or itself guessable.
 */
static int
dictionary_word(char *s, size_t len)
{
	char	affix[FOLDED_MAX];
	size_t	start, end, n;

	for (start = 0; start < len && affix_char(s[start]); start++)
		;
	for (end = len; end > start && affix_char(s[end - 1]); end--)
		;
	if (start == end)
		return (0);
	n = keep_affix(affix, 0, s, start);
	n = keep_affix(affix, n, s + end, len - end);
	s[end] = '\0';
	if (!word_or_common(s + start))
		return (0);
	return (n <= AFFIX_GUESSABLE || repeat_unit(affix, n) < n ||
	    sequential(affix, n));
}

static const char *
guessable(const char *pw, size_t len)
{
	char	s[FOLDED_MAX];
	size_t	unit;

	memcpy(s, pw, len);
	s[len] = '\0';
	fold(s);
	if ((unit = repeat_unit(s, len)) < len)
		return (utf8_length(s, unit) == 1 ?
		    "is one character repeated; choose another" :
		    "repeats a short pattern; choose another");
	if (sequential(s, len))
		return ("follows the alphabet, the digits or a keyboard row; "
		    "choose another");
	if (dictionary_word(s, len))
		return ("is a dictionary word with few changes; add more "
		    "words");
	return (NULL);
}

/* NULL when acceptable, else the reason to show next to the field. */
const char *
passwords_problem(const char *pw, size_t len)
{
	size_t	chars;

	if (memchr(pw, '\0', len) != NULL || !utf8_valid_text(pw, len))
		return ("must be valid text");
	chars = utf8_length(pw, len);
	if (chars < PASSWORD_MIN)
		return ("must be at least 12 characters long");
	if (chars > PASSWORD_MAX)
		return ("must be at most 128 characters long");
	if (passwords_common(pw))
		return ("is one of the most common passwords; choose another");
	return (guessable(pw, len));
}
