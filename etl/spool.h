/*
 * spool.h: rows of COPY text kept in an unlinked temporary file between validation
 * and loading, each with a 32-bit tag (the household or house it belongs to), so that
 * rows of what was rejected later can be left out when they are sent.
 *
 * One thread writes; another may read at the same time, following the writer (the
 * rows of members.csv go to the server while the file is still being checked). The
 * file is unlinked as soon as it is made: a killed load leaves nothing behind.
 */
#ifndef BMN_SPOOL_H
#define BMN_SPOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <libpq-fe.h>

typedef struct spool spool;

/* NULL (with a message on stderr) when no temporary file can be made ($TMPDIR). */
spool	   *spool_new(void);
void		spool_free(spool *s);

/* Adds one row: COPY text of its columns, without the line end. */
bool		spool_put(spool *s, uint32_t tag, const char *text, size_t len);

/* No more rows (readers see the end); false when the last rows cannot be written. */
bool		spool_close(spool *s);

/* The writer gives up: a reader waiting for rows stops with an error. */
void		spool_abort(spool *s);

/* Rows put so far (the writer's count). */
unsigned long spool_rows(const spool *s);

typedef struct spool_reader spool_reader;

/* Reads the rows from the first; rows not written yet are waited for. */
spool_reader *spool_reader_new(spool *s);
void		spool_reader_free(spool_reader *r);

/*
 * The next row; its text stays valid until the next call. False at the end, or on an
 * error (spool_reader_error says which).
 */
bool		spool_reader_next(spool_reader *r, uint32_t *tag, const char **text, size_t *len);
const char *spool_reader_error(const spool_reader *r);

/*
 * Sends the rows whose keep(tag, ctx) is true (keep NULL: all) into a COPY ... FROM
 * STDIN already started on conn, each as prefix + row + newline, then ends the COPY.
 * Returns the number of rows the server stored, or -1 (message on stderr). progress,
 * when not NULL, is called every few thousand rows with the rows sent so far.
 */
long		spool_copy(spool *s, PGconn *conn, const char *prefix,
					   bool (*keep) (uint32_t tag, void *ctx), void *ctx,
					   void (*progress) (unsigned long rows, void *ctx));

#endif
