/*
 * spool.c: COPY rows in a temporary file (see spool.h). Each record is its tag and
 * length (native byte order; the file never leaves this process) then its text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_util.h"
#include "spool.h"

#define SEND_CHUNK (256 * 1024)

struct spool
{
	FILE	   *f;
	unsigned long rows;
	bool		failed;
};

spool *
spool_new(void)
{
	spool	   *s = load_xmalloc(sizeof *s);

	/* tmpfile() is unlinked at once: nothing is left behind, even on a kill. */
	s->f = tmpfile();
	if (s->f == NULL)
	{
		fprintf(stderr, "bmn: cannot create a temporary file: %s\n", strerror(errno));
		free(s);
		return NULL;
	}
	s->rows = 0;
	s->failed = false;
	return s;
}

void
spool_free(spool *s)
{
	if (s == NULL)
		return;
	fclose(s->f);
	free(s);
}

bool
spool_put(spool *s, uint32_t tag, const char *text, size_t len)
{
	uint32_t	hdr[2] = {tag, (uint32_t) len};

	if (s->failed)
		return false;
	if (fwrite(hdr, sizeof hdr, 1, s->f) != 1 ||
		(len && fwrite(text, len, 1, s->f) != 1))
	{
		fprintf(stderr, "bmn: cannot write a temporary file: %s\n", strerror(errno));
		s->failed = true;
		return false;
	}
	s->rows++;
	return true;
}

unsigned long
spool_rows(const spool *s)
{
	return s->rows;
}

static bool
send(PGconn *conn, copybuf *b)
{
	if (b->len == 0)
		return true;
	if (PQputCopyData(conn, b->data, (int) b->len) != 1)
		return false;
	copybuf_reset(b);
	return true;
}

long
spool_copy(spool *s, PGconn *conn, const char *prefix,
		   bool (*keep) (uint32_t tag, void *ctx), void *ctx)
{
	copybuf		out = {0};
	char	   *text = NULL;
	size_t		textcap = 0;
	size_t		plen = prefix ? strlen(prefix) : 0;
	uint32_t	hdr[2];
	const char *error = NULL;
	char		errbuf[512];
	PGresult   *res;
	long		stored = -1;

	if (s->failed || fflush(s->f) != 0 || fseek(s->f, 0, SEEK_SET) != 0)
		error = "cannot read back the temporary file";
	while (error == NULL && fread(hdr, sizeof hdr, 1, s->f) == 1)
	{
		if (hdr[1] > textcap)
		{
			textcap = hdr[1];
			text = load_xrealloc(text, textcap);
		}
		if (hdr[1] && fread(text, hdr[1], 1, s->f) != 1)
		{
			error = "cannot read back the temporary file";
			break;
		}
		if (keep && !keep(hdr[0], ctx))
			continue;
		copybuf_append(&out, prefix ? prefix : "", plen);
		copybuf_append(&out, text, hdr[1]);
		copybuf_putc(&out, '\n');
		if (out.len >= SEND_CHUNK && !send(conn, &out))
			error = strncpy(errbuf, PQerrorMessage(conn), sizeof errbuf - 1);
	}
	if (error == NULL && ferror(s->f))
		error = "cannot read back the temporary file";
	if (error == NULL && !send(conn, &out))
		error = strncpy(errbuf, PQerrorMessage(conn), sizeof errbuf - 1);
	errbuf[sizeof errbuf - 1] = '\0';
	free(text);
	copybuf_free(&out);

	/* End the COPY either way; with an error message the server aborts it. */
	if (PQputCopyEnd(conn, error) != 1)
	{
		fprintf(stderr, "bmn: could not send data to the server: %s", PQerrorMessage(conn));
		return -1;
	}
	while ((res = PQgetResult(conn)) != NULL)
	{
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			stored = atol(PQcmdTuples(res));
		else if (error == NULL)
		{
			fprintf(stderr, "bmn: the server refused the data: %s", PQresultErrorMessage(res));
			stored = -1;
			error = "";
		}
		PQclear(res);
	}
	if (error && *error)
		fprintf(stderr, "bmn: %s\n", error);
	return error ? -1 : stored;
}
