/*
 * mitwirken-mailer: delivers the outbox.  The server only ever inserts
 * sealed mail in the same transaction as the change that causes it; this
 * program claims pending rows (FOR UPDATE SKIP LOCKED, so several may run),
 * opens them with the outbox key, renders assets/mail/<template>.<lang>.txt
 * and delivers over SMTP to MITWIRKEN_SMTP_HOST, or, when none is set (the
 * local default), writes each mail as a file under MITWIRKEN_MAIL_DIR and
 * prints its path.  Failures are retried with growing delays.
 *
 * Running as a service it also applies the retention periods (README
 * "Retention"): on start and every MITWIRKEN_RETENTION_INTERVAL seconds.
 *
 * usage: mitwirken-mailer [--once]    (--once: deliver what is due, exit)
 */

#include <sys/select.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
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

/* Periods from README "Retention"; the $n are whole hours or days. */
static const char SQL_RETENTION[] =
    "SELECT what, deleted FROM retention_sweep("
    " make_interval(days => $1::int), make_interval(days => $2::int),"
    " make_interval(days => $3::int), make_interval(hours => $4::int),"
    " make_interval(hours => $5::int), make_interval(days => $6::int),"
    " make_interval(days => $7::int), make_interval(days => $8::int))";

/* Environment name, default, and the unit the SQL above expects. */
static struct period {
	const char	*env;
	const char	*def;
	char		 value[12];
} periods[] = {
	{ "MITWIRKEN_RETAIN_SESSIONS_DAYS", "7", "" },
	{ "MITWIRKEN_RETAIN_TOKENS_DAYS", "7", "" },
	{ "MITWIRKEN_RETAIN_MAIL_DAYS", "7", "" },
	{ "MITWIRKEN_RETAIN_IDEMPOTENCY_HOURS", "24", "" },
	{ "MITWIRKEN_RETAIN_COUNTERS_HOURS", "24", "" },
	{ "MITWIRKEN_RETAIN_UNVERIFIED_DAYS", "30", "" },
	{ "MITWIRKEN_RETAIN_PSEUDONYMS_DAYS", "90", "" },
	{ "MITWIRKEN_RETAIN_DEFECT_CONTACT_DAYS", "30", "" },
};
#define NPERIODS	(sizeof(periods) / sizeof(periods[0]))

static long	sweep_every = 3600;	/* seconds between sweeps */

struct mail {
	char	to[EMAIL_MAX + 1];
	char	template[32];
	char	lang[4];
	char	link[1024];
	char	text[SEALED_MAX];	/* optional: {{text}}, a person's words */
};

static struct keys	keys;
static const char	*assets = "assets";
static const char	*mail_dir = "var/mail";
static const char	*mail_from = "mitwirken@localhost";

/* The relay; host NULL: mail goes to mail_dir. */
static struct {
	const char	*host;
	const char	*user;
	const char	*cafile;
	char		 url[300];
	char		 from[EMAIL_MAX + 3];
	char		 password[256];
	long		 timeout;
	int		 tls;
} smtp;

struct upload {
	const struct strbuf	*msg;
	size_t			 off;
};

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
	if (ok && !field(doc, "text", m->text, sizeof(m->text)))
		m->text[0] = '\0';
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

/* Text with CRLF line ends, as the message body needs them. */
static void
append_lines(struct strbuf *msg, const char *text)
{
	const char	*p, *nl;

	/* A form's textarea sends CRLF: one line end, not two. */
	for (p = text; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		strbuf_append(msg, p, (size_t)(nl - p) -
		    (nl > p && nl[-1] == '\r'));
		strbuf_appends(msg, "\r\n");
	}
	strbuf_appends(msg, p);
}

