/*
 * refresh_villages.c: the counts of each village (and LAO) that a refresh's
 * scores change, gathered while scoring and written into bmn.village_rollup.
 *
 * A whole round's villages are summed from all their households and go into a
 * table cleared of the round. A correction changes households here and there:
 * each village's change is its new scores in and its old ones out. They are
 * listed as they come, and summed into counts of every indicator only once a
 * village gathers many: a spread correction touches nearly every village with
 * a household or two, and counts for each (2 KB) cost more memory, page faults
 * and adding up than the few scores. The village's row is then found and
 * changed: through its key when the villages touched are few for the table, in
 * one pass over the table when they are many.
 */
#include "postgres.h"

#include "access/tableam.h"
#include "executor/tuptable.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "refresh.h"
#include "rollup.h"

/* A correction's village gathering more scores than this has them summed. */
#define LISTED_MAX 16

/* A village (and the LAO of its households): the key of the counts gathered. */
typedef struct VillageKey
{
	char		village[16];
	char		lao[72];
} VillageKey;

/* A score into (sign 1) or out of (-1) a village's counts, in the village's list. */
typedef struct ScoreChange
{
	BmnScore	score;
	int32		sign;
	int32		next;			/* the village's next change (-1: none) */
} ScoreChange;

typedef struct VillageEntry
{
	VillageKey	key;
	RollupState *sum;			/* the changes summed; NULL: only listed */
	int32		first;			/* its listed changes (-1: none) */
	int32		last;
	int32		listed;
	bool		found;			/* its row was found in the table */
} VillageEntry;

typedef struct Villages
{
	MemoryContext cxt;
	HTAB	   *entries;
	VillageEntry *last;			/* the entry of the last household */
	int			listed_max;		/* 0: everything summed (a whole round) */
	ScoreChange *changes;
	int32		n_changes;
	int32		capacity;
} Villages;

/* The columns of bmn.village_rollup written, in this order. */
enum
{
	VR_YEAR, VR_VILLAGE, VR_LAO, VR_ROLLUP, VR_NCOLS
};

static const char *const village_rollup_columns[VR_NCOLS] = {
	"survey_year", "village_code", "lao_code", "rollup"
};

static const char *const village_key_columns[] = {"survey_year", "village_code", "lao_code"};

void
refresh_villages_begin(Refresh *r)
{
	Villages   *v;
	HASHCTL		ctl;
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh villages",
											  ALLOCSET_DEFAULT_SIZES);

	v = MemoryContextAllocZero(cxt, sizeof(Villages));
	v->cxt = cxt;
	ctl.keysize = sizeof(VillageKey);
	ctl.entrysize = sizeof(VillageEntry);
	ctl.hcxt = cxt;
	v->entries = hash_create("bmn refresh villages", 4096, &ctl,
							 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	v->listed_max = r->mode == SCAN_WHOLE_ROUND ? 0 : LISTED_MAX;
	r->villages = v;
}

static VillageEntry *
village_entry(Villages *v, const text *village, const text *lao)
{
	VillageKey	key;
	bool		found;
	VillageEntry *e;

	code_into(key.village, sizeof key.village, village);
	code_into(key.lao, sizeof key.lao, lao);
	e = hash_search(v->entries, &key, HASH_ENTER, &found);
	if (!found)
	{
		e->sum = NULL;
		e->first = e->last = -1;
		e->listed = 0;
		e->found = false;
	}
	return e;
}

static void
add_to_sum(RollupState *sum, const BmnScore *score, int sign)
{
	if (sign > 0)
		rollup_state_add_score(sum, score);
	else
		rollup_state_subtract_score(sum, score);
}

/*
 * A household's score into (sign 1) or, for the old score of a corrected
 * household, out of (-1) its village's counts. Households mostly come a village
 * at a time, and a corrected household's old score mostly lies in the village of
 * its new one: the last village is looked at first.
 */
