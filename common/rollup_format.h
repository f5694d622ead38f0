/*
 * rollup_format.h: the stored form of a bmn.rollup value, which is also the
 * serialized state of the aggregate passed between parallel workers. Both come
 * from outside the function reading them, so every one is decoded by a function
 * that checks each byte (bmn_rollup_decode, pure, fuzzed).
 *
 * The form (after the varlena's length word):
 *   byte 0        version (2)
 *   byte 1        n, the indicators counted (1..n; trailing ones that count
 *                 nothing are left out)
 *   then          households, persons, and for each indicator its households
 *                 applicable and passed, persons applicable and passed:
 *                 unsigned LEB128 varints (7 bits a byte, low first, the high
 *                 bit set on every byte but the last), each in its fewest bytes.
 * A village's counts are mostly under 16384: two bytes each, where 8-byte
 * integers made a row of about 1 kB that a correction's refresh rewrote for every
 * village it touched (version 1). One encoding per value, so two rollups hold the
 * same counts exactly when their bytes are the same.
 */
#ifndef BMN_ROLLUP_FORMAT_H
#define BMN_ROLLUP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "score.h"

#define BMN_ROLLUP_VERSION	2
/* No real count comes near this; capping keeps sums of many values from overflowing. */
#define BMN_ROLLUP_MAX_COUNT INT64_C(1000000000000000)
/* 10^15 < 2^56: eight bytes of seven bits */
#define BMN_ROLLUP_VARINT_MAX 8
/* the version and indicator bytes, then any uint64 (ten bytes at most) per count */
#define BMN_ROLLUP_MAX_BYTES (2 + (2 + 4 * BMN_MAX_INDICATOR) * 10)

typedef struct BmnRollupCounts
{
	int64_t		households_applicable;
	int64_t		households_passed;
	int64_t		persons_applicable;
	int64_t		persons_passed;
} BmnRollupCounts;

typedef struct BmnRollup
{
	int64_t		households;
	int64_t		persons;
	int			n_indicators;	/* ind[0..n_indicators-1] were stored */
	BmnRollupCounts ind[BMN_MAX_INDICATOR];	/* indicator n at [n-1] */
} BmnRollup;

/*
 * Whether counts are a valid rollup's (indicators 1..n): each in 0..10^15, no
 * more passed than applicable, no more households applicable than households.
 * NULL, or what is wrong; *indicator is then the indicator at fault, or 0.
 */
const char *bmn_rollup_check(int64_t households, int64_t persons,
							 const BmnRollupCounts *ind, int n, int *indicator);

/*
 * Decode the len bytes of a stored rollup (after its length word; they need not
 * be aligned) into *out: its totals, n_indicators and ind[0..n_indicators-1] (the
 * rest of ind is not written). Returns NULL when they are a valid rollup, else
 * what is wrong; *indicator is then the indicator at fault, or 0.
 */
const char *bmn_rollup_decode(const void *bytes, size_t len, BmnRollup *out, int *indicator);

/*
 * The households and persons of a stored rollup, from its first bytes; the rest
 * is not read. Returns NULL, or what is wrong with those bytes.
 */
const char *bmn_rollup_decode_totals(const void *bytes, size_t len,
									 int64_t *households, int64_t *persons);

/*
 * Encode households, persons and the counts of indicators 1..n (the indicators
 * past the last that counts anything are left out) into out, which has room
 * for BMN_ROLLUP_MAX_BYTES. Returns the bytes written. Any values are written
 * (negative ones as their uint64): whether they are valid is the decoder's to say.
 */
size_t		bmn_rollup_encode(int64_t households, int64_t persons,
							  const BmnRollupCounts *ind, int n, unsigned char *out);

#endif
