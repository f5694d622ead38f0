/*
 * checks_sets.c: the checks that SQL does best, each one grouped statement over
 * the part of the round a refresh redoes:
 *   NATIONAL_ID_DUPLICATE     one national ID in two households of the round
 *   VILLAGE_FEW_HOUSEHOLDS    fewer than village_min_households collected
 *   VILLAGE_SMALL_HOUSEHOLDS  fewer than village_min_persons_avg persons a household
 *   VILLAGE_COVERAGE          collected below coverage_min_pct or above
 *                             coverage_max_pct of the registry's houses
 *
 * National IDs: a whole-round scan puts every ID through a Bloom filter as it
 * goes; an ID the filter may have seen before is a candidate, and only the
 * candidates are looked up (through the index on national_id) to find the
 * households they are in. A correction's candidates are its members' IDs and those
 * of the findings that named its households.
 *
 * Villages: their households and persons come from bmn.village_rollup, which the
 * refresh has just brought up to date, so no household is read again.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "refresh.h"

/*
 * A blocked Bloom filter: each ID sets 4 bits of one 64-bit word, so a test and
 * an insert are one cache line; at 32 bits an ID, well under 1 in 1000 new IDs
 * are taken for repeats (and their look-up says they are not): at 16, about 1 in
 * 100, whose look-ups cost more than the larger filter.
 *
 * The filter is larger than the caches, so each ID's word is fetched from
 * memory: IDs wait in a short queue after their word is prefetched, and are
 * tested when they leave it, by which time the word has come.
 */
#define ID_QUEUE 32

typedef struct IdFilter
{
	uint64	   *words;
	uint64		mask;			/* words - 1 (a power of two) */
	int64		queued_id[ID_QUEUE];
	uint64		queued_hash[ID_QUEUE];
	int			head;			/* the oldest queued */
	int			n;
} IdFilter;

