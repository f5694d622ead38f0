/*
 * reject.c: writing reject files (see reject.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_util.h"
#include "reject.h"

char *
reject_path(const char *input, const char *prefix, const char *suffix)
{
	copybuf		b = {0};

	if (prefix)
	{
		const char *base = strrchr(input, '/');

		copybuf_puts(&b, prefix);
		copybuf_puts(&b, base ? base + 1 : input);
	}
	else
	{
		copybuf_puts(&b, input);
		copybuf_puts(&b, suffix);
	}
	return b.data;
}

long
reject_write(const char *input, textenc enc, unsigned char delim, const char *path,
			 bool (*want) (const csvr_row *row, bool malformed, void *ctx), void *ctx)
{
	char		err[256];
	csvr	   *r = csvr_open(input, enc, err, sizeof err);
	FILE	   *out;
	csvr_row	row;
	csvr_result res;
	long		written = 0;
	bool		header = true;

	if (r == NULL)
	{
		fprintf(stderr, "bmn: %s: %s\n", input, err);
		return -1;
	}
	csvr_set_delimiter(r, delim);
	out = fopen(path, "wb");
	if (out == NULL)
	{
		fprintf(stderr, "bmn: cannot write the reject file %s: %s\n", path, strerror(errno));
		csvr_close(r);
		return -1;
	}
	while ((res = csvr_next(r, &row)) == CSVR_ROW || res == CSVR_BADROW)
	{
		if (!header && !want(&row, res == CSVR_BADROW, ctx))
			continue;
		fwrite(row.raw, 1, row.raw_len, out);
		fputs(csvr_line_end(r), out);
		if (!header)
			written++;
		header = false;
	}
	if (res == CSVR_FATAL)
		fprintf(stderr, "bmn: %s:%lu: %s\n", input, csvr_error_line(r), csvr_error_message(r));
	csvr_close(r);
	if (fclose(out) != 0)
	{
		fprintf(stderr, "bmn: cannot write the reject file %s: %s\n", path, strerror(errno));
		return -1;
	}
	return res == CSVR_FATAL ? -1 : written;
}
