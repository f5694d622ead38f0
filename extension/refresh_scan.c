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

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/tupdesc.h"
#include "nodes/tidbitmap.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_index.h"
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
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/portal.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "refresh.h"

#define FETCH_ROWS	4000

/*
 * The cursors select whole rows (x.*), which the executor hands over as they lie
 * in the buffer, without a projection step: evaluating some 55 output expressions
 * per row cost more than the rules. The columns are found by name when a cursor
 * starts, and their types checked, so a column added to a table changes nothing.
 */
typedef struct ColumnSpec
{
	const char *name;
	Oid			type;
} ColumnSpec;

/* Household columns read, in this order. */
enum
{
	H_ID, H_VILLAGE, H_LAO, H_BATCH, H_COLLECTOR, H_INTERVIEW, H_INCOME_MAIN,
	H_INCOME_SECONDARY, H_INCOME_OTHER, H_INCOME_OWN, H_CONSENT, H_START, H_END,
	H_LAT, H_LON, H_HOUSE, H_IND0,
	H_NCOLS = H_IND0 + N_ANSWERS
};

static const ColumnSpec household_columns[H_IND0] = {
	{"household_id", TEXTOID}, {"village_code", TEXTOID}, {"lao_code", TEXTOID},
	{"batch_id", INT8OID}, {"collector_id", TEXTOID}, {"interview_date", DATEOID},
	{"income_main", NUMERICOID}, {"income_secondary", NUMERICOID},
	{"income_other", NUMERICOID}, {"income_own_production", NUMERICOID},
	{"consent", BOOLOID}, {"interview_start", TIMESTAMPOID}, {"interview_end", TIMESTAMPOID},
	{"latitude", FLOAT8OID}, {"longitude", FLOAT8OID}, {"house_code", TEXTOID},
};

/* Member columns read, in this order. */
enum
{
	M_HH, M_NO, M_BIRTH, M_DAY_KNOWN, M_MONTH_KNOWN, M_NATIONALITY, M_SEX, M_NATIONAL_ID,
	M_RELATION, M_EDUCATION, M_IN_SCHOOL, M_LITERATE, M_OCCUPATION, M_INCOME, M_HEALTH,
	M_SELF_CARE, M_WELFARE, M_IND0,
	M_NCOLS = M_IND0 + N_ANSWERS
};

static const ColumnSpec member_columns[M_IND0] = {
	{"household_id", TEXTOID}, {"member_no", INT2OID}, {"birth_date", DATEOID},
	{"birth_day_known", BOOLOID}, {"birth_month_known", BOOLOID},
	{"nationality", TEXTOID}, {"sex", INT2OID}, {"national_id", TEXTOID},
	{"relation", INT2OID}, {"education", INT2OID}, {"in_school", BOOLOID},
	{"literate", BOOLOID}, {"occupation", INT2OID}, {"income", NUMERICOID},
	{"health_status", INT2OID}, {"self_care", BOOLOID}, {"welfare_card", BOOLOID},
};

#define MAX_COLUMNS 64
StaticAssertDecl((int) H_NCOLS <= MAX_COLUMNS && (int) M_NCOLS <= MAX_COLUMNS,
				 "MAX_COLUMNS too small");

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
	int			ncols;
	const ColumnSpec *columns;	/* the first ones; then ind_01 .. ind_38 */
	int			ncolumns;
	int			att[MAX_COLUMNS]; /* tuple attribute of each column read */
	Datum		values[MAX_COLUMNS];
	bool		nulls[MAX_COLUMNS];
	int			natts_read;		/* 1 + the highest of att[] */
	Datum		hundred;		/* numeric 100, for money in satang */
	HouseholdRow *households;	/* one of the two is used */
	MemberRow  *members;
	int			capacity;		/* of the one used */
	char	   *text_next;		/* the texts' block (text_or_null) */
	Size		text_left;
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

/* A text to read where it lies (as DatumGetTextPP, without its call for most). */
static inline text *
text_in_place(Datum d)
{
	struct varlena *t = (struct varlena *) DatumGetPointer(d);

	return VARATT_IS_EXTERNAL(t) || VARATT_IS_COMPRESSED(t) ? DatumGetTextPP(d) : (text *) t;
}

