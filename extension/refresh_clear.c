/*
 * refresh_clear.c: the findings of the households a correction redoes, out
 * before they are checked again.
 *
 * Most of a round's households have no finding. Each changed household is looked
 * up in the finding index, in key order, from the leaf the one before ended on
 * (refresh_btree.c): a household with nothing costs a binary search of a page
 * already pinned, where a walk along the index read every entry between them and
 * a descent from the root read three pages.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_type.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"

#include "refresh.h"

/*
 * The findings of the checks over many households (every duplicate national ID,
 * every GPS position far from its tambon) are not simply dropped: they come back
 * at once as new, open findings, with the household's village, LAO and collector
 * as they are now, and the steps after the scan settle them against what fires
 * now (comes_back, bring_back).
 */

/* A finding coming back as new. */
typedef struct Returning
{
	int64		finding_id;		/* the old one: they come back in its order */
	int			household;		/* of the households cleared */
	Datum		check;
	Datum		entity;
	Datum		details;
	int16		member_no;
	bool		member_null;
} Returning;

enum
{
	F_ID, F_CHECK, F_ENTITY, F_HOUSEHOLD, F_MEMBER_NO, F_DETAILS, N_FOUND_COLUMNS
};

static const char *const found_columns[N_FOUND_COLUMNS] = {
	"finding_id", "check_code", "entity", "household_id", "member_no", "details"
};

typedef struct Found
{
	Refresh    *r;
	AttrNumber	att[N_FOUND_COLUMNS];
	int			current;		/* the household looked up */
	Returning  *back;			/* what comes back */
	int			nback;
	int			capback;
} Found;

/* Whether a finding comes back: every duplicate ID, every GPS far from its tambon. */
static bool
comes_back(Datum check, Datum details)
{
	Jsonb	   *j;
	JsonbValue *reason;

	if (text_equals(check, "NATIONAL_ID_DUPLICATE"))
		return true;
	if (!text_equals(check, "GPS_OUT_OF_AREA"))
		return false;
	j = DatumGetJsonbP(details);
	reason = JB_ROOT_IS_OBJECT(j) ?
		getKeyJsonValueFromContainer(&j->root, "reason", strlen("reason"), NULL) : NULL;
	return reason != NULL && reason->type == jbvString &&
		reason->val.string.len == (int) strlen("far_from_tambon") &&
		memcmp(reason->val.string.val, "far_from_tambon", reason->val.string.len) == 0;
}

/* A finding found of a household redone: out, and kept if it comes back. */
static void
clear_found(KeyedTable *t, void *arg)
{
	Found	   *w = arg;
	Datum		v[N_FOUND_COLUMNS];
	bool		isnull[N_FOUND_COLUMNS];
	MemoryContext old;
	Returning  *b;

	for (int c = 0; c < N_FOUND_COLUMNS; c++)
		v[c] = slot_getattr(t->row, w->att[c], &isnull[c]);
	if (isnull[F_ID] || isnull[F_CHECK] || isnull[F_ENTITY] || isnull[F_DETAILS] ||
		!comes_back(v[F_CHECK], v[F_DETAILS]))
	{
		keyed_delete(t, &t->row->tts_tid);
		return;
	}
	if (w->nback == w->capback)
	{
		w->capback = Max(16, w->capback * 2);
		w->back = w->back ? repalloc(w->back, w->capback * sizeof(Returning)) :
			palloc(w->capback * sizeof(Returning));
	}
	b = &w->back[w->nback++];
	/* the sink reads the values when it writes: until findings_flush */
	old = MemoryContextSwitchTo(w->r->findings.cxt);
	b->finding_id = DatumGetInt64(v[F_ID]);
	b->household = w->current;
	b->check = datumCopy(v[F_CHECK], false, -1);
	b->entity = datumCopy(v[F_ENTITY], false, -1);
	b->details = datumCopy(v[F_DETAILS], false, -1);
	b->member_null = isnull[F_MEMBER_NO];
	b->member_no = b->member_null ? 0 : DatumGetInt16(v[F_MEMBER_NO]);
	MemoryContextSwitchTo(old);
	keyed_delete(t, &t->row->tts_tid);
}

/*
 * The village, LAO and collector of household i now (texts; (Datum) 0 for
 * NULL): from its row as read, or, when the rows are not in memory, from
 * bmn.household through its primary key.
 */
typedef struct HouseholdNow
{
	const HouseholdRow *rows;	/* NULL: looked up */
	const Datum *ids;
	Relation	rel;
	Relation	index;
	BtreeCursor cursor;
	struct IndexFetchTableData *fetch;
	TupleTableSlot *slot;
	Snapshot	snapshot;
	AttrNumber	att[3];			/* village_code, lao_code, collector_id */
} HouseholdNow;

static const char *const now_columns[3] = {"village_code", "lao_code", "collector_id"};

