/* Runs every unit test; each is a function that uses CHECK. */

#include <stdio.h>

#include "unit.h"

int	unit_failed_checks;

extern const struct unit_test	strbuf_tests[], router_tests[], params_tests[],
				errors_tests[], json_tests[], html_tests[],
				i18n_tests[], metrics_tests[], config_tests[],
				reqid_tests[], migration_tests[], crypto_tests[],
				passwords_tests[], authz_tests[],
				authz_cookie_tests[], validate_tests[],
				idemkey_tests[];

static const struct unit_test *const suites[] = {
	strbuf_tests, router_tests, params_tests, errors_tests, json_tests,
	html_tests, i18n_tests, metrics_tests, config_tests, reqid_tests,
	migration_tests, crypto_tests, passwords_tests, authz_tests,
	authz_cookie_tests, validate_tests, idemkey_tests,
};

int
main(void)
{
	const struct unit_test	*t;
	size_t			i;
	int			passed, failed, before;

	passed = failed = 0;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		for (t = suites[i]; t->name != NULL; t++) {
			before = unit_failed_checks;
			t->fn();
			if (unit_failed_checks == before) {
				passed++;
			} else {
				failed++;
				fprintf(stderr, "FAIL %s\n", t->name);
			}
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return (failed ? 1 : 0);
}
