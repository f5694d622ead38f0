/*
 * refresh.c: bmn.refresh(year), scoring households and running the household and
 * member checks of a survey round.
 *
 * Households and members are read by two cursors, both ordered by household_id
 * (COLLATE "C", so the primary keys give the order and bytes compare as the server
 * sorts), and merged here: one pass over each table, no grouping in the executor.
 * Results are written in blocks through INSERT ... SELECT FROM unnest(arrays).
 *
 * Incremental: a batch is refreshed once (bmn.batch.refreshed_at); a refresh redoes
 * the households of the batches loaded since. A household resent in a later batch
 * carries that batch's id, so its new version is picked up and its old score and
 * findings replaced. Until a round has been refreshed once, or after its settings
 * change, the whole round is redone.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "rules.h"
#include "score.h"

PG_FUNCTION_INFO_V1(bmn_refresh);

#define N_ANSWERS	38			/* columns ind_01 .. ind_38 */
#define FETCH_ROWS	2000
#define FLUSH_ROWS	10000

/* Household cursor columns. */
enum
{
	H_ID, H_VILLAGE, H_LAO, H_BATCH, H_COLLECTOR, H_INTERVIEW, H_INCOME, H_IND0, H_NCOLS = H_IND0 + N_ANSWERS
};

/* Member cursor columns. */
enum
{
	M_HH, M_NO, M_BIRTH, M_THAI, M_RELATION, M_EDUCATION, M_IN_SCHOOL, M_LITERATE,
	M_OCCUPATION, M_INCOME, M_HEALTH, M_SELF_CARE, M_WELFARE, M_IND0, M_NCOLS = M_IND0 + N_ANSWERS
};

typedef struct OutBuffer
{
	int			n;
	Datum	   *cols[6];
	bool	   *nulls[6];
} OutBuffer;

typedef struct Refresh
{
	int32		year;
	BmnRuleSet	rules;
	BmnCheckSettings settings;
	Oid			score_array_type;
	SPIPlanPtr	insert_scores;
	SPIPlanPtr	insert_findings;
	MemoryContext buffer_cxt;	/* what the output buffers point into */
	OutBuffer	scores;			/* household_id, village, lao, batch, score */
	OutBuffer	findings;		/* check, village, household_id, member_no, collector, details */
	int64		households;
	int64		found;
} Refresh;

/* ---- reading the round --------------------------------------------------------- */

static int64
getarg_int64_or(HeapTuple tup, TupleDesc desc, int col, int64 dflt, bool *isnull_out)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	if (isnull_out)
		*isnull_out = isnull;
	return isnull ? dflt : DatumGetInt64(d);
}

/* Money settings as whole satang; NULL when missing or not a plain number. */
#define SATANG_SQL(expr) \
	"CASE WHEN (" expr ") ~ '^[0-9]{1,12}(\\.[0-9]+)?$' " \
	"THEN round((" expr ")::numeric * 100)::int8 END"

static void
load_round(Refresh *r)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(r->year)};
	HeapTuple	tup;
	TupleDesc	desc;
	bool		isnull;

	if (SPI_execute_with_args(
							  "SELECT " SATANG_SQL("settings->>'income_threshold'") ", "
							  SATANG_SQL("settings->>'income_high'")
							  " FROM bmn.survey_round WHERE survey_year = $1 FOR UPDATE",
							  1, argtypes, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the survey round");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("survey round %d does not exist", r->year),
				 errhint("Load the round's survey export, or create it with bmn.create_round(%d).",
						 r->year)));
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	r->settings.income_threshold_satang = getarg_int64_or(tup, desc, 1, 0, &isnull);
	r->settings.has_income_threshold = !isnull;
	r->settings.income_high_satang = getarg_int64_or(tup, desc, 2, 0, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survey round %d has no valid income_high setting", r->year),
				 errhint("Set it with bmn.set_round_settings(%d, '{\"income_high\": 1000000}').",
						 r->year)));
	if (!r->settings.has_income_threshold)
		ereport(NOTICE,
				(errmsg("survey round %d has no income_threshold: the income indicator and INCOME_LOW are not evaluated",
						r->year),
				 errhint("Set it with bmn.set_round_settings(%d, '{\"income_threshold\": 38000}').",
						 r->year)));
}

