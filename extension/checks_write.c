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

#include "access/tupdesc.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "storage/lmgr.h"
#include "utils/hsearch.h"
#include "utils/tuplestore.h"
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

/*
 * The details as jsonb. Most findings of a round say the same few things (an age
 * over 80 is one of some forty): the jsonb of short details is kept by their text,
 * and parsed once.
 */
#define DETAILS_KEY 96
#define DETAILS_KEPT 8192

typedef struct DetailsEntry
{
	char		text[DETAILS_KEY];	/* key */
	Datum		jsonb;
} DetailsEntry;

static Datum
details_jsonb(FindingBuffer *b, const char *details)
{
	DetailsEntry *e;
	bool		found;

	if (strlen(details) >= DETAILS_KEY)
		return DirectFunctionCall1(jsonb_in, CStringGetDatum(details));
	if (b->details_kept == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = DETAILS_KEY;
		ctl.entrysize = sizeof(DetailsEntry);
		ctl.hcxt = b->keep_cxt;
		b->details_kept = hash_create("bmn finding details", 256, &ctl,
									  HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
	}
	e = hash_search(b->details_kept, details,
					hash_get_num_entries(b->details_kept) < DETAILS_KEPT ? HASH_ENTER : HASH_FIND,
					&found);
	if (e == NULL)
		return DirectFunctionCall1(jsonb_in, CStringGetDatum(details));
	if (!found)
	{
		MemoryContext old = MemoryContextSwitchTo(b->keep_cxt);

		e->jsonb = DirectFunctionCall1(jsonb_in, CStringGetDatum(details));
		MemoryContextSwitchTo(old);
	}
	return e->jsonb;
}

/*
 * A whole round's findings, about, a household (a seventh of them has one of
 * some 170 bytes, nationally): kept in shared buffers when that fits, as the
 * committees read them and the next correction's refresh deletes some.
 */
#define FINDING_BYTES	64

void
findings_begin(Refresh *r)
{
	FindingBuffer *b = &r->findings;

	table_sink_open(&b->sink, "finding", finding_columns, N_FINDING_COLUMNS, FLUSH_ROWS);
	if (r->round_households > 0)
		table_sink_keep_pages(&b->sink, r->round_households * FINDING_BYTES);
	b->cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh findings",
								   ALLOCSET_DEFAULT_SIZES);
	for (int c = 0; c < BMN_CHECK_COUNT; c++)
		b->check_text[c] = CStringGetTextDatum(bmn_check_names[c]);
	for (int e = 0; e < (int) lengthof(entities); e++)
		b->entity_text[e] = CStringGetTextDatum(entities[e]);
	initStringInfo(&b->details);
	b->keep_cxt = r->keep_cxt;
	b->details_kept = NULL;
}

/*
 * Findings during a parallel scan. In parallel mode nothing may take a sequence's
 * next value (finding_id) or start a command. So before it, a block of finding_ids
 * is reserved: the sequence is moved past it at once, under a lock that keeps
 * other sessions' nextval out meanwhile (and is not waited for: a session that
 * has used the sequence in its transaction holds it off, and then there is no
 * block). Findings get their ids from the block and are written as they come.
 * What does not fit (a block too small, details long enough to need TOAST,
 * which takes OIDs) waits in a tuplestore (on disk past work_mem) until the
 * workers are gone.
 */
enum
{
	D_CHECK, D_ENTITY, D_VILLAGE, D_LAO, D_HOUSEHOLD, D_MEMBER_NO, D_COLLECTOR, D_DETAILS,
	N_DEFERRED
};

#define NUMBERED_MAX_DETAILS 1024	/* longer details are deferred (TOAST) */