void
refresh_village_add(Refresh *r, const text *village, const text *lao, const BmnScore *score,
					int sign)
{
	Villages   *v = r->villages;
	VillageEntry *e = v->last;
	ScoreChange *c;

	if (e == NULL || !same_code(village, e->key.village, sizeof e->key.village) ||
		!same_code(lao, e->key.lao, sizeof e->key.lao))
		e = v->last = village_entry(v, village, lao);
	if (e->sum != NULL)
	{
		add_to_sum(e->sum, score, sign);
		return;
	}
	if (e->listed == v->listed_max)
	{
		/* many: summed from now on */
		e->sum = MemoryContextAllocZero(v->cxt, sizeof(RollupState));
		for (int i = e->first; i >= 0; i = v->changes[i].next)
			add_to_sum(e->sum, &v->changes[i].score, v->changes[i].sign);
		e->first = e->last = -1;	/* in the sum now */
		add_to_sum(e->sum, score, sign);
		return;
	}
	if (v->n_changes == v->capacity)
	{
		v->capacity = Max(1024, v->capacity * 2);
		v->changes = v->changes == NULL ?
			MemoryContextAllocHuge(v->cxt, sizeof(ScoreChange) * v->capacity) :
			repalloc_huge(v->changes, sizeof(ScoreChange) * v->capacity);
	}
	c = &v->changes[v->n_changes];
	memcpy(&c->score, score, sizeof(BmnScore));
	c->sign = sign;
	c->next = -1;
	if (e->last >= 0)
		v->changes[e->last].next = v->n_changes;
	else
		e->first = v->n_changes;
	e->last = v->n_changes++;
	e->listed++;
}

/*
 * Villages written: a whole round's into a bmn.village_rollup cleared of it, a
 * correction's rows found and changed.
 */
typedef struct VillageWriter
{
	Refresh    *r;
	TableSink	sink;			/* new villages, a block at a time */
	KeyedTable	keyed;			/* a correction's: the rows there already */
	MemoryContext cxt;			/* the values of the block being written */
	int			n;
	RollupState counts;			/* a correction's village being worked out */
} VillageWriter;

/* The values of a village's row; the rollup's to come. In w->cxt. */
static void
village_values(VillageWriter *w, const VillageEntry *e, Datum *v)
{
	if (w->n++ % FLUSH_ROWS == 0)
	{
		table_sink_flush(&w->sink);
		MemoryContextReset(w->cxt);
	}
	v[VR_YEAR] = Int32GetDatum(w->r->year);
	v[VR_VILLAGE] = CStringGetTextDatum(e->key.village);
	v[VR_LAO] = CStringGetTextDatum(e->key.lao);
}

/*
 * A correction's village: its stored counts (NULL: no row yet) with its change,
 * checked (a stored value that is not a valid one, or counts taken away that
 * were never added, are errors), worked out in st. NULL when the counts are as
 * stored: households resent as they were.
 */
static struct varlena *
changed_counts(Villages *v, const VillageEntry *e, struct varlena *stored, RollupState *st)
{
	struct varlena *now;

	memset(st, 0, sizeof *st);
	if (stored != NULL)
		stored = rollup_state_add_stored(st, stored);
	if (e->sum != NULL)
		rollup_state_add(st, e->sum);
	for (int i = e->first; i >= 0; i = v->changes[i].next)
		add_to_sum(st, &v->changes[i].score, v->changes[i].sign);
	now = rollup_state_to_checked_varlena(st);
	/* one encoding per value: the same counts are the same bytes */
	if (stored != NULL ? VARSIZE(now) - VARHDRSZ == VARSIZE_ANY_EXHDR(stored) &&
		memcmp(VARDATA(now), VARDATA_ANY(stored), VARSIZE(now) - VARHDRSZ) == 0 :
		st->households == 0)
		return NULL;
	return now;
}

/* A correction's village with its row (in w->keyed.row, or NULL: none) changed. */
static void
village_change(VillageWriter *w, const VillageEntry *e, bool has_row)
{
	MemoryContext old = MemoryContextSwitchTo(w->cxt);
	Datum		v[VR_NCOLS];
	struct varlena *stored = NULL;
	struct varlena *now;

	village_values(w, e, v);
	if (has_row)
	{
		bool		isnull;
		Datum		d = slot_getattr(w->keyed.row, w->sink.attnums[VR_ROLLUP] + 1, &isnull);

		stored = isnull ? NULL : (struct varlena *) DatumGetPointer(d);
	}
	now = changed_counts(w->r->villages, e, stored, &w->counts);
	v[VR_ROLLUP] = PointerGetDatum(now);
	if (now == NULL)
		;						/* as it was */
	else if (!has_row)
		table_sink_add(&w->sink, v, NULL);
	else if (w->counts.households == 0)
		keyed_delete(&w->keyed, &w->keyed.row->tts_tid);	/* no households left */
	else
		keyed_update(&w->keyed, &w->keyed.row->tts_tid, v, NULL);
	MemoryContextSwitchTo(old);
}

