/*
 * checks_spots.c: each household's collector, day, village and position, for the
 * checks over many households (checks_collector.c, checks_tambon.c).
 *
 * A whole-round refresh gathers them while it scans (no second pass over the
 * households); after a correction they are read for the collectors or tambons the
 * corrected households touch, whole, since those checks judge a collector's or a
 * tambon's households together.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "checks_spots.h"

#define ARENA_BLOCK 65536

typedef struct NameEntry
{
	const char *name;			/* key: the string, copied into the arena */
	int			index;
} NameEntry;

static uint32
name_hash(const void *key, Size keysize)
{
	const char *s = *(const char *const *) key;

	return hash_bytes((const unsigned char *) s, (int) strlen(s));
}

static int
name_match(const void *a, const void *b, Size keysize)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* A copy of len bytes plus NUL in the set's arena: households ids add up. */
static char *
arena_copy(SpotSet *s, const char *p, int len)
{
	char	   *out;

	if (s->arena_left < len + 1)
	{
		int			size = Max(ARENA_BLOCK, len + 1);

		s->arena = MemoryContextAlloc(s->cxt, size);
		s->arena_left = size;
	}
	out = s->arena;
	memcpy(out, p, len);
	out[len] = '\0';
	s->arena += len + 1;
	s->arena_left -= len + 1;
	return out;
}

static HTAB *
names_create(SpotSet *s, const char *what)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(const char *);
	ctl.entrysize = sizeof(NameEntry);
	ctl.hash = name_hash;
	ctl.match = name_match;
	ctl.hcxt = s->cxt;
	return hash_create(what, 1024, &ctl,
					   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
}

/* The index of a name in a dictionary, added when new. */
static int
name_index(SpotSet *s, HTAB *names, SpotNames *list, const char *p, int len)
{
	char		key[128];
	char	   *k = len < (int) sizeof key ? key : palloc(len + 1);
	const char *kp = k;
	NameEntry  *e;
	bool		found;

	memcpy(k, p, len);
	k[len] = '\0';
	e = hash_search(names, &kp, HASH_ENTER, &found);
	if (!found)
	{
		e->name = arena_copy(s, p, len);
		e->index = list->n;
		if (list->n == list->capacity)
		{
			list->capacity = list->capacity ? list->capacity * 2 : 1024;
			list->names = list->names ?
				repalloc(list->names, sizeof(char *) * list->capacity) :
				MemoryContextAlloc(s->cxt, sizeof(char *) * list->capacity);
		}
		list->names[list->n++] = e->name;
	}
	if (k != key)
		pfree(k);
	return e->index;
}

/* name_index, the last name found looked at first: a collector's households, or a
 * LAO's, mostly come one after another */
static int
name_index_cached(SpotSet *s, HTAB *names, SpotNames *list, int *last, const char *p, int len)
{
	if (*last >= 0 && (int) strlen(list->names[*last]) == len &&
		memcmp(list->names[*last], p, len) == 0)
		return *last;
	*last = name_index(s, names, list, p, len);
	return *last;
}

void
spots_begin(Refresh *r)
{
	SpotSet    *s = MemoryContextAllocZero(r->keep_cxt, sizeof(SpotSet));

	s->cxt = AllocSetContextCreate(r->keep_cxt, "bmn refresh spots", ALLOCSET_DEFAULT_SIZES);
	s->collector_names = names_create(s, "bmn refresh collectors");
	s->lao_names = names_create(s, "bmn refresh laos");
	s->last_collector = -1;
	s->last_lao = -1;
	r->spots = s;
}

void
spots_end(Refresh *r)
{
	if (r->spots)
		MemoryContextDelete(r->spots->cxt);
	r->spots = NULL;
}

static void
add(Refresh *r, const text *hid, const text *collector, int village, const text *lao,
	int32 date, bool has_position, double lat, double lon)
{
	SpotSet    *s = r->spots;
	const BmnCheckSettings *cs = &r->settings;
	SpotRecord *rec;
	int			clen = VARSIZE_ANY_EXHDR(collector);

	if (s->n == s->capacity)
	{
		s->capacity = s->capacity ? s->capacity * 2 : 65536;
		s->rec = s->rec ? repalloc_huge(s->rec, sizeof(SpotRecord) * s->capacity) :
			MemoryContextAllocHuge(s->cxt, sizeof(SpotRecord) * s->capacity);
	}
	rec = &s->rec[s->n++];
	rec->household_id = arena_copy(s, VARDATA_ANY(hid), VARSIZE_ANY_EXHDR(hid));
	rec->collector = name_index_cached(s, s->collector_names, &s->collectors,
									   &s->last_collector, VARDATA_ANY(collector), clen);
	rec->lao = lao ? name_index_cached(s, s->lao_names, &s->laos, &s->last_lao,
									   VARDATA_ANY(lao), VARSIZE_ANY_EXHDR(lao)) : -1;
	rec->village = village;
	rec->date = date;
	rec->part = r->part;
	rec->has_position = has_position;
	rec->lat = lat;
	rec->lon = lon;
	rec->in_box = has_position && lat >= cs->lat_min && lat <= cs->lat_max &&
		lon >= cs->lon_min && lon <= cs->lon_max;
}

