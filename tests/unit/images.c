/*
 * Test images made in memory with libjpeg and libpng, and the metadata
 * a phone writes (EXIF with orientation and GPS, XMP, a comment, an ICC
 * profile) spliced in by hand, so the unit tests depend on no file.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "images.h"

static void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n)) == NULL)
		abort();
	return (p);
}

static const unsigned char	quad[4][3] = {
	{ 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 }, { 255, 255, 255 }
};

void
img_pixel(const char *pattern, unsigned w, unsigned h, unsigned x,
    unsigned y, unsigned char *rgb)
{
	uint32_t	v;

	if (strcmp(pattern, "zeros") == 0) {
		rgb[0] = rgb[1] = rgb[2] = 0;
	} else if (strcmp(pattern, "noise") == 0) {
		v = (x * 2654435761u) ^ (y * 2246822519u) ^ 0x9e3779b9u;
		v ^= v >> 15;
		v *= 2246822519u;
		v ^= v >> 13;
		rgb[0] = (unsigned char)v;
		rgb[1] = (unsigned char)(v >> 8);
		rgb[2] = (unsigned char)(v >> 16);
	} else {
		memcpy(rgb, quad[(y >= h / 2) * 2 + (x >= w / 2)], 3);
	}
}

unsigned char *
img_jpeg(unsigned w, unsigned h, const char *pattern, int quality, int flags,
    size_t *len)
{
	struct jpeg_compress_struct	c;
	struct jpeg_error_mgr		e;
	unsigned char			*out = NULL, *row, rgb[3];
	unsigned long			size = 0;
	unsigned			x, y, n;

	c.err = jpeg_std_error(&e);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &out, &size);
	c.image_width = w;
	c.image_height = h;
	n = flags & IMG_GRAY ? 1 : flags & IMG_CMYK ? 4 : 3;
	c.input_components = (int)n;
	c.in_color_space = n == 1 ? JCS_GRAYSCALE : n == 4 ? JCS_CMYK :
	    JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, quality, TRUE);
	if (flags & IMG_PROGRESSIVE)
		jpeg_simple_progression(&c);
	jpeg_start_compress(&c, TRUE);
	row = xmalloc((size_t)w * n);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			img_pixel(pattern, w, h, x, y, rgb);
			if (n == 1)
				row[x] = rgb[0];
			else
				memcpy(row + x * n, rgb, 3);
			/* Adobe's inverted CMYK: 255 - ink, no black ink. */
			if (n == 4)
				row[x * 4 + 3] = 255;
		}
		(void)jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	*len = size;
	return (out);
}

struct membuf {
	unsigned char	*data;
	size_t		len, cap;
};

