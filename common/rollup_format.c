/*
 * rollup_format.c: validating a stored rollup without trusting a byte of it.
 */
#include <string.h>

#include "rollup_format.h"

const char *
bmn_rollup_validate(const void *bytes, size_t len, int *indicator)
{
	BmnRollupStored head;
	const unsigned char *p = bytes;

	*indicator = 0;

	if (len < offsetof(BmnRollupStored, ind))
		return "too short";
	memcpy(&head, p, offsetof(BmnRollupStored, ind));
	if (head.version != BMN_ROLLUP_VERSION)
		return "unknown version";
	if (head.n_indicators > BMN_MAX_INDICATOR ||
		len != offsetof(BmnRollupStored, ind) + head.n_indicators * sizeof(BmnRollupCounts))
		return "length does not match its indicator count";
	if (head.households < 0 || head.persons < 0 ||
		head.households > BMN_ROLLUP_MAX_COUNT || head.persons > BMN_ROLLUP_MAX_COUNT)
		return "household or person count out of range";
	for (int i = 0; i < head.n_indicators; i++)
	{
		BmnRollupCounts c;

		memcpy(&c, p + offsetof(BmnRollupStored, ind) + i * sizeof c, sizeof c);
		if (c.households_passed < 0 || c.households_passed > c.households_applicable ||
			c.households_applicable > head.households ||
			c.persons_passed < 0 || c.persons_passed > c.persons_applicable ||
			c.persons_applicable > BMN_ROLLUP_MAX_COUNT)
		{
			*indicator = i + 1;
			return "inconsistent counts for indicator";
		}
	}
	return NULL;
}
