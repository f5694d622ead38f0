/*
 * refresh_scan.c: reading a round's households and members for scoring.
 *
 * Two cursors, both ordered by household_id (COLLATE "C": the primary keys give
 * the order, and bytes compare as the server sorts), are merged here: one pass over
 * each table and no grouping in the executor. Rows come through our own
 * DestReceiver, which turns each slot straight into the rules' structs, so no
 * tuple is copied on the way (SPI's own receiver would form a copy of each row).
 * The same scan serves the registry checks alone (SCAN_REGISTRY), on households
 * whose registry entries changed.
 */
#include "postgres.h"

#include "access/tupdesc.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "tcop/dest.h"
#include "tcop/pquery.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/portal.h"
#include "utils/timestamp.h"

#include "refresh.h"

#define FETCH_ROWS	4000

/* Household cursor columns. */
enum
{
	H_ID, H_VILLAGE, H_LAO, H_BATCH, H_COLLECTOR, H_INTERVIEW, H_INCOME, H_CONSENT,
	H_START, H_END, H_LAT, H_LON, H_HOUSE, H_IND0,
	H_NCOLS = H_IND0 + N_ANSWERS
};

/* Member cursor columns. */
enum
{
	M_HH, M_NO, M_BIRTH, M_DAY_KNOWN, M_MONTH_KNOWN, M_THAI, M_SEX, M_NATIONAL_ID,
	M_RELATION, M_EDUCATION, M_IN_SCHOOL, M_LITERATE, M_OCCUPATION, M_INCOME, M_HEALTH,
	M_SELF_CARE, M_WELFARE, M_IND0,
	M_NCOLS = M_IND0 + N_ANSWERS
};

typedef struct MemberRow
{
	text	   *household_id;
	BmnMemberFacts facts;		/* age is filled in at the merge */
} MemberRow;

/* Receives one fetch's rows into an array; the consumer resets it. */
typedef struct ChunkReceiver
{
	DestReceiver pub;
	MemoryContext cxt;
	int			n;
	int			expected_cols;
	HouseholdRow *households;	/* one of the two is used */
	MemberRow  *members;
} ChunkReceiver;

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

static text *
text_or_null(const Datum *values, const bool *nulls, int col)
{
	return nulls[col] ? NULL : (text *) DatumGetPointer(datumCopy(values[col], false, -1));
}

/* The 8-digit village code as a number (0 when it is not 8 digits). */
static int
village_number(const text *t)
{
	int64		v;

	if (t == NULL || VARSIZE_ANY_EXHDR(t) != 8 ||
		!digits_value(VARDATA_ANY(t), 8, &v))
		return 0;
	return (int) v;
}

static void
date_parts(Datum d, int *y, int *m, int *dd)
{
	DateADT		date = DatumGetDateADT(d);

	if (DATE_NOT_FINITE(date))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("a household or member of the round has an infinite date")));
	j2date(date + POSTGRES_EPOCH_JDATE, y, m, dd);
}

static bool
receive_household(TupleTableSlot *slot, DestReceiver *self)
{
	ChunkReceiver *c = (ChunkReceiver *) self;
	MemoryContext old = MemoryContextSwitchTo(c->cxt);
	HouseholdRow *h = &c->households[c->n++];
	Datum	   *v;
	bool	   *n;

	slot_getallattrs(slot);
	v = slot->tts_values;
	n = slot->tts_isnull;
	memset(&h->facts, 0, sizeof h->facts);
	h->household_id = text_or_null(v, n, H_ID);
	h->village_code = text_or_null(v, n, H_VILLAGE);
	h->lao_code = text_or_null(v, n, H_LAO);
	h->collector_id = text_or_null(v, n, H_COLLECTOR);
	h->house_code = text_or_null(v, n, H_HOUSE);
	h->batch_id = DatumGetInt64(v[H_BATCH]);
	h->interview_date = DatumGetDateADT(v[H_INTERVIEW]);
	date_parts(v[H_INTERVIEW], &h->facts.interview_y, &h->facts.interview_m,
			   &h->facts.interview_d);
	h->facts.income_satang = n[H_INCOME] ? 0 : DatumGetInt64(v[H_INCOME]);
	h->facts.answered = answers(v, n, H_IND0, &h->facts.answer_passed);
	h->facts.consent = !n[H_CONSENT] && DatumGetBool(v[H_CONSENT]) ? 1 : 0;
	if (!n[H_START] && !n[H_END])
	{
		Timestamp	start = DatumGetTimestamp(v[H_START]);
		Timestamp	end = DatumGetTimestamp(v[H_END]);

		/* an infinite time has no duration to judge */
		h->facts.has_duration = !TIMESTAMP_NOT_FINITE(start) && !TIMESTAMP_NOT_FINITE(end);
		if (h->facts.has_duration)
			h->facts.duration_us = end - start;
	}
	if (!n[H_LAT] && !n[H_LON])
	{
		h->facts.has_position = true;
		h->facts.latitude = DatumGetFloat8(v[H_LAT]);
		h->facts.longitude = DatumGetFloat8(v[H_LON]);
	}
	h->facts.has_house_code = h->house_code != NULL;
	h->facts.village = village_number(h->village_code);
	MemoryContextSwitchTo(old);
	return true;
}

