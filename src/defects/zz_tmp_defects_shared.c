/*
 * TEMPORARY stand-ins for defects.c's shared pieces until the integrator's
 * file is on main; deleted before the branch is merged.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "defects.h"

void
defects_new_token(struct http_request *req)
{
	unsigned char	nonce[16], hash[TOKEN_HASH_LEN];
	char		token[TOKEN_LEN + 1], pub[TOKEN_LEN + 1];

	if (params_get(&rq_get(req)->vars, "status_hash") != NULL)
		return;
	randombytes_buf(nonce, sizeof(nonce));
	token_new(token);
	token_new(pub);
	token_hash(&mw_keys, token, hash);
	rq_var_bytea(req, "nonce", nonce, sizeof(nonce));
	rq_var_bytea(req, "status_hash", hash, sizeof(hash));
	rq_var_set(req, "status_token", token);
	rq_var_set(req, "open311_token", pub);
}

int
defects_email_vars(struct http_request *req, const char *email,
    struct field_errors *fe)
{
	unsigned char	lookup[EMAIL_LOOKUP_LEN], sealed[512];
	char		norm[EMAIL_MAX + 1];
	size_t		len;

	if (!email_normalize(email, norm, sizeof(norm))) {
		error_field_add(fe, "email", "is not an e-mail address");
		return (MW_ERROR);
	}
	email_lookup(&mw_keys, norm, lookup);
	if (!secret_seal(mw_keys.email, "email", norm, strlen(norm), sealed,
	    sizeof(sealed), &len))
		return (MW_ERROR);
	rq_var_bytea(req, "email_lookup", lookup, sizeof(lookup));
	rq_var_bytea(req, "email_ct", sealed, len);
	return (MW_OK);
}
