/*
 * image.c: content sniffing, header limits, and what survives the
 * re-encoding (pixels, upright) and what does not (metadata, polyglot
 * tails).  Metadata is checked twice: by the bytes, and by exiftool, a
 * reader that is not the code under test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mitwirken.h"
#include "unit.h"
#include "images.h"

#define MiB	(1024L * 1024)

static const struct image_limits	defaults;

static int
contains(const unsigned char *p, size_t len, const void *needle, size_t n)
{
	size_t	i;

	for (i = 0; i + n <= len; i++) {
		if (memcmp(p + i, needle, n) == 0)
			return (1);
	}
	return (0);
}

static uint32_t
crc(const unsigned char *p, size_t len)
{
	uint32_t	c = 0xffffffffu;
	size_t		i;
	int		k;

	for (i = 0; i < len; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
	}
	return (~c);
}

static void
be32put(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG whose IHDR claims w x h, with a correct CRC: a pixel flood. */
static unsigned char *
png_claiming(uint32_t w, uint32_t h, size_t *len)
{
	unsigned char	*p;

	p = img_png(8, 8, "zeros", 0, len);
	be32put(p + 16, w);
	be32put(p + 20, h);
	be32put(p + 29, crc(p + 12, 17));
	return (p);
}

/* A JPEG whose frame header claims w x h. */
static unsigned char *
jpeg_claiming(unsigned w, unsigned h, size_t *len)
{
	unsigned char	*p;
	size_t		i;

	p = img_jpeg(16, 16, "quad", 90, 0, len);
	for (i = 2; i + 9 < *len; i++) {
		if (p[i] == 0xff && p[i + 1] == 0xc0) {
			p[i + 5] = (unsigned char)(h >> 8);
			p[i + 6] = (unsigned char)h;
			p[i + 7] = (unsigned char)(w >> 8);
			p[i + 8] = (unsigned char)w;
			break;
		}
	}
	return (p);
}

static enum image_verdict
inspected(const void *p, size_t len, long max_bytes, long max_pixels,
    const char *want)
{
	struct image_info	info;
	const char		*why;

	why = image_inspect(p, len, max_bytes, max_pixels, &info);
	if (want == NULL)
		CHECK(why == NULL);
	else
		CHECK_STR(why, want);
	return (info.verdict);
}

static void
inspect_kinds(void)
{
	struct image_info	info;
	unsigned char		*p;
	size_t			len;

	p = img_jpeg(40, 30, "quad", 90, 0, &len);
	CHECK(image_inspect(p, len, 10 * MiB, 40000000, &info) == NULL);
	CHECK(info.kind == IMAGE_JPEG && info.width == 40 &&
	    info.height == 30);
	free(p);
	p = img_jpeg(40, 30, "quad", 90, IMG_PROGRESSIVE, &len);
	CHECK(image_inspect(p, len, 10 * MiB, 40000000, &info) == NULL);
	CHECK(info.kind == IMAGE_JPEG && info.width == 40);
	free(p);
	p = img_png(41, 31, "quad", IMG_ALPHA, &len);
	CHECK(image_inspect(p, len, 10 * MiB, 40000000, &info) == NULL);
	CHECK(info.kind == IMAGE_PNG && info.width == 41 &&
	    info.height == 31);
	free(p);
}

