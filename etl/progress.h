/*
 * progress.h: the progress line of a long load on a terminal: rows, MB/s and time
 * left, rewritten in place on stderr a few times a second. Nothing is shown when
 * stderr is not a terminal or with --quiet, so logs and tests never see it.
 */
#ifndef BMN_PROGRESS_H
#define BMN_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct
{
	bool		on;
	const char *what;			/* "checking households.csv", "sending to the server" */
	uint64_t	total;			/* bytes (or rows) to go through; 0: unknown */
	bool		count_rows;		/* total is in rows, not bytes */
	double		started;
	double		last;
	bool		shown;			/* a line is on the screen */
} progress;

/* Starts a phase; shown only when enabled and stderr is a terminal. */
void		progress_start(progress *p, bool enabled, const char *what, uint64_t total,
						   bool count_rows);

/* Where the phase is: done bytes (or rows) of total, rows so far. Cheap to call often. */
void		progress_update(progress *p, uint64_t done, uint64_t rows);

/* Clears the line (before a message or the summary). */
void		progress_clear(progress *p);

/*
 * With BMN_LOAD_TIMING=1 in the environment, prints how long since the program
 * started each step took ("bmn: timing: pass 1 done: 2.31 s"), for benchmarks.
 */
void		progress_timing(const char *what);

/* The line itself, for a phase this far along after secs seconds. Pure. */
void		progress_format(char *out, size_t outsz, const char *what, uint64_t done,
							uint64_t total, bool count_rows, uint64_t rows, double secs);

#endif
