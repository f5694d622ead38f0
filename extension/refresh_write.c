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
#include "utils/rel.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "refresh.h"
#include "rollup.h"

static void
flush(Refresh *r)
{
	table_sink_flush(&r->sink);
	findings_flush(r);
	MemoryContextReset(r->buffer_cxt);
	r->buffer_next = NULL;
	r->buffer_left = 0;
}

/* The columns of bmn.household_score written, in this order. */
enum
{
	SC_YEAR, SC_ID, SC_BATCH, SC_VILLAGE, SC_LAO, SC_SCORE, SC_SPOT_KEY, SC_IDS_KEY,
	SC_NCOLS
};

/* A score's row as stored, about: the tuple's header, the score and the texts. */
#define SCORE_ROW_BYTES	200

static const char *const score_columns[SC_NCOLS] = {
	"survey_year", "household_id", "batch_id", "village_code", "lao_code", "score",
	"spot_key", "ids_key"
};

void
refresh_writer_begin(Refresh *r)
{
	r->buffer_cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh output",
										  ALLOCSET_DEFAULT_SIZES);
	r->buffer_next = NULL;
	r->buffer_left = 0;
	initStringInfo(&r->record);
	if (r->mode == SCAN_REGISTRY)
		return;					/* no scores: only registry findings */
	table_sink_open(&r->sink, r->score_table, score_columns, lengthof(score_columns),
					FLUSH_ROWS);
	if (r->mode == SCAN_WHOLE_ROUND)
		table_sink_keep_pages(&r->sink, r->round_households * SCORE_ROW_BYTES);
	if (r->keep_village_rollups)
		refresh_villages_begin(r);
}

static void old_scores_end(Refresh *r);

void
refresh_writer_end(Refresh *r)
{
	flush(r);
	old_scores_end(r);
	if (r->mode != SCAN_REGISTRY)
		table_sink_close(&r->sink);
	MemoryContextDelete(r->buffer_cxt);
	r->buffer_cxt = NULL;
	r->buffer_next = NULL;
	r->buffer_left = 0;
}

static Datum
copy_text(text *t)
{
	return datumCopy(PointerGetDatum(t), false, -1);
}

static void
store_score(Refresh *r, const HouseholdRow *h, const BmnScore *score,
			const HouseholdRecord *keys)
{
	Datum		v[SC_NCOLS];
	bool		n[SC_NCOLS] = {false};

	/* the texts are household_apply's, in buffer_cxt until the block is written */
	v[SC_YEAR] = Int32GetDatum(r->year);
	v[SC_ID] = PointerGetDatum(h->household_id);
	v[SC_BATCH] = Int64GetDatum(h->batch_id);
	v[SC_VILLAGE] = PointerGetDatum(h->village_code);
	v[SC_LAO] = PointerGetDatum(h->lao_code);
	n[SC_LAO] = h->lao_code == NULL;
	v[SC_SCORE] = PointerGetDatum(score);
	v[SC_SPOT_KEY] = Int64GetDatum(keys->spot_key);
	v[SC_IDS_KEY] = Int64GetDatum(keys->ids_key);
	table_sink_add(&r->sink, v, n);
}

/*
 * A household as it was scored, from a row of bmn.household_score or
 * bmn.score_retired (the columns' positions in v, 0-based).
 */
void
old_household_from(OldHousehold *o, const Datum *v, const bool *isnull, int village_att,
				   int lao_att, int score_att, int spot_att, int ids_att)
{
	text	   *village = DatumGetTextPP(v[village_att]);
	const BmnScore *score = (const BmnScore *) DatumGetPointer(v[score_att]);

	o->village = 0;
	if (VARSIZE_ANY_EXHDR(village) == 8)
	{
		int64		code;

		if (digits_value(VARDATA_ANY(village), 8, &code))
			o->village = (int) code;
	}
	code_into(o->lao, sizeof o->lao, isnull[lao_att] ? NULL : DatumGetTextPP(v[lao_att]));
	o->persons = score->persons;
	o->has_keys = !isnull[spot_att] && !isnull[ids_att];
	o->spot_key = o->has_keys ? DatumGetInt64(v[spot_att]) : 0;
	o->ids_key = o->has_keys ? DatumGetInt64(v[ids_att]) : 0;
}

/*
 * A household's score still in place (its row changed without a DELETE): noted,
 * out of its village, and deleted; the new score is added.
 */
typedef struct OldInPlace
{
	Refresh    *r;
	OldHousehold *o;
} OldInPlace;

