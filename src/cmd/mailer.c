/*
 * mitwirken-mailer: delivers the outbox.  The server only ever inserts
 * sealed mail in the same transaction as the change that causes it; this
 * program claims pending rows (FOR UPDATE SKIP LOCKED, so several may run),
 * opens them with the outbox key, renders assets/mail/<template>.<lang>.txt
 * and delivers over SMTP to MITWIRKEN_SMTP_HOST, or, when none is set (the
 * local default), writes each mail as a file under MITWIRKEN_MAIL_DIR and
 * prints its path.  Failures are retried with growing delays.
 *
 * usage: mitwirken-mailer [--once]    (--once: deliver what is due, exit)
 */

#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sodium.h>

#include "mitwirken.h"

#define BATCH		20
#define POLL_SECONDS	5
#define KEY_WAIT_SECONDS	60	/* for the server to create the key */

static const char SQL_CLAIM[] =
    "UPDATE outbox SET attempts = attempts + 1,"
    " next_attempt_at = now() + make_interval(mins => least(60,"
    "  power(2, attempts)::int))"
    " WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL"
    "  AND next_attempt_at <= now() ORDER BY id LIMIT 20"
    "  FOR UPDATE SKIP LOCKED)"
    " RETURNING id, sealed";

static const char SQL_SENT[] =
    "UPDATE outbox SET sent_at = now(), last_error = NULL WHERE id = $1";

static const char SQL_FAILED[] =
    "UPDATE outbox SET last_error = $2 WHERE id = $1";

struct mail {
	char	to[EMAIL_MAX + 1];
	char	template[32];
	char	lang[4];
	char	link[1024];
};

static struct keys	keys;
static const char	*assets = "assets";
static const char	*mail_dir = "var/mail";
static const char	*smtp_host;
static const char	*smtp_port = "25";
static const char	*mail_from = "mitwirken@localhost";

static int
load_keys(void)
{
	struct stat	st;
	const char	*path;
	int		n;

	if ((path = getenv("MITWIRKEN_KEY_FILE")) == NULL)
		path = "var/mitwirken.key";
	/*
	 * The server creates the key file on its first start, whole at once
	 * (app.c); started next to it (make run, a service manager), the
	 * mailer may come first.  It waits for the file rather than exit and
	 * deliver nothing, and never creates one: one owner, one key.
	 */
	for (n = 0; stat(path, &st) == -1 && errno == ENOENT; n++) {
		if (n == 0)
			fprintf(stderr, "mailer: waiting up to %d s for key file "
			    "%s (the server creates it on its first start)\n",
			    KEY_WAIT_SECONDS, path);
		if (n == KEY_WAIT_SECONDS * 4) {
			fprintf(stderr, "mailer: still no key file %s; start "
			    "the server first\n", path);
			return (MW_ERROR);
		}
		(void)usleep(250000);
	}
	if (!keys_load(&keys, path)) {
		fprintf(stderr, "mailer: cannot read key file %s\n", path);
		return (MW_ERROR);
	}
	return (MW_OK);
}

static int
field(const cJSON *doc, const char *name, char *out, size_t len)
{
	const cJSON	*v;

	v = cJSON_GetObjectItemCaseSensitive(doc, name);
	if (!cJSON_IsString(v) || strlen(v->valuestring) >= len)
		return (MW_ERROR);
	(void)snprintf(out, len, "%s", v->valuestring);
	return (MW_OK);
}

static int
open_mail(const char *hex, struct mail *m)
{
	unsigned char	sealed[SEALED_MAX];
	char		json[SEALED_MAX];
	size_t		len;
	cJSON		*doc;
	int		ok;

	if (!bytea_parse(hex, sealed, sizeof(sealed), &len) ||
	    !secret_open(keys.outbox, "outbox", sealed, len, json,
	    sizeof(json)) || (doc = cJSON_Parse(json)) == NULL)
		return (MW_ERROR);
	ok = field(doc, "to", m->to, sizeof(m->to)) &&
	    field(doc, "template", m->template, sizeof(m->template)) &&
	    field(doc, "lang", m->lang, sizeof(m->lang)) &&
	    field(doc, "link", m->link, sizeof(m->link));
	cJSON_Delete(doc);
	sodium_memzero(json, sizeof(json));
	return (ok);
}