static BmnRuleKind
rule_kind(const char *name)
{
	static const char *const names[BMN_RULE_COUNT] = {
		[BMN_RULE_ANSWERED] = "answered",
		[BMN_RULE_AGE_IN_SCHOOL] = "age_in_school",
		[BMN_RULE_AGE_LITERATE] = "age_literate",
		[BMN_RULE_AGE_WORKING] = "age_working",
		[BMN_RULE_INCOME_AVG] = "income_avg",
		[BMN_RULE_WELFARE_REACH] = "welfare_reach",
		[BMN_RULE_ANSWERED_IF_PRESENT] = "answered_if_present",
	};

	for (int k = 0; k < BMN_RULE_COUNT; k++)
		if (strcmp(names[k], name) == 0)
			return (BmnRuleKind) k;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown indicator rule \"%s\"", name)));
	return BMN_RULE_COUNT;		/* not reached */
}

static BmnGroup
rule_group(const char *name, int indicator_no)
{
	if (name == NULL)
		return BMN_GROUP_NONE;
	if (strcmp(name, "children_0_6") == 0)
		return BMN_GROUP_CHILDREN_0_6;
	if (strcmp(name, "elderly") == 0)
		return BMN_GROUP_ELDERLY;
	if (strcmp(name, "disabled") == 0)
		return BMN_GROUP_DISABLED;
	if (strcmp(name, "chronically_ill") == 0)
		return BMN_GROUP_CHRONICALLY_ILL;
	if (strcmp(name, "bedridden") == 0)
		return BMN_GROUP_BEDRIDDEN;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("indicator %d names an unknown group \"%s\"", indicator_no, name),
			 errhint("Groups are children_0_6, elderly, disabled, chronically_ill and bedridden.")));
	return BMN_GROUP_NONE;		/* not reached */
}

static void
load_rules(Refresh *r)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(r->year)};
	TupleDesc	desc;

	if (SPI_execute_with_args(
							  "SELECT i.indicator_no, i.level = 'member', i.rule,"
							  " (i.params->>'min_age')::int, (i.params->>'max_age')::int,"
							  " " SATANG_SQL("s.v") ", s.v, i.params->>'group'"
							  " FROM bmn.survey_round r"
							  " JOIN bmn.indicator i ON i.set_code = r.set_code"
							  " CROSS JOIN LATERAL (SELECT coalesce(i.params->>'min', i.params->>'max',"
							  "        i.params->>'max_income') AS raw) p"
							  " CROSS JOIN LATERAL (SELECT CASE WHEN p.raw LIKE '$%'"
							  "        THEN r.settings->>substr(p.raw, 2) ELSE p.raw END AS v) s"
							  " WHERE r.survey_year = $1 ORDER BY i.indicator_no",
							  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the indicator set");
	desc = SPI_tuptable->tupdesc;
	memset(&r->rules, 0, sizeof r->rules);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		BmnIndicatorRule rule;
		bool		isnull;
		const char *problem;
		char	   *kind = SPI_getvalue(tup, desc, 3);

		memset(&rule, 0, sizeof rule);
		rule.indicator_no = DatumGetInt32(SPI_getbinval(tup, desc, 1, &isnull));
		rule.member_level = DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull));
		rule.kind = rule_kind(kind);
		rule.min_age = DatumGetInt32(SPI_getbinval(tup, desc, 4, &isnull));
		if (isnull)
			rule.min_age = 0;
		rule.max_age = DatumGetInt32(SPI_getbinval(tup, desc, 5, &isnull));
		if (isnull)
			rule.max_age = BMN_NONE;
		rule.amount_satang = getarg_int64_or(tup, desc, 6, 0, &isnull);
		rule.has_amount = !isnull;
		rule.group = rule_group(SPI_getvalue(tup, desc, 8), rule.indicator_no);
		if (rule.kind == BMN_RULE_ANSWERED_IF_PRESENT && rule.group == BMN_GROUP_NONE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("indicator %d uses answered_if_present without a group",
							rule.indicator_no)));
		if ((rule.kind == BMN_RULE_INCOME_AVG || rule.kind == BMN_RULE_WELFARE_REACH) &&
			!rule.has_amount && SPI_getvalue(tup, desc, 7) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("indicator %d has an amount that is not a number: \"%s\"",
							rule.indicator_no, SPI_getvalue(tup, desc, 7))));
		problem = bmn_ruleset_add(&r->rules, &rule);
		if (problem != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("indicator %d cannot be scored: %s", rule.indicator_no, problem)));
	}
}

/* ---- writing results ------------------------------------------------------------ */

