/*
 * spool.c: COPY rows in a temporary file (see spool.h). Each record is its tag and
 * length (native byte order; the file never leaves this process) then its text.
 *
 * The writer buffers records and writes them in large blocks; what is written is
 * "published" under a mutex, and a reader reads (pread) only published bytes, waiting
 * on a condition variable for more until the spool is closed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load_util.h"
#include "spool.h"

#define WRITE_BLOCK (1024 * 1024)
#define READ_BLOCK (1024 * 1024)
#define SEND_CHUNK (256 * 1024)

struct spool
{
	int			fd;
	char	   *wbuf;
	size_t		wlen;
	unsigned long rows;
	bool		failed;			/* a write failed (the writer's view) */

	pthread_mutex_t lock;
	pthread_cond_t more;
	uint64_t	published;		/* bytes in the file that readers may read */
	bool		closed;
	bool		aborted;
};

spool *
spool_new(void)
{
	const char *dir = getenv("TMPDIR");
	copybuf		path = {0};
	spool	   *s;
	int			fd;

	copybuf_printf(&path, "%s/bmn-spool-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path.data);
	if (fd < 0)
	{
		fprintf(stderr, "bmn: cannot create a temporary file in %s: %s (set TMPDIR to a "
				"directory with room)\n", dir && *dir ? dir : "/tmp", strerror(errno));
		copybuf_free(&path);
		return NULL;
	}
	/* Unlinked at once: nothing is left behind, even after kill -9. */
	unlink(path.data);
	copybuf_free(&path);
	s = load_xcalloc(1, sizeof *s);
	s->fd = fd;
	s->wbuf = load_xmalloc(WRITE_BLOCK);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->more, NULL);
	return s;
}

void
spool_free(spool *s)
{
	if (s == NULL)
		return;
	close(s->fd);
	free(s->wbuf);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->more);
	free(s);
}

static bool
write_all(int fd, const char *p, size_t n)
{
	while (n > 0)
	{
		ssize_t		w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t) w;
	}
	return true;
}

static bool
flush(spool *s)
{
	if (s->wlen == 0)
		return true;
	if (!write_all(s->fd, s->wbuf, s->wlen))
	{
		fprintf(stderr, "bmn: cannot write a temporary file: %s (set TMPDIR to a directory "
				"with room)\n", strerror(errno));
		s->failed = true;
		spool_abort(s);
		return false;
	}
	pthread_mutex_lock(&s->lock);
	s->published += s->wlen;
	pthread_cond_broadcast(&s->more);
	pthread_mutex_unlock(&s->lock);
	s->wlen = 0;
	return true;
}

bool
spool_put(spool *s, uint32_t tag, const char *text, size_t len)
{
	uint32_t	hdr[2] = {tag, (uint32_t) len};

	if (s->failed)
		return false;
	if (s->wlen + sizeof hdr + len > WRITE_BLOCK && !flush(s))
		return false;
	if (sizeof hdr + len > WRITE_BLOCK)
	{
		/* A row larger than the buffer (up to 16 MB) goes straight to the file. */
		if (!write_all(s->fd, (const char *) hdr, sizeof hdr) || !write_all(s->fd, text, len))
		{
			s->failed = true;
			spool_abort(s);
			return false;
		}
		pthread_mutex_lock(&s->lock);
		s->published += sizeof hdr + len;
		pthread_cond_broadcast(&s->more);
		pthread_mutex_unlock(&s->lock);
	}
	else
	{
		memcpy(s->wbuf + s->wlen, hdr, sizeof hdr);
		memcpy(s->wbuf + s->wlen + sizeof hdr, text, len);
		s->wlen += sizeof hdr + len;
	}
	s->rows++;
	return true;
}

bool
spool_close(spool *s)
{
	if (s->failed || !flush(s))
		return false;
	pthread_mutex_lock(&s->lock);
	s->closed = true;
	pthread_cond_broadcast(&s->more);
	pthread_mutex_unlock(&s->lock);
	return true;
}

void
spool_abort(spool *s)
{
	pthread_mutex_lock(&s->lock);
	s->aborted = true;
	pthread_cond_broadcast(&s->more);
	pthread_mutex_unlock(&s->lock);
}

unsigned long
spool_rows(const spool *s)
{
	return s->rows;
}

/* ---- reading ------------------------------------------------------------------------ */