/* The whole message, CRLF line ends, with {{link}} and {{text}} filled in. */
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
		} else if (strncmp(p, "{{text}}", 8) == 0) {
			append_lines(msg, m->text);
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

/* Feeds the message to libcurl, which dot-stuffs it for DATA. */
static size_t
read_msg(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload	*up = arg;
	size_t		n;

	n = up->msg->len - up->off;
	if (n > size * nitems)
		n = size * nitems;
	memcpy(buf, up->msg->data + up->off, n);
	up->off += n;
	return (n);
}

/*
 * Why a delivery failed, for last_error and the log: curl's own message
 * (never its error buffer, which may quote the relay) and the relay's
 * reply code.  Returns whether the relay as a whole is unusable (no
 * connection, no TLS, refused login, silence), so the rest of the batch
 * waits for its backoff instead of each mail failing the same way.
 */
static int
smtp_failure(CURLcode rc, long reply, char *err, size_t errlen)
{
	const char	*why;

	switch (rc) {
	case CURLE_USE_SSL_FAILED:
		why = "relay offers no STARTTLS: refusing to send in clear";
		break;
	case CURLE_LOGIN_DENIED:
		why = "relay refused the credentials (authentication failed)";
		break;
	case CURLE_OPERATION_TIMEDOUT:
		why = "relay timed out";
		break;
	default:
		why = curl_easy_strerror(rc);
		break;
	}
	(void)snprintf(err, errlen, "SMTP: %s (reply %ld)", why, reply);
	return (rc == CURLE_USE_SSL_FAILED || rc == CURLE_LOGIN_DENIED ||
	    rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_COULDNT_CONNECT ||
	    rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_SSL_CONNECT_ERROR ||
	    rc == CURLE_PEER_FAILED_VERIFICATION);
}

static void
smtp_options(CURL *c, struct curl_slist *rcpt, struct upload *up)
{
	(void)curl_easy_setopt(c, CURLOPT_URL, smtp.url);
	(void)curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	(void)curl_easy_setopt(c, CURLOPT_USE_SSL, smtp.tls ? CURLUSESSL_ALL :
	    CURLUSESSL_NONE);
	if (smtp.cafile != NULL)
		(void)curl_easy_setopt(c, CURLOPT_CAINFO, smtp.cafile);
	if (smtp.user != NULL) {
		(void)curl_easy_setopt(c, CURLOPT_USERNAME, smtp.user);
		(void)curl_easy_setopt(c, CURLOPT_PASSWORD, smtp.password);
	}
	(void)curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, smtp.timeout);
	(void)curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT,
	    smtp.timeout);
	(void)curl_easy_setopt(c, CURLOPT_TIMEOUT, smtp.timeout * 4);
	(void)curl_easy_setopt(c, CURLOPT_MAIL_FROM, smtp.from);
	(void)curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	(void)curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	(void)curl_easy_setopt(c, CURLOPT_READFUNCTION, read_msg);
	(void)curl_easy_setopt(c, CURLOPT_READDATA, up);
}

/*
 * SMTP through libcurl: STARTTLS is required unless the operator opted out
 * for a relay on this host, the relay's certificate is verified, AUTH uses
 * what the relay offers, and every wait is bounded.  Returns MW_OK, or
 * MW_ERROR with err set and *relay_down when the next mail would fail too.
 */
static int
deliver_smtp(const struct mail *m, const struct strbuf *msg, char *err,
    size_t errlen, int *relay_down)
{
	struct curl_slist	*rcpt = NULL;
	struct upload		up = { msg, 0 };
	char			to[EMAIL_MAX + 3];
	long			reply = 0;
	CURL			*c;
	CURLcode		rc;

	if ((c = curl_easy_init()) == NULL) {
		(void)snprintf(err, errlen, "SMTP: cannot start libcurl");
		return (MW_ERROR);
	}
	(void)snprintf(to, sizeof(to), "<%s>", m->to);
	rcpt = curl_slist_append(rcpt, to);
	smtp_options(c, rcpt, &up);
	rc = curl_easy_perform(c);
	(void)curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	sodium_memzero(to, sizeof(to));
	if (rc == CURLE_OK)
		return (MW_OK);
	*relay_down = smtp_failure(rc, reply, err, errlen);
	return (MW_ERROR);
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
deliver(PGconn *db, const char *id, const char *hex, int *relay_down)
{
	struct strbuf	msg;
	struct mail	m;
	char		err[256];
	int		ok;

	strbuf_init(&msg, 2048);
	(void)snprintf(err, sizeof(err), "cannot write mail file");
	if (!(ok = open_mail(hex, &m)))
		(void)snprintf(err, sizeof(err), "cannot open sealed mail");
	else if (!(ok = render(&m, atol(id), &msg)))
		(void)snprintf(err, sizeof(err), "unknown template");
	else if (smtp.host != NULL)
		ok = deliver_smtp(&m, &msg, err, sizeof(err), relay_down);
	else
		ok = deliver_file(&m, atol(id), &msg);
	if (ok) {
		mark(db, SQL_SENT, id, NULL);
	} else {
		/* The id, never the address: the log is not sealed. */
		fprintf(stderr, "mailer: outbox %s not delivered, will retry: "
		    "%s\n", id, err);
		mark(db, SQL_FAILED, id, err);
	}
	sodium_memzero(&m, sizeof(m));
	sodium_memzero(msg.data, msg.len);
	strbuf_free(&msg);
	return (ok);
}

/*
 * One batch; returns how many rows it claimed (0 when the relay failed:
 * no point claiming more now), -1 on a database error.
 * The claim already set each row's next attempt (backoff), so rows left
 * untried behind an unusable relay simply wait for it.
 */
static int
run_batch(PGconn *db)
{
	PGresult	*res;
	int		i, n, down;

	res = PQexec(db, SQL_CLAIM);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "mailer: %s", PQerrorMessage(db));
		PQclear(res);
		return (-1);
	}
	n = PQntuples(res);
	for (down = 0, i = 0; i < n; i++) {
		if (down)
			mark(db, SQL_FAILED, PQgetvalue(res, i, 0),
			    "not tried: the relay failed for an earlier mail");
		else
			(void)deliver(db, PQgetvalue(res, i, 0),
			    PQgetvalue(res, i, 1), &down);
	}
	PQclear(res);
	return (down ? 0 : n);
}

