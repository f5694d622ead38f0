/*
 * bmn.h: the commands of the program `bmn` and what they share.
 *
 * Each command lives in its own file (load.c, generate.c, ...) and is called from
 * main.c with the arguments after its name (argv[0] is the command name).
 */
#ifndef BMN_H
#define BMN_H

#include <stdbool.h>

#include <libpq-fe.h>

/* Exit codes (interface.md). */
enum
{
	BMN_EXIT_OK = 0,			/* all loaded */
	BMN_EXIT_ERROR = 1,			/* nothing loaded */
	BMN_EXIT_USAGE = 2,			/* usage or connection error */
	BMN_EXIT_REJECTS = 3		/* loaded, but some rows were rejected */
};

int			cmd_load(int argc, char **argv);
int			cmd_generate(int argc, char **argv);
int			cmd_report(int argc, char **argv);

/*
 * Connect with a database name or a conninfo string, as psql's -d takes (NULL: the
 * PG* environment variables only).
 * On failure prints the server's message to stderr and returns NULL.
 */
PGconn	   *bmn_connect(const char *conninfo);

/* A whole number lo..hi, optionally signed, as an option's value (args.c). */
bool		bmn_parse_long(const char *s, long lo, long hi, long *out);

#endif
