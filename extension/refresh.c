/*
 * refresh.c: bmn.refresh(year), scoring the households of a survey round and
 * running every check of interface.md.
 *
 * Incremental: each survey batch is refreshed once (bmn.batch.refreshed_at), and
 * a refresh redoes the households of the batches loaded since. A household resent
 * in a later batch carries that batch's id, so its new version is picked up and
 * its old score and findings replaced: whatever still fires on it is open again.
 * The old score left with the old version's row, when the load deleted it
 * (refresh_retired.c); a household deleted and not sent again leaves its
 * village's counts the same way.
 * Until a round has been refreshed once, or after its settings change (which
 * clears refreshed_at), the whole round is redone.
 *
 * The checks over many households are redone over what a correction can change:
 * the villages, collectors, tambons and national IDs of its households, old and
 * new versions (the old ones through their scores and the findings that named
 * them). Registry batches (bmn.round_registry says which a round has taken in)
 * redo the registry checks of the households they can concern. Findings of those
 * steps that come out the same as before keep their review (checks_write.c).
 */
#include "postgres.h"

#include "access/relation.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "miscadmin.h"
#include "storage/bufmgr.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "nodes/makefuncs.h"
#include "portability/instr_time.h"

#include "refresh.h"

PG_FUNCTION_INFO_V1(bmn_refresh);

/* Timings of the steps, for SET client_min_messages = debug1. */
static instr_time step_start;

void
refresh_step_done(const char *what)
{
	instr_time	now;

	INSTR_TIME_SET_CURRENT(now);
	INSTR_TIME_SUBTRACT(now, step_start);
	elog(DEBUG1, "bmn.refresh: %s: %.1f ms", what, INSTR_TIME_GET_MILLISEC(now));
	INSTR_TIME_SET_CURRENT(step_start);
}

/* Run a step with $1 the year and $2 of the given type. */
static void
run(const char *sql, int expected, int nargs, Datum *args, Oid arg2type)
{
	Oid			types[2] = {INT4OID, arg2type};

	refresh_run(sql, expected, nargs, types, args);
}

/* A one-row query's array column as a copy (NULL for an empty array). */
static ArrayType *
array_column(int col)
{
	bool		isnull;
	Datum		d;

	if (SPI_processed == 0)
		return NULL;
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col, &isnull);
	return isnull ? NULL : DatumGetArrayTypePCopy(d);
}

/* Run a statement with $1 the year and $2 an array; each text row goes into a list. */
static void
collect(Refresh *r, DatumList *into, const char *sql, ArrayType *arg, Oid argtype)
{
	Oid			types[2] = {INT4OID, argtype};
	Datum		args[2] = {Int32GetDatum(r->year), PointerGetDatum(arg)};
	int			rc = SPI_execute_with_args(sql, 2, types, args, NULL, false, 0);

	if (rc != SPI_OK_SELECT && rc != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "refresh step failed (%s): %s", SPI_result_code_string(rc), sql);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
			datum_list_add(r, into, d);
	}
}

static void
scan(Refresh *r, ScanMode mode, ArrayType *households)
{
	uint64		enabled = r->settings.enabled;

	r->mode = mode;
	if (mode == SCAN_REGISTRY)
		r->settings.enabled &= BMN_CHECKS_REGISTRY;
	registry_load(r, NULL, households);
	if (r->registry)
		refresh_step_done("registry read");
	refresh_writer_begin(r);
	if (households != NULL || !refresh_scan_parallel(r))
		refresh_scan(r, households);
	refresh_writer_end(r);
	registry_free(r);
	findings_flush(r);
	r->settings.enabled = enabled;
}

/* The number of members the round's batches brought (for the ID filter's size). */
static int64
expected_members(Refresh *r)
{
	return (int64) refresh_query_double("SELECT coalesce(sum(members), 0)::float8 FROM bmn.batch"
										" WHERE survey_year = $1 AND kind = 'survey'", r->year);
}