/*
 * Retention runs here because the mailer is already the one helper process
 * next to the server, in make run and in a deployment: no extra timer, no
 * cron entry to forget.  Several mailers may sweep at once; deletes are
 * idempotent.  Only counts are logged.
 */
static void
sweep(PGconn *db)
{
	const char	*params[NPERIODS];
	struct strbuf	line;
	PGresult	*res;
	size_t		i;
	int		r;

	for (i = 0; i < NPERIODS; i++)
		params[i] = periods[i].value;
	res = PQexecParams(db, SQL_RETENTION, NPERIODS, NULL, params, NULL,
	    NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "mailer: retention: %s", PQerrorMessage(db));
		PQclear(res);
		return;
	}
	strbuf_init(&line, 256);
	strbuf_appends(&line, "mailer: retention: deleted");
	for (r = 0; r < PQntuples(res); r++)
		strbuf_appendf(&line, "%s %s %s", r ? "," : "",
		    PQgetvalue(res, r, 1), PQgetvalue(res, r, 0));
	printf("%s\n", line.data);
	strbuf_free(&line);
	PQclear(res);
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

/* Only a relay on this host may be spoken to in clear. */
static int
loopback(const char *host)
{
	return (strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	    strncmp(host, "127.", 4) == 0);
}

/* A host name or an address; it goes into a URL. */
static int
plain_host(const char *host)
{
	size_t	i;

	for (i = 0; host[i] != '\0'; i++) {
		if (!isalnum((unsigned char)host[i]) && host[i] != '.' &&
		    host[i] != '-' && host[i] != ':')
			return (MW_ERROR);
	}
	return (i > 0 && i < 256);
}

/* The relay's password, from a file (preferred) or the environment. */
static int
smtp_password(void)
{
	const char	*v;
	size_t		n;
	FILE		*fp;

	if ((v = getenv("MITWIRKEN_SMTP_PASSWORD_FILE")) != NULL && *v != '\0') {
		if ((fp = fopen(v, "r")) == NULL) {
			fprintf(stderr, "mailer: cannot read "
			    "MITWIRKEN_SMTP_PASSWORD_FILE %s\n", v);
			return (MW_ERROR);
		}
		n = fread(smtp.password, 1, sizeof(smtp.password) - 1, fp);
		fclose(fp);
		smtp.password[n] = '\0';
		smtp.password[strcspn(smtp.password, "\r\n")] = '\0';
	} else if ((v = getenv("MITWIRKEN_SMTP_PASSWORD")) != NULL) {
		(void)snprintf(smtp.password, sizeof(smtp.password), "%s", v);
		(void)unsetenv("MITWIRKEN_SMTP_PASSWORD");
	}
	return (MW_OK);
}

