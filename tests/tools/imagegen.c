/*
 * A test tool: writes a JPEG or PNG to stdout, made by the unit tests'
 * own generator (tests/unit/images.c), for the HTTP tests' fixtures
 * (tests/http/images.mjs) and the fuzzers' seeds.
 *
 *   imagegen jpeg|png WIDTH HEIGHT quad|noise|zeros [OPTION ...]
 *
 * Options: q=N (JPEG quality), meta=N (JPEG: EXIF with orientation N and
 * GPS, XMP, ICC, a comment), progressive, gray, cmyk, 16bit, alpha,
 * palette, interlace.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/images.h"

static const struct {
	const char	*name;
	int		flag;
} options[] = {
	{ "progressive", IMG_PROGRESSIVE }, { "gray", IMG_GRAY },
	{ "cmyk", IMG_CMYK }, { "16bit", IMG_16BIT }, { "alpha", IMG_ALPHA },
	{ "palette", IMG_PALETTE }, { "interlace", IMG_INTERLACE },
};

static int
usage(void)
{
	fprintf(stderr, "usage: imagegen jpeg|png WIDTH HEIGHT "
	    "quad|noise|zeros [q=N] [meta=N] [progressive|gray|cmyk|16bit|"
	    "alpha|palette|interlace ...]\n");
	return (2);
}

int
main(int argc, char **argv)
{
	unsigned char	*img, *with;
	size_t		len, i, wlen;
	long		w, h;
	int		a, flags = 0, quality = 90, meta = 0;

	if (argc < 5)
		return (usage());
	w = strtol(argv[2], NULL, 10);
	h = strtol(argv[3], NULL, 10);
	if (w < 1 || h < 1 || w > 65535 || h > 65535)
		return (usage());
	for (a = 5; a < argc; a++) {
		if (strncmp(argv[a], "q=", 2) == 0) {
			quality = atoi(argv[a] + 2);
			continue;
		}
		if (strncmp(argv[a], "meta=", 5) == 0) {
			meta = atoi(argv[a] + 5);
			continue;
		}
		for (i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
			if (strcmp(argv[a], options[i].name) == 0)
				break;
		}
		if (i == sizeof(options) / sizeof(options[0]))
			return (usage());
		flags |= options[i].flag;
	}
	if (strcmp(argv[1], "jpeg") == 0)
		img = img_jpeg((unsigned)w, (unsigned)h, argv[4], quality,
		    flags, &len);
	else if (strcmp(argv[1], "png") == 0)
		img = img_png((unsigned)w, (unsigned)h, argv[4], flags, &len);
	else
		return (usage());
	if (meta != 0 && strcmp(argv[1], "jpeg") == 0) {
		with = img_with_metadata(img, len, meta, &wlen);
		free(img);
		img = with;
		len = wlen;
	}
	if (fwrite(img, 1, len, stdout) != len || fflush(stdout) != 0)
		return (1);
	free(img);
	return (0);
}
