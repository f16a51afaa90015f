/*
 * mitwirken: citizen participation for a smart city.
 *
 * The header of the two lower layers, one section per source file:
 *   src/lib/   pure modules: no Kore, no PostgreSQL, no network; the unit
 *              tests, the fuzzers and the command-line programs link them
 *   src/core/  what every request goes through: dispatch, the request
 *              context, responses, the database path, sessions, forms and
 *              pages (only with MW_SERVER, inside the Kore module)
 * Each capability (src/accounts/, src/ideas/, ...) has its own header for
 * what only it and the route table (src/routes.c) need.  Dependencies
 * point down: a capability uses core and lib, core uses lib, never back
 * (make layers checks the objects).  Exported names carry their module's
 * prefix: params_ in params.c, rq_ in request.c, form_ in form.c.  Route
 * handlers are named by what they answer: api_<resource>_<verb> (JSON) in
 * a capability's <name>.c, page_<resource>_<verb> (HTML) in its
 * <name>_pages.c; a db_op the route table names is op_<what>.
 */

#ifndef MITWIRKEN_H
#define MITWIRKEN_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define MW_OK		1
#define MW_ERROR	0

/* strbuf.c: a growable, always NUL-terminated byte buffer. */
struct strbuf {
	char	*data;
	size_t	len;
	size_t	cap;
};

