/* multipart.c: multipart/form-data bodies. */
#include <string.h>

#include "mitwirken.h"
#include "unit.h"

#define B	"----mwBoundary7MA4YWxk"
#define PART(name)	"--" B "\r\nContent-Disposition: form-data; " \
			    "name=\"" name "\"\r\n\r\n"
#define FILE_PART(name, fname)	"--" B "\r\nContent-Disposition: " \
			    "form-data; name=\"" name "\"; filename=\"" \
			    fname "\"\r\nContent-Type: text/plain\r\n\r\n"
#define END		"\r\n--" B "--\r\n"
/* Binary, with CRLFs and a prefix of the boundary: all of it is data. */
#define FILE_DATA	"\xff\xd8\xff\r\n------mwBoundary\0\r\n\r\n"

static int
parse(const char *body, size_t len, struct param_set *form,
    struct uploads *files, struct field_errors *fe)
{
	memset(form, 0, sizeof(*form));
	memset(files, 0, sizeof(*files));
	memset(fe, 0, sizeof(*fe));
	return (multipart_parse(body, len, B, form, files, fe));
}

static void
boundary(void)
{
	char	b[80];

	CHECK(multipart_boundary("multipart/form-data; boundary=" B, b,
	    sizeof(b)));
	CHECK_STR(b, B);
	CHECK(multipart_boundary("Multipart/Form-Data; charset=utf-8; "
	    "boundary=\"a b'c\"", b, sizeof(b)) == MW_ERROR);
	CHECK(multipart_boundary("multipart/form-data;boundary=\"abc\"", b,
	    sizeof(b)));
	CHECK_STR(b, "abc");
	CHECK(!multipart_boundary("multipart/form-data", b, sizeof(b)));
	CHECK(!multipart_boundary("multipart/form-data; boundary=", b,
	    sizeof(b)));
	CHECK(!multipart_boundary("multipart/mixed; boundary=abc", b,
	    sizeof(b)));
	CHECK(!multipart_boundary("multipart/form-data; boundary=a<b", b,
	    sizeof(b)));
	CHECK(!multipart_boundary("multipart/form-data; boundary=aaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    b, sizeof(b)));
	CHECK(!multipart_boundary("multipart/form-data; boundary=\"abc", b,
	    sizeof(b)));
}

static void
fields_and_files(void)
{
	static const char	body[] = "preamble to ignore\r\n"
	    PART("description") "Schlagloch vor\r\nHaus 3 \xc3\xa4" "\r\n"
	    FILE_PART("photo", "x.txt") FILE_DATA
	    "\r\n" FILE_PART("empty", "") "\r\n"
	    "--" B "\r\nContent-Disposition: form-data; "
	    "name=\"a;b\"\r\n\r\nv" END "epilogue";
	struct param_set	form;
	struct uploads		files;
	struct field_errors	fe;

	CHECK(parse(body, sizeof(body) - 1, &form, &files, &fe) == 0);
	CHECK_STR(params_get(&form, "description"),
	    "Schlagloch vor\r\nHaus 3 \xc3\xa4");
	CHECK_STR(params_get(&form, "a;b"), "v");
	CHECK(form.count == 2);
	/* The empty file input is no upload; the file keeps every byte. */
	CHECK(files.count == 1);
	CHECK_STR(files.items[0].field, "photo");
	CHECK(files.items[0].len == sizeof(FILE_DATA) - 1);
	CHECK(memcmp(files.items[0].data, FILE_DATA, sizeof(FILE_DATA) - 1) ==
	    0);
	params_free(&form);
}

static void
too_many_files(void)
{
	static const char	body[] = FILE_PART("p", "1") "a\r\n"
	    FILE_PART("p", "2") "b\r\n" FILE_PART("p", "3") "c\r\n"
	    FILE_PART("q", "4") "d" END;
	static const char	three[] = FILE_PART("p", "1") "a\r\n"
	    FILE_PART("p", "2") "b\r\n" FILE_PART("p", "3") "c" END;
	struct param_set	form;
	struct uploads		files;
	struct field_errors	fe;

	CHECK(parse(body, sizeof(body) - 1, &form, &files, &fe) == 422);
	CHECK(fe.count == 1);
	CHECK_STR(fe.items[0].field, "q");
	CHECK_STR(fe.items[0].reason, "is one file too many (at most 3)");
	CHECK(parse(three, sizeof(three) - 1, &form, &files, &fe) == 0);
	CHECK(files.count == 3 && files.items[2].len == 1 &&
	    files.items[2].data[0] == 'c');
	params_free(&form);
}

static void
malformed(void)
{
	static const char *const bodies[] = {
		"",
		"no delimiter at all",
		PART("a") "never closed",
		PART("a") "x\r\n--" B,		/* no final "--" or CRLF */
		"--" B "\r\nContent-Type: text/plain\r\n\r\nx" END,
		"--" B "\r\nContent-Disposition: attachment; name=\"a\"\r\n"
		    "\r\nx" END,
		"--" B "\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n"
		    "x" END,
		"--" B "\r\nContent-Disposition: form-data; name=\"a\r\n\r\n"
		    "x" END,
		"--" B "\r\nContent-Disposition: form-data; name=\"a\"\r\n"
		    "Content-Disposition: form-data; name=\"b\"\r\n\r\nx" END,
		PART("a") "1\r\n" PART("a") "2" END,
		PART("a") "\x01" END,
		PART("a") "\xc3" END,
		PART("\xff") "x" END,
		"--" B "garbage\r\n" "Content-Disposition: form-data; "
		    "name=\"a\"\r\n\r\nx" END,
	};
	struct param_set	form;
	struct uploads		files;
	struct field_errors	fe;
	size_t			i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		if (parse(bodies[i], strlen(bodies[i]), &form, &files, &fe) !=
		    400) {
			fprintf(stderr, "  accepted malformed body %zu\n", i);
			unit_failed_checks++;
		}
		CHECK(fe.count >= 1);
		params_free(&form);
	}
	/* A NUL in a text field. */
	CHECK(parse(PART("a") "x\0y" END, sizeof(PART("a") "x\0y" END) - 1,
	    &form, &files, &fe) == 400);
	CHECK_STR(fe.items[0].field, "a");
	params_free(&form);
}

UNIT_SUITE(multipart_tests) = {
	{ "multipart: boundary from the Content-Type", boundary },
	{ "multipart: fields and files", fields_and_files },
	{ "multipart: at most 3 files", too_many_files },
	{ "multipart: malformed bodies", malformed },
	{ NULL, NULL }
};
