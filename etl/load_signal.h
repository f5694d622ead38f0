/*
 * load_signal.h: a load stopped by Ctrl-C or kill (SIGINT, SIGTERM) cancels the
 * statement running on the server and ends the program, so that the transaction of
 * the batch is rolled back at once: nothing of the batch is kept. (kill -9 cannot be
 * caught: then the server rolls back when the connection drops, and the spool files
 * were unlinked when made.)
 */
#ifndef BMN_LOAD_SIGNAL_H
#define BMN_LOAD_SIGNAL_H

#include <libpq-fe.h>

void		load_signal_install(void);

/* The connection whose running statement a signal cancels (NULL: none). */
void		load_signal_connection(PGconn *conn);

#endif
