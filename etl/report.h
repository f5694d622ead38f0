/*
 * report.h: messages of `bmn load` on stderr, in the form compilers use so that
 * editors and grep find them: FILE:LINE:COLUMN: error: MESSAGE.
 */
#ifndef BMN_REPORT_H
#define BMN_REPORT_H

/* line 0: no line; col 0: no column. */
void		report_error(const char *file, unsigned long line, int col, const char *fmt,...)
			__attribute__((format(printf, 4, 5)));
void		report_warning(const char *file, unsigned long line, int col, const char *fmt,...)
			__attribute__((format(printf, 4, 5)));

#endif