/* Runs a statement of the refresh's own making (no values of users in it). */
static void
run_ddl(const char *sql)
{
	if (SPI_execute(sql, false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "refresh step failed: %s", sql);
}

/* Whether the round has its score partition (none: never refreshed whole). */
static bool
score_partition_exists(Refresh *r)
{
	return OidIsValid(get_relname_relid(r->score_table, get_namespace_oid("bmn", false)));
}

/* The round's score partition, empty and without its index, in place of the old. */
static void
score_partition_new(Refresh *r)
{
	char		sql[256];

	if (score_partition_exists(r))
	{
		snprintf(sql, sizeof sql, "DROP TABLE bmn.%s", r->score_table);
		run_ddl(sql);
	}
	snprintf(sql, sizeof sql, "CREATE TABLE bmn.%s PARTITION OF bmn.household_score"
			 " FOR VALUES IN (%d)", r->score_table, r->year);
	run_ddl(sql);
}

/*
 * The scores' index, built once they are all in. The build writes its pages past
 * shared buffers, so a correction's refresh after it read each page it looked a
 * household up in from the kernel, one at a time (a third of its time for one
 * household in a hundred). They are read in here in one pass, while the kernel
 * has them, when shared buffers have room for them to stay.
 */
static void
score_partition_index(Refresh *r)
{
	char		sql[256];
	Relation	index;
	BlockNumber blocks;

	/*
	 * Unique per version of a household: a correction's new score then needs no
	 * look at the page of the old version's, deleted by the load, which a check
	 * of household_id alone would read (to see that it is deleted).
	 */
	snprintf(sql, sizeof sql,
			 "CREATE UNIQUE INDEX %s_key ON bmn.%s (household_id, batch_id)",
			 r->score_table, r->score_table);
	run_ddl(sql);
	snprintf(sql, sizeof sql, "%s_key", r->score_table);
	index = relation_openrv(makeRangeVar("bmn", sql, -1), AccessShareLock);
	blocks = RelationGetNumberOfBlocks(index);
	if (blocks <= (BlockNumber) NBuffers / 8)
		for (BlockNumber b = 0; b < blocks; b++)
		{
			CHECK_FOR_INTERRUPTS();
			ReleaseBuffer(ReadBufferExtended(index, MAIN_FORKNUM, b, RBM_NORMAL, NULL));
		}
	relation_close(index, AccessShareLock);
}

static void
refresh_whole_round(Refresh *r, Datum *args)
{
	score_partition_new(r);
	refresh_retired_clear(r);	/* every village is counted anew */
	run("DELETE FROM bmn.finding WHERE survey_year = $1", SPI_OK_DELETE, 1, args, InvalidOid);
	refresh_step_done("clearing the round");

	r->keep_village_rollups = true;
	spots_begin(r);
	ids_begin(r, expected_members(r));
	scan(r, SCAN_WHOLE_ROUND, NULL);
	ids_end(r);
	refresh_step_done("scoring and household checks");
	score_partition_index(r);
	refresh_step_done("index of the scores");

	run("DELETE FROM bmn.village_rollup WHERE survey_year = $1", SPI_OK_DELETE, 1, args,
		InvalidOid);
	refresh_write_village_rollups(r);	/* each has households: none to delete */
	refresh_step_done("village rollups");

	if (r->dup_candidates.n > 0)
		check_national_ids(r, datum_list_text_array(&r->dup_candidates), false);
	refresh_step_done("national IDs in two households");
	check_villages(r, NULL, false);
	refresh_step_done("village checks");
	check_collectors(r);
	refresh_step_done("collector checks");
	check_tambon_distance(r);
	findings_flush(r);
	refresh_step_done("tambon checks");
	spots_end(r);
}

/*
 * The households of the batches loaded since the last refresh, scored and
 * checked again: read through their batches (or, when more than work_mem holds,
 * in key order from their list), their findings out, their new scores added and
 * their old ones (retired by their load, or still in place) out of their villages'
 * counts; and the households deleted and not loaded again, out of their villages
 * with their findings. Returns the IDs of those scored (NULL: none).
 */
static ArrayType *
redo_changed(Refresh *r, ArrayType *batches, bool retired)
{
	ChangedRows *rows = NULL;
	Datum	   *ids = NULL;
	int			n = 0;
	ArrayType  *changed = NULL;
	ArrayType  *gone;

	r->mode = SCAN_CHANGED;
	r->keep_village_rollups = true;
	if (batches != NULL)
		rows = refresh_read_batches(r, batches);
	if (rows != NULL)
		n = changed_rows_ids(rows, &ids);
	else if (batches != NULL)
	{
		Datum		args[2] = {Int32GetDatum(r->year), PointerGetDatum(batches)};
		ArrayType  *list;

		if (SPI_execute_with_args("SELECT array_agg(household_id ORDER BY household_id)"
								  " FROM bmn.household WHERE survey_year = $1 AND batch_id = ANY ($2)",
								  2, (Oid[]) {INT4OID, INT8ARRAYOID}, args, NULL, true, 1)
			!= SPI_OK_SELECT)
			elog(ERROR, "could not read the changed households");
		list = array_column(1);
		if (list != NULL)
			deconstruct_array(list, TEXTOID, -1, false, TYPALIGN_INT, &ids, NULL, &n);
	}
	refresh_step_done("changed households read");
	if (n == 0 && !retired)
		return NULL;
	if (n > 0)
	{
		changed = construct_array(ids, n, TEXTOID, -1, false, TYPALIGN_INT);
		refresh_clear_findings(r, ids, n, rows != NULL ? changed_rows_households(rows) : NULL);
		refresh_step_done("findings of the changed households out");
		registry_load(r, batches, NULL);
		if (r->registry)
			refresh_step_done("registry read");
	}
	refresh_writer_begin(r);
	refresh_old_scores_begin(r);
	if (rows != NULL)
		refresh_scan_rows(r, rows);
	else if (changed != NULL)
		refresh_scan(r, changed);
	refresh_writer_end(r);
	registry_free(r);
	findings_flush(r);
	refresh_step_done("scoring and household checks");

	gone = refresh_retired_gone(r);
	if (gone != NULL)
	{
		Datum		args[2] = {Int32GetDatum(r->year), PointerGetDatum(gone)};

		run("DELETE FROM bmn.finding f WHERE f.survey_year = $1 AND f.household_id = ANY ($2)",
			SPI_OK_DELETE, 2, args, TEXTARRAYOID);
	}
	refresh_retired_clear(r);
	refresh_step_done("retired scores");
	return changed;
}

/*
 * Corrected households whose collector, day, position or national IDs changed:
 * their own findings of those checks go (the steps redo them), and the
 * collectors and national IDs whose findings named them are redone too.
 */
static void
named_by_findings(Refresh *r)
{
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		args[2] = {Int32GetDatum(r->year), (Datum) 0};

	if (r->spot_changed.n > 0)
	{
		args[1] = PointerGetDatum(datum_list_text_array(&r->spot_changed));
		refresh_run("DELETE FROM bmn.finding f WHERE f.survey_year = $1"
					" AND f.household_id = ANY ($2) AND f.check_code = 'GPS_OUT_OF_AREA'"
					" AND f.details->>'reason' = 'far_from_tambon'",
					SPI_OK_DELETE, 2, types, args);
	}
	if (r->ids_changed.n > 0)
	{
		args[1] = PointerGetDatum(datum_list_text_array(&r->ids_changed));
		refresh_run("DELETE FROM bmn.finding f WHERE f.survey_year = $1"
					" AND f.household_id = ANY ($2) AND f.check_code = 'NATIONAL_ID_DUPLICATE'",
					SPI_OK_DELETE, 2, types, args);
	}
	if (r->spot_changed.n > 0)
		collect(r, &r->scope_collectors,
				"SELECT DISTINCT f.collector_id FROM bmn.finding f"
				" WHERE f.survey_year = $1 AND f.entity = 'collector'"
				/* the checks that write collector findings: their index, not every finding */
				"   AND f.check_code IN ('COLLECTOR_DAILY_LOAD', 'GPS_SAME_SPOT')"
				"   AND f.details->'household_ids' ?| $2",
				datum_list_text_array(&r->spot_changed), TEXTARRAYOID);
	if (r->ids_changed.n > 0)
		collect(r, &r->dup_candidates,
				"SELECT m.national_id FROM bmn.finding f JOIN bmn.member m"
				"  ON m.survey_year = f.survey_year AND m.household_id = f.household_id"
				" AND m.member_no = f.member_no"
				" WHERE f.survey_year = $1 AND f.check_code = 'NATIONAL_ID_DUPLICATE'"
				"   AND f.details->'other_households' ?| $2 AND m.national_id IS NOT NULL",
				datum_list_text_array(&r->ids_changed), TEXTARRAYOID);
}

/*
 * Registry batches not yet taken in: the registry checks of the households they
 * can concern (in their villages, with their house codes or national IDs, or
 * whose findings named one of their villages), except the changed households,
 * which the scan just checked against the current registry.
 */
static void
refresh_registry(Refresh *r, ArrayType *registry_batches, ArrayType *changed)
{
	Oid			types[3] = {INT4OID, INT8ARRAYOID, TEXTARRAYOID};
	Datum		args[3] = {Int32GetDatum(r->year), PointerGetDatum(registry_batches),
	PointerGetDatum(changed ? changed : construct_empty_array(TEXTOID))};
	ArrayType  *households;
	int64		boundary;

	if (SPI_execute_with_args(
							  "WITH v AS (SELECT village_code FROM bmn.registry_house WHERE batch_id = ANY ($2)"
							  "           UNION SELECT village_code FROM bmn.registry_person WHERE batch_id = ANY ($2)),"
							  " x AS ("
							  "  SELECT h.household_id FROM bmn.household h"
							  "   WHERE h.survey_year = $1 AND h.village_code IN (SELECT village_code FROM v)"
							  "  UNION SELECT h.household_id FROM bmn.household h JOIN bmn.registry_house rh"
							  "     ON rh.house_code = h.house_code COLLATE \"C\""
							  "   WHERE h.survey_year = $1 AND rh.batch_id = ANY ($2)"
							  "  UNION SELECT m.household_id FROM bmn.member m JOIN bmn.registry_person rp"
							  "     ON rp.national_id = m.national_id"
							  "   WHERE m.survey_year = $1 AND rp.batch_id = ANY ($2)"
							  "  UNION SELECT f.household_id FROM bmn.finding f"
							  "   WHERE f.survey_year = $1 AND f.household_id IS NOT NULL"
							  "     AND f.check_code IN ('REGISTRY_VILLAGE_MISMATCH', 'REGISTRY_PERSON_MISMATCH')"
							  "     AND f.details->>'registry_village_code' IN (SELECT village_code FROM v))"
							  " SELECT NULL::text[],"
							  "        (SELECT array_agg(household_id) FROM x WHERE household_id <> ALL ($3))",
							  3, types, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read what the registry batches concern");
	households = array_column(2);
	/*
	 * A snapshot can move a house from a village it does not cover: the
	 * coverage of every village is redone (one grouped statement).
	 */
	r->all_villages = true;
	if (households == NULL)
		return;
	boundary = findings_boundary(r);
	scan(r, SCAN_REGISTRY, households);
	findings_settle(r, boundary,
					"f.check_code IN ('REGISTRY_HOUSE_MISSING', 'REGISTRY_VILLAGE_MISMATCH',"
					" 'REGISTRY_PERSON_MISMATCH') AND f.household_id = ANY ($2)",
					PointerGetDatum(households), TEXTARRAYOID);
	refresh_step_done("registry checks of the households the registry batches concern");
}

/* The checks over many households, over what the changed households touch. */
static void
refresh_scoped_checks(Refresh *r, ArrayType *tambon_villages)
{
	int64		boundary;

	if (r->dup_candidates.n > 0)
		check_national_ids(r, datum_list_text_array(&r->dup_candidates), true);
	refresh_step_done("national IDs in two households");
	if (r->all_villages)
		check_villages(r, NULL, true);
	else if (r->scope_villages.n > 0)
		check_villages(r, datum_list_text_array(&r->scope_villages), true);
	refresh_step_done("village checks");

	if (r->scope_collectors.n > 0)
	{
		ArrayType  *collectors = datum_list_text_array(&r->scope_collectors);

		spots_begin(r);
		spots_load(r, "bmn.household h WHERE h.survey_year = $1 AND h.collector_id = ANY ($2)",
				   PointerGetDatum(collectors), TEXTARRAYOID, true);
		refresh_step_done("collectors: households read");
		boundary = findings_boundary(r);
		check_collectors(r);
		refresh_step_done("collectors: findings");
		findings_settle(r, boundary,
						"f.check_code IN ('COLLECTOR_DAILY_LOAD', 'GPS_SAME_SPOT')"
						" AND f.collector_id = ANY ($2)",
						PointerGetDatum(collectors), TEXTARRAYOID);
		spots_end(r);
		refresh_step_done("collector checks");
	}
	if (tambon_villages)
	{
		Oid			types[1] = {TEXTARRAYOID};
		Datum		args[1] = {PointerGetDatum(tambon_villages)};
		ArrayType  *tambons;

		if (SPI_execute_with_args("SELECT array_agg(DISTINCT left(v, 6)) FROM unnest($1) v",
								  1, types, args, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not list the tambons");
		tambons = array_column(1);
		spots_begin(r);
		/*
		 * The village index serves a few tambons as the ranges of their villages;
		 * for many, one pass over the round's households costs less.
		 */
		if (ArrayGetNItems(ARR_NDIM(tambons), ARR_DIMS(tambons)) <= 16)
			spots_load(r, "unnest($2::text[]) t(code) JOIN bmn.household h"
					   " ON h.survey_year = $1"
					   " AND h.village_code BETWEEN t.code || '00' AND t.code || '99'"
					   " AND left(h.village_code, 6) = t.code",
					   PointerGetDatum(tambons), TEXTARRAYOID, false);
		else
			spots_load(r, "bmn.household h WHERE h.survey_year = $1"
					   " AND left(h.village_code, 6) = ANY ($2)",
					   PointerGetDatum(tambons), TEXTARRAYOID, false);
		refresh_step_done("tambons: households read");
		boundary = findings_boundary(r);
		check_tambon_distance(r);
		refresh_step_done("tambons: findings");
		findings_settle(r, boundary,
						"f.check_code = 'GPS_OUT_OF_AREA' AND f.details->>'reason' = 'far_from_tambon'"
						" AND left(f.village_code, 6) = ANY ($2)",
						PointerGetDatum(tambons), TEXTARRAYOID);
		spots_end(r);
	}
	refresh_step_done("tambon checks");
}

Datum
bmn_refresh(PG_FUNCTION_ARGS)
{
	Refresh		r;
	Datum		args[2];
	bool		whole_round;
	bool		rescore;
	bool		retired;
	ArrayType  *pending;
	ArrayType  *registry_batches;
	ArrayType  *changed = NULL;

	memset(&r, 0, sizeof r);
	r.year = PG_GETARG_INT32(0);
	snprintf(r.score_table, sizeof r.score_table, "household_score_%d", r.year);
	INSTR_TIME_SET_CURRENT(step_start);
	SPI_connect();
	r.keep_cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh",
									   ALLOCSET_DEFAULT_SIZES);
	refresh_load_round(&r);
	refresh_load_rules(&r);

	args[0] = Int32GetDatum(r.year);
	refresh_retired_lock();
	refresh_read_batches_pending(&r, &pending, &whole_round, &registry_batches);
	/* scores lost with their partition (dropped by hand): the round is redone */
	rescore = !whole_round && !score_partition_exists(&r);
	whole_round |= rescore;
	retired = refresh_retired_exist(&r);
	if (!retired && pending == NULL && registry_batches == NULL && !rescore)
	{
		SPI_finish();
		PG_RETURN_INT64(0);		/* nothing loaded since the last refresh */
	}
	args[1] = PointerGetDatum(pending);
	if (whole_round)
		r.round_households = refresh_round_households(&r);
	findings_begin(&r);
	refresh_step_done("round, rules and batches read");

	if (whole_round)
	{
		if (pending != NULL || rescore)
			refresh_whole_round(&r, args);
		else
			refresh_retired_clear(&r);	/* no batch to score: the retired scores only go */
	}
	else
	{
		ArrayType  *tambon_villages = NULL;

		if (pending != NULL || retired)
		{
			changed = redo_changed(&r, pending, retired);
			refresh_write_village_rollups(&r);
			refresh_step_done("village rollups");
			named_by_findings(&r);
			if (r.scope_tambon_villages.n > 0)
				tambon_villages = datum_list_text_array(&r.scope_tambon_villages);
		}
		if (registry_batches != NULL)
			refresh_registry(&r, registry_batches, changed);
		refresh_scoped_checks(&r, tambon_villages);
	}
	findings_end(&r);

	if (pending != NULL)
		run("UPDATE bmn.batch SET refreshed_at = now()"
			" WHERE survey_year = $1 AND kind = 'survey' AND batch_id = ANY ($2)",
			SPI_OK_UPDATE, 2, args, INT8ARRAYOID);
	if (registry_batches != NULL)
	{
		Datum		rargs[2] = {args[0], PointerGetDatum(registry_batches)};

		run("WITH taken AS (INSERT INTO bmn.round_registry (survey_year, batch_id)"
			"  SELECT $1, unnest($2) ON CONFLICT DO NOTHING)"
			" UPDATE bmn.batch SET refreshed_at = coalesce(refreshed_at, now())"
			"  WHERE batch_id = ANY ($2)",
			SPI_OK_UPDATE, 2, rargs, INT8ARRAYOID);
	}
	refresh_step_done("batches marked");
	SPI_finish();
	PG_RETURN_INT64(r.households);
}
