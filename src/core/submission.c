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
	rq_var_setf(req, "rate_keys", "{\"a:%lld\",\"i:%s\"}",
	    (long long)rq_get(req)->who.account_id, ip);
	rq_var_setf(req, "rate_limits", "{%d,%d}", mw_config.submit_limit_account,
	    mw_config.submit_limit_ip);
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