static void
inspect_wrong_type(void)
{
	static const char	gif[] = "GIF89a\x01\0\x01\0\x80\0\0";
	static const char	webp[] = "RIFF\x24\0\0\0WEBPVP8 ";
	static const char	svg[] = "<svg xmlns=\"http://www.w3.org/2000/"
	    "svg\"><script>alert(1)</script></svg>";
	static const char	html[] = "<html><body>x</body></html>";
	const char		*want = "is not a JPEG or PNG image";

	CHECK(inspected(gif, sizeof(gif) - 1, MiB, 1000000, want) ==
	    IMAGE_WRONG_TYPE);
	CHECK(inspected(webp, sizeof(webp) - 1, MiB, 1000000, want) ==
	    IMAGE_WRONG_TYPE);
	CHECK(inspected(svg, sizeof(svg) - 1, MiB, 1000000, want) ==
	    IMAGE_WRONG_TYPE);
	CHECK(inspected(html, sizeof(html) - 1, MiB, 1000000, want) ==
	    IMAGE_WRONG_TYPE);
	CHECK(inspected("", 0, MiB, 1000000, want) == IMAGE_WRONG_TYPE);
	CHECK(inspected("\xff\xd8", 2, MiB, 1000000, want) ==
	    IMAGE_WRONG_TYPE);
	CHECK(image_http_status(IMAGE_WRONG_TYPE) == 415);
}

static void
inspect_limits(void)
{
	unsigned char	*p;
	size_t		len;

	p = img_jpeg(64, 64, "noise", 95, 0, &len);
	CHECK(len > 4096);
	CHECK(inspected(p, len, 4096, 1000000, "is larger than 4 KB") ==
	    IMAGE_TOO_BIG);
	CHECK(inspected(p, len, (long)len, 1000000, NULL) == IMAGE_OK);
	CHECK(inspected(p, len, 10 * MiB, 4095, "has more than 4095 pixels")
	    == IMAGE_TOO_MANY_PIXELS);
	CHECK(inspected(p, len, 10 * MiB, 4096, NULL) == IMAGE_OK);
	free(p);
	p = png_claiming(30000, 30000, &len);
	CHECK(inspected(p, len, 10 * MiB, 40000000,
	    "has more than 40 megapixels") == IMAGE_TOO_MANY_PIXELS);
	free(p);
	p = jpeg_claiming(30000, 30000, &len);
	CHECK(inspected(p, len, 10 * MiB, 40000000,
	    "has more than 40 megapixels") == IMAGE_TOO_MANY_PIXELS);
	free(p);
	/* Within the pixel count, but an edge no decoder should take. */
	p = png_claiming(100000, 1, &len);
	CHECK(inspected(p, len, 10 * MiB, 40000000,
	    "is wider or taller than 65535 pixels") ==
	    IMAGE_TOO_MANY_PIXELS);
	free(p);
	p = png_claiming(0x80000000u, 1, &len);
	CHECK(inspected(p, len, 10 * MiB, 40000000,
	    "is damaged or truncated") == IMAGE_DAMAGED);
	free(p);
	CHECK(image_http_status(IMAGE_TOO_BIG) == 413);
	CHECK(image_http_status(IMAGE_TOO_MANY_PIXELS) == 422);
	CHECK(image_http_status(IMAGE_DAMAGED) == 422);
}

static void
inspect_damaged(void)
{
	static const char	fake_png[] = "\x89PNG\r\n\x1a\n<html><script>"
	    "alert(1)</script></html>";
	const char		*want = "is damaged or truncated";
	unsigned char		*p;
	size_t			len, cut;

	p = img_jpeg(40, 30, "quad", 90, 0, &len);
	/* Cut inside the headers: before the frame header is complete. */
	for (cut = 3; cut < 40; cut++)
		CHECK(inspected(p, cut, MiB, 1000000, want) == IMAGE_DAMAGED);
	free(p);
	p = png_claiming(10, 10, &len);
	p[29] ^= 1;	/* IHDR's CRC */
	CHECK(inspected(p, len, MiB, 1000000, want) == IMAGE_DAMAGED);
	CHECK(inspected(p, 20, MiB, 1000000, want) == IMAGE_DAMAGED);
	free(p);
	CHECK(inspected(fake_png, sizeof(fake_png) - 1, MiB, 1000000, want) ==
	    IMAGE_DAMAGED);
}

