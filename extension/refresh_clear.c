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
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "refresh.h"

/*
 * The findings of the checks over many households are not simply dropped: they
 * come back at once as new, open findings, with the household's village, LAO
 * and collector as they are now, and the steps after the scan settle them
 * against what fires now. %s: which findings go.
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

typedef struct Found
{
	Refresh    *r;
	AttrNumber	check_att;
	AttrNumber	household_att;
	DatumList	settled;		/* households whose findings CLEAR_SQL settles */
} Found;

static bool
is_settled_check(Datum check)
{
	text	   *t = DatumGetTextPP(check);
	size_t		len = VARSIZE_ANY_EXHDR(t);

	for (int i = 0; i < (int) lengthof(settled_checks); i++)
		if (len == strlen(settled_checks[i]) &&
			memcmp(VARDATA_ANY(t), settled_checks[i], len) == 0)
			return true;
	return false;
}

static void
clear_found(KeyedTable *t, void *arg)
{
	Found	   *w = arg;
	bool		isnull;
	Datum		check = slot_getattr(t->row, w->check_att, &isnull);

	if (isnull || !is_settled_check(check))
		keyed_delete(t, &t->row->tts_tid);
	else
		datum_list_add(w->r, &w->settled, slot_getattr(t->row, w->household_att, &isnull));
}

static const char *const finding_key[] = {"survey_year", "household_id"};

/* The findings of n households (their IDs, text, best in key order) out. */
void
refresh_clear_findings(Refresh *r, const Datum *ids, int n)
{
	KeyedTable	t;
	Found		w = {0};
	Datum		key[2] = {Int32GetDatum(r->year), (Datum) 0};

	keyed_open_shared(&t, &r->findings.sink, finding_key, lengthof(finding_key));
	w.r = r;
	w.check_att = get_attnum(RelationGetRelid(r->findings.sink.rel), "check_code");
	w.household_att = get_attnum(RelationGetRelid(r->findings.sink.rel), "household_id");
	if (w.check_att == InvalidAttrNumber || w.household_att == InvalidAttrNumber)
		elog(ERROR, "bmn.finding has no check_code or household_id");
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		key[1] = ids[i];
		keyed_each(&t, key, clear_found, &w);
	}
	keyed_close(&t);
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
