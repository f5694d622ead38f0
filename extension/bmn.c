/*
 * bmn.c: the module's magic block and its settings. Each SQL-callable piece lives
 * in its own file: thai_id_sql.c, score_type.c, rollup_agg.c, refresh.c.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "refresh.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	refresh_parallel_init();
	MarkGUCPrefixReserved("bmn");
}
