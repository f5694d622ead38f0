/*
 * spool.h: rows of COPY text kept in an unlinked temporary file between validation
 * and loading, each with a 32-bit tag (the household or area it belongs to), so that
 * rows of what was rejected later can be left out when they are sent.
 */
#ifndef BMN_SPOOL_H
#define BMN_SPOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <libpq-fe.h>

typedef struct spool spool;

/* NULL (with a message on stderr) when no temporary file can be made. */
spool	   *spool_new(void);
void		spool_free(spool *s);

/* Adds one row: COPY text of its columns, without the line end. */
bool		spool_put(spool *s, uint32_t tag, const char *text, size_t len);

/* Rows put so far. */
unsigned long spool_rows(const spool *s);

/*
 * Sends the rows whose keep(tag, ctx) is true (keep NULL: all) into a COPY ... FROM
 * STDIN already started on conn, each as prefix + row + newline, then ends the COPY.
 * Returns the number of rows the server stored, or -1 (message on stderr).
 */
long		spool_copy(spool *s, PGconn *conn, const char *prefix,
					   bool (*keep) (uint32_t tag, void *ctx), void *ctx);

#endif
