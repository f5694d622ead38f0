/*
 * refresh_write.c: scoring and checking one household, and writing the results in
 * blocks: each block is one INSERT ... SELECT FROM unnest(arrays), so the executor
 * sees a few statements rather than a row at a time.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "refresh.h"

static void
buffer_init(OutBuffer *b, int ncols, int capacity)
{
	b->n = 0;
	b->capacity = capacity;
	for (int c = 0; c < ncols; c++)
	{
		b->cols[c] = palloc(sizeof(Datum) * capacity);
		b->nulls[c] = palloc0(sizeof(bool) * capacity);
	}
}

static ArrayType *
make_array(OutBuffer *b, int col, Oid elemtype)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	int			dims[1] = {b->n};
	int			lbs[1] = {1};

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	return construct_md_array(b->cols[col], b->nulls[col], 1, dims, lbs,
							  elemtype, typlen, typbyval, typalign);
}

static void
flush(Refresh *r)
{
	if (r->scores.n > 0)
	{
		Datum		args[6];

		args[0] = Int32GetDatum(r->year);
		args[1] = PointerGetDatum(make_array(&r->scores, 0, TEXTOID));
		args[2] = PointerGetDatum(make_array(&r->scores, 1, TEXTOID));
		args[3] = PointerGetDatum(make_array(&r->scores, 2, TEXTOID));
		args[4] = PointerGetDatum(make_array(&r->scores, 3, INT8OID));
		args[5] = PointerGetDatum(make_array(&r->scores, 4, r->score_type));
		if (SPI_execute_plan(r->insert_scores, args, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not store scores");
		r->scores.n = 0;
	}
	if (r->findings.n > 0)
	{
		Datum		args[7];

		args[0] = Int32GetDatum(r->year);
		for (int c = 0; c < 6; c++)
			args[c + 1] = PointerGetDatum(make_array(&r->findings, c,
													 c == 3 ? INT2OID : TEXTOID));
		if (SPI_execute_plan(r->insert_findings, args, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not store findings");
		r->findings.n = 0;
	}
	MemoryContextReset(r->buffer_cxt);
}

void
refresh_writer_begin(Refresh *r)
{
	Oid			score_types[6] = {INT4OID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	INT8ARRAYOID, InvalidOid};
	Oid			finding_types[7] = {INT4OID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	INT2ARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
	bool		isnull;

	if (SPI_execute("SELECT 'bmn.score'::pg_catalog.regtype::pg_catalog.oid", true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "type bmn.score not found");
	r->score_type = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
												   SPI_tuptable->tupdesc, 1, &isnull));
	score_types[5] = get_array_type(r->score_type);
	r->insert_scores = SPI_prepare(
								   "INSERT INTO bmn.household_score"
								   " (survey_year, household_id, village_code, lao_code, batch_id, score)"
								   " SELECT $1, u.h, u.v, u.l, u.b, u.s"
								   " FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3),"
								   " pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6))"
								   " AS u(h, v, l, b, s)",
								   6, score_types);
	r->insert_findings = SPI_prepare(
									 "INSERT INTO bmn.finding"
									 " (survey_year, check_code, entity, village_code, household_id,"
									 "  member_no, collector_id, details)"
									 " SELECT $1, u.c, CASE WHEN u.m IS NULL THEN 'household' ELSE 'member' END,"
									 "  u.v, u.h, u.m, u.k, u.d::jsonb"
									 " FROM ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3),"
									 " pg_catalog.unnest($4), pg_catalog.unnest($5), pg_catalog.unnest($6),"
									 " pg_catalog.unnest($7)) AS u(c, v, h, m, k, d)",
									 7, finding_types);
	if (r->insert_scores == NULL || r->insert_findings == NULL)
		elog(ERROR, "could not prepare the refresh statements: %s",
			 SPI_result_code_string(SPI_result));
	r->buffer_cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh output",
										  ALLOCSET_DEFAULT_SIZES);
	buffer_init(&r->scores, 5, FLUSH_ROWS);
	/* room for one more household's findings, so that a household never splits */
	buffer_init(&r->findings, 6, FLUSH_ROWS + BMN_MAX_FINDINGS);
}

void
refresh_writer_end(Refresh *r)
{
	flush(r);
	SPI_freeplan(r->insert_scores);
	SPI_freeplan(r->insert_findings);
}

/* Baht from satang, as a JSON number. */
static void
append_baht(StringInfo buf, int64 satang)
{
	if (satang % 100 == 0)
		appendStringInfo(buf, INT64_FORMAT, satang / 100);
	else
		appendStringInfo(buf, INT64_FORMAT ".%02d", satang / 100, (int) (satang % 100));
}

static char *
finding_details(const BmnFinding *f, int persons, int64 income_satang)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"income_avg\": ");
	append_baht(&buf, f->value_satang);
	appendStringInfo(&buf, ", \"income_total\": ");
	append_baht(&buf, income_satang);
	appendStringInfo(&buf, ", \"persons\": %d", persons);
	if (f->check == BMN_CHECK_INCOME_LOW)
	{
		appendStringInfoString(&buf, ", \"income_threshold\": ");
		append_baht(&buf, f->limit_satang);
	}
	else if (f->check == BMN_CHECK_INCOME_HIGH)
	{
		appendStringInfoString(&buf, ", \"income_high\": ");
		append_baht(&buf, f->limit_satang);
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

static Datum
copy_text(text *t)
{
	return datumCopy(PointerGetDatum(t), false, -1);
}

void
refresh_add_household(Refresh *r, const HouseholdRow *h,
					  const BmnMemberFacts *members, int n_members)
{
	MemoryContext old;
	BmnScore   *score;
	BmnFinding	found[BMN_MAX_FINDINGS];
	int			n_found;
	OutBuffer  *s = &r->scores;
	OutBuffer  *f = &r->findings;
	Datum		hid,
				village;

	if (s->n == s->capacity || f->n + BMN_MAX_FINDINGS > f->capacity)
		flush(r);
	old = MemoryContextSwitchTo(r->buffer_cxt);
	score = palloc(sizeof(BmnScore));
	bmn_score_household(&r->rules, &h->facts, members, n_members, score);
	hid = copy_text(h->household_id);
	village = copy_text(h->village_code);

	s->cols[0][s->n] = hid;
	s->cols[1][s->n] = village;
	s->nulls[2][s->n] = h->lao_code == NULL;
	s->cols[2][s->n] = h->lao_code ? copy_text(h->lao_code) : (Datum) 0;
	s->cols[3][s->n] = Int64GetDatum(h->batch_id);
	s->cols[4][s->n] = PointerGetDatum(score);
	s->n++;
	r->households++;

	n_found = Min(bmn_check_household(&r->settings, &h->facts, members, n_members,
									  found, BMN_MAX_FINDINGS), BMN_MAX_FINDINGS);
	for (int i = 0; i < n_found; i++)
	{
		f->cols[0][f->n] = CStringGetTextDatum(bmn_check_names[found[i].check]);
		f->cols[1][f->n] = village;
		f->cols[2][f->n] = hid;
		f->nulls[3][f->n] = found[i].member_no == 0;
		f->cols[3][f->n] = Int16GetDatum(found[i].member_no);
		f->nulls[4][f->n] = h->collector_id == NULL;
		f->cols[4][f->n] = h->collector_id ? copy_text(h->collector_id) : (Datum) 0;
		f->cols[5][f->n] = CStringGetTextDatum(finding_details(&found[i], n_members,
															   h->facts.income_satang));
		f->n++;
		r->found++;
	}
	MemoryContextSwitchTo(old);
}
