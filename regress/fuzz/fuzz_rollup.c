/*
 * fuzz_rollup.c: the decoder that bmn.rollup values and the aggregate's
 * serialized states pass before use (the deserialize function's guard), on any
 * bytes. What it takes is summed as the combine step would, without overflow,
 * and encodes back to the same bytes (one encoding per value).
 */
#include <stdlib.h>
#include <string.h>

#include "rollup_format.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	BmnRollup	r;
	int			indicator;
	int64_t		households;
	int64_t		persons;

	if (bmn_rollup_decode(data, size, &r, &indicator) == NULL)
	{
		unsigned char again[BMN_ROLLUP_MAX_BYTES];
		int64_t		sum = 0;

		for (int i = 0; i < r.n_indicators; i++)
			/* decoded counts are small enough to add 64 of them twice */
			sum += r.ind[i].households_applicable + r.ind[i].persons_applicable;
		if (sum < 0)
			abort();
		if (bmn_rollup_encode(r.households, r.persons, r.ind, r.n_indicators, again) != size ||
			memcmp(again, data, size) != 0)
			abort();
		/* the totals alone read the same */
		if (bmn_rollup_decode_totals(data, size, &households, &persons) != NULL ||
			households != r.households || persons != r.persons)
			abort();
	}
	return 0;
}
