/*
 * refresh_sink.c: rows written straight into a table as COPY writes them: a
 * multi-insert of a block of slots, then their index entries. A refresh writes as
 * many scores as households and tens of thousands of findings; the executor's
 * row-at-a-time INSERT costs more than computing them.
 *
 * What the executor would do and this path would skip is done here: the INSERT
 * privilege check, the columns' defaults (an identity, now()), CHECK and NOT NULL
 * constraints. Tables with insert triggers, or whose row security applies to the
 * refreshing role, are refused rather than silently bypassed.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/hio.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "storage/bufmgr.h"
#include "utils/acl.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/rls.h"

#include "refresh.h"

/* The attribute number of rel's column name; an error when it has none. */
AttrNumber
table_column(Relation rel, const char *name)
{
	TupleDesc	desc = RelationGetDescr(rel);

	for (int i = 0; i < desc->natts; i++)
		if (!TupleDescAttr(desc, i)->attisdropped &&
			strcmp(NameStr(TupleDescAttr(desc, i)->attname), name) == 0)
			return (AttrNumber) (i + 1);
	elog(ERROR, "bmn.%s has no column %s", RelationGetRelationName(rel), name);
	return InvalidAttrNumber;	/* not reached */
}

/*
 * bmn.relname looked up and locked, for the refresh to read (ACL_SELECT) or
 * write (ACL_INSERT) directly. The direct path skips the executor's checks: the
 * privilege is checked here, and row-level security, which it could not apply,
 * is refused.
 */
Oid
table_direct_access(const char *relname, AclMode mode, LOCKMODE lock)
{
	Oid			relid = RangeVarGetRelid(makeRangeVar("bmn", (char *) relname, -1),
										 lock, false);

	if (pg_class_aclcheck(relid, GetUserId(), mode) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to refresh: no %s on bmn.%s",
						mode == ACL_SELECT ? "SELECT" : "INSERT", relname)));
	if (check_enable_rls(relid, InvalidOid, false) == RLS_ENABLED)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("bmn.refresh must run as the owner of bmn.%s", relname),
				 errdetail("Row-level security applies to the current role.")));
	return relid;
}

/* bmn.relname looked up, checked and opened for reading (table_read_rows). */
Relation
table_open_read(const char *relname)
{
	return table_open(table_direct_access(relname, ACL_SELECT, AccessShareLock), NoLock);
}

/*
 * Every row of rel handed to fn in a slot, as the snapshot sees them, until fn
 * returns false; rel closed.
 */
void
table_read_rows(Relation rel, Snapshot snapshot, TableRowFn fn, void *arg)
{
	TableScanDesc scan = table_beginscan(rel, snapshot, 0, NULL);
	TupleTableSlot *slot = table_slot_create(rel, NULL);

	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		CHECK_FOR_INTERRUPTS();
		if (!fn(slot, arg))
			break;
	}
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	table_close(rel, NoLock);
}

void
table_sink_open(TableSink *k, const char *relname, const char *const *columns, int ncols,
				int capacity)
{
	Oid			relid = table_direct_access(relname, ACL_INSERT, RowExclusiveLock);
	TriggerDesc *trig;

	memset(k, 0, sizeof *k);
	k->rel = table_open(relid, RowExclusiveLock);
	trig = k->rel->trigdesc;
	if (k->rel->rd_rel->relkind != RELKIND_RELATION ||
		(trig && (trig->trig_insert_before_row || trig->trig_insert_after_row ||
				  trig->trig_insert_instead_row || trig->trig_insert_before_statement ||
				  trig->trig_insert_after_statement)))
		elog(ERROR, "bmn.%s must be a plain table without insert triggers", relname);
	k->estate = CreateExecutorState();
	k->rri = makeNode(ResultRelInfo);
	InitResultRelInfo(k->rri, k->rel, 1, NULL, 0);
	ExecOpenIndices(k->rri, false);
	k->bistate = GetBulkInsertState();
	k->capacity = capacity;
	k->slots = palloc(sizeof(TupleTableSlot *) * capacity);
	/* an uncounted copy of the descriptor: a thousand slots need no resource owner entries */
	k->desc = CreateTupleDescCopy(RelationGetDescr(k->rel));
	for (int i = 0; i < capacity; i++)
		k->slots[i] = MakeSingleTupleTableSlot(k->desc, table_slot_callbacks(k->rel));
	k->ncols = ncols;
	k->attnums = palloc(sizeof(int) * ncols);
	for (int c = 0; c < ncols; c++)
		k->attnums[c] = table_column(k->rel, columns[c]) - 1;

	/* the defaults of the columns not given, as COPY evaluates them */
	k->defaults = palloc0(sizeof(ExprState *) * k->desc->natts);
	for (int a = 0; a < k->desc->natts; a++)
	{
		Node	   *expr;
		bool		given = false;

		for (int c = 0; c < ncols; c++)
			given |= k->attnums[c] == a;
		if (given || TupleDescAttr(k->desc, a)->attisdropped)
			continue;
		expr = build_column_default(k->rel, a + 1);
		if (expr != NULL)
			k->defaults[a] = ExecPrepareExpr((Expr *) expression_planner((Expr *) expr),
											 k->estate);
	}
	k->check_constraints = k->rel->rd_att->constr != NULL;
	k->row_cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh sink rows",
									   ALLOCSET_DEFAULT_SIZES);
	k->n = 0;
}

