/*
 * score_retire.c: bmn.retire_scores(), the trigger that moves the scores of the
 * households a DELETE removed out of bmn.household_score into bmn.score_retired,
 * where the next refresh takes them out of their villages' counts (why: see
 * sql/52_retired_scores.sql).
 *
 * The deleted households are sorted by round and key, so that each lookup in a
 * round's score index starts from the leaf of the one before (refresh_btree.c).
 */
#include "postgres.h"

#include "access/tableam.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/tuplestore.h"

#include "refresh.h"

PG_FUNCTION_INFO_V1(bmn_retire_scores);

/* A deleted household. */
typedef struct Deleted
{
	int32		year;
	text	   *household_id;
} Deleted;

/* In the order of the score index on household_id (COLLATE "C"). */
static int
deleted_order(const void *a, const void *b)
{
	const Deleted *x = a;
	const Deleted *y = b;

	if (x->year != y->year)
		return x->year < y->year ? -1 : 1;
	return key_cmp(x->household_id, y->household_id);
}

/* The columns moved: the same names in both tables. */
static const char *const moved_columns[] = {
	"survey_year", "household_id", "batch_id", "village_code", "lao_code", "score",
	"spot_key", "ids_key"
};

#define N_MOVED lengthof(moved_columns)

typedef struct Retiring
{
	TableSink  *scores;			/* its attnums: where moved_columns lie in a score row */
	TableSink  *retired;
	int64		moved;
} Retiring;

/* A score found for a deleted household: copied to bmn.score_retired, then deleted. */
static void
retire_row(KeyedTable *t, void *arg)
{
	Retiring   *x = arg;
	TupleTableSlot *row = t->row;
	TupleDesc	desc = x->scores->desc;
	Datum		v[N_MOVED];
	bool		n[N_MOVED];
	MemoryContext old;

	slot_getallattrs(row);
	/* the copies live in the sink's row context, which a flush resets: flush first */
	if (x->retired->n == x->retired->capacity)
		table_sink_flush(x->retired);
	old = MemoryContextSwitchTo(x->retired->row_cxt);
	for (int c = 0; c < (int) N_MOVED; c++)
	{
		int			att = x->scores->attnums[c];
		Form_pg_attribute a = TupleDescAttr(desc, att);

		n[c] = row->tts_isnull[att];
		v[c] = n[c] ? (Datum) 0 : datumCopy(row->tts_values[att], a->attbyval, a->attlen);
	}
	MemoryContextSwitchTo(old);
	table_sink_add(x->retired, v, n);
	keyed_delete(t, &row->tts_tid);
	x->moved++;
}

/* The scores of a round's deleted households (sorted), moved; none without its partition. */
static void
retire_round(TableSink *retired, int32 year, const Deleted *d, int64 n)
{
	static const char *const key_columns[] = {"household_id"};
	char		partition[NAMEDATALEN];
	TableSink	scores;
	KeyedTable	keyed;
	Retiring	x = {&scores, retired, 0};

	snprintf(partition, sizeof partition, "household_score_%d", year);
	if (!OidIsValid(get_relname_relid(partition, get_namespace_oid("bmn", false))))
		return;					/* the round was never scored */
	table_sink_open(&scores, partition, moved_columns, N_MOVED, 1);
	keyed_open_shared(&keyed, &scores, key_columns, lengthof(key_columns));
	for (int64 i = 0; i < n; i++)
	{
		Datum		key = PointerGetDatum(d[i].household_id);

		CHECK_FOR_INTERRUPTS();
		(void) keyed_each(&keyed, &key, retire_row, &x);
	}
	keyed_close(&keyed);
	table_sink_close(&scores);
}

Datum
bmn_retire_scores(PG_FUNCTION_ARGS)
{
	TriggerData *td;
	TupleTableSlot *slot;
	AttrNumber	year_att,
				id_att;
	Deleted    *deleted;
	int64		n = 0,
				cap = 64;
	TableSink	retired;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("bmn.retire_scores() can only be called as a trigger")));
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_AFTER(td->tg_event) || !TRIGGER_FIRED_FOR_STATEMENT(td->tg_event) ||
		!TRIGGER_FIRED_BY_DELETE(td->tg_event) || td->tg_oldtable == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("bmn.retire_scores() must fire after each DELETE statement, with its old rows")));

	year_att = table_column(td->tg_relation, "survey_year");
	id_att = table_column(td->tg_relation, "household_id");
	slot = MakeSingleTupleTableSlot(RelationGetDescr(td->tg_relation), &TTSOpsMinimalTuple);
	deleted = palloc(sizeof(Deleted) * cap);
	tuplestore_rescan(td->tg_oldtable);
	while (tuplestore_gettupleslot(td->tg_oldtable, true, false, slot))
	{
		bool		year_null,
					id_null;
		Datum		year = slot_getattr(slot, year_att, &year_null);
		Datum		id = slot_getattr(slot, id_att, &id_null);

		if (year_null || id_null)
			continue;
		if (n == cap)
		{
			cap *= 2;
			deleted = repalloc_huge(deleted, sizeof(Deleted) * cap);
		}
		deleted[n].year = DatumGetInt32(year);
		deleted[n].household_id = DatumGetTextPCopy(id);
		n++;
	}
	ExecDropSingleTupleTableSlot(slot);
	if (n == 0)
		return PointerGetDatum(NULL);

	qsort(deleted, n, sizeof(Deleted), deleted_order);
	/* first, as bmn.refresh locks it first: a refresh under way finishes before */
	table_sink_open(&retired, "score_retired", moved_columns, N_MOVED, FLUSH_ROWS);
	for (int64 i = 0, j; i < n; i = j)
	{
		for (j = i + 1; j < n && deleted[j].year == deleted[i].year; j++)
			;
		retire_round(&retired, deleted[i].year, deleted + i, j - i);
	}
	table_sink_close(&retired);
	return PointerGetDatum(NULL);
}
