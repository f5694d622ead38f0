/*
 * rollup_areas.c: bmn.area_indicators(year), the rows of bmn.indicator_rollup for
 * one round: every village's counts (bmn.village_rollup) summed into its tambon,
 * LAO, district, province and the country, and each area's indicators as rows.
 *
 * As SQL, the view made six rows of every village, grouped them in a hash
 * aggregate of 2 kB states, then called bmn.rollup_indicators once per area, each
 * call a function scan of its own: for a province, 90 ms before any row was
 * output, where this takes about 30 (writing the 91,804 rows out as text is the
 * rest of reading the view, the same either way). Here the
 * villages are read in code order, so that each level named by a prefix of the
 * code (village, tambon, district, province) is a run of consecutive rows, summed
 * in one state and written out when the run ends. LAOs cut across the codes: they
 * are a second pass in LAO order. The country is one state.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "rollup.h"

PG_FUNCTION_INFO_V1(bmn_area_indicators);

#define N_OUT		10			/* the columns of each row */
#define FETCH_ROWS	1000

/* The levels summed from the villages, in the order of their runs. */
enum
{
	LV_VILLAGE, LV_TAMBON, LV_DISTRICT, LV_PROVINCE, N_PREFIX_LEVELS
};

static const char *const prefix_level_name[N_PREFIX_LEVELS] = {
	"village", "tambon", "district", "province"
};

/*
 * Characters of the village code naming the area of each level (0: all of it),
 * as bmn.village_areas (60_views.sql) has them for the other reports; the
 * rollup_levels test holds the two to the same rows.
 */
static const int prefix_chars[N_PREFIX_LEVELS] = {0, 6, 4, 2};

/* An area being summed: its code and its counts. */
typedef struct AreaSum
{
	bool		open;			/* a run has begun */
	StringInfoData code;
	RollupState counts;
} AreaSum;

typedef struct AreaWriter
{
	Tuplestorestate *store;
	TupleDesc	desc;
	Datum		level_text[N_PREFIX_LEVELS + 2];	/* + lao, country */
} AreaWriter;

#define LEVEL_LAO		N_PREFIX_LEVELS
#define LEVEL_COUNTRY	(N_PREFIX_LEVELS + 1)

/*
 * The rows of an area: one per indicator applying to a household or person,
 * as bmn.rollup_indicators gives them. Its counts are checked as a stored rollup's
 * would be (a sum of valid counts is valid unless it passes the cap).
 */
static void
write_area(AreaWriter *w, int level, const char *code, int len, const RollupState *st)
{
	int			bad;
	const char *problem = bmn_rollup_check(st->households, st->persons, st->ind,
										   BMN_MAX_INDICATOR, &bad);
	Datum		area = PointerGetDatum(cstring_to_text_with_len(code, len));

	if (problem != NULL)
		rollup_report_invalid("sum of bmn.rollup values", problem, bad);
	for (int i = 0; i < BMN_MAX_INDICATOR; i++)
	{
		const RollupCounts *c = &st->ind[i];
		Datum		v[N_OUT];
		bool		n[N_OUT] = {false};

		if (c->households_applicable == 0 && c->persons_applicable == 0)
			continue;
		v[0] = area;
		v[1] = w->level_text[level];
		v[2] = Int32GetDatum(i + 1);
		v[3] = Int64GetDatum(c->households_applicable);
		v[4] = Int64GetDatum(c->households_passed);
		v[5] = Int64GetDatum(c->households_applicable - c->households_passed);
		v[6] = Int64GetDatum(c->persons_applicable);
		v[7] = Int64GetDatum(c->persons_passed);
		v[8] = Int64GetDatum(c->persons_applicable - c->persons_passed);
		n[9] = !rollup_pct_passed(c, &v[9]);
		tuplestore_putvalues(w->store, w->desc, v, n);
	}
	pfree(DatumGetPointer(area));
}

static void
area_begin(AreaSum *a)
{
	a->open = false;
	initStringInfo(&a->code);
}

/* The sum's run goes on with code, or ends (written out) and a new one begins. */
static void
area_next(AreaWriter *w, AreaSum *a, int level, const char *code, int len)
{
	if (a->open && a->code.len == len && memcmp(a->code.data, code, len) == 0)
		return;
	if (a->open)
		write_area(w, level, a->code.data, a->code.len, &a->counts);
	resetStringInfo(&a->code);
	appendBinaryStringInfo(&a->code, code, len);
	a->open = true;
	memset(&a->counts, 0, sizeof a->counts);
}

static void
area_finish(AreaWriter *w, AreaSum *a, int level)
{
	if (a->open)
		write_area(w, level, a->code.data, a->code.len, &a->counts);
	a->open = false;
}

