/*
 * test_rollup_format.c: the stored form of bmn.rollup (common/rollup_format.c):
 * values encoded in their fewest bytes, and every way a stored value can be
 * wrong refused by the decoder.
 */
#include "unit.h"

#include "rollup_format.h"

/* A rollup of households h, persons p and the counts of one indicator (number i). */
static size_t
one_indicator(unsigned char *out, int i, int64_t h, int64_t p,
			  int64_t ha, int64_t hp, int64_t pa, int64_t pp)
{
	BmnRollupCounts ind[BMN_MAX_INDICATOR];

	memset(ind, 0, sizeof ind);
	ind[i - 1] = (BmnRollupCounts) {ha, hp, pa, pp};
	return bmn_rollup_encode(h, p, ind, BMN_MAX_INDICATOR, out);
}

static const char *
decode(const unsigned char *bytes, size_t len, int *indicator)
{
	BmnRollup	r;

	return bmn_rollup_decode(bytes, len, &r, indicator);
}

UNIT_TEST(rollup_encoding_by_hand)
{
	unsigned char b[BMN_ROLLUP_MAX_BYTES];
	BmnRollup	r;
	int			indicator;
	size_t		n;

	/* 300 = 0b10_0101100: 0xAC 0x02; 127 one byte, 128 two */
	n = one_indicator(b, 2, 300, 1000, 300, 127, 1000, 128);
	EXPECT_INT(n, 2 + 2 + 2 + 4 + 2 + 1 + 2 + 2);
	EXPECT(memcmp(b, "\x02\x02\xac\x02\xe8\x07\x00\x00\x00\x00\xac\x02\x7f\xe8\x07\x80\x01",
				  n) == 0);
	EXPECT(bmn_rollup_decode(b, n, &r, &indicator) == NULL);
	EXPECT_INT(r.households, 300);
	EXPECT_INT(r.persons, 1000);
	EXPECT_INT(r.n_indicators, 2);
	EXPECT_INT(r.ind[0].households_applicable, 0);
	EXPECT_INT(r.ind[1].households_applicable, 300);
	EXPECT_INT(r.ind[1].households_passed, 127);
	EXPECT_INT(r.ind[1].persons_applicable, 1000);
	EXPECT_INT(r.ind[1].persons_passed, 128);

	/* nothing applicable anywhere: no indicators stored */
	n = one_indicator(b, 5, 3, 7, 0, 0, 0, 0);
	EXPECT_INT(n, 4);
	EXPECT(decode(b, n, &indicator) == NULL);

	/* the largest count a rollup may hold fits its eight bytes */
	n = one_indicator(b, 64, BMN_ROLLUP_MAX_COUNT, BMN_ROLLUP_MAX_COUNT,
					  BMN_ROLLUP_MAX_COUNT, 1, BMN_ROLLUP_MAX_COUNT, BMN_ROLLUP_MAX_COUNT);
	EXPECT(decode(b, n, &indicator) == NULL);
	EXPECT(bmn_rollup_decode(b, n, &r, &indicator) == NULL && r.n_indicators == 64 &&
		   r.ind[63].households_passed == 1);
}

UNIT_TEST(rollup_totals_read_alone)
{
	unsigned char b[BMN_ROLLUP_MAX_BYTES];
	int64_t		h;
	int64_t		p;
	size_t		n = one_indicator(b, 31, 129, 16384, 100, 50, 300, 299);

	EXPECT(bmn_rollup_decode_totals(b, n, &h, &p) == NULL);
	EXPECT_INT(h, 129);
	EXPECT_INT(p, 16384);
	/* the totals do not need the indicators after them */
	EXPECT(bmn_rollup_decode_totals(b, 2 + 2 + 3, &h, &p) == NULL);
	EXPECT_STR(bmn_rollup_decode_totals(b, 2 + 2 + 2, &h, &p), "ends inside a count");
	EXPECT_STR(bmn_rollup_decode_totals(b, 1, &h, &p), "too short");
}

UNIT_TEST(rollup_refused)
{
	unsigned char b[BMN_ROLLUP_MAX_BYTES];
	int			indicator;
	size_t		n = one_indicator(b, 3, 10, 30, 10, 4, 30, 12);

	EXPECT(decode(b, n, &indicator) == NULL);
	/* cut anywhere short of the end */
	for (size_t len = 0; len < n; len++)
		EXPECT(decode(b, len, &indicator) != NULL);
	/* a byte more */
	b[n] = 0;
	EXPECT_STR(decode(b, n + 1, &indicator), "bytes after the last count");

	EXPECT_STR(decode((const unsigned char *) "\x01\x00\x00\x00", 4, &indicator),
			   "unknown version");
	EXPECT_STR(decode((const unsigned char *) "\x02\x41\x00\x00", 4, &indicator),
			   "more indicators than a set can have");
	/* 5 as two bytes */
	EXPECT_STR(decode((const unsigned char *) "\x02\x00\x85\x00\x00", 5, &indicator),
			   "count not in its fewest bytes");
	/* 2^56 - 1: nine bytes */
	EXPECT_STR(decode((const unsigned char *) "\x02\x00\xff\xff\xff\xff\xff\xff\xff\xff\x7f\x00",
					  12, &indicator), "count out of range");
	/* 10^15 + 1 in eight bytes */
	n = one_indicator(b, 1, BMN_ROLLUP_MAX_COUNT + 1, 0, 0, 0, 0, 0);
	EXPECT_INT(n, 2 + 8 + 1);
	EXPECT_STR(decode(b, n, &indicator), "count out of range");
	/* negative counts (a difference gone wrong) are encoded, and refused */
	n = one_indicator(b, 1, -1, 0, 0, 0, 0, 0);
	EXPECT_STR(decode(b, n, &indicator), "count out of range");

	/* inconsistent: more passed than applicable, more applicable than households */
	n = one_indicator(b, 7, 10, 30, 5, 6, 30, 12);
	EXPECT_STR(decode(b, n, &indicator), "inconsistent counts for indicator");
	EXPECT_INT(indicator, 7);
	n = one_indicator(b, 7, 10, 30, 11, 6, 30, 12);
	EXPECT_STR(decode(b, n, &indicator), "inconsistent counts for indicator");
	n = one_indicator(b, 7, 10, 30, 10, 6, 30, 31);
	EXPECT_STR(decode(b, n, &indicator), "inconsistent counts for indicator");
	n = one_indicator(b, 7, 10, 30, 0, 0, 0, 1);
	EXPECT_STR(decode(b, n, &indicator), "inconsistent counts for indicator");
	/* passes taken away that were never added: not dropped with the empty indicator */
	n = one_indicator(b, 7, 10, 30, 0, -1, 0, 0);
	EXPECT_STR(decode(b, n, &indicator), "count out of range");
	EXPECT_INT(indicator, 7);
	/* a last indicator that counts nothing (the encoder leaves it out) */
	EXPECT_STR(decode((const unsigned char *) "\x02\x01\x01\x01\x00\x00\x00\x00", 8, &indicator),
			   "last indicator counts nothing");
}
