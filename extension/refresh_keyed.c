/*
 * refresh_keyed.c: rows of a table found by their key through its unique index,
 * and replaced or removed where they lie.
 *
 * A correction's refresh reads and rewrites a few rows here and there: the old
 * score of each household it redoes, the counts of each village it touches. As a
 * statement over arrays of keys, each such step cost its planning, its arrays, a
 * tuple store and the executor's row machinery, which came to ten times the index
 * descents themselves. Here a row is one descent, and its new version goes on the
 * same page when there is room (a heap-only tuple: no index entry to add), which
 * the tables written this way leave (their fillfactor).
 *
 * As in refresh_sink.c, what the executor would check is checked here: the UPDATE
 * and DELETE privileges and the constraints; tables with update or delete
 * triggers are refused rather than bypassed (row security, by the sink).
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/nbtree.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "catalog/pg_am_d.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/sortsupport.h"

#include "refresh.h"

/*
 * The index whose key columns are exactly the given ones, in order, and unique;
 * or (not unique) any btree index whose leading key columns they are.
 */
static Relation
index_on(TableSink *k, const char *const *key_columns, int nkeys, bool unique)
{
	for (int i = 0; i < k->rri->ri_NumIndices; i++)
	{
		Relation	index = k->rri->ri_IndexRelationDescs[i];
		Form_pg_index form = index->rd_index;
		bool		same = form->indisvalid && RelationGetIndexPredicate(index) == NIL &&
			RelationGetIndexExpressions(index) == NIL &&
			(unique ? form->indisunique && form->indnkeyatts == nkeys :
			 index->rd_rel->relam == BTREE_AM_OID && form->indnkeyatts >= nkeys);

		for (int c = 0; same && c < nkeys; c++)
		{
			AttrNumber	att = form->indkey.values[c];

			same = att > 0 &&
				strcmp(NameStr(TupleDescAttr(k->desc, att - 1)->attname), key_columns[c]) == 0;
		}
		if (same)
			return index;
	}
	elog(ERROR, "bmn.%s has no %s index on the key it is looked up by",
		 RelationGetRelationName(k->rel), unique ? "unique" : "btree");
	return NULL;				/* not reached */
}

static void
keyed_open_index(KeyedTable *t, TableSink *sink, const char *const *key_columns, int nkeys,
				 bool unique)
{
	Oid			relid = RelationGetRelid(sink->rel);
	TriggerDesc *trig = sink->rel->trigdesc;

	memset(t, 0, sizeof *t);
	/* each on its own (a mask of two would pass with either) */
	if ((unique && pg_class_aclcheck(relid, GetUserId(), ACL_UPDATE) != ACLCHECK_OK) ||
		pg_class_aclcheck(relid, GetUserId(), ACL_DELETE) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to refresh: no %s on bmn.%s",
						unique ? "UPDATE or DELETE" : "DELETE",
						RelationGetRelationName(sink->rel))));
	if (trig && unique &&
		(trig->trig_update_before_row || trig->trig_update_after_row ||
		 trig->trig_update_instead_row || trig->trig_update_before_statement ||
		 trig->trig_update_after_statement))
		elog(ERROR, "bmn.%s must be a table without update triggers",
			 RelationGetRelationName(sink->rel));
	if (trig && (trig->trig_delete_before_row || trig->trig_delete_after_row ||
				 trig->trig_delete_instead_row || trig->trig_delete_before_statement ||
				 trig->trig_delete_after_statement))
		elog(ERROR, "bmn.%s must be a table without delete triggers",
			 RelationGetRelationName(sink->rel));
	t->updates = unique;
	t->sink = sink;
	t->index = index_on(sink, key_columns, nkeys, unique);
	t->nkeys = nkeys;
	for (int c = 0; c < nkeys; c++)
	{
		Oid			type = t->index->rd_opcintype[c];
		Oid			op = get_opfamily_member(t->index->rd_opfamily[c], type, type,
											 BTEqualStrategyNumber);

		if (!OidIsValid(op))
			elog(ERROR, "no equality operator for key column %s", key_columns[c]);
		ScanKeyEntryInitialize(&t->keys[c], 0, c + 1, BTEqualStrategyNumber, type,
							   t->index->rd_indcollation[c], get_opcode(op), (Datum) 0);
	}
	/* what the refresh wrote before is to be seen */
	CommandCounterIncrement();
	t->snapshot = RegisterSnapshot(GetLatestSnapshot());
	t->scan = index_beginscan(sink->rel, t->index, t->snapshot, nkeys, 0);
	t->row = table_slot_create(sink->rel, NULL);
	t->next = MakeSingleTupleTableSlot(sink->desc, table_slot_callbacks(sink->rel));
}

/* For keyed_find: the rows by their whole key, through the unique index on it. */
void
keyed_open(KeyedTable *t, TableSink *sink, const char *const *key_columns, int nkeys)
{
	keyed_open_index(t, sink, key_columns, nkeys, true);
}

/*
 * For keyed_walk: the rows by a key, through a btree index that leads with it.
 * They can be deleted (keyed_delete), not updated.
 */
void
keyed_walk_open(KeyedTable *t, TableSink *sink, const char *const *key_columns, int nkeys)
{
	keyed_open_index(t, sink, key_columns, nkeys, false);
	/* the key of each entry is read from the index, the row only when it is wanted */
	t->scan->xs_want_itup = true;
}