/* Lossless JPEG (SOF3): libjpeg-turbo 2.1 cannot decode it. */
static void
inspect_unreadable_jpeg(void)
{
	unsigned char	*p;
	size_t		len, i;

	p = img_jpeg(16, 16, "quad", 90, 0, &len);
	for (i = 2; i + 1 < len; i++) {
		if (p[i] == 0xff && p[i + 1] == 0xc0) {
			p[i + 1] = 0xc3;
			break;
		}
	}
	CHECK(inspected(p, len, MiB, 1000000, "is a kind of JPEG that cannot "
	    "be read (lossless, hierarchical or 12-bit)") == IMAGE_WRONG_TYPE);
	free(p);
}

/* The APPn markers of a JPEG, up to its first scan. */
static int
only_jfif(const unsigned char *p, size_t len)
{
	size_t		pos = 2, seg;
	unsigned	m;

	while (pos + 4 <= len && p[pos] == 0xff) {
		m = p[pos + 1];
		seg = (size_t)p[pos + 2] << 8 | p[pos + 3];
		if (m == 0xda)
			return (1);
		if ((m >= 0xe1 && m <= 0xef) || m == 0xfe)
			return (0);
		if (m == 0xe0 && (seg < 7 || memcmp(p + pos + 4, "JFIF\0", 5)))
			return (0);
		pos += 2 + seg;
	}
	return (0);
}

static void
exif_bytes_gone(void)
{
	struct image_out	out;
	unsigned char		*plain, *meta;
	size_t			plen, mlen;
	char			err[128];

	plain = img_jpeg(64, 48, "quad", 90, 0, &plen);
	meta = img_with_metadata(plain, plen, 1, &mlen);
	/* What a phone sends carries it all: the test could fail. */
	CHECK(contains(meta, mlen, "Exif\0\0", 6));
	CHECK(contains(meta, mlen, "http://ns.adobe.com/xap", 23));
	CHECK(contains(meta, mlen, "ICC_PROFILE", 11));
	CHECK(contains(meta, mlen, "\xff\xfe", 2));
	CHECK(!only_jfif(meta, mlen));
	CHECK(image_process(meta, mlen, &defaults, &out, err, sizeof(err)));
	CHECK(out.photo != NULL && out.thumb != NULL);
	CHECK(!contains(out.photo, out.photo_len, "Exif", 4));
	CHECK(!contains(out.photo, out.photo_len, "GPS", 3));
	CHECK(!contains(out.photo, out.photo_len, "http://ns.adobe.com/xap",
	    23));
	CHECK(!contains(out.photo, out.photo_len, "ICC_PROFILE", 11));
	CHECK(!contains(out.photo, out.photo_len, "\xff\xfe", 2));
	CHECK(!contains(out.photo, out.photo_len, "Musterstrasse", 13));
	CHECK(only_jfif(out.photo, out.photo_len));
	CHECK(only_jfif(out.thumb, out.thumb_len));
	CHECK(out.width == 64 && out.height == 48);
	image_out_free(&out);
	free(plain);
	free(meta);
}

static int
write_file(const char *path, const void *p, size_t len)
{
	FILE	*f;
	int	ok;

	if ((f = fopen(path, "wb")) == NULL)
		return (0);
	ok = fwrite(p, 1, len, f) == len;
	return (fclose(f) == 0 && ok);
}

/* exiftool's JSON for the file (groups named: "EXIF:GPSLatitude"). */
static char *
exiftool(const void *p, size_t len)
{
	char	path[] = "/tmp/mw-image-XXXXXX", cmd[128], *out;
	FILE	*f;
	size_t	n;
	int	fd;

	if ((fd = mkstemp(path)) < 0)
		return (NULL);
	close(fd);
	out = NULL;
	if (write_file(path, p, len)) {
		(void)snprintf(cmd, sizeof(cmd), "exiftool -j -G %s 2>&1",
		    path);
		if ((f = popen(cmd, "r")) != NULL) {
			out = calloc(1, 65536);
			n = fread(out, 1, 65535, f);
			out[n] = '\0';
			if (pclose(f) != 0 || n == 0) {
				free(out);
				out = NULL;
			}
		}
	}
	unlink(path);
	return (out);
}

