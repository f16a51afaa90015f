#include <math.h>
#include <sodium.h>

#include "mitwirken.h"
#include "unit.h"

static void
texts(void)
{
	size_t	start, len;

	CHECK(validate_text("Mehr Bänke", 5, 120, 0, &start, &len) == NULL);
	CHECK(start == 0 && len == strlen("Mehr Bänke"));
	/* Characters, not bytes: five umlauts are five characters. */
	CHECK(validate_text("äöüÄÖ", 5, 5, 0, &start, &len) == NULL);
	CHECK(validate_text("äöüÄ", 5, 5, 0, &start, &len) != NULL);
	CHECK(validate_text("  Titel  \n", 5, 120, 0, &start, &len) == NULL);
	CHECK(start == 2 && len == 5);
	CHECK_STR(validate_text("   ", 1, 10, 0, &start, &len), "required");
	CHECK_STR(validate_text("zwei\nZeilen", 1, 100, 0, &start, &len),
	    "must be a single line");
	CHECK(validate_text("zwei\nZeilen", 1, 100, 1, &start, &len) == NULL);
	CHECK_STR(validate_text("kurz", 5, 120, 0, &start, &len),
	    "must be 5 to 120 characters long");
	CHECK(validate_text("bell\a", 1, 100, 1, &start, &len) != NULL);
	CHECK(validate_text("\xc3\x28", 1, 100, 1, &start, &len) != NULL);
	CHECK(utf8_length("Straße", strlen("Straße")) == 6);
}

/* Text-direction overrides and isolates could make a title read otherwise. */
static void
bidi_controls(void)
{
	size_t		start, len;
	const char	*why = "must not contain text-direction control "
			    "characters";

	CHECK_STR(validate_text("Ampel \xe2\x80\xae defekt", 1, 100, 0,
	    &start, &len), why);				/* U+202E */
	CHECK_STR(validate_text("a\xe2\x80\xaa" "b", 1, 100, 0, &start, &len),
	    why);						/* U+202A */
	CHECK_STR(validate_text("a\xe2\x81\xa6" "b", 1, 100, 1, &start, &len),
	    why);						/* U+2066 */
	CHECK_STR(validate_text("a\xe2\x81\xa9" "b", 1, 100, 1, &start, &len),
	    why);						/* U+2069 */
	/* Right-to-left script itself, and the plain marks, are fine. */
	CHECK(validate_text("\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d Welt", 1, 100,
	    0, &start, &len) == NULL);
	CHECK(validate_text("a\xe2\x80\x8f" "b", 1, 100, 0, &start, &len) == NULL);
	/* Neighbours of the ranges are ordinary punctuation. */
	CHECK(validate_text("a\xe2\x80\xaf" "b", 1, 100, 0, &start, &len) == NULL);
	CHECK(validate_text("a\xe2\x81\xa5" "b", 1, 100, 0, &start, &len) == NULL);
}

static void
numbers(void)
{
	double	d;

	CHECK(validate_decimal("52.2689", &d) && fabs(d - 52.2689) < 1e-9);
	CHECK(validate_decimal("10,5268", &d) && fabs(d - 10.5268) < 1e-9);
	CHECK(validate_decimal("-3", &d) && d == -3);
	CHECK(!validate_decimal("", &d));
	CHECK(!validate_decimal("1e5", &d));
	CHECK(!validate_decimal(" 52", &d));
	CHECK(!validate_decimal("52.1.2", &d));
	CHECK(!validate_decimal("nan", &d));
	CHECK(!validate_decimal("--1", &d));
	/* A decimal comma, as German users type it; one separator only. */
	CHECK(validate_decimal("52,2646", &d) && fabs(d - 52.2646) < 1e-9);
	CHECK(validate_decimal("10,5", &d) && d == 10.5);
	CHECK(!validate_decimal("52,26,46", &d));
	CHECK(!validate_decimal("52.2,6", &d));
	CHECK(!validate_decimal("52,2.6", &d));
	CHECK(!validate_decimal(",", &d));
	CHECK(!validate_decimal("52 2646", &d));
}

static void
points(void)
{
	const double	box[4] = { 10.40, 52.18, 10.72, 52.36 };
	double		parsed[4];

	CHECK(validate_point(52.2689, 10.5268, box));
	CHECK(!validate_point(48.137, 11.575, box));
	CHECK(!validate_point(10.5268, 52.2689, box));	/* swapped */
	CHECK(!validate_point(NAN, 10.5, box));
	CHECK(config_bbox("10.40,52.18,10.72,52.36", parsed));
	CHECK(parsed[0] == 10.40 && parsed[3] == 52.36);
	CHECK(!config_bbox("10.72,52.18,10.40,52.36", parsed));
	CHECK(!config_bbox("10.40,52.18,10.72", parsed));
	CHECK(!config_bbox("10.40,52.18,10.72,52.36,1", parsed));
	CHECK(!config_bbox("a,b,c,d", parsed));
}

static void
cursors(void)
{
	long long	a, b;

	CHECK(validate_cursor("n.1763784034325101.42", 'n', &a, &b));
	CHECK(a == 1763784034325101LL && b == 42);
	CHECK(validate_cursor("s.0.7", 's', &a, &b) && a == 0 && b == 7);
	CHECK(!validate_cursor("s.0.7", 'n', &a, &b));
	CHECK(!validate_cursor("n.1.0", 'n', &a, &b));
	CHECK(!validate_cursor("n.-1.5", 'n', &a, &b));
	CHECK(!validate_cursor("n.1.5x", 'n', &a, &b));
	CHECK(!validate_cursor("n.1", 'n', &a, &b));
	CHECK(!validate_cursor("n..5", 'n', &a, &b));
	CHECK(!validate_cursor("n.99999999999999999999.5", 'n', &a, &b));
	CHECK(!validate_cursor("", 'n', &a, &b));
}

static void
age_bands(void)
{
	CHECK(validate_age_band("under-18"));
	CHECK(validate_age_band("18-29"));
	CHECK(validate_age_band("80-plus"));
	CHECK(!validate_age_band(NULL));
	CHECK(!validate_age_band(""));
	CHECK(!validate_age_band("18-30"));
	CHECK(!validate_age_band("80-PLUS"));
	CHECK(!validate_age_band("18-29 "));
	CHECK(!validate_age_band("none"));
}

UNIT_SUITE(validate_tests) = {
	{ "validate: texts in characters, trimmed, single-line", texts },
	{ "validate: no text-direction controls", bidi_controls },
	{ "validate: decimals as people type them", numbers },
	{ "validate: points in the bounding box", points },
	{ "validate: pagination cursors", cursors },
	{ "validate: the inclusion monitor's age bands, exactly", age_bands },
	{ NULL, NULL }
};
