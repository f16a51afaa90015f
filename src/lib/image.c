/*
 * Uploaded photos.  A photo is recognised by its content, never by its
 * name or declared type; its header alone (image_inspect) must pass the
 * byte and pixel limits before anything is decoded, so a decompression
 * bomb costs a few hundred bytes of parsing.  Then it is decoded
 * (libjpeg-turbo, libpng), turned upright (the EXIF orientation, read with
 * libexif), scaled and written anew as a baseline JPEG with a thumbnail.
 * Only pixels cross from the upload to the stored photo: every metadata
 * block (EXIF with GPS, XMP, IPTC, ICC, comments, PNG text) and whatever
 * follows the image (a ZIP or a script of a polyglot) is left behind.
 *
 * Memory stays bounded whatever the header claims: a large JPEG is decoded
 * at a reduced DCT scale, a PNG is shrunk row by row as it is read, and
 * the rows are averaged into the output (struct shrink) rather than held.
 * Nothing here prints: libjpeg's and libpng's messages are swallowed, and
 * any warning (libjpeg's "premature end of file") fails the photo.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <libexif/exif-data.h>

#include "mitwirken.h"

/* JPEG's and PNG's own ceiling; any edge beyond it is refused early. */
#define EDGE_LIMIT		65535
/* Adam7 needs the whole image in memory: interlaced PNGs up to this. */
#define INTERLACED_MAX		16000000L
/* libjpeg-turbo's advice against progressive files of endless scans. */
#define SCANS_MAX		500
/* A progressive JPEG keeps its coefficients: 40 MP need about 120 MiB. */
#define JPEG_MEMORY_MAX		(192L * 1024 * 1024)
#define PNG_CHUNK_MAX		(1024L * 1024)

static const unsigned char	png_signature[8] = {
	0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
};

static const char	*const damaged = "is damaged or truncated";
static const char	*const not_image = "is not a JPEG or PNG image";

/* An RGB picture, 3 bytes a pixel, rows packed. */
struct pix {
	unsigned	w, h;
	unsigned char	*rgb;
};

static void
pix_free(struct pix *p)
{
	free(p->rgb);
	p->rgb = NULL;
}

static void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n, size)) == NULL)
		abort();
	return (p);
}

static const char *
verdict(struct image_info *info, enum image_verdict v, const char *fmt, ...)
{
	va_list	ap;

	info->verdict = v;
	va_start(ap, fmt);
	(void)vsnprintf(info->reason, sizeof(info->reason), fmt, ap);
	va_end(ap);
	return (info->reason);
}

/* 10485760 reads "10 MB", 65536 "64 KB": the limits are configurable. */
static const char *
too_big(struct image_info *info, long max)
{
	if (max >= 1048576)
		return (verdict(info, IMAGE_TOO_BIG, "is larger than %ld MB",
		    max / 1048576));
	return (verdict(info, IMAGE_TOO_BIG, "is larger than %ld KB",
	    max / 1024));
}

static const char *
too_many_pixels(struct image_info *info, long max)
{
	if (max >= 1000000)
		return (verdict(info, IMAGE_TOO_MANY_PIXELS,
		    "has more than %ld megapixels", max / 1000000));
	return (verdict(info, IMAGE_TOO_MANY_PIXELS,
	    "has more than %ld pixels", max));
}

static unsigned
be16(const unsigned char *p)
{
	return ((unsigned)p[0] << 8 | p[1]);
}