static void
exif_gone_by_exiftool(void)
{
	struct image_out	out;
	unsigned char		*plain, *meta;
	size_t			plen, mlen;
	char			err[128], *before, *after;

	plain = img_jpeg(64, 48, "quad", 90, 0, &plen);
	meta = img_with_metadata(plain, plen, 6, &mlen);
	CHECK(image_process(meta, mlen, &defaults, &out, err, sizeof(err)));
	before = exiftool(meta, mlen);
	after = exiftool(out.photo, out.photo_len);
	if (before == NULL || after == NULL)
		fprintf(stderr, "  exiftool missing: apt-get install "
		    "libimage-exiftool-perl (make test does)\n");
	CHECK(before != NULL && after != NULL);
	if (before != NULL && after != NULL) {
		CHECK(strstr(before, "\"EXIF:GPSLatitude\"") != NULL);
		CHECK(strstr(before, "\"EXIF:Orientation\"") != NULL);
		CHECK(strstr(before, "\"XMP") != NULL);
		CHECK(strstr(before, "\"File:Comment\"") != NULL);
		CHECK(strstr(after, "\"JFIF:JFIFVersion\"") != NULL);
		CHECK(strstr(after, "GPS") == NULL);
		CHECK(strstr(after, "\"EXIF:") == NULL);
		CHECK(strstr(after, "\"XMP") == NULL);
		CHECK(strstr(after, "\"ICC") == NULL);
		CHECK(strstr(after, "Comment") == NULL);
		CHECK(strstr(after, "Orientation") == NULL);
	}
	free(before);
	free(after);
	image_out_free(&out);
	free(plain);
	free(meta);
}

/* The pixel at (x, y) is near the colour r, g, b. */
static int
near(const unsigned char *rgb, unsigned w, unsigned x, unsigned y,
    int r, int g, int b)
{
	const unsigned char	*p = rgb + ((size_t)y * w + x) * 3;

	return (abs(p[0] - r) < 48 && abs(p[1] - g) < 48 &&
	    abs(p[2] - b) < 48);
}

/*
 * Orientation 6: the stored pixels are shown turned 90 degrees clockwise.
 * The stored top left (red) lands top right, bottom left (blue) top left.
 */
static void
orientation_applied(void)
{
	struct image_out	out;
	unsigned char		*plain, *meta, *rgb;
	unsigned		w, h;
	size_t			plen, mlen;
	char			err[128];

	plain = img_jpeg(64, 48, "quad", 95, 0, &plen);
	meta = img_with_metadata(plain, plen, 6, &mlen);
	CHECK(image_process(meta, mlen, &defaults, &out, err, sizeof(err)));
	CHECK(out.width == 48 && out.height == 64);
	CHECK(out.thumb_width == 48 && out.thumb_height == 64);
	rgb = img_decode(out.photo, out.photo_len, &w, &h);
	CHECK(w == 48 && h == 64);
	CHECK(near(rgb, w, 44, 4, 255, 0, 0));		/* red: top right */
	CHECK(near(rgb, w, 4, 4, 0, 0, 255));		/* blue: top left */
	CHECK(near(rgb, w, 44, 60, 0, 255, 0));		/* green */
	CHECK(near(rgb, w, 4, 60, 255, 255, 255));	/* white */
	free(rgb);
	image_out_free(&out);
	free(meta);
	/* Orientation 3: upside down. */
	meta = img_with_metadata(plain, plen, 3, &mlen);
	CHECK(image_process(meta, mlen, &defaults, &out, err, sizeof(err)));
	CHECK(out.width == 64 && out.height == 48);
	rgb = img_decode(out.photo, out.photo_len, &w, &h);
	CHECK(near(rgb, w, 60, 44, 255, 0, 0));
	CHECK(near(rgb, w, 4, 4, 255, 255, 255));
	free(rgb);
	image_out_free(&out);
	free(meta);
	free(plain);
}