/* A template name is [a-z_]: it becomes part of a file path. */
static int
load_template(const struct mail *m, struct strbuf *out)
{
	char	path[1024], chunk[4096];
	size_t	i, n;
	FILE	*fp;

	for (i = 0; m->template[i] != '\0'; i++) {
		if (!((m->template[i] >= 'a' && m->template[i] <= 'z') ||
		    m->template[i] == '_'))
			return (MW_ERROR);
	}
	(void)snprintf(path, sizeof(path), "%s/mail/%s.%s.txt", assets,
	    m->template, strcmp(m->lang, "en") == 0 ? "en" : "de");
	if ((fp = fopen(path, "r")) == NULL)
		return (MW_ERROR);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		strbuf_append(out, chunk, n);
	fclose(fp);
	return (MW_OK);
}

/* RFC 2047 for a UTF-8 subject. */
static void
encoded_subject(struct strbuf *out, const char *subject)
{
	char	b64[512];

	sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)subject,
	    strlen(subject) < 300 ? strlen(subject) : 300,
	    sodium_base64_VARIANT_ORIGINAL);
	strbuf_appendf(out, "Subject: =?UTF-8?B?%s?=\r\n", b64);
}

/* The whole message, CRLF line ends, with {{link}} filled in. */
static int
render(const struct mail *m, long id, struct strbuf *msg)
{
	struct strbuf	t;
	char		subject[300], date[64];
	const char	*body, *p, *nl;
	time_t		now;

	strbuf_init(&t, 1024);
	if (!load_template(m, &t) || strncmp(t.data, "Subject: ", 9) != 0 ||
	    (body = strstr(t.data, "\n\n")) == NULL) {
		strbuf_free(&t);
		return (MW_ERROR);
	}
	(void)snprintf(subject, sizeof(subject), "%.*s",
	    (int)(strchr(t.data, '\n') - t.data - 9), t.data + 9);
	now = time(NULL);
	(void)strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000",
	    gmtime(&now));
	strbuf_appendf(msg, "From: %s\r\nTo: <%s>\r\nDate: %s\r\n"
	    "Message-ID: <outbox-%ld-%ld@mitwirken>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n", mail_from, m->to, date, id,
	    (long)now);
	encoded_subject(msg, subject);
	strbuf_appends(msg, "\r\n");
	for (p = body + 2; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (strncmp(p, "{{link}}", 8) == 0) {
			strbuf_appends(msg, m->link);
			strbuf_append(msg, p + 8, (size_t)(nl - p - 8));
		} else {
			strbuf_append(msg, p, (size_t)(nl - p));
		}
		strbuf_appends(msg, "\r\n");
		if (*nl == '\0')
			break;
	}
	strbuf_free(&t);
	return (MW_OK);
}

static int
deliver_file(const struct mail *m, long id, const struct strbuf *msg)
{
	char	path[1024];
	int	fd, ok;

	(void)mkdir(mail_dir, 0700);
	(void)snprintf(path, sizeof(path), "%s/%06ld-%s.eml", mail_dir, id,
	    m->template);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		return (MW_ERROR);
	ok = write(fd, msg->data, msg->len) == (ssize_t)msg->len;
	ok = close(fd) == 0 && ok;
	if (ok)
		printf("mailer: wrote %s\n", path);
	return (ok);
}

static int
smtp_reply(FILE *fp, int want)
{
	char	line[512];

	do {
		if (fgets(line, sizeof(line), fp) == NULL)
			return (MW_ERROR);
	} while (strlen(line) > 3 && line[3] == '-');
	return (atoi(line) == want);
}

static int
smtp_cmd(FILE *fp, int want, const char *fmt, const char *arg)
{
	fprintf(fp, fmt, arg);
	fflush(fp);
	return (smtp_reply(fp, want));
}

static FILE *
smtp_connect(void)
{
	struct addrinfo	hints, *res, *ai;
	int		fd;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(smtp_host, smtp_port, &hints, &res) != 0)
		return (NULL);
	for (fd = -1, ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype, 0)) == -1)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return (fd == -1 ? NULL : fdopen(fd, "r+"));
}