/* The bytes of the first chars characters of a text (all of it: 0 or more than it has). */
static int
prefix_bytes(const text *t, int chars)
{
	int			len = VARSIZE_ANY_EXHDR(t);

	if (chars == 0)
		return len;
	return pg_mbcharcliplen(VARDATA_ANY(t), len, chars);
}

/*
 * A pass over the round's villages in the order of column key (village_code or
 * lao_code, in bytes), each village's rollup decoded once and handed to fn.
 */
typedef void (*VillageFn) (AreaWriter *w, const text *code, const BmnRollup *r, void *arg);

static void
village_pass(int32 year, const char *sql, AreaWriter *w, VillageFn fn, void *arg)
{
	Oid			types[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(year)};
	Portal		portal = SPI_cursor_open_with_args(NULL, sql, 1, types, args, NULL, true, 0);
	MemoryContext row_cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn area row",
												  ALLOCSET_SMALL_SIZES);

	for (;;)
	{
		SPI_cursor_fetch(portal, true, FETCH_ROWS);
		if (SPI_processed == 0)
			break;
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			bool		code_null,
						rollup_null;
			Datum		code = SPI_getbinval(tup, SPI_tuptable->tupdesc, 1, &code_null);
			Datum		rollup = SPI_getbinval(tup, SPI_tuptable->tupdesc, 2, &rollup_null);
			MemoryContext old = MemoryContextSwitchTo(row_cxt);
			BmnRollup	r;

			CHECK_FOR_INTERRUPTS();
			if (!code_null && !rollup_null)
			{
				rollup_decode_value(PG_DETOAST_DATUM_PACKED(rollup), "bmn.rollup value", &r);
				fn(w, DatumGetTextPP(code), &r, arg);
			}
			MemoryContextSwitchTo(old);
			MemoryContextReset(row_cxt);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	MemoryContextDelete(row_cxt);
}

typedef struct PrefixSums
{
	AreaSum		level[N_PREFIX_LEVELS];
	RollupState country;
} PrefixSums;

static void
add_by_village(AreaWriter *w, const text *code, const BmnRollup *r, void *arg)
{
	PrefixSums *p = arg;

	/* the widest area first: a run of a narrower one never spans two of it */
	for (int l = N_PREFIX_LEVELS - 1; l >= 0; l--)
	{
		area_next(w, &p->level[l], l, VARDATA_ANY(code), prefix_bytes(code, prefix_chars[l]));
		rollup_state_add_decoded(&p->level[l].counts, r);
	}
	rollup_state_add_decoded(&p->country, r);
}

static void
add_by_lao(AreaWriter *w, const text *code, const BmnRollup *r, void *arg)
{
	AreaSum    *lao = arg;

	area_next(w, lao, LEVEL_LAO, VARDATA_ANY(code), VARSIZE_ANY_EXHDR(code));
	rollup_state_add_decoded(&lao->counts, r);
}

Datum
bmn_area_indicators(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int32		year = PG_GETARG_INT32(0);
	AreaWriter	w;
	PrefixSums *p = palloc0(sizeof(PrefixSums));
	AreaSum		lao;
	bool		any_village;

	InitMaterializedSRF(fcinfo, 0);
	if (rsinfo->setDesc->natts != N_OUT)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("bmn.area_indicators returns %d columns, not %d", N_OUT,
						rsinfo->setDesc->natts)));
	w.store = rsinfo->setResult;
	w.desc = rsinfo->setDesc;
	for (int l = 0; l < N_PREFIX_LEVELS; l++)
		w.level_text[l] = CStringGetTextDatum(prefix_level_name[l]);
	w.level_text[LEVEL_LAO] = CStringGetTextDatum("lao");
	w.level_text[LEVEL_COUNTRY] = CStringGetTextDatum("country");
	/* the codes live in this context: SPI's goes with SPI_finish */
	for (int l = 0; l < N_PREFIX_LEVELS; l++)
		area_begin(&p->level[l]);
	area_begin(&lao);

	SPI_connect();
	/* COLLATE "C": the order of the bytes compared in the runs, whatever the database's */
	village_pass(year, "SELECT village_code, rollup FROM bmn.village_rollup"
				 " WHERE survey_year = $1 ORDER BY village_code COLLATE \"C\"",
				 &w, add_by_village, p);
	any_village = p->level[LV_VILLAGE].open;
	for (int l = 0; l < N_PREFIX_LEVELS; l++)
		area_finish(&w, &p->level[l], l);
	village_pass(year, "SELECT lao_code, rollup FROM bmn.village_rollup"
				 " WHERE survey_year = $1 AND lao_code <> '' ORDER BY lao_code COLLATE \"C\"",
				 &w, add_by_lao, &lao);
	area_finish(&w, &lao, LEVEL_LAO);
	if (any_village)
		write_area(&w, LEVEL_COUNTRY, "TH", 2, &p->country);
	SPI_finish();
	return (Datum) 0;
}
