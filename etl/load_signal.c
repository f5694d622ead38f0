/*
 * load_signal.c: stopping a load cleanly on SIGINT and SIGTERM (see load_signal.h).
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "bmn.h"
#include "load_signal.h"

/* Read by the handler: set before signals can need it, swapped atomically. */
static PGcancel *volatile cancel;

static void
on_signal(int sig)
{
	static const char msg[] = "\nbmn: interrupted: the batch being loaded is rolled back; "
		"nothing of it is kept\n";
	char		err[256];
	PGcancel   *c = cancel;

	(void) sig;
	/* PQcancel is meant for signal handlers; write(2) and _exit are safe too. */
	if (c != NULL)
		PQcancel(c, err, sizeof err);
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
	{
		/* nothing more to do */
	}
	_exit(BMN_EXIT_ERROR);
}

void
load_signal_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A server gone away must be an error message, not a silent death. */
	signal(SIGPIPE, SIG_IGN);
}

void
load_signal_connection(PGconn *conn)
{
	PGcancel   *old = cancel;
	sigset_t	set,
				saved;

	/* No signal while the pointer changes and the old one is freed. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &saved);
	cancel = conn ? PQgetCancel(conn) : NULL;
	if (old)
		PQfreeCancel(old);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
}