/*
 * A row into slot: values in the order of the columns given to table_sink_open,
 * the defaults of the others; its constraints checked.
 */
void
table_sink_fill(TableSink *k, TupleTableSlot *slot, const Datum *values, const bool *nulls)
{
	ExprContext *econtext = GetPerTupleExprContext(k->estate);

	ExecClearTuple(slot);
	memset(slot->tts_isnull, true, sizeof(bool) * k->desc->natts);
	for (int c = 0; c < k->ncols; c++)
	{
		slot->tts_values[k->attnums[c]] = values[c];
		slot->tts_isnull[k->attnums[c]] = nulls ? nulls[c] : false;
	}
	for (int a = 0; a < k->desc->natts; a++)
	{
		Form_pg_attribute att;
		MemoryContext old;
		Datum		d;
		bool		isnull;

		if (k->defaults[a] == NULL)
			continue;
		att = TupleDescAttr(k->desc, a);
		d = ExecEvalExprSwitchContext(k->defaults[a], econtext, &isnull);
		old = MemoryContextSwitchTo(k->row_cxt);
		slot->tts_values[a] = isnull ? (Datum) 0 : datumCopy(d, att->attbyval, att->attlen);
		slot->tts_isnull[a] = isnull;
		MemoryContextSwitchTo(old);
	}
	ExecStoreVirtualTuple(slot);
	if (k->check_constraints)
		ExecConstraints(k->rri, slot, k->estate);
	ResetPerTupleExprContext(k->estate);
}

/*
 * Add a row (as table_sink_fill takes it). The values must stay valid until the
 * next flush (the block may be written here).
 */
void
table_sink_add(TableSink *k, const Datum *values, const bool *nulls)
{
	if (k->n == k->capacity)
		table_sink_flush(k);
	table_sink_fill(k, k->slots[k->n++], values, nulls);
}

void
table_sink_flush(TableSink *k)
{
	if (k->n == 0)
		return;
	table_multi_insert(k->rel, k->slots, k->n, GetCurrentCommandId(true), k->options,
					   k->bistate);
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
	MemoryContextReset(k->row_cxt);
}

/*
 * The sink's pages kept in shared buffers when the rows to come (about bytes)
 * fit in a quarter of them. A bulk insert writes through a ring of 16 MB: each
 * page it takes back is written out while the rows go in, the WAL flushed up to
 * it first, and the next refresh reads it in again.
 */
void
table_sink_keep_pages(TableSink *k, double bytes)
{
	if (bytes > (double) NBuffers * BLCKSZ / 4)
		return;
	FreeAccessStrategy(k->bistate->strategy);
	k->bistate->strategy = NULL;
}

void
table_sink_close(TableSink *k)
{
	table_sink_flush(k);
	for (int i = 0; i < k->capacity; i++)
		ExecDropSingleTupleTableSlot(k->slots[i]);
	FreeBulkInsertState(k->bistate);
	ExecCloseIndices(k->rri);
	FreeExecutorState(k->estate);
	table_close(k->rel, NoLock);
	MemoryContextDelete(k->row_cxt);
}
