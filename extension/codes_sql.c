/*
 * codes_sql.c: bmn.is_digits(text, integer), the check on the code columns.
 *
 * Every household and member row is checked for its village code, house code and
 * national ID as it is loaded. A regular expression costs about a microsecond a
 * value, several per row: a tenth of a national load. This is the same test.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(bmn_is_digits);

/* Whether the text is exactly n ASCII digits. */
Datum
bmn_is_digits(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	int32		n = PG_GETARG_INT32(1);
	const char *s = VARDATA_ANY(t);

	if (n < 0 || VARSIZE_ANY_EXHDR(t) != (size_t) n)
		PG_RETURN_BOOL(false);
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(true);
}
