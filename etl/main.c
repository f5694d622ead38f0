/*
 * main.c: the program `bmn`, a command dispatcher.
 */
#include <stdio.h>
#include <string.h>

#include "bmn.h"

static void
usage(FILE *out)
{
	fprintf(out,
			"bmn loads, generates and reports Basic Minimum Needs (BMN) household data.\n\n"
			"Usage:\n"
			"  bmn COMMAND [OPTION]... [ARG]...\n\n"
			"Commands:\n"
			"  load FILE...      load survey exports, registry extracts and area lists\n"
			"  generate          write a synthetic survey export and registry extract\n"
			"  report AREA       write an area's certification packet (HTML page or CSV files)\n\n"
			"Options:\n"
			"  --help            show this help, then exit\n"
			"  --version         show the version, then exit\n\n"
			"Run 'bmn COMMAND --help' for a command's options.\n"
			"Connection: -d CONNINFO or the PG* environment variables, as every PostgreSQL client.\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2)
	{
		usage(stderr);
		return BMN_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
		strcmp(argv[1], "help") == 0)
	{
		usage(stdout);
		return BMN_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
	{
		printf("bmn %s\n", BMN_VERSION);
		return BMN_EXIT_OK;
	}
	if (strcmp(argv[1], "load") == 0)
		return cmd_load(argc - 1, argv + 1);
	if (strcmp(argv[1], "generate") == 0)
		return cmd_generate(argc - 1, argv + 1);
	if (strcmp(argv[1], "report") == 0)
		return cmd_report(argc - 1, argv + 1);

	fprintf(stderr, "bmn: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return BMN_EXIT_USAGE;
}
