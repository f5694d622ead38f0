/*
 * refresh_batches.c: the batches a refresh takes in, read from bmn.batch and
 * bmn.round_registry.
 *
 * A statement did this (array_agg with FILTER, NOT EXISTS): in the new session
 * a refresh mostly runs in, its parse analysis and planning cost a millisecond
 * or two, as much as a correction of a hundred households. The two tables are
 * small (a row a batch), so each is read whole, here.
 */
#include "postgres.h"

#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "refresh.h"

typedef struct BatchIds
{
	int64	   *v;
	int			n;
	int			capacity;
} BatchIds;

static void
batch_ids_add(BatchIds *l, int64 id)
{
	if (l->n == l->capacity)
	{
		l->capacity = Max(16, l->capacity * 2);
		l->v = l->v ? repalloc(l->v, l->capacity * sizeof(int64)) :
			palloc(l->capacity * sizeof(int64));
	}
	l->v[l->n++] = id;
}

static int
int64_order(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return x < y ? -1 : x > y;
}

/* The IDs as a bigint[] in increasing order; NULL when there are none (as array_agg). */
static ArrayType *
batch_ids_array(BatchIds *l)
{
	Datum	   *d;

	if (l->n == 0)
		return NULL;
	qsort(l->v, l->n, sizeof(int64), int64_order);
	d = palloc(l->n * sizeof(Datum));
	for (int i = 0; i < l->n; i++)
		d[i] = Int64GetDatum(l->v[i]);
	return construct_array(d, l->n, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

typedef struct TakenRows
{
	int32		year;
	AttrNumber	year_att;
	AttrNumber	batch_att;
	BatchIds	taken;
} TakenRows;

static bool
taken_row(TupleTableSlot *slot, void *arg)
{
	TakenRows  *t = arg;
	bool		year_null;
	bool		batch_null;
	Datum		year = slot_getattr(slot, t->year_att, &year_null);
	Datum		batch = slot_getattr(slot, t->batch_att, &batch_null);

	if (!year_null && !batch_null && DatumGetInt32(year) == t->year)
		batch_ids_add(&t->taken, DatumGetInt64(batch));
	return true;
}

typedef struct BatchRows
{
	int32		year;
	AttrNumber	id_att;
	AttrNumber	kind_att;
	AttrNumber	year_att;
	AttrNumber	refreshed_att;
	BatchIds	pending;		/* survey batches of the round not refreshed */
	BatchIds	registry;		/* every registry batch */
	bool		refreshed;		/* a survey batch of the round was refreshed */
} BatchRows;

static bool
batch_row(TupleTableSlot *slot, void *arg)
{
	BatchRows  *b = arg;
	bool		id_null;
	bool		kind_null;
	bool		year_null;
	bool		refreshed_null;
	Datum		id = slot_getattr(slot, b->id_att, &id_null);
	Datum		kind = slot_getattr(slot, b->kind_att, &kind_null);
	Datum		year = slot_getattr(slot, b->year_att, &year_null);

	(void) slot_getattr(slot, b->refreshed_att, &refreshed_null);
	if (id_null || kind_null)
		return true;
	if (text_equals(kind, "registry"))
		batch_ids_add(&b->registry, DatumGetInt64(id));
	else if (text_equals(kind, "survey") && !year_null && DatumGetInt32(year) == b->year)
	{
		if (refreshed_null)
			batch_ids_add(&b->pending, DatumGetInt64(id));
		else
			b->refreshed = true;
	}
	return true;
}

/*
 * The round's survey batches not yet refreshed (*pending, NULL: none); whether
 * none of its survey batches has been (*whole_round: the round is scored whole);
 * the registry batches the round has not taken in yet (*registry, NULL: none).
 */
void
refresh_read_batches_pending(Refresh *r, ArrayType **pending, bool *whole_round,
							 ArrayType **registry)
{
	/* the snapshot a statement would take */
	Snapshot	snapshot = RegisterSnapshot(GetTransactionSnapshot());
	BatchRows	b = {0};
	TakenRows	t = {0};
	BatchIds	untaken = {0};
	Relation	rel = table_open_read("batch");

	b.year = r->year;
	b.id_att = table_column(rel, "batch_id");
	b.kind_att = table_column(rel, "kind");
	b.year_att = table_column(rel, "survey_year");
	b.refreshed_att = table_column(rel, "refreshed_at");
	table_read_rows(rel, snapshot, batch_row, &b);
	if (b.registry.n > 0)
	{
		rel = table_open_read("round_registry");
		t.year = r->year;
		t.year_att = table_column(rel, "survey_year");
		t.batch_att = table_column(rel, "batch_id");
		table_read_rows(rel, snapshot, taken_row, &t);
		if (t.taken.n > 0)
			qsort(t.taken.v, t.taken.n, sizeof(int64), int64_order);
		for (int i = 0; i < b.registry.n; i++)
			if (t.taken.n == 0 ||
				bsearch(&b.registry.v[i], t.taken.v, t.taken.n, sizeof(int64), int64_order) == NULL)
				batch_ids_add(&untaken, b.registry.v[i]);
	}
	UnregisterSnapshot(snapshot);
	*pending = batch_ids_array(&b.pending);
	*whole_round = !b.refreshed;
	*registry = batch_ids_array(&untaken);
}
