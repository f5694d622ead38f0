/*
 * fuzz_thai_id.c: national ID normalisation on any bytes; an accepted ID is 13
 * ASCII digits and normalises to itself.
 */
#include <stdlib.h>
#include <string.h>

#include "thai_id.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char		d[14],
				again[14];

	if (bmn_thai_id_normalize((const char *) data, size, d))
	{
		if (strlen(d) != 13 || strspn(d, "0123456789") != 13)
			abort();
		if (!bmn_thai_id_normalize(d, 13, again) || strcmp(d, again) != 0)
			abort();
		(void) bmn_thai_id_checksum_ok(d);
	}
	return 0;
}