static void
buffer_init(OutBuffer *b, int ncols)
{
	b->n = 0;
	for (int c = 0; c < ncols; c++)
	{
		b->cols[c] = palloc(sizeof(Datum) * FLUSH_ROWS);
		b->nulls[c] = palloc0(sizeof(bool) * FLUSH_ROWS);
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
		args[5] = PointerGetDatum(make_array(&r->scores, 4,
											 get_element_type(r->score_array_type)));
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

static void
prepare_writers(Refresh *r)
{
	Oid			score_types[6] = {INT4OID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	INT8ARRAYOID, InvalidOid};
	Oid			finding_types[7] = {INT4OID, TEXTARRAYOID, TEXTARRAYOID, TEXTARRAYOID,
	INT2ARRAYOID, TEXTARRAYOID, TEXTARRAYOID};
	bool		isnull;

	if (SPI_execute("SELECT 'bmn.score[]'::pg_catalog.regtype::pg_catalog.oid", true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "type bmn.score[] not found");
	r->score_array_type = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0],
														 SPI_tuptable->tupdesc, 1, &isnull));
	score_types[5] = r->score_array_type;
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
	SPI_keepplan(r->insert_scores);
	SPI_keepplan(r->insert_findings);
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

/* ---- the merge of households and members --------------------------------------- */

static uint64_t
answers(const Datum *values, const bool *nulls, int first, uint64_t *passed)
{
	uint64_t	given = 0;

	*passed = 0;
	for (int i = 0; i < N_ANSWERS; i++)
	{
		if (nulls[first + i])
			continue;
		given |= bmn_bit(i + 1);
		if (DatumGetBool(values[first + i]))
			*passed |= bmn_bit(i + 1);
	}
	return given;
}

static int
small_or_none(const Datum *values, const bool *nulls, int col)
{
	return nulls[col] ? BMN_NONE : DatumGetInt16(values[col]);
}

static int
bool_or_none(const Datum *values, const bool *nulls, int col)
{
	return nulls[col] ? BMN_NONE : (DatumGetBool(values[col]) ? 1 : 0);
}

static void
member_facts(const Datum *v, const bool *n, int iy, int im, int id, BmnMemberFacts *m)
{
	int			by,
				bm,
				bd;

	m->member_no = DatumGetInt16(v[M_NO]);
	j2date(DatumGetDateADT(v[M_BIRTH]) + POSTGRES_EPOCH_JDATE, &by, &bm, &bd);
	m->age = bmn_age_years(by, bm, bd, iy, im, id);
	m->thai = !n[M_THAI] && DatumGetBool(v[M_THAI]);
	m->relation = small_or_none(v, n, M_RELATION);
	m->education = small_or_none(v, n, M_EDUCATION);
	m->in_school = bool_or_none(v, n, M_IN_SCHOOL);
	m->literate = bool_or_none(v, n, M_LITERATE);
	m->occupation = small_or_none(v, n, M_OCCUPATION);
	m->income_satang = n[M_INCOME] ? -1 : DatumGetInt64(v[M_INCOME]);
	m->health_status = small_or_none(v, n, M_HEALTH);
	m->self_care = bool_or_none(v, n, M_SELF_CARE);
	m->welfare_card = bool_or_none(v, n, M_WELFARE);
	m->answered = answers(v, n, M_IND0, &m->answer_passed);
}

/* Compare two household_id datums byte-wise (their collation is "C"). */
static int
key_cmp(Datum a, Datum b)
{
	text	   *ta = DatumGetTextPP(a);
	text	   *tb = DatumGetTextPP(b);
	int			la = VARSIZE_ANY_EXHDR(ta);
	int			lb = VARSIZE_ANY_EXHDR(tb);
	int			c = memcmp(VARDATA_ANY(ta), VARDATA_ANY(tb), Min(la, lb));

	return c != 0 ? c : (la > lb) - (la < lb);
}

static void
add_household(Refresh *r, const Datum *hv, const bool *hn,
			  const BmnMemberFacts *members, int n_members)
{
	MemoryContext old = MemoryContextSwitchTo(r->buffer_cxt);
	BmnHouseholdFacts hh;
	BmnScore   *score = palloc(sizeof(BmnScore));
	BmnFinding	found[BMN_MAX_FINDINGS];
	int			n_found;
	OutBuffer  *s = &r->scores;
	Datum		hid = PointerGetDatum(DatumGetTextPCopy(hv[H_ID]));
	Datum		village = PointerGetDatum(DatumGetTextPCopy(hv[H_VILLAGE]));

	hh.income_satang = hn[H_INCOME] ? 0 : DatumGetInt64(hv[H_INCOME]);
	hh.answered = answers(hv, hn, H_IND0, &hh.answer_passed);
	bmn_score_household(&r->rules, &hh, members, n_members, score);

	s->cols[0][s->n] = hid;
	s->cols[1][s->n] = village;
	s->nulls[2][s->n] = hn[H_LAO];
	s->cols[2][s->n] = hn[H_LAO] ? (Datum) 0 : PointerGetDatum(DatumGetTextPCopy(hv[H_LAO]));
	s->cols[3][s->n] = hv[H_BATCH];
	s->cols[4][s->n] = PointerGetDatum(score);
	s->n++;
	r->households++;

	n_found = bmn_check_household(&r->settings, &hh, members, n_members,
								  found, BMN_MAX_FINDINGS);
	for (int i = 0; i < Min(n_found, BMN_MAX_FINDINGS); i++)
	{
		OutBuffer  *f = &r->findings;

		if (f->n == FLUSH_ROWS)
		{
			MemoryContextSwitchTo(old);
			flush(r);
			MemoryContextSwitchTo(r->buffer_cxt);
			/* the flush released what hid and village pointed to */
			hid = PointerGetDatum(DatumGetTextPCopy(hv[H_ID]));
			village = PointerGetDatum(DatumGetTextPCopy(hv[H_VILLAGE]));
		}
		f->cols[0][f->n] = CStringGetTextDatum(bmn_check_names[found[i].check]);
		f->cols[1][f->n] = village;
		f->cols[2][f->n] = hid;
		f->nulls[3][f->n] = found[i].member_no == 0;
		f->cols[3][f->n] = Int16GetDatum(found[i].member_no);
		f->nulls[4][f->n] = hn[H_COLLECTOR];
		f->cols[4][f->n] = hn[H_COLLECTOR] ? (Datum) 0 :
			PointerGetDatum(DatumGetTextPCopy(hv[H_COLLECTOR]));
		f->cols[5][f->n] = CStringGetTextDatum(finding_details(&found[i], n_members,
															   hh.income_satang));
		f->n++;
		r->found++;
	}
	MemoryContextSwitchTo(old);
	if (r->scores.n == FLUSH_ROWS)
		flush(r);
}

static char *
answer_columns(const char *alias)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 1; i <= N_ANSWERS; i++)
		appendStringInfo(&buf, ", %s.ind_%02d", alias, i);
	return buf.data;
}

