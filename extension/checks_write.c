/*
 * checks_write.c: writing findings, and settling the findings of a check that was
 * run again over part of a round.
 *
 * Findings are written straight into the table in blocks, as scores are
 * (refresh_sink.c). When a step runs again over a scope (the villages, collectors,
 * tambons or national IDs a correction can change), it writes what fires now and
 * then settles: a finding equal to one already there (same check, same entity,
 * same values) gives way to the older one, which keeps its review; an older one
 * that did not fire again goes. A household resent in a batch has its own
 * findings deleted beforehand, so whatever still fires on it is open again.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "refresh.h"

/* the columns given; the others (finding_id, status, found_at) take their defaults */
static const char *const finding_columns[] = {
	"survey_year", "check_code", "entity", "village_code", "lao_code", "household_id",
	"member_no", "collector_id", "details"
};
#define N_FINDING_COLUMNS lengthof(finding_columns)

static const char *const entities[] = {"household", "member", "village", "collector"};

void
findings_begin(Refresh *r)
{
	FindingBuffer *b = &r->findings;

	table_sink_open(&b->sink, "finding", finding_columns, N_FINDING_COLUMNS, FLUSH_ROWS);
	b->cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh findings",
								   ALLOCSET_DEFAULT_SIZES);
	for (int c = 0; c < BMN_CHECK_COUNT; c++)
		b->check_text[c] = CStringGetTextDatum(bmn_check_names[c]);
	for (int e = 0; e < (int) lengthof(entities); e++)
		b->entity_text[e] = CStringGetTextDatum(entities[e]);
	initStringInfo(&b->details);
}

/*
 * Text values, (Datum) 0 for NULL, allocated in r->findings.cxt or longer-lived:
 * they are kept until the next findings_flush. details is JSON text.
 */
void
findings_add(Refresh *r, BmnCheckCode check, const char *entity, Datum village,
			 Datum lao, Datum household, int member_no, Datum collector,
			 const char *details)
{
	FindingBuffer *b = &r->findings;
	MemoryContext old = MemoryContextSwitchTo(b->cxt);
	Datum		v[N_FINDING_COLUMNS];
	bool		n[N_FINDING_COLUMNS] = {false};

	v[0] = Int32GetDatum(r->year);
	v[1] = b->check_text[check];
	v[2] = (Datum) 0;
	for (int e = 0; e < (int) lengthof(entities); e++)
		if (strcmp(entity, entities[e]) == 0)
			v[2] = b->entity_text[e];
	if (v[2] == (Datum) 0)
		elog(ERROR, "unknown finding entity \"%s\"", entity);
	v[3] = village;
	n[3] = village == (Datum) 0;
	v[4] = lao;
	n[4] = lao == (Datum) 0;
	v[5] = household;
	n[5] = household == (Datum) 0;
	v[6] = Int16GetDatum(member_no);
	n[6] = member_no <= 0;
	v[7] = collector;
	n[7] = collector == (Datum) 0;
	v[8] = DirectFunctionCall1(jsonb_in, CStringGetDatum(details));
	table_sink_add(&b->sink, v, n);
	MemoryContextSwitchTo(old);
	r->found++;
}

void
findings_flush(Refresh *r)
{
	table_sink_flush(&r->findings.sink);
	/* what the next statements read must see them */
	CommandCounterIncrement();
	MemoryContextReset(r->findings.cxt);
}

void
findings_end(Refresh *r)
{
	table_sink_close(&r->findings.sink);
	CommandCounterIncrement();
	MemoryContextDelete(r->findings.cxt);
}

/*
 * The highest finding_id of the round: what a step writes next comes after it.
 * Refreshes of one round do not overlap (bmn.refresh locks the round), so the
 * round's findings at or below it are the ones there before the step.
 */
int64
findings_boundary(Refresh *r)
{
	Oid			types[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(r->year)};
	bool		isnull;
	Datum		d;

	findings_flush(r);
	if (SPI_execute_with_args("SELECT coalesce(max(finding_id), 0) FROM bmn.finding"
							  " WHERE survey_year = $1", 1, types, args, NULL, false, 1)
		!= SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read the findings of the round");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return DatumGetInt64(d);
}

/*
 * Settle the findings of a scope (an SQL condition on f, with $2 its argument)
 * after a step wrote its findings past boundary: one grouped pass over the
 * scope's findings, keyed by everything that makes two findings the same.
 */
void
findings_settle(Refresh *r, int64 boundary, const char *scope, Datum scope_arg,
				Oid scope_type)
{
	Oid			types[3] = {INT4OID, scope_type, INT8OID};
	Datum		args[3] = {Int32GetDatum(r->year), scope_arg, Int64GetDatum(boundary)};
	char	   *sql;
	int			rc;

	findings_flush(r);
	sql = psprintf("WITH s AS ("
				   "  SELECT f.finding_id, f.finding_id > $3 AS is_new,"
				   "         (f.check_code, f.entity, f.village_code, f.household_id,"
				   "          f.member_no, f.collector_id, f.details) AS k"
				   "    FROM bmn.finding f WHERE f.survey_year = $1 AND (%s)),"
				   " g AS (SELECT k, bool_or(is_new) AS has_new, bool_or(NOT is_new) AS has_old"
				   "         FROM s GROUP BY k)"
				   " DELETE FROM bmn.finding f USING s JOIN g USING (k)"
				   "  WHERE f.finding_id = s.finding_id"
				   "    AND CASE WHEN s.is_new THEN g.has_old ELSE NOT g.has_new END",
				   scope);
	/* a scope without an argument gets NULL for $2 */
	rc = SPI_execute_with_args(sql, 3, types, args, scope_arg == (Datum) 0 ? " n " : NULL,
							   false, 0);
	if (rc != SPI_OK_DELETE)
		elog(ERROR, "refresh step failed (%s): %s", SPI_result_code_string(rc), sql);
}

/* ---- lists of Datums, for the scopes of a correction ---- */

void
datum_list_add(Refresh *r, DatumList *l, Datum v)
{
	MemoryContext old = MemoryContextSwitchTo(r->keep_cxt);

	if (l->n == l->capacity)
	{
		l->capacity = l->capacity ? l->capacity * 2 : 256;
		l->v = l->v ? repalloc(l->v, sizeof(Datum) * l->capacity) :
			palloc(sizeof(Datum) * l->capacity);
	}
	l->v[l->n++] = datumCopy(v, false, -1);
	MemoryContextSwitchTo(old);
}

ArrayType *
datum_list_text_array(const DatumList *l)
{
	return construct_array(l->v, l->n, TEXTOID, -1, false, TYPALIGN_INT);
}

/* ---- small utilities ---- */

Datum
cstring_text_datum(const char *s)
{
	return PointerGetDatum(cstring_to_text(s));
}

/* The value of len ASCII digits; false when there is anything else. */
int
digits_value(const char *s, int len, int64 *out)
{
	int64		v = 0;

	if (len <= 0 || len > 18)
		return false;
	for (int i = 0; i < len; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Run a step's statement; $1 is the year, the rest as given. */
void
refresh_run(const char *sql, int expected, int nargs, Oid *types, Datum *args)
{
	int			rc = SPI_execute_with_args(sql, nargs, types, args, NULL, false, 0);

	if (rc != expected)
		elog(ERROR, "refresh step failed (%s): %s", SPI_result_code_string(rc), sql);
}