static void
reserve_ids(Refresh *r, int64 count)
{
	FindingBuffer *b = &r->findings;
	const char *columns[N_FINDING_COLUMNS + 1];
	Oid			seq;
	int64		first;
	bool		isnull;

	if (SPI_execute("SELECT pg_catalog.pg_get_serial_sequence('bmn.finding', 'finding_id')"
					"::pg_catalog.regclass::pg_catalog.oid", true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not find the sequence of bmn.finding");
	seq = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
										 &isnull));
	if (isnull || count <= 0 || !ConditionalLockRelationOid(seq, ExclusiveLock))
	{
		elog(DEBUG1, "bmn.refresh: no block of finding ids: the findings wait for the workers");
		return;
	}
	first = DatumGetInt64(DirectFunctionCall1(nextval_oid, ObjectIdGetDatum(seq)));
	(void) DirectFunctionCall2(setval_oid, ObjectIdGetDatum(seq),
							   Int64GetDatum(first + count - 1));
	UnlockRelationOid(seq, ExclusiveLock);
	b->next_id = first;
	b->last_id = first + count - 1;
	for (int i = 0; i < (int) N_FINDING_COLUMNS; i++)
		columns[i] = finding_columns[i];
	columns[N_FINDING_COLUMNS] = "finding_id";
	table_sink_open(&b->numbered, "finding", columns, N_FINDING_COLUMNS + 1, FLUSH_ROWS);
	if (r->round_households > 0)
		table_sink_keep_pages(&b->numbered, r->round_households * FINDING_BYTES);
}

void
findings_defer(Refresh *r, int64 expected)
{
	FindingBuffer *b = &r->findings;
	const Oid	types[N_DEFERRED] = {INT4OID, INT4OID, TEXTOID, TEXTOID, TEXTOID, INT4OID,
	TEXTOID, TEXTOID};
	MemoryContext old;
	TupleDesc	desc;

	reserve_ids(r, expected);
	old = MemoryContextSwitchTo(r->keep_cxt);
	desc = CreateTemplateTupleDesc(N_DEFERRED);

	findings_flush(r);
	for (int i = 0; i < N_DEFERRED; i++)
		TupleDescInitEntry(desc, i + 1, NULL, types[i], -1, 0);
	b->deferred_desc = desc;
	b->deferred = tuplestore_begin_heap(false, false, work_mem);
	MemoryContextSwitchTo(old);
}

static void
defer(FindingBuffer *b, BmnCheckCode check, const char *entity, Datum village, Datum lao,
	  Datum household, int member_no, Datum collector, const char *details)
{
	Datum		v[N_DEFERRED];
	bool		n[N_DEFERRED] = {false};
	int			e = 0;

	while (e < (int) lengthof(entities) && strcmp(entity, entities[e]) != 0)
		e++;
	if (e == (int) lengthof(entities))
		elog(ERROR, "unknown finding entity \"%s\"", entity);
	v[D_CHECK] = Int32GetDatum(check);
	v[D_ENTITY] = Int32GetDatum(e);
	v[D_VILLAGE] = village;
	n[D_VILLAGE] = village == (Datum) 0;
	v[D_LAO] = lao;
	n[D_LAO] = lao == (Datum) 0;
	v[D_HOUSEHOLD] = household;
	n[D_HOUSEHOLD] = household == (Datum) 0;
	v[D_MEMBER_NO] = Int32GetDatum(member_no);
	v[D_COLLECTOR] = collector;
	n[D_COLLECTOR] = collector == (Datum) 0;
	v[D_DETAILS] = CStringGetTextDatum(details);
	tuplestore_putvalues(b->deferred, b->deferred_desc, v, n);
}

