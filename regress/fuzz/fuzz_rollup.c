/*
 * fuzz_rollup.c: the validation that bmn.rollup values and the aggregate's
 * serialized states pass before use (the deserialize function's guard), on any
 * bytes; what passes is summed as the combine step would, without overflow.
 */
#include <stdlib.h>
#include <string.h>

#include "rollup_format.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	int			indicator;

	if (bmn_rollup_validate(data, size, &indicator) == NULL)
	{
		BmnRollupStored head;
		int64_t		sum = 0;

		memcpy(&head, data, offsetof(BmnRollupStored, ind));
		for (int i = 0; i < head.n_indicators; i++)
		{
			BmnRollupCounts c;

			memcpy(&c, data + offsetof(BmnRollupStored, ind) + i * sizeof c, sizeof c);
			/* validated counts are small enough to add 64 of them twice */
			sum += c.households_applicable + c.persons_applicable;
		}
		if (sum < 0)
			abort();
	}
	return 0;
}
