/*
 * mitwirken-mailer: delivers the outbox.  The server only ever inserts
 * sealed mail in the same transaction as the change that causes it; this
 * program claims pending rows (FOR UPDATE SKIP LOCKED, so several may run),
 * opens them with the outbox key, renders assets/mail/<template>.<lang>.txt
 * and delivers over SMTP to MITWIRKEN_SMTP_HOST, or, when none is set (the
 * local default), writes each mail as a file under MITWIRKEN_MAIL_DIR and
 * prints its path.  Failures are retried with growing delays.
 *
 * Notifications (README "Notifications") are queued by triggers, where no
 * key is at hand: such a row holds a notice (kind, language, path, the
 * item's words) and its account; the address is read from the account
 * here, so an account erased meanwhile gets nothing.  Every notification,
 * and a signed-in reporter's sealed defect_status mail, carries one
 * unsubscribe link and the RFC 8058 one-click headers.
 *
 * Running as a service it also applies the retention periods (README
 * "Retention"): on start and every MITWIRKEN_RETENTION_INTERVAL seconds.
 *
 * usage: mitwirken-mailer [--once | --retention]
 *        (--once: deliver what is due, exit; --retention: one retention
 *        sweep, exit; status 1 if it failed: the systemd timer's job,
 *        conf/systemd/mitwirken-retention.timer)
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
    " RETURNING id, sealed, notice, account_id,"
    "  (SELECT a.email_ct FROM accounts a WHERE a.id = outbox.account_id"
    "   AND a.deleted_at IS NULL),"
    "  notify_lang(account_id),"
    "  (SELECT site_name FROM site_settings)";

static const char SQL_SENT[] =
    "UPDATE outbox SET sent_at = now(), last_error = NULL WHERE id = $1";

static const char SQL_FAILED[] =
    "UPDATE outbox SET last_error = $2 WHERE id = $1";

/* A notice for an account erased since: nobody to write to. */
static const char SQL_DROP[] =
    "DELETE FROM outbox WHERE id = $1";

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
	char	link[MAIL_LINK_MAX + 1];
	char	unsub[CONFIG_PATH_MAX + UNSUB_TOKEN_MAX + 32];
	char	text[SEALED_MAX];	/* optional: {{text}}, a person's words */
	char	site[64];	/* {{site}}: the name the city gave the site */
	cJSON	*notice;	/* a notification's words: vars */
	cJSON	*catalogue;	/* the language's i18n, loaded on demand */
};

/* One claimed outbox row, as SQL_CLAIM returns it. */
struct row {
	const char	*id;
	const char	*sealed;	/* NULL: a notice */
	const char	*notice;
	const char	*account;	/* NULL: none */
	const char	*email_ct;	/* the live account's; NULL: erased */
	const char	*lang;		/* the account's mail language */
	const char	*site;		/* the site's configured name */
};

static struct keys	keys;
static const char	*assets = "assets";
static const char	*mail_dir = "var/mail";
static const char	*mail_from = "mitwirken@localhost";
static char		 public_url[CONFIG_PATH_MAX] = "http://127.0.0.1:8888";

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

/* The unsubscribe link of a notification kind, for the row's account. */
static void
unsub_link(struct mail *m, const char *account)
{
	char	token[UNSUB_TOKEN_MAX + 1];
	int	kind;

	m->unsub[0] = '\0';
	if (account == NULL || (kind = notify_switch(m->template)) < 0)
		return;
	unsub_token(&keys, atoll(account), kind, token);
	(void)snprintf(m->unsub, sizeof(m->unsub), "%s/abbestellen?t=%s",
	    public_url, token);
}

/* A notice: the words from its trigger, the address from its account. */
static int
open_notice(const struct row *r, struct mail *m)
{
	unsigned char	ct[EMAIL_MAX + 128];
	struct strbuf	link;
	const cJSON	*path;
	size_t		len;

	if ((m->notice = cJSON_Parse(r->notice)) == NULL ||
	    !field(m->notice, "kind", m->template, sizeof(m->template)) ||
	    notify_kind(m->template) < 0 ||
	    !field(m->notice, "lang", m->lang, sizeof(m->lang)))
		return (MW_ERROR);
	path = cJSON_GetObjectItemCaseSensitive(m->notice, "path");
	if (!cJSON_IsString(path) || path->valuestring[0] != '/' ||
	    strlen(public_url) + strlen(path->valuestring) >= sizeof(m->link))
		return (MW_ERROR);
	strbuf_init(&link, sizeof(m->link));
	strbuf_appendf(&link, "%s%s", public_url, path->valuestring);
	memcpy(m->link, link.data, link.len + 1);
	strbuf_free(&link);
	return (bytea_parse(r->email_ct, ct, sizeof(ct), &len) &&
	    secret_open(keys.email, "email", ct, len, m->to, sizeof(m->to)));
}

