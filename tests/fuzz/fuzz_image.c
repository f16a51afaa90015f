/*
 * image_inspect reads hostile headers; image_process decodes what passed.
 * With small limits (64 KB, 1 MP, 256 px edges) any input must end in a
 * verdict or two small JPEGs, never a crash, a leak or a read past the
 * buffer.  Invariants: inspect and process agree on what they refuse
 * before decoding; a refused photo has no output; an accepted one is a
 * JPEG that fits the edges and passes inspect itself.
 */

#include "mitwirken.h"
#include "fuzz.h"

#define MAX_BYTES	65536
#define MAX_PIXELS	1000000

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
	static const struct image_limits	lim = { MAX_BYTES, MAX_PIXELS,
	    256, 64, 75 };
	struct image_info			info, again;
	struct image_out			out;
	const char				*why;
	char					err[128];
	int					ok;

	why = image_inspect(data, size, MAX_BYTES, MAX_PIXELS, &info);
	FUZZ_ASSERT((why == NULL) == (info.verdict == IMAGE_OK));
	FUZZ_ASSERT(why == NULL || strlen(why) > 0);
	ok = image_process(data, size, &lim, &out, err, sizeof(err));
	if (why != NULL) {
		FUZZ_ASSERT(!ok && out.verdict == info.verdict);
		FUZZ_ASSERT(strcmp(err, why) == 0);
	}
	if (!ok) {
		FUZZ_ASSERT(out.photo == NULL && out.thumb == NULL);
		FUZZ_ASSERT(out.verdict != IMAGE_OK && err[0] != '\0');
		return (0);
	}
	FUZZ_ASSERT(out.width <= 256 && out.height <= 256);
	FUZZ_ASSERT(out.thumb_width <= 64 && out.thumb_height <= 64);
	FUZZ_ASSERT(image_inspect(out.photo, out.photo_len, 1L << 30,
	    1L << 30, &again) == NULL && again.kind == IMAGE_JPEG);
	FUZZ_ASSERT(again.width == out.width && again.height == out.height);
	image_out_free(&out);
	return (0);
}
