/* Runs every unit test; each is a function that uses CHECK. */

#include <stdio.h>

#include "unit.h"

int	unit_failed_checks;

/* One suite per pure module: tests/unit/test_<module>.c for src/lib/. */
extern const struct unit_test	authz_tests[], bytea_tests[], config_tests[],
				cookie_tests[], email_tests[], errors_tests[],
				html_tests[], idemkey_tests[], json_tests[],
				keys_tests[], lang_tests[], metrics_tests[],
				migration_tests[], params_tests[],
				passwords_tests[], reqid_tests[], results_tests[],
				roles_tests[],
				router_tests[], secret_tests[], stamp_tests[],
				strbuf_tests[], tabular_tests[], token_tests[],
				utf8_tests[], validate_tests[], survey_tests[],
				expr_tests[], answers_tests[],
				open311_tests[], image_tests[], multipart_tests[],
				chart_tests[], disclosure_tests[], opendata_tests[],
				schedule_tests[], progress_tests[],
				replica_tests[], desk_tests[], when_tests[],
				agent_tests[], nextpath_tests[], unsubscribe_tests[],
				markup_tests[], colour_tests[];

static const struct unit_test *const suites[] = {
	authz_tests, bytea_tests, config_tests, cookie_tests, email_tests,
	errors_tests, html_tests, idemkey_tests, json_tests, keys_tests,
	lang_tests, metrics_tests, migration_tests, params_tests,
	passwords_tests, reqid_tests, results_tests, roles_tests, router_tests,
	secret_tests, stamp_tests, strbuf_tests, tabular_tests, token_tests,
	utf8_tests, validate_tests, survey_tests, expr_tests, answers_tests,
	open311_tests, image_tests, multipart_tests,
	chart_tests, disclosure_tests, opendata_tests, schedule_tests,
	progress_tests, replica_tests, desk_tests, when_tests,
	agent_tests, nextpath_tests, unsubscribe_tests,
	markup_tests, colour_tests,
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
