/*
 * refresh_retired.c: the scores the households deleted since the last refresh
 * took with them (bmn.score_retired, filled by bmn.retire_scores). Each comes out
 * of the counts of the village it was counted in, and is either the old version
 * of a household the refresh scores again (its keys then say which checks over
 * many households the change can reach) or a household gone, whose village,
 * collectors, tambon and national IDs are checked again and whose findings go.
 *
 * The rows read are deleted by their place, not by round: a load that commits
 * while the refresh runs cannot slip its rows in between (bmn.refresh also locks
 * the table first, so that no load retires scores until it commits).
 */
#include "postgres.h"

#include "access/table.h"
#include "access/tableam.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/hsearch.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "refresh.h"

#define ID_SIZE 72				/* household_id is 1 to 64 bytes */

typedef struct Retired
{
	char		household_id[ID_SIZE];	/* the hash key, NUL-padded */
	char		village[16];
	OldHousehold old;
	bool		redone;			/* its household scored again by this refresh */
} Retired;

struct RetiredScores
{
	HTAB	   *by_household;
	ItemPointerData *tids;		/* the rows read, to be deleted */
	int64		n;
	int64		cap;
};

enum
{
	R_YEAR, R_ID, R_VILLAGE, R_LAO, R_SCORE, R_SPOT_KEY, R_IDS_KEY, N_READ
};

static const char *const read_columns[N_READ] = {
	"survey_year", "household_id", "village_code", "lao_code", "score", "spot_key", "ids_key"
};

/*
 * Locks bmn.score_retired against loads until the refresh commits (a load's
 * retiring waits; two refreshes take turns). Called before anything is read.
 */