struct spool_reader
{
	spool	   *s;
	uint64_t	off;			/* file offset of buf[len] */
	char	   *buf;
	size_t		cap,
				len,
				pos;
	const char *error;
};

spool_reader *
spool_reader_new(spool *s)
{
	spool_reader *r = load_xcalloc(1, sizeof *r);

	r->s = s;
	r->cap = READ_BLOCK;
	r->buf = load_xmalloc(r->cap);
	return r;
}

void
spool_reader_free(spool_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r);
}

const char *
spool_reader_error(const spool_reader *r)
{
	return r->error;
}

/* Makes at least need bytes available at buf[pos]; false at the end or on an error. */
static bool
reader_fill(spool_reader *r, size_t need)
{
	while (r->len - r->pos < need)
	{
		uint64_t	avail;
		size_t		want;
		ssize_t		got;

		if (r->pos > 0)
		{
			memmove(r->buf, r->buf + r->pos, r->len - r->pos);
			r->len -= r->pos;
			r->pos = 0;
		}
		if (need > r->cap)
		{
			r->cap = need;
			r->buf = load_xrealloc(r->buf, r->cap);
		}
		pthread_mutex_lock(&r->s->lock);
		while (r->off >= r->s->published && !r->s->closed && !r->s->aborted)
			pthread_cond_wait(&r->s->more, &r->s->lock);
		avail = r->s->published - r->off;
		if (r->s->aborted)
		{
			avail = 0;
			r->error = "the rows were not all written";
		}
		pthread_mutex_unlock(&r->s->lock);
		if (avail == 0)
		{
			if (r->len - r->pos != 0 && r->error == NULL)
				r->error = "the temporary file ends inside a row";
			return false;
		}
		want = r->cap - r->len;
		if (want > avail)
			want = (size_t) avail;
		got = pread(r->s->fd, r->buf + r->len, want, (off_t) r->off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
		{
			r->error = "cannot read back the temporary file";
			return false;
		}
		r->len += (size_t) got;
		r->off += (uint64_t) got;
	}
	return true;
}

bool
spool_reader_next(spool_reader *r, uint32_t *tag, const char **text, size_t *len)
{
	uint32_t	hdr[2];

	if (!reader_fill(r, sizeof hdr))
		return false;
	memcpy(hdr, r->buf + r->pos, sizeof hdr);
	if (!reader_fill(r, sizeof hdr + hdr[1]))
	{
		if (r->error == NULL)
			r->error = "the temporary file ends inside a row";
		return false;
	}
	*tag = hdr[0];
	*text = r->buf + r->pos + sizeof hdr;
	*len = hdr[1];
	r->pos += sizeof hdr + hdr[1];
	return true;
}

/* ---- COPY ----------------------------------------------------------------------------- */

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
		   bool (*keep) (uint32_t tag, void *ctx), void *ctx,
		   void (*progress) (unsigned long rows, void *ctx))
{
	spool_reader *rd = spool_reader_new(s);
	copybuf		out = {0};
	size_t		plen = prefix ? strlen(prefix) : 0;
	const char *error = NULL,
			   *text;
	char		errbuf[512];
	size_t		len;
	uint32_t	tag;
	unsigned long sent = 0;
	PGresult   *res;
	long		stored = -1;

	while (error == NULL && spool_reader_next(rd, &tag, &text, &len))
	{
		if (keep && !keep(tag, ctx))
			continue;
		copybuf_append(&out, prefix ? prefix : "", plen);
		copybuf_append(&out, text, len);
		copybuf_putc(&out, '\n');
		if (out.len >= SEND_CHUNK)
		{
			if (!send(conn, &out))
				error = strncpy(errbuf, PQerrorMessage(conn), sizeof errbuf - 1);
			else if (progress)
				progress(sent, ctx);
		}
		sent++;
	}
	if (error == NULL)
		error = spool_reader_error(rd);
	if (error == NULL && !send(conn, &out))
		error = strncpy(errbuf, PQerrorMessage(conn), sizeof errbuf - 1);
	errbuf[sizeof errbuf - 1] = '\0';
	spool_reader_free(rd);
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
	if (error && *error && strcmp(error, "the rows were not all written") != 0)
		fprintf(stderr, "bmn: %s\n", error);
	return error ? -1 : stored;
}
