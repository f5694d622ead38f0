/*
 * checks_registry.c: the house registry (ท.ร.14) in memory, for the registry
 * checks of the scan (REGISTRY_HOUSE_MISSING, REGISTRY_VILLAGE_MISMATCH,
 * REGISTRY_PERSON_MISMATCH).
 *
 * Comparing a round's million members with a million registered persons in SQL
 * is a hash join that costs more than the whole scoring pass; here each registry
 * entry is a few machine words in an array, read once by a sequential scan, and
 * found through an open-addressing table (one cache miss where a binary search
 * over a million entries takes ten). A whole-round refresh reads the registry whole; a
 * correction reads only the entries its households can meet, through the indexes.
 *
 * A house is one uint64: its 11-digit code (< 2^37) above its 8-digit village
 * (< 2^27). A person is the 13-digit national ID (< 2^44) and what the checks
 * compare: sex, birth year, and the village (for the findings' details).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/memutils.h"

#include "refresh.h"

#define VILLAGE_BITS 27
#define VILLAGE_MASK ((UINT64CONST(1) << VILLAGE_BITS) - 1)

typedef struct RegistryPerson
{
	uint64		id;
	int32		village;
	int16		sex;			/* BMN_NONE: unknown */
	int16		birth_y;		/* CE; BMN_NONE: unknown */
} RegistryPerson;

typedef struct RegistryIndex
{
	uint64	   *houses;
	int64		n_houses;
	int64		cap_houses;
	uint32	   *house_slots;	/* open addressing: index + 1 into houses, 0 empty */
	uint32	   *person_slots;	/* the same into persons */
	uint64		house_mask;
	uint64		person_mask;
	uint32	   *villages;		/* villages with registered houses */
	int64		n_villages;
	int64		cap_villages;
	RegistryPerson *persons;
	int64		n_persons;
	int64		cap_persons;
	MemoryContext cxt;
} RegistryIndex;

#define ST_SORT sort_villages
#define ST_ELEMENT_TYPE uint32
#define ST_COMPARE(a, b) ((*(a) > *(b)) - (*(a) < *(b)))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* The 64-bit finaliser of MurmurHash3. */
static inline uint64
mix64(uint64 h)
{
	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

/* A table of n entries' slots, at most half full; key(i) is entry i's key. */
static uint32 *
build_slots(RegistryIndex *ix, int64 n, uint64 *mask, uint64 (*key) (const RegistryIndex *, int64))
{
	uint64		size = 1024;
	uint32	   *slots;

	if (n >= (int64) PG_UINT32_MAX / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the house registry has too many entries to check against (%lld)",
						(long long) n)));
	while (size < (uint64) n * 2)
		size *= 2;
	slots = MemoryContextAllocExtended(ix->cxt, size * sizeof(uint32),
									   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	*mask = size - 1;
	for (int64 i = 0; i < n; i++)
	{
		uint64		h = mix64(key(ix, i)) & *mask;

		while (slots[h] != 0)
			h = (h + 1) & *mask;
		slots[h] = (uint32) (i + 1);
	}
	return slots;
}

static uint64
house_key(const RegistryIndex *ix, int64 i)
{
	return ix->houses[i] >> VILLAGE_BITS;
}

static uint64
person_key(const RegistryIndex *ix, int64 i)
{
	return ix->persons[i].id;
}

/* Grow an array in the index's context (huge: a national registry is large). */
static void *
grow(RegistryIndex *ix, void *array, int64 *cap, Size elem)
{
	int64		newcap = *cap ? *cap * 2 : 65536;
	void	   *p;

	if (array == NULL)
		p = MemoryContextAllocHuge(ix->cxt, newcap * elem);
	else
		p = repalloc_huge(array, newcap * elem);
	*cap = newcap;
	return p;
}

static bool
text_digits(Datum d, int len, int64 *out)
{
	text	   *t = DatumGetTextPP(d);

	return (int) VARSIZE_ANY_EXHDR(t) == len && digits_value(VARDATA_ANY(t), len, out);
}