/*
 * A copy of a row's text, valid until the next fetch: carved from a block of the
 * receiver's, as five texts a household and one a member, each its own palloc,
 * cost more than reading them.
 */
#define TEXT_BLOCK 65536

static text *
text_or_null(ChunkReceiver *c, int col)
{
	struct varlena *t;
	Size		size;
	text	   *copy;

	if (c->nulls[col])
		return NULL;
	t = (struct varlena *) DatumGetPointer(c->values[col]);
	if (VARATT_IS_EXTERNAL(t) || VARATT_IS_COMPRESSED(t))
		return (text *) pg_detoast_datum_copy(t);	/* compressed or out of line */
	size = VARSIZE_ANY(t);
	if (c->text_left < size + 4)
	{
		Size		block = Max(TEXT_BLOCK, size + 4);

		c->text_next = MemoryContextAlloc(c->cxt, block);
		c->text_left = block;
	}
	/* 4-byte headers are kept aligned; 1-byte headers need none */
	copy = (text *) c->text_next;
	memcpy(copy, t, size);
	size = INTALIGN(size);
	c->text_next += size;
	c->text_left -= size;
	return copy;
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

/* The columns read of a row, into c->values and c->nulls in their enum's order. */
static void
read_columns(ChunkReceiver *c, TupleTableSlot *slot)
{
	/* only as far as the last column read: what follows is never deformed */
	slot_getsomeattrs(slot, c->natts_read);
	for (int i = 0; i < c->ncols; i++)
	{
		c->values[i] = slot->tts_values[c->att[i]];
		c->nulls[i] = slot->tts_isnull[c->att[i]];
	}
}

/*
 * A money column in satang. numeric's stored form (base-10000 digits after a
 * 2-byte header in its short form, the form of every amount a survey holds; see
 * numeric.c, kept stable across versions for pg_upgrade) is read directly:
 * numeric_mul and numeric_int8 through the function manager cost more than all
 * the rules of a household. Anything else, or an amount with more than 2
 * decimals, goes the general way, which rounds.
 */
#define NUMERIC_FORM_MASK	0xC000
#define NUMERIC_FORM_SHORT	0x8000
#define SHORT_SIGN			0x2000
#define SHORT_WEIGHT_SIGN	0x0040
#define SHORT_WEIGHT		0x003F

static int64
satang(const ChunkReceiver *c, Datum amount)
{
	struct varlena *p = (struct varlena *) DatumGetPointer(amount);

	if (!VARATT_IS_EXTERNAL(p) && !VARATT_IS_COMPRESSED(p))
	{
		const char *data = VARDATA_ANY(p);
		int			len = VARSIZE_ANY_EXHDR(p);
		uint16		header;

		if (len >= 2)
		{
			memcpy(&header, data, 2);
			if ((header & NUMERIC_FORM_MASK) == NUMERIC_FORM_SHORT)
			{
				int			weight = (header & SHORT_WEIGHT_SIGN ? ~SHORT_WEIGHT : 0) |
					(header & SHORT_WEIGHT);
				int			ndigits = (len - 2) / 2;
				int64		v = 0;	/* in ten-thousandths */
				bool		exact = weight <= 2;	/* below 10^12 baht: no overflow */

				for (int i = 0; i < ndigits && exact; i++)
				{
					int16		digit;
					int			exponent = weight - i + 1;	/* of 10000, in ten-thousandths */

					memcpy(&digit, data + 2 + 2 * i, 2);
					if (exponent < 0)
						exact = digit == 0;
					else
					{
						int64		scaled = digit;

						for (int e = 0; e < exponent; e++)
							scaled *= 10000;
						v += scaled;
					}
				}
				if (exact && v % 100 == 0)
					return (header & SHORT_SIGN) ? -(v / 100) : v / 100;
			}
		}
	}
	return DatumGetInt64(DirectFunctionCall1(numeric_int8,
											 DirectFunctionCall2(numeric_mul, amount,
																 c->hundred)));
}

static bool
receive_household(TupleTableSlot *slot, DestReceiver *self)
{
	ChunkReceiver *c = (ChunkReceiver *) self;
	MemoryContext old = MemoryContextSwitchTo(c->cxt);
	HouseholdRow *h;
	Datum	   *v;
	bool	   *n;

	if (c->n == c->capacity)
	{
		c->capacity *= 2;
		c->households = repalloc_huge(c->households, sizeof(HouseholdRow) * c->capacity);
	}
	h = &c->households[c->n++];

	read_columns(c, slot);
	v = c->values;
	n = c->nulls;
	memset(&h->facts, 0, sizeof h->facts);
	h->household_id = text_or_null(c, H_ID);
	h->village_code = text_or_null(c, H_VILLAGE);
	h->lao_code = text_or_null(c, H_LAO);
	h->collector_id = text_or_null(c, H_COLLECTOR);
	h->house_code = text_or_null(c, H_HOUSE);
	h->batch_id = DatumGetInt64(v[H_BATCH]);
	h->interview_date = DatumGetDateADT(v[H_INTERVIEW]);
	date_parts(v[H_INTERVIEW], &h->facts.interview_y, &h->facts.interview_m,
			   &h->facts.interview_d);
	/* the sum of the four incomes; none when one is missing */
	h->facts.income_satang = 0;
	if (!n[H_INCOME_MAIN] && !n[H_INCOME_SECONDARY] && !n[H_INCOME_OTHER] && !n[H_INCOME_OWN])
		h->facts.income_satang = satang(c, v[H_INCOME_MAIN]) + satang(c, v[H_INCOME_SECONDARY]) +
			satang(c, v[H_INCOME_OTHER]) + satang(c, v[H_INCOME_OWN]);
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
	MemberRow  *row;
	BmnMemberFacts *m;
	Datum	   *v;
	bool	   *n;

	if (c->n == c->capacity)
	{
		c->capacity *= 2;
		c->members = repalloc_huge(c->members, sizeof(MemberRow) * c->capacity);
	}
	row = &c->members[c->n++];
	m = &row->facts;
	read_columns(c, slot);
	v = c->values;
	n = c->nulls;
	row->household_id = text_or_null(c, M_HH);
	date_parts(v[M_BIRTH], &m->birth_y, &m->birth_m, &m->birth_d);
	m->birth_day_known = n[M_DAY_KNOWN] || DatumGetBool(v[M_DAY_KNOWN]);
	m->birth_month_known = n[M_MONTH_KNOWN] || DatumGetBool(v[M_MONTH_KNOWN]);
	m->sex = small_or_none(v, n, M_SEX);
	m->national_id[0] = '\0';
	if (!n[M_NATIONAL_ID])
	{
		text	   *id = text_in_place(v[M_NATIONAL_ID]);
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
	if (n[M_NATIONALITY])
		m->thai = false;
	else
	{
		text	   *nat = text_in_place(v[M_NATIONALITY]);

		m->thai = VARSIZE_ANY_EXHDR(nat) == 2 && memcmp(VARDATA_ANY(nat), "TH", 2) == 0;
	}
	m->relation = small_or_none(v, n, M_RELATION);
	m->education = small_or_none(v, n, M_EDUCATION);
	m->in_school = bool_or_none(v, n, M_IN_SCHOOL);
	m->literate = bool_or_none(v, n, M_LITERATE);
	m->occupation = small_or_none(v, n, M_OCCUPATION);
	m->income_satang = n[M_INCOME] ? -1 : satang(c, v[M_INCOME]);
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

	for (int i = 0; i < c->ncols; i++)
	{
		char		ind[8];
		const char *name;
		Oid			type;
		int			a;

		if (i < c->ncolumns)
		{
			name = c->columns[i].name;
			type = c->columns[i].type;
		}
		else
		{
			snprintf(ind, sizeof ind, "ind_%02d", i - c->ncolumns + 1);
			name = ind;
			type = BOOLOID;
		}
		for (a = 0; a < desc->natts; a++)
			if (!TupleDescAttr(desc, a)->attisdropped &&
				strcmp(NameStr(TupleDescAttr(desc, a)->attname), name) == 0)
				break;
		if (a == desc->natts || TupleDescAttr(desc, a)->atttypid != type)
			elog(ERROR, "the refresh cursor has no column %s of type %s", name,
				 format_type_be(type));
		c->att[i] = a;
		c->natts_read = Max(c->natts_read, a + 1);
	}
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
	c->ncols = members ? M_NCOLS : H_NCOLS;
	c->columns = members ? member_columns : household_columns;
	c->ncolumns = members ? M_IND0 : H_IND0;
	c->hundred = DirectFunctionCall1(int4_numeric, Int32GetDatum(100));
	c->capacity = FETCH_ROWS;
	if (members)
		c->members = palloc(sizeof(MemberRow) * FETCH_ROWS);
	else
		c->households = palloc(sizeof(HouseholdRow) * FETCH_ROWS);
}

static void
receiver_free(ChunkReceiver *c)
{
	MemoryContextDelete(c->cxt);
	if (c->members)
		pfree(c->members);
	if (c->households)
		pfree(c->households);
}

/* Fetch the next rows of a cursor into c; returns how many came. */
static int
fetch(Portal portal, ChunkReceiver *c)
{
	MemoryContextReset(c->cxt);
	c->text_next = NULL;
	c->text_left = 0;
	c->n = 0;
	PortalRunFetch(portal, FETCH_FORWARD, FETCH_ROWS, (DestReceiver *) c);
	return c->n;
}

static Portal
open_cursor(const char *name, const char *sql, int nargs, Oid *types, Datum *args)
{
	Portal		portal = SPI_cursor_open_with_args(name, sql, nargs, types, args, NULL,
												   true, 0);

	if (portal == NULL)
		elog(ERROR, "could not open the refresh cursor %s", name);
	return portal;
}

/*
 * Where the merge takes its rows from: a cursor, a chunk at a time, or rows all
 * read and sorted beforehand (portal NULL), handed over as one chunk.
 */
typedef struct RowSource
{
	Portal		portal;
	ChunkReceiver rx;
	bool		given;			/* the rows read beforehand were handed over */
} RowSource;

static int
source_next(RowSource *s)
{
	if (s->portal != NULL)
		return fetch(s->portal, &s->rx);
	if (s->given)
		return 0;
	s->given = true;
	return s->rx.n;
}

/*
 * Households and members, both in household order, merged: each household is
 * handed to fn with its members.
 */
static void
merge(Refresh *r, RowSource *hs, RowSource *ms, HouseholdFn fn, void *arg)
{
	int			m_next = 0,
				m_rows = 0;
	bool		m_done = false;
	int			capacity = 64;
	BmnMemberFacts *members = palloc(sizeof(BmnMemberFacts) * capacity);
	int			h_rows;

	while ((h_rows = source_next(hs)) > 0)
	{
		for (int hi = 0; hi < h_rows; hi++)
		{
			HouseholdRow *h = &hs->rx.households[hi];
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
					m_rows = source_next(ms);
					m_next = 0;
					if (m_rows == 0)
					{
						m_done = true;
						break;
					}
				}
				m = &ms->rx.members[m_next];
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
			fn(r, h, members, n_members, arg);
		}
	}
	pfree(members);
}

/*
 * The households of "where" (a condition on x, $1 the year, then args) and their
 * members, merged: each household is handed to fn with its members.
 */
static void
scan_merge(Refresh *r, const char *where, const char *member_where, int nargs,
		   Oid *types, Datum *args, bool ranges, HouseholdFn fn, void *arg)
{
	StringInfoData sql;
	RowSource	hs = {0},
				ms = {0};
	int			nest = NewGUCNestLevel();

	/*
	 * A range of keys: rows in key order straight from the primary keys, where
	 * the planner would rather fetch the pages in a bitmap and sort the rows,
	 * which copies every row and costs more than the scoring. (A list of
	 * households is another matter: a scan in key order would pass them all.)
	 */
	if (ranges)
	{
		set_config_option("enable_sort", "off", PGC_USERSET, PGC_S_SESSION,
						  GUC_ACTION_SAVE, true, 0, false);
		set_config_option("enable_bitmapscan", "off", PGC_USERSET, PGC_S_SESSION,
						  GUC_ACTION_SAVE, true, 0, false);
	}
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT x.* FROM bmn.household x WHERE x.survey_year = $1%s"
					 " ORDER BY x.household_id", where);
	hs.portal = open_cursor("bmn_refresh_households", sql.data, nargs, types, args);
	resetStringInfo(&sql);
	appendStringInfo(&sql, "SELECT x.* FROM bmn.member x WHERE x.survey_year = $1%s"
					 " ORDER BY x.household_id, x.member_no", member_where);
	ms.portal = open_cursor("bmn_refresh_members", sql.data, nargs, types, args);
	AtEOXact_GUC(true, nest);
	receiver_init(&hs.rx, false);
	receiver_init(&ms.rx, true);
	merge(r, &hs, &ms, fn, arg);
	SPI_cursor_close(hs.portal);
	SPI_cursor_close(ms.portal);
	receiver_free(&hs.rx);
	receiver_free(&ms.rx);
	pfree(sql.data);
}

