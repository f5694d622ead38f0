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
#include "utils/hsearch.h"
#include "utils/rel.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "common/hashfn.h"
#include "utils/memutils.h"

#include "refresh.h"
#include "rollup.h"

/* A village (and the LAO of its households): the key of the rollups kept while scoring. */
typedef struct VillageKey
{
	char		village[16];
	char		lao[72];
} VillageKey;

typedef struct VillageEntry
{
	VillageKey	key;
	RollupState state;
} VillageEntry;

static void
flush(Refresh *r)
{
	table_sink_flush(&r->sink);
	findings_flush(r);
	MemoryContextReset(r->buffer_cxt);
}

static const char *const score_columns[] = {
	"survey_year", "household_id", "batch_id", "village_code", "lao_code", "score",
	"spot_key", "ids_key"
};

void
refresh_writer_begin(Refresh *r)
{
	bool		isnull;

	r->buffer_cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh output",
										  ALLOCSET_DEFAULT_SIZES);
	if (r->mode == SCAN_REGISTRY)
		return;					/* no scores: only registry findings */
	if (SPI_execute("SELECT 'bmn.score'::pg_catalog.regtype::pg_catalog.oid", true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "type bmn.score not found");
	r->score_type = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
												   SPI_tuptable->tupdesc, 1, &isnull));
	table_sink_open(&r->sink, r->score_table, score_columns, lengthof(score_columns),
					FLUSH_ROWS);
	if (r->keep_village_rollups)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(VillageKey);
		ctl.entrysize = sizeof(VillageEntry);
		ctl.hcxt = CurrentMemoryContext;
		r->villages = hash_create("bmn refresh villages", 4096, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
}

void
refresh_writer_end(Refresh *r)
{
	flush(r);
	if (r->mode != SCAN_REGISTRY)
		table_sink_close(&r->sink);
	MemoryContextDelete(r->buffer_cxt);
	r->buffer_cxt = NULL;
}

static Datum
copy_text(text *t)
{
	return datumCopy(PointerGetDatum(t), false, -1);
}

static void
text_into(char *out, size_t size, const text *t)
{
	size_t		n = t ? VARSIZE_ANY_EXHDR(t) : 0;

	if (n >= size)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("code \"%.*s\" is too long to roll up", (int) n, VARDATA_ANY(t))));
	memset(out, 0, size);
	if (n > 0)
		memcpy(out, VARDATA_ANY(t), n);
}

static void
add_to_village(Refresh *r, const HouseholdRow *h, const BmnScore *score)
{
	VillageKey	key;
	VillageEntry *e;
	bool		found;

	text_into(key.village, sizeof key.village, h->village_code);
	text_into(key.lao, sizeof key.lao, h->lao_code);
	e = hash_search(r->villages, &key, HASH_ENTER, &found);
	if (!found)
		memset(&e->state, 0, sizeof e->state);
	rollup_state_add_score(&e->state, score);
}

/* What the set-based checks read of a household, as two hashes (see household_score). */
typedef struct CheckKeys
{
	int64		spot;
	int64		ids;
} CheckKeys;

/* The 64-bit finaliser of MurmurHash3, folded into h. */
static uint64
mix(uint64 h, uint64 v)
{
	v ^= v >> 33;
	v *= UINT64CONST(0xff51afd7ed558ccd);
	v ^= v >> 33;
	v *= UINT64CONST(0xc4ceb9fe1a85ec53);
	v ^= v >> 33;
	return hash_combine64(h, v);
}

static void
check_keys(const HouseholdRow *h, const BmnMemberFacts *members, int n_members,
		   CheckKeys *keys)
{
	uint64		spot = hash_bytes_extended((const unsigned char *) VARDATA_ANY(h->collector_id),
										   VARSIZE_ANY_EXHDR(h->collector_id), 0);
	uint64		ids = 0;

	spot = mix(spot, (uint64) (uint32) h->interview_date);
	spot = mix(spot, (uint64) (uint32) h->facts.village);
	if (h->facts.has_position)
	{
		uint64		lat,
					lon;

		memcpy(&lat, &h->facts.latitude, sizeof lat);
		memcpy(&lon, &h->facts.longitude, sizeof lon);
		spot = mix(mix(spot, lat), lon);
	}
	for (int i = 0; i < n_members; i++)
	{
		int64		id;

		if (members[i].national_id[0] == '\0')
			continue;
		if (!digits_value(members[i].national_id, 13, &id))
			id = -1;
		ids = mix(mix(ids, (uint64) members[i].member_no), (uint64) id);
	}
	keys->spot = (int64) spot;
	keys->ids = (int64) ids;
}