/* A catalogue entry ("statuses.accepted") in the mail's language. */
static const char *
catalogue(struct mail *m, const char *key)
{
	struct strbuf	file;
	const cJSON	*v;
	const char	*dot;
	char		path[1024], part[64], chunk[4096];
	size_t		n;
	FILE		*fp;

	if (m->catalogue == NULL) {
		(void)snprintf(path, sizeof(path), "%s/i18n/%s.json", assets,
		    strcmp(m->lang, "en") == 0 ? "en" : "de");
		if ((fp = fopen(path, "r")) == NULL)
			return ("");
		strbuf_init(&file, 65536);
		while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			strbuf_append(&file, chunk, n);
		fclose(fp);
		m->catalogue = cJSON_Parse(file.data);
		strbuf_free(&file);
	}
	for (v = m->catalogue; v != NULL && *key != '\0'; key += n) {
		dot = strchr(key, '.');
		if ((n = dot != NULL ? (size_t)(dot - key) : strlen(key)) >=
		    sizeof(part))
			return ("");
		memcpy(part, key, n);
		part[n] = '\0';
		v = cJSON_GetObjectItemCaseSensitive(v, part);
		if (dot != NULL)
			n++;
	}
	return (cJSON_IsString(v) ? v->valuestring : "");
}

/* A template's {{name}}: the link, the unsubscribe link, or a word. */
static const char *
var(struct mail *m, const char *name)
{
	const cJSON	*v;

	if (strcmp(name, "link") == 0)
		return (m->link);
	if (strcmp(name, "unsubscribe") == 0)
		return (m->unsub);
	if (strcmp(name, "text") == 0)
		return (m->text);
	if (strcmp(name, "site") == 0)
		return (m->site);
	v = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(m->notice, "vars"), name);
	if (!cJSON_IsString(v))
		return ("");
	if (strncmp(v->valuestring, "i18n:", 5) == 0)
		return (catalogue(m, v->valuestring + 5));
	return (v->valuestring);
}

/* A value into the body, its line ends as CRLF. */
static void
append_value(struct strbuf *msg, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\n')
			strbuf_appends(msg, "\r\n");
		else if (*v != '\r')
			strbuf_append(msg, v, 1);
	}
}

/* The name of the placeholder at p ("{{name}}" before lim), or NULL. */
static const char *
placeholder(const char *p, const char *lim, char *name, size_t len)
{
	const char	*end;
	size_t		n;

	if (lim - p < 4 || strncmp(p, "{{", 2) != 0 ||
	    (end = strstr(p + 2, "}}")) == NULL || end >= lim ||
	    (n = (size_t)(end - p - 2)) >= len)
		return (NULL);
	memcpy(name, p + 2, n);
	name[n] = '\0';
	return (end + 2);
}

/*
 * One template line: {{name}} anywhere is replaced; a line that begins
 * with {{?name}} is kept only when name has a value (a reason, an
 * unsubscribe link), one with {{!name}} only when it has none, so one
 * template serves both cases.
 */
static void
render_line(struct mail *m, const char *p, const char *lim,
    struct strbuf *msg)
{
	const char	*next;
	char		name[32];

