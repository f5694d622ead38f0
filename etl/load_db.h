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

/* Key of the advisory lock that serialises loads (with the survey year, or 0). */
#define LOAD_LOCK_KEY "6450542"

bool		load_db_exec(PGconn *c, const char *sql);

/* A statement with text parameters; NULL on error. A result to PQclear otherwise. */
PGresult   *load_db_query(PGconn *c, const char *sql, int n, const char *const *params);

/* Starts COPY ... FROM STDIN. */
bool		load_db_copy_start(PGconn *c, const char *sql);

void		load_db_rollback(PGconn *c);

/*
 * An earlier batch of this kind with this content: its id (loaded_at into when),
 * 0 when there is none, -1 on error.
 */
long		load_db_find_batch(PGconn *c, const char *kind, const char *sha256,
							   char *when, size_t whensz);

/* Adds the codes of bmn.area that are at most maxlen digits long to out. */
bool		load_db_area_codes(PGconn *c, int maxlen, strmap *out);

#endif
