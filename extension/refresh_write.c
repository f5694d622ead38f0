/*
 * refresh_write.c: scoring and checking one household, and writing the results in
 * blocks: each block is one INSERT ... SELECT FROM unnest(arrays), so the executor
 * sees a few statements rather than a row at a time.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "utils/acl.h"
#include "utils/hsearch.h"
#include "utils/rel.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "refresh.h"
#include "rollup.h"

/* A village (and the LAO of its households): the key of the rollups kept while scoring. */
typedef struct VillageKey
{
	char		village[16];
	char		lao[72];
} VillageKey;

typedef struct VillageEntry
{
	VillageKey	key;
	RollupState state;
} VillageEntry;

static void
buffer_init(OutBuffer *b, int ncols, int capacity)
{
	b->n = 0;
	b->capacity = capacity;
	for (int c = 0; c < ncols; c++)
	{
		b->cols[c] = palloc(sizeof(Datum) * capacity);
		b->nulls[c] = palloc0(sizeof(bool) * capacity);
	}
}

static ArrayType *
make_array(OutBuffer *b, int col, Oid elemtype)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			dims[1] = {b->n};
	int			lbs[1] = {1};

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	return construct_md_array(b->cols[col], b->nulls[col], 1, dims, lbs,
							  elemtype, typlen, typbyval, typalign);
}

/*
 * Scores go straight into the table as COPY does it (a multi-insert of a block of
 * slots, then their index entries): there are as many as households, and the
 * executor's row-at-a-time INSERT costs more than the scoring itself.
 */
static void
flush_scores(Refresh *r)
{
	ScoreSink  *k = &r->sink;

	if (k->n == 0)
		return;
	table_multi_insert(k->rel, k->slots, k->n, GetCurrentCommandId(true), 0, k->bistate);
	for (int i = 0; i < k->n; i++)
	{
		List	   *recheck;

		ResetPerTupleExprContext(k->estate);
		recheck = ExecInsertIndexTuples(k->rri, k->slots[i], k->estate, false, false,
										NULL, NIL);
		list_free(recheck);
		ExecClearTuple(k->slots[i]);
	}
	k->n = 0;
}