/* ---- a correction's households, read whole through their batches ---- */

struct ChangedRows
{
	RowSource	hs;
	RowSource	ms;
};

/* Comparisons of pointers to rows (sort_rows). */
static int
household_row_cmp(const void *a, const void *b)
{
	return key_cmp((*(const HouseholdRow *const *) a)->household_id,
				   (*(const HouseholdRow *const *) b)->household_id);
}

static int
member_row_cmp(const void *a, const void *b)
{
	const MemberRow *x = *(const MemberRow *const *) a;
	const MemberRow *y = *(const MemberRow *const *) b;
	int			c = key_cmp(x->household_id, y->household_id);

	return c != 0 ? c : (x->facts.member_no > y->facts.member_no) -
		(x->facts.member_no < y->facts.member_no);
}

/*
 * Runs a and b of pointers to rows (a's end is b's start) merged into out.
 */
static void
merge_runs(char **a, char **b, char **end, char **out,
		   int (*cmp) (const void *, const void *))
{
	char	  **mid = b;

	while (a < mid && b < end)
		*out++ = cmp(a, b) <= 0 ? *a++ : *b++;
	while (a < mid)
		*out++ = *a++;
	while (b < end)
		*out++ = *b++;
}

/*
 * n rows of size bytes sorted, then copied in that order once (sorting the rows
 * themselves would move them many times). Returns the sorted array; the one
 * given is freed, unless it was in order already.
 *
 * A batch comes back nearly sorted: in the order of its file, which exports
 * write by household, cut where rows went into room left on earlier pages.
 * So the runs already in order are found and merged two by two: a few passes
 * of a comparison a row, where a sort from scratch would make a dozen.
 */
