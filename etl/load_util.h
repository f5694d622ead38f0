/*
 * load_util.h: what every part of `bmn load` uses: allocation that cannot fail (out
 * of memory ends the program), a growable text buffer that writes PostgreSQL COPY
 * text, and bit sets indexed by row number.
 */
#ifndef BMN_LOAD_UTIL_H
#define BMN_LOAD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

void	   *load_xmalloc(size_t n);
void	   *load_xrealloc(void *p, size_t n);
void	   *load_xcalloc(size_t n, size_t size);
char	   *load_xstrdup(const char *s);

/* A growable, NUL-terminated byte buffer. */
typedef struct
{
	char	   *data;
	size_t		len,
				cap;
} copybuf;

void		copybuf_reset(copybuf *b);
void		copybuf_free(copybuf *b);
/* Makes room for more bytes (and the NUL); the slow path of the functions below. */
void		copybuf_grow(copybuf *b, size_t more);

static inline void
copybuf_append(copybuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		copybuf_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
copybuf_putc(copybuf *b, char c)
{
	if (b->len + 2 > b->cap)
		copybuf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

void		copybuf_puts(copybuf *b, const char *s);
/* A whole number in decimal, at least width digits (zero-padded). */
void		copybuf_long(copybuf *b, long long v, int width);
void		copybuf_printf(copybuf *b, const char *fmt,...) __attribute__((format(printf, 2, 3)));

/*
 * COPY text format (one row per line, tab between columns): a value with backslash,
 * tab, newline and carriage return escaped, or \N for NULL.
 */
void		copybuf_value(copybuf *b, const char *s, size_t n);

static inline void
copybuf_null(copybuf *b)
{
	copybuf_append(b, "\\N", 2);
}

/* The tab before every column but the first of a row. */
static inline void
copybuf_sep(copybuf *b)
{
	copybuf_putc(b, '\t');
}

/* A set of row numbers. */
typedef struct
{
	unsigned char *bits;
	size_t		nbytes;
	size_t		count;			/* bits set */
} bitset;

void		bitset_set(bitset *s, size_t i);
bool		bitset_get(const bitset *s, size_t i);
void		bitset_free(bitset *s);

#endif
