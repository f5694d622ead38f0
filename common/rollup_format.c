/*
 * rollup_format.c: encoding a rollup, and decoding one without trusting a byte
 * of it.
 */
#include <string.h>

#include "rollup_format.h"

/* One varint at *p (before end) into *v; NULL, or what is wrong with it. */
static const char *
varint_read_any(const unsigned char **p, const unsigned char *end, int64_t *v)
{
	const unsigned char *s = *p;
	uint64_t	value = 0;

	for (int i = 0; i < BMN_ROLLUP_VARINT_MAX; i++)
	{
		unsigned char b;

		if (s == end)
			return "ends inside a count";
		b = *s++;
		value |= (uint64_t) (b & 0x7F) << (7 * i);
		if ((b & 0x80) == 0)
		{
			/* a last byte of 0 after others: the value had fewer bytes */
			if (b == 0 && i > 0)
				return "count not in its fewest bytes";
			if (value > (uint64_t) BMN_ROLLUP_MAX_COUNT)
				return "count out of range";
			*p = s;
			*v = (int64_t) value;
			return NULL;
		}
	}
	return "count out of range";
}

/*
 * The same, the counts of one or two bytes (a village's, mostly) inline: a
 * refresh decodes a stored rollup for every village a correction touches.
 */
static inline const char *
varint_read(const unsigned char **p, const unsigned char *end, int64_t *v)
{
	const unsigned char *s = *p;

	if (end - s >= 1 && s[0] < 0x80)
	{
		*v = s[0];
		*p = s + 1;
		return NULL;
	}
	if (end - s >= 2 && s[1] < 0x80 && s[1] != 0)
	{
		*v = (s[0] & 0x7F) | (s[1] << 7);
		*p = s + 2;
		return NULL;
	}
	return varint_read_any(p, end, v);
}

static const char *
header_read(const unsigned char **p, const unsigned char *end, int *n)
{
	const unsigned char *s = *p;

	if (end - s < 2)
		return "too short";
	if (s[0] != BMN_ROLLUP_VERSION)
		return "unknown version";
	if (s[1] > BMN_MAX_INDICATOR)
		return "more indicators than a set can have";
	*n = s[1];
	*p = s + 2;
	return NULL;
}

const char *
bmn_rollup_decode_totals(const void *bytes, size_t len, int64_t *households, int64_t *persons)
{
	const unsigned char *p = bytes;
	const unsigned char *end = p + len;
	const char *problem;
	int			n;

	if ((problem = header_read(&p, end, &n)) != NULL ||
		(problem = varint_read(&p, end, households)) != NULL ||
		(problem = varint_read(&p, end, persons)) != NULL)
		return problem;
	return NULL;
}

/*
 * Passed counts are looked at too: a difference that takes away passes that
 * were never added has them below 0 with nothing applicable, and is refused.
 */
static int
counts_nothing(const BmnRollupCounts *c)
{
	return c->households_applicable == 0 && c->households_passed == 0 &&
		c->persons_applicable == 0 && c->persons_passed == 0;
}

const char *
bmn_rollup_check(int64_t households, int64_t persons, const BmnRollupCounts *ind, int n,
				 int *indicator)
{
	*indicator = 0;
	if (households < 0 || households > BMN_ROLLUP_MAX_COUNT ||
		persons < 0 || persons > BMN_ROLLUP_MAX_COUNT)
		return "count out of range";
	for (int i = 0; i < n; i++)
	{
		const BmnRollupCounts *c = &ind[i];

		*indicator = i + 1;
		if (c->households_passed < 0 || c->persons_passed < 0 ||
			c->persons_applicable > BMN_ROLLUP_MAX_COUNT)
			return "count out of range";
		if (c->households_passed > c->households_applicable ||
			c->households_applicable > households ||
			c->persons_passed > c->persons_applicable)
			return "inconsistent counts for indicator";
	}
	*indicator = 0;
	return NULL;
}

const char *
bmn_rollup_decode(const void *bytes, size_t len, BmnRollup *out, int *indicator)
{
	const unsigned char *p = bytes;
	const unsigned char *end = p + len;
	const char *problem;

	*indicator = 0;
	if ((problem = header_read(&p, end, &out->n_indicators)) != NULL ||
		(problem = varint_read(&p, end, &out->households)) != NULL ||
		(problem = varint_read(&p, end, &out->persons)) != NULL)
		return problem;
	for (int i = 0; i < out->n_indicators; i++)
	{
		BmnRollupCounts *c = &out->ind[i];

		if ((problem = varint_read(&p, end, &c->households_applicable)) != NULL ||
			(problem = varint_read(&p, end, &c->households_passed)) != NULL ||
			(problem = varint_read(&p, end, &c->persons_applicable)) != NULL ||
			(problem = varint_read(&p, end, &c->persons_passed)) != NULL)
		{
			*indicator = i + 1;
			return problem;
		}
	}
	if (p != end)
		return "bytes after the last count";
	/* the encoder leaves out trailing indicators that count nothing */
	if (out->n_indicators > 0 && counts_nothing(&out->ind[out->n_indicators - 1]))
		return "last indicator counts nothing";
	return bmn_rollup_check(out->households, out->persons, out->ind, out->n_indicators,
							indicator);
}

static unsigned char *
varint_write(unsigned char *p, uint64_t v)
{
	while (v >= 0x80)
	{
		*p++ = (unsigned char) (v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char) v;
	return p;
}

size_t
bmn_rollup_encode(int64_t households, int64_t persons, const BmnRollupCounts *ind, int n,
				  unsigned char *out)
{
	unsigned char *p = out;

	if (n < 0)
		n = 0;
	if (n > BMN_MAX_INDICATOR)
		n = BMN_MAX_INDICATOR;
	while (n > 0 && counts_nothing(&ind[n - 1]))
		n--;
	*p++ = BMN_ROLLUP_VERSION;
	*p++ = (unsigned char) n;
	p = varint_write(p, (uint64_t) households);
	p = varint_write(p, (uint64_t) persons);
	for (int i = 0; i < n; i++)
	{
		p = varint_write(p, (uint64_t) ind[i].households_applicable);
		p = varint_write(p, (uint64_t) ind[i].households_passed);
		p = varint_write(p, (uint64_t) ind[i].persons_applicable);
		p = varint_write(p, (uint64_t) ind[i].persons_passed);
	}
	return (size_t) (p - out);
}