static void
score_households(Refresh *r, ArrayType *batches)
{
	Oid			argtypes[2] = {INT4OID, INT8ARRAYOID};
	Datum		args[2] = {Int32GetDatum(r->year), PointerGetDatum(batches)};
	const char *filter = batches ? " AND x.batch_id = ANY ($2)" : "";
	StringInfoData hsql,
				msql;
	Portal		hcur,
				mcur;
	SPITupleTable *mtab = NULL;
	uint64		m_rows = 0,
				m_next = 0;
	bool		m_done = false;
	int			capacity = 64;
	BmnMemberFacts *members = palloc(sizeof(BmnMemberFacts) * capacity);
	Datum		hv[H_NCOLS],
				mv[M_NCOLS];
	bool		hn[H_NCOLS],
				mn[M_NCOLS];

	initStringInfo(&hsql);
	appendStringInfo(&hsql,
					 "SELECT x.household_id, x.village_code, x.lao_code, x.batch_id, x.collector_id,"
					 " x.interview_date, ((x.income_main + x.income_secondary + x.income_other"
					 " + x.income_own_production) * 100)::int8%s"
					 " FROM bmn.household x WHERE x.survey_year = $1%s ORDER BY x.household_id",
					 answer_columns("x"), filter);
	initStringInfo(&msql);
	appendStringInfo(&msql,
					 "SELECT x.household_id, x.member_no, x.birth_date, x.nationality = 'TH',"
					 " x.relation, x.education, x.in_school, x.literate, x.occupation,"
					 " (x.income * 100)::int8, x.health_status, x.self_care, x.welfare_card%s"
					 " FROM bmn.member x WHERE x.survey_year = $1%s"
					 " ORDER BY x.household_id, x.member_no",
					 answer_columns("x"), filter);
	hcur = SPI_cursor_open_with_args("bmn_refresh_households", hsql.data,
									 batches ? 2 : 1, argtypes, args, NULL, true, 0);
	mcur = SPI_cursor_open_with_args("bmn_refresh_members", msql.data,
									 batches ? 2 : 1, argtypes, args, NULL, true, 0);
	for (;;)
	{
		SPITupleTable *htab;
		uint64		h_rows;

		SPI_cursor_fetch(hcur, true, FETCH_ROWS);
		htab = SPI_tuptable;
		h_rows = SPI_processed;
		if (h_rows == 0)
			break;
		for (uint64 hi = 0; hi < h_rows; hi++)
		{
			int			n_members = 0,
						iy,
						im,
						id;

			CHECK_FOR_INTERRUPTS();
			heap_deform_tuple(htab->vals[hi], htab->tupdesc, hv, hn);
			j2date(DatumGetDateADT(hv[H_INTERVIEW]) + POSTGRES_EPOCH_JDATE, &iy, &im, &id);
			for (;;)
			{
				int			c;

				if (m_next == m_rows)
				{
					if (m_done)
						break;
					if (mtab)
						SPI_freetuptable(mtab);
					SPI_cursor_fetch(mcur, true, FETCH_ROWS);
					mtab = SPI_tuptable;
					m_rows = SPI_processed;
					m_next = 0;
					if (m_rows == 0)
					{
						m_done = true;
						break;
					}
				}
				heap_deform_tuple(mtab->vals[m_next], mtab->tupdesc, mv, mn);
				c = key_cmp(mv[M_HH], hv[H_ID]);
				if (c > 0)
					break;
				m_next++;
				if (c < 0)
					continue;	/* a member without its household: the loader prevents it */
				if (n_members == capacity)
				{
					capacity *= 2;
					members = repalloc(members, sizeof(BmnMemberFacts) * capacity);
				}
				member_facts(mv, mn, iy, im, id, &members[n_members++]);
			}
			add_household(r, hv, hn, members, n_members);
		}
		SPI_freetuptable(htab);
	}
	flush(r);
	SPI_cursor_close(hcur);
	SPI_cursor_close(mcur);
}