void	strbuf_init(struct strbuf *, size_t);
void	strbuf_free(struct strbuf *);
void	strbuf_reset(struct strbuf *);
void	strbuf_append(struct strbuf *, const void *, size_t);
void	strbuf_appends(struct strbuf *, const char *);
void	strbuf_appendf(struct strbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*strbuf_steal(struct strbuf *);

/* config.c: deployment settings from the environment. */
#define CONFIG_DSN_MAX		1024
#define CONFIG_PATH_MAX		512

struct config {
	char		database_url[CONFIG_DSN_MAX];
	char		key_file[CONFIG_PATH_MAX];
	char		assets_dir[CONFIG_PATH_MAX];
	char		public_url[CONFIG_PATH_MAX];
	int		behind_tls;
	int		trust_proxy;
	int		db_conns;
	int		retry_after;
	long		json_body_max;
	int		session_idle;		/* seconds */
	int		session_absolute;	/* seconds */
	int		login_limit_account;	/* failures per window */
	int		login_limit_ip;
	int		login_window;		/* seconds */
	int		anon_limit_address;	/* sign-ups, resets */
	int		anon_limit_ip;
	int		anon_window;		/* seconds */
	int		require_verified;
	int		submit_limit_account;	/* ideas and comments */
	int		submit_limit_ip;
	int		submit_window;		/* seconds */
	int		form_min_seconds;	/* before a form may be sent */
	int		form_max_seconds;	/* after which it expired */
	int		idem_limit;		/* new keys per scope per window */
	int		idem_window;		/* seconds */
	int		stream_stall;	/* seconds a download may not move */
	int		survey_k;	/* published results: no count below */
	double		bbox[4];	/* min lon, min lat, max lon, max lat */
	long		photo_max_bytes;	/* one uploaded photo */
	long		photo_max_pixels;	/* width x height, before decoding */
	int		duplicate_radius;	/* metres: "already reported" */
	int		reopen_days;	/* a reporter may reopen or confirm */
	char		tile_url[CONFIG_PATH_MAX];	/* "": the plain grid */
	char		tile_attribution[CONFIG_PATH_MAX];
	char		replica_url[CONFIG_DSN_MAX];	/* "": no replica */
	int		replica_conns;
	int		replica_max_lag;	/* seconds */
};

typedef const char *(*config_getenv)(const char *);

int	config_load(struct config *, config_getenv, char *, size_t);
int	config_bbox(const char *, double *);
void	config_tile_origin(const char *, char *, size_t);

/* router.c: method and path matching with {name} captures. */
#define ROUTER_CAPTURES_MAX	4
#define ROUTER_SEGMENT_MAX	128

enum route_method {
	M_GET = 0x01,
	M_POST = 0x02,
	M_PUT = 0x04,
	M_DELETE = 0x08,
	M_PATCH = 0x10,
	M_HEAD = 0x20,
	M_OPTIONS = 0x40
};

struct route_capture {
	const char	*name;
	size_t		name_len;
	const char	*value;
	size_t		value_len;
};

struct route_match {
	int			ncaptures;
	struct route_capture	captures[ROUTER_CAPTURES_MAX];
};

int		router_path_match(const char *, const char *,
		    struct route_match *);
int		router_method_value(const char *);
void		router_allow_header(int, char *, size_t);

/* params.c: query strings, form bodies and declared parameters. */
#define PARAMS_MAX		512	/* a survey page sends one field per option */
#define PARAM_NAME_MAX		64
#define PARAM_VALUE_MAX		65536	/* a survey definition typed into a form */

enum param_type {
	PARAM_SLUG = 1,		/* [a-z0-9-], 1..64 */
	PARAM_INT,		/* decimal integer in [min, max] */
	PARAM_ENUM,		/* one of choices */
	PARAM_TEXT		/* valid UTF-8 without controls, len in [min, max] */
};

struct param_spec {
	const char		*name;
	enum param_type		type;
	int			required;
	long			min;
	long			max;
	const char *const	*choices;
};

struct param {
	char	*name;
	char	*value;
};

struct param_set {
	int		count;
	struct param	items[PARAMS_MAX];
};

/* A field error: the parameter and a short reason a client can show. */
struct field_error {
	char	field[PARAM_NAME_MAX];
	char	reason[128];
};

struct field_errors {
	int			count;
	struct field_error	items[8];
};

int		params_parse_query(const char *, struct param_set *,
		    struct field_errors *);
int		params_add(struct param_set *, const char *, size_t,
		    const char *, size_t);
void		params_free(struct param_set *);
void		params_drop_empty(struct param_set *);
void		params_drop_unknown(struct param_set *,
		    const struct param_spec *);
const char	*params_get(const struct param_set *, const char *);
int		params_validate(const struct param_set *,
		    const struct param_spec *, struct field_errors *);
int		params_url_decode(const char *, size_t, char *, size_t,
		    size_t *);
void		params_url_encode(struct strbuf *, const char *);

/* utf8.c: the text the server accepts, and lengths in characters. */
int		utf8_valid_json(const char *, size_t);
int		utf8_valid_text(const char *, size_t);
size_t		utf8_length(const char *, size_t);

/* errors.c: the uniform JSON error body of DESIGN.md. */
const char	*error_code_for_status(int);
const char	*error_message_for_status(int);
char		*error_body(int, const char *, const char *,
		    const struct field_errors *, const char *);
void		error_sqlstate(const char *, int *, const char **);
int		error_sqlstate_lost(const char *);
void		error_field_add(struct field_errors *, const char *,
		    const char *);

/* json.c: strict parsing of request bodies; reading members. */
#define JSON_DEPTH_MAX	32

cJSON		*json_parse_body(const char *, size_t, char *, size_t);
const char	*json_str(const cJSON *, const char *);
double		json_num(const cJSON *, const char *);
int		json_true(const cJSON *, const char *);

/* html.c: escaping and a small mustache-like template engine. */
void	html_escape(struct strbuf *, const char *, size_t);
typedef const char *(*html_partial)(const char *, size_t, size_t *);

int	html_render(struct strbuf *, const char *, size_t,
	    const cJSON *, html_partial, char *, size_t);

/* markup.c: the city's texts as safe HTML (paragraphs, headings, lists,
 * links); everything else escaped. */
void	markup_render(struct strbuf *, const char *, size_t);
int	markup_link_ok(const char *, size_t);

/* colour.c: "#rrggbb", WCAG contrast against white, the favicon. */
#define COLOUR_MIN_CONTRAST	4.5
#define FAVICON_ICO_LEN		(6 + 16 + 40 + 32 * 32 * 4 + 32 * 4)

int	colour_parse(const char *, unsigned char [3]);
double	colour_contrast(const unsigned char [3], const unsigned char [3]);
int	colour_check(const char *, char *, size_t);
void	favicon_ico(const unsigned char [3], unsigned char [FAVICON_ICO_LEN]);
void	favicon_svg(const unsigned char [3], struct strbuf *);

/* lang.c: language negotiation (German first, English second). */
enum lang {
	LANG_DE = 0,
	LANG_EN = 1
};

enum lang	lang_negotiate(const char *, const char *);
const char	*lang_code(enum lang);

/* replica.c: which pool serves a read; the read replica's lag. */
#define REPLICA_SAMPLES		128	/* primary positions remembered */
#define REPLICA_SKEW_MS		250	/* clocks of nodes may differ so much */

struct replica_track {
	int64_t		at_ms[REPLICA_SAMPLES];	/* wall clock, when asked */
	uint64_t	lsn[REPLICA_SAMPLES];	/* the primary's position */
	int		n;
	int		head;
	int64_t		covers_ms;	/* writes before it are replayed */
};

enum replica_decision {
	RD_REPLICA = 0,		/* served by the replica */
	RD_NOT_WANTED,		/* the op must see the latest data */
	RD_NOT_CONFIGURED,	/* no MITWIRKEN_REPLICA_URL */
	RD_DOWN,		/* the replica does not answer */
	RD_LAGGING,		/* beyond MITWIRKEN_REPLICA_MAX_LAG */
	RD_OWN_WRITE,		/* the client's write is not replayed yet */
	RD_FALLBACK		/* the replica failed the statement */
};
#define RD_COUNT	(RD_FALLBACK + 1)

struct replica_route_in {
	int		wants;		/* the op accepts slightly stale data */
	int		configured;
	int		healthy;	/* the last probe was answered */
	int64_t		now_ms;
	int64_t		covers_ms;	/* replica_track's, 0: unknown */
	int64_t		max_lag_ms;
	int64_t		client_write_ms;	/* 0: none recently */
};

int		replica_lsn_parse(const char *, uint64_t *);
void		replica_track_init(struct replica_track *);
void		replica_track_primary(struct replica_track *, int64_t,
		    uint64_t);
int64_t		replica_track_replayed(struct replica_track *, uint64_t);
int64_t		replica_lag_ms(const struct replica_track *, int64_t);
enum replica_decision replica_route(const struct replica_route_in *);
int		replica_cookie_age(int64_t);
int64_t		replica_cookie_parse(const char *, int64_t);
const char	*replica_decision_name(enum replica_decision);

/* metrics.c: request counters and latency histograms in shared memory. */
#define METRICS_BUCKETS		12

extern const double	metrics_bucket_bounds[METRICS_BUCKETS];

int	metrics_init(int, int);
void	metrics_request(int, int, uint64_t);
void	metrics_db_error(void);
void	metrics_db_retry(void);
void	metrics_password_hash(void);
void	metrics_idem_replay(void);
void	metrics_image_task(void);
void	metrics_pool(int, int, int, int);
void	metrics_replica_pool(int, int, int, int);
void	metrics_db_query(int);
void	metrics_replica_route(enum replica_decision);
void	metrics_replica_state(int, int, int64_t);
void	metrics_render(struct strbuf *, const char *const *, int);
void	metrics_reset(void);

/* keys.c: one key per purpose, derived from the key file. */
#define EMAIL_MAX		254
#define EMAIL_LOOKUP_LEN	32
#define TOKEN_LEN		43
#define TOKEN_HASH_LEN		32
#define SEALED_MAX		8192
/* The longest link a sealed mail may carry (the mailer's buffer). */
#define MAIL_LINK_MAX		1023

struct keys {
	unsigned char	lookup[32];
	unsigned char	email[32];
	unsigned char	token[32];
	unsigned char	outbox[32];
	unsigned char	survey[32];
	unsigned char	idem[32];
};

#define KEY_FILE_LEN		64

int	keys_load(struct keys *, const char *);
int	keys_derive(struct keys *, const unsigned char *, size_t);

/* email.c: the normal form of an address and its keyed MAC. */
int	email_normalize(const char *, char *, size_t);
void	email_lookup(const struct keys *, const char *, unsigned char *);

/* secret.c: sealed secrets (AEAD, with the purpose as associated data). */
int	secret_seal(const unsigned char *, const char *, const void *, size_t,
	    unsigned char *, size_t, size_t *);
int	secret_open(const unsigned char *, const char *, const unsigned char *,
	    size_t, char *, size_t);

/* token.c: bearer tokens; only their keyed hash is stored; derived tokens. */
void	token_new(char *);
int	token_valid(const char *);
void	token_hash(const struct keys *, const char *, unsigned char *);
void	token_derive(const struct keys *, const char *, const char *, char *);
int	token_equal(const char *, const char *);

/*
 * unsubscribe.c: the kinds of notification and their unsubscribe tokens
 * (a keyed MAC of version, account and kind: no table lookup).
 */
#define UNSUB_VERSION		1
#define UNSUB_TOKEN_MAX		96
#define NOTIFY_KINDS		4
extern const char *const	notify_kinds[];
int	notify_kind(const char *);
int	notify_switch(const char *);
void	unsub_token(const struct keys *, long long, int, char *);
int	unsub_check(const struct keys *, const char *, long long *, int *);

/* bytea.c: PostgreSQL bytea in hex form. */
void	bytea_hex(const unsigned char *, size_t, char *, size_t);
int	bytea_parse(const char *, unsigned char *, size_t, size_t *);

/* stamp.c: form stamps, the MACed time a form was served. */
void	stamp_new(const struct keys *, long long, char *, size_t);
int	stamp_age(const struct keys *, const char *, long long,
	    long long *);
enum stamp_verdict {
	STAMP_OK = 0,
	STAMP_FORGED,		/* malformed, or not our MAC */
	STAMP_TOO_YOUNG,	/* sent faster than a person fills a form */
	STAMP_EXPIRED		/* shown longer ago than the maximum */
};
enum stamp_verdict	stamp_check(const struct keys *, const char *,
			    long long, long long, long long);

/* validate.c: texts in characters, map points, pagination cursors. */
const char	*validate_text(const char *, size_t, size_t, int, size_t *,
		    size_t *);
int		validate_decimal(const char *, double *);
int		validate_point(double, double, const double *);
#define AGE_BANDS	"under-18, 18-29, 30-44, 45-64, 65-79, 80-plus"
int		validate_age_band(const char *);
int		validate_cursor(const char *, char, long long *, long long *);

/* passwords.c: length rules, the common-password list, guessable forms. */
#define PASSWORD_MIN	12
#define PASSWORD_MAX	128

int		passwords_load(char *, size_t);
int		passwords_common(const char *);
int		passwords_load_words(char *, size_t);
const char	*passwords_problem(const char *, size_t);

/* roles.c: role bits, names and lists; authz.c: the checks. */
enum role_bits {
	ROLE_CITIZEN = 0x01,
	ROLE_MODERATOR = 0x02,
	ROLE_STAFF = 0x04,
	ROLE_PLANNER = 0x08,
	ROLE_BOARD = 0x10,
	ROLE_ADMIN = 0x20
};

enum route_auth {
	AUTH_NONE = 0,		/* credentials are not even looked at */
	AUTH_OPTIONAL,		/* a session is resolved if one is given */
	AUTH_REQUIRED		/* 401 without a session */
};

struct principal {
	int64_t		account_id;	/* 0: anonymous */
	int64_t		session_id;
	int		bearer;
	int		roles;
	int		department_id;
	int		verified;
	char		csrf[TOKEN_LEN + 1];
	char		pseudonym[40];
	char		department[65];	/* slug, for staff */
	char		age_band[16];	/* "" when not given */
};

int		roles_from_name(const char *);
const char	*roles_name(int);
int		roles_from_list(const char *);
void		roles_to_json(cJSON *, int);
int		authz_check(const struct principal *, int, int);
int		authz_origin_allowed(const char *, const char *, const char *,
		    const char *);

/* cookie.c: finding and formatting cookies. */
int		cookie_find(const char *, const char *, char *, size_t);
void		cookie_format(char *, size_t, const char *, const char *, int,
		    int);

/* reqid.c: request ids that are safe to log and to echo. */
#define REQID_LEN	32

int	reqid_valid(const char *);
void	reqid_from_bytes(const unsigned char *, size_t, char *, size_t);
void	reqid_seed(const unsigned char *, size_t);
void	reqid_next(char *, size_t);

/* migration.c: numbered, forward-only SQL files. */
struct migration {
	long	version;
	char	name[256];
};

int	migration_parse_name(const char *, long *);
int	migration_sort(struct migration *, int, char *, size_t);

/*
 * Repeatable files (sql/functions/NAME.sql): applied after the numbered
 * ones whenever their checksum, a hex SHA-256 of the file, changed.
 */
#define MIGRATION_CHECKSUM_LEN	64
#define MIGRATION_STEM_MAX	63	/* a PostgreSQL identifier */

struct repeatable {
	char	name[256];
	char	checksum[MIGRATION_CHECKSUM_LEN + 1];
	int	pending;
	char	*sql;
};

int	migration_parse_repeatable(const char *);
void	migration_checksum(const void *, size_t, char *);
void	migration_sort_repeatables(struct repeatable *, int);
int	migration_seen(struct repeatable *, int, const char *, const char *);

/* idemkey.c: Idempotency-Key syntax, request fingerprints, outcomes. */
#define IDEM_KEY_MAX		255
#define IDEM_HASH_LEN		32
#define IDEM_RUNNING_MAX	60	/* seconds a request may hold its key */

enum idem_policy {
	IDEM_IGNORE = 0,	/* the header is not looked at */
	IDEM_USE,		/* stored answers are replayed */
	IDEM_REFUSE		/* the answer carries a secret: 422 */
};

struct idem_request {
	const char	*method;
	const char	*path;
	const char	*query;
	const char	*content_type;
	const void	*body;
	size_t		body_len;
};

/* What the database holds under a presented key. */
struct idem_row {
	int	fresh;		/* inserted now: nobody used the key before */
	int	found;		/* an earlier row was visible */
	int	same_request;	/* its fingerprint matches this request's */
	int	done;		/* its answer is stored */
	long	age;		/* seconds since it was claimed */
	long	wait;		/* >0: over the scope's quota, seconds */
	int	owned;		/* its claimant's worker is known (since 026) */
	int	alive;		/* that worker still runs */
	int	free;		/* given up: no request holds it */
	int	written;	/* the holder's write committed */
};

enum idem_outcome {
	IDEM_PROCEED,		/* run the handler, then store its answer */
	IDEM_REPLAY,		/* send the stored answer again */
	IDEM_IN_PROGRESS,	/* 409: the first request still runs */
	IDEM_UNKNOWN,		/* 409: the first ended, its answer unknown */
	IDEM_REUSED,		/* 422: the key belongs to another request */
	IDEM_OVER_QUOTA,	/* 429: the scope claimed too many keys */
	IDEM_TAKE_OVER,		/* its holder died before writing: run */
	IDEM_CARRIED_OUT	/* 409: it was written, its answer lost */
};

enum idem_policy	idem_route_policy(int, int, const char *);
int			idem_key_valid(const char *);
void			idem_request_hash(const unsigned char *,
			    const struct idem_request *, unsigned char *);
enum idem_outcome	idem_decide(const struct idem_row *);

/*
 * survey.c: SurveyJS definitions, the documented subset (DESIGN.md
 * "Surveys"), parsed and validated into one flat list of questions.
 * Problems carry a JSON Pointer into the definition.  survey_parse,
 * survey_compatible, answers_check and answers_from_form start with an
 * empty problem list; survey_problem appends (counting "more" when full).
 * Question names: ^[A-Za-z][A-Za-z0-9_]{0,63}$, unique without case.
 */
#define SURVEY_NAME_MAX		64	/* bytes in a question name */
#define SURVEY_QUESTIONS_MAX	300
#define SURVEY_CHOICES_MAX	200
#define SURVEY_PAGES_MAX	50
#define SURVEY_PROBLEMS_MAX	64

enum survey_qtype {
	SQ_RADIOGROUP = 1,
	SQ_DROPDOWN,
	SQ_CHECKBOX,
	SQ_RATING,	/* rateMin..rateMax by rateStep, or rateValues */
	SQ_TEXT,
	SQ_NUMBER,	/* "text" with "inputType": "number" */
	SQ_COMMENT,
	SQ_RANKING,
	SQ_MATRIX	/* one column per row */
};

/* A localizable string: a plain string, or {"default"|"de"|"en": ...}. */
struct survey_text {
	char	*de;	/* "de", else "default", else the plain string */
	char	*en;	/* "en", else de; never NULL, "" when absent */
};

struct survey_choice {
	char			*value;	/* canonical text: "3", "yes" */
	int			numeric;	/* the value is a JSON number */
	struct survey_text	text;
};

struct expr;

struct survey_question {
	char			name[SURVEY_NAME_MAX + 1];
	enum survey_qtype	type;
	int			page;		/* 0-based */
	int			required;
	struct survey_text	title;		/* the name when absent */
	struct survey_text	description;
	char			*visible_src;	/* NULL: always visible */
	struct expr		*visible_if;
	/* Choices; a rating's values; a matrix's columns. */
	struct survey_choice	*choices;
	int			nchoices;
	struct survey_choice	*rows;		/* matrix rows */
	int			nrows;
	int			has_min;	/* number: min, max */
	int			has_max;
	double			min;
	double			max;
	int			max_length;	/* text, comment: characters */
};

struct survey_page {
	char			name[SURVEY_NAME_MAX + 1];
	struct survey_text	title;
	int			first;		/* index of its first question */
	int			count;
};

struct survey_def {
	struct survey_text	title;
	struct survey_text	description;
	int			npages;
	struct survey_page	*pages;
	int			nquestions;
	struct survey_question	*questions;	/* in page order */
};

struct survey_problem {
	char	path[160];	/* JSON Pointer: /pages/0/elements/2/choices */
	char	reason[160];
};

struct survey_problems {
	int			count;
	int			more;	/* problems beyond the list */
	struct survey_problem	items[SURVEY_PROBLEMS_MAX];
};

struct survey_def	*survey_parse(const cJSON *, struct survey_problems *);
void			survey_free(struct survey_def *);
int			survey_find(const struct survey_def *, const char *);
int			survey_compatible(const struct survey_def *,
			    const struct survey_def *,
			    struct survey_problems *);
void			survey_problem(struct survey_problems *, const char *,
			    const char *, ...)
			    __attribute__((format(printf, 3, 4)));

/*
 * The per-survey respondent pseudonym: a keyed MAC (keys.survey) of the
 * survey id, a kind ('a' account id, 'c' access code, 'b' browser token,
 * 'p' a paper form's random token) and that subject.
 */
#define SURVEY_RESPONDENT_LEN	32

void	survey_respondent(const struct keys *, int64_t, char, const char *,
	    unsigned char *);

/*
 * expr.c: SurveyJS expressions (visibleIf), evaluated as survey-core does.
 * expr_names calls cb for every {name}; it returns 0 when cb did.
 * expr_eval returns 1 when the condition holds over the answers object.
 */
struct expr	*expr_parse(const char *, char *, size_t);
void		 expr_free(struct expr *);
int		 expr_names(const struct expr *,
		    int (*)(const char *, void *), void *);
int		 expr_eval(const struct expr *, const cJSON *);

/*
 * answers.c: a SurveyJS result checked against its definition.  Returns
 * the clean answers (visible questions only) or NULL with problems whose
 * paths point into the answers ("/q3", "/q3/1"); seen[i] is set for each
 * visible question.  answers_from_form merges one page of the HTML form.
 */
enum answers_mode {
	ANSWERS_FINAL = 0,	/* required answers enforced */
	ANSWERS_DRAFT		/* types and choices only */
};

cJSON	*answers_check(const struct survey_def *, const cJSON *,
	    enum answers_mode, unsigned char *, struct survey_problems *);
int	 answers_from_form(const struct survey_def *, int,
	    const struct param_set *, cJSON *, struct survey_problems *);

/*
 * results.c: survey results from tallies.  Each response adds 1 to the
 * keys results_tallies writes (a JSON array of [kind, question, item,
 * value]; kinds n, s, a, v, x as in the plan, "d" added by the SQL);
 * results_build turns the summed rows into the results document.  With
 * k > 0 (published results) counts below k are hidden (null) and
 * secondary suppression keeps them from being recomputed from totals.
 */
#define RESULTS_K_DEFAULT	5

struct tally {
	char		kind;		/* n s a v x d */
	const char	*question;
	const char	*item;
	const char	*value;
	long long	n;
};

struct results_opts {
	int		k;		/* 0: unsuppressed (planners) */
	enum lang	lang;		/* titles and labels */
	const char	*crosstab_a;	/* NULL: no cross-tabulation */
	const char	*crosstab_b;
};

void	results_tallies(const struct survey_def *, const cJSON *,
	    const unsigned char *, const char *, const char *,
	    struct strbuf *);
cJSON	*results_build(const struct survey_def *, const struct tally *, int,
	    const struct results_opts *);
cJSON	*results_from_json(const cJSON *, const cJSON *,
	    const struct results_opts *);
cJSON	*results_summary(const cJSON *);

/*
 * tabular.c: a survey's responses as a table for planners.  The columns
 * come from the parsed definition (tabular_layout): respondent, channel,
 * district, submitted_at, then per question one column; a checkbox one
 * 0/1 column per option, a matrix one per row, a ranking one per choice
 * holding its rank.  Choice answers are coded: by their values when all
 * are numbers (a rating's mean stays the server's mean), else 1..n in
 * definition order, with the choice texts as value labels.  Names are
 * unique (case-insensitively) and valid in SPSS and R, at most 64 bytes.
 */
#define TAB_NAME_MAX		64
#define TAB_META_COLUMNS	4

enum tab_source {
	TAB_META = 1,	/* item: 0 respondent, 1 channel, 2 district, 3 time */
	TAB_VALUE,	/* text, comment, number: the answer itself */
	TAB_CODE,	/* radiogroup, dropdown, rating: the choice's code */
	TAB_CHECK,	/* a checkbox option (item): 1 checked, 0 not */
	TAB_CELL,	/* a matrix row (item): the chosen column's code */
	TAB_RANK	/* a ranking choice (item): its rank, 1 = first */
};

enum tab_dialect {
	TAB_RFC4180 = 0,	/* comma, CRLF, decimal point */
	TAB_EXCEL_DE,		/* semicolon, UTF-8 BOM, decimal comma */
	TAB_SPSS		/* RFC 4180, line breaks in texts as spaces */
};

struct tab_column {
	char			name[TAB_NAME_MAX + 1];
	char			*label;
	enum tab_source		source;
	int			question;	/* -1 for the meta columns */
	int			item;
	int			numeric;
	int			width;		/* bytes, of a string column */
};

struct tab_layout {
	const struct survey_def	*def;
	enum tab_dialect	dialect;
	int			english;	/* labels in English */
	int			ncolumns;
	struct tab_column	*columns;
	int			*by_index;	/* per question: codes are 1..n */
};

/* One response besides its answers, as the export query returns it. */
struct tab_row {
	const char	*respondent;	/* hex */
	const char	*channel;
	const char	*district;	/* slug; NULL or "": none */
	const char	*submitted_at;	/* ISO 8601, UTC */
};

struct tab_layout	*tabular_layout(const struct survey_def *,
			    enum tab_dialect, int);
void			tabular_free(struct tab_layout *);
void			tabular_csv_header(struct strbuf *,
			    const struct tab_layout *);
void			tabular_csv_row(struct strbuf *,
			    const struct tab_layout *, const struct tab_row *,
			    const cJSON *);
void			tabular_json_row(struct strbuf *,
			    const struct tab_row *, const char *, size_t, int);
void			tabular_spss(struct strbuf *,
			    const struct tab_layout *, const char *);
void			tabular_r(struct strbuf *, const struct tab_layout *,
			    const char *);
void			tabular_codebook(struct strbuf *,
			    const struct tab_layout *);
void			tabular_text_cell(struct strbuf *, enum tab_dialect,
			    const char *, size_t);

/*
 * open311.c: Open311 GeoReport v2, the pure part: a new service request's
 * form body, the list filters (comma lists, ISO 8601 times), the spec's
 * error document, and the XML form of the JSON documents.
 */
enum open311_field {
	O311_SERVICE_CODE = 0,
	O311_LAT,
	O311_LONG,
	O311_ADDRESS,		/* address_string */
	O311_ADDRESS_ID,	/* accepted, not used: no address registry */
	O311_EMAIL,
	O311_DEVICE_ID,		/* accepted, not used */
	O311_ACCOUNT_ID,	/* accepted, not used */
	O311_FIRST_NAME,
	O311_LAST_NAME,
	O311_PHONE,
	O311_DESCRIPTION,
	O311_MEDIA_URL,
	O311_API_KEY,
	O311_JURISDICTION,	/* accepted: one jurisdiction per server */
	O311_FIELDS
};

/* A parsed POST requests body; fields trimmed, NULL when not given. */
struct open311_request {
	char	*field[O311_FIELDS];
	double	lat;
	double	lon;
	int	has_point;
	cJSON	*attributes;	/* code: "value", or ["v", ...] for code[] */
};

enum open311_list {
	O311_LIST_CODES = 1,	/* service codes */
	O311_LIST_IDS,		/* service_request_id */
	O311_LIST_STATUSES	/* open, closed */
};

int		open311_parse_request(const char *, size_t,
		    struct open311_request *, struct field_errors *);
void		open311_request_free(struct open311_request *);
const char	*open311_field_name(enum open311_field);
int		open311_parse_list(const char *, enum open311_list,
		    struct strbuf *);
int		open311_parse_time(const char *, long long *);
void		open311_format_time(long long, char *, size_t);
void		open311_xml_text(struct strbuf *, const char *, size_t);
#define OPEN311_XML_DECL	"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"

void		open311_xml_element(struct strbuf *, const char *,
		    const cJSON *);
void		open311_xml(struct strbuf *, const char *, const cJSON *);
void		open311_error(struct strbuf *, int, int, const char *,
		    const struct field_errors *);

/*
 * image.c: uploaded photos, recognised by content (JPEG, PNG), checked by
 * their header against the byte and pixel limits, then decoded, turned
 * upright (EXIF orientation), scaled and written anew as baseline JPEGs
 * without any metadata, with a thumbnail.  Reasons read after a field's
 * name: "photo is larger than 10 MB".
 */
#define IMAGE_EDGE		2048	/* longest edge of a stored photo */
#define IMAGE_THUMB_EDGE	320
#define IMAGE_QUALITY		85
#define IMAGE_RECTS_MAX		16	/* areas one blur may hide */
#define IMAGE_BLUR_BLOCKS	48	/* blocks across the longest edge */

enum image_kind {
	IMAGE_NONE = 0,
	IMAGE_JPEG,
	IMAGE_PNG
};

/* Why a photo was refused; image_http_status maps it to a status. */
enum image_verdict {
	IMAGE_OK = 0,
	IMAGE_WRONG_TYPE,	/* 415: not JPEG or PNG, or an unreadable kind */
	IMAGE_TOO_BIG,		/* 413: more bytes than allowed */
	IMAGE_TOO_MANY_PIXELS,	/* 422: a pixel flood, by its header */
	IMAGE_DAMAGED		/* 422: broken or truncated */
};

struct image_info {
	enum image_kind		kind;
	unsigned		width, height;
	int			interlaced;	/* PNG */
	enum image_verdict	verdict;
	char			reason[80];
};

/* Zero fields take the defaults: 10 MiB, 40 MP, 2048, 320, 85. */
struct image_limits {
	long		max_bytes;
	long		max_pixels;
	unsigned	max_edge;
	unsigned	thumb_edge;
	int		quality;
};

/* Both buffers are malloc'ed JPEGs; image_out_free releases them. */
struct image_out {
	unsigned char		*photo;
	size_t			photo_len;
	unsigned		width, height;
	unsigned char		*thumb;
	size_t			thumb_len;
	unsigned		thumb_width, thumb_height;
	enum image_verdict	verdict;	/* when it failed */
};

/* An area to hide, in fractions (0..1) of the width and height. */
struct image_rect {
	double	x, y, w, h;
};

const char	*image_inspect(const void *, size_t, long, long,
		    struct image_info *);
int		image_http_status(enum image_verdict);
int		image_process(const void *, size_t,
		    const struct image_limits *, struct image_out *, char *,
		    size_t);
int		image_blur(const void *, size_t, const struct image_rect *,
		    int, struct image_out *, char *, size_t);
int		image_rects_valid(const struct image_rect *, int);
void		image_out_free(struct image_out *);

/*
 * multipart.c: multipart/form-data bodies in memory.  Text fields join a
 * parameter set as a urlencoded form's do; parts with a filename become
 * uploads pointing into the body (their type is decided by content).
 */
#define MULTIPART_TYPE	"multipart/form-data"
#define UPLOADS_MAX	3

struct upload_part {
	char			field[PARAM_NAME_MAX];
	const unsigned char	*data;
	size_t			len;
};

struct uploads {
	int			count;
	struct upload_part	items[UPLOADS_MAX];
};

int	multipart_boundary(const char *, char *, size_t);
int	multipart_parse(const void *, size_t, const char *,
	    struct param_set *, struct uploads *, struct field_errors *);

/*
 * progress.c: whether a success criterion is on track.  The path runs in a
 * straight line from the baseline (on its date) to the target (on the
 * target date); the latest measurement is compared with the path at its
 * date, in the direction from baseline to target (a target below the
 * baseline means "less is better").  Days are days since 1970-01-01.
 */
enum progress_verdict {
	PROGRESS_NO_DATA = 0,	/* no measurement yet */
	PROGRESS_ON_TRACK,	/* at or beyond the path */
	PROGRESS_BEHIND,	/* short of the path */
	PROGRESS_REACHED	/* the target is reached */
};

struct progress_plan {
	double	baseline;
	long	baseline_day;
	double	target;
	long	target_day;
};

struct progress_point {
	long	day;
	double	value;
};

struct progress_result {
	enum progress_verdict	verdict;
	double			latest;		/* the latest value */
	long			latest_day;
	double			expected;	/* the path at latest_day */
	double			share;		/* of the way, 0..1 and beyond */
};

int		progress_judge(const struct progress_plan *,
		    const struct progress_point *, int,
		    struct progress_result *);
const char	*progress_name(enum progress_verdict);
int		progress_day(const char *, long *);
void		progress_json(cJSON *);

/*
 * chart.c: inline SVG charts (bars, lines with an optional target, small
 * multiples), accessible and printable; a withheld value is a gap
 * labelled `hidden` ("geschützt").  Every text is escaped for XML.
 */
struct chart_series {
	const char		*name;		/* legend and desc */
	const double		*v;		/* npoints values */
	const unsigned char	*hidden;	/* 1: suppressed; or NULL */
	const unsigned char	*lower;		/* 1: v is a lower bound */
};

struct chart {
	const char			*id;	/* unique on the page */
	const char			*title;
	const char			*desc;	/* lead; the numbers follow */
	const char *const		*labels;	/* npoints */
	const double			*x;	/* positions, or NULL: even */
	int				npoints;
	const struct chart_series	*series;
	int				nseries;
	const double			*target;	/* or NULL */
	const char			*target_label;	/* "Ziel" */
	const char			*hidden;	/* "geschützt" */
	const char			*at_least;	/* "mind." (desc) */
	int				decimals;
	enum lang			lang;
};

void	chart_xml_text(struct strbuf *, const char *);
void	chart_number(char *, size_t, double, int, enum lang);
void	chart_lines(struct strbuf *, const struct chart *);
void	chart_bars(struct strbuf *, const struct chart *);
void	chart_multiples(struct strbuf *, const struct chart *, int,
	    const char *);

/*
 * when.c: dates and times in the reader's words, on Berlin's clock
 * ("2. Dezember 2026, 22:07" / "2 December 2026, 22:07").
 */
#define WHEN_TIME	0x01	/* the clock too, when the value has one */
#define WHEN_RELATIVE	0x02	/* "heute" / "gestern" for those days */

struct when {
	int		y, m, d, hh, mi;
	int		has_time;
	long long	day;	/* days since 1970-01-01, Berlin */
};

int		when_parse(const char *, struct when *);
void		when_berlin(long long, struct when *);
void		when_format(char *, size_t, const struct when *, enum lang, int,
		    long long);
long long	when_today(long long);

/* agent.c: a User-Agent as browser and system families ("firefox"). */
struct agent {
	const char	*browser;
	const char	*os;
};

void	agent_parse(const char *, size_t, struct agent *);

/* nextpath.c: where sign-in may go on to (local paths only). */
#define NEXTPATH_MAX	512

int		nextpath_ok(const char *);
const char	*nextpath_why(const char *);

/*
 * disclosure.c: which counts may be published (README, "Disclosure
 * control"): primary suppression of 0 < n < k, hypercube secondary
 * suppression per month, period totals only as sums of shown cells
 * (a suppressed one as its lower bound, the sum of its shown cells).
 */
enum dc_state {
	DC_SHOWN = 0,
	DC_PRIMARY = 1,		/* 0 < n < k, or a median of fewer than k */
	DC_SECONDARY = 2,	/* a partner, or a sum over a hidden cell */
	DC_EMPTY = 3		/* a median of nothing */
};

/* A month of one metric: (rows+1) x (cols+1) cells, margins last. */
struct dc_month {
	long long	*v;
	unsigned char	*sup;
	int		rows, cols;
	long long	*chan;		/* nchan cells, margin at [nchan] */
	unsigned char	*chan_sup;
	int		nchan;
	int		k;
};

int	disclosure_small(long long, int);
void	disclosure_table(long long *, unsigned char *, int, int, int);
void	disclosure_list(long long *, unsigned char *, int, int);
void	disclosure_month(struct dc_month *);
int	disclosure_sum(const long long *, const unsigned char *, int, size_t,
	    long long *);
int	disclosure_median(const long long *, int, int, double *);

/*
 * desk.c: the moderation desk's keyset cursor ("s1.s2.s3.s4", signed
 * integers of at most 16 digits).  Its dates are when.c's, as everywhere.
 */
int	desk_cursor_ok(const char *);

/* ---- Kore-dependent: the server module only (built with MW_SERVER). ---- */
#if defined(MW_SERVER)

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/pgsql.h>
#include <kore/tasks.h>

#define DB_NAME		"db"
#define DB_REPLICA	"replica"	/* MITWIRKEN_REPLICA_URL's pool */
#define FORM_TYPE	"application/x-www-form-urlencoded"
/* A route that lists these takes a photo as the raw body. */
#define JPEG_TYPE	"image/jpeg"
#define PNG_TYPE	"image/png"
#define JSON_TYPE	"application/json; charset=utf-8"
#define XML_TYPE	"text/xml; charset=utf-8"

/* dispatch.c: the one Kore handler and the route table it serves. */
enum route_kind {
	ROUTE_API = 1,		/* errors as JSON */
	ROUTE_PAGE,		/* errors as an HTML page */
	ROUTE_OPS,		/* probes and metrics: plain text */
	ROUTE_OPEN311		/* errors as the spec's array, JSON or XML;
				   a form body is left for the handler */
};

struct db_op;

/* A route has a handler, or only a db_op when the query is all it does. */
struct route {
	int			method;
	const char		*pattern;
	enum route_kind		kind;
	int			(*handler)(struct http_request *);
	const struct db_op	*op;
	const struct param_spec	*params;
	/* Accepted request Content-Types (NULL-terminated); NULL: no body. */
	const char *const	*body_types;
	enum route_auth		auth;
	int			roles;	/* any of these; 0: any account */
};

/* The table is the application's (src/routes.c); the core only serves it. */
struct route_table {
	const struct route	*routes;
	int			count;
	const char		*signin_page;	/* where a page sends a 401 */
};

void		dispatch_init(const struct route_table *);
int		dispatch(struct http_request *);
const char *const *dispatch_route_names(int *);
void		dispatch_allow_scripts(struct http_request *);
void		dispatch_allow_map(struct http_request *);

/* app.c: start-up, configuration and the seccomp allowances. */
extern struct config	mw_config;
extern struct keys	mw_keys;
extern int		mw_worker_id;

void	app_parent_configure(const struct route_table *);

/* db.c: the one asynchronous query path every handler goes through. */
enum db_kind {
	DB_READ = 1,	/* retried once on a fresh connection if it was lost */
	DB_WRITE	/* never retried: answered only after COMMIT */
};

typedef int (*db_done)(struct http_request *, PGresult *,
    const struct db_op *);

/* A constraint a client can violate, and what to tell them. */
struct db_constraint {
	const char	*name;
	int		status;
	const char	*field;
	const char	*reason;
	const char	*code;		/* NULL: the status's default */
};

struct db_op {
	const char			*name;
	const char			*sql;
	enum db_kind			kind;
	/*
	 * Names bound as $1..$n, looked up in the request's derived values
	 * (rq->vars), then its parameters; "@lang" is the negotiated
	 * language.  A missing name binds NULL.
	 */
	const char *const		*args;
	db_done				done;
	const void			*extra;
	const struct db_constraint	*constraints;
	/*
	 * Prepared once per connection and executed by name: for hot
	 * statements of a fixed shape, whose generic plan is as good as a
	 * custom one (no "$n IS NULL OR ..." filters).
	 */
	int				prepare;
	/* Failures are logged, not answered: the caller answers. */
	int				quiet;
	/*
	 * A heavy read whose answer may be a few seconds old (statistics,
	 * results, exports, feeds): served by the read replica when one is
	 * configured, healthy, within MITWIRKEN_REPLICA_MAX_LAG and has
	 * replayed the client's last write (src/core/replica.c).  Reads
	 * only; a write ignores it.
	 */
	int				replica;
	/*
	 * A write that only counts toward a rate limit, not the request's
	 * effect: under an Idempotency-Key it neither marks the key written
	 * nor checks it (idem_write_op), since running it twice is harmless.
	 */
	int				counts_only;
};

#define DB_STEPS_MAX	8

enum db_pool {
	DB_POOL_PRIMARY = 0,
	DB_POOL_REPLICA
};

enum db_status {
	DB_PENDING,	/* return KORE_RESULT_RETRY: Kore calls back */
	DB_DONE,	/* the result is available */
	DB_FAILED	/* an error response has been sent */
};

struct db_call {
	const struct db_op	*op;
	const struct db_op	*run;		/* what is sent: op or its
						   idem_write_op variant */
	struct kore_pgsql	sql;
	PGresult		*result;
	PGresult		*error;		/* kept from Kore's next read */
	int			state;
	int			retried;
	int			vanished;	/* the session ended under it */
	int			holds_conn;
	int			pool;		/* DB_POOL_*, for this step */
	int			queued;		/* waiting in Kore's queue */
	int			route;		/* the request's decision + 1 */
	int			wrote;		/* a write committed */
	int			ndone;
	const struct db_op	*done_op[DB_STEPS_MAX];
	PGresult		*done_res[DB_STEPS_MAX];
};

enum db_status	db_step(struct http_request *, const struct db_op *,
		    PGresult **);
int		db_yield(enum db_status);
int		db_request(struct http_request *, const struct db_op *);
void		db_call_cleanup(struct db_call *);
void		db_clear_failure(struct db_call *);
PGresult	*db_take(struct http_request *, const struct db_op *);
int		db_send_json(struct http_request *, PGresult *,
		    const struct db_op *);
int		db_send_geojson(struct http_request *, PGresult *,
		    const struct db_op *);
void		db_key(struct http_request *, const struct db_op *,
		    struct strbuf *);
cJSON		*db_json(PGresult *);
void		db_pool_status(enum db_pool, int *, int *, int *);

/* owner.c: this worker's owner number and the lock that shows it alive. */
void		owner_init(void);
const char	*owner_id(void);
int		owner_held(void);

/* replica.c: the read replica's probe, routing and write cookie. */
int		replica_configured(void);
void		replica_init(void);
int		replica_healthy(int64_t);
int64_t		replica_now_ms(void);
void		replica_failed(void);
enum replica_decision replica_decide(struct http_request *, int);
void		replica_wrote(struct http_request *);
void		replica_status(struct strbuf *);

/* cache.c: public documents kept per worker, validated by PostgreSQL. */
int	cache_request(struct http_request *, const struct db_op *);

/* hashing.c: argon2id in Kore task threads. */
enum hash_state {
	HASH_IDLE = 0,
	HASH_QUEUED,	/* anonymous, waiting for its turn */
	HASH_RUNNING,
	HASH_DONE,
	HASH_FAILED
};

struct hash_job {
	struct kore_task	task;
	enum hash_state		state;
	int			verify;
	int			ok;
	int			rehashed;
	int			failed;
	int			anon;	/* registration, reset: a share */
	struct http_request	*req;	/* while queued */
	TAILQ_ENTRY(hash_job)	queue;
	size_t			password_len;
	char			password[PASSWORD_MAX * 4 + 1];
	char			stored[128];
	char			hash[128];
};

void		hashing_init(void);
enum db_status	hashing_step(struct http_request *, int, const char *, size_t,
		    const char *);
void		hashing_cleanup(struct hash_job *);

/*
 * imaging.c: photos decoded and re-encoded in Kore task threads (the pure
 * part: image.c); results as request vars for one INSERT (see imaging.c).
 */
enum imaging_state {
	IMAGING_IDLE = 0,
	IMAGING_QUEUED,		/* waiting for a free place */
	IMAGING_RUNNING,
	IMAGING_DONE,
	IMAGING_FAILED
};

struct imaging_job {
	struct kore_task	task;
	enum imaging_state	state;
	struct http_request	*req;	/* while queued */
	TAILQ_ENTRY(imaging_job)	queue;
	int			blur;
	int			count;
	const unsigned char	*in[UPLOADS_MAX];	/* into the body */
	size_t			in_len[UPLOADS_MAX];
	unsigned char		*copy;		/* blur: the stored photo */
	struct image_limits	limits;
	struct image_rect	rects[IMAGE_RECTS_MAX];
	int			nrects;
	struct image_out	out[UPLOADS_MAX];
	int			failed;		/* 1 + the refused upload */
	char			err[128];
	char			*images;	/* the vars' literals */
	char			*thumbs;
};

enum db_status	imaging_step(struct http_request *);
enum db_status	imaging_blur_step(struct http_request *, const void *, size_t,
		    const struct image_rect *, int);
void		imaging_cleanup(struct imaging_job *);

/* idempotency.c: Idempotency-Key on POST (pure part: idemkey.c). */
enum idem_state {
	IDEM_UNSET = 0,		/* the header is not looked at yet */
	IDEM_OFF,		/* no key, or a route that takes none */
	IDEM_CLAIMING,		/* the key is being claimed */
	IDEM_ACTIVE,		/* the handler runs; respond() captures */
	IDEM_CAPTURED,		/* its answer is being stored */
	IDEM_SENT		/* the answer went out */
};

struct idem {
	enum idem_state	state;
	int		status;
	char		*type;
	char		*location;
	char		*body;
	size_t		len;
};

enum db_status	idem_begin(struct http_request *);
void		idem_capture(struct http_request *, int, const char *,
		    const void *, size_t);
int		idem_after(struct http_request *, int);
const struct db_op *idem_write_op(struct http_request *,
		    const struct db_op *);
void		idem_cleanup(struct idem *);

/*
 * stream.c: a streamed answer (HTTP/1.1 chunked) for downloads too big to
 * hold: the handler begins it, then fills and flushes one chunk per call
 * until it ends it.  A flush sleeps the request until the chunk has left
 * the send queue, so memory stays one chunk; a client that reads nothing
 * for MITWIRKEN_STREAM_STALL seconds is disconnected.  Once begun, errors
 * can only cut the stream (no final chunk: a client sees the truncation).
 */
struct stream;

int		stream_begin(struct http_request *, const char *,
		    const char *, void *, void (*)(void *));
void		*stream_data(struct http_request *);
struct strbuf	*stream_buf(struct http_request *);
int		stream_flush(struct http_request *);
int		stream_end(struct http_request *);
int		stream_cut(struct http_request *, const char *);
int		stream_started(struct http_request *);
void		stream_free(struct stream *);

/*
 * The keyset pages of one query (its "after" parameter): next reads a
 * page's last key into the parameters and says whether a page follows,
 * rows formats the page into stream_buf, end closes the document.
 */
struct stream_pager {
	const struct db_op	*op;
	int			(*next)(struct http_request *, PGresult *);
	void			(*rows)(struct http_request *, PGresult *);
	int			(*end)(struct http_request *);
};

int		stream_pages(struct http_request *, const struct stream_pager *);

/* request.c: the request context below the dispatcher. */
struct rq {
	char			id[REQID_LEN * 2 + 1];
	char			client_id[REQID_LEN * 2 + 1];	/* given */
	uint64_t		start_us;
	int			route_index;
	const struct route	*route;
	struct param_set	params;
	enum lang		lang;
	cJSON			*body;
	struct param_set	form;
	struct uploads		uploads;	/* files of the body */
	struct param_set	vars;
	struct db_call		db;
	struct hash_job		hash;
	struct imaging_job	imaging;
	struct idem		idem;
	struct principal	who;
	struct stream		*stream;	/* a streamed answer */
	const struct form_page	*form_page;
	/* Set when an answer needs steps of its own after the handler. */
	int			(*resume)(struct http_request *);
	struct field_errors	*resume_fe;
	int			resume_status;
	const char		*resume_message;	/* t.messages key */
	int			form_again;	/* a failed form is shown again */
	int			html;	/* errors as a page, not JSON */
	int			open311;	/* 1 JSON, 2 XML: spec errors */
	int			auth_done;
	int			site_done;	/* site_step ran */
	int			prepared;
	int			freed;
};

struct rq	*rq_get(struct http_request *);
uint64_t	rq_now_us(void);
void		rq_var_set(struct http_request *, const char *, const char *);
void		rq_var_setf(struct http_request *, const char *, const char *,
		    ...) __attribute__((format(printf, 3, 4)));
void		rq_var_put(struct http_request *, const char *, const char *);
void		rq_var_update(struct http_request *, const char *,
		    const char *);
void		rq_var_bytea(struct http_request *, const char *,
		    const unsigned char *, size_t);
void		rq_client_ip(struct http_request *, char *, size_t);

/* respond.c: every answer, as JSON, a page or a form shown again. */
int	respond(struct http_request *, int, const char *, const void *,
	    size_t);
int	respond_error(struct http_request *, int, const char *, const char *,
	    const struct field_errors *);
int	respond_unavailable(struct http_request *);
int	respond_json_literal(struct http_request *, int, const char *);
int	respond_fields(struct http_request *, int,
	    const struct field_errors *);
int	respond_done(struct http_request *, int, const char *, const void *,
	    size_t);
int	respond_not_found(struct http_request *);

/* mail.c: mail sealed for the outbox, inserted by the change's statement. */
void	mail_var(struct http_request *, const char *, const char *,
	    const char *, const char *);
int	mail_var_text(struct http_request *, const char *, const char *,
	    const char *, const char *);

/* session.c: who is asking; cookies, bearer tokens, CSRF. */
enum db_status	session_step(struct http_request *);
int		session_csrf_ok(struct http_request *);
void		session_csrf_derive(const char *, char *);
void		session_form_token(struct http_request *);
void		session_cookie_set(struct http_request *, const char *);
void		session_cookie_clear(struct http_request *);

/* input.c: typed fields of a JSON body or a form. */
enum input_type {
	IN_TEXT = 1,
	IN_NUMBER,
	IN_INT,
	IN_BOOL,
	IN_LIST,	/* of slugs; forms: one "<prefix><slug>" field each */
	IN_IDS,		/* of ids; forms: one "<prefix><id>" field each */
	IN_MAP,		/* slug → value; forms: "<prefix><slug>=value" */
	IN_ARRAY	/* JSON only: an array the handler reads itself */
};

struct input_field {
	const char	*name;
	enum input_type	type;
	const char	*form_prefix;
};

int		input_fields(struct http_request *, const struct input_field *,
		    struct field_errors *);
const char	*input_text(struct http_request *, const char *);
int		input_number(struct http_request *, const char *, double *,
		    struct field_errors *);
int		input_id(struct http_request *, const char *, long long *,
		    struct field_errors *);
int		input_slugs(struct http_request *, const struct input_field *,
		    int, struct field_errors *);
#define TEXT_REQUIRED	0x01
#define TEXT_MULTILINE	0x02

int		input_text_var(struct http_request *, const char *, size_t,
		    size_t, int, struct field_errors *);
int		input_one_of(const char *, const char *const *);
const char	*input_get(struct http_request *, const char *);
int		input_present(struct http_request *, const char *);
int		input_check(struct http_request *, const char *const *,
		    struct field_errors *);
int		input_scores_var(struct http_request *, struct field_errors *);

/* submission.c: who may contribute, and how often. */
int	submission_allowed(struct http_request *);
void	submission_limits(struct http_request *);
void	submission_client_key(struct http_request *, char *, size_t);
int	submission_limited(struct http_request *, const char *);
int	submission_channel(struct http_request *, const char *,
	    struct field_errors *);

/* form.c: the one form engine (what templates see: see form.c). */
struct form_page {
	const char	*template;	/* the form, shown again on errors */
	const char	*title_key;	/* t.pages.<key>.title */
	const char	*redirect;	/* after success; or else: */
	const char	*done_key;	/* a message page t.done.<key> */
	/*
	 * A form on a page that needs data of its own: shown again (with
	 * rq->resume_fe, resume_status, resume_message) only once the failed
	 * handler has returned, since its queries cannot start inside one.
	 */
	int		(*show)(struct http_request *);
};

int	form_run(struct http_request *, const struct form_page *,
	    int (*)(struct http_request *));
int	form_blank(struct http_request *, const struct form_page *);
int	form_show(struct http_request *, int, const struct field_errors *,
	    const char *);
int	form_done(struct http_request *);
cJSON	*form_data(struct http_request *, const char *);
cJSON	*form_state(struct http_request *, cJSON *, const char *);
int	form_render(struct http_request *, cJSON *, const char *);
void	form_stamp_field(struct http_request *, cJSON *);
int	form_human(struct http_request *);
void	form_signin_url(struct http_request *, struct strbuf *, const char *,
	    const char *);
void	form_redirect_done(struct http_request *, const char *,
	    const char *);

/* page.c: server-rendered HTML and what every page needs. */
extern const struct db_op	op_page_taxonomy;

int		page_render(struct http_request *, PGresult *,
		    const struct db_op *);
int		page_with(struct http_request *, int, cJSON *, const char *);
int		page_error(struct http_request *, int, const char *);
const char	*page_text(struct http_request *, const char *, const char *);
cJSON		*page_new(struct http_request *, const char *);
void		page_label(struct http_request *, cJSON *, const char *,
		    const char *);
void		page_date(struct http_request *, cJSON *, const char *);
void		page_when(struct http_request *, cJSON *, const char *, int);
void		page_number(struct http_request *, cJSON *, const char *, int);
void		page_amount(struct http_request *, cJSON *, const char *);
void		page_mark(cJSON *, const char *, const char *, const char *);
cJSON		*page_choices(struct http_request *, const char *const *,
		    const char *, const char *);
void		page_score_sheet(struct http_request *, cJSON *);
void		page_notice(struct http_request *, cJSON *);

/* assets.c: static files, templates and message catalogues in memory. */
struct asset {
	char		*name;
	char		*data;
	size_t		len;
	const char	*type;
	char		etag[24];
};

int			assets_load(const char *, char *, size_t);
const struct asset	*assets_find(const char *, const char *);
int			assets_serve(struct http_request *);
int			assets_openapi(struct http_request *);

/* site.c: the city's name, colours and logo, a per-worker copy. */
struct site_brand {
	char		site_name[256];
	char		city_name[336];
	char		primary[8];
	char		link[8];
	int		has_logo;
	long long	version;
};

const struct site_brand	*site_brand(void);
void			site_invalidate(void);
enum db_status		site_step(struct http_request *);

/* log.c: the request log, buffered per worker. */
void	log_init(void);
void	log_line(const char *, size_t);

/* ops.c: liveness, readiness, metrics, CSP reports. */
extern const struct db_op	op_ready;

int	ops_healthz(struct http_request *);
int	ops_metrics(struct http_request *);
int	ops_csp_report(struct http_request *);
int	respond_not_found(struct http_request *);

#endif /* MW_SERVER */

/*
 * opendata.c: open-data rows (the pure part of src/stats/opendata.c).  A
 * dataset's columns are its data dictionary; cell values are the text
 * PostgreSQL returns, NULL for none.  Lists (string[], integer[]) are
 * ';'-separated text: so in CSV, arrays in JSON.
 */
enum od_type {
	OD_INTEGER = 0,
	OD_NUMBER,
	OD_STRING,
	OD_DATE,	/* YYYY-MM-DD */
	OD_DATETIME,	/* ISO 8601, UTC */
	OD_BOOLEAN,	/* t or f */
	OD_STRINGS,
	OD_INTEGERS
};

struct od_column {
	const char	*name;
	enum od_type	type;
	const char	*unit;		/* "" when none */
	const char	*de;		/* what it holds */
	const char	*en;
};

/* One figure of a published survey result; value NULL: withheld. */
struct od_survey_row {
	const char	*survey_id;
	const char	*survey_title;
	const char	*question;
	const char	*question_title;
	const char	*question_type;
	const char	*item;
	const char	*item_label;
	const char	*column;
	const char	*column_label;
	const char	*measure;
	const char	*value;
};

typedef void	(*opendata_emit)(const struct od_survey_row *, void *);

const char	*opendata_type_name(enum od_type);
void		opendata_csv_header(struct strbuf *, const struct od_column *);
void		opendata_csv_row(struct strbuf *, const struct od_column *,
		    const char *const *);
void		opendata_json_row(struct strbuf *, const struct od_column *,
		    const char *const *, int);
void		opendata_survey_rows(const cJSON *, const char *, const char *,
		    opendata_emit, void *);


/*
 * schedule.c: calendar dates (strict YYYY-MM-DD) and the evaluation
 * schedule: adoption + first months, then every so many; each report
 * covers whole calendar months (the statistics' grain).
 */
struct sdate {
	int	y, m, d;
};

struct evaluation_due {
	struct sdate	due;
	struct sdate	from;	/* first day of its first month */
	struct sdate	to;	/* last day of the month before due */
	int		past;	/* due today or earlier */
};

int	schedule_parse(const char *, struct sdate *);
void	schedule_format(const struct sdate *, char *, size_t);
int	schedule_month_days(int, int);
int	schedule_month_index(const struct sdate *);
void	schedule_month_start(int, struct sdate *);
void	schedule_month_end(int, struct sdate *);
void	schedule_add_months(const struct sdate *, int, struct sdate *);
int	schedule_list(const struct sdate *, int, int, const struct sdate *,
	    struct evaluation_due *, int);

#endif