static bool
receive_member(TupleTableSlot *slot, DestReceiver *self)
{
	ChunkReceiver *c = (ChunkReceiver *) self;
	MemoryContext old = MemoryContextSwitchTo(c->cxt);
	MemberRow  *row = &c->members[c->n++];
	BmnMemberFacts *m = &row->facts;
	Datum	   *v;
	bool	   *n;

	slot_getallattrs(slot);
	v = slot->tts_values;
	n = slot->tts_isnull;
	row->household_id = text_or_null(v, n, M_HH);
	date_parts(v[M_BIRTH], &m->birth_y, &m->birth_m, &m->birth_d);
	m->birth_day_known = n[M_DAY_KNOWN] || DatumGetBool(v[M_DAY_KNOWN]);
	m->birth_month_known = n[M_MONTH_KNOWN] || DatumGetBool(v[M_MONTH_KNOWN]);
	m->sex = small_or_none(v, n, M_SEX);
	m->national_id[0] = '\0';
	if (!n[M_NATIONAL_ID])
	{
		text	   *id = DatumGetTextPP(v[M_NATIONAL_ID]);
		int			len = VARSIZE_ANY_EXHDR(id);

		/* the table keeps 13 digits; anything else is left to the check to judge */
		if (len > 13)
			len = 13;
		memcpy(m->national_id, VARDATA_ANY(id), len);
		m->national_id[len] = '\0';
	}
	m->registry_found = false;
	m->registry_sex = BMN_NONE;
	m->registry_birth_y = BMN_NONE;
	m->registry_village = 0;
	m->member_no = DatumGetInt16(v[M_NO]);
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
	MemoryContextSwitchTo(old);
	return true;
}

static void
receiver_startup(DestReceiver *self, int operation, TupleDesc desc)
{
	ChunkReceiver *c = (ChunkReceiver *) self;

	if (desc->natts != c->expected_cols)
		elog(ERROR, "refresh cursor returned %d columns, expected %d",
			 desc->natts, c->expected_cols);
}

static void
receiver_noop(DestReceiver *self)
{
}

static void
receiver_init(ChunkReceiver *c, bool members)
{
	memset(c, 0, sizeof *c);
	c->pub.receiveSlot = members ? receive_member : receive_household;
	c->pub.rStartup = receiver_startup;
	c->pub.rShutdown = receiver_noop;
	c->pub.rDestroy = receiver_noop;
	c->pub.mydest = DestNone;
	c->cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh rows",
								   ALLOCSET_DEFAULT_SIZES);
	c->expected_cols = members ? M_NCOLS : H_NCOLS;
	if (members)
		c->members = palloc(sizeof(MemberRow) * FETCH_ROWS);
	else
		c->households = palloc(sizeof(HouseholdRow) * FETCH_ROWS);
}

/* Fetch the next rows of a cursor into c; returns how many came. */
static int
fetch(Portal portal, ChunkReceiver *c)
{
	MemoryContextReset(c->cxt);
	c->n = 0;
	PortalRunFetch(portal, FETCH_FORWARD, FETCH_ROWS, (DestReceiver *) c);
	return c->n;
}

static int
key_cmp(const text *a, const text *b)
{
	int			la = VARSIZE_ANY_EXHDR(a);
	int			lb = VARSIZE_ANY_EXHDR(b);
	int			c = memcmp(VARDATA_ANY(a), VARDATA_ANY(b), Min(la, lb));

	return c != 0 ? c : (la > lb) - (la < lb);
}