/* A row of the pass over bmn.village_rollup: changed when its village is one of ours. */
static void
village_row(KeyedTable *t, void *arg)
{
	VillageWriter *w = arg;
	const int  *att = w->sink.attnums;
	bool		isnull;
	Datum		d = slot_getattr(t->row, att[VR_YEAR] + 1, &isnull);
	VillageKey	key;
	VillageEntry *e;

	if (isnull || DatumGetInt32(d) != w->r->year)
		return;
	d = slot_getattr(t->row, att[VR_VILLAGE] + 1, &isnull);
	if (isnull || VARSIZE_ANY_EXHDR(DatumGetPointer(d)) >= sizeof key.village)
		return;
	code_into(key.village, sizeof key.village, DatumGetTextPP(d));
	d = slot_getattr(t->row, att[VR_LAO] + 1, &isnull);
	if (!isnull && VARSIZE_ANY_EXHDR(DatumGetPointer(d)) >= sizeof key.lao)
		return;
	code_into(key.lao, sizeof key.lao, isnull ? NULL : DatumGetTextPP(d));
	e = hash_search(w->r->villages->entries, &key, HASH_FIND, NULL);
	if (e == NULL || e->found)
		return;
	e->found = true;
	village_change(w, e, true);
}

/*
 * The village counts of the households just scored written into
 * bmn.village_rollup. A round's refreshes do not overlap (bmn.refresh locks the
 * round).
 */
void
refresh_write_village_rollups(Refresh *r)
{
	bool		whole_round = r->mode == SCAN_WHOLE_ROUND;
	HASH_SEQ_STATUS seq;
	VillageEntry *e;
	VillageWriter w;
	long		n;

	memset(&w, 0, sizeof w);
	w.r = r;
	if (r->villages == NULL)
		refresh_villages_begin(r);	/* nothing was scored */
	n = hash_get_num_entries(r->villages->entries);
	table_sink_open(&w.sink, "village_rollup", village_rollup_columns, VR_NCOLS, FLUSH_ROWS);
	/* a row of about 250 bytes a village, on pages half full (fillfactor) */
	table_sink_keep_pages(&w.sink, (double) n * 500);
	w.cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn village rollups",
								  ALLOCSET_DEFAULT_SIZES);
	if (!whole_round)
	{
		keyed_open(&w.keyed, &w.sink, village_key_columns, lengthof(village_key_columns));
		/* a lookup of the key a village (in no order: mostly from the root), or a pass */
		if (keyed_table_blocks(&w.keyed) < n)
			keyed_scan(&w.keyed, village_row, &w);
		else
		{
			hash_seq_init(&seq, r->villages->entries);
			while ((e = hash_seq_search(&seq)) != NULL)
			{
				Datum		key[3];

				key[0] = Int32GetDatum(r->year);
				key[1] = CStringGetTextDatum(e->key.village);
				key[2] = CStringGetTextDatum(e->key.lao);
				if (keyed_find(&w.keyed, key))
				{
					e->found = true;
					village_change(&w, e, true);
				}
				pfree(DatumGetPointer(key[1]));
				pfree(DatumGetPointer(key[2]));
			}
		}
		keyed_close(&w.keyed);
	}
	/* villages not in the table: all of a whole round's, which go in summed */
	hash_seq_init(&seq, r->villages->entries);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		MemoryContext old;
		Datum		v[VR_NCOLS];

		if (e->found)
			continue;
		if (!whole_round)
		{
			village_change(&w, e, false);
			continue;
		}
		old = MemoryContextSwitchTo(w.cxt);
		village_values(&w, e, v);
		v[VR_ROLLUP] = PointerGetDatum(rollup_state_to_varlena(e->sum));
		table_sink_add(&w.sink, v, NULL);
		MemoryContextSwitchTo(old);
	}
	table_sink_close(&w.sink);
	MemoryContextDelete(w.cxt);
	CommandCounterIncrement();
	MemoryContextDelete(r->villages->cxt);
	r->villages = NULL;
}
