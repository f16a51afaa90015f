/*
 * Photos off the event loop.  Decoding and re-encoding a 40-megapixel
 * photo takes about a second, so it runs in a Kore task thread (as
 * hashing.c runs argon2id): the request sleeps and Kore wakes it when the
 * thread is done.  The header check (image_inspect) runs first, on the
 * event loop: it costs microseconds and refuses a wrong type or a pixel
 * flood before any thread is taken.
 *
 * Task threads are shared with password hashing, and Kore's queue is
 * first come, first served: so at most RUNNING_MAX jobs per worker are
 * handed to it, the others wait in a queue of our own (a burst of uploads
 * must not hold up sign-ins), and beyond PENDING_MAX waiting the
 * client gets a 503 with Retry-After.
 *
 * The results are handed to the database as request vars, so one
 * statement stores the report and its photos together (nothing is half
 * written): PostgreSQL array literals of hex bytea, built in the thread.
 *   photo_count          "2"
 *   photo_images         {"\\xffd8...","\\xffd8..."}   (bytea[])
 *   photo_thumbs         the same for the thumbnails
 *   photo_widths, photo_heights, photo_thumb_widths, photo_thumb_heights
 *                        {2048,1536}                  (int[])
 * A blur sets photo_image and photo_thumb (bytea, hex) and photo_width,
 * photo_height, photo_thumb_width, photo_thumb_height.
 */

#include <sys/resource.h>
#include <sys/syscall.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mitwirken.h"

#define RUNNING_MAX		1
#define PENDING_MAX		16
#define NICE			10

static int	pending;
static int	running;
static TAILQ_HEAD(, imaging_job)	queue = TAILQ_HEAD_INITIALIZER(queue);

static const char	hexdigits[] = "0123456789abcdef";

/* Like hashing's threads: the event loop comes first. */
static void
lower_priority(void)
{
	static __thread int	done;

	if (!done) {
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
		    NICE);
		done = 1;
	}
}

/* One bytea as hex, quoted for an array literal or not. */
static void
hex_append(struct strbuf *b, const unsigned char *p, size_t len, int quoted)
{
	char	*o;
	size_t	i;

	strbuf_appends(b, quoted ? "\"\\\\x" : "\\x");
	/* Room for the digits, then written in place. */
	strbuf_append(b, p, len);
	strbuf_append(b, p, len);
	o = b->data + b->len - 2 * len;
	for (i = 0; i < len; i++) {
		o[2 * i] = hexdigits[p[i] >> 4];
		o[2 * i + 1] = hexdigits[p[i] & 0x0f];
	}
	if (quoted)
		strbuf_appends(b, "\"");
}

static char *
bytea_array(const struct imaging_job *j, int thumbs)
{
	struct strbuf	b;
	size_t		total = 4;
	int		i;

	for (i = 0; i < j->count; i++)
		total += 2 * (thumbs ? j->out[i].thumb_len :
		    j->out[i].photo_len) + 8;
	strbuf_init(&b, total);
	strbuf_appends(&b, "{");
	for (i = 0; i < j->count; i++) {
		if (i > 0)
			strbuf_appends(&b, ",");
		if (thumbs)
			hex_append(&b, j->out[i].thumb, j->out[i].thumb_len, 1);
		else
			hex_append(&b, j->out[i].photo, j->out[i].photo_len, 1);
	}
	strbuf_appends(&b, "}");
	return (strbuf_steal(&b));
}

/* The literals are built here, off the event loop; outputs are freed. */
static void
literals(struct imaging_job *j)
{
	struct strbuf	b;

	if (j->blur) {
		strbuf_init(&b, 2 * j->out[0].photo_len + 4);
		hex_append(&b, j->out[0].photo, j->out[0].photo_len, 0);
		j->images = strbuf_steal(&b);
		strbuf_init(&b, 2 * j->out[0].thumb_len + 4);
		hex_append(&b, j->out[0].thumb, j->out[0].thumb_len, 0);
		j->thumbs = strbuf_steal(&b);
	} else {
		j->images = bytea_array(j, 0);
		j->thumbs = bytea_array(j, 1);
	}
}