static void *
sort_rows(void *rows, int n, Size size, int (*cmp) (const void *, const void *))
{
	char	  **order;
	char	  **other;
	int		   *starts = NULL;	/* where each run begins; then n */
	int			runs = 1;
	char	   *sorted;

	/* each neighbour compared once: the runs are noted from the first break on */
	for (int i = 1; i < n; i++)
	{
		char	   *a = (char *) rows + (i - 1) * size;
		char	   *b = a + size;

		if (cmp(&a, &b) <= 0)
			continue;
		if (starts == NULL)
		{
			starts = palloc_extended(sizeof(int) * (n + 1), MCXT_ALLOC_HUGE);
			starts[0] = 0;
		}
		starts[runs++] = i;
	}
	if (runs == 1)
		return rows;
	starts[runs] = n;
	order = palloc_extended(sizeof(char *) * n, MCXT_ALLOC_HUGE);
	other = palloc_extended(sizeof(char *) * n, MCXT_ALLOC_HUGE);
	for (int i = 0; i < n; i++)
		order[i] = (char *) rows + i * size;
	while (runs > 1)
	{
		int			merged = 0;
		char	  **swap;

		for (int r = 0; r < runs; r += 2)
		{
			int			lo = starts[r];
			int			mid = starts[Min(r + 1, runs)];
			int			hi = starts[Min(r + 2, runs)];

			merge_runs(order + lo, order + mid, order + hi, other + lo, cmp);
			starts[merged++] = lo;
		}
		starts[merged] = n;
		runs = merged;
		swap = order;
		order = other;
		other = swap;
	}
	sorted = palloc_extended(size * n, MCXT_ALLOC_HUGE);
	for (int i = 0; i < n; i++)
		memcpy(sorted + i * size, order[i], size);
	pfree(order);
	pfree(other);
	pfree(starts);
	pfree(rows);
	return sorted;
}

