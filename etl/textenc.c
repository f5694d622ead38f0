/*
 * textenc.c: decoding of the input encodings to UTF-8 (see textenc.h).
 */
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "textenc.h"
#include "utf8.h"

const char *
textenc_name(textenc e)
{
	switch (e)
	{
		case TEXTENC_CP874:
			return "CP874 (windows-874)";
		case TEXTENC_TIS620:
			return "TIS-620";
		default:
			return "UTF-8";
	}
}

const char *
textenc_iconv_name(textenc e)
{
	switch (e)
	{
		case TEXTENC_CP874:
			return "CP874";
		case TEXTENC_TIS620:
			return "TIS-620";
		default:
			return "UTF-8";
	}
}

bool
textenc_from_name(const char *s, textenc *out)
{
	static const struct
	{
		const char *name;
		textenc		enc;
	}			names[] = {
		{"utf-8", TEXTENC_UTF8}, {"utf8", TEXTENC_UTF8},
		{"cp874", TEXTENC_CP874}, {"windows-874", TEXTENC_CP874}, {"win874", TEXTENC_CP874},
		{"tis-620", TEXTENC_TIS620}, {"tis620", TEXTENC_TIS620},
		{"iso-8859-11", TEXTENC_TIS620},
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(s, names[i].name) == 0)
		{
			*out = names[i].enc;
			return true;
		}
	return false;
}

/* Builds the table byte by byte with iconv; a byte iconv refuses is not text. */
static bool
build_table(const char *from, textenc_table *t)
{
	iconv_t		cd = iconv_open("UTF-8", from);

	if (cd == (iconv_t) -1)
		return false;
	memset(t, 0, sizeof *t);
	for (int b = 0; b < 256; b++)
	{
		char		in[1] = {(char) b},
					out[8];
		char	   *ip = in,
				   *op = out;
		size_t		il = 1,
					ol = sizeof out;

		iconv(cd, NULL, NULL, NULL, NULL);
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t) -1 || il != 0)
			continue;
		if (sizeof out - ol > 3)
			continue;
		t->len[b] = (unsigned char) (sizeof out - ol);
		memcpy(t->utf8[b], out, t->len[b]);
	}
	iconv_close(cd);
	return true;
}

const textenc_table *
textenc_table_get(textenc e)
{
	static textenc_table tables[3];
	static bool tried[3],
				ok[3];

	if (e == TEXTENC_UTF8 || (unsigned) e > 2)
		return NULL;
	if (!tried[e])
	{
		tried[e] = true;
		ok[e] = build_table(textenc_iconv_name(e), &tables[e]);
	}
	return ok[e] ? &tables[e] : NULL;
}

size_t
textenc_decode(const textenc_table *t, const unsigned char *in, size_t n,
			   unsigned char *out, size_t *nbad)
{
	size_t		o = 0,
				bad = 0;

	for (size_t i = 0; i < n; i++)
	{
		unsigned char c = in[i];

		if (c < 0x80)
			out[o++] = c;
		else if (t->len[c] == 0)
		{
			out[o++] = TEXTENC_BAD;
			bad++;
		}
		else
		{
			memcpy(out + o, t->utf8[c], 3);
			o += t->len[c];
		}
	}
	*nbad = bad;
	return o;
}

size_t
textenc_source_len(const unsigned char *decoded, size_t n)
{
	size_t		chars = 0;

	for (size_t i = 0; i < n; i++)
		chars += (decoded[i] & 0xC0) != 0x80;
	return chars;
}

bool
textenc_is_ascii(const unsigned char *s, size_t n)
{
	size_t		i = 0;
	uint64_t	acc = 0;

	for (; i + 8 <= n; i += 8)
	{
		uint64_t	w;

		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < n; i++)
		acc |= s[i];
	return (acc & 0x8080808080808080ULL) == 0;
}

/* Length of the valid sequence at s[0..n), or 0 when it is not one. */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	unsigned	c = s[0],
				need,
				lo,
				hi;

	if (c < 0x80)
		return 1;
	/* Thai (U+0E00..U+0E7F) first: most of the text of these files. */
	if (c == 0xE0 && n >= 3 && (s[1] == 0xB8 || s[1] == 0xB9) && (s[2] & 0xC0) == 0x80)
		return 3;
	if (!utf8_lead(c, &need, &lo, &hi))
		return 0;
	if (n < need + 1)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k <= need; k++)
		if ((s[k] & 0xC0) != 0x80)
			return 0;
	return (size_t) need + 1;
}

/*
 * How far the valid UTF-8 at s[i..n) goes in one step: eight bytes of plain ASCII
 * at once, else one sequence; 0 when the byte at i starts no valid sequence.
 */
static size_t
utf8_step(const unsigned char *s, size_t i, size_t n)
{
	if (i + 8 <= n)
	{
		uint64_t	w;

		memcpy(&w, s + i, 8);
		if ((w & 0x8080808080808080ULL) == 0)
			return 8;
	}
	return utf8_seq(s + i, n - i);
}

size_t
textenc_utf8_scrub(unsigned char *s, size_t n)
{
	size_t		i = 0,
				bad = 0;

	while (i < n)
	{
		size_t		k;

		k = utf8_step(s, i, n);
		if (k == 0)
		{
			s[i++] = TEXTENC_BAD;
			bad++;
		}
		else
			i += k;
	}
	return bad;
}

void
textenc_utf8_count(const unsigned char *s, size_t n, unsigned long long *seqs,
				   unsigned long long *bad, size_t *first_bad)
{
	size_t		i = 0;
	bool		seen_bad = false;

	while (i < n)
	{
		size_t		k;

		k = utf8_step(s, i, n);
		if (k == 0)
		{
			if (!seen_bad && first_bad)
				*first_bad = i;
			seen_bad = true;
			(*bad)++;
			i++;
		}
		else
		{
			*seqs += s[i] >= 0x80;	/* a multi-byte sequence, not a run of ASCII */
			i += k;
		}
	}
}

bool
textenc_utf8_valid(const unsigned char *s, size_t n)
{
	size_t		i = 0;

	while (i < n)
	{
		size_t		k;

		k = utf8_step(s, i, n);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

size_t
textenc_utf8_cut(const unsigned char *s, size_t n)
{
	/* Look back over at most 3 continuation bytes for a lead byte. */
	for (size_t back = 1; back <= 4 && back <= n; back++)
	{
		unsigned char c = s[n - back];
		size_t		want;

		if ((c & 0xC0) == 0x80)
			continue;
		if (c >= 0xF0)
			want = 4;
		else if (c >= 0xE0)
			want = 3;
		else if (c >= 0xC0)
			want = 2;
		else
			return n;
		return back < want ? n - back : n;
	}
	return n;
}
