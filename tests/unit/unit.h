/*
 * A minimal unit-test harness: CHECK records a failure and goes on, so one
 * run reports every broken expectation.  tests/unit/main.c runs the suites
 * and prints "N passed, N failed".
 */

#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

extern int	unit_failed_checks;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "  %s:%d: CHECK(%s) failed\n",		\
		    __FILE__, __LINE__, #cond);				\
		unit_failed_checks++;					\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (g_ == NULL || strcmp(g_, w_) != 0) {			\
		fprintf(stderr, "  %s:%d: got \"%s\", want \"%s\"\n",	\
		    __FILE__, __LINE__, g_ ? g_ : "(null)", w_);	\
		unit_failed_checks++;					\
	}								\
} while (0)

struct unit_test {
	const char	*name;
	void		(*fn)(void);
};

#define UNIT_SUITE(name) const struct unit_test name[]

/* The keys of a fixed key file (test_keys.c). */
struct keys	*unit_keys(void);

#endif