/*
 * The rows of a query into rx, all at once (no chunks: nothing is reset between
 * rows); false when there are more than max_rows.
 */
static bool
read_all(RowSource *s, const char *sql, Datum *args, bool members, long max_rows)
{
	Portal		portal = open_cursor(members ? "bmn_refresh_members" : "bmn_refresh_households",
									 sql, 2, (Oid[]) {INT4OID, INT8ARRAYOID}, args);

	receiver_init(&s->rx, members);
	PortalRunFetch(portal, FETCH_FORWARD, max_rows + 1, (DestReceiver *) &s->rx);
	SPI_cursor_close(portal);
	return s->rx.n <= max_rows;
}

/*
 * The index of bmn.relname named index_name, when it is a valid index led by
 * batch_id, on all rows (found by name: opening each of the table's indexes to
 * look would cost what is saved); InvalidOid if not.
 */
static Oid
batch_index(Relation rel, const char *index_name)
{
	Oid			indexid = get_relname_relid(index_name, RelationGetNamespace(rel));
	HeapTuple	tup;
	bool		usable = false;

	if (!OidIsValid(indexid))
		return InvalidOid;
	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(indexid));
	if (HeapTupleIsValid(tup))
	{
		Form_pg_index form = (Form_pg_index) GETSTRUCT(tup);
		AttrNumber	first = form->indnkeyatts > 0 ? form->indkey.values[0] : 0;

		usable = form->indrelid == RelationGetRelid(rel) && form->indisvalid &&
			heap_attisnull(tup, Anum_pg_index_indpred, NULL) &&
			heap_attisnull(tup, Anum_pg_index_indexprs, NULL) &&
			first > 0 &&
			strcmp(NameStr(TupleDescAttr(RelationGetDescr(rel), first - 1)->attname),
				   "batch_id") == 0;
		ReleaseSysCache(tup);
	}
	return usable ? indexid : InvalidOid;
}