	if (lim - p > 4 && (strncmp(p, "{{?", 3) == 0 ||
	    strncmp(p, "{{!", 3) == 0) && (next = placeholder(p, lim, name,
	    sizeof(name))) != NULL) {
		if ((*var(m, name + 1) == '\0') == (name[0] == '?'))
			return;
		p = next;
	}
	while (p < lim) {
		if ((next = placeholder(p, lim, name, sizeof(name))) != NULL) {
			append_value(msg, var(m, name));
			p = next;
		} else {
			strbuf_append(msg, p++, 1);
		}
	}
	strbuf_appends(msg, "\r\n");
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

/* The whole message, CRLF line ends, with its {{names}} filled in. */
/* The subject with its {{names}} filled in, on one line. */
static void
subject_line(struct mail *m, const char *p, const char *lim, char *out,
    size_t len)
{
	struct strbuf	line;

	strbuf_init(&line, 128);
	render_line(m, p, lim, &line);
	/* render_line ends the line with CRLF; a value's line ends go too. */
	(void)snprintf(out, len, "%.*s", (int)strcspn(line.data, "\r\n"),
	    line.data);
	strbuf_free(&line);
}

static int
render(struct mail *m, long id, struct strbuf *msg)
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
	subject_line(m, t.data + 9, strchr(t.data, '\n'), subject,
	    sizeof(subject));
	now = time(NULL);
	(void)strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000",
	    gmtime(&now));
	strbuf_appendf(msg, "From: %s\r\nTo: <%s>\r\nDate: %s\r\n"
	    "Message-ID: <outbox-%ld-%ld@mitwirken>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n", mail_from, m->to, date, id,
	    (long)now);
	/* RFC 8058: one POST to this address unsubscribes, no sign-in. */
	if (m->unsub[0] != '\0')
		strbuf_appendf(msg, "List-Unsubscribe: <%s>\r\n"
		    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
		    m->unsub);
	encoded_subject(msg, subject);
	strbuf_appends(msg, "\r\n");
	for (p = body + 2; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		render_line(m, p, nl, msg);
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

/*
 * Opens a row: sealed mail, or a notice.  A signed-in person's sealed
 * notification (defect_status, and defect_message under its switch) goes
 * out in their language, with their unsubscribe link, as every notice
 * does.
 */
static int
open_row(const struct row *r, struct mail *m)
{
	if (r->sealed == NULL)
		return (open_notice(r, m) && (unsub_link(m, r->account), 1));
	if (!open_mail(r->sealed, m))
		return (MW_ERROR);
	if (r->account != NULL && notify_switch(m->template) >= 0) {
		(void)snprintf(m->lang, sizeof(m->lang), "%s", r->lang);
		unsub_link(m, r->account);
	}
	return (MW_OK);
}

static int
deliver(PGconn *db, const struct row *r, int *relay_down)
{
	struct strbuf	msg;
	struct mail	m;
	const char	*id = r->id;
	char		err[256];
	int		ok;

	if (r->sealed == NULL && r->email_ct == NULL) {
		/* The id only: who it was for is nobody's business now. */
		printf("mailer: outbox %s: the account is gone, notice "
		    "dropped\n", id);
		mark(db, SQL_DROP, id, NULL);
		return (MW_OK);
	}
	memset(&m, 0, sizeof(m));
	/* Admins name the site (/verwaltung/auftritt); mails say it too. */
	(void)snprintf(m.site, sizeof(m.site), "%s",
	    r->site != NULL && *r->site != '\0' ? r->site : "mitwirken");
	strbuf_init(&msg, 2048);
	(void)snprintf(err, sizeof(err), "cannot write mail file");
	if (!(ok = open_row(r, &m)))
		(void)snprintf(err, sizeof(err), "cannot open mail");
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
	cJSON_Delete(m.notice);
	cJSON_Delete(m.catalogue);
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
/* Column c of row i; NULL for SQL NULL. */
static const char *
value(PGresult *res, int i, int c)
{
	return (PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c));
}

static int
run_batch(PGconn *db)
{
	struct row	r;
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
		else {
			r.id = value(res, i, 0);
			r.sealed = value(res, i, 1);
			r.notice = value(res, i, 2);
			r.account = value(res, i, 3);
			r.email_ct = value(res, i, 4);
			r.lang = value(res, i, 5);
			r.site = value(res, i, 6);
			(void)deliver(db, &r, &down);
		}
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
static int
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
		return (0);
	}
	strbuf_init(&line, 256);
	strbuf_appends(&line, "mailer: retention: deleted");
	for (r = 0; r < PQntuples(res); r++)
		strbuf_appendf(&line, "%s %s %s", r ? "," : "",
		    PQgetvalue(res, r, 1), PQgetvalue(res, r, 0));
	printf("%s\n", line.data);
	strbuf_free(&line);
	PQclear(res);
	return (1);
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
	size_t		n;

	if ((v = getenv("MITWIRKEN_ASSETS")) != NULL && *v != '\0')
		assets = v;
	if ((v = getenv("MITWIRKEN_MAIL_DIR")) != NULL && *v != '\0')
		mail_dir = v;
	if ((v = getenv("MITWIRKEN_MAIL_FROM")) != NULL && *v != '\0')
		mail_from = v;
	/* Links in notices are paths: the public address goes first. */
	if ((v = getenv("MITWIRKEN_PUBLIC_URL")) != NULL && *v != '\0') {
		(void)snprintf(public_url, sizeof(public_url), "%s", v);
		if ((n = strlen(public_url)) > 0 && public_url[n - 1] == '/')
			public_url[n - 1] = '\0';
	}
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
	int		once, retention, n;

	once = argc > 1 && strcmp(argv[1], "--once") == 0;
	retention = argc > 1 && strcmp(argv[1], "--retention") == 0;
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
	if (retention) {
		db = PQconnectdb(dsn);
		n = PQstatus(db) == CONNECTION_OK && sweep(db);
		if (PQstatus(db) != CONNECTION_OK)
			fprintf(stderr, "mailer: %s", PQerrorMessage(db));
		PQfinish(db);
		return (n ? 0 : 1);
	}
	for (;;) {
		db = PQconnectdb(dsn);
		if (PQstatus(db) == CONNECTION_OK) {
			PQclear(PQexec(db, "LISTEN outbox"));
			do {
				if (!once && time(NULL) - swept >= sweep_every) {
					(void)sweep(db);
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