/* house_code, village_code */
static void
add_house(Datum *v, bool *n, void *arg)
{
	RegistryIndex *ix = arg;
	int64		code,
				village;

	if (n[0] || n[1] || !text_digits(v[0], 11, &code) || !text_digits(v[1], 8, &village))
		return;
	if (ix->n_houses == ix->cap_houses)
		ix->houses = grow(ix, ix->houses, &ix->cap_houses, sizeof(uint64));
	ix->houses[ix->n_houses++] = ((uint64) code << VILLAGE_BITS) | (uint64) village;
}

/* village_code */
static void
add_village(Datum *v, bool *n, void *arg)
{
	RegistryIndex *ix = arg;
	int64		village;

	if (n[0] || !text_digits(v[0], 8, &village))
		return;
	if (ix->n_villages == ix->cap_villages)
		ix->villages = grow(ix, ix->villages, &ix->cap_villages, sizeof(uint32));
	ix->villages[ix->n_villages++] = (uint32) village;
}

/* national_id, sex, birth_date, village_code */
static void
add_person(Datum *v, bool *n, void *arg)
{
	RegistryIndex *ix = arg;
	RegistryPerson *p;
	int64		id,
				village = 0;

	if (n[0] || !text_digits(v[0], 13, &id))
		return;
	if (ix->n_persons == ix->cap_persons)
		ix->persons = grow(ix, ix->persons, &ix->cap_persons, sizeof(RegistryPerson));
	p = &ix->persons[ix->n_persons++];
	p->id = (uint64) id;
	p->sex = n[1] ? BMN_NONE : DatumGetInt16(v[1]);
	p->birth_y = BMN_NONE;
	if (!n[2] && !DATE_NOT_FINITE(DatumGetDateADT(v[2])))
	{
		int			y,
					m,
					d;

		j2date(DatumGetDateADT(v[2]) + POSTGRES_EPOCH_JDATE, &y, &m, &d);
		p->birth_y = (int16) y;
	}
	if (!n[3])
		(void) text_digits(v[3], 8, &village);
	p->village = (int32) village;
}

/* Sort and drop repeats (a village read twice). */
static int64
unique_u32(uint32 *a, int64 n)
{
	int64		k = 0;

	for (int64 i = 0; i < n; i++)
		if (k == 0 || a[k - 1] != a[i])
			a[k++] = a[i];
	return k;
}

/*
 * Read what the households to be checked can meet: the whole registry for a
 * whole round, else (batches: int8[] of survey batches, households: text[]) the
 * houses of their house codes, whether their villages are covered, and the
 * persons of their members' national IDs.
 */
void
registry_load(Refresh *r, ArrayType *batches, ArrayType *households)
{
	RegistryIndex *ix;
	Oid			types[2] = {INT4OID, batches ? INT8ARRAYOID : TEXTARRAYOID};
	Datum		args[2] = {Int32GetDatum(r->year),
	PointerGetDatum(batches ? batches : households)};
	int			nargs = (batches || households) ? 2 : 1;
	char	   *hs;
	bool		isnull;

	if (SPI_execute("SELECT EXISTS (SELECT FROM bmn.registry_house)"
					" OR EXISTS (SELECT FROM bmn.registry_person)", true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the registry");
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
									&isnull)))
	{
		r->registry = NULL;		/* no registry loaded: nothing to compare with */
		return;
	}
	ix = MemoryContextAllocZero(r->keep_cxt, sizeof(RegistryIndex));
	ix->cxt = AllocSetContextCreate(r->keep_cxt, "bmn registry index", ALLOCSET_DEFAULT_SIZES);

	if (nargs == 1)
	{
		refresh_stream("SELECT house_code, village_code FROM bmn.registry_house",
					   0, NULL, NULL, 2, add_house, ix);
		/* covered villages: those of the houses */
		ix->cap_villages = Max(ix->n_houses, 1);
		ix->villages = MemoryContextAllocHuge(ix->cxt, ix->cap_villages * sizeof(uint32));
		ix->n_villages = ix->n_houses;
		for (int64 i = 0; i < ix->n_houses; i++)
			ix->villages[i] = (uint32) (ix->houses[i] & VILLAGE_MASK);
		refresh_stream("SELECT national_id, sex, birth_date, village_code"
					   " FROM bmn.registry_person WHERE national_id IS NOT NULL",
					   0, NULL, NULL, 4, add_person, ix);
	}
	else
	{
		hs = psprintf("SELECT h.household_id, h.house_code COLLATE \"C\" AS house_code,"
					  " h.village_code FROM bmn.household h WHERE h.survey_year = $1 AND %s",
					  batches ? "h.batch_id = ANY ($2)" : "h.household_id = ANY ($2)");
		refresh_stream(psprintf("SELECT rh.house_code, rh.village_code FROM bmn.registry_house rh"
								" WHERE rh.house_code IN (SELECT hs.house_code FROM (%s) hs"
								" WHERE hs.house_code IS NOT NULL)", hs),
					   nargs, types, args, 2, add_house, ix);
		refresh_stream(psprintf("SELECT v.village_code FROM (SELECT DISTINCT hs.village_code"
								" FROM (%s) hs) v WHERE EXISTS (SELECT FROM bmn.registry_house rh"
								" WHERE rh.village_code = v.village_code)", hs),
					   nargs, types, args, 1, add_village, ix);
		refresh_stream(psprintf("SELECT rp.national_id, rp.sex, rp.birth_date, rp.village_code"
								" FROM bmn.registry_person rp WHERE rp.national_id IN"
								" (SELECT m.national_id FROM bmn.member m WHERE m.survey_year = $1"
								"  AND m.national_id IS NOT NULL"
								"  AND m.household_id IN (SELECT hs.household_id FROM (%s) hs))", hs),
					   nargs, types, args, 4, add_person, ix);
	}
	sort_villages(ix->villages, ix->n_villages);
	ix->n_villages = unique_u32(ix->villages, ix->n_villages);
	ix->house_slots = build_slots(ix, ix->n_houses, &ix->house_mask, house_key);
	ix->person_slots = build_slots(ix, ix->n_persons, &ix->person_mask, person_key);
	r->registry = ix;
}