static uint32_t
be32(const unsigned char *p)
{
	return ((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

/* CRC-32 as PNG defines it (ISO 3309), bit by bit: it runs once. */
static uint32_t
crc32_png(const unsigned char *p, size_t len)
{
	uint32_t	c = 0xffffffffu;
	size_t		i;
	int		k;

	for (i = 0; i < len; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return (c ^ 0xffffffffu);
}

/*
 * SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC
 * (CC).  libjpeg-turbo reads the 8-bit sequential and progressive kinds,
 * Huffman or arithmetic; lossless and hierarchical ones it refuses.
 */
static int
is_sof(unsigned m)
{
	return (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
	    m != 0xcc);
}

static int
sof_readable(unsigned m)
{
	return (m == 0xc0 || m == 0xc1 || m == 0xc2 || m == 0xc9 ||
	    m == 0xca);
}

/* Walks the marker segments up to the frame header, bounds checked. */
static const char *
inspect_jpeg(const unsigned char *p, size_t len, struct image_info *info)
{
	size_t		pos = 2, seg;
	unsigned	m;

	for (;;) {
		if (pos >= len || p[pos] != 0xff)
			return (verdict(info, IMAGE_DAMAGED, "%s", damaged));
		while (pos < len && p[pos] == 0xff)
			pos++;
		if (pos >= len)
			return (verdict(info, IMAGE_DAMAGED, "%s", damaged));
		m = p[pos++];
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			continue;
		/* SOI again, EOI or the scan before any frame header. */
		if (m == 0xd8 || m == 0xd9 || m == 0xda || m == 0x00 ||
		    pos + 2 > len)
			return (verdict(info, IMAGE_DAMAGED, "%s", damaged));
		seg = be16(p + pos);
		if (seg < 2 || seg > len - pos)
			return (verdict(info, IMAGE_DAMAGED, "%s", damaged));
		if (is_sof(m))
			break;
		pos += seg;
	}
	if (seg < 8)
		return (verdict(info, IMAGE_DAMAGED, "%s", damaged));
	info->height = be16(p + pos + 3);
	info->width = be16(p + pos + 5);
	/* A height of 0 defers it to a DNL marker: libjpeg cannot. */
	if (info->width == 0 || info->height == 0 ||
	    (p[pos + 7] != 1 && p[pos + 7] != 3 && p[pos + 7] != 4) ||
	    seg < 8 + 3u * p[pos + 7])
		return (verdict(info, IMAGE_DAMAGED, "%s", damaged));
	if (!sof_readable(m) || p[pos + 2] != 8)
		return (verdict(info, IMAGE_WRONG_TYPE, "is a kind of JPEG "
		    "that cannot be read (lossless, hierarchical or 12-bit)"));
	return (NULL);
}

/* Bit depth and colour type: the pairs the PNG standard allows. */
static int
png_depth_ok(unsigned depth, unsigned type)
{
	switch (type) {
	case 0:
		return (depth == 1 || depth == 2 || depth == 4 || depth == 8 ||
		    depth == 16);
	case 3:
		return (depth == 1 || depth == 2 || depth == 4 || depth == 8);
	case 2:
	case 4:
	case 6:
		return (depth == 8 || depth == 16);
	default:
		return (0);
	}
}

/* The signature, then IHDR: 13 bytes of data with a correct CRC. */
static const char *
inspect_png(const unsigned char *p, size_t len, struct image_info *info)
{
	const unsigned char	*ihdr = p + 8;
	uint32_t		w, h;

	if (len < 8 + 25 || be32(ihdr) != 13 || memcmp(ihdr + 4, "IHDR", 4) ||
	    crc32_png(ihdr + 4, 17) != be32(ihdr + 21))
		return (verdict(info, IMAGE_DAMAGED, "%s", damaged));
	w = be32(ihdr + 8);
	h = be32(ihdr + 12);
	if (w == 0 || h == 0 || w > 0x7fffffffu || h > 0x7fffffffu ||
	    !png_depth_ok(ihdr[16], ihdr[17]) || ihdr[18] != 0 ||
	    ihdr[19] != 0 || ihdr[20] > 1)
		return (verdict(info, IMAGE_DAMAGED, "%s", damaged));
	info->width = w > EDGE_LIMIT + 1u ? EDGE_LIMIT + 1u : w;
	info->height = h > EDGE_LIMIT + 1u ? EDGE_LIMIT + 1u : h;
	info->interlaced = ihdr[20];
	return (NULL);
}

/*
 * Reads only the header: the kind by its magic bytes, the size, the
 * pixel count.  NULL when the photo may be decoded; otherwise a short
 * reason a client can show after the field's name, and info->verdict.
 */
const char *
image_inspect(const void *data, size_t len, long max_bytes, long max_pixels,
    struct image_info *info)
{
	const unsigned char	*p = data;
	const char		*why;

	memset(info, 0, sizeof(*info));
	if (len > (size_t)max_bytes)
		return (too_big(info, max_bytes));
	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff) {
		info->kind = IMAGE_JPEG;
		why = inspect_jpeg(p, len, info);
	} else if (len >= 8 && memcmp(p, png_signature, 8) == 0) {
		info->kind = IMAGE_PNG;
		why = inspect_png(p, len, info);
	} else {
		return (verdict(info, IMAGE_WRONG_TYPE, "%s", not_image));
	}
	if (why != NULL)
		return (why);
	if (info->width > EDGE_LIMIT || info->height > EDGE_LIMIT)
		return (verdict(info, IMAGE_TOO_MANY_PIXELS,
		    "is wider or taller than %d pixels", EDGE_LIMIT));
	if ((unsigned long long)info->width * info->height >
	    (unsigned long long)max_pixels)
		return (too_many_pixels(info, max_pixels));
	if (info->interlaced && (long)info->width * info->height >
	    INTERLACED_MAX)
		return (verdict(info, IMAGE_TOO_MANY_PIXELS, "is an "
		    "interlaced PNG of more than %ld megapixels",
		    INTERLACED_MAX / 1000000));
	return (NULL);
}

/* The HTTP status for a refused photo (what the client must change). */
int
image_http_status(enum image_verdict v)
{
	switch (v) {
	case IMAGE_TOO_BIG:
		return (413);
	case IMAGE_WRONG_TYPE:
		return (415);
	case IMAGE_OK:
		return (200);
	default:
		return (422);
	}
}

/* The size that fits w x h into edge x edge; never enlarged. */
static void
fit(unsigned w, unsigned h, unsigned edge, unsigned *fw, unsigned *fh)
{
	if (w <= edge && h <= edge) {
		*fw = w;
		*fh = h;
	} else if (w >= h) {
		*fw = edge;
		*fh = (unsigned)(((unsigned long long)h * edge + w / 2) / w);
	} else {
		*fh = edge;
		*fw = (unsigned)(((unsigned long long)w * edge + h / 2) / h);
	}
	if (*fw == 0)
		*fw = 1;
	if (*fh == 0)
		*fh = 1;
}

/*
 * Area averaging fed one source row at a time: every source pixel adds to
 * the output pixel it falls into, and an output row is written once the
 * rows that fall into it are all in.  Holds one row of sums and the
 * output; never the source.
 */
struct shrink {
	unsigned	sw, sh, dw, dh;
	unsigned	y;		/* source rows so far */
	unsigned	row;		/* the output row being summed */
	uint64_t	*sum;		/* dw * 3 */
	uint32_t	*n;		/* dw */
	unsigned	*col;		/* source column -> output column */
	struct pix	out;
};

static void
shrink_init(struct shrink *s, unsigned sw, unsigned sh, unsigned edge)
{
	unsigned	x;

	memset(s, 0, sizeof(*s));
	s->sw = sw;
	s->sh = sh;
	fit(sw, sh, edge, &s->dw, &s->dh);
	s->sum = xcalloc((size_t)s->dw * 3, sizeof(*s->sum));
	s->n = xcalloc(s->dw, sizeof(*s->n));
	s->col = xcalloc(sw, sizeof(*s->col));
	for (x = 0; x < sw; x++)
		s->col[x] = (unsigned)((unsigned long long)x * s->dw / sw);
	s->out.w = s->dw;
	s->out.h = s->dh;
	s->out.rgb = xcalloc((size_t)s->dw * s->dh, 3);
}

static void
shrink_flush(struct shrink *s)
{
	unsigned char	*o = s->out.rgb + (size_t)s->row * s->dw * 3;
	unsigned	x, c;

	for (x = 0; x < s->dw; x++) {
		for (c = 0; c < 3; c++) {
			if (s->n[x] != 0)
				o[x * 3 + c] = (unsigned char)((s->sum[x * 3 +
				    c] + s->n[x] / 2) / s->n[x]);
			s->sum[x * 3 + c] = 0;
		}
		s->n[x] = 0;
	}
}

static void
shrink_row(struct shrink *s, const unsigned char *rgb)
{
	unsigned	x, d, row;

	if (s->y >= s->sh)
		return;
	row = (unsigned)((unsigned long long)s->y * s->dh / s->sh);
	if (row != s->row) {
		shrink_flush(s);
		s->row = row;
	}
	for (x = 0; x < s->sw; x++) {
		d = s->col[x];
		s->sum[d * 3] += rgb[x * 3];
		s->sum[d * 3 + 1] += rgb[x * 3 + 1];
		s->sum[d * 3 + 2] += rgb[x * 3 + 2];
		s->n[d]++;
	}
	if (++s->y == s->sh)
		shrink_flush(s);
}

static void
shrink_free(struct shrink *s)
{
	free(s->sum);
	free(s->n);
	free(s->col);
	pix_free(&s->out);
	s->sum = NULL;
	s->n = NULL;
	s->col = NULL;
}

/* Hands the output over: the shrink keeps nothing of it. */
static void
shrink_take(struct shrink *s, struct pix *out)
{
	*out = s->out;
	s->out.rgb = NULL;
	shrink_free(s);
}

static void
shrink_pix(const struct pix *in, unsigned edge, struct pix *out)
{
	struct shrink	s;
	unsigned	y;

	shrink_init(&s, in->w, in->h, edge);
	for (y = 0; y < in->h; y++)
		shrink_row(&s, in->rgb + (size_t)y * in->w * 3);
	shrink_take(&s, out);
}

/* What a decoder needs across its longjmp: nothing local to it. */
struct decode {
	const struct image_limits	*lim;
	struct shrink			shrink;
	unsigned char			*row;
	unsigned char			*whole;	/* interlaced PNG */
	unsigned char			**rows;
	int				orientation;
	int				cmyk, inverted;
	const char			*why;
};

static void
decode_free(struct decode *d)
{
	shrink_free(&d->shrink);
	free(d->row);
	free(d->whole);
	free(d->rows);
	d->row = d->whole = NULL;
	d->rows = NULL;
}

/* ---- JPEG ---- */

struct jerr {
	struct jpeg_error_mgr	mgr;
	struct jpeg_progress_mgr progress;
	jmp_buf			jmp;
	struct decode		*d;
};

static void
jpeg_fail(j_common_ptr cinfo)
{
	struct jerr	*e = (struct jerr *)cinfo->err;

	longjmp(e->jmp, 1);
}

/* Level -1 is a warning: a truncated or corrupt file.  Never printed. */
static void
jpeg_emit(j_common_ptr cinfo, int level)
{
	if (level < 0)
		jpeg_fail(cinfo);
}

static void
jpeg_silent(j_common_ptr cinfo)
{
	(void)cinfo;
}

static void
jpeg_scans(j_common_ptr cinfo)
{
	struct jerr	*e = (struct jerr *)cinfo->err;

	if (((j_decompress_ptr)cinfo)->input_scan_number > SCANS_MAX) {
		e->d->why = "has too many progressive scans";
		jpeg_fail(cinfo);
	}
}

/* The orientation (1..8) of the first APP1 that is EXIF; else 1. */
static int
exif_orientation(j_decompress_ptr cinfo)
{
	jpeg_saved_marker_ptr	m;
	ExifData		*ed;
	ExifEntry		*e;
	int			o = 1;

	for (m = cinfo->marker_list; m != NULL; m = m->next) {
		if (m->marker == JPEG_APP0 + 1 && m->data_length > 6 &&
		    memcmp(m->data, "Exif\0\0", 6) == 0)
			break;
	}
	if (m == NULL || (ed = exif_data_new()) == NULL)
		return (1);
	/* Read only: libexif need not add or fix entries to the standard. */
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_load_data(ed, m->data, m->data_length);
	e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
	if (e != NULL && e->format == EXIF_FORMAT_SHORT &&
	    e->components >= 1 && e->size >= 2)
		o = exif_get_short(e->data, exif_data_get_byte_order(ed));
	exif_data_unref(ed);
	return (o >= 1 && o <= 8 ? o : 1);
}

/*
 * The smallest DCT scale k/8 that still covers the output edge: a large
 * photo is decoded at less than twice the size it is stored at.
 */
static void
jpeg_scale(j_decompress_ptr cinfo, unsigned edge)
{
	unsigned	k;

	cinfo->scale_denom = 8;
	for (k = 1; k <= 8; k++) {
		cinfo->scale_num = k;
		jpeg_calc_output_dimensions(cinfo);
		if (cinfo->output_width >= edge || cinfo->output_height >= edge)
			break;
	}
	if (k > 8) {
		cinfo->scale_num = 8;
		jpeg_calc_output_dimensions(cinfo);
	}
}

/*
 * CMYK (Photoshop writes it inverted, with its Adobe marker) to RGB by the
 * usual naive formula: good enough for a defect photo, no ICC.
 */
static void
cmyk_to_rgb(const unsigned char *in, unsigned char *out, unsigned w,
    int inverted)
{
	unsigned	x, c, m, y, k;

	for (x = 0; x < w; x++) {
		c = in[x * 4];
		m = in[x * 4 + 1];
		y = in[x * 4 + 2];
		k = in[x * 4 + 3];
		if (!inverted) {
			c = 255 - c;
			m = 255 - m;
			y = 255 - y;
			k = 255 - k;
		}
		out[x * 3] = (unsigned char)((c * k + 127) / 255);
		out[x * 3 + 1] = (unsigned char)((m * k + 127) / 255);
		out[x * 3 + 2] = (unsigned char)((y * k + 127) / 255);
	}
}

static void
jpeg_colours(j_decompress_ptr cinfo, struct decode *d)
{
	if (cinfo->jpeg_color_space == JCS_CMYK ||
	    cinfo->jpeg_color_space == JCS_YCCK) {
		cinfo->out_color_space = JCS_CMYK;
		d->cmyk = 1;
		d->inverted = cinfo->saw_Adobe_marker;
	} else {
		cinfo->out_color_space = JCS_RGB;
	}
}

static int
jpeg_rows(j_decompress_ptr cinfo, struct decode *d)
{
	JSAMPROW	row;
	unsigned char	*rgb;

	row = xcalloc(cinfo->output_width, (size_t)cinfo->output_components);
	d->row = row;
	rgb = d->cmyk ? xcalloc(cinfo->output_width, 3) : row;
	d->whole = d->cmyk ? rgb : NULL;
	shrink_init(&d->shrink, cinfo->output_width, cinfo->output_height,
	    d->lim->max_edge);
	while (cinfo->output_scanline < cinfo->output_height) {
		if (jpeg_read_scanlines(cinfo, &row, 1) != 1)
			return (MW_ERROR);
		if (d->cmyk)
			cmyk_to_rgb(row, rgb, cinfo->output_width, d->inverted);
		shrink_row(&d->shrink, rgb);
	}
	return (MW_OK);
}

static int
jpeg_decode(const void *data, size_t len, struct decode *d,
    struct jpeg_decompress_struct *cinfo, struct jerr *e)
{
	cinfo->err = jpeg_std_error(&e->mgr);
	e->mgr.error_exit = jpeg_fail;
	e->mgr.emit_message = jpeg_emit;
	e->mgr.output_message = jpeg_silent;
	e->progress.progress_monitor = jpeg_scans;
	e->d = d;
	if (setjmp(e->jmp)) {
		jpeg_destroy_decompress(cinfo);
		return (MW_ERROR);
	}
	jpeg_create_decompress(cinfo);
	cinfo->mem->max_memory_to_use = JPEG_MEMORY_MAX;
	cinfo->progress = &e->progress;
	jpeg_mem_src(cinfo, data, (unsigned long)len);
	jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xffff);
	/* The decoder's own reading of the frame must agree with ours. */
	if (jpeg_read_header(cinfo, TRUE) != JPEG_HEADER_OK ||
	    (unsigned long long)cinfo->image_width * cinfo->image_height >
	    (unsigned long long)d->lim->max_pixels)
		jpeg_fail((j_common_ptr)cinfo);
	d->orientation = exif_orientation(cinfo);
	jpeg_colours(cinfo, d);
	jpeg_scale(cinfo, d->lim->max_edge);
	if (!jpeg_start_decompress(cinfo) || !jpeg_rows(cinfo, d))
		jpeg_fail((j_common_ptr)cinfo);
	(void)jpeg_finish_decompress(cinfo);
	jpeg_destroy_decompress(cinfo);
	return (MW_OK);
}

/* ---- PNG ---- */

struct png_src {
	const unsigned char	*data;
	size_t			len;
	size_t			pos;
};

static void
png_read_mem(png_structp png, png_bytep out, size_t n)
{
	struct png_src	*s = png_get_io_ptr(png);

	if (n > s->len - s->pos)
		png_error(png, "truncated");
	memcpy(out, s->data + s->pos, n);
	s->pos += n;
}

static void
png_fail(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void
png_quiet(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* RGBA on white: a transparent logo must not turn black. */
static void
rgba_to_rgb(const unsigned char *in, unsigned char *out, unsigned w)
{
	unsigned	x, c, a;

	for (x = 0; x < w; x++) {
		a = in[x * 4 + 3];
		for (c = 0; c < 3; c++)
			out[x * 3 + c] = (unsigned char)((in[x * 4 + c] * a +
			    255 * (255 - a) + 127) / 255);
	}
}

/* Every PNG becomes 8-bit RGBA, whatever its depth, palette or alpha. */
static void
png_transforms(png_structp png, png_infop info)
{
	png_set_expand(png);
	png_set_scale_16(png);
	png_set_gray_to_rgb(png);
	png_set_filler(png, 0xff, PNG_FILLER_AFTER);
	if (png_get_interlace_type(png, info) != PNG_INTERLACE_NONE)
		(void)png_set_interlace_handling(png);
	png_read_update_info(png, info);
}

static void
png_rows(png_structp png, struct decode *d, unsigned w, unsigned h,
    int interlaced)
{
	unsigned	y;

	d->row = xcalloc(w, 3);
	shrink_init(&d->shrink, w, h, d->lim->max_edge);
	if (interlaced) {
		/* inspect capped these at INTERLACED_MAX pixels. */
		d->whole = xcalloc((size_t)w * h, 4);
		d->rows = xcalloc(h, sizeof(*d->rows));
		for (y = 0; y < h; y++)
			d->rows[y] = d->whole + (size_t)y * w * 4;
		png_read_image(png, d->rows);
		for (y = 0; y < h; y++) {
			rgba_to_rgb(d->rows[y], d->row, w);
			shrink_row(&d->shrink, d->row);
		}
		return;
	}
	d->whole = xcalloc(w, 4);
	for (y = 0; y < h; y++) {
		png_read_row(png, d->whole, NULL);
		rgba_to_rgb(d->whole, d->row, w);
		shrink_row(&d->shrink, d->row);
	}
}

static int
png_decode(const void *data, size_t len, struct decode *d,
    png_structp *png, png_infop *info)
{
	struct png_src	src = { data, len, 0 };

	*info = NULL;
	*png = png_create_read_struct(PNG_LIBPNG_VER_STRING, d, png_fail,
	    png_quiet);
	if (*png == NULL)
		return (MW_ERROR);
	if (setjmp(png_jmpbuf(*png))) {
		png_destroy_read_struct(png, info, NULL);
		return (MW_ERROR);
	}
	if ((*info = png_create_info_struct(*png)) == NULL)
		png_error(*png, "out of memory");
	png_set_read_fn(*png, &src, png_read_mem);
	/* Text, ICC, EXIF and private chunks are skipped unread. */
	png_set_keep_unknown_chunks(*png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
	png_set_user_limits(*png, EDGE_LIMIT, EDGE_LIMIT);
	png_set_chunk_malloc_max(*png, PNG_CHUNK_MAX);
	png_set_chunk_cache_max(*png, 1000);
	png_read_info(*png, *info);
	if ((unsigned long long)png_get_image_width(*png, *info) *
	    png_get_image_height(*png, *info) >
	    (unsigned long long)d->lim->max_pixels)
		png_error(*png, "too many pixels");
	png_transforms(*png, *info);
	if (png_get_rowbytes(*png, *info) !=
	    (size_t)png_get_image_width(*png, *info) * 4)
		png_error(*png, "unexpected row layout");
	png_rows(*png, d, png_get_image_width(*png, *info),
	    png_get_image_height(*png, *info),
	    png_get_interlace_type(*png, *info) != PNG_INTERLACE_NONE);
	png_destroy_read_struct(png, info, NULL);
	return (MW_OK);
}

/* ---- orientation, encoding, the pipeline ---- */

/*
 * EXIF orientation: where the stored pixel (x, y) goes when the photo is
 * shown upright.  5..8 swap width and height.
 */
static void
orient(struct pix *p, int o)
{
	struct pix	r;
	unsigned	x, y, dx, dy, w = p->w, h = p->h;

	if (o <= 1 || o > 8)
		return;
	r.w = o >= 5 ? h : w;
	r.h = o >= 5 ? w : h;
	r.rgb = xcalloc((size_t)w * h, 3);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			switch (o) {
			case 2: dx = w - 1 - x; dy = y; break;
			case 3: dx = w - 1 - x; dy = h - 1 - y; break;
			case 4: dx = x; dy = h - 1 - y; break;
			case 5: dx = y; dy = x; break;
			case 6: dx = h - 1 - y; dy = x; break;
			case 7: dx = h - 1 - y; dy = w - 1 - x; break;
			default: dx = y; dy = w - 1 - x; break;
			}
			memcpy(r.rgb + ((size_t)dy * r.w + dx) * 3,
			    p->rgb + ((size_t)y * w + x) * 3, 3);
		}
	}
	pix_free(p);
	*p = r;
}

struct jout {
	struct jpeg_error_mgr	mgr;
	jmp_buf			jmp;
};

static void
jout_fail(j_common_ptr cinfo)
{
	longjmp(((struct jout *)cinfo->err)->jmp, 1);
}

/*
 * A baseline JPEG of the pixels alone.  libjpeg writes SOI, the JFIF APP0
 * it always writes, tables, frame and scan: no EXIF, no ICC, no comment.
 */
static int
encode(const struct pix *p, int quality, unsigned char **out, size_t *len,
    struct jpeg_compress_struct *c, struct jout *e,
    unsigned long *size)
{
	JSAMPROW	row;
	unsigned	y;

	*out = NULL;
	*size = 0;
	c->err = jpeg_std_error(&e->mgr);
	e->mgr.error_exit = jout_fail;
	e->mgr.output_message = jpeg_silent;
	if (setjmp(e->jmp)) {
		jpeg_destroy_compress(c);
		free(*out);
		*out = NULL;
		return (MW_ERROR);
	}
	jpeg_create_compress(c);
	jpeg_mem_dest(c, out, size);
	c->image_width = p->w;
	c->image_height = p->h;
	c->input_components = 3;
	c->in_color_space = JCS_RGB;
	jpeg_set_defaults(c);
	jpeg_set_quality(c, quality, TRUE);
	c->optimize_coding = TRUE;
	jpeg_start_compress(c, TRUE);
	for (y = 0; y < p->h; y++) {
		row = p->rgb + (size_t)y * p->w * 3;
		(void)jpeg_write_scanlines(c, &row, 1);
	}
	jpeg_finish_compress(c);
	jpeg_destroy_compress(c);
	*len = *size;
	return (MW_OK);
}

static int
encode_jpeg(const struct pix *p, int quality, unsigned char **out,
    size_t *len)
{
	struct jpeg_compress_struct	c;
	struct jout			e;
	unsigned long			size;

	memset(&c, 0, sizeof(c));
	return (encode(p, quality, out, len, &c, &e, &size));
}

static void
limits_default(const struct image_limits *in, struct image_limits *lim)
{
	*lim = *in;
	if (lim->max_bytes <= 0)
		lim->max_bytes = 10L * 1024 * 1024;
	if (lim->max_pixels <= 0)
		lim->max_pixels = 40000000L;
	if (lim->max_edge == 0)
		lim->max_edge = IMAGE_EDGE;
	if (lim->thumb_edge == 0)
		lim->thumb_edge = IMAGE_THUMB_EDGE;
	if (lim->quality <= 0 || lim->quality > 100)
		lim->quality = IMAGE_QUALITY;
}

static int
fail(struct image_out *out, enum image_verdict v, const char *why, char *err,
    size_t errlen)
{
	image_out_free(out);
	out->verdict = v;
	(void)snprintf(err, errlen, "%s", why);
	return (MW_ERROR);
}

/* The photo and its thumbnail from upright pixels. */
static int
finish(struct pix *photo, const struct image_limits *lim,
    struct image_out *out, char *err, size_t errlen)
{
	struct pix	thumb;
	int		ok;

	shrink_pix(photo, lim->thumb_edge, &thumb);
	ok = encode_jpeg(photo, lim->quality, &out->photo, &out->photo_len) &&
	    encode_jpeg(&thumb, lim->quality, &out->thumb, &out->thumb_len);
	out->width = photo->w;
	out->height = photo->h;
	out->thumb_width = thumb.w;
	out->thumb_height = thumb.h;
	pix_free(&thumb);
	pix_free(photo);
	if (!ok)
		return (fail(out, IMAGE_DAMAGED, "could not be encoded", err,
		    errlen));
	out->verdict = IMAGE_OK;
	return (MW_OK);
}

/* Decoded, upright pixels no larger than lim->max_edge. */
static int
decode(const void *data, size_t len, const struct image_limits *lim,
    struct pix *p, struct image_out *out, char *err, size_t errlen)
{
	struct image_info		info;
	struct decode			d;
	struct jpeg_decompress_struct	cinfo;
	struct jerr			e;
	png_structp			png;
	png_infop			pinfo;
	const char			*why;
	int				ok;

	if ((why = image_inspect(data, len, lim->max_bytes, lim->max_pixels,
	    &info)) != NULL)
		return (fail(out, info.verdict, why, err, errlen));
	memset(&d, 0, sizeof(d));
	memset(&cinfo, 0, sizeof(cinfo));
	memset(&e, 0, sizeof(e));
	d.lim = lim;
	d.orientation = 1;
	if (info.kind == IMAGE_JPEG)
		ok = jpeg_decode(data, len, &d, &cinfo, &e);
	else
		ok = png_decode(data, len, &d, &png, &pinfo);
	/* A decoder that ended early leaves output rows unwritten. */
	if (ok && d.shrink.y != d.shrink.sh)
		ok = MW_ERROR;
	if (!ok) {
		why = d.why != NULL ? d.why : damaged;
		decode_free(&d);
		return (fail(out, IMAGE_DAMAGED, why, err, errlen));
	}
	shrink_take(&d.shrink, p);
	decode_free(&d);
	orient(p, d.orientation);
	return (MW_OK);
}

int
image_process(const void *data, size_t len, const struct image_limits *in,
    struct image_out *out, char *err, size_t errlen)
{
	struct image_limits	lim;
	struct pix		photo;

	memset(out, 0, sizeof(*out));
	limits_default(in, &lim);
	if (!decode(data, len, &lim, &photo, out, err, errlen))
		return (MW_ERROR);
	return (finish(&photo, &lim, out, err, errlen));
}

/* 1..IMAGE_RECTS_MAX areas, each inside the photo; NaN fails. */
int
image_rects_valid(const struct image_rect *rects, int n)
{
	const struct image_rect	*r;
	int			i;

	if (n < 1 || n > IMAGE_RECTS_MAX)
		return (MW_ERROR);
	for (i = 0; i < n; i++) {
		r = &rects[i];
		if (!(r->x >= 0 && r->y >= 0 && r->w > 0 && r->h > 0 &&
		    r->x + r->w <= 1.0001 && r->y + r->h <= 1.0001))
			return (MW_ERROR);
	}
	return (MW_OK);
}

/* Each block becomes its average: what was there cannot be recovered. */
static void
pixelate(struct pix *p, const struct image_rect *r)
{
	unsigned	x0, y0, x1, y1, bx, by, x, y, c, block, n, ex, ey;
	unsigned long	sum[3];
	unsigned char	*px;

	x0 = (unsigned)(r->x * p->w);
	y0 = (unsigned)(r->y * p->h);
	x1 = (unsigned)(r->x * p->w + r->w * p->w + 0.999);
	y1 = (unsigned)(r->y * p->h + r->h * p->h + 0.999);
	x1 = x1 > p->w ? p->w : x1;
	y1 = y1 > p->h ? p->h : y1;
	block = (p->w > p->h ? p->w : p->h) / IMAGE_BLUR_BLOCKS;
	block = block < 8 ? 8 : block;
	for (by = y0; by < y1; by += block) {
		for (bx = x0; bx < x1; bx += block) {
			ex = bx + block < x1 ? bx + block : x1;
			ey = by + block < y1 ? by + block : y1;
			memset(sum, 0, sizeof(sum));
			n = (ex - bx) * (ey - by);
			for (y = by; y < ey; y++)
				for (x = bx; x < ex; x++)
					for (c = 0; c < 3; c++)
						sum[c] += p->rgb[((size_t)y *
						    p->w + x) * 3 + c];
			for (y = by; y < ey; y++) {
				for (x = bx; x < ex; x++) {
					px = p->rgb + ((size_t)y * p->w + x) *
					    3;
					for (c = 0; c < 3; c++)
						px[c] = (unsigned char)(sum[c] /
						    n);
				}
			}
		}
	}
}

/*
 * A moderator hides faces and number plates: each rectangle, in fractions
 * of the width and height (0..1, from the top left corner, so it holds for
 * the photo and its thumbnail alike), is pixelated in coarse blocks, and
 * the photo and thumbnail are written anew from the stored photo.
 */
int
image_blur(const void *jpeg, size_t len, const struct image_rect *rects,
    int n, struct image_out *out, char *err, size_t errlen)
{
	static const struct image_limits	none;
	struct image_limits			lim;
	struct pix				photo;
	int					i;

	memset(out, 0, sizeof(*out));
	if (!image_rects_valid(rects, n))
		return (fail(out, IMAGE_DAMAGED, "must be 1 to 16 areas inside "
		    "the photo", err, errlen));
	limits_default(&none, &lim);
	lim.max_bytes = (long)len;
	if (!decode(jpeg, len, &lim, &photo, out, err, errlen))
		return (MW_ERROR);
	for (i = 0; i < n; i++)
		pixelate(&photo, &rects[i]);
	return (finish(&photo, &lim, out, err, errlen));
}

void
image_out_free(struct image_out *out)
{
	free(out->photo);
	free(out->thumb);
	memset(out, 0, sizeof(*out));
}