/* Runs in a task thread: touches only the job and the request's body. */
static int
imaging_entry(struct kore_task *t)
{
	struct imaging_job	*j = (struct imaging_job *)((char *)t -
				    offsetof(struct imaging_job, task));
	int			i, ok;

	lower_priority();
	for (i = 0; i < j->count; i++) {
		if (j->blur)
			ok = image_blur(j->copy, j->in_len[0], j->rects,
			    j->nrects, &j->out[0], j->err, sizeof(j->err));
		else
			ok = image_process(j->in[i], j->in_len[i], &j->limits,
			    &j->out[i], j->err, sizeof(j->err));
		if (!ok) {
			j->failed = i + 1;
			return (KORE_RESULT_OK);
		}
	}
	literals(j);
	return (KORE_RESULT_OK);
}

static void
submit(struct http_request *req, struct imaging_job *j)
{
	running++;
	j->state = IMAGING_RUNNING;
	kore_task_create(&j->task, imaging_entry);
	kore_task_bind_request(&j->task, req);
	kore_task_run(&j->task);
}

static enum db_status
start(struct http_request *req, struct imaging_job *j)
{
	if (pending >= PENDING_MAX) {
		j->state = IMAGING_FAILED;
		respond_error(req, 503, "busy", "Too many photos at once; "
		    "try again shortly.", NULL);
		return (DB_FAILED);
	}
	pending++;
	j->limits.max_bytes = mw_config.photo_max_bytes;
	j->limits.max_pixels = mw_config.photo_max_pixels;
	if (running >= RUNNING_MAX) {
		j->state = IMAGING_QUEUED;
		j->req = req;
		TAILQ_INSERT_TAIL(&queue, j, queue);
		http_request_sleep(req);
		return (DB_PENDING);
	}
	submit(req, j);
	return (DB_PENDING);
}

/* A job's thread is done: its place is free, the next one starts. */
static void
finished(struct imaging_job *j)
{
	struct imaging_job	*next;

	pending--;
	running--;
	j->state = IMAGING_DONE;
	metrics_image_task();
	if (running < RUNNING_MAX && (next = TAILQ_FIRST(&queue)) != NULL) {
		TAILQ_REMOVE(&queue, next, queue);
		submit(next->req, next);
	}
}

static void
int_array(struct http_request *req, const char *name,
    const struct imaging_job *j, size_t offset)
{
	struct strbuf	b;
	int		i;

	strbuf_init(&b, 64);
	strbuf_appends(&b, "{");
	for (i = 0; i < j->count; i++)
		strbuf_appendf(&b, "%s%u", i > 0 ? "," : "",
		    *(const unsigned *)((const char *)&j->out[i] + offset));
	strbuf_appends(&b, "}");
	rq_var_set(req, name, b.data);
	strbuf_free(&b);
}

static void
expose_uploads(struct http_request *req, struct imaging_job *j)
{
	rq_var_setf(req, "photo_count", "%d", j->count);
	rq_var_set(req, "photo_images", j->images != NULL ? j->images : "{}");
	rq_var_set(req, "photo_thumbs", j->thumbs != NULL ? j->thumbs : "{}");
	int_array(req, "photo_widths", j, offsetof(struct image_out, width));
	int_array(req, "photo_heights", j, offsetof(struct image_out, height));
	int_array(req, "photo_thumb_widths", j,
	    offsetof(struct image_out, thumb_width));
	int_array(req, "photo_thumb_heights", j,
	    offsetof(struct image_out, thumb_height));
}

static void
expose_blur(struct http_request *req, struct imaging_job *j)
{
	rq_var_set(req, "photo_image", j->images);
	rq_var_set(req, "photo_thumb", j->thumbs);
	rq_var_setf(req, "photo_width", "%u", j->out[0].width);
	rq_var_setf(req, "photo_height", "%u", j->out[0].height);
	rq_var_setf(req, "photo_thumb_width", "%u", j->out[0].thumb_width);
	rq_var_setf(req, "photo_thumb_height", "%u", j->out[0].thumb_height);
}

/* The vars hold copies: the job's buffers go at once, not at the end. */
static void
release(struct imaging_job *j)
{
	int	i;

	for (i = 0; i < UPLOADS_MAX; i++)
		image_out_free(&j->out[i]);
	free(j->images);
	free(j->thumbs);
	free(j->copy);
	j->images = j->thumbs = NULL;
	j->copy = NULL;
}

/*
 * A refused upload, named by its field: for the API with the status that
 * says what to change (413, 415, 422), on a form page next to the field
 * (422, as every form error there).
 */
static enum db_status
refuse(struct http_request *req, struct imaging_job *j, const char *field,
    int status, const char *why)
{
	struct field_errors	fe;

	if (rq_get(req)->form_page != NULL)
		status = 422;
	memset(&fe, 0, sizeof(fe));
	error_field_add(&fe, field, why);
	j->state = IMAGING_FAILED;
	release(j);
	respond_fields(req, status, &fe);
	return (DB_FAILED);
}