/* Whether the row's batch is one of ids (n of them): for pages the bitmap lost track of rows in. */
static bool
batch_listed(TupleTableSlot *slot, AttrNumber batch_att, const Datum *ids, const bool *nulls,
			 int n)
{
	bool		isnull;
	int64		batch = DatumGetInt64(slot_getattr(slot, batch_att, &isnull));

	for (int b = 0; !isnull && b < n; b++)
		if (!nulls[b] && DatumGetInt64(ids[b]) == batch)
			return true;
	return false;
}

/*
 * The rows of bmn.relname in the round's given batches into s (receiver_init
 * first): their places gathered from the table's index on batch_id, then the
 * rows read page by page in the table's order. It is the bitmap scan the
 * planner picks for "SELECT * ... WHERE batch_id = ANY (...)", without the
 * statement's parse analysis and planning, which in the new session a refresh
 * mostly runs in cost as much as reading a thousand rows. Returns the rows read, or -1 when there are
 * more than max_rows, or -2 when there is no such index (then the statement is
 * to be run).
 */
static long
read_by_batch_index(Refresh *r, RowSource *s, const char *relname, const char *index_name,
					ArrayType *batches, long max_rows)
{
	Oid			relid = table_direct_access(relname, ACL_SELECT, AccessShareLock);
	Relation	rel;
	Relation	index;
	Oid			indexid;
	Snapshot	snapshot;
	IndexScanDesc iscan;
	TableScanDesc hscan;
	TIDBitmap  *tbm;
	TBMIterator *pages;
	TBMIterateResult *page;
	TupleTableSlot *slot;
	ScanKeyData key;
	Datum	   *ids;
	bool	   *nulls;
	int			n;
	int			year_att;
	AttrNumber	batch_att;
	long		result = 0;

	rel = table_open(relid, AccessShareLock);
	indexid = batch_index(rel, index_name);
	if (!OidIsValid(indexid))
	{
		table_close(rel, AccessShareLock);
		return -2;
	}
	index = index_open(indexid, AccessShareLock);
	if (index->rd_rel->relam != BTREE_AM_OID)
	{
		index_close(index, AccessShareLock);
		table_close(rel, AccessShareLock);
		return -2;
	}
	year_att = table_column(rel, "survey_year");
	batch_att = index->rd_index->indkey.values[0];
	s->rx.pub.rStartup((DestReceiver *) &s->rx, CMD_SELECT, RelationGetDescr(rel));
	snapshot = RegisterSnapshot(GetTransactionSnapshot());
	deconstruct_array(batches, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &ids, &nulls, &n);

	/* the rows' places, from the index; then the rows, page by page in order */
	tbm = tbm_create((long) work_mem * 1024L, NULL);
	iscan = index_beginscan_bitmap(index, snapshot, 1);
	for (int b = 0; b < n; b++)
	{
		if (nulls[b])
			continue;
		ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, ids[b]);
		index_rescan(iscan, &key, 1, NULL, 0);
		(void) index_getbitmap(iscan, tbm);
	}
	index_endscan(iscan);
	slot = table_slot_create(rel, NULL);
	hscan = table_beginscan_bm(rel, snapshot, 0, NULL);
	pages = tbm_begin_iterate(tbm);
	while (result >= 0 && (page = tbm_iterate(pages)) != NULL)
	{
		if (!table_scan_bitmap_next_block(hscan, page))
			continue;
		while (table_scan_bitmap_next_tuple(hscan, page, slot))
		{
			bool		isnull;
			Datum		year = slot_getattr(slot, year_att, &isnull);

			CHECK_FOR_INTERRUPTS();
			if (isnull || DatumGetInt32(year) != r->year ||
				(page->recheck && !batch_listed(slot, batch_att, ids, nulls, n)))
				continue;
			if (result == max_rows)
			{
				result = -1;
				break;
			}
			s->rx.pub.receiveSlot(slot, (DestReceiver *) &s->rx);
			result++;
		}
	}
	tbm_end_iterate(pages);
	table_endscan(hscan);
	tbm_free(tbm);
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snapshot);
	index_close(index, AccessShareLock);
	table_close(rel, AccessShareLock);
	return result;
}

