/*
 * Start-up: the parent reads the environment, creates the key file, loads
 * assets and maps the shared metrics before Kore forks its workers; each
 * worker then registers its database pools (the primary, and the read
 * replica when MITWIRKEN_REPLICA_URL names one).  Also the seccomp allowances
 * that libpq and libsodium need beyond Kore's default worker filter.
 */

#include <sys/prctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sodium.h>

#include <kore/seccomp.h>

#include "mitwirken.h"

struct config	mw_config;
struct keys	mw_keys;
int		mw_worker_id = -1;

void	kore_worker_configure(void);
void	kore_seccomp_hook(void);

static pid_t	parent_pid;

/*
 * Seen killing workers on these machines: libpq stats files and probes
 * GSSAPI at connect and resolves "localhost" through uname; sodium_malloc
 * locks its pages.
 */
static struct sock_filter filter_mitwirken[] = {
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(getdents64),
	KORE_SYSCALL_ALLOW(uname),
	KORE_SYSCALL_ALLOW(mlock),
	KORE_SYSCALL_ALLOW(munlock),
	KORE_SYSCALL_ALLOW(madvise),
	/*
	 * glibc's realloc of a block above the mmap threshold: a burst of
	 * log lines grew a worker's message queue to the parent that far,
	 * and the sandbox killed the worker's main thread (make scan).
	 */
	KORE_SYSCALL_ALLOW(mremap),
	KORE_SYSCALL_ALLOW(sysinfo),
	/* glibc starts Kore's task threads (password hashing) with clone3. */
	KORE_SYSCALL_ALLOW(clone3),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(sched_getaffinity),
	/* Hash threads lower their own priority (hashing.c). */
	KORE_SYSCALL_ALLOW(gettid),
	KORE_SYSCALL_ALLOW(setpriority),
};

/*
 * Kore calls this in every new worker before it installs the filter, the
 * last moment prctl is allowed.  Kore 4.1 workers never notice a parent
 * that died by SIGKILL or the OOM killer (each keeps both ends of its
 * message socket): they went on serving the port with the old module,
 * and a restarted Kore could not bind it.  The kernel tells them instead;
 * SIGQUIT is Kore's own "finish and exit".
 */
void
kore_seccomp_hook(void)
{
	if (prctl(PR_SET_PDEATHSIG, SIGQUIT) == -1)
		fatal("prctl(PR_SET_PDEATHSIG): %s", errno_s);
	/* The parent may have died before the prctl. */
	if (getppid() != parent_pid)
		(void)raise(SIGQUIT);
	kore_seccomp_filter("mitwirken", filter_mitwirken,
	    KORE_FILTER_LEN(filter_mitwirken));
}

static void *
cjson_alloc(size_t len)
{
	return (kore_malloc(len));
}

/*
 * The key file holds the secrets later features derive their keys from.
 * It is created once, never overwritten, never logged, and must not be
 * readable by anyone but the service.  It is written under a temporary
 * name and linked into place, so a reader (the mailer, waiting for it)
 * never sees it half-written, and link() fails if another start won the
 * race: then that key is used, never a second one.
 */
static int
key_file_ensure(const char *path)
{
	unsigned char	key[KEY_FILE_LEN];
	char		tmp[PATH_MAX];
	struct stat	st;
	ssize_t		n;
	int		fd, ok;

	if (stat(path, &st) == 0) {
		if ((st.st_mode & 077) != 0) {
			fprintf(stderr, "mitwirken: key file %s is readable "
			    "by others; chmod 600 it\n", path);
			return (MW_ERROR);
		}
		return (MW_OK);
	}
	(void)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		fprintf(stderr, "mitwirken: cannot create key file %s\n", path);
		return (MW_ERROR);
	}
	randombytes_buf(key, sizeof(key));
	n = write(fd, key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	ok = n == (ssize_t)sizeof(key) && fsync(fd) == 0 &&
	    fchmod(fd, 0600) == 0;
	(void)close(fd);
	if (ok && link(tmp, path) == -1 && errno != EEXIST)
		ok = 0;
	(void)unlink(tmp);
	if (!ok) {
		fprintf(stderr, "mitwirken: cannot write key file %s\n", path);
		return (MW_ERROR);
	}
	printf("mitwirken: key file %s ready (mode 0600)\n", path);
	return (MW_OK);
}