static void
polyglot_tail_dropped(void)
{
	static const char	zip[] = "PK\x03\x04\x14\0\0\0\0\0payload.php"
	    "<?php system($_GET['c']); ?>PK\x05\x06";
	static const char	html[] = "<html><script>alert(document."
	    "cookie)</script></html>";
	struct image_out	out;
	unsigned char		*img, *poly;
	size_t			ilen, plen;
	char			err[128];

	img = img_jpeg(32, 32, "quad", 90, 0, &ilen);
	poly = img_concat(img, ilen, zip, sizeof(zip) - 1, &plen);
	CHECK(contains(poly, plen, "PK\x03\x04", 4));
	CHECK(image_process(poly, plen, &defaults, &out, err, sizeof(err)));
	CHECK(!contains(out.photo, out.photo_len, "PK\x03\x04", 4));
	CHECK(!contains(out.photo, out.photo_len, "<?php", 5));
	CHECK(out.photo_len < plen + 4096);
	image_out_free(&out);
	free(poly);
	free(img);
	img = img_png(32, 32, "quad", 0, &ilen);
	poly = img_concat(img, ilen, html, sizeof(html) - 1, &plen);
	CHECK(image_process(poly, plen, &defaults, &out, err, sizeof(err)));
	CHECK(!contains(out.photo, out.photo_len, "<script", 7));
	CHECK(!contains(out.thumb, out.thumb_len, "<script", 7));
	CHECK(out.photo[0] == 0xff && out.photo[1] == 0xd8);
	image_out_free(&out);
	free(poly);
	free(img);
}

/* PNG kinds, each to RGB: transparency composited on white. */
static void
png_kinds(void)
{
	static const int	kinds[] = { 0, IMG_ALPHA, IMG_16BIT,
	    IMG_16BIT | IMG_ALPHA, IMG_PALETTE, IMG_INTERLACE, IMG_GRAY };
	struct image_out	out;
	unsigned char		*img, *rgb;
	unsigned		w, h, i;
	size_t			len;
	char			err[128];

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		img = img_png(40, 40, "quad", kinds[i], &len);
		CHECK(image_process(img, len, &defaults, &out, err,
		    sizeof(err)));
		CHECK(out.width == 40 && out.height == 40);
		rgb = img_decode(out.photo, out.photo_len, &w, &h);
		if (kinds[i] & IMG_ALPHA) {
			CHECK(near(rgb, w, 4, 4, 255, 0, 0));
			/* green, but transparent: white */
			CHECK(near(rgb, w, 36, 4, 255, 255, 255));
		} else if (kinds[i] & IMG_GRAY) {
			CHECK(near(rgb, w, 4, 36, 0, 0, 0));
			CHECK(near(rgb, w, 36, 36, 255, 255, 255));
		} else {
			CHECK(near(rgb, w, 4, 4, 255, 0, 0));
			CHECK(near(rgb, w, 36, 4, 0, 255, 0));
			CHECK(near(rgb, w, 4, 36, 0, 0, 255));
		}
		free(rgb);
		image_out_free(&out);
		free(img);
	}
}

static void
jpeg_kinds(void)
{
	static const int	kinds[] = { IMG_PROGRESSIVE, IMG_GRAY,
	    IMG_CMYK };
	struct image_out	out;
	unsigned char		*img, *rgb;
	unsigned		w, h, i;
	size_t			len;
	char			err[128];

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		img = img_jpeg(40, 40, "quad", 95, kinds[i], &len);
		CHECK(image_process(img, len, &defaults, &out, err,
		    sizeof(err)));
		rgb = img_decode(out.photo, out.photo_len, &w, &h);
		CHECK(w == 40 && h == 40);
		if (kinds[i] == IMG_GRAY) {
			CHECK(near(rgb, w, 36, 36, 255, 255, 255));
		} else {
			CHECK(near(rgb, w, 4, 4, 255, 0, 0));
			CHECK(near(rgb, w, 4, 36, 0, 0, 255));
		}
		free(rgb);
		image_out_free(&out);
		free(img);
	}
}