/*
 * The households (or members) of the round's given batches into s, through the
 * batch index, or by the statement when the index is not there; false when they
 * are more than max_rows.
 */
static bool
read_batches(Refresh *r, RowSource *s, bool members, ArrayType *batches, Datum *args,
			 long max_rows)
{
	long		n;

	receiver_init(&s->rx, members);
	n = read_by_batch_index(r, s, members ? "member" : "household",
							members ? "member_batch_idx" : "household_batch_idx", batches,
							max_rows);
	if (n != -2)
		return n >= 0;
	receiver_free(&s->rx);
	return read_all(s, members ? "SELECT x.* FROM bmn.member x"
					" WHERE x.batch_id = ANY ($2) AND x.survey_year = $1" :
					"SELECT x.* FROM bmn.household x"
					" WHERE x.batch_id = ANY ($2) AND x.survey_year = $1",
					args, members, max_rows);
}

/*
 * The rows that budget bytes hold at row_bytes each, and never more than the int
 * row counts of a receiver can take, whatever work_mem says.
 */
static long
row_limit(long budget, long row_bytes)
{
	return Min(budget / row_bytes, INT_MAX / 2);
}

/*
 * The households of some batches and their members, read through the batch
 * indexes and sorted here. A correction's households lie all over the round: found
 * one by one through the primary keys, each cost a descent of the household index
 * and another of the member index, where the batch indexes give them all in one
 * pass. (A household and its members always come in the same batch: the loader
 * replaces both.) NULL when they would take more than work_mem, as a sort would:
 * then the households are to be read in key order from their list (refresh_scan).
 */