/*
 * Kore's parent start-up, given the application's route table (see
 * src/routes.c).  Any failure here stops start-up before a worker exists.
 */
/*
 * The German and English word lists (Debian's wngerman, wamerican) that
 * passwords.c checks against, read into one buffer here because workers
 * may not open files; kept for the life of the process.
 */
static void
words_load(void)
{
	static const char *const	paths[] = {
		"/usr/share/dict/ngerman", "/usr/share/dict/american-english"
	};
	struct stat			st[2];
	FILE				*fp;
	char				*buf;
	size_t				i, len;

	for (i = 0, len = 0; i < 2; i++) {
		if (stat(paths[i], &st[i]) == -1)
			fatal("word list %s: %s (apt-get install wngerman "
			    "wamerican)", paths[i], errno_s);
		len += (size_t)st[i].st_size + 1;
	}
	buf = kore_malloc(len);
	for (i = 0, len = 0; i < 2; i++) {
		if ((fp = fopen(paths[i], "rb")) == NULL)
			fatal("word list %s: %s", paths[i], errno_s);
		len += fread(buf + len, 1, (size_t)st[i].st_size, fp);
		buf[len++] = '\n';
		fclose(fp);
	}
	if (!passwords_load_words(buf, len))
		fatal("word lists are empty");
}

void
app_parent_configure(const struct route_table *routes)
{
	const struct asset	*pw;
	char			err[512];

	parent_pid = getpid();
	/*
	 * Forked workers must not repeat output buffered in the parent: flush
	 * what Kore printed so far, then buffer by line (stdout may be a pipe
	 * or a file under a supervisor).
	 */
	fflush(stdout);
	setvbuf(stdout, NULL, _IOLBF, 0);
	setvbuf(stderr, NULL, _IONBF, 0);

	if (sodium_init() < 0 ||
	    !config_load(&mw_config, (config_getenv)getenv, err,
	    sizeof(err)))
		fatal("configuration: %s", err);
	if (!key_file_ensure(mw_config.key_file) ||
	    !keys_load(&mw_keys, mw_config.key_file))
		fatal("key file %s unusable", mw_config.key_file);
	if (!assets_load(mw_config.assets_dir, err, sizeof(err)))
		fatal("assets: %s", err);
	if ((pw = assets_find("", "common-passwords.txt")) == NULL ||
	    !passwords_load(pw->data, pw->len))
		fatal("assets: common-passwords.txt missing");
	words_load();
	hashing_init();
	dispatch_init(routes);
	if (!metrics_init(1, routes->count + 1))
		fatal("cannot map shared metrics");
	/* Do not advertise the Kore version to every client. */
	http_server_version("mitwirken");
}

void
kore_worker_configure(void)
{
	cJSON_Hooks	hooks = { cjson_alloc, kore_free };
	unsigned char	seed[8];

	cJSON_InitHooks(&hooks);
	randombytes_buf(seed, sizeof(seed));
	reqid_seed(seed, sizeof(seed));
	log_init();
	mw_worker_id = worker != NULL ? worker->id : 0;
	/* Kore's default of 2 connections per worker starves any real load. */
	pgsql_conn_max = (u_int16_t)mw_config.db_conns;
	if (!kore_pgsql_register(DB_NAME, mw_config.database_url))
		fatal("cannot register database");
	metrics_pool(mw_worker_id, 0, mw_config.db_conns, 0);
	replica_init();
	owner_init();
}