void
refresh_retired_lock(void)
{
	Oid			relid = table_direct_access("score_retired", ACL_SELECT,
											ShareRowExclusiveLock);

	if (pg_class_aclcheck(relid, GetUserId(), ACL_DELETE) != ACLCHECK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to refresh: no DELETE on bmn.score_retired")));
}

typedef struct Reading
{
	Refresh    *r;
	AttrNumber	att[N_READ];	/* 0-based */
	bool		found;			/* refresh_retired_exist: a row of the round */
} Reading;

static bool
of_round(Reading *x, TupleTableSlot *slot)
{
	bool		year_null;
	Datum		year = slot_getattr(slot, x->att[R_YEAR] + 1, &year_null);

	return !year_null && DatumGetInt32(year) == x->r->year;
}

static bool
first_row(TupleTableSlot *slot, void *arg)
{
	Reading    *x = arg;

	x->found = of_round(x, slot);
	return !x->found;
}

/*
 * A retired score of the round: noted for deletion, out of its village's counts
 * when they are kept, and its household's old version noted (the first row of a
 * household deleted twice before a refresh: each row was counted, and comes out).
 */
static bool
add_row(TupleTableSlot *slot, void *arg)
{
	Reading    *x = arg;
	Refresh    *r = x->r;
	struct RetiredScores *s = r->retired;
	const AttrNumber *att = x->att;
	Datum	   *v = slot->tts_values;
	bool	   *isnull = slot->tts_isnull;
	char		key[ID_SIZE];
	Retired    *e;
	bool		found;

	if (!of_round(x, slot))
		return true;
	slot_getallattrs(slot);
	if (isnull[att[R_ID]] || isnull[att[R_VILLAGE]] || isnull[att[R_SCORE]])
		elog(ERROR, "a retired score without its household, village or score");
	if (s->n == s->cap)
	{
		s->cap = Max(64, s->cap * 2);
		s->tids = s->tids ?
			repalloc_huge(s->tids, sizeof(ItemPointerData) * s->cap) :
			MemoryContextAllocHuge(r->keep_cxt, sizeof(ItemPointerData) * s->cap);
	}
	s->tids[s->n++] = slot->tts_tid;
	if (r->villages != NULL)
		refresh_village_add(r, DatumGetTextPP(v[att[R_VILLAGE]]),
							isnull[att[R_LAO]] ? NULL : DatumGetTextPP(v[att[R_LAO]]),
							(const BmnScore *) DatumGetPointer(v[att[R_SCORE]]), -1);
	code_into(key, sizeof key, DatumGetTextPP(v[att[R_ID]]));
	e = hash_search(s->by_household, key, HASH_ENTER, &found);
	if (found)
		return true;
	code_into(e->village, sizeof e->village, DatumGetTextPP(v[att[R_VILLAGE]]));
	old_household_from(&e->old, v, isnull, att[R_VILLAGE], att[R_LAO], att[R_SCORE],
					   att[R_SPOT_KEY], att[R_IDS_KEY]);
	e->redone = false;
	return true;
}

static Relation
open_retired(Reading *x, Refresh *r)
{
	Relation	rel = table_open_read("score_retired");

	x->r = r;
	x->found = false;
	for (int c = 0; c < N_READ; c++)
		x->att[c] = table_column(rel, read_columns[c]) - 1;
	return rel;
}

/* Whether the round has retired scores to take out (before anything is read). */
bool
refresh_retired_exist(Refresh *r)
{
	Reading		x;
	Relation	rel = open_retired(&x, r);
	Snapshot	snapshot = RegisterSnapshot(GetTransactionSnapshot());

	table_read_rows(rel, snapshot, first_row, &x);
	UnregisterSnapshot(snapshot);
	return x.found;
}

/*
 * The round's retired scores read; each out of its village's counts when the
 * refresh keeps them (refresh_villages_begin before).
 */
void
refresh_retired_read(Refresh *r)
{
	Reading		x;
	Relation	rel = open_retired(&x, r);
	Snapshot	snapshot = RegisterSnapshot(GetTransactionSnapshot());
	HASHCTL		ctl = {0};

	r->retired = MemoryContextAllocZero(r->keep_cxt, sizeof(struct RetiredScores));
	ctl.keysize = ID_SIZE;
	ctl.entrysize = sizeof(Retired);
	ctl.hcxt = r->keep_cxt;
	r->retired->by_household = hash_create("bmn retired scores", 1024, &ctl,
										   HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	table_read_rows(rel, snapshot, add_row, &x);
	UnregisterSnapshot(snapshot);
}

/* Whether any retired score was read. */
bool
refresh_retired_any(Refresh *r)
{
	return r->retired != NULL && r->retired->n > 0;
}

/* The retired score of a household scored again into o; false if none. */
bool
refresh_retired_find(Refresh *r, const text *household_id, OldHousehold *o)
{
	char		key[ID_SIZE];
	Retired    *e;

	if (!refresh_retired_any(r) || VARSIZE_ANY_EXHDR(household_id) >= ID_SIZE)
		return false;
	code_into(key, sizeof key, household_id);
	e = hash_search(r->retired->by_household, key, HASH_FIND, NULL);
	if (e == NULL)
		return false;
	e->redone = true;
	*o = e->old;
	return true;
}

/*
 * The households whose scores were retired and which were not scored again:
 * gone. What the checks over many households read of them is gone with them:
 * their villages, tambons, collectors (through the findings that name them) and
 * national IDs are checked again. Returns their IDs (NULL: none).
 */
ArrayType *
refresh_retired_gone(Refresh *r)
{
	HASH_SEQ_STATUS seq;
	Retired    *e;
	DatumList	gone = {0};

	if (!refresh_retired_any(r))
		return NULL;
	hash_seq_init(&seq, r->retired->by_household);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		Datum		id,
					village;

		if (e->redone)
			continue;
		id = cstring_text_datum(e->household_id);
		village = cstring_text_datum(e->village);
		datum_list_add(r, &gone, id);
		datum_list_add(r, &r->scope_villages, village);
		datum_list_add(r, &r->scope_tambon_villages, village);
		datum_list_add(r, &r->spot_changed, id);
		datum_list_add(r, &r->ids_changed, id);
	}
	return gone.n > 0 ? datum_list_text_array(&gone) : NULL;
}

/*
 * The retired scores read, deleted: they are counted out now (or, before a
 * whole round is counted anew, read here only to be deleted).
 */
void
refresh_retired_clear(Refresh *r)
{
	Relation	rel;
	Snapshot	snapshot;

	if (r->retired == NULL)
		refresh_retired_read(r);
	if (!refresh_retired_any(r))
		return;
	rel = table_open(table_direct_access("score_retired", ACL_SELECT, ShareRowExclusiveLock),
					 NoLock);
	snapshot = RegisterSnapshot(GetLatestSnapshot());
	for (int64 i = 0; i < r->retired->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		simple_table_tuple_delete(rel, &r->retired->tids[i], snapshot);
	}
	UnregisterSnapshot(snapshot);
	table_close(rel, NoLock);
	r->retired->n = 0;
}
