#include <stdlib.h>

#include "mitwirken.h"
#include "unit.h"

static void
append_grows(void)
{
	struct strbuf	b;
	int		i;

	strbuf_init(&b, 1);
	for (i = 0; i < 1000; i++)
		strbuf_appendf(&b, "%d,", i % 10);
	CHECK(b.len == 2000);
	CHECK(b.data[b.len] == '\0');
	CHECK(strncmp(b.data, "0,1,2,", 6) == 0);
	strbuf_free(&b);
}

static void
reset_and_steal(void)
{
	struct strbuf	b;
	char		*p;

	strbuf_init(&b, 8);
	strbuf_appends(&b, "hello");
	strbuf_reset(&b);
	CHECK(b.len == 0);
	strbuf_append(&b, "a\0b", 3);
	CHECK(b.len == 3 && b.data[1] == '\0' && b.data[2] == 'b');
	p = strbuf_steal(&b);
	CHECK(b.data == NULL && p[0] == 'a');
	free(p);
}

UNIT_SUITE(strbuf_tests) = {
	{ "strbuf: append grows", append_grows },
	{ "strbuf: reset and steal", reset_and_steal },
	{ NULL, NULL }
};
