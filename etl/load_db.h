/*
 * load_db.h: the database side of `bmn load`: statements with parameters, COPY,
 * the batch table and the area codes the checks need. Every function prints the
 * server's message on failure.
 */
#ifndef BMN_LOAD_DB_H
#define BMN_LOAD_DB_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "keyset.h"

/*
 * Key of the advisory locks of loads: with 0, area lists, and with -1, registry
 * extracts, one at a time; with the survey year, survey loads, shared once the
 * round exists (load_survey_db.c).
 */
#define LOAD_LOCK_KEY "6450542"

bool		load_db_exec(PGconn *c, const char *sql);

/* A statement with text parameters; NULL on error. A result to PQclear otherwise. */
PGresult   *load_db_query(PGconn *c, const char *sql, int n, const char *const *params);

/* The rows a statement with text parameters changed; -1 on error. */
long		load_db_count(PGconn *c, const char *sql, int n, const char *const *params);

/* Starts COPY ... FROM STDIN. */
bool		load_db_copy_start(PGconn *c, const char *sql);

/*
 * Ends a COPY FROM STDIN: with error non-NULL the server aborts it. Reads every
 * result; false (a database error reported, unless error was given) when the COPY
 * did not store its rows.
 */
bool		load_db_copy_end(PGconn *c, const char *error);

void		load_db_rollback(PGconn *c);

/*
 * An earlier batch of this kind with this content: its id (loaded_at into when),
 * 0 when there is none, -1 on error.
 */
long		load_db_find_batch(PGconn *c, const char *kind, const char *sha256,
							   char *when, size_t whensz);

/* Adds the codes of bmn.area that are at most maxlen digits long to out. */
bool		load_db_area_codes(PGconn *c, int maxlen, strmap *out);

/*
 * Whether row-level security applies to the current user on table ("bmn.household"):
 * 1 yes (a member of bmn_loader, say), 0 no (superuser, owner, BYPASSRLS), -1 on error
 * (reported). PostgreSQL refuses COPY FROM into such a table: the rows then go to a
 * temporary table, then in with INSERT ... SELECT, so that the policies check each row.
 */
int			load_db_rls_active(PGconn *c, const char *table);

/* How long a server message load_db_query_scoped keeps. */
#define LOAD_DB_REFUSED_SIZE 512

/*
 * load_db_query, except that a refusal by the access rules (SQLSTATE 42501: a row
 * outside the user's areas, a table it may not write) is not printed but kept in
 * refused (LOAD_DB_REFUSED_SIZE bytes), for load_db_report_refused once rolled back.
 */
PGresult   *load_db_query_scoped(PGconn *c, const char *sql, int n, const char *const *params,
								 char *refused);

/*
 * Once a refused batch is rolled back: names the villages of the batch (villages: a
 * text[] literal) that lie outside the current user's areas, and the areas granted to
 * it; or, when none does, the server's message. file: the input named in the message;
 * what: what the batch brings, as in "you may not load households of village ...".
 */
void		load_db_report_refused(PGconn *c, const char *file, const char *what,
								   const char *villages, const char *refused);

/*
 * Whether the current user may change the area list (superuser, owner, bmn_admin): 1
 * yes, 0 no (user gets its name), -1 on error (reported).
 */
int			load_db_may_load_areas(PGconn *c, char *user, size_t usersz);

#endif
