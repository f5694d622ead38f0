/*
 * generate_out.h: a buffered writer for the files of `bmn generate`. Formatting by
 * hand, not printf: a million members must be written in a few seconds.
 */
#ifndef GENERATE_OUT_H
#define GENERATE_OUT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define GEN_OUT_BUFSIZE (1 << 20)

typedef struct
{
	FILE	   *f;
	char	   *path;
	char	   *buf;
	size_t		len;
	bool		failed;
} gen_out;

/* Opens DIR/NAME for writing; prints the reason and returns false on failure. */
bool		gen_out_open(gen_out *o, const char *dir, const char *name);

/* Writes what is buffered (called by the inline writers when the buffer fills). */
void		gen_out_flush(gen_out *o);

/* Flushes and closes; prints the reason and returns false if anything failed. */
bool		gen_out_close(gen_out *o);

static inline void
gen_out_reserve(gen_out *o, size_t n)
{
	if (o->len + n > GEN_OUT_BUFSIZE)
		gen_out_flush(o);
}

static inline void
gen_out_mem(gen_out *o, const char *s, size_t n)
{
	if (n > GEN_OUT_BUFSIZE / 2)
	{
		gen_out_flush(o);
		if (fwrite(s, 1, n, o->f) != n)
			o->failed = true;
		return;
	}
	gen_out_reserve(o, n);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static inline void
gen_out_str(gen_out *o, const char *s)
{
	gen_out_mem(o, s, strlen(s));
}

static inline void
gen_out_char(gen_out *o, char c)
{
	gen_out_reserve(o, 1);
	o->buf[o->len++] = c;
}

/* A non-negative or negative integer in plain decimal. */
static inline void
gen_out_long(gen_out *o, long long v)
{
	char		tmp[24];
	int			n = 0;
	unsigned long long u = v < 0 ? -(unsigned long long) v : (unsigned long long) v;

	do
	{
		tmp[n++] = (char) ('0' + u % 10);
		u /= 10;
	} while (u);
	gen_out_reserve(o, (size_t) n + 1);
	if (v < 0)
		o->buf[o->len++] = '-';
	while (n)
		o->buf[o->len++] = tmp[--n];
}

/* v as exactly width digits, zero-padded (v >= 0). */
static inline void
gen_out_padded(gen_out *o, long long v, int width)
{
	gen_out_reserve(o, (size_t) width);
	for (int i = width - 1; i >= 0; i--)
	{
		o->buf[o->len + i] = (char) ('0' + v % 10);
		v /= 10;
	}
	o->len += (size_t) width;
}

/* A decimal with 6 places from its value times 10^6 (for coordinates). */
static inline void
gen_out_micro(gen_out *o, long long v)
{
	if (v < 0)
	{
		gen_out_char(o, '-');
		v = -v;
	}
	gen_out_long(o, v / 1000000);
	gen_out_char(o, '.');
	gen_out_padded(o, v % 1000000, 6);
}

/*
 * A CSV field (RFC 4180): quoted only when it holds the delimiter, a quote or a line
 * break.
 */
void		gen_out_csv_field(gen_out *o, const char *s, char delim);

#endif