ChangedRows *
refresh_read_batches(Refresh *r, ArrayType *batches)
{
	Datum		args[2] = {Int32GetDatum(r->year), PointerGetDatum(batches)};
	/* rows, and their texts: about 64 bytes a household and 16 a member */
	const long	household_bytes = sizeof(HouseholdRow) + 64;
	const long	member_bytes = sizeof(MemberRow) + 16;
	long		budget = (long) work_mem * 1024L;
	ChangedRows *rows = palloc0(sizeof(ChangedRows));

	if (!read_batches(r, &rows->hs, false, batches, args, row_limit(budget, household_bytes)))
	{
		receiver_free(&rows->hs.rx);
		pfree(rows);
		return NULL;
	}
	budget -= rows->hs.rx.n * household_bytes;
	if (!read_batches(r, &rows->ms, true, batches, args, row_limit(budget, member_bytes)))
	{
		receiver_free(&rows->hs.rx);
		receiver_free(&rows->ms.rx);
		pfree(rows);
		return NULL;
	}
	rows->hs.rx.households = sort_rows(rows->hs.rx.households, rows->hs.rx.n,
									   sizeof(HouseholdRow), household_row_cmp);
	rows->ms.rx.members = sort_rows(rows->ms.rx.members, rows->ms.rx.n, sizeof(MemberRow),
									member_row_cmp);
	return rows;
}

/* The IDs of the households read, in key order. */
int
changed_rows_ids(ChangedRows *rows, Datum **ids)
{
	int			n = rows->hs.rx.n;

	*ids = palloc(sizeof(Datum) * Max(n, 1));
	for (int i = 0; i < n; i++)
		(*ids)[i] = PointerGetDatum(rows->hs.rx.households[i].household_id);
	return n;
}

/* The households read, in key order (as their IDs from changed_rows_ids). */
const HouseholdRow *
changed_rows_households(ChangedRows *rows)
{
	return rows->hs.rx.households;
}

/* Each household read handed to refresh_add_household with its members. */
void
refresh_scan_rows(Refresh *r, ChangedRows *rows)
{
	merge(r, &rows->hs, &rows->ms, refresh_add_household, NULL);
	receiver_free(&rows->hs.rx);
	receiver_free(&rows->ms.rx);
	pfree(rows);
}

/* Every household of the round, or the given ones (text[]), in key order. */
void
refresh_scan(Refresh *r, ArrayType *households)
{
	Oid			types[2] = {INT4OID, TEXTARRAYOID};
	Datum		args[2] = {Int32GetDatum(r->year), PointerGetDatum(households)};
	const char *filter_sql = households ? " AND x.household_id = ANY ($2)" : "";

	scan_merge(r, filter_sql, filter_sql, households ? 2 : 1, types, args,
			   households == NULL, refresh_add_household, NULL);
}

/* The households with lo <= household_id < hi (NULL: no bound) and their members. */
void
refresh_scan_range(Refresh *r, text *lo, text *hi, HouseholdFn fn, void *arg)
{
	Oid			types[3] = {INT4OID, TEXTOID, TEXTOID};
	Datum		args[3] = {Int32GetDatum(r->year), PointerGetDatum(lo), PointerGetDatum(hi)};
	const char *where = lo && hi ? " AND x.household_id >= $2 AND x.household_id < $3" :
		lo ? " AND x.household_id >= $2" : hi ? " AND x.household_id < $2" : "";

	if (lo == NULL)
		args[1] = args[2];
	scan_merge(r, where, where, (lo != NULL) + (hi != NULL) + 1, types, args, true, fn, arg);
}
