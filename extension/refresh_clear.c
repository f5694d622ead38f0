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

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "refresh.h"

/*
 * The findings of the checks over many households are not simply dropped: they
 * come back at once as new, open findings, with the household's village, LAO
 * and collector as they are now, and the steps after the scan settle them
 * against what fires now. %s: which findings go. When the households' rows are
 * in memory, the same is done here without the statement (bring_back).
 */
#define CLEAR_SQL \
	"WITH gone AS (DELETE FROM bmn.finding f WHERE %s RETURNING f.*)" \
	" INSERT INTO bmn.finding (survey_year, check_code, entity, village_code, lao_code," \
	"   household_id, member_no, collector_id, details)" \
	" SELECT g.survey_year, g.check_code, g.entity, h.village_code, h.lao_code," \
	"        g.household_id, g.member_no, h.collector_id, g.details" \
	"   FROM gone g JOIN bmn.household h" \
	"     ON h.survey_year = g.survey_year AND h.household_id = g.household_id" \
	"  WHERE g.check_code = 'NATIONAL_ID_DUPLICATE'" \
	"     OR (g.check_code = 'GPS_OUT_OF_AREA' AND g.details->>'reason' = 'far_from_tambon')" \
	"  ORDER BY g.finding_id"

/* The checks whose findings CLEAR_SQL may bring back: left to it by the lookups. */
static const char *const settled_checks[] = {"NATIONAL_ID_DUPLICATE", "GPS_OUT_OF_AREA"};

static void
run_clear(const char *where, int nargs, Oid *types, Datum *args)
{
	int			rc = refresh_run_keyed(psprintf(CLEAR_SQL, where), nargs, types, args);

	if (rc != SPI_OK_INSERT)
		elog(ERROR, "could not clear the findings of the changed households (%s)",
			 SPI_result_code_string(rc));
}

/* A finding coming back as new, as CLEAR_SQL brings it back. */
typedef struct Returning
{
	int64		finding_id;		/* the old one: they come back in its order */
	int			household;		/* of the households cleared */
	Datum		check;
	Datum		entity;
	Datum		details;
	int			member_no;		/* 0: none */
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
	/* the households' rows as read (NULL: not in memory, CLEAR_SQL settles) */
	const HouseholdRow *households;
	int			current;		/* the household looked up */
	DatumList	settled;		/* households whose findings CLEAR_SQL settles */
	Returning  *back;			/* what comes back, when the rows are in memory */
	int			nback;
	int			capback;
} Found;

static bool
text_is(Datum value, const char *s)
{
	text	   *t = DatumGetTextPP(value);

	return VARSIZE_ANY_EXHDR(t) == strlen(s) && memcmp(VARDATA_ANY(t), s, strlen(s)) == 0;
}

static bool
is_settled_check(Datum check)
{
	for (int i = 0; i < (int) lengthof(settled_checks); i++)
		if (text_is(check, settled_checks[i]))
			return true;
	return false;
}

/* What CLEAR_SQL's WHERE brings back: every duplicate ID, GPS far from its tambon. */
static bool
comes_back(Datum check, Datum details)
{
	Jsonb	   *j;
	JsonbValue *reason;

	if (text_is(check, "NATIONAL_ID_DUPLICATE"))
		return true;
	if (!text_is(check, "GPS_OUT_OF_AREA"))
		return false;
	j = DatumGetJsonbP(details);
	reason = JB_ROOT_IS_OBJECT(j) ?
		getKeyJsonValueFromContainer(&j->root, "reason", strlen("reason"), NULL) : NULL;
	return reason != NULL && reason->type == jbvString &&
		reason->val.string.len == (int) strlen("far_from_tambon") &&
		memcmp(reason->val.string.val, "far_from_tambon", reason->val.string.len) == 0;
}

/* A finding of a settled check, when the households are in memory: kept, and out. */
static void
keep_returning(Found *w, KeyedTable *t, const Datum *v, const bool *isnull)
{
	MemoryContext old;
	Returning  *b;

	if (isnull[F_DETAILS] || isnull[F_ID] || isnull[F_ENTITY] ||
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
	b->member_no = isnull[F_MEMBER_NO] ? 0 : DatumGetInt16(v[F_MEMBER_NO]);
	MemoryContextSwitchTo(old);
	keyed_delete(t, &t->row->tts_tid);
}

static void
clear_found(KeyedTable *t, void *arg)
{
	Found	   *w = arg;
	Datum		v[N_FOUND_COLUMNS];
	bool		isnull[N_FOUND_COLUMNS];

	for (int c = 0; c < N_FOUND_COLUMNS; c++)
		v[c] = slot_getattr(t->row, w->att[c], &isnull[c]);
	if (isnull[F_CHECK] || !is_settled_check(v[F_CHECK]))
		keyed_delete(t, &t->row->tts_tid);
	else if (w->households != NULL)
		keep_returning(w, t, v, isnull);
	else
		datum_list_add(w->r, &w->settled, v[F_HOUSEHOLD]);
}

static int
by_finding_id(const void *a, const void *b)
{
	int64		x = ((const Returning *) a)->finding_id;
	int64		y = ((const Returning *) b)->finding_id;

	return x < y ? -1 : x > y;
}

/* The findings kept by keep_returning back as new, open, with their household as it is now. */
static void
bring_back(Found *w)
{
	Refresh    *r = w->r;

	qsort(w->back, w->nback, sizeof(Returning), by_finding_id);
	for (int i = 0; i < w->nback; i++)
	{
		const Returning *b = &w->back[i];
		const HouseholdRow *h = &w->households[b->household];
		Datum		v[9];
		bool		n[9] = {false};

		v[0] = Int32GetDatum(r->year);
		v[1] = b->check;
		v[2] = b->entity;
		v[3] = PointerGetDatum(h->village_code);
		v[4] = PointerGetDatum(h->lao_code);
		n[4] = h->lao_code == NULL;
		v[5] = PointerGetDatum(h->household_id);
		v[6] = Int16GetDatum(b->member_no);
		n[6] = b->member_no == 0;
		v[7] = PointerGetDatum(h->collector_id);
		n[7] = h->collector_id == NULL;
		v[8] = b->details;
		findings_add_row(r, v, n);
	}
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
	Oid			relid = RelationGetRelid(r->findings.sink.rel);

	keyed_open_shared(&t, &r->findings.sink, finding_key, lengthof(finding_key));
	w.r = r;
	w.households = households;
	for (int c = 0; c < N_FOUND_COLUMNS; c++)
		if ((w.att[c] = get_attnum(relid, found_columns[c])) == InvalidAttrNumber)
			elog(ERROR, "bmn.finding has no %s", found_columns[c]);
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
		bring_back(&w);
		/* written now, as the statement would: they point into the rows read */
		findings_flush(r);
	}
	if (w.settled.n > 0)
	{
		Datum		checks[lengthof(settled_checks)];

		for (int i = 0; i < (int) lengthof(settled_checks); i++)
			checks[i] = CStringGetTextDatum(settled_checks[i]);
		run_clear("f.survey_year = $1 AND f.household_id = ANY ($2) AND f.check_code = ANY ($3)",
				  3, (Oid[]) {INT4OID, TEXTARRAYOID, TEXTARRAYOID},
				  (Datum[]) {Int32GetDatum(r->year),
							 PointerGetDatum(datum_list_text_array(&w.settled)),
							 PointerGetDatum(construct_array(checks, lengthof(checks), TEXTOID,
															 -1, false, TYPALIGN_INT))});
	}
}
