/*
 * report.c: located messages (see report.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "report.h"

static void
vreport(const char *kind, const char *file, unsigned long line, int col,
		const char *fmt, va_list ap)
{
	if (line > 0 && col > 0)
		fprintf(stderr, "%s:%lu:%d: %s: ", file, line, col, kind);
	else if (line > 0)
		fprintf(stderr, "%s:%lu: %s: ", file, line, kind);
	else
		fprintf(stderr, "%s: %s: ", file, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
report_error(const char *file, unsigned long line, int col, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vreport("error", file, line, col, fmt, ap);
	va_end(ap);
}

void
report_warning(const char *file, unsigned long line, int col, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vreport("warning", file, line, col, fmt, ap);
	va_end(ap);
}