static void
sizes(void)
{
	struct image_limits	lim = { 0, 0, 500, 100, 80 };
	struct image_out	out;
	unsigned char		*img;
	size_t			len;
	char			err[128];

	img = img_jpeg(3000, 2000, "quad", 80, 0, &len);
	CHECK(image_process(img, len, &defaults, &out, err, sizeof(err)));
	CHECK(out.width == 2048 && out.height == 1365);
	CHECK(out.thumb_width == 320 && out.thumb_height == 213);
	image_out_free(&out);
	CHECK(image_process(img, len, &lim, &out, err, sizeof(err)));
	CHECK(out.width == 500 && out.height == 333);
	CHECK(out.thumb_width == 100 && out.thumb_height == 67);
	image_out_free(&out);
	free(img);
	/* Never enlarged. */
	img = img_png(100, 50, "quad", 0, &len);
	CHECK(image_process(img, len, &defaults, &out, err, sizeof(err)));
	CHECK(out.width == 100 && out.height == 50);
	CHECK(out.thumb_width == 100 && out.thumb_height == 50);
	image_out_free(&out);
	free(img);
	/* A PNG shrunk while it is read; a sliver keeps one pixel. */
	img = img_png(5000, 4, "quad", 0, &len);
	CHECK(image_process(img, len, &defaults, &out, err, sizeof(err)));
	CHECK(out.width == 2048 && out.height == 2);
	CHECK(out.thumb_width == 320 && out.thumb_height == 1);
	image_out_free(&out);
	free(img);
}

static void
truncated(void)
{
	static const int	jpeg_kinds[] = { 0, IMG_PROGRESSIVE };
	struct image_out	out;
	unsigned char		*img;
	size_t			len, cut;
	char			err[128];
	unsigned		i;

	for (i = 0; i < 2; i++) {
		img = img_jpeg(200, 200, "noise", 90, jpeg_kinds[i], &len);
		for (cut = len / 4; cut < len - 2; cut += len / 4) {
			CHECK(!image_process(img, cut, &defaults, &out, err,
			    sizeof(err)));
			CHECK_STR(err, "is damaged or truncated");
			CHECK(out.verdict == IMAGE_DAMAGED);
			CHECK(out.photo == NULL && out.thumb == NULL);
		}
		free(img);
	}
	img = img_png(200, 200, "noise", 0, &len);
	CHECK(!image_process(img, len / 2, &defaults, &out, err,
	    sizeof(err)));
	CHECK_STR(err, "is damaged or truncated");
	CHECK(out.verdict == IMAGE_DAMAGED);
	/* A corrupt byte in the compressed data. */
	img[len / 2] ^= 0x55;
	img[len / 2 + 1] ^= 0xaa;
	CHECK(!image_process(img, len, &defaults, &out, err, sizeof(err)));
	free(img);
}

/*
 * A deflate bomb: 2000 x 2000 black pixels compress to a few KB.  Under
 * the limit it is decoded row by row; over it, refused by its header.
 */
static void
bomb(void)
{
	struct image_limits	lim = { 0, 1000000, 0, 0, 0 };
	struct image_out	out;
	unsigned char		*img;
	size_t			len;
	char			err[128];

	img = img_png(2000, 2000, "zeros", 0, &len);
	CHECK(len < 64 * 1024);
	CHECK(!image_process(img, len, &lim, &out, err, sizeof(err)));
	CHECK_STR(err, "has more than 1 megapixels");
	CHECK(out.verdict == IMAGE_TOO_MANY_PIXELS);
	CHECK(image_process(img, len, &defaults, &out, err, sizeof(err)));
	CHECK(out.width == 2000 && out.height == 2000);
	image_out_free(&out);
	free(img);
}