/* The findings kept aside, written (out of parallel mode). */
void
findings_undefer(Refresh *r)
{
	FindingBuffer *b = &r->findings;
	Tuplestorestate *store = b->deferred;
	TupleTableSlot *slot = MakeSingleTupleTableSlot(b->deferred_desc, &TTSOpsMinimalTuple);

	b->deferred = NULL;
	if (b->next_id != 0)
	{
		table_sink_close(&b->numbered);
		b->next_id = b->last_id = 0;
	}
	while (tuplestore_gettupleslot(store, true, false, slot))
	{
		Datum	   *v;
		bool	   *n;
		MemoryContext old;

		slot_getallattrs(slot);
		v = slot->tts_values;
		n = slot->tts_isnull;
		if (b->sink.n == FLUSH_ROWS)
			findings_flush(r);
		old = MemoryContextSwitchTo(b->cxt);
		findings_add(r, (BmnCheckCode) DatumGetInt32(v[D_CHECK]),
					 entities[DatumGetInt32(v[D_ENTITY])],
					 n[D_VILLAGE] ? (Datum) 0 : datumCopy(v[D_VILLAGE], false, -1),
					 n[D_LAO] ? (Datum) 0 : datumCopy(v[D_LAO], false, -1),
					 n[D_HOUSEHOLD] ? (Datum) 0 : datumCopy(v[D_HOUSEHOLD], false, -1),
					 DatumGetInt32(v[D_MEMBER_NO]),
					 n[D_COLLECTOR] ? (Datum) 0 : datumCopy(v[D_COLLECTOR], false, -1),
					 TextDatumGetCString(v[D_DETAILS]));
		MemoryContextSwitchTo(old);
	}
	ExecDropSingleTupleTableSlot(slot);
	tuplestore_end(store);
	findings_flush(r);
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
	MemoryContext old;
	Datum		v[N_FINDING_COLUMNS + 1];
	bool		n[N_FINDING_COLUMNS + 1] = {false};
	bool		numbered = b->next_id != 0 && b->next_id <= b->last_id &&
		strlen(details) <= NUMBERED_MAX_DETAILS;

	if (b->deferred && !numbered)
	{
		defer(b, check, entity, village, lao, household, member_no, collector, details);
		return;
	}
	old = MemoryContextSwitchTo(b->cxt);
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
	v[8] = details_jsonb(b, details);
	if (numbered)
	{
		v[9] = Int64GetDatum(b->next_id++);
		table_sink_add(&b->numbered, v, n);
	}
	else
		table_sink_add(&b->sink, v, n);
	MemoryContextSwitchTo(old);
	r->found++;
}

/*
 * A finding given as its columns, in finding_columns' order (details as jsonb),
 * the values kept until the next findings_flush: one that comes back as it was
 * (refresh_clear.c). Not during a parallel scan, which corrections never are.
 */
void
findings_add_row(Refresh *r, const Datum *values, const bool *nulls)
{
	if (r->findings.deferred || r->findings.next_id != 0)
		elog(ERROR, "a finding cannot come back during a parallel scan");
	table_sink_add(&r->findings.sink, values, nulls);
}

void
findings_flush(Refresh *r)
{
	if (r->findings.next_id != 0)
		table_sink_flush(&r->findings.numbered);
	if (r->findings.deferred)
	{
		/* parallel mode: no command may start; the store has copies of its rows */
		MemoryContextReset(r->findings.cxt);
		return;
	}
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
 * The highest finding_id there is: what a step writes next comes after it (the
 * ids come from one sequence). Refreshes of one round do not overlap
 * (bmn.refresh locks the round), so the round's findings at or below it are the
 * ones there before the step. Taken over every round, it is one descent of the
 * primary key; the round's own highest was a read of every finding of the round.
 */
int64
findings_boundary(Refresh *r)
{
	bool		isnull;
	Datum		d;

	findings_flush(r);
	if (SPI_execute("SELECT coalesce(max(finding_id), 0) FROM bmn.finding", false, 1)
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

/* The one value (float8) of a query with $1 the year; 0 for NULL. */
double
refresh_query_double(const char *sql, int32 year)
{
	Datum		arg = Int32GetDatum(year);
	bool		isnull;
	Datum		d;

	if (SPI_execute_with_args(sql, 1, (Oid[]) {INT4OID}, &arg, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "refresh step failed: %s", sql);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return isnull ? 0 : DatumGetFloat8(d);
}

/* Run a step's statement; $1 is the year, the rest as given. */
void
refresh_run(const char *sql, int expected, int nargs, Oid *types, Datum *args)
{
	int			rc = SPI_execute_with_args(sql, nargs, types, args, NULL, false, 0);

	if (rc != expected)
		elog(ERROR, "refresh step failed (%s): %s", SPI_result_code_string(rc), sql);
}
