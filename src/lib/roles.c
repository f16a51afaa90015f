/*
 * Roles: their names, the bits a principal carries, the list the database
 * keeps ("admin,staff") and the JSON array clients see.  Every account is
 * a citizen; other roles are granted by an administrator.
 */

#include <string.h>

#include "mitwirken.h"

static const struct {
	const char	*name;
	int		bit;
} role_table[] = {
	{ "citizen", ROLE_CITIZEN },
	{ "moderator", ROLE_MODERATOR },
	{ "staff", ROLE_STAFF },
	{ "planner", ROLE_PLANNER },
	{ "board", ROLE_BOARD },
	{ "admin", ROLE_ADMIN },
};

int
roles_from_name(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(role_table) / sizeof(role_table[0]); i++) {
		if (strcmp(role_table[i].name, name) == 0)
			return (role_table[i].bit);
	}
	return (0);
}

const char *
roles_name(int bit)
{
	size_t	i;

	for (i = 0; i < sizeof(role_table) / sizeof(role_table[0]); i++) {
		if (role_table[i].bit == bit)
			return (role_table[i].name);
	}
	return (NULL);
}

/* "admin,staff" from the database as role bits; every account a citizen. */
int
roles_from_list(const char *list)
{
	const char	*p, *next;
	char		name[16];
	size_t		len;
	int		mask;

	mask = ROLE_CITIZEN;
	for (p = list; *p != '\0'; p = next) {
		len = strcspn(p, ",");
		next = p + len + (p[len] == ',');
		if (len == 0 || len >= sizeof(name))
			continue;
		memcpy(name, p, len);
		name[len] = '\0';
		mask |= roles_from_name(name);
	}
	return (mask);
}

/* Roles as a JSON array under "roles", always in the same order. */
void
roles_to_json(cJSON *obj, int mask)
{
	cJSON	*roles;
	int	bit;

	roles = cJSON_AddArrayToObject(obj, "roles");
	for (bit = ROLE_CITIZEN; bit <= ROLE_ADMIN; bit <<= 1) {
		if (mask & bit)
			cJSON_AddItemToArray(roles,
			    cJSON_CreateString(roles_name(bit)));
	}
}
