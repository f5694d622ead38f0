/*
 * run_unit.c: runs every registered unit test; ends with "unit: N passed, N failed".
 */
#include <stdlib.h>

#include "unit.h"

#define MAX_TESTS 2048

static struct
{
	const char *name;
	unit_fn		fn;
}			tests[MAX_TESTS];
static int	n_tests;
static int	current_failures;

void
unit_register(const char *name, unit_fn fn)
{
	if (n_tests >= MAX_TESTS)
	{
		fprintf(stderr, "unit: too many tests\n");
		exit(2);
	}
	tests[n_tests].name = name;
	tests[n_tests].fn = fn;
	n_tests++;
}

void
unit_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: expected %s\n", file, line, what);
	current_failures++;
}

int
main(int argc, char **argv)
{
	int			passed = 0,
				failed = 0;

	for (int i = 0; i < n_tests; i++)
	{
		if (argc > 1 && strstr(tests[i].name, argv[1]) == NULL)
			continue;
		current_failures = 0;
		tests[i].fn();
		if (current_failures == 0)
			passed++;
		else
		{
			fprintf(stderr, "FAIL %s\n", tests[i].name);
			failed++;
		}
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
