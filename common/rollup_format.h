/*
 * rollup_format.h: the stored form of a bmn.rollup value, which is also the
 * serialized state of the aggregate passed between parallel workers. Both come
 * from outside the function reading them, so every one is validated first
 * (bmn_rollup_validate, pure, fuzzed).
 */
#ifndef BMN_ROLLUP_FORMAT_H
#define BMN_ROLLUP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "score.h"

#define BMN_ROLLUP_VERSION	1
/* No real count comes near this; capping keeps sums of many values from overflowing. */
#define BMN_ROLLUP_MAX_COUNT INT64_C(1000000000000000)

typedef struct BmnRollupCounts
{
	int64_t		households_applicable;
	int64_t		households_passed;
	int64_t		persons_applicable;
	int64_t		persons_passed;
} BmnRollupCounts;

/* A varlena: the 4-byte length word, a header, then n_indicators counts. */
typedef struct BmnRollupStored
{
	int32_t		vl_len_;
	uint8_t		version;
	uint8_t		n_indicators;	/* counts for indicators 1..n_indicators */
	uint16_t	reserved;
	int32_t		padding;
	int64_t		households;
	int64_t		persons;
	BmnRollupCounts ind[];
} BmnRollupStored;

/*
 * Validate len bytes (the whole varlena, length word included, which is not read)
 * that claim to be a stored rollup. They need not be aligned. Returns NULL when
 * they are consistent, else what is wrong; *indicator is then the indicator at
 * fault, or 0.
 */
const char *bmn_rollup_validate(const void *bytes, size_t len, int *indicator);

#endif
