/*
 * packet_csv.c: the packet's tables as CSV files (see packet_csv.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "packet_csv.h"
#include "packet_fmt.h"

void
pk_csv_result(copybuf *b, const PGresult *res)
{
	int			nf = PQnfields(res);

	for (int c = 0; c < nf; c++)
	{
		if (c)
			copybuf_putc(b, ',');
		pk_csv_field(b, PQfname(res, c));
	}
	copybuf_putc(b, '\n');
	for (int r = 0; r < PQntuples(res); r++)
	{
		for (int c = 0; c < nf; c++)
		{
			if (c)
				copybuf_putc(b, ',');
			if (!PQgetisnull(res, r, c))
				pk_csv_field(b, PQgetvalue(res, r, c));
		}
		copybuf_putc(b, '\n');
	}
}

/* Writes the whole buffer to path, replacing it; false with a message on stderr. */
static bool
write_file(const char *path, const copybuf *b)
{
	FILE	   *f = fopen(path, "w");
	bool		ok;

	if (f == NULL)
	{
		fprintf(stderr, "bmn report: cannot write %s: %s\n", path, strerror(errno));
		return false;
	}
	ok = fwrite(b->data, 1, b->len, f) == b->len;
	if (fclose(f) != 0)
		ok = false;
	if (!ok)
		fprintf(stderr, "bmn report: cannot write %s: %s\n", path, strerror(errno));
	return ok;
}

int
pk_csv_write(const pk_packet *p, const char *dir)
{
	struct stat st;
	int			written = 0;
	copybuf		b = {0};

	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
	{
		fprintf(stderr, "bmn report: cannot create directory %s: %s\n", dir, strerror(errno));
		return -1;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
	{
		fprintf(stderr, "bmn report: %s is not a directory (--format csv writes one file per "
				"table into a directory)\n", dir);
		return -1;
	}
	for (int i = 0; i < PK_NTABLES; i++)
	{
		char		path[4096];

		if (p->t[i].res == NULL)
			continue;
		if ((size_t) snprintf(path, sizeof path, "%s/%s.csv", dir, p->t[i].name) >= sizeof path)
		{
			fprintf(stderr, "bmn report: directory name too long: %s\n", dir);
			copybuf_free(&b);
			return -1;
		}
		copybuf_reset(&b);
		pk_csv_result(&b, p->t[i].res);
		if (!write_file(path, &b))
		{
			copybuf_free(&b);
			return -1;
		}
		written++;
	}
	copybuf_free(&b);
	return written;
}