static void
flush(Refresh *r)
{
	flush_scores(r);
	if (r->findings.n > 0)
	{
		Datum		args[7];

		args[0] = Int32GetDatum(r->year);
		for (int c = 0; c < 6; c++)
			args[c + 1] = PointerGetDatum(make_array(&r->findings, c,
													 c == 3 ? INT2OID : TEXTOID));
		if (SPI_execute_plan(r->insert_findings, args, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not store findings");
		r->findings.n = 0;
	}
	MemoryContextReset(r->buffer_cxt);
	CommandCounterIncrement();
}

static int
attnum_of(Relation rel, const char *name)
{
	TupleDesc	desc = RelationGetDescr(rel);

	for (int i = 0; i < desc->natts; i++)
		if (!TupleDescAttr(desc, i)->attisdropped &&
			strcmp(NameStr(TupleDescAttr(desc, i)->attname), name) == 0)
			return i;
	elog(ERROR, "bmn.household_score has no column %s", name);
	return -1;					/* not reached */
}

static void
sink_open(Refresh *r)
{
	ScoreSink  *k = &r->sink;
	Oid			relid = RangeVarGetRelid(makeRangeVar("bmn", "household_score", -1),
										 RowExclusiveLock, false);

	/* the direct path skips the executor's permission check: do it here */
	if (pg_class_aclcheck(relid, GetUserId(), ACL_INSERT) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to refresh: no INSERT on bmn.household_score")));
	k->rel = table_open(relid, RowExclusiveLock);
	if (k->rel->rd_rel->relkind != RELKIND_RELATION || k->rel->trigdesc != NULL ||
		k->rel->rd_rel->relrowsecurity)
		elog(ERROR, "bmn.household_score must be a plain table without triggers or row security");
	k->estate = CreateExecutorState();
	k->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(k->rri, k->rel, 1, NULL, 0);
	ExecOpenIndices(k->rri, false);
	k->bistate = GetBulkInsertState();
	k->slots = palloc(sizeof(TupleTableSlot *) * FLUSH_ROWS);
	/* an uncounted copy of the descriptor: a thousand slots need no resource owner entries */
	k->desc = CreateTupleDescCopy(RelationGetDescr(k->rel));
	for (int i = 0; i < FLUSH_ROWS; i++)
		k->slots[i] = MakeSingleTupleTableSlot(k->desc, table_slot_callbacks(k->rel));
	k->att_year = attnum_of(k->rel, "survey_year");
	k->att_household = attnum_of(k->rel, "household_id");
	k->att_batch = attnum_of(k->rel, "batch_id");
	k->att_village = attnum_of(k->rel, "village_code");
	k->att_lao = attnum_of(k->rel, "lao_code");
	k->att_score = attnum_of(k->rel, "score");
	k->n = 0;
}

static void
sink_close(Refresh *r)
{
	ScoreSink  *k = &r->sink;

	for (int i = 0; i < FLUSH_ROWS; i++)
		ExecDropSingleTupleTableSlot(k->slots[i]);
	FreeBulkInsertState(k->bistate);
	ExecCloseIndices(k->rri);
	FreeExecutorState(k->estate);
	table_close(k->rel, NoLock);
}

void
refresh_writer_begin(Refresh *r)
{
	Oid			finding_types[7] = {INT4OID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	INT2ARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
	bool		isnull;

	if (SPI_execute("SELECT 'bmn.score'::pg_catalog.regtype::pg_catalog.oid", true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "type bmn.score not found");
	r->score_type = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
												   SPI_tuptable->tupdesc, 1, &isnull));
	r->insert_findings = SPI_prepare(
									 "INSERT INTO bmn.finding"
									 " (survey_year, check_code, entity, village_code, household_id,"
									 "  member_no, collector_id, details)"
									 " SELECT $1, u.c, CASE WHEN u.m IS NULL THEN 'household' ELSE 'member' END,"
									 "  u.v, u.h, u.m, u.k, u.d::jsonb"
									 " FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3),"
									 " pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6),"
									 " pg_catalog.unnest($7)) AS u(c, v, h, m, k, d)",
									 7, finding_types);
	if (r->insert_findings == NULL)
		elog(ERROR, "could not prepare the refresh statements: %s",
			 SPI_result_code_string(SPI_result));
	r->buffer_cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh output",
										  ALLOCSET_DEFAULT_SIZES);
	sink_open(r);
	if (r->keep_village_rollups)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(VillageKey);
		ctl.entrysize = sizeof(VillageEntry);
		ctl.hcxt = CurrentMemoryContext;
		r->villages = hash_create("bmn refresh villages", 4096, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	/* room for one more household's findings, so that a household never splits */
	buffer_init(&r->findings, 6, FLUSH_ROWS + BMN_MAX_FINDINGS);
}

void
refresh_writer_end(Refresh *r)
{
	flush(r);
	sink_close(r);
	SPI_freeplan(r->insert_findings);
}

/* Baht from satang, as a JSON number. */
static void
append_baht(StringInfo buf, int64 satang)
{
	if (satang % 100 == 0)
		appendStringInfo(buf, INT64_FORMAT, satang / 100);
	else
		appendStringInfo(buf, INT64_FORMAT ".%02d", satang / 100, (int) (satang % 100));
}

static char *
finding_details(const BmnFinding *f, int persons, int64 income_satang)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"income_avg\": ");
	append_baht(&buf, f->value_satang);
	appendStringInfo(&buf, ", \"income_total\": ");
	append_baht(&buf, income_satang);
	appendStringInfo(&buf, ", \"persons\": %d", persons);
	if (f->check == BMN_CHECK_INCOME_LOW)
	{
		appendStringInfoString(&buf, ", \"income_threshold\": ");
		append_baht(&buf, f->limit_satang);
	}
	else if (f->check == BMN_CHECK_INCOME_HIGH)
	{
		appendStringInfoString(&buf, ", \"income_high\": ");
		append_baht(&buf, f->limit_satang);
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

static Datum
copy_text(text *t)
{
	return datumCopy(PointerGetDatum(t), false, -1);
}

static void
text_into(char *out, size_t size, const text *t)
{
	size_t		n = t ? VARSIZE_ANY_EXHDR(t) : 0;

	if (n >= size)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("code \"%.*s\" is too long to roll up", (int) n, VARDATA_ANY(t))));
	memset(out, 0, size);
	if (n > 0)
		memcpy(out, VARDATA_ANY(t), n);
}

static void
add_to_village(Refresh *r, const HouseholdRow *h, const BmnScore *score)
{
	VillageKey	key;
	VillageEntry *e;
	bool		found;

	text_into(key.village, sizeof key.village, h->village_code);
	text_into(key.lao, sizeof key.lao, h->lao_code);
	e = hash_search(r->villages, &key, HASH_ENTER, &found);
	if (!found)
		memset(&e->state, 0, sizeof e->state);
	rollup_state_add_score(&e->state, score);
}

void
refresh_add_household(Refresh *r, const HouseholdRow *h,
					  const BmnMemberFacts *members, int n_members)
{
	MemoryContext old;
	BmnScore   *score;
	BmnFinding	found[BMN_MAX_FINDINGS];
	int			n_found;
	ScoreSink  *k = &r->sink;
	OutBuffer  *f = &r->findings;
	TupleTableSlot *slot;
	Datum		hid,
				village;

	if (k->n == FLUSH_ROWS || f->n + BMN_MAX_FINDINGS > f->capacity)
		flush(r);
	old = MemoryContextSwitchTo(r->buffer_cxt);
	score = palloc(sizeof(BmnScore));
	bmn_score_household(&r->rules, &h->facts, members, n_members, score);
	hid = copy_text(h->household_id);
	village = copy_text(h->village_code);

	slot = k->slots[k->n++];
	ExecClearTuple(slot);
	memset(slot->tts_isnull, true, sizeof(bool) * slot->tts_tupleDescriptor->natts);
	slot->tts_values[k->att_year] = Int32GetDatum(r->year);
	slot->tts_isnull[k->att_year] = false;
	slot->tts_values[k->att_household] = hid;
	slot->tts_isnull[k->att_household] = false;
	slot->tts_values[k->att_batch] = Int64GetDatum(h->batch_id);
	slot->tts_isnull[k->att_batch] = false;
	slot->tts_values[k->att_village] = village;
	slot->tts_isnull[k->att_village] = false;
	if (h->lao_code)
	{
		slot->tts_values[k->att_lao] = copy_text(h->lao_code);
		slot->tts_isnull[k->att_lao] = false;
	}
	slot->tts_values[k->att_score] = PointerGetDatum(score);
	slot->tts_isnull[k->att_score] = false;
	ExecStoreVirtualTuple(slot);
	r->households++;
	if (r->keep_village_rollups)
		add_to_village(r, h, score);

	n_found = Min(bmn_check_household(&r->settings, &h->facts, members, n_members,
									  found, BMN_MAX_FINDINGS), BMN_MAX_FINDINGS);
	for (int i = 0; i < n_found; i++)
	{
		f->cols[0][f->n] = CStringGetTextDatum(bmn_check_names[found[i].check]);
		f->cols[1][f->n] = village;
		f->cols[2][f->n] = hid;
		f->nulls[3][f->n] = found[i].member_no == 0;
		f->cols[3][f->n] = Int16GetDatum(found[i].member_no);
		f->nulls[4][f->n] = h->collector_id == NULL;
		f->cols[4][f->n] = h->collector_id ? copy_text(h->collector_id) : (Datum) 0;
		f->cols[5][f->n] = CStringGetTextDatum(finding_details(&found[i], n_members,
															   h->facts.income_satang));
		f->n++;
		r->found++;
	}
	MemoryContextSwitchTo(old);
}

/* The village counts of the households just scored, added into bmn.village_rollup. */
void
refresh_write_village_rollups(Refresh *r)
{
	HASH_SEQ_STATUS seq;
	VillageEntry *e;
	long		n = hash_get_num_entries(r->villages);
	Datum	   *villages = palloc(sizeof(Datum) * Max(n, 1));
	Datum	   *laos = palloc(sizeof(Datum) * Max(n, 1));
	Datum	   *rollups = palloc(sizeof(Datum) * Max(n, 1));
	Oid			types[4] = {INT4OID, TEXTARRAYOID, TEXTARRAYOID, InvalidOid};
	Datum		args[4];
	Oid			rollup_type;
	bool		isnull;
	int			i = 0;

	if (SPI_execute("SELECT 'bmn.rollup'::pg_catalog.regtype::pg_catalog.oid", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "type bmn.rollup not found");
	rollup_type = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
												 SPI_tuptable->tupdesc, 1, &isnull));
	types[3] = get_array_type(rollup_type);
	hash_seq_init(&seq, r->villages);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		villages[i] = CStringGetTextDatum(e->key.village);
		laos[i] = CStringGetTextDatum(e->key.lao);
		rollups[i] = PointerGetDatum(rollup_state_to_varlena(&e->state));
		i++;
	}
	args[0] = Int32GetDatum(r->year);
	args[1] = PointerGetDatum(construct_array(villages, i, TEXTOID, -1, false, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_array(laos, i, TEXTOID, -1, false, TYPALIGN_INT));
	args[3] = PointerGetDatum(construct_array(rollups, i, rollup_type, -1, false, TYPALIGN_DOUBLE));
	if (SPI_execute_with_args("INSERT INTO bmn.village_rollup (survey_year, village_code, lao_code, rollup)"
							  " SELECT $1, u.v, u.l, u.r FROM ROWS FROM (pg_catalog.unnest($2),"
							  " pg_catalog.unnest($3), pg_catalog.unnest($4)) AS u(v, l, r)"
							  " ON CONFLICT (survey_year, village_code, lao_code) DO UPDATE"
							  " SET rollup = bmn.rollup_add(village_rollup.rollup, EXCLUDED.rollup)",
							  4, types, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not store the village rollups");
	hash_destroy(r->villages);
}
