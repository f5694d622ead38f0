/*
 * args.c: reading numbers from the command line (see bmn.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "bmn.h"

bool
bmn_parse_long(const char *s, long lo, long hi, long *out)
{
	char	   *end;
	long		v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end != '\0' || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}
