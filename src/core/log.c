/*
 * The request log.  Each worker collects whole lines in a buffer and writes
 * it with one write(2) when it fills or every LOG_FLUSH_MS, and when the
 * worker stops: a syscall per request cost a third of /healthz throughput.
 * Whole-line writes from each worker never interleave mid-line.  On a
 * worker crash at most LOG_FLUSH_MS of lines are lost; requests still
 * reach the metrics, which live in shared memory.
 */

#include <unistd.h>

#include "mitwirken.h"

#define LOG_FLUSH_MS	100
#define LOG_BUF_MAX	(16 * 1024)

static struct strbuf	buf;

void	kore_worker_teardown(void);

static void
log_flush(void)
{
	size_t	off;
	ssize_t	n;

	for (off = 0; off < buf.len; off += (size_t)n) {
		if ((n = write(STDOUT_FILENO, buf.data + off,
		    buf.len - off)) <= 0)
			break;
	}
	strbuf_reset(&buf);
}

static void
flush_timer(void *arg, u_int64_t now)
{
	(void)arg;
	(void)now;
	if (buf.len > 0)
		log_flush();
}

void
log_init(void)
{
	strbuf_init(&buf, LOG_BUF_MAX);
	kore_timer_add(flush_timer, LOG_FLUSH_MS, NULL, 0);
}

void
log_line(const char *line, size_t len)
{
	strbuf_append(&buf, line, len);
	if (buf.len >= LOG_BUF_MAX)
		log_flush();
}

void
kore_worker_teardown(void)
{
	log_flush();
}
