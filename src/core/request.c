/*
 * The request context every layer below the dispatcher works with: the
 * struct rq that dispatch() attaches to a Kore request, the values a
 * handler derives (rq->vars, bound to queries by name) and the client's
 * address.  Nothing here answers a request; respond.c does.
 */

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mitwirken.h"

struct rq *
rq_get(struct http_request *req)
{
	return (http_state_get(req));
}

uint64_t
rq_now_us(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000);
}

void
rq_var_set(struct http_request *req, const char *name, const char *value)
{
	struct param_set	*vars = &rq_get(req)->vars;

	if (params_get(vars, name) != NULL)
		fatal("rq_var_set: %s set twice", name);
	if (!params_add(vars, name, strlen(name), value, strlen(value)))
		fatal("rq_var_set: too many values");
}

/* Binary data as a bytea literal (hex form): keys, ciphertexts, images. */
void
rq_var_bytea(struct http_request *req, const char *name,
    const unsigned char *data, size_t len)
{
	char	*hex;

	if ((hex = malloc(len * 2 + 3)) == NULL)
		fatal("rq_var_bytea: out of memory");
	bytea_hex(data, len, hex, len * 2 + 3);
	rq_var_set(req, name, hex);
	free(hex);
}

/* A value that moves on between steps: a keyset position, page by page. */
void
rq_var_update(struct http_request *req, const char *name, const char *value)
{
	struct param_set	*vars = &rq_get(req)->vars;
	int			i;

	for (i = 0; i < vars->count; i++) {
		if (strcmp(vars->items[i].name, name) == 0) {
			free(vars->items[i].value);
			if ((vars->items[i].value = strdup(value)) == NULL)
				fatal("rq_var_update: out of memory");
			return;
		}
	}
	rq_var_set(req, name, value);
}

void
rq_var_setf(struct http_request *req, const char *name, const char *fmt, ...)
{
	char	buf[SEALED_MAX * 2 + 8];
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rq_var_set(req, name, buf);
}

/* The client's address; behind a trusted proxy, the one it appended. */
void
rq_client_ip(struct http_request *req, char *out, size_t len)
{
	const char	*xff, *last;

	if (mw_config.trust_proxy &&
	    http_request_header(req, "x-forwarded-for", &xff)) {
		last = strrchr(xff, ',');
		last = last ? last + 1 : xff;
		while (*last == ' ')
			last++;
		(void)snprintf(out, len, "%.45s", last);
		return;
	}
	if (req->owner->family == AF_INET6)
		(void)inet_ntop(AF_INET6, &req->owner->addr.ipv6.sin6_addr,
		    out, (socklen_t)len);
	else if (req->owner->family == AF_INET)
		(void)inet_ntop(AF_INET, &req->owner->addr.ipv4.sin_addr, out,
		    (socklen_t)len);
	else
		(void)snprintf(out, len, "local");
}

/* A var the handler may have set already (Kore calls handlers again). */
void
rq_var_put(struct http_request *req, const char *name, const char *value)
{
	if (params_get(&rq_get(req)->vars, name) == NULL)
		rq_var_set(req, name, value);
}