static void
take_old(KeyedTable *t, void *arg)
{
	Refresh    *r = ((OldInPlace *) arg)->r;
	OldHousehold *o = ((OldInPlace *) arg)->o;
	const int  *att = r->sink.attnums;	/* of score_columns */
	TupleTableSlot *slot = t->row;
	Datum	   *v = slot->tts_values;
	bool	   *isnull = slot->tts_isnull;

	slot_getallattrs(slot);
	if (isnull[att[SC_ID]] || isnull[att[SC_VILLAGE]] || isnull[att[SC_SCORE]])
		elog(ERROR, "a household score without its household, village or score");
	old_household_from(o, v, isnull, att[SC_VILLAGE], att[SC_LAO], att[SC_SCORE],
					   att[SC_SPOT_KEY], att[SC_IDS_KEY]);
	refresh_village_add(r, DatumGetTextPP(v[att[SC_VILLAGE]]),
						isnull[att[SC_LAO]] ? NULL : DatumGetTextPP(v[att[SC_LAO]]),
						(const BmnScore *) DatumGetPointer(v[att[SC_SCORE]]), -1);
	keyed_delete(t, &slot->tts_tid);
}

static const char *const score_key_columns[] = {"household_id"};

/*
 * A correction's old scores: those its load retired (bmn.score_retired), read
 * here, each out of its village's counts now; and, for a household whose row was changed in
 * place rather than deleted and loaded again, its score in the index, looked up
 * as the households come, in key order (each from the index leaf of the one
 * before: refresh_btree.c). New scores are added at the end of the table, not in
 * the space old ones left here and there, which would bring their pages back in.
 * The writer must be open (refresh_writer_begin).
 */
void
refresh_old_scores_begin(Refresh *r)
{
	Assert(r->mode == SCAN_CHANGED && r->villages != NULL);
	refresh_retired_read(r);
	keyed_open_shared(&r->score_keyed, &r->sink, score_key_columns,
					  lengthof(score_key_columns));
	r->score_keyed_open = true;
	r->sink.options |= TABLE_INSERT_SKIP_FSM;
}

/* The old score of a household being redone into o, out of its village; false if none. */
static bool
old_score_find(Refresh *r, text *household_id, OldHousehold *o)
{
	Datum		key = PointerGetDatum(household_id);
	OldInPlace	arg = {r, o};

	if (refresh_retired_find(r, household_id, o))
		return true;
	if (!r->score_keyed_open)
		return false;
	return keyed_each(&r->score_keyed, &key, take_old, &arg) > 0;
}

static void
old_scores_end(Refresh *r)
{
	if (!r->score_keyed_open)
		return;
	keyed_close(&r->score_keyed);
	r->score_keyed_open = false;
}

static Datum
village_text(int village)
{
	char		buf[16];

	snprintf(buf, sizeof buf, "%08d", village);
	return cstring_text_datum(buf);
}

/*
 * What the set-based checks will need of a household: in a whole-round refresh
 * its position and day and its members' national IDs; after a correction, the
 * villages, collectors, tambons and national IDs whose checks it can change: only
 * where what those checks read of it changed. ids: the record's national IDs.
 */
static void
gather(Refresh *r, const HouseholdRow *h, const HouseholdRecord *rec, const char *ids,
	   const OldHousehold *o)
{

	if (r->mode == SCAN_WHOLE_ROUND)
	{
		spots_add(r, h);
		for (int i = 0; i < rec->n_ids; i++)
		{
			int64		id;

			memcpy(&id, ids + i * sizeof(int64), sizeof id);
			ids_add(r, id);
		}
	}
	else if (r->mode == SCAN_CHANGED)
	{
		if (o == NULL || o->village != h->facts.village || o->persons != rec->persons ||
			!same_code(h->lao_code, o->lao, sizeof o->lao))
		{
			datum_list_add(r, &r->scope_villages, PointerGetDatum(h->village_code));
			if (o != NULL && o->village != h->facts.village)
				datum_list_add(r, &r->scope_villages, village_text(o->village));
		}
		if (o == NULL || !o->has_keys || o->spot_key != rec->spot_key)
		{
			datum_list_add(r, &r->scope_collectors, PointerGetDatum(h->collector_id));
			datum_list_add(r, &r->scope_tambon_villages, PointerGetDatum(h->village_code));
			if (o != NULL)
				datum_list_add(r, &r->scope_tambon_villages, village_text(o->village));
			datum_list_add(r, &r->spot_changed, PointerGetDatum(h->household_id));
		}
		if (o == NULL || !o->has_keys || o->ids_key != rec->ids_key)
		{
			for (int i = 0; i < rec->n_ids; i++)
			{
				int64		id;
				char		text[24];

				memcpy(&id, ids + i * sizeof(int64), sizeof id);
				if (id < 0)
					continue;	/* not 13 digits: no other household can have it */
				snprintf(text, sizeof text, "%013lld", (long long) id);
				datum_list_add(r, &r->dup_candidates, cstring_text_datum(text));
			}
			datum_list_add(r, &r->ids_changed, PointerGetDatum(h->household_id));
		}
	}
}

