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

/*
 * The villages whose households the pending batches change: where their new
 * versions are, and where their scored versions were (a correction may move a
 * household to another village).
 */
static ArrayType *
changed_villages(Datum *args)
{
	Oid			argtypes[2] = {INT4OID, INT8ARRAYOID};
	bool		isnull;
	Datum		d;

	if (SPI_execute_with_args("SELECT coalesce(array_agg(DISTINCT v), '{}') FROM ("
							  " SELECT h.village_code FROM bmn.household h"
							  "  WHERE h.survey_year = $1 AND h.batch_id = ANY ($2)"
							  " UNION ALL"
							  " SELECT s.village_code FROM bmn.household_score s"
							  "   JOIN bmn.household h USING (survey_year, household_id)"
							  "  WHERE h.survey_year = $1 AND h.batch_id = ANY ($2)) x(v)",
							  2, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not find the changed villages");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return DatumGetArrayTypePCopy(d);
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
	ArrayType  *villages = NULL;

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

	if (whole_round)
	{
		run("DELETE FROM bmn.household_score WHERE survey_year = $1", SPI_OK_DELETE, 1, args, InvalidOid);
		run("DELETE FROM bmn.finding f WHERE f.survey_year = $1 AND " OWN_FINDINGS,
			SPI_OK_DELETE, 1, args, InvalidOid);
	}
	else
	{
		villages = changed_villages(args);
		run("DELETE FROM bmn.household_score s USING bmn.household h"
			" WHERE h.survey_year = $1 AND h.batch_id = ANY ($2)"
			" AND s.survey_year = $1 AND s.household_id = h.household_id",
			SPI_OK_DELETE, 2, args, INT8ARRAYOID);
		run("DELETE FROM bmn.finding f USING bmn.household h"
			" WHERE h.survey_year = $1 AND h.batch_id = ANY ($2)"
			" AND f.survey_year = $1 AND f.household_id = h.household_id AND " OWN_FINDINGS,
			SPI_OK_DELETE, 2, args, INT8ARRAYOID);
	}

	step_done("clearing what is redone");
	r.keep_village_rollups = whole_round;
	refresh_writer_begin(&r);
	refresh_scan(&r, whole_round ? NULL : pending);
	refresh_writer_end(&r);
	step_done("scoring and household checks");

	/* the areas above the changed households: their villages' rollups */
	if (whole_round)
	{
		run("DELETE FROM bmn.village_rollup WHERE survey_year = $1", SPI_OK_DELETE, 1, args,
			InvalidOid);
		refresh_write_village_rollups(&r);
	}
	else
	{
		Datum		vargs[2] = {args[0], PointerGetDatum(villages)};

		run("DELETE FROM bmn.village_rollup WHERE survey_year = $1 AND village_code = ANY ($2)",
			SPI_OK_DELETE, 2, vargs, TEXTARRAYOID);
		run("INSERT INTO bmn.village_rollup (survey_year, village_code, lao_code, rollup)"
			" SELECT s.survey_year, s.village_code, coalesce(s.lao_code, ''), bmn.rollup(s.score)"
			" FROM bmn.household h JOIN bmn.household_score s USING (survey_year, household_id)"
			" WHERE h.survey_year = $1 AND h.village_code = ANY ($2)"
			" GROUP BY s.survey_year, s.village_code, coalesce(s.lao_code, '')",
			SPI_OK_INSERT, 2, vargs, TEXTARRAYOID);
	}

	step_done("village rollups");
	run("UPDATE bmn.batch SET refreshed_at = now()"
		" WHERE survey_year = $1 AND kind = 'survey' AND batch_id = ANY ($2)",
		SPI_OK_UPDATE, 2, args, INT8ARRAYOID);
	SPI_finish();
	PG_RETURN_INT64(r.households);
}
