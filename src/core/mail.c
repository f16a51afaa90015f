/*
 * Mail for the outbox.  The server never sends mail itself: it seals the
 * recipient, template, language and link together with the outbox key,
 * and the statement that makes the change inserts the sealed row in the
 * same transaction; mitwirken-mailer opens and delivers it.
 */

#include <string.h>

#include <sodium.h>

#include "mitwirken.h"

/* Sets var name to the sealed mail as a bytea literal. */
void
mail_var(struct http_request *req, const char *name, const char *to,
    const char *template, const char *link)
{
	unsigned char	sealed[SEALED_MAX];
	cJSON		*mail;
	char		*json;
	size_t		len;

	mail = cJSON_CreateObject();
	cJSON_AddStringToObject(mail, "to", to);
	cJSON_AddStringToObject(mail, "template", template);
	cJSON_AddStringToObject(mail, "lang", lang_code(rq_get(req)->lang));
	cJSON_AddStringToObject(mail, "link", link != NULL ? link : "");
	json = cJSON_PrintUnformatted(mail);
	cJSON_Delete(mail);
	if (!secret_seal(mw_keys.outbox, "outbox", json, strlen(json), sealed,
	    sizeof(sealed), &len))
		fatal("mail_var: mail too large");
	sodium_memzero(json, strlen(json));
	cJSON_free(json);
	rq_var_bytea(req, name, sealed, len);
}

/*
 * The same with a text of its own ({{text}} in the template: what a
 * person wrote to the city).  MW_ERROR when the sealed mail would not
 * fit SEALED_MAX; nothing is set then.
 */
int
mail_var_text(struct http_request *req, const char *name, const char *to,
    const char *template, const char *text)
{
	unsigned char	sealed[SEALED_MAX];
	cJSON		*mail;
	char		*json;
	size_t		len;
	int		ok;

	mail = cJSON_CreateObject();
	cJSON_AddStringToObject(mail, "to", to);
	cJSON_AddStringToObject(mail, "template", template);
	cJSON_AddStringToObject(mail, "lang", lang_code(rq_get(req)->lang));
	cJSON_AddStringToObject(mail, "link", "");
	cJSON_AddStringToObject(mail, "text", text);
	json = cJSON_PrintUnformatted(mail);
	cJSON_Delete(mail);
	ok = secret_seal(mw_keys.outbox, "outbox", json, strlen(json), sealed,
	    sizeof(sealed), &len);
	sodium_memzero(json, strlen(json));
	cJSON_free(json);
	if (ok)
		rq_var_bytea(req, name, sealed, len);
	return (ok);
}
