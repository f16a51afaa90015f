/*
 * The site's own pages (issue 16, "What a German public body must show"):
 * the legal texts, Leichte Sprache, Gebärdensprache, the accessibility
 * feedback form, and the admin pages for texts and appearance; the API
 * under /api/v1/site and /api/v1/admin/site; the style sheet, icon and
 * logo made from the settings.
 */

#ifndef SITE_H
#define SITE_H

#include "mitwirken.h"

/* site.c: the API and the generated files. */
extern const struct db_op	op_site;

int	site_text_key_ok(const char *);
int	api_site_put(struct http_request *);
int	api_site_text_put(struct http_request *);
int	api_site_logo_put(struct http_request *);
int	api_site_logo_delete(struct http_request *);
int	site_css(struct http_request *);
int	site_icon_svg(struct http_request *);
int	site_favicon(struct http_request *);
int	site_logo(struct http_request *);

/* site_pages.c */
int	page_impressum(struct http_request *);
int	page_datenschutz(struct http_request *);
int	page_leichte_sprache(struct http_request *);
int	page_gebaerdensprache(struct http_request *);
int	page_barrierefreiheit(struct http_request *);
int	page_barrierefreiheit_post(struct http_request *);
int	page_admin_texts(struct http_request *);
int	page_admin_text(struct http_request *);
int	page_admin_text_post(struct http_request *);
int	page_admin_branding(struct http_request *);
int	page_admin_branding_post(struct http_request *);
int	page_admin_logo_post(struct http_request *);
int	page_admin_logo_delete_post(struct http_request *);

#endif
