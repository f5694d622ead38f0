/*
 * refresh_keyed.c: rows of a table found by their key through an index on it,
 * and replaced or removed where they lie.
 *
 * A correction's refresh reads and rewrites a few rows here and there: the
 * findings of each household it redoes (and the old score of one changed in
 * place), the counts of each village it touches. As a statement over arrays of keys, each such step cost its
 * planning, its arrays, a tuple store and the executor's row machinery, which
 * came to ten times the index lookups themselves. Here a key is one lookup (from
 * the leaf of the key before: refresh_btree.c), and a row's new version goes on
 * the same page when there is room (a heap-only tuple: no index entry to add),
 * which bmn.village_rollup leaves (its fillfactor).
 *
 * As in refresh_sink.c, what the executor would check is checked here: the UPDATE
 * and DELETE privileges and the constraints; tables with update or delete
 * triggers are refused rather than bypassed (row security, by the sink).
 */
#include "postgres.h"

#include "access/nbtree.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "catalog/pg_am_d.h"
#include "utils/acl.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

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
	/* what the refresh wrote before is to be seen */
	CommandCounterIncrement();
	t->snapshot = RegisterSnapshot(GetLatestSnapshot());
	btree_cursor_begin(&t->cursor, t->index, nkeys);
	t->fetch = table_index_fetch_begin(sink->rel);
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
 * For keyed_each: the rows by a key several may share, through a btree index
 * that leads with it. They can be deleted (keyed_delete), not updated.
 */
void
keyed_open_shared(KeyedTable *t, TableSink *sink, const char *const *key_columns, int nkeys)
{
	keyed_open_index(t, sink, key_columns, nkeys, false);
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

/*
 * The row of key (a value per key column) into t->row; false when there is none.
 * Keys in the index's order find each other's leaves (refresh_btree.c).
 */
bool
keyed_find(KeyedTable *t, const Datum *key)
{
	int			next = 0;

	(void) btree_cursor_find(&t->cursor, key, t->snapshot);
	if (btree_cursor_next_row(&t->cursor, &next, t->snapshot, t->fetch, t->row))
		return true;
	ExecClearTuple(t->row);
	return false;
}

/*
 * Each row of key (a value per leading key column) handed to fn in t->row, which
 * may remove it (keyed_delete). Returns how many there were.
 */
int
keyed_each(KeyedTable *t, const Datum *key, KeyedRowFn fn, void *arg)
{
	int			next = 0;
	int			found = 0;

	(void) btree_cursor_find(&t->cursor, key, t->snapshot);
	while (btree_cursor_next_row(&t->cursor, &next, t->snapshot, t->fetch, t->row))
	{
		fn(t, arg);
		found++;
	}
	return found;
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
	ExecDropSingleTupleTableSlot(t->row);
	table_index_fetch_end(t->fetch);
	btree_cursor_end(&t->cursor);
	ExecDropSingleTupleTableSlot(t->next);
	UnregisterSnapshot(t->snapshot);
	CommandCounterIncrement();
}