/* Mean absolute difference of two pictures inside or outside a box. */
static double
diff(const unsigned char *a, const unsigned char *b, unsigned w, unsigned h,
    unsigned x0, unsigned y0, unsigned x1, unsigned y1, int inside)
{
	unsigned	x, y, c;
	double		sum = 0;
	long		n = 0;
	int		in;

	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			in = x >= x0 && x < x1 && y >= y0 && y < y1;
			if (in != inside)
				continue;
			for (c = 0; c < 3; c++)
				sum += abs(a[(y * w + x) * 3 + c] -
				    b[(y * w + x) * 3 + c]);
			n += 3;
		}
	}
	return (n ? sum / (double)n : 0);
}

static void
blur(void)
{
	struct image_rect	area = { 0.25, 0.25, 0.25, 0.25 };
	struct image_rect	bad[] = {
		{ -0.1, 0, 0.5, 0.5 }, { 0.8, 0, 0.5, 0.5 }, { 0, 0, 0, 0.5 },
		{ 0.0 / 0.0, 0, 0.5, 0.5 }
	};
	struct image_out	out, blurred;
	unsigned char		*img, *a, *b;
	unsigned		w, h, i;
	size_t			len;
	char			err[128];

	img = img_png(256, 256, "noise", 0, &len);
	CHECK(image_process(img, len, &defaults, &out, err, sizeof(err)));
	CHECK(image_blur(out.photo, out.photo_len, &area, 1, &blurred, err,
	    sizeof(err)));
	CHECK(blurred.width == 256 && blurred.height == 256);
	CHECK(blurred.thumb_width == 256);
	a = img_decode(out.photo, out.photo_len, &w, &h);
	b = img_decode(blurred.photo, blurred.photo_len, &w, &h);
	/* Inside: the noise is gone.  Outside (and 8 px of JPEG blocks
	 * around it): the photo as it was, but for re-encoding. */
	CHECK(diff(a, b, w, h, 64, 64, 128, 128, 1) > 40);
	CHECK(diff(a, b, w, h, 56, 56, 136, 136, 0) < 8);
	free(a);
	free(b);
	image_out_free(&blurred);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(!image_blur(out.photo, out.photo_len, &bad[i], 1,
		    &blurred, err, sizeof(err)));
		CHECK_STR(err, "must be 1 to 16 areas inside the photo");
		CHECK(!image_rects_valid(&bad[i], 1));
	}
	CHECK(!image_blur(out.photo, out.photo_len, &area, 0, &blurred, err,
	    sizeof(err)));
	CHECK(image_rects_valid(&area, 1) && !image_rects_valid(&area, 0) &&
	    !image_rects_valid(&area, IMAGE_RECTS_MAX + 1));
	CHECK(!image_blur("GIF89a", 6, &area, 1, &blurred, err, sizeof(err)));
	CHECK(blurred.verdict == IMAGE_WRONG_TYPE);
	image_out_free(&out);
	free(img);
}

UNIT_SUITE(image_tests) = {
	{ "image: inspect JPEG and PNG", inspect_kinds },
	{ "image: inspect refuses GIF, WebP, SVG, HTML", inspect_wrong_type },
	{ "image: inspect byte and pixel limits, floods", inspect_limits },
	{ "image: inspect damaged headers", inspect_damaged },
	{ "image: inspect lossless JPEG", inspect_unreadable_jpeg },
	{ "image: process drops EXIF, GPS, XMP, ICC, COM", exif_bytes_gone },
	{ "image: exiftool finds no metadata", exif_gone_by_exiftool },
	{ "image: process applies the orientation", orientation_applied },
	{ "image: polyglot tails are not carried", polyglot_tail_dropped },
	{ "image: PNG alpha, 16-bit, palette, interlaced", png_kinds },
	{ "image: JPEG progressive, grey, CMYK", jpeg_kinds },
	{ "image: photo and thumbnail sizes", sizes },
	{ "image: truncated and corrupt files fail", truncated },
	{ "image: deflate bomb", bomb },
	{ "image: blur pixelates only its area", blur },
	{ NULL, NULL }
};
