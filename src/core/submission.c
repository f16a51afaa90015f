/*
 * Contributions (ideas and comments now; survey responses and defect
 * reports later): who may publish, and how often.  The limits are counted
 * in the same SQL statement as the insert, from the vars set here.
 */

#include <string.h>

#include "mitwirken.h"

/* The signed-in person's id, and whether they may publish content. */
int
submission_allowed(struct http_request *req)
{
	struct principal	*p = &rq_get(req)->who;

	if (p->verified || !mw_config.require_verified)
		return (MW_OK);
	respond_error(req, 403, "unverified", "Confirm your e-mail address "
	    "before you contribute.", NULL);
	return (MW_ERROR);
}

/* The client address as a rate-limit key, safe in an array literal. */
void
submission_client_key(struct http_request *req, char *ip, size_t len)
{
	size_t	i;

	rq_client_ip(req, ip, len);
	/* A proxy's header is text: keep the array literal well-formed. */
	for (i = 0; ip[i] != '\0'; i++) {
		if (strchr("0123456789abcdefABCDEF.:", ip[i]) == NULL)
			ip[i] = '_';
	}
}

/* Sets the rate-limit vars: per account and per client address. */
void
submission_limits(struct http_request *req)
{
	char	ip[64];

	submission_client_key(req, ip, sizeof(ip));
	/* Anonymous reports count under the client address alone. */
	if (rq_get(req)->who.account_id == 0) {
		rq_var_setf(req, "rate_keys", "{\"i:%s\"}", ip);
		rq_var_setf(req, "rate_limits", "{%d}",
		    mw_config.submit_limit_ip);
	} else {
		rq_var_setf(req, "rate_keys", "{\"a:%lld\",\"i:%s\"}",
		    (long long)rq_get(req)->who.account_id, ip);
		rq_var_setf(req, "rate_limits", "{%d,%d}",
		    mw_config.submit_limit_account, mw_config.submit_limit_ip);
	}
	rq_var_setf(req, "rate_window", "%d", mw_config.submit_window);
}

/* 429 with Retry-After, the answer to a reached submission limit. */
int
submission_limited(struct http_request *req, const char *seconds)
{
	http_response_header(req, "retry-after", seconds);
	return (respond_error(req, 429, "too_many_requests", "Too many "
	    "submissions; wait and try again.", NULL));
}

/*
 * Who the author is: the signed-in person, or for staff entering a paper,
 * phone or in-person submission, the account whose owner gave them a
 * consent code (consent_take()), or no account.  An account id alone is
 * refused: it would put words under anyone's pseudonym.  Sets var
 * author (when signed in), channel, entered_by and citizen_code; -1 after
 * a 403, MW_ERROR with field errors.
 */
int
submission_channel(struct http_request *req, const char *author,
    struct field_errors *fe)
{
	struct rq	*rq = rq_get(req);
	const char	*channel, *code;
	long long	id;

	channel = input_text(req, "channel");
	code = input_text(req, "citizen_code");
	if (input_id(req, "citizen_id", &id, fe) == 1)
		error_field_add(fe, "citizen_id", "is not accepted: enter the "
		    "consent code the citizen made in their account "
		    "(citizen_code)");
	if (channel == NULL || strcmp(channel, "online") == 0) {
		if (code != NULL)
			error_field_add(fe, "citizen_code", "only for paper, "
			    "phone or in-person submissions");
		rq_var_set(req, "channel", "online");
		if (rq->who.account_id != 0)
			rq_var_setf(req, author, "%lld",
			    (long long)rq->who.account_id);
		return (fe->count == 0 ? MW_OK : MW_ERROR);
	}
	if (strcmp(channel, "paper") != 0 && strcmp(channel, "phone") != 0 &&
	    strcmp(channel, "in_person") != 0) {
		error_field_add(fe, "channel", "must be online, paper, phone "
		    "or in_person");
		return (MW_ERROR);
	}
	if (!(rq->who.roles & ROLE_STAFF)) {
		respond_error(req, 403, "forbidden", "Only staff enter "
		    "submissions on a citizen's behalf.", NULL);
		return (-1);
	}
	rq_var_set(req, "channel", channel);
	rq_var_setf(req, "entered_by", "%lld", (long long)rq->who.account_id);
	if (code != NULL)
		rq_var_set(req, "citizen_code", code);
	return (fe->count == 0 ? MW_OK : MW_ERROR);
}