static void
store_score(Refresh *r, const HouseholdRow *h, const BmnScore *score, const CheckKeys *keys)
{
	Datum		v[8];
	bool		n[8] = {false};

	v[0] = Int32GetDatum(r->year);
	v[1] = copy_text(h->household_id);
	v[2] = Int64GetDatum(h->batch_id);
	v[3] = copy_text(h->village_code);
	v[4] = h->lao_code ? copy_text(h->lao_code) : (Datum) 0;
	n[4] = h->lao_code == NULL;
	v[5] = PointerGetDatum(score);
	v[6] = Int64GetDatum(keys->spot);
	v[7] = Int64GetDatum(keys->ids);
	table_sink_add(&r->sink, v, n);
}

/* household_id, village_code, lao_code, persons, spot_key, ids_key */
static void
add_old(Datum *v, bool *n, void *arg)
{
	Refresh    *r = arg;
	char		key[72];
	OldHousehold *o;
	bool		found;
	text	   *t;

	text_into(key, sizeof key, DatumGetTextPP(v[0]));
	o = hash_search(r->old, key, HASH_ENTER, &found);
	t = DatumGetTextPP(v[1]);
	o->village = 0;
	if (VARSIZE_ANY_EXHDR(t) == 8)
	{
		int64		code;

		if (digits_value(VARDATA_ANY(t), 8, &code))
			o->village = (int) code;
	}
	text_into(o->lao, sizeof o->lao, n[2] ? NULL : DatumGetTextPP(v[2]));
	o->persons = DatumGetInt32(v[3]);
	o->has_keys = !n[4] && !n[5];
	o->spot_key = n[4] ? 0 : DatumGetInt64(v[4]);
	o->ids_key = n[5] ? 0 : DatumGetInt64(v[5]);
}

