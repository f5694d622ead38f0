/*
 * bmn.c: the module's magic block. Each SQL-callable piece lives in its own file:
 * thai_id_sql.c, score_type.c, rollup_agg.c, refresh.c.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
