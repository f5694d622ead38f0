/*
 * load_util.h: what every part of `bmn load` uses: allocation that cannot fail (out
 * of memory ends the program), a growable text buffer that writes PostgreSQL COPY
 * text, and bit sets indexed by row number.
 */
#ifndef BMN_LOAD_UTIL_H
#define BMN_LOAD_UTIL_H

#include <stdbool.h>
#include <stddef.h>

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
void		copybuf_append(copybuf *b, const char *s, size_t n);
void		copybuf_puts(copybuf *b, const char *s);
void		copybuf_putc(copybuf *b, char c);
/* A whole number in decimal, at least width digits (zero-padded). */
void		copybuf_long(copybuf *b, long long v, int width);
void		copybuf_printf(copybuf *b, const char *fmt,...) __attribute__((format(printf, 2, 3)));

/*
 * COPY text format (one row per line, tab between columns): a value with backslash,
 * tab, newline and carriage return escaped, or \N for NULL.
 */
void		copybuf_value(copybuf *b, const char *s, size_t n);
void		copybuf_null(copybuf *b);
/* The tab before every column but the first of a row. */
void		copybuf_sep(copybuf *b);

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
