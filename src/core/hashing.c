/*
 * Password hashing off the event loop.  argon2id at libsodium's INTERACTIVE
 * limits blocks for about 0.12 s, so it runs in a Kore task thread; the
 * worker keeps serving while it runs.  At most task_threads hashes run per
 * worker (conf) and at most HASH_PENDING_MAX wait; beyond that the client
 * gets a 503 with Retry-After instead of an ever longer queue.  Anonymous
 * hashing (registration, reset: j->anon) may hold only HASH_ANON_MAX of
 * those places, and only HASH_ANON_RUNNING of its jobs are handed to Kore's
 * task threads at a time; the others wait in a queue of our own.  Kore's
 * queue is first come, first served: without that a sign-in waited behind
 * every registration of a flood (p99 5 s in make bench); now behind at
 * most one.
 *
 * An unknown address is verified against a dummy hash made at start-up, so
 * it costs the same time as a known one and timing reveals nothing.
 */

#include <sys/resource.h>
#include <sys/syscall.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "mitwirken.h"

#define HASH_PENDING_MAX	64
#define HASH_ANON_MAX		32
#define HASH_ANON_RUNNING	1
#define HASH_NICE		10

static char		dummy_hash[crypto_pwhash_STRBYTES];
static int		pending;
static int		anon_pending;
static int		anon_running;
static TAILQ_HEAD(, hash_job)	anon_queue = TAILQ_HEAD_INITIALIZER(anon_queue);

static unsigned long long
ops_limit(void)
{
	return (crypto_pwhash_OPSLIMIT_INTERACTIVE);
}

static size_t
mem_limit(void)
{
	return (crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

/* In the parent, before fork: every worker inherits the same dummy. */
void
hashing_init(void)
{
	char	pw[32];

	randombytes_buf(pw, sizeof(pw));
	if (crypto_pwhash_str(dummy_hash, pw, sizeof(pw), ops_limit(),
	    mem_limit()) != 0)
		fatal("cannot compute the dummy password hash");
	sodium_memzero(pw, sizeof(pw));
}

/*
 * Hash threads yield the CPU to the event loop: a burst of sign-ins may
 * wait a little longer, but /healthz and every page stay prompt.
 */
static void
lower_priority(void)
{
	static __thread int	done;

	if (!done) {
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
		    HASH_NICE);
		done = 1;
	}
}

/* Runs in a task thread: touches only the job. */
static int
hash_entry(struct kore_task *t)
{
	struct hash_job	*j = (struct hash_job *)((char *)t -
			    offsetof(struct hash_job, task));
	const char	*stored;

	lower_priority();
	if (j->verify) {
		stored = j->stored[0] != '\0' ? j->stored : dummy_hash;
		j->ok = crypto_pwhash_str_verify(stored, j->password,
		    j->password_len) == 0 && j->stored[0] != '\0';
		if (!j->ok || crypto_pwhash_str_needs_rehash(j->stored,
		    ops_limit(), mem_limit()) == 0)
			goto out;
	}
	if (crypto_pwhash_str(j->hash, j->password, j->password_len,
	    ops_limit(), mem_limit()) != 0)
		j->failed = 1;
	else
		j->rehashed = j->verify;
out:
	sodium_memzero(j->password, sizeof(j->password));
	return (KORE_RESULT_OK);
}

/* Hands the job to Kore's task threads; its end wakes the request. */
static void
submit(struct http_request *req, struct hash_job *j)
{
	anon_running += j->anon;
	j->state = HASH_RUNNING;
	kore_task_create(&j->task, hash_entry);
	kore_task_bind_request(&j->task, req);
	kore_task_run(&j->task);
}

static int
start(struct http_request *req, struct hash_job *j)
{
	if (pending >= HASH_PENDING_MAX ||
	    (j->anon && anon_pending >= HASH_ANON_MAX)) {
		sodium_memzero(j->password, sizeof(j->password));
		j->state = HASH_FAILED;
		respond_error(req, 503, "busy", "Too many sign-ins at once; "
		    "try again shortly.", NULL);
		return (MW_ERROR);
	}
	pending++;
	anon_pending += j->anon;
	if (j->anon && anon_running >= HASH_ANON_RUNNING) {
		j->state = HASH_QUEUED;
		j->req = req;
		TAILQ_INSERT_TAIL(&anon_queue, j, queue);
		http_request_sleep(req);
		return (MW_OK);
	}
	submit(req, j);
	return (MW_OK);
}

/* A job's thread is done: its places are free, the next anonymous starts. */
static void
finished(struct hash_job *j)
{
	struct hash_job	*next;

	pending--;
	anon_pending -= j->anon;
	anon_running -= j->anon;
	j->state = HASH_DONE;
	if (anon_running < HASH_ANON_RUNNING &&
	    (next = TAILQ_FIRST(&anon_queue)) != NULL) {
		TAILQ_REMOVE(&anon_queue, next, queue);
		submit(next->req, next);
	}
}

/*
 * A step like db_step: starts the job on the first call, then answers
 * DB_PENDING until the thread finished.  verify: check password against
 * stored (or the dummy when stored is empty), rehashing when limits rose;
 * otherwise: hash password.
 */
enum db_status
hashing_step(struct http_request *req, int verify, const char *password,
    size_t len, const char *stored)
{
	struct hash_job	*j = &rq_get(req)->hash;

	switch (j->state) {
	case HASH_IDLE:
		if (len >= sizeof(j->password))
			fatal("hash_step: password longer than checked");
		memcpy(j->password, password, len);
		j->password_len = len;
		j->verify = verify;
		(void)snprintf(j->stored, sizeof(j->stored), "%s",
		    stored != NULL ? stored : "");
		if (!start(req, j))
			return (DB_FAILED);
		return (DB_PENDING);
	case HASH_QUEUED:
		return (DB_PENDING);
	case HASH_RUNNING:
		if (kore_task_state(&j->task) != KORE_TASK_STATE_FINISHED)
			return (DB_PENDING);
		finished(j);
		metrics_password_hash();
		if (j->failed) {
			j->state = HASH_FAILED;
			respond_error(req, 500, NULL, NULL, NULL);
			return (DB_FAILED);
		}
		return (DB_DONE);
	case HASH_DONE:
		return (DB_DONE);
	default:
		return (DB_FAILED);
	}
}

/*
 * Request teardown; Kore calls it again once a task outlives its request.
 * Wipes the secrets, but not the task itself: Kore destroys that after.
 */
void
hashing_cleanup(struct hash_job *j)
{
	if (j->state == HASH_RUNNING &&
	    kore_task_state(&j->task) != KORE_TASK_STATE_FINISHED)
		return;
	if (j->state == HASH_RUNNING)
		finished(j);
	if (j->state == HASH_QUEUED) {
		/* The client went away while it waited its turn. */
		TAILQ_REMOVE(&anon_queue, j, queue);
		pending--;
		anon_pending--;
		j->state = HASH_DONE;
	}
	sodium_memzero(j->password, sizeof(j->password));
	sodium_memzero(j->stored, sizeof(j->stored));
	sodium_memzero(j->hash, sizeof(j->hash));
}
