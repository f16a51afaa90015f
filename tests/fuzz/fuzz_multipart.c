/*
 * multipart_parse takes any body under a fixed boundary.  Invariants: it
 * accepts or names a field and a status (400, 422); every upload lies
 * within the body; every field is valid UTF-8 text without NUL.
 */

#include "mitwirken.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct param_set	*form;
	struct uploads		files;
	struct field_errors	fe;
	int			i, status;

	form = calloc(1, sizeof(*form));
	FUZZ_ASSERT(form != NULL);
	memset(&files, 0, sizeof(files));
	memset(&fe, 0, sizeof(fe));
	status = multipart_parse(data, size, "xYz", form, &files, &fe);
	FUZZ_ASSERT(status == 0 || status == 400 || status == 422);
	FUZZ_ASSERT(status == 0 || fe.count > 0);
	FUZZ_ASSERT(files.count >= 0 && files.count <= UPLOADS_MAX);
	for (i = 0; i < files.count; i++) {
		FUZZ_ASSERT(files.items[i].data >= data &&
		    files.items[i].data + files.items[i].len <= data + size);
		FUZZ_ASSERT(files.items[i].field[0] != '\0');
	}
	for (i = 0; i < form->count; i++)
		FUZZ_ASSERT(utf8_valid_text(form->items[i].value,
		    strlen(form->items[i].value)));
	params_free(form);
	free(form);
	return (0);
}