static int
smtp_settings(void)
{
	const char	*v, *port;
	char		*end;

	port = (v = getenv("MITWIRKEN_SMTP_PORT")) != NULL && *v != '\0' ?
	    v : "587";
	if (strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 ||
	    !plain_host(smtp.host)) {
		fprintf(stderr, "mailer: bad MITWIRKEN_SMTP_HOST or "
		    "MITWIRKEN_SMTP_PORT\n");
		return (MW_ERROR);
	}
	/* Port 465 is TLS from the first byte; others upgrade by STARTTLS. */
	(void)snprintf(smtp.url, sizeof(smtp.url), "%s://%s%s%s:%s",
	    strcmp(port, "465") == 0 ? "smtps" : "smtp",
	    strchr(smtp.host, ':') ? "[" : "", smtp.host,
	    strchr(smtp.host, ':') ? "]" : "", port);
	smtp.tls = 1;
	if ((v = getenv("MITWIRKEN_SMTP_TLS")) != NULL && *v != '\0' &&
	    strcmp(v, "required") != 0) {
		if (strcmp(v, "none") != 0 || !loopback(smtp.host)) {
			fprintf(stderr, "mailer: MITWIRKEN_SMTP_TLS must be "
			    "'required' ('none' only for a relay on this "
			    "host)\n");
			return (MW_ERROR);
		}
		smtp.tls = 0;
	}
	smtp.timeout = 30;
	if ((v = getenv("MITWIRKEN_SMTP_TIMEOUT")) != NULL && *v != '\0') {
		smtp.timeout = strtol(v, &end, 10);
		if (*end != '\0' || smtp.timeout < 1 || smtp.timeout > 600) {
			fprintf(stderr, "mailer: MITWIRKEN_SMTP_TIMEOUT must be "
			    "1 to 600 seconds\n");
			return (MW_ERROR);
		}
	}
	if ((v = getenv("MITWIRKEN_SMTP_USER")) != NULL && *v != '\0')
		smtp.user = v;
	if ((v = getenv("MITWIRKEN_SMTP_CAFILE")) != NULL && *v != '\0')
		smtp.cafile = v;
	(void)snprintf(smtp.from, sizeof(smtp.from), "<%s>", mail_from);
	return (smtp_password());
}

static int
whole(const char *env, const char *v, long max, long *out)
{
	char	*end;

	*out = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || *out < 0 || *out > max) {
		fprintf(stderr, "mailer: %s must be a whole number from 0 to "
		    "%ld\n", env, max);
		return (MW_ERROR);
	}
	return (MW_OK);
}

static int
retention_settings(void)
{
	const char	*v;
	size_t		i;
	long		n;

	for (i = 0; i < NPERIODS; i++) {
		if ((v = getenv(periods[i].env)) == NULL || *v == '\0')
			v = periods[i].def;
		if (!whole(periods[i].env, v, 100000, &n))
			return (MW_ERROR);
		(void)snprintf(periods[i].value, sizeof(periods[i].value),
		    "%ld", n);
	}
	if ((v = getenv("MITWIRKEN_RETENTION_INTERVAL")) != NULL &&
	    *v != '\0' && (!whole("MITWIRKEN_RETENTION_INTERVAL", v, 86400,
	    &sweep_every) || sweep_every < 60)) {
		fprintf(stderr, "mailer: MITWIRKEN_RETENTION_INTERVAL: at "
		    "least 60 seconds\n");
		return (MW_ERROR);
	}
	return (MW_OK);
}

static int
settings(void)
{
	const char	*v;

	if ((v = getenv("MITWIRKEN_ASSETS")) != NULL && *v != '\0')
		assets = v;
	if ((v = getenv("MITWIRKEN_MAIL_DIR")) != NULL && *v != '\0')
		mail_dir = v;
	if ((v = getenv("MITWIRKEN_MAIL_FROM")) != NULL && *v != '\0')
		mail_from = v;
	if (!retention_settings())
		return (MW_ERROR);
	if ((v = getenv("MITWIRKEN_SMTP_HOST")) != NULL && *v != '\0') {
		smtp.host = v;
		return (smtp_settings());
	}
	return (MW_OK);
}

int
main(int argc, char **argv)
{
	PGconn		*db;
	const char	*dsn;
	time_t		swept = 0;
	int		once, n;

	once = argc > 1 && strcmp(argv[1], "--once") == 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!settings())
		return (2);
	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0 ||
	    !load_keys())
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
				if (!once && time(NULL) - swept >= sweep_every) {
					sweep(db);
					swept = time(NULL);
				}
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
