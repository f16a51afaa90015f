/*
 * Streamed answers: downloads too big to hold in memory (a survey export
 * of a million responses), sent with HTTP/1.1 chunked transfer encoding
 * as the handler produces them.
 *
 * Back-pressure: each chunk is queued on the connection followed by an
 * empty marker buffer, which Kore takes off the send queue once
 * everything before it was written to the socket.  The handler produces
 * the next chunk meanwhile, but queues it only after the marker is gone
 * (sleeping until then), so a worker holds about two chunks per download
 * however slowly the client reads, and PostgreSQL, formatting and the
 * network overlap.
 *
 * Kore never times out a connection that has a request in flight, so a
 * client that stops reading would hold its connection (and the request)
 * forever.  A timer checks every second whether each stream's send queue
 * moved; one that stood still for MITWIRKEN_STREAM_STALL seconds is
 * disconnected.  The database is never held meanwhile: a handler fetches
 * a page, formats it, and releases the connection before it flushes.
 *
 * Once the status line is out, an error can no longer be reported: the
 * stream is cut (the connection closed without the final zero-length
 * chunk), which any HTTP client detects as a truncated body.
 */

#include <sys/queue.h>

#include <stdio.h>
#include <string.h>

#include "mitwirken.h"

#define STREAM_CHECK_MS	1000

struct stream {
	struct http_request	*req;
	struct strbuf		chunk;
	struct netbuf		*marker;	/* queued, not yet sent */
	int			waiting;	/* asleep until it is */
	void			*data;		/* the handler's, freed with */
	void			(*data_free)(void *);
	int			close_after;	/* the client asked to close */
	int			held;		/* a formatted page waits */
	int			last_page;	/* formatted: nothing follows */
	uint64_t		moved_at;	/* ms: the queue last moved */
	const struct netbuf	*head;		/* as last seen */
	size_t			head_off;
	TAILQ_ENTRY(stream)	list;
};

static TAILQ_HEAD(, stream)	streams = TAILQ_HEAD_INITIALIZER(streams);
static struct kore_timer	*stall_timer;

/* Has the connection written anything since the last look? */
static void
stall_check_one(struct stream *s, uint64_t now)
{
	struct connection	*c = s->req->owner;
	const struct netbuf	*head;

	if (c == NULL || c->state == CONN_STATE_DISCONNECTING)
		return;
	head = TAILQ_FIRST(&c->send_queue);
	if (head == NULL || head != s->head || head->s_off != s->head_off) {
		s->head = head;
		s->head_off = head != NULL ? head->s_off : 0;
		s->moved_at = now;
		return;
	}
	if (now - s->moved_at >= (uint64_t)mw_config.stream_stall * 1000) {
		kore_log(LOG_NOTICE, "stream id=%s: client read nothing for "
		    "%d s, disconnected", rq_get(s->req)->id,
		    mw_config.stream_stall);
		kore_connection_disconnect(c);
	}
}

static void
stall_check(void *arg, uint64_t now)
{
	struct stream	*s;

	(void)arg;
	TAILQ_FOREACH(s, &streams, list)
		stall_check_one(s, now);
}

/* Kore took the marker off the send queue: the chunk is out. */
static int
marker_sent(struct netbuf *nb)
{
	struct stream	*s = nb->extra;

	if (s == NULL)
		return (KORE_RESULT_OK);
	s->marker = NULL;
	s->moved_at = kore_time_ms();
	/* Only a request asleep for this: one waiting on PostgreSQL stays. */
	if (s->waiting) {
		s->waiting = 0;
		http_request_wakeup(s->req);
	}
	return (KORE_RESULT_OK);
}

static struct stream *
stream_of(struct http_request *req)
{
	struct rq	*rq = rq_get(req);

	if (rq->stream == NULL)
		fatal("stream: no stream begun on this request");
	return (rq->stream);
}

int
stream_started(struct http_request *req)
{
	return (rq_get(req)->stream != NULL);
}