static char *
answer_columns(void)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 1; i <= N_ANSWERS; i++)
		appendStringInfo(&buf, ", x.ind_%02d", i);
	return buf.data;
}

static Portal
open_cursor(const char *name, const char *sql, ArrayType *filter, Oid filter_type, int32 year)
{
	Oid			argtypes[2] = {INT4OID, filter_type};
	Datum		args[2] = {Int32GetDatum(year), PointerGetDatum(filter)};
	Portal		portal = SPI_cursor_open_with_args(name, sql, filter ? 2 : 1, argtypes,
												   args, NULL, true, 0);

	if (portal == NULL)
		elog(ERROR, "could not open the refresh cursor %s", name);
	return portal;
}

void
refresh_scan(Refresh *r, ArrayType *batches, ArrayType *households)
{
	ArrayType  *filter = batches ? batches : households;
	Oid			filter_type = batches ? INT8ARRAYOID : TEXTARRAYOID;
	const char *filter_sql = batches ? " AND x.batch_id = ANY ($2)" :
		households ? " AND x.household_id = ANY ($2)" : "";
	/* members have no index on their batch: reach them through their households */
	const char *member_filter = batches ?
		" AND x.household_id IN (SELECT h.household_id FROM bmn.household h"
		" WHERE h.survey_year = $1 AND h.batch_id = ANY ($2))" : filter_sql;
	char	   *cols = answer_columns();
	StringInfoData sql;
	Portal		hcur,
				mcur;
	ChunkReceiver hrx,
				mrx;
	int			m_next = 0,
				m_rows = 0;
	bool		m_done = false;
	int			capacity = 64;
	BmnMemberFacts *members = palloc(sizeof(BmnMemberFacts) * capacity);

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT x.household_id, x.village_code, x.lao_code, x.batch_id, x.collector_id,"
					 " x.interview_date, ((x.income_main + x.income_secondary + x.income_other"
					 " + x.income_own_production) * 100)::int8, x.consent, x.interview_start,"
					 " x.interview_end, x.latitude, x.longitude, x.house_code%s"
					 " FROM bmn.household x WHERE x.survey_year = $1%s ORDER BY x.household_id",
					 cols, filter_sql);
	hcur = open_cursor("bmn_refresh_households", sql.data, filter, filter_type, r->year);
	resetStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT x.household_id, x.member_no, x.birth_date, x.birth_day_known,"
					 " x.birth_month_known, x.nationality = 'TH', x.sex, x.national_id,"
					 " x.relation, x.education, x.in_school, x.literate, x.occupation,"
					 " (x.income * 100)::int8, x.health_status, x.self_care, x.welfare_card%s"
					 " FROM bmn.member x WHERE x.survey_year = $1%s"
					 " ORDER BY x.household_id, x.member_no",
					 cols, member_filter);
	mcur = open_cursor("bmn_refresh_members", sql.data, filter, filter_type, r->year);
	receiver_init(&hrx, false);
	receiver_init(&mrx, true);

	while (fetch(hcur, &hrx) > 0)
	{
		for (int hi = 0; hi < hrx.n; hi++)
		{
			HouseholdRow *h = &hrx.households[hi];
			int			n_members = 0;

			CHECK_FOR_INTERRUPTS();
			for (;;)
			{
				MemberRow  *m;
				int			c;

				if (m_next == m_rows)
				{
					if (m_done)
						break;
					m_rows = fetch(mcur, &mrx);
					m_next = 0;
					if (m_rows == 0)
					{
						m_done = true;
						break;
					}
				}
				m = &mrx.members[m_next];
				c = key_cmp(m->household_id, h->household_id);
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
				members[n_members] = m->facts;
				members[n_members].age = bmn_age_years(m->facts.birth_y, m->facts.birth_m,
													   m->facts.birth_d,
													   h->facts.interview_y,
													   h->facts.interview_m,
													   h->facts.interview_d);
				n_members++;
			}
			refresh_add_household(r, h, members, n_members);
		}
	}
	SPI_cursor_close(hcur);
	SPI_cursor_close(mcur);
	MemoryContextDelete(hrx.cxt);
	MemoryContextDelete(mrx.cxt);
}
