/*
 * Files under assets/ are read once by the parent before fork: static files
 * (assets/static), templates (assets/templates), message catalogues
 * (assets/i18n) and the OpenAPI document.  Serving from memory needs no
 * file system access in the sandboxed workers and makes path traversal
 * impossible: only names in this table exist.  Static files carry a
 * content hash; a URL with ?v=<hash> may be cached for a year.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mitwirken.h"

#define ASSETS_MAX	128
#define ASSET_SIZE_MAX	(4 * 1024 * 1024)

static struct asset	assets[ASSETS_MAX];
static int		nassets;

static const struct {
	const char	*ext;
	const char	*type;
} types[] = {
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".html", "text/html; charset=utf-8" },
	{ ".json", "application/json; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
};

static const char *
type_for(const char *name)
{
	const char	*ext;
	size_t		i;

	if ((ext = strrchr(name, '.')) != NULL) {
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			if (strcmp(ext, types[i].ext) == 0)
				return (types[i].type);
		}
	}
	return ("application/octet-stream");
}

static int
load_file(const char *path, const char *name, char *err, size_t errlen)
{
	struct asset	*a;
	unsigned char	hash[8];
	struct stat	st;
	FILE		*fp;

	if (nassets == ASSETS_MAX || stat(path, &st) == -1 ||
	    st.st_size > ASSET_SIZE_MAX || (fp = fopen(path, "rb")) == NULL) {
		(void)snprintf(err, errlen, "cannot load %s", path);
		return (MW_ERROR);
	}
	a = &assets[nassets];
	/* NUL-terminated: templates are rendered as C strings. */
	if ((a->data = malloc((size_t)st.st_size + 1)) == NULL ||
	    (a->name = strdup(name)) == NULL)
		abort();
	a->len = fread(a->data, 1, (size_t)st.st_size, fp);
	fclose(fp);
	a->data[a->len] = '\0';
	a->type = type_for(name);
	crypto_generichash(hash, sizeof(hash), (unsigned char *)a->data,
	    a->len, NULL, 0);
	reqid_from_bytes(hash, sizeof(hash), a->etag, sizeof(a->etag));
	nassets++;
	return (MW_OK);
}

static int
load_dir(const char *root, const char *sub, char *err, size_t errlen)
{
	struct dirent	*de;
	struct stat	st;
	char		path[1024], name[512];
	DIR		*d;
	int		ok;

	(void)snprintf(path, sizeof(path), "%s%s%s", root, *sub ? "/" : "",
	    sub);
	if ((d = opendir(path)) == NULL) {
		(void)snprintf(err, errlen, "cannot open %s", path);
		return (MW_ERROR);
	}
	ok = MW_OK;
	while (ok && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		(void)snprintf(name, sizeof(name), "%s%s%s", sub,
		    *sub ? "/" : "", de->d_name);
		if (snprintf(path, sizeof(path), "%s/%s", root, name) >=
		    (int)sizeof(path))
			continue;
		if (stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (*sub == '\0')
				ok = load_dir(root, de->d_name, err, errlen);
		} else if (S_ISREG(st.st_mode)) {
			ok = load_file(path, name, err, errlen);
		}
	}
	closedir(d);
	return (ok);
}

int
assets_load(const char *root, char *err, size_t errlen)
{
	if (!load_dir(root, "", err, errlen))
		return (MW_ERROR);
	if (assets_find("", "openapi.json") == NULL ||
	    assets_find("templates", "error.html") == NULL) {
		(void)snprintf(err, errlen, "%s lacks openapi.json or "
		    "templates/error.html", root);
		return (MW_ERROR);
	}
	return (MW_OK);
}

const struct asset *
assets_find(const char *dir, const char *name)
{
	size_t	dlen;
	int	i;

	dlen = strlen(dir);
	for (i = 0; i < nassets; i++) {
		if (dlen == 0 && strcmp(assets[i].name, name) == 0)
			return (&assets[i]);
		if (dlen > 0 && strncmp(assets[i].name, dir, dlen) == 0 &&
		    assets[i].name[dlen] == '/' &&
		    strcmp(assets[i].name + dlen + 1, name) == 0)
			return (&assets[i]);
	}
	return (NULL);
}

static int
serve(struct http_request *req, const struct asset *a, int immutable)
{
	const char	*inm;
	char		etag[32];

	(void)snprintf(etag, sizeof(etag), "\"%s\"", a->etag);
	http_response_header(req, "etag", etag);
	http_response_header(req, "cache-control", immutable ?
	    "public, max-age=31536000, immutable" :
	    "public, max-age=300, must-revalidate");
	if (http_request_header(req, "if-none-match", &inm) &&
	    strcmp(inm, etag) == 0)
		return (respond(req, 304, NULL, NULL, 0));
	return (respond(req, 200, a->type, a->data, a->len));
}

int
assets_serve(struct http_request *req)
{
	struct rq		*rq = rq_get(req);
	const struct asset	*a;
	const char		*v;

	a = assets_find("static", params_get(&rq->params, "name"));
	if (a == NULL)
		return (respond_error(req, 404, NULL, NULL, NULL));
	v = params_get(&rq->params, "v");
	return (serve(req, a, v != NULL && strcmp(v, a->etag) == 0));
}

int
assets_openapi(struct http_request *req)
{
	return (serve(req, assets_find("", "openapi.json"), 0));
}