/* How the households of the batches were scored before, to see what they change. */
void
refresh_load_old(Refresh *r, ArrayType *households)
{
	HASHCTL		ctl;
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		args[2] = {Int32GetDatum(r->year), PointerGetDatum(households)};

	ctl.keysize = 72;
	ctl.entrysize = sizeof(OldHousehold);
	ctl.hcxt = r->keep_cxt;
	r->old = hash_create("bmn refresh old households", 1024, &ctl,
						 HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	refresh_stream("SELECT s.household_id, s.village_code, s.lao_code, bmn.score_persons(s.score),"
				   " s.spot_key, s.ids_key FROM bmn.household_score s"
				   " WHERE s.survey_year = $1 AND s.household_id = ANY ($2)",
				   2, types, args, 6, add_old, r);
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
 * where what those checks read of it changed.
 */
static void
gather(Refresh *r, const HouseholdRow *h, const BmnMemberFacts *members, int n_members,
	   const CheckKeys *keys)
{
	if (r->mode == SCAN_WHOLE_ROUND)
	{
		spots_add(r, h);
		for (int i = 0; i < n_members; i++)
			if (members[i].national_id[0] != '\0')
				ids_add(r, members[i].national_id);
	}
	else if (r->mode == SCAN_CHANGED)
	{
		char		key[72];
		char		lao[72];
		OldHousehold *o;

		text_into(key, sizeof key, h->household_id);
		text_into(lao, sizeof lao, h->lao_code);
		o = r->old ? hash_search(r->old, key, HASH_FIND, NULL) : NULL;
		if (o == NULL || o->village != h->facts.village || o->persons != n_members ||
			strcmp(o->lao, lao) != 0)
		{
			datum_list_add(r, &r->scope_villages, PointerGetDatum(h->village_code));
			if (o != NULL && o->village != h->facts.village)
				datum_list_add(r, &r->scope_villages, village_text(o->village));
		}
		if (o == NULL || !o->has_keys || o->spot_key != keys->spot)
		{
			datum_list_add(r, &r->scope_collectors, PointerGetDatum(h->collector_id));
			datum_list_add(r, &r->scope_tambon_villages, PointerGetDatum(h->village_code));
			if (o != NULL)
				datum_list_add(r, &r->scope_tambon_villages, village_text(o->village));
			datum_list_add(r, &r->spot_changed, PointerGetDatum(h->household_id));
		}
		if (o == NULL || !o->has_keys || o->ids_key != keys->ids)
		{
			for (int i = 0; i < n_members; i++)
				if (members[i].national_id[0] != '\0')
					datum_list_add(r, &r->dup_candidates,
								   cstring_text_datum(members[i].national_id));
			datum_list_add(r, &r->ids_changed, PointerGetDatum(h->household_id));
		}
	}
}

void
refresh_add_household(Refresh *r, const HouseholdRow *h,
					  BmnMemberFacts *members, int n_members)
{
	MemoryContext old;
	BmnScore   *score = NULL;
	BmnFinding	found[BMN_MAX_FINDINGS];
	BmnHouseholdFacts facts = h->facts;
	HouseholdRow checked;
	int			n_found;
	Datum		hid,
				village,
				lao,
				collector;

	if (r->mode == SCAN_REGISTRY ? r->findings.sink.n == FLUSH_ROWS : r->sink.n == FLUSH_ROWS)
		flush(r);
	old = MemoryContextSwitchTo(r->buffer_cxt);
	if (r->mode != SCAN_REGISTRY)
	{
		CheckKeys	keys;

		check_keys(h, members, n_members, &keys);
		gather(r, h, members, n_members, &keys);
		score = palloc(sizeof(BmnScore));
		bmn_score_household(&r->rules, &h->facts, members, n_members, score);
		store_score(r, h, score, &keys);
		r->households++;
		if (r->keep_village_rollups)
			add_to_village(r, h, score);
	}
	MemoryContextSwitchTo(old);
	if (r->registry)
		registry_lookup(r, h, &facts, members, n_members);

	n_found = Min(bmn_check_household(&r->settings, &r->rules, score, &facts, members,
									  n_members, found, BMN_MAX_FINDINGS), BMN_MAX_FINDINGS);
	if (n_found == 0)
		return;
	old = MemoryContextSwitchTo(r->findings.cxt);
	hid = copy_text(h->household_id);
	village = copy_text(h->village_code);
	lao = h->lao_code ? copy_text(h->lao_code) : (Datum) 0;
	collector = copy_text(h->collector_id);
	checked = *h;
	checked.facts = facts;		/* with what the registry says */
	for (int i = 0; i < n_found; i++)
		findings_add(r, found[i].check, found[i].member_index < 0 ? "household" : "member",
					 village, lao, hid, found[i].member_no, collector,
					 finding_details(&r->findings.details, &found[i], &checked, members,
									 n_members));
	MemoryContextSwitchTo(old);
}

/* The village counts of the households just scored, added into bmn.village_rollup. */
void
refresh_write_village_rollups(Refresh *r)
{
	HASH_SEQ_STATUS seq;
	VillageEntry *e;
	long		n = hash_get_num_entries(r->villages);
	Datum	   *villages = palloc(sizeof(Datum) * Max(n, 1));
	Datum	   *laos = palloc(sizeof(Datum) * Max(n, 1));
	Datum	   *rollups = palloc(sizeof(Datum) * Max(n, 1));
	Oid			types[4] = {INT4OID, TEXTARRAYOID, TEXTARRAYOID, InvalidOid};
	Datum		args[4];
	Oid			rollup_type;
	bool		isnull;
	int			i = 0;

	if (SPI_execute("SELECT 'bmn.rollup'::pg_catalog.regtype::pg_catalog.oid", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "type bmn.rollup not found");
	rollup_type = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
												 SPI_tuptable->tupdesc, 1, &isnull));
	types[3] = get_array_type(rollup_type);
	hash_seq_init(&seq, r->villages);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		villages[i] = CStringGetTextDatum(e->key.village);
		laos[i] = CStringGetTextDatum(e->key.lao);
		rollups[i] = PointerGetDatum(rollup_state_to_varlena(&e->state));
		i++;
	}
	args[0] = Int32GetDatum(r->year);
	args[1] = PointerGetDatum(construct_array(villages, i, TEXTOID, -1, false, TYPALIGN_INT));
	args[2] = PointerGetDatum(construct_array(laos, i, TEXTOID, -1, false, TYPALIGN_INT));
	args[3] = PointerGetDatum(construct_array(rollups, i, rollup_type, -1, false, TYPALIGN_DOUBLE));
	if (SPI_execute_with_args("INSERT INTO bmn.village_rollup (survey_year, village_code, lao_code, rollup)"
							  " SELECT $1, u.v, u.l, u.r FROM ROWS FROM (pg_catalog.unnest($2),"
							  " pg_catalog.unnest($3), pg_catalog.unnest($4)) AS u(v, l, r)"
							  " ON CONFLICT (survey_year, village_code, lao_code) DO UPDATE"
							  " SET rollup = bmn.rollup_add(village_rollup.rollup, EXCLUDED.rollup)",
							  4, types, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not store the village rollups");
	hash_destroy(r->villages);
}
