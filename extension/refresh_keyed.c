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
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "refresh.h"

/* The unique index whose key columns are exactly the given ones, in order. */
static Relation
unique_index_on(TableSink *k, const char *const *key_columns, int nkeys)
{
	for (int i = 0; i < k->rri->ri_NumIndices; i++)
	{
		Relation	index = k->rri->ri_IndexRelationDescs[i];
		Form_pg_index form = index->rd_index;
		bool		same = form->indisunique && form->indisvalid &&
			form->indnkeyatts == nkeys && RelationGetIndexExpressions(index) == NIL &&
			RelationGetIndexPredicate(index) == NIL;

		for (int c = 0; same && c < nkeys; c++)
		{
			AttrNumber	att = form->indkey.values[c];

			same = att > 0 &&
				strcmp(NameStr(TupleDescAttr(k->desc, att - 1)->attname), key_columns[c]) == 0;
		}
		if (same)
			return index;
	}
	elog(ERROR, "bmn.%s has no unique index on the key it is looked up by",
		 RelationGetRelationName(k->rel));
	return NULL;				/* not reached */
}

void
keyed_open(KeyedTable *t, TableSink *sink, const char *const *key_columns, int nkeys)
{
	Oid			relid = RelationGetRelid(sink->rel);
	TriggerDesc *trig = sink->rel->trigdesc;

	memset(t, 0, sizeof *t);
	/* both (a mask of two would pass with either) */
	if (pg_class_aclcheck(relid, GetUserId(), ACL_UPDATE) != ACLCHECK_OK ||
		pg_class_aclcheck(relid, GetUserId(), ACL_DELETE) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to refresh: no UPDATE or DELETE on bmn.%s",
						RelationGetRelationName(sink->rel))));
	if (trig && (trig->trig_update_before_row || trig->trig_update_after_row ||
				 trig->trig_update_instead_row || trig->trig_update_before_statement ||
				 trig->trig_update_after_statement || trig->trig_delete_before_row ||
				 trig->trig_delete_after_row || trig->trig_delete_instead_row ||
				 trig->trig_delete_before_statement || trig->trig_delete_after_statement))
		elog(ERROR, "bmn.%s must be a table without update or delete triggers",
			 RelationGetRelationName(sink->rel));
	t->sink = sink;
	t->index = unique_index_on(sink, key_columns, nkeys);
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