/* The scan's callback when this backend reads: the record made and applied here. */
void
refresh_add_household(Refresh *r, const HouseholdRow *h,
					  BmnMemberFacts *members, int n_members, void *arg)
{
	resetStringInfo(&r->record);
	household_encode(r, h, members, n_members, &r->record, &r->findings.details);
	(void) household_apply(r, r->record.data);
}

/*
 * Room in buffer_cxt until the block is written, carved from a larger chunk: a
 * household's four texts and score, each its own palloc, added up.
 */
#define BUFFER_BLOCK 65536

static void *
buffer_alloc(Refresh *r, Size size)
{
	void	   *p;

	size = MAXALIGN(size);
	if (r->buffer_left < size)
	{
		Size		block = Max(BUFFER_BLOCK, size);

		r->buffer_next = MemoryContextAlloc(r->buffer_cxt, block);
		r->buffer_left = block;
	}
	p = r->buffer_next;
	r->buffer_next += size;
	r->buffer_left -= size;
	return p;
}

/* A text of len bytes at p, or NULL when len is -1. */
static text *
text_at(Refresh *r, const char *p, int32 len)
{
	text	   *t;

	if (len < 0)
		return NULL;
	t = buffer_alloc(r, VARHDRSZ + len);
	SET_VARSIZE(t, VARHDRSZ + len);
	memcpy(VARDATA(t), p, len);
	return t;
}

/*
 * A household's record into the score sink, its village's counts, what the
 * checks over many households gather, and the findings. Returns the end of the
 * record.
 */
const char *
household_apply(Refresh *r, const char *record)
{
	HouseholdRecord rec;
	HouseholdRow h;
	const char *p = record + sizeof(HouseholdRecord);
	const char *id,
			   *village,
			   *lao,
			   *collector,
			   *ids;
	MemoryContext old;

	memcpy(&rec, record, sizeof rec);
	id = p;
	village = id + rec.len_id;
	lao = village + rec.len_village;
	collector = lao + Max(rec.len_lao, 0);
	ids = collector + rec.len_collector;
	p = ids + rec.n_ids * sizeof(int64);

	if (rec.scored ? r->sink.n == FLUSH_ROWS : r->findings.sink.n == FLUSH_ROWS)
		flush(r);
	old = MemoryContextSwitchTo(r->buffer_cxt);
	memset(&h, 0, sizeof h);
	h.household_id = text_at(r, id, rec.len_id);
	h.village_code = text_at(r, village, rec.len_village);
	h.lao_code = text_at(r, lao, rec.len_lao);
	h.collector_id = text_at(r, collector, rec.len_collector);
	h.batch_id = rec.batch_id;
	h.interview_date = rec.interview_date;
	h.facts.village = rec.village;
	h.facts.has_position = rec.has_position;
	h.facts.latitude = rec.latitude;
	h.facts.longitude = rec.longitude;
	if (rec.scored)
	{
		BmnScore   *score = buffer_alloc(r, sizeof(BmnScore));
		OldHousehold old_score;
		bool		had_score = old_score_find(r, h.household_id, &old_score);

		memcpy(score, &rec.score, sizeof(BmnScore));
		gather(r, &h, &rec, ids, had_score ? &old_score : NULL);
		store_score(r, &h, score, &rec);
		r->households++;
		if (r->keep_village_rollups)
			refresh_village_add(r, h.village_code, h.lao_code, score, 1);
	}
	MemoryContextSwitchTo(old);

	if (rec.n_findings > 0)
	{
		/* the household's texts, once for all its findings, until they are written */
		Datum		village,
					lao,
					hid,
					collector;

		old = MemoryContextSwitchTo(r->findings.cxt);
		village = copy_text(h.village_code);
		lao = h.lao_code ? copy_text(h.lao_code) : (Datum) 0;
		hid = copy_text(h.household_id);
		collector = copy_text(h.collector_id);
		for (int i = 0; i < rec.n_findings; i++)
		{
			RecordFinding f;

			memcpy(&f, p, sizeof f);
			p += sizeof f;
			findings_add(r, (BmnCheckCode) f.check, f.of_member ? "member" : "household",
						 village, lao, hid, f.member_no, collector, p);
			p += f.len_details;
		}
		MemoryContextSwitchTo(old);
	}
	Assert(p == record + rec.size);
	return record + rec.size;
}