/* A file name for Content-Disposition: [A-Za-z0-9._-] only. */
static void
disposition(struct http_request *req, const char *name)
{
	char	v[160];
	size_t	i, n;

	n = (size_t)snprintf(v, sizeof(v), "attachment; filename=\"");
	for (i = 0; name[i] != '\0' && n + 3 < sizeof(v); i++) {
		v[n++] = (strchr("._-", name[i]) != NULL ||
		    (name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9')) ? name[i] : '_';
	}
	v[n++] = '"';
	v[n] = '\0';
	http_response_header(req, "content-disposition", v);
}

/*
 * Sends the status line and headers (200, no length, chunked) and makes
 * the request a stream.  Until here a handler answers errors normally.
 */
int
stream_begin(struct http_request *req, const char *type, const char *name,
    void *data, void (*data_free)(void *))
{
	struct rq		*rq = rq_get(req);
	struct connection	*c = req->owner;
	struct stream		*s;

	if (rq->stream != NULL || c == NULL)
		return (MW_ERROR);
	s = kore_calloc(1, sizeof(*s));
	s->req = req;
	s->data = data;
	s->data_free = data_free;
	s->moved_at = kore_time_ms();
	strbuf_init(&s->chunk, 64 * 1024);
	rq->stream = s;
	TAILQ_INSERT_TAIL(&streams, s, list);
	if (stall_timer == NULL)
		stall_timer = kore_timer_add(stall_check, STREAM_CHECK_MS,
		    NULL, 0);
	http_response_header(req, "content-type", type);
	disposition(req, name);
	/* Survey answers: personal data for the planner alone. */
	http_response_header(req, "cache-control", "no-store");
	http_response_header(req, "transfer-encoding", "chunked");
	req->flags |= HTTP_REQUEST_NO_CONTENT_LENGTH;
	/*
	 * Busy: Kore must not read the next request on this connection
	 * while the body is still being written.  And a "Connection: close"
	 * would close the connection the first time the queue ran empty.
	 */
	c->flags |= CONN_IS_BUSY;
	http_response(req, 200, NULL, 0);
	if (c->flags & CONN_CLOSE_EMPTY) {
		c->flags &= ~CONN_CLOSE_EMPTY;
		s->close_after = 1;
	}
	return (MW_OK);
}

/* What the handler keeps between its calls. */
void *
stream_data(struct http_request *req)
{
	return (stream_of(req)->data);
}

/* Where the handler writes the next chunk. */
struct strbuf *
stream_buf(struct http_request *req)
{
	return (&stream_of(req)->chunk);
}

/*
 * A download in keyset pages of one query, pipelined: while a page is
 * formatted PostgreSQL already reads the next, and Kore sends the one
 * before; a formatted page is held until the chunk before it has left the
 * send queue (stream_flush).  Called again on each wake-up until done.
 */
int
stream_pages(struct http_request *req, const struct stream_pager *p)
{
	struct stream	*s = stream_of(req);
	PGresult	*res, *next;
	enum db_status	st;
	int		r;

	for (;;) {
		if (s->held) {
			if ((r = stream_flush(req)) != KORE_RESULT_OK)
				return (r);
			s->held = 0;
		}
		if (s->last_page)
			return (p->end(req));
		if ((st = db_step(req, p->op, &res)) == DB_PENDING) {
			/* Woken for the chunk, still waiting for the page. */
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		if (st == DB_FAILED)
			return (stream_cut(req, "a page could not be read"));
		res = db_take(req, p->op);
		s->last_page = !p->next(req, res);
		if (!s->last_page && db_step(req, p->op, &next) == DB_FAILED) {
			PQclear(res);
			return (stream_cut(req, "a page could not be read"));
		}
		p->rows(req, res);
		PQclear(res);
		s->held = 1;
	}
}

static void
queue_chunk(struct connection *c, struct stream *s)
{
	char	size[20];
	int	n;

	/* HEAD: Kore sent the headers only; a body would be a stray reply. */
	if (s->chunk.len == 0 || s->req->method == HTTP_METHOD_HEAD) {
		strbuf_reset(&s->chunk);
		return;
	}
	n = snprintf(size, sizeof(size), "%zx\r\n", s->chunk.len);
	net_send_queue(c, size, (size_t)n);
	net_send_queue(c, s->chunk.data, s->chunk.len);
	net_send_queue(c, "\r\n", 2);
	strbuf_reset(&s->chunk);
}

/*
 * Queues the chunk once the one before it has been written, so a stream
 * holds at most the chunk in the send queue and the next one.  KORE_RESULT_OK:
 * queued, go on producing; KORE_RESULT_RETRY: the previous chunk is still
 * on its way, the request sleeps and the handler calls again when woken;
 * KORE_RESULT_ERROR: the connection is gone.
 */
int
stream_flush(struct http_request *req)
{
	struct stream		*s = stream_of(req);
	struct connection	*c = req->owner;

	if (c == NULL || c->state == CONN_STATE_DISCONNECTING)
		return (KORE_RESULT_ERROR);
	if (s->marker != NULL) {
		s->waiting = 1;
		http_request_sleep(req);
		return (KORE_RESULT_RETRY);
	}
	queue_chunk(c, s);
	net_send_stream(c, NULL, 0, marker_sent, &s->marker);
	s->marker->extra = s;
	/* Nothing else would write before the socket's next event. */
	if (!net_send_flush(c)) {
		kore_connection_disconnect(c);
		return (KORE_RESULT_ERROR);
	}
	return (KORE_RESULT_OK);
}

/* The last chunk and the terminating empty one; the request is done. */
int
stream_end(struct http_request *req)
{
	struct stream		*s = stream_of(req);
	struct connection	*c = req->owner;

	if (c == NULL || c->state == CONN_STATE_DISCONNECTING)
		return (KORE_RESULT_ERROR);
	queue_chunk(c, s);
	if (req->method != HTTP_METHOD_HEAD)
		net_send_queue(c, "0\r\n\r\n", 5);
	c->flags &= ~CONN_IS_BUSY;
	if (s->close_after)
		c->flags |= CONN_CLOSE_EMPTY;
	else
		http_start_recv(c);
	return (KORE_RESULT_OK);
}

/* After the first byte an error cuts the stream: no final chunk. */
int
stream_cut(struct http_request *req, const char *why)
{
	kore_log(LOG_WARNING, "stream id=%s cut: %s", rq_get(req)->id, why);
	if (req->owner != NULL)
		kore_connection_disconnect(req->owner);
	return (KORE_RESULT_ERROR);
}

/* From the request's clean-up: a marker still queued must not call us. */
void
stream_free(struct stream *s)
{
	if (s == NULL)
		return;
	if (s->marker != NULL)
		s->marker->extra = NULL;
	TAILQ_REMOVE(&streams, s, list);
	if (s->data_free != NULL)
		s->data_free(s->data);
	strbuf_free(&s->chunk);
	kore_free(s);
}