/* The pages of the index walked: what a walk over all of it would read. */
BlockNumber
keyed_index_blocks(KeyedTable *t)
{
	return RelationGetNumberOfBlocks(t->index);
}

static int
compare_sorted(const void *a, const void *b, void *arg)
{
	return ApplySortComparator(*(const Datum *) a, false, *(const Datum *) b, false,
							   (SortSupport) arg);
}

/*
 * The rows whose key is fixed (a value for each key column but the last) and one
 * of want (n values of the last column), each handed to fn in t->row: one walk
 * along the index from the least of want to the greatest, where each would
 * be a descent from the root. It pays where the wanted keys are many for the
 * index's size (keyed_index_blocks): a whole tambon, or one household in ten.
 * want is sorted here if it is not in the index's order.
 */
void
keyed_walk(KeyedTable *t, const Datum *fixed, Datum *want, int n, KeyedRowFn fn, void *arg)
{
	int			last = t->nkeys - 1;
	Oid			collation = t->index->rd_indcollation[last];
	Oid			type = t->index->rd_opcintype[last];
	SortSupportData order = {0};
	ScanKeyData keys[INDEX_MAX_KEYS];
	ItemPointer tid;
	int			i = 0;

	if (n == 0)
		return;
	/* the index's order of the last column, its fast comparator where it has one */
	order.ssup_cxt = CurrentMemoryContext;
	order.ssup_collation = collation;
	order.ssup_attno = last + 1;
	PrepareSortSupportFromIndexRel(t->index, BTLessStrategyNumber, &order);
	for (int k = 1; k < n; k++)
		if (ApplySortComparator(want[k - 1], false, want[k], false, &order) > 0)
		{
			qsort_arg(want, n, sizeof(Datum), compare_sorted, &order);
			break;
		}
	for (int c = 0; c < last; c++)
	{
		keys[c] = t->keys[c];
		keys[c].sk_argument = fixed[c];
	}
	/* from the least wanted on; past the greatest, the walk stops */
	ScanKeyEntryInitialize(&keys[last], 0, last + 1, BTGreaterEqualStrategyNumber, type,
						   collation, get_opcode(get_opfamily_member(t->index->rd_opfamily[last],
																	 type, type,
																	 BTGreaterEqualStrategyNumber)),
						   want[0]);
	index_rescan(t->scan, keys, t->nkeys, NULL, 0);
	while ((tid = index_getnext_tid(t->scan, ForwardScanDirection)) != NULL)
	{
		bool		isnull;
		Datum		key = index_getattr(t->scan->xs_itup, last + 1, t->scan->xs_itupdesc, &isnull);
		int			cmp = 1;

		CHECK_FOR_INTERRUPTS();
		if (isnull)
			continue;
		while (i < n && (cmp = ApplySortComparator(want[i], false, key, false, &order)) < 0)
			i++;
		if (i == n)
			break;
		if (cmp == 0 && index_fetch_heap(t->scan, t->row))
			fn(t, arg);
	}
}

/* The pages of the table itself: what a pass over all its rows reads. */
BlockNumber
keyed_table_blocks(KeyedTable *t)
{
	return RelationGetNumberOfBlocks(t->sink->rel);
}

/*
 * Every row of the table, in the order they lie, each handed to fn in t->row,
 * which may replace or remove it: where most of a table's rows are wanted, one
 * pass over its pages costs less than a descent of its index for each. The
 * rows that replace others are not seen: written by this command, they are
 * after the snapshot's.
 */
void
keyed_scan(KeyedTable *t, KeyedRowFn fn, void *arg)
{
	TableScanDesc scan = table_beginscan(t->sink->rel, t->snapshot, 0, NULL);

	while (table_scan_getnextslot(scan, ForwardScanDirection, t->row))
	{
		CHECK_FOR_INTERRUPTS();
		fn(t, arg);
	}
	table_endscan(scan);
}

/* The row of key (a value per key column) into t->row; false when there is none. */
bool
keyed_find(KeyedTable *t, const Datum *key)
{
	/* the scan takes its own copy of the keys */
	for (int c = 0; c < t->nkeys; c++)
		t->keys[c].sk_argument = key[c];
	index_rescan(t->scan, t->keys, t->nkeys, NULL, 0);
	return index_getnext_slot(t->scan, ForwardScanDirection, t->row);
}

void
keyed_update(KeyedTable *t, ItemPointer tid, const Datum *values, const bool *nulls)
{
	TableSink  *k = t->sink;
	bool		update_indexes;

	Assert(t->updates);

	table_sink_fill(k, t->next, values, nulls);
	simple_table_tuple_update(k->rel, tid, t->next, t->snapshot, &update_indexes);
	/*
	 * No room on its page: a new entry in every index. (Not marked as an
	 * update's: the executor would look for the statement's updated columns,
	 * and there is no statement.)
	 */
	if (update_indexes)
		list_free(ExecInsertIndexTuples(k->rri, t->next, k->estate, false, false, NULL, NIL));
	ExecClearTuple(t->next);
	ResetPerTupleExprContext(k->estate);
}

void
keyed_delete(KeyedTable *t, ItemPointer tid)
{
	simple_table_tuple_delete(t->sink->rel, tid, t->snapshot);
}

void
keyed_close(KeyedTable *t)
{
	index_endscan(t->scan);
	ExecDropSingleTupleTableSlot(t->row);
	ExecDropSingleTupleTableSlot(t->next);
	UnregisterSnapshot(t->snapshot);
	CommandCounterIncrement();
}
