/*
 * progress.c: the progress line (see progress.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

/* Redraws per second at most. */
#define REDRAW_SECS 0.25

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 1234567 -> "1,234,567" */
static void
grouped(char *out, size_t outsz, uint64_t v)
{
	char		digits[32];
	int			n = snprintf(digits, sizeof digits, "%llu", (unsigned long long) v),
				o = 0;

	for (int i = 0; i < n && (size_t) o + 2 < outsz; i++)
	{
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

void
progress_format(char *out, size_t outsz, const char *what, uint64_t done, uint64_t total,
				bool count_rows, uint64_t rows, double secs)
{
	char		r[32],
				rate[32] = "",
				left[32] = "";

	grouped(r, sizeof r, rows);
	if (secs > 0.5 && !count_rows)
		snprintf(rate, sizeof rate, ", %.1f MB/s", done / secs / 1e6);
	else if (secs > 0.5)
		snprintf(rate, sizeof rate, ", %.0f rows/s", done / secs);
	if (secs > 1 && total > done && done > 0)
	{
		double		s = secs * (double) (total - done) / (double) done;

		if (s < 60)
			snprintf(left, sizeof left, ", %.0f s left", s);
		else if (s < 3600)
			snprintf(left, sizeof left, ", %d min %02d s left", (int) s / 60, (int) s % 60);
		else
			snprintf(left, sizeof left, ", %d h %02d min left", (int) s / 3600, (int) s / 60 % 60);
	}
	if (total > 0)
		snprintf(out, outsz, "bmn: %s: %s rows, %d%%%s%s", what, r,
				 (int) (done >= total ? 100 : 100 * done / total), rate, left);
	else
		snprintf(out, outsz, "bmn: %s: %s rows%s", what, r, rate);
}

void
progress_start(progress *p, bool enabled, const char *what, uint64_t total, bool count_rows)
{
	bool		shown = p->shown;

	memset(p, 0, sizeof *p);
	p->shown = shown;
	p->on = enabled && isatty(STDERR_FILENO);
	p->what = what;
	p->total = total;
	p->count_rows = count_rows;
	if (p->on)
	{
		/* The first update draws at once, so even a short phase shows its line. */
		p->started = now();
		p->last = p->started - REDRAW_SECS;
	}
}

void
progress_update(progress *p, uint64_t done, uint64_t rows)
{
	char		line[160];
	double		t;

	if (!p->on)
		return;
	t = now();
	if (t - p->last < REDRAW_SECS)
		return;
	p->last = t;
	progress_format(line, sizeof line, p->what, done, p->total, p->count_rows, rows,
					t - p->started);
	/* \r, the line, then clear to the end of the line (ANSI). */
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	p->shown = true;
}

void
progress_timing(const char *what)
{
	static int	on = -1;
	static double start;

	if (on < 0)
	{
		const char *e = getenv("BMN_LOAD_TIMING");

		on = e && *e && strcmp(e, "0") != 0;
		start = now();
	}
	if (on)
		fprintf(stderr, "bmn: timing: %s: %.2f s\n", what, now() - start);
}

void
progress_clear(progress *p)
{
	if (p->shown)
	{
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->shown = false;
	}
}
