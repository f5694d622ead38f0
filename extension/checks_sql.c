/*
 * checks_sql.c: SQL functions the checks use.
 *
 * bmn.rollup_persons(bmn.rollup): the persons of a rollup, beside
 * bmn.rollup_households, so that the village checks read their households and
 * persons from bmn.village_rollup instead of counting members again.
 */
#include "postgres.h"

#include "fmgr.h"

#include "rollup.h"

PG_FUNCTION_INFO_V1(bmn_rollup_persons);

Datum
bmn_rollup_persons(PG_FUNCTION_ARGS)
{
	struct varlena *raw = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	const RollupVarlena *v = (const RollupVarlena *) raw;

	/* the type's own functions validate it fully; here only what is read */
	if (VARATT_IS_SHORT(raw) || VARSIZE_ANY(raw) < offsetof(RollupVarlena, ind) ||
		v->persons < 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid bmn.rollup value")));
	PG_RETURN_INT64(v->persons);
}