static void
mem_write(png_structp png, png_bytep p, size_t n)
{
	struct membuf	*b = png_get_io_ptr(png);

	while (b->len + n > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4096;
		if ((b->data = realloc(b->data, b->cap)) == NULL)
			abort();
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void
mem_flush(png_structp png)
{
	(void)png;
}

static int
png_colour_type(int flags)
{
	if (flags & IMG_PALETTE)
		return (PNG_COLOR_TYPE_PALETTE);
	if (flags & IMG_GRAY)
		return (flags & IMG_ALPHA ? PNG_COLOR_TYPE_GRAY_ALPHA :
		    PNG_COLOR_TYPE_GRAY);
	return (flags & IMG_ALPHA ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB);
}

/* Palette: black, red, green, blue, white (the quad's colours). */
static const png_color	palette[5] = {
	{ 0, 0, 0 }, { 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 },
	{ 255, 255, 255 }
};

static unsigned
palette_index(const unsigned char *rgb)
{
	unsigned	i;

	for (i = 0; i < 5; i++) {
		if (palette[i].red == rgb[0] && palette[i].green == rgb[1] &&
		    palette[i].blue == rgb[2])
			return (i);
	}
	return (0);
}

/* One sample at the image's depth. */
static void
put(unsigned char **p, unsigned v, int wide)
{
	if (wide)
		*(*p)++ = (unsigned char)v;	/* v * 257: high = low */
	*(*p)++ = (unsigned char)v;
}

static void
png_fill_row(unsigned char *row, unsigned w, unsigned h, unsigned y,
    const char *pattern, int flags)
{
	unsigned char	rgb[3], *p = row;
	unsigned	x;
	int		wide = (flags & IMG_16BIT) != 0;

	for (x = 0; x < w; x++) {
		img_pixel(pattern, w, h, x, y, rgb);
		if (flags & IMG_PALETTE) {
			*p++ = (unsigned char)palette_index(rgb);
			continue;
		}
		if (flags & IMG_GRAY) {
			put(&p, rgb[0], wide);
		} else {
			put(&p, rgb[0], wide);
			put(&p, rgb[1], wide);
			put(&p, rgb[2], wide);
		}
		if (flags & IMG_ALPHA)
			put(&p, x >= w / 2 ? 0 : 255, wide);
	}
}

unsigned char *
img_png(unsigned w, unsigned h, const char *pattern, int flags, size_t *len)
{
	struct membuf	b = { NULL, 0, 0 };
	png_structp	png;
	png_infop	info;
	png_bytep	*rows;
	unsigned	y;
	size_t		stride;

	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL,
	    NULL);
	info = png_create_info_struct(png);
	if (png == NULL || info == NULL || setjmp(png_jmpbuf(png)))
		abort();
	png_set_write_fn(png, &b, mem_write, mem_flush);
	png_set_IHDR(png, info, w, h, flags & IMG_16BIT ? 16 : 8,
	    png_colour_type(flags), flags & IMG_INTERLACE ?
	    PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (flags & IMG_PALETTE)
		png_set_PLTE(png, info, palette, 5);
	png_set_compression_level(png, 9);
	png_write_info(png, info);
	stride = (size_t)w * 4 * 2;
	rows = xmalloc(sizeof(*rows) * h);
	for (y = 0; y < h; y++) {
		rows[y] = xmalloc(stride);
		png_fill_row(rows[y], w, h, y, pattern, flags);
	}
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	for (y = 0; y < h; y++)
		free(rows[y]);
	free(rows);
	*len = b.len;
	return (b.data);
}

static unsigned char *
put16(unsigned char *p, unsigned v)
{
	*p++ = (unsigned char)(v >> 8);
	*p++ = (unsigned char)v;
	return (p);
}

/* Little-endian TIFF fields for the EXIF block. */
static unsigned char *
le16(unsigned char *p, unsigned v)
{
	*p++ = (unsigned char)v;
	*p++ = (unsigned char)(v >> 8);
	return (p);
}

static unsigned char *
le32(unsigned char *p, uint32_t v)
{
	p = le16(p, v & 0xffff);
	return (le16(p, v >> 16));
}

static unsigned char *
ifd_entry(unsigned char *p, unsigned tag, unsigned type, uint32_t count,
    uint32_t value)
{
	p = le16(p, tag);
	p = le16(p, type);
	p = le32(p, count);
	return (le32(p, value));
}

/*
 * APP1 "Exif": IFD0 with Orientation and a GPS IFD pointer; the GPS IFD
 * with latitude reference and latitude 52 deg 31' 12" (Berlin).
 */
static size_t
exif_block(unsigned char *out, int orientation)
{
	unsigned char	*p = out + 4;

	memcpy(p, "Exif\0\0", 6);
	p += 6;
	memcpy(p, "II*\0", 4);
	p = le32(p + 4, 8);
	p = le16(p, 2);
	p = ifd_entry(p, 0x0112, 3, 1, (uint32_t)orientation);
	p = ifd_entry(p, 0x8825, 4, 1, 38);
	p = le32(p, 0);
	p = le16(p, 2);
	p = ifd_entry(p, 0x0001, 2, 2, 'N');
	p = ifd_entry(p, 0x0002, 5, 3, 68);
	p = le32(p, 0);
	p = le32(le32(p, 52), 1);
	p = le32(le32(p, 31), 1);
	p = le32(le32(p, 12), 1);
	out[0] = 0xff;
	out[1] = 0xe1;
	(void)put16(out + 2, (unsigned)(p - out - 2));
	return ((size_t)(p - out));
}

static size_t
segment(unsigned char *out, unsigned marker, const void *head, size_t hlen,
    const char *body)
{
	size_t	blen = strlen(body);

	out[0] = 0xff;
	out[1] = (unsigned char)marker;
	(void)put16(out + 2, (unsigned)(2 + hlen + blen));
	memcpy(out + 4, head, hlen);
	memcpy(out + 4 + hlen, body, blen);
	return (4 + hlen + blen);
}

/*
 * The JPEG with EXIF (orientation, GPS), XMP (with a GPS position too),
 * an ICC profile's APP2 and a comment right after its SOI.
 */
unsigned char *
img_with_metadata(const unsigned char *jpeg, size_t len, int orientation,
    size_t *outlen)
{
	unsigned char	*out, *p;

	out = xmalloc(len + 4096);
	memcpy(out, jpeg, 2);
	p = out + 2;
	p += exif_block(p, orientation);
	p += segment(p, 0xe1, "http://ns.adobe.com/xap/1.0/", 29,
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf="
	    "\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description"
	    " xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude="
	    "\"52,31.2N\" exif:GPSLongitude=\"13,24.6E\"/></rdf:RDF>"
	    "</x:xmpmeta>");
	p += segment(p, 0xe2, "ICC_PROFILE\0\1\1", 14, "not a real profile");
	p += segment(p, 0xfe, "", 0, "secret comment: Musterstrasse 1");
	memcpy(p, jpeg + 2, len - 2);
	*outlen = (size_t)(p - out) + len - 2;
	return (out);
}

unsigned char *
img_concat(const unsigned char *a, size_t alen, const void *b, size_t blen,
    size_t *len)
{
	unsigned char	*out;

	out = xmalloc(alen + blen);
	memcpy(out, a, alen);
	memcpy(out + alen, b, blen);
	*len = alen + blen;
	return (out);
}

/* Decodes a JPEG to RGB for checks; NULL when libjpeg cannot. */
unsigned char *
img_decode(const unsigned char *jpeg, size_t len, unsigned *w, unsigned *h)
{
	struct jpeg_decompress_struct	d;
	struct jpeg_error_mgr		e;
	unsigned char			*rgb, *row;

	d.err = jpeg_std_error(&e);
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, jpeg, (unsigned long)len);
	(void)jpeg_read_header(&d, TRUE);
	d.out_color_space = JCS_RGB;
	jpeg_start_decompress(&d);
	*w = d.output_width;
	*h = d.output_height;
	rgb = xmalloc((size_t)*w * *h * 3);
	while (d.output_scanline < d.output_height) {
		row = rgb + (size_t)d.output_scanline * *w * 3;
		(void)jpeg_read_scanlines(&d, &row, 1);
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	return (rgb);
}