void
registry_free(Refresh *r)
{
	if (r->registry)
		MemoryContextDelete(r->registry->cxt);
	r->registry = NULL;
}

static bool
covers(const RegistryIndex *ix, int village)
{
	int64		lo = 0,
				hi = ix->n_villages;

	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;

		if (ix->villages[mid] < (uint32) village)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n_villages && ix->villages[lo] == (uint32) village;
}

static const RegistryPerson *
person_match(const RegistryIndex *ix, uint64 id, const BmnMemberFacts *m)
{
	const RegistryPerson *first = NULL;

	/* registered twice: an entry that agrees is the one that counts */
	for (uint64 h = mix64(id) & ix->person_mask; ix->person_slots[h] != 0;
		 h = (h + 1) & ix->person_mask)
	{
		const RegistryPerson *p = &ix->persons[ix->person_slots[h] - 1];

		if (p->id != id)
			continue;
		if (first == NULL)
			first = p;
		if ((p->sex == BMN_NONE || p->sex == m->sex) &&
			(p->birth_y == BMN_NONE || p->birth_y == m->birth_y))
			return p;
	}
	return first;
}

void
registry_lookup(const Refresh *r, const HouseholdRow *h, BmnHouseholdFacts *hh,
				BmnMemberFacts *members, int n_members)
{
	const RegistryIndex *ix = r->registry;
	int64		code;

	hh->registry_covers_village = covers(ix, hh->village);
	if (h->house_code && text_digits(PointerGetDatum(h->house_code), 11, &code))
	{
		/* listed in several villages: the household's own, when it is one */
		for (uint64 s = mix64((uint64) code) & ix->house_mask; ix->house_slots[s] != 0;
			 s = (s + 1) & ix->house_mask)
		{
			uint64		house = ix->houses[ix->house_slots[s] - 1];
			int			village = (int) (house & VILLAGE_MASK);

			if ((house >> VILLAGE_BITS) != (uint64) code)
				continue;
			if (!hh->registry_house_found || village == hh->village)
				hh->registry_house_village = village;
			hh->registry_house_found = true;
		}
	}
	for (int k = 0; k < n_members; k++)
	{
		BmnMemberFacts *m = &members[k];
		const RegistryPerson *p;
		int64		id;

		if (m->national_id[0] == '\0' || !digits_value(m->national_id, 13, &id))
			continue;
		p = person_match(ix, (uint64) id, m);
		if (p == NULL)
			continue;
		m->registry_found = true;
		m->registry_sex = p->sex;
		m->registry_birth_y = p->birth_y;
		m->registry_village = p->village;
	}
}
