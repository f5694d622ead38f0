/*
 * age_sql.c: bmn.age_years(birth_date, on_date), the completed years the rules use,
 * in C because the views call it once per person.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "rules.h"

PG_FUNCTION_INFO_V1(bmn_age_years_sql);

Datum
bmn_age_years_sql(PG_FUNCTION_ARGS)
{
	DateADT		birth = PG_GETARG_DATEADT(0);
	DateADT		on = PG_GETARG_DATEADT(1);
	int			by,
				bm,
				bd,
				oy,
				om,
				od;

	/* infinite dates have no age */
	if (DATE_NOT_FINITE(birth) || DATE_NOT_FINITE(on))
		PG_RETURN_NULL();
	j2date(birth + POSTGRES_EPOCH_JDATE, &by, &bm, &bd);
	j2date(on + POSTGRES_EPOCH_JDATE, &oy, &om, &od);
	PG_RETURN_INT32(bmn_age_years(by, bm, bd, oy, om, od));
}
