/*
 * refresh.c: bmn.refresh(year), scoring the households of a survey round and
 * running the household and member checks.
 *
 * Incremental: each batch is refreshed once (bmn.batch.refreshed_at), and a
 * refresh redoes the households of the batches loaded since. A household resent in
 * a later batch carries that batch's id, so its new version is picked up and its
 * old score and findings replaced. Until a round has been refreshed once, or after
 * its settings change (which clears refreshed_at), the whole round is redone.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/guc.h"
#include "portability/instr_time.h"

#include "refresh.h"

PG_FUNCTION_INFO_V1(bmn_refresh);

/* Timings of the steps, for SET client_min_messages = debug1. */
static instr_time step_start;

static void
step_done(const char *what)
{
	instr_time	now;

	INSTR_TIME_SET_CURRENT(now);
	INSTR_TIME_SUBTRACT(now, step_start);
	elog(DEBUG1, "bmn.refresh: %s: %.1f ms", what, INSTR_TIME_GET_MILLISEC(now));
	INSTR_TIME_SET_CURRENT(step_start);
}

/* The household and member findings that the scoring pass writes. */
#define OWN_FINDINGS "f.entity IN ('household', 'member')" \
	" AND f.check_code IN ('INCOME_ZERO', 'INCOME_LOW', 'INCOME_HIGH')"

/* Run a step with $1 the year and $2 the batches (int8[]) or $2 the villages (text[]). */
static void
run(const char *sql, int expected, int nargs, Datum *args, Oid arg2type)
{
	Oid			argtypes[2] = {INT4OID, arg2type};
	int			rc = SPI_execute_with_args(sql, nargs, argtypes, args, NULL, false, 0);

	if (rc != expected)
		elog(ERROR, "refresh step failed (%s): %s", SPI_result_code_string(rc), sql);
}

Datum
bmn_refresh(PG_FUNCTION_ARGS)
{
	Refresh		r;
	Oid			argtypes[1] = {INT4OID};
	Datum		args[2];
	bool		isnull;
	bool		whole_round;
	ArrayType  *pending;

	memset(&r, 0, sizeof r);
	r.year = PG_GETARG_INT32(0);
	INSTR_TIME_SET_CURRENT(step_start);
	SPI_connect();
	refresh_load_round(&r);
	refresh_load_rules(&r);

	args[0] = Int32GetDatum(r.year);
	if (SPI_execute_with_args("SELECT array_agg(batch_id) FILTER (WHERE refreshed_at IS NULL),"
							  " NOT coalesce(bool_or(refreshed_at IS NOT NULL), false)"
							  " FROM bmn.batch WHERE survey_year = $1 AND kind = 'survey'",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the batches");
	args[1] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
	{
		SPI_finish();
		PG_RETURN_INT64(0);		/* nothing loaded since the last refresh */
	}
	whole_round = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
											 SPI_tuptable->tupdesc, 2, &isnull));
	pending = DatumGetArrayTypePCopy(args[1]);	/* outlives the tuple table */
	args[1] = PointerGetDatum(pending);
	step_done("round, rules and batches read");

	if (whole_round)
	{
		run("DELETE FROM bmn.household_score WHERE survey_year = $1", SPI_OK_DELETE, 1, args, InvalidOid);
		run("DELETE FROM bmn.finding f WHERE f.survey_year = $1 AND " OWN_FINDINGS,
			SPI_OK_DELETE, 1, args, InvalidOid);
	}
	else
	{
		/*
		 * The old scores out, and out of their villages' counts. A correction is
		 * a small part of the round: reach its households through the indexes,
		 * which the planner, guessing at ANY ($2), would rather not.
		 */
		int			nest = NewGUCNestLevel();

		set_config_option("enable_hashjoin", "off", PGC_USERSET, PGC_S_SESSION,
						  GUC_ACTION_SAVE, true, 0, false);
		set_config_option("enable_mergejoin", "off", PGC_USERSET, PGC_S_SESSION,
						  GUC_ACTION_SAVE, true, 0, false);
		run("WITH old AS ("
			"  DELETE FROM bmn.household_score s USING bmn.household h"
			"   WHERE h.survey_year = $1 AND h.batch_id = ANY ($2)"
			"     AND s.survey_year = $1 AND s.household_id = h.household_id"
			"  RETURNING s.village_code, coalesce(s.lao_code, '') AS lao_code, s.score),"
			" per_village AS ("
			"  SELECT village_code, lao_code, bmn.rollup(score) AS r FROM old GROUP BY 1, 2)"
			" UPDATE bmn.village_rollup v SET rollup = bmn.rollup_subtract(v.rollup, p.r)"
			"   FROM per_village p WHERE v.survey_year = $1"
			"    AND v.village_code = p.village_code AND v.lao_code = p.lao_code",
			SPI_OK_UPDATE, 2, args, INT8ARRAYOID);
		step_done("old scores out of their villages");
		run("DELETE FROM bmn.finding f USING bmn.household h"
			" WHERE h.survey_year = $1 AND h.batch_id = ANY ($2)"
			" AND f.survey_year = $1 AND f.household_id = h.household_id AND " OWN_FINDINGS,
			SPI_OK_DELETE, 2, args, INT8ARRAYOID);
		AtEOXact_GUC(true, nest);
	}

	step_done("clearing what is redone");
	r.keep_village_rollups = true;
	refresh_writer_begin(&r);
	refresh_scan(&r, whole_round ? NULL : pending);
	refresh_writer_end(&r);
	step_done("scoring and household checks");

	/* the areas above the changed households: the new scores into their villages */
	if (whole_round)
		run("DELETE FROM bmn.village_rollup WHERE survey_year = $1", SPI_OK_DELETE, 1, args,
			InvalidOid);
	refresh_write_village_rollups(&r);
	run("DELETE FROM bmn.village_rollup WHERE survey_year = $1"
		" AND bmn.rollup_households(rollup) = 0", SPI_OK_DELETE, 1, args, InvalidOid);
	step_done("village rollups");
	run("UPDATE bmn.batch SET refreshed_at = now()"
		" WHERE survey_year = $1 AND kind = 'survey' AND batch_id = ANY ($2)",
		SPI_OK_UPDATE, 2, args, INT8ARRAYOID);
	SPI_finish();
	PG_RETURN_INT64(r.households);
}
