/*
 * thai_id_sql.c: bmn.thai_id_valid(text).
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "thai_id.h"

PG_FUNCTION_INFO_V1(bmn_thai_id_valid);

/*
 * Any text is a valid argument: what is not 13 digits (with separators) is simply
 * not a valid ID, so the answer is false rather than an error.
 */
Datum
bmn_thai_id_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char		digits[14];

	if (!bmn_thai_id_normalize(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), digits))
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(bmn_thai_id_checksum_ok(digits));
}