static void
household_now_begin(HouseholdNow *h, const Datum *ids, const HouseholdRow *rows)
{
	Oid			pkey;
	int2vector *key;

	memset(h, 0, sizeof *h);
	h->rows = rows;
	h->ids = ids;
	if (rows != NULL)
		return;
	h->rel = table_open(table_direct_access("household", ACL_SELECT, AccessShareLock), NoLock);
	pkey = RelationGetPrimaryKeyIndex(h->rel);
	h->index = OidIsValid(pkey) ? index_open(pkey, AccessShareLock) : NULL;
	/* its key must be (survey_year, household_id), in that order */
	key = h->index ? &h->index->rd_index->indkey : NULL;
	if (key == NULL || h->index->rd_index->indnkeyatts != 2 ||
		key->values[0] != table_column(h->rel, "survey_year") ||
		key->values[1] != table_column(h->rel, "household_id"))
		elog(ERROR, "bmn.household has no primary key on (survey_year, household_id)");
	for (int c = 0; c < 3; c++)
		h->att[c] = table_column(h->rel, now_columns[c]);
	h->snapshot = RegisterSnapshot(GetTransactionSnapshot());
	btree_cursor_begin(&h->cursor, h->index, 2);
	h->fetch = table_index_fetch_begin(h->rel);
	h->slot = table_slot_create(h->rel, NULL);
}

/* false: the household is gone (then its findings do not come back) */
static bool
household_now(HouseholdNow *h, Refresh *r, int i, Datum *values)
{
	Datum		key[2] = {Int32GetDatum(r->year), h->ids[i]};
	int			next = 0;
	MemoryContext old;

	if (h->rows != NULL)
	{
		values[0] = PointerGetDatum(h->rows[i].village_code);
		values[1] = PointerGetDatum(h->rows[i].lao_code);
		values[2] = PointerGetDatum(h->rows[i].collector_id);
		return true;
	}
	(void) btree_cursor_find(&h->cursor, key, h->snapshot);
	if (!btree_cursor_next_row(&h->cursor, &next, h->snapshot, h->fetch, h->slot))
		return false;
	/* the sink reads them when it writes */
	old = MemoryContextSwitchTo(r->findings.cxt);
	for (int c = 0; c < 3; c++)
	{
		bool		isnull;
		Datum		d = slot_getattr(h->slot, h->att[c], &isnull);

		values[c] = isnull ? (Datum) 0 : datumCopy(d, false, -1);
	}
	MemoryContextSwitchTo(old);
	return true;
}

static void
household_now_end(HouseholdNow *h)
{
	if (h->rows != NULL)
		return;
	ExecDropSingleTupleTableSlot(h->slot);
	table_index_fetch_end(h->fetch);
	btree_cursor_end(&h->cursor);
	UnregisterSnapshot(h->snapshot);
	index_close(h->index, NoLock);
	table_close(h->rel, NoLock);
}

static int
by_finding_id(const void *a, const void *b)
{
	int64		x = ((const Returning *) a)->finding_id;
	int64		y = ((const Returning *) b)->finding_id;

	return x < y ? -1 : x > y;
}

/* The findings kept by clear_found back as new, open, with their household as it is now. */
static void
bring_back(Found *w, const Datum *ids, const HouseholdRow *rows)
{
	Refresh    *r = w->r;
	HouseholdNow now;

	household_now_begin(&now, ids, rows);
	qsort(w->back, w->nback, sizeof(Returning), by_finding_id);
	for (int i = 0; i < w->nback; i++)
	{
		const Returning *b = &w->back[i];
		Datum		h[3];
		Datum		v[9];
		bool		n[9] = {false};

		if (!household_now(&now, r, b->household, h))
			continue;
		v[0] = Int32GetDatum(r->year);
		v[1] = b->check;
		v[2] = b->entity;
		v[3] = h[0];
		n[3] = h[0] == (Datum) 0;
		v[4] = h[1];
		n[4] = h[1] == (Datum) 0;
		v[5] = ids[b->household];
		v[6] = Int16GetDatum(b->member_no);
		n[6] = b->member_null;
		v[7] = h[2];
		n[7] = h[2] == (Datum) 0;
		v[8] = b->details;
		findings_add_row(r, v, n);
	}
	household_now_end(&now);
}

static const char *const finding_key[] = {"survey_year", "household_id"};

/*
 * The findings of n households (their IDs, text, best in key order) out.
 * households: their rows as read, in the same order (NULL when not in memory).
 */
void
refresh_clear_findings(Refresh *r, const Datum *ids, int n, const HouseholdRow *households)
{
	KeyedTable	t;
	Found		w = {0};
	Datum		key[2] = {Int32GetDatum(r->year), (Datum) 0};

	keyed_open_shared(&t, &r->findings.sink, finding_key, lengthof(finding_key));
	w.r = r;
	for (int c = 0; c < N_FOUND_COLUMNS; c++)
		w.att[c] = table_column(r->findings.sink.rel, found_columns[c]);
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		key[1] = ids[i];
		w.current = i;
		keyed_each(&t, key, clear_found, &w);
	}
	keyed_close(&t);
	if (w.nback > 0)
	{
		bring_back(&w, ids, households);
		/* written now: they point into the rows read */
		findings_flush(r);
	}
}