void
spots_add(Refresh *r, const HouseholdRow *h)
{
	add(r, h->household_id, h->collector_id, h->facts.village, h->lao_code,
		h->interview_date, h->facts.has_position, h->facts.latitude, h->facts.longitude);
}

/* household_id, collector_id, village_code, lao_code, interview_date, latitude, longitude */
static void
add_row(Datum *v, bool *n, void *arg)
{
	Refresh    *r = arg;
	text	   *village = DatumGetTextPP(v[2]);
	int64		code = 0;

	(void) digits_value(VARDATA_ANY(village), VARSIZE_ANY_EXHDR(village), &code);
	add(r, DatumGetTextPP(v[0]), DatumGetTextPP(v[1]), (int) code,
		n[3] ? NULL : DatumGetTextPP(v[3]), DatumGetDateADT(v[4]),
		!n[5] && !n[6], n[5] ? 0 : DatumGetFloat8(v[5]), n[6] ? 0 : DatumGetFloat8(v[6]));
}

/*
 * The households of "from_where" (over bmn.household h; $1 the year, $2 arg),
 * in household order when ordered (as a scan gathers them: the collector checks
 * number clusters in it).
 */
void
spots_load(Refresh *r, const char *from_where, Datum arg, Oid argtype, bool ordered)
{
	Oid			types[2] = {INT4OID, argtype};
	Datum		args[2] = {Int32GetDatum(r->year), arg};

	refresh_stream(psprintf("SELECT h.household_id, h.collector_id, h.village_code, h.lao_code,"
							" h.interview_date, h.latitude, h.longitude FROM %s%s", from_where,
							ordered ? " ORDER BY h.household_id" : ""),
				   2, types, args, 7, add_row, r);
}

/* A stable counting sort of idx[0 .. n-1] by key into out: O(n + nkeys). */
static void
counting_sort(const SpotSet *s, const int *idx, int64 n, SpotKeyFn key, int nkeys, int *out)
{
	int64	   *next = palloc_extended(sizeof(int64) * (nkeys + 1),
									 MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);

	for (int64 i = 0; i < n; i++)
		next[key(&s->rec[idx[i]]) + 1]++;
	for (int k = 0; k < nkeys; k++)
		next[k + 1] += next[k];
	for (int64 i = 0; i < n; i++)
		out[next[key(&s->rec[idx[i]])]++] = idx[i];
	pfree(next);
}

static int
part_key(const SpotRecord *rec)
{
	return rec->part;
}

/*
 * Counting sorts, where a comparison sort of a national round's records costs
 * seconds: first into household order (by part, stable), then by the key.
 */
int *
spots_group(const SpotSet *s, SpotKeyFn key, int nkeys, int *rank)
{
	int64		n = s->n;
	int			nparts = 1;
	int		   *added = palloc_extended(sizeof(int) * Max(n, 1), MCXT_ALLOC_HUGE);
	int		   *in_order = palloc_extended(sizeof(int) * Max(n, 1), MCXT_ALLOC_HUGE);
	int		   *out = palloc_extended(sizeof(int) * Max(n, 1), MCXT_ALLOC_HUGE);

	for (int64 i = 0; i < n; i++)
	{
		added[i] = (int) i;
		nparts = Max(nparts, s->rec[i].part + 1);
	}
	counting_sort(s, added, n, part_key, nparts, in_order);
	if (rank)
		for (int64 i = 0; i < n; i++)
			rank[in_order[i]] = (int) i;
	counting_sort(s, in_order, n, key, nkeys, out);
	pfree(added);
	pfree(in_order);
	return out;
}

/* The village (as text) of most of the given records; the smallest code on a tie. */
int
spots_majority_village(const SpotSet *s, const int *idx, int n, int *lao_out)
{
	int			best = 0,
				best_count = 0;

	for (int i = 0; i < n; i++)
	{
		int			v = s->rec[idx[i]].village;
		int			count = 0;

		for (int j = 0; j < n; j++)
			count += s->rec[idx[j]].village == v ? 1 : 0;
		if (count > best_count || (count == best_count && v < best))
		{
			best = v;
			best_count = count;
		}
	}
	/* the LAO of that village's first household among them */
	*lao_out = -1;
	for (int i = 0; i < n; i++)
		if (s->rec[idx[i]].village == best)
		{
			*lao_out = s->rec[idx[i]].lao;
			break;
		}
	return best;
}