/* ---- the function --------------------------------------------------------------- */

/* The household and member findings that the scoring pass writes. */
#define OWN_FINDINGS "f.entity IN ('household', 'member')" \
	" AND f.check_code IN ('INCOME_ZERO', 'INCOME_LOW', 'INCOME_HIGH')"

Datum
bmn_refresh(PG_FUNCTION_ARGS)
{
	Refresh		r;
	Oid			argtypes[2] = {INT4OID, INT8ARRAYOID};
	Datum		args[2];
	bool		isnull;
	bool		any_refreshed;
	ArrayType  *pending;

	memset(&r, 0, sizeof r);
	r.year = PG_GETARG_INT32(0);
	SPI_connect();
	load_round(&r);
	load_rules(&r);

	args[0] = Int32GetDatum(r.year);
	if (SPI_execute_with_args("SELECT array_agg(batch_id) FILTER (WHERE refreshed_at IS NULL),"
							  " coalesce(bool_or(refreshed_at IS NOT NULL), false)"
							  " FROM bmn.batch WHERE survey_year = $1 AND kind = 'survey'",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the batches");
	args[1] = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	any_refreshed = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
											   SPI_tuptable->tupdesc, 2, &isnull));
	if (!DatumGetPointer(args[1]) || isnull)
	{
		SPI_finish();
		PG_RETURN_INT64(0);		/* nothing loaded since the last refresh */
	}
	pending = DatumGetArrayTypePCopy(args[1]);	/* outlives the tuple table */
	args[1] = PointerGetDatum(pending);

	if (!any_refreshed)
	{
		/* the whole round: clear it and score every household */
		SPI_execute_with_args("DELETE FROM bmn.household_score WHERE survey_year = $1",
							  1, argtypes, args, NULL, false, 0);
		SPI_execute_with_args("DELETE FROM bmn.finding f WHERE f.survey_year = $1 AND " OWN_FINDINGS,
							  1, argtypes, args, NULL, false, 0);
	}
	else
	{
		SPI_execute_with_args("DELETE FROM bmn.household_score s USING bmn.household h"
							  " WHERE h.survey_year = $1 AND h.batch_id = ANY ($2)"
							  " AND s.survey_year = $1 AND s.household_id = h.household_id",
							  2, argtypes, args, NULL, false, 0);
		SPI_execute_with_args("DELETE FROM bmn.finding f USING bmn.household h"
							  " WHERE h.survey_year = $1 AND h.batch_id = ANY ($2)"
							  " AND f.survey_year = $1 AND f.household_id = h.household_id"
							  " AND " OWN_FINDINGS,
							  2, argtypes, args, NULL, false, 0);
	}

	r.buffer_cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh buffers",
										 ALLOCSET_DEFAULT_SIZES);
	buffer_init(&r.scores, 5);
	buffer_init(&r.findings, 6);
	prepare_writers(&r);
	score_households(&r, any_refreshed ? pending : NULL);

	SPI_execute_with_args("UPDATE bmn.batch SET refreshed_at = now()"
						  " WHERE survey_year = $1 AND kind = 'survey' AND batch_id = ANY ($2)",
						  2, argtypes, args, NULL, false, 0);
	SPI_freeplan(r.insert_scores);
	SPI_freeplan(r.insert_findings);
	SPI_finish();
	PG_RETURN_INT64(r.households);
}
