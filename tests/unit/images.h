/*
 * Test images made in memory (tests/unit/images.c): the unit tests and
 * the fixture program tests/tools/imagegen.c use the same ones.
 *
 * Patterns: "quad" (top left red, top right green, bottom left blue,
 * bottom right white: where a corner lands shows a rotation), "noise"
 * (reproducible pseudo-random pixels that compress badly: large files),
 * "zeros" (black: compresses to almost nothing, a deflate bomb).
 */

#ifndef IMAGES_H
#define IMAGES_H

#include <stddef.h>

#define IMG_PROGRESSIVE	0x01	/* JPEG */
#define IMG_GRAY	0x02
#define IMG_CMYK	0x04	/* JPEG, written as Adobe CMYK */
#define IMG_16BIT	0x08	/* PNG */
#define IMG_ALPHA	0x10	/* PNG: the right half is fully transparent */
#define IMG_PALETTE	0x20	/* PNG */
#define IMG_INTERLACE	0x40	/* PNG, Adam7 */

void		img_pixel(const char *, unsigned, unsigned, unsigned, unsigned,
		    unsigned char *);
unsigned char	*img_jpeg(unsigned, unsigned, const char *, int, int,
		    size_t *);
unsigned char	*img_png(unsigned, unsigned, const char *, int, size_t *);
unsigned char	*img_with_metadata(const unsigned char *, size_t, int,
		    size_t *);
unsigned char	*img_decode(const unsigned char *, size_t, unsigned *,
		    unsigned *);
unsigned char	*img_concat(const unsigned char *, size_t, const void *,
		    size_t, size_t *);

#endif