void
ids_begin(Refresh *r, int64 expected)
{
	IdFilter   *f = MemoryContextAllocZero(r->keep_cxt, sizeof(IdFilter));
	uint64		words = 1024;
	uint64		limit = (uint64) maintenance_work_mem * 1024 / sizeof(uint64);

	while (words < (uint64) Max(expected, 0) / 2 && words * 2 <= limit)
		words *= 2;
	f->words = MemoryContextAllocExtended(r->keep_cxt, words * sizeof(uint64),
										  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	f->mask = words - 1;
	r->ids = f;
}

/* The oldest queued ID tested and set; a candidate when its bits were all set. */
static void
ids_test_oldest(Refresh *r)
{
	IdFilter   *f = r->ids;
	uint64		h = f->queued_hash[f->head];
	uint64		bits = (UINT64CONST(1) << ((h >> 40) & 63)) | (UINT64CONST(1) << ((h >> 46) & 63)) |
		(UINT64CONST(1) << ((h >> 52) & 63)) | (UINT64CONST(1) << ((h >> 58) & 63));
	uint64	   *w = &f->words[h & f->mask];

	if ((*w & bits) == bits)
	{
		char		text[24];

		snprintf(text, sizeof text, "%013lld", (long long) f->queued_id[f->head]);
		datum_list_add(r, &r->dup_candidates, cstring_text_datum(text));
	}
	*w |= bits;
	f->head = (f->head + 1) % ID_QUEUE;
	f->n--;
}

/* A national ID (its 13 digits as a number; -1 for none valid). */
void
ids_add(Refresh *r, int64 id)
{
	IdFilter   *f = r->ids;
	uint64		h;
	int			slot;

	if (id < 0)
		return;
	/* the 64-bit finaliser of MurmurHash3: IDs are numbers, not strings */
	h = (uint64) id;
	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	__builtin_prefetch(&f->words[h & f->mask], 1);
	if (f->n == ID_QUEUE)
		ids_test_oldest(r);
	slot = (f->head + f->n) % ID_QUEUE;
	f->queued_id[slot] = id;
	f->queued_hash[slot] = h;
	f->n++;
}

/* Every queued ID tested: the candidates are complete. */
void
ids_end(Refresh *r)
{
	while (r->ids && r->ids->n > 0)
		ids_test_oldest(r);
}

/*
 * NATIONAL_ID_DUPLICATE for the candidates' IDs: one finding per member involved,
 * listing the other households. After a correction (settle) the candidates'
 * earlier findings are settled against the new ones.
 */
void
check_national_ids(Refresh *r, ArrayType *candidates, bool settle)
{
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		args[2] = {Int32GetDatum(r->year), PointerGetDatum(candidates)};
	int64		boundary = settle ? findings_boundary(r) : 0;

	findings_flush(r);
	refresh_run("WITH c AS ("
				"  SELECT m.national_id, m.household_id, m.member_no, h.village_code,"
				"         h.lao_code, h.collector_id"
				"    FROM bmn.member m JOIN bmn.household h"
				"      ON h.survey_year = m.survey_year AND h.household_id = m.household_id"
				"   WHERE m.survey_year = $1 AND m.national_id = ANY ($2)),"
				" d AS (SELECT national_id, array_agg(DISTINCT household_id) AS hh FROM c"
				"        GROUP BY national_id HAVING count(DISTINCT household_id) > 1)"
				" INSERT INTO bmn.finding (survey_year, check_code, entity, village_code,"
				"   lao_code, household_id, member_no, collector_id, details)"
				" SELECT $1, 'NATIONAL_ID_DUPLICATE', 'member', c.village_code, c.lao_code,"
				"        c.household_id, c.member_no, c.collector_id,"
				"        jsonb_build_object('households', cardinality(d.hh),"
				"          'other_households', to_jsonb(array_remove(d.hh, c.household_id)))"
				"   FROM c JOIN d USING (national_id)",
				SPI_OK_INSERT, 2, types, args);
	refresh_step_done("national IDs: findings");
	if (settle)
		findings_settle(r, boundary,
						"f.check_code = 'NATIONAL_ID_DUPLICATE' AND EXISTS ("
						" SELECT FROM bmn.member m WHERE m.survey_year = $1"
						" AND m.household_id = f.household_id AND m.member_no = f.member_no"
						" AND m.national_id = ANY ($2))",
						PointerGetDatum(candidates), TEXTARRAYOID);
}

/*
 * The village checks, for the given villages or (NULL) every village of the round;
 * settled against the findings there before when settle.
 */
void
check_villages(Refresh *r, ArrayType *villages, bool settle)
{
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		args[2] = {Int32GetDatum(r->year), PointerGetDatum(villages)};
	int64		boundary = settle ? findings_boundary(r) : 0;
	char	   *sql;

	findings_flush(r);
	sql = psprintf("WITH v AS ("
				   "  SELECT vr.village_code,"
				   "         sum(bmn.rollup_households(vr.rollup))::bigint AS households,"
				   "         sum(bmn.rollup_persons(vr.rollup))::bigint AS persons,"
				   "         (array_agg(nullif(vr.lao_code, '') ORDER BY"
				   "            bmn.rollup_households(vr.rollup) DESC, vr.lao_code))[1] AS lao_code"
				   "    FROM bmn.village_rollup vr WHERE vr.survey_year = $1%s"
				   "   GROUP BY vr.village_code),"
				   " reg AS (SELECT rh.village_code, count(*) AS houses FROM bmn.registry_house rh"
				   "          WHERE rh.village_code IN (SELECT village_code FROM v)"
				   "          GROUP BY rh.village_code),"
				   " x AS (SELECT v.*, coalesce(reg.houses, 0) AS houses"
				   "         FROM v LEFT JOIN reg USING (village_code) WHERE v.households > 0),"
				   " s AS (SELECT coalesce((settings->>'village_min_households')::numeric, 20) AS min_hh,"
				   "              coalesce((settings->>'village_min_persons_avg')::numeric, 3) AS min_avg,"
				   "              coalesce((settings->>'coverage_min_pct')::numeric, 90) AS cov_min,"
				   "              coalesce((settings->>'coverage_max_pct')::numeric, 110) AS cov_max"
				   "         FROM bmn.survey_round WHERE survey_year = $1)"
				   " INSERT INTO bmn.finding (survey_year, check_code, entity, village_code,"
				   "   lao_code, household_id, member_no, collector_id, details)"
				   /* the details only of what fires: building them for every village cost most */
				   " SELECT $1, c.code, 'village', x.village_code, x.lao_code, NULL, NULL, NULL,"
				   "        CASE c.code"
				   "         WHEN 'VILLAGE_FEW_HOUSEHOLDS' THEN"
				   "          jsonb_build_object('households', x.households, 'minimum', s.min_hh)"
				   "         WHEN 'VILLAGE_SMALL_HOUSEHOLDS' THEN"
				   "          jsonb_build_object('persons', x.persons, 'households', x.households,"
				   "           'persons_avg', round(x.persons::numeric / x.households, 2),"
				   "           'minimum', s.min_avg)"
				   "         ELSE"
				   "          jsonb_build_object('households', x.households, 'registry_houses', x.houses,"
				   "           'pct', round(100.0 * x.households / nullif(x.houses, 0), 2),"
				   "           'minimum_pct', s.cov_min, 'maximum_pct', s.cov_max)"
				   "        END"
				   "   FROM x CROSS JOIN s CROSS JOIN LATERAL (VALUES"
				   "    ('VILLAGE_FEW_HOUSEHOLDS', x.households < s.min_hh),"
				   "    ('VILLAGE_SMALL_HOUSEHOLDS', x.persons < s.min_avg * x.households),"
				   "    ('VILLAGE_COVERAGE', x.houses > 0 AND (100 * x.households < s.cov_min * x.houses"
				   "                        OR 100 * x.households > s.cov_max * x.houses))"
				   "   ) AS c(code, fires)"
				   "  WHERE c.fires",
				   villages ? " AND vr.village_code = ANY ($2)" : "");
	refresh_run(sql, SPI_OK_INSERT, villages ? 2 : 1, types, args);
	refresh_step_done("villages: findings");
	if (settle)
		findings_settle(r, boundary,
						villages ?
						"f.check_code IN ('VILLAGE_FEW_HOUSEHOLDS', 'VILLAGE_SMALL_HOUSEHOLDS',"
						" 'VILLAGE_COVERAGE') AND f.village_code = ANY ($2)" :
						"f.check_code IN ('VILLAGE_FEW_HOUSEHOLDS', 'VILLAGE_SMALL_HOUSEHOLDS',"
						" 'VILLAGE_COVERAGE') AND $2 IS NULL",
						PointerGetDatum(villages), TEXTARRAYOID);
}