/* The thread's outcome, once it finished. */
static enum db_status
collect(struct http_request *req, struct imaging_job *j)
{
	struct rq	*rq = rq_get(req);
	int		i;

	if (kore_task_state(&j->task) != KORE_TASK_STATE_FINISHED)
		return (DB_PENDING);
	finished(j);
	if (j->failed && j->blur) {
		kore_log(LOG_ERR, "imaging id=%s: a stored photo failed: %s",
		    rq->id, j->err);
		j->state = IMAGING_FAILED;
		release(j);
		respond_error(req, 500, NULL, NULL, NULL);
		return (DB_FAILED);
	}
	if (j->failed) {
		i = j->failed - 1;
		return (refuse(req, j, rq->uploads.items[i].field,
		    image_http_status(j->out[i].verdict), j->err));
	}
	if (j->blur)
		expose_blur(req, j);
	else
		expose_uploads(req, j);
	release(j);
	return (DB_DONE);
}

static enum db_status
imaging_run(struct http_request *req, struct imaging_job *j)
{
	switch (j->state) {
	case IMAGING_QUEUED:
		return (DB_PENDING);
	case IMAGING_RUNNING:
		return (collect(req, j));
	case IMAGING_DONE:
		return (DB_DONE);
	default:
		return (DB_FAILED);
	}
}

/*
 * A step like db_step for the request's uploads (rq->uploads, at most
 * UPLOADS_MAX): size and header are checked at once (413, 415, 422 naming
 * the field), then every photo is processed in one task; DB_DONE once the
 * vars above are set (photo_count "0" and empty arrays without uploads).
 */
enum db_status
imaging_step(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	struct imaging_job	*j = &rq->imaging;
	struct image_info	info;
	const char		*why;
	int			i;

	if (j->state != IMAGING_IDLE)
		return (imaging_run(req, j));
	for (i = 0; i < rq->uploads.count; i++) {
		if ((why = image_inspect(rq->uploads.items[i].data,
		    rq->uploads.items[i].len, mw_config.photo_max_bytes,
		    mw_config.photo_max_pixels, &info)) != NULL)
			return (refuse(req, j, rq->uploads.items[i].field,
			    image_http_status(info.verdict), why));
		j->in[i] = rq->uploads.items[i].data;
		j->in_len[i] = rq->uploads.items[i].len;
	}
	j->count = rq->uploads.count;
	if (j->count == 0) {
		j->state = IMAGING_DONE;
		expose_uploads(req, j);
		return (DB_DONE);
	}
	return (start(req, j));
}

/*
 * The moderator's blur of a stored photo (the JPEG this module wrote):
 * the areas are checked at once (422 naming "areas"); the photo is copied,
 * since the query result it came from may be gone before the thread ends.
 */
enum db_status
imaging_blur_step(struct http_request *req, const void *jpeg, size_t len,
    const struct image_rect *rects, int n)
{
	struct imaging_job	*j = &rq_get(req)->imaging;

	if (j->state != IMAGING_IDLE)
		return (imaging_run(req, j));
	if (!image_rects_valid(rects, n))
		return (refuse(req, j, "areas", 422, "must be 1 to 16 areas "
		    "inside the photo"));
	j->blur = 1;
	j->count = 1;
	if ((j->copy = malloc(len ? len : 1)) == NULL)
		fatal("imaging_blur_step: out of memory");
	memcpy(j->copy, jpeg, len);
	j->in_len[0] = len;
	memcpy(j->rects, rects, sizeof(*rects) * (size_t)n);
	j->nrects = n;
	return (start(req, j));
}

/*
 * Request teardown; Kore calls it again once a task outlives its request
 * (see rq_free).  The thread writes into the job: nothing is freed while
 * it runs.
 */
void
imaging_cleanup(struct imaging_job *j)
{
	if (j->state == IMAGING_RUNNING &&
	    kore_task_state(&j->task) != KORE_TASK_STATE_FINISHED)
		return;
	if (j->state == IMAGING_RUNNING)
		finished(j);
	if (j->state == IMAGING_QUEUED) {
		/* The client went away while it waited its turn. */
		TAILQ_REMOVE(&queue, j, queue);
		pending--;
		j->state = IMAGING_DONE;
	}
	release(j);
}
