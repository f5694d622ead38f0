/*
 * test_load_args.c: `bmn load` refusing its command line before it connects. The file
 * names read before a bad option must be freed on the way out: make sanitize runs
 * these with LeakSanitizer, which fails the run if they are not.
 */
#include <fcntl.h>
#include <getopt.h>
#include <unistd.h>

#include "unit.h"
#include "bmn.h"

/* cmd_load over ARGS (after "load"), stderr sent to /dev/null: its exit code. */
static int
load_args(int n, const char *const *args)
{
	char	   *argv[16];
	char		buf[16][64];
	int			saved,
				null,
				rc;

	snprintf(buf[0], sizeof buf[0], "load");
	argv[0] = buf[0];
	for (int i = 0; i < n && i < 14; i++)
	{
		snprintf(buf[i + 1], sizeof buf[i + 1], "%s", args[i]);
		argv[i + 1] = buf[i + 1];
	}
	argv[n + 1] = NULL;
	optind = 0;					/* GNU getopt: start afresh */
	fflush(stderr);
	saved = dup(2);
	null = open("/dev/null", O_WRONLY);
	dup2(null, 2);
	close(null);
	rc = cmd_load(n + 1, argv);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	return rc;
}

UNIT_TEST(load_usage_error_after_files)
{
	/* Each one after file names, which new_input has already copied. */
	static const char *const missing_value[] = {"h.csv", "m.csv", "-d"};
	static const char *const bad_option[] = {"h.csv", "--bogus", "m.csv"};
	static const char *const bad_kind[] = {"h.csv", "--kind=people", "m.csv"};
	static const char *const bad_encoding[] = {"h.csv", "--encoding=latin1"};
	static const char *const bad_max[] = {"h.csv", "--max-rejects=many"};
	static const char *const bad_date[] = {"h.csv", "--as-of=yesterday"};

	EXPECT_INT(load_args(3, missing_value), BMN_EXIT_USAGE);
	EXPECT_INT(load_args(3, bad_option), BMN_EXIT_USAGE);
	EXPECT_INT(load_args(3, bad_kind), BMN_EXIT_USAGE);
	EXPECT_INT(load_args(2, bad_encoding), BMN_EXIT_USAGE);
	EXPECT_INT(load_args(2, bad_max), BMN_EXIT_USAGE);
	EXPECT_INT(load_args(2, bad_date), BMN_EXIT_USAGE);
	EXPECT_INT(load_args(0, NULL), BMN_EXIT_USAGE);
}
