/*
 * load_util.c: allocation, COPY text buffers and bit sets (see load_util.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmn.h"
#include "load_util.h"

static void
out_of_memory(void)
{
	fprintf(stderr, "bmn: out of memory\n");
	exit(BMN_EXIT_ERROR);
}

void *
load_xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

void *
load_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		out_of_memory();
	return p;
}

void *
load_xcalloc(size_t n, size_t size)
{
	void	   *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory();
	return p;
}

char *
load_xstrdup(const char *s)
{
	size_t		n = strlen(s) + 1;

	return memcpy(load_xmalloc(n), s, n);
}

void
copybuf_grow(copybuf *b, size_t more)
{
	size_t		need = b->len + more + 1;

	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 256;
	while (b->cap < need)
		b->cap *= 2;
	b->data = load_xrealloc(b->data, b->cap);
}

void
copybuf_reset(copybuf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
copybuf_free(copybuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
copybuf_puts(copybuf *b, const char *s)
{
	copybuf_append(b, s, strlen(s));
}

void
copybuf_long(copybuf *b, long long v, int width)
{
	char		tmp[24];
	int			n = 0;
	unsigned long long u = v < 0 ? 0 - (unsigned long long) v : (unsigned long long) v;

	do
	{
		tmp[n++] = (char) ('0' + u % 10);
		u /= 10;
	} while (u > 0 && n < (int) sizeof tmp);
	while (n < width && n < (int) sizeof tmp)
		tmp[n++] = '0';
	copybuf_grow(b, (size_t) n + 1);
	if (v < 0)
		b->data[b->len++] = '-';
	while (n > 0)
		b->data[b->len++] = tmp[--n];
	b->data[b->len] = '\0';
}

void
copybuf_printf(copybuf *b, const char *fmt,...)
{
	char		tmp[256];
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t) n < sizeof tmp)
	{
		copybuf_append(b, tmp, (size_t) n);
		return;
	}
	copybuf_grow(b, (size_t) n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t) n;
}

void
copybuf_value(copybuf *b, const char *s, size_t n)
{
	size_t		start = 0,
				i;

	/* Most values have nothing to escape. */
	for (i = 0; i < n; i++)
		if (s[i] == '\\' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			break;
	if (i == n)
	{
		copybuf_append(b, s, n);
		return;
	}
	copybuf_grow(b, n + 8);
	for (size_t i = 0; i < n; i++)
	{
		const char *esc;

		switch (s[i])
		{
			case '\\':
				esc = "\\\\";
				break;
			case '\t':
				esc = "\\t";
				break;
			case '\n':
				esc = "\\n";
				break;
			case '\r':
				esc = "\\r";
				break;
			default:
				continue;
		}
		copybuf_append(b, s + start, i - start);
		copybuf_append(b, esc, 2);
		start = i + 1;
	}
	copybuf_append(b, s + start, n - start);
}

void
bitset_set(bitset *s, size_t i)
{
	size_t		byte = i / 8;

	if (byte >= s->nbytes)
	{
		size_t		n = s->nbytes ? s->nbytes : 1024;

		while (n <= byte)
			n *= 2;
		s->bits = load_xrealloc(s->bits, n);
		memset(s->bits + s->nbytes, 0, n - s->nbytes);
		s->nbytes = n;
	}
	if (!(s->bits[byte] & (1u << (i % 8))))
	{
		s->bits[byte] |= (unsigned char) (1u << (i % 8));
		s->count++;
	}
}

bool
bitset_get(const bitset *s, size_t i)
{
	size_t		byte = i / 8;

	return byte < s->nbytes && (s->bits[byte] & (1u << (i % 8))) != 0;
}

void
bitset_free(bitset *s)
{
	free(s->bits);
	s->bits = NULL;
	s->nbytes = s->count = 0;
}