/* Plain SMTP to a relay the operator runs; dot-stuffed DATA. */
static int
deliver_smtp(const struct mail *m, const struct strbuf *msg)
{
	const char	*p;
	FILE		*fp;
	int		ok;

	if ((fp = smtp_connect()) == NULL)
		return (MW_ERROR);
	ok = smtp_reply(fp, 220) &&
	    smtp_cmd(fp, 250, "EHLO %s\r\n", "mitwirken") &&
	    smtp_cmd(fp, 250, "MAIL FROM:<%s>\r\n", mail_from) &&
	    smtp_cmd(fp, 250, "RCPT TO:<%s>\r\n", m->to) &&
	    smtp_cmd(fp, 354, "%s\r\n", "DATA");
	for (p = msg->data; ok && *p != '\0'; p = strchr(p, '\n') + 1) {
		if (*p == '.')
			fputc('.', fp);
		fwrite(p, 1, (size_t)(strchr(p, '\n') - p + 1), fp);
		if (strchr(p, '\n')[1] == '\0')
			break;
	}
	ok = ok && smtp_cmd(fp, 250, "%s\r\n", ".");
	if (ok)
		(void)smtp_cmd(fp, 221, "%s\r\n", "QUIT");
	fclose(fp);
	return (ok);
}

static void
mark(PGconn *db, const char *sql, const char *id, const char *error)
{
	const char	*params[2] = { id, error };
	PGresult	*res;

	res = PQexecParams(db, sql, error ? 2 : 1, NULL, params, NULL, NULL,
	    0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fprintf(stderr, "mailer: %s", PQerrorMessage(db));
	PQclear(res);
}

static int
deliver(PGconn *db, const char *id, const char *hex)
{
	struct strbuf	msg;
	struct mail	m;
	int		ok;

	strbuf_init(&msg, 2048);
	ok = open_mail(hex, &m);
	if (!ok) {
		mark(db, SQL_FAILED, id, "cannot open sealed mail");
	} else if (!render(&m, atol(id), &msg)) {
		ok = 0;
		mark(db, SQL_FAILED, id, "unknown template");
	} else if (!(smtp_host ? deliver_smtp(&m, &msg) :
	    deliver_file(&m, atol(id), &msg))) {
		ok = 0;
		mark(db, SQL_FAILED, id, smtp_host ? "SMTP delivery failed" :
		    "cannot write mail file");
	} else {
		mark(db, SQL_SENT, id, NULL);
	}
	sodium_memzero(&m, sizeof(m));
	sodium_memzero(msg.data, msg.len);
	strbuf_free(&msg);
	return (ok);
}

/* One batch; returns how many rows it claimed, -1 on a database error. */
static int
run_batch(PGconn *db)
{
	PGresult	*res;
	int		i, n;

	res = PQexec(db, SQL_CLAIM);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "mailer: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		(void)deliver(db, PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	PQclear(res);
	return (n);
}

static void
wait_notify(PGconn *db)
{
	struct timeval	tv = { POLL_SECONDS, 0 };
	PGnotify	*n;
	fd_set		fds;
	int		fd;

	fd = PQsocket(db);
	FD_ZERO(&fds);
	FD_SET(fd, &fds);
	(void)select(fd + 1, &fds, NULL, NULL, &tv);
	(void)PQconsumeInput(db);
	while ((n = PQnotifies(db)) != NULL)
		PQfreemem(n);
}

static void
settings(void)
{
	const char	*v;

	if ((v = getenv("MITWIRKEN_ASSETS")) != NULL && *v != '\0')
		assets = v;
	if ((v = getenv("MITWIRKEN_MAIL_DIR")) != NULL && *v != '\0')
		mail_dir = v;
	if ((v = getenv("MITWIRKEN_SMTP_HOST")) != NULL && *v != '\0')
		smtp_host = v;
	if ((v = getenv("MITWIRKEN_SMTP_PORT")) != NULL && *v != '\0')
		smtp_port = v;
	if ((v = getenv("MITWIRKEN_MAIL_FROM")) != NULL && *v != '\0')
		mail_from = v;
}

int
main(int argc, char **argv)
{
	PGconn		*db;
	const char	*dsn;
	int		once, n;

	once = argc > 1 && strcmp(argv[1], "--once") == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	settings();
	if (sodium_init() < 0 || !load_keys())
		return (1);
	if ((dsn = getenv("DATABASE_URL")) == NULL) {
		fprintf(stderr, "mailer: DATABASE_URL is not set\n");
		return (2);
	}
	for (;;) {
		db = PQconnectdb(dsn);
		if (PQstatus(db) == CONNECTION_OK) {
			PQclear(PQexec(db, "LISTEN outbox"));
			do {
				while ((n = run_batch(db)) == BATCH)
					;
				if (once || n < 0)
					break;
				wait_notify(db);
			} while (PQstatus(db) == CONNECTION_OK);
		} else {
			fprintf(stderr, "mailer: %s", PQerrorMessage(db));
		}
		PQfinish(db);
		if (once)
			return (0);
		sleep(POLL_SECONDS);
	}
}
