/*
 * rollup_agg.c: the aggregate bmn.rollup, over scores or over other rollups, and
 * the type bmn.rollup that carries its result.
 *
 * The transition state lives in the aggregate's memory context as a fixed array
 * of counters. Serialized (for parallel workers) and as a stored bmn.rollup value
 * it is the same varlena (rollup_format.h: a version, the number of indicators,
 * then varints). Every varlena that comes in is decoded by a function that checks
 * it: a parallel worker's state or a stored value may be damaged.
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "rollup.h"

PG_FUNCTION_INFO_V1(bmn_rollup_trans);
PG_FUNCTION_INFO_V1(bmn_rollup_merge_trans);
PG_FUNCTION_INFO_V1(bmn_rollup_combine);
PG_FUNCTION_INFO_V1(bmn_rollup_serialize);
PG_FUNCTION_INFO_V1(bmn_rollup_deserialize);
PG_FUNCTION_INFO_V1(bmn_rollup_final);
PG_FUNCTION_INFO_V1(bmn_rollup_in);
PG_FUNCTION_INFO_V1(bmn_rollup_out);
PG_FUNCTION_INFO_V1(bmn_rollup_indicators);
PG_FUNCTION_INFO_V1(bmn_rollup_households);

static RollupState *
state_get(FunctionCallInfo fcinfo, const char *caller)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "%s called in non-aggregate context", caller);
	if (PG_ARGISNULL(0))
		return (RollupState *) MemoryContextAllocZero(aggcontext, sizeof(RollupState));
	return (RollupState *) PG_GETARG_POINTER(0);
}

struct varlena *
rollup_state_to_varlena(const RollupState *st)
{
	unsigned char body[BMN_ROLLUP_MAX_BYTES];
	size_t		len = bmn_rollup_encode(st->households, st->persons, st->ind,
										BMN_MAX_INDICATOR, body);
	struct varlena *v = palloc(VARHDRSZ + len);

	SET_VARSIZE(v, VARHDRSZ + len);
	memcpy(VARDATA(v), body, len);
	return v;
}

void
rollup_report_invalid(const char *what, const char *problem, int indicator)
{
	if (indicator > 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid %s: %s %d", what, problem, indicator)));
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid %s: %s", what, problem)));
}

/*
 * A varlena from outside (in its short form or not, not compressed or out of
 * line) decoded into *out; ereport on anything inconsistent.
 */
void
rollup_decode_value(const struct varlena *raw, const char *what, BmnRollup *out)
{
	int			indicator = 0;
	const char *problem = bmn_rollup_decode(VARDATA_ANY(raw), VARSIZE_ANY_EXHDR(raw),
											out, &indicator);

	if (problem != NULL)
		rollup_report_invalid(what, problem, indicator);
}

/*
 * *into plus sign x v. Each stored value is at most 10^15, but a sum of some ten
 * thousand of them, written by hand into bmn.village_rollup, would wrap around
 * to counts that look valid: an error instead.
 */
static inline void
add_count(int64 *into, int64 v, int sign)
{
	if (unlikely(pg_add_s64_overflow(*into, sign * v, into)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of bmn.rollup values out of range")));
}

/* st plus sign x the counts given (of n indicators) */
static void
state_add_counts(RollupState *st, int64 households, int64 persons,
				 const RollupCounts *ind, int n, int sign)
{
	add_count(&st->households, households, sign);
	add_count(&st->persons, persons, sign);
	for (int i = 0; i < n; i++)
	{
		add_count(&st->ind[i].households_applicable, ind[i].households_applicable, sign);
		add_count(&st->ind[i].households_passed, ind[i].households_passed, sign);
		add_count(&st->ind[i].persons_applicable, ind[i].persons_applicable, sign);
		add_count(&st->ind[i].persons_passed, ind[i].persons_passed, sign);
	}
}

/* st plus sign x a varlena from outside, once found valid (else an error) */
static void
state_add_varlena(RollupState *st, const struct varlena *raw, const char *what, int sign)
{
	BmnRollup	r;

	rollup_decode_value(raw, what, &r);
	state_add_counts(st, r.households, r.persons, r.ind, r.n_indicators, sign);
}

/* st plus the counts of a decoded rollup */
void
rollup_state_add_decoded(RollupState *st, const BmnRollup *r)
{
	state_add_counts(st, r->households, r->persons, r->ind, r->n_indicators, 1);
}

void
rollup_state_add(RollupState *st, const RollupState *other)
{
	state_add_counts(st, other->households, other->persons, other->ind, BMN_MAX_INDICATOR, 1);
}

/* st as a value, checked: taking away what was never added leaves impossible counts */
static struct varlena *
checked_varlena(const RollupState *st, const char *what)
{
	int			indicator;
	const char *problem = bmn_rollup_check(st->households, st->persons, st->ind,
										   BMN_MAX_INDICATOR, &indicator);

	if (problem != NULL)
		rollup_report_invalid(what, problem, indicator);
	return rollup_state_to_varlena(st);
}

struct varlena *
rollup_state_to_checked_varlena(const RollupState *st)
{
	return checked_varlena(st, "difference of bmn.rollup values");
}

/*
 * st plus sign x the counts of one household's score; inlined into the two
 * callers below with sign a constant, as the aggregate and a whole round's
 * refresh run it for every household.
 */
static pg_always_inline void
state_add_score(RollupState *st, const BmnScore *s, const int sign)
{
	uint64_t	bits = s->applicable;

	st->households += sign;
	st->persons += sign * s->persons;
	while (bits)
	{
		int			i = __builtin_ctzll(bits);	/* indicator i + 1 */
		int			slot = bmn_score_slot(s, i + 1);
		int			passed = (s->passed >> i) & 1;
		RollupCounts *c = &st->ind[i];

		c->households_applicable += sign;
		c->households_passed += sign * passed;
		if (slot >= 0)
		{
			c->persons_applicable += sign * s->persons_applicable[slot];
			c->persons_passed += sign * s->persons_passed[slot];
		}
		else
		{
			c->persons_applicable += sign * s->persons;
			c->persons_passed += passed ? sign * s->persons : 0;
		}
		bits &= bits - 1;
	}
}

void
rollup_state_add_score(RollupState *st, const BmnScore *s)
{
	state_add_score(st, s, 1);
}

/* A corrected household's old score out of the counts it was added to. */
void
rollup_state_subtract_score(RollupState *st, const BmnScore *s)
{
	state_add_score(st, s, -1);
}

Datum
bmn_rollup_trans(PG_FUNCTION_ARGS)
{
	RollupState *st = state_get(fcinfo, "bmn_rollup_trans");

	if (!PG_ARGISNULL(1))
		rollup_state_add_score(st, (const BmnScore *) PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(st);
}

Datum
bmn_rollup_merge_trans(PG_FUNCTION_ARGS)
{
	RollupState *st = state_get(fcinfo, "bmn_rollup_merge_trans");
	struct varlena *raw;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	raw = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));
	state_add_varlena(st, raw, "bmn.rollup value", 1);
	PG_RETURN_POINTER(st);
}

Datum
bmn_rollup_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	RollupState *a;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "bmn_rollup_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	if (PG_ARGISNULL(0))
	{
		a = (RollupState *) MemoryContextAlloc(aggcontext, sizeof(RollupState));
		memcpy(a, PG_GETARG_POINTER(1), sizeof(RollupState));
		PG_RETURN_POINTER(a);
	}
	a = (RollupState *) PG_GETARG_POINTER(0);
	rollup_state_add(a, (const RollupState *) PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(a);
}

Datum
bmn_rollup_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(rollup_state_to_varlena((const RollupState *) PG_GETARG_POINTER(0)));
}

Datum
bmn_rollup_deserialize(PG_FUNCTION_ARGS)
{
	struct varlena *raw = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	RollupState *st = palloc0(sizeof(RollupState));

	state_add_varlena(st, raw, "bmn.rollup aggregate state", 1);
	PG_RETURN_POINTER(st);
}

Datum
bmn_rollup_final(PG_FUNCTION_ARGS)
{
	RollupState empty;

	if (PG_ARGISNULL(0))
	{
		/* no rows: zero households, as count(*) says 0 */
		memset(&empty, 0, sizeof empty);
		PG_RETURN_POINTER(rollup_state_to_varlena(&empty));
	}
	PG_RETURN_POINTER(rollup_state_to_varlena((const RollupState *) PG_GETARG_POINTER(0)));
}

/*
 * Text form: households=N persons=N then " I:HA/HP/PA/PP" per indicator with any
 * applicable count, e.g. "households=2 persons=5 22:2/1/5/3".
 */
Datum
bmn_rollup_out(PG_FUNCTION_ARGS)
{
	BmnRollup	v;
	StringInfoData buf;

	rollup_decode_value(PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0)), "bmn.rollup value", &v);
	initStringInfo(&buf);
	appendStringInfo(&buf, "households=" INT64_FORMAT " persons=" INT64_FORMAT,
					 v.households, v.persons);
	for (int i = 0; i < v.n_indicators; i++)
	{
		const RollupCounts *c = &v.ind[i];

		if (c->households_applicable == 0 && c->persons_applicable == 0)
			continue;
		appendStringInfo(&buf, " %d:" INT64_FORMAT "/" INT64_FORMAT "/" INT64_FORMAT "/" INT64_FORMAT,
						 i + 1, c->households_applicable, c->households_passed,
						 c->persons_applicable, c->persons_passed);
	}
	PG_RETURN_CSTRING(buf.data);
}

static bool
scan_int64(const char **p, int64 *out)
{
	const char *s = *p;
	int64		v = 0;

	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
	{
		if (v > (PG_INT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (*s - '0');
		s++;
	}
	*p = s;
	*out = v;
	return true;
}

static bool
scan_word(const char **p, const char *word)
{
	size_t		n = strlen(word);

	if (strncmp(*p, word, n) != 0)
		return false;
	*p += n;
	return true;
}

Datum
bmn_rollup_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	const char *p = text;
	RollupState *st = palloc0(sizeof(RollupState));
	int64		last = 0;

	if (!scan_word(&p, "households=") || !scan_int64(&p, &st->households) ||
		!scan_word(&p, " persons=") || !scan_int64(&p, &st->persons))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type bmn.rollup: \"%s\"", text),
				 errdetail("Expected \"households=N persons=N\".")));
	while (*p == ' ')
	{
		int64		n;
		RollupCounts c;

		p++;
		if (!scan_int64(&p, &n) || n <= last || n > BMN_MAX_INDICATOR ||
			!scan_word(&p, ":") || !scan_int64(&p, &c.households_applicable) ||
			!scan_word(&p, "/") || !scan_int64(&p, &c.households_passed) ||
			!scan_word(&p, "/") || !scan_int64(&p, &c.persons_applicable) ||
			!scan_word(&p, "/") || !scan_int64(&p, &c.persons_passed))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type bmn.rollup: \"%s\"", text),
					 errdetail("Expected indicators in increasing order as \"I:HA/HP/PA/PP\", I from 1 to 64.")));
		st->ind[n - 1] = c;
		last = n;
	}
	if (*p != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type bmn.rollup: \"%s\"", text),
				 errdetail("Unexpected text at the end.")));
	PG_RETURN_POINTER(checked_varlena(st, "bmn.rollup value"));
}

/*
 * round(100.0 * passed / applicable, 2) in whole hundredths, half up (0 <= passed <=
 * applicable, applicable > 0: a validated rollup). Counts a rollup may hold (up to
 * 10^15) would overflow 20000 x passed: those few go through long double, exact
 * enough there.
 */
static int64
pct_hundredths(int64 passed, int64 applicable)
{
	if (applicable <= PG_INT64_MAX / 20000)
		return (20000 * passed + applicable) / (2 * applicable);
	return (int64) llroundl(10000.0L * passed / applicable);
}

/*
 * The percent of households passed, as round(100.0 * passed / applicable, 2)
 * gives it, without the numeric arithmetic of the same, which cost more than
 * the whole of reading indicator_rollup. False when none is applicable (NULL).
 */
bool
rollup_pct_passed(const RollupCounts *c, Datum *pct)
{
	if (c->households_applicable == 0)
		return false;
	*pct = NumericGetDatum(int64_div_fast_to_numeric(
		pct_hundredths(c->households_passed, c->households_applicable), 2));
	return true;
}

Datum
bmn_rollup_indicators(PG_FUNCTION_ARGS)
{
	BmnRollup	v;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	rollup_decode_value(PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0)), "bmn.rollup value", &v);
	/*
	 * In FROM the executor says what it expects: looking the row type up again
	 * for every area cost more than the rows.
	 */
	InitMaterializedSRF(fcinfo, rsinfo && rsinfo->expectedDesc &&
						rsinfo->expectedDesc->natts == 6 ? MAT_SRF_USE_EXPECTED_DESC : 0);
	if (rsinfo->setDesc->natts > 6)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("bmn.rollup_indicators returns 6 columns, not %d",
						rsinfo->setDesc->natts)));
	for (int i = 0; i < v.n_indicators; i++)
	{
		const RollupCounts *c = &v.ind[i];
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};

		if (c->households_applicable == 0 && c->persons_applicable == 0)
			continue;
		values[0] = Int32GetDatum(i + 1);
		values[1] = Int64GetDatum(c->households_applicable);
		values[2] = Int64GetDatum(c->households_passed);
		values[3] = Int64GetDatum(c->persons_applicable);
		values[4] = Int64GetDatum(c->persons_passed);
		nulls[5] = !rollup_pct_passed(c, &values[5]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* The households or persons of a rollup (is_persons), from the first bytes only. */
static int64
rollup_total(FunctionCallInfo fcinfo, bool is_persons)
{
	struct varlena *raw = PG_DETOAST_DATUM_SLICE(PG_GETARG_DATUM(0), 0,
												 2 + 2 * BMN_ROLLUP_VARINT_MAX);
	int64_t		households;
	int64_t		persons;

	if (bmn_rollup_decode_totals(VARDATA_ANY(raw), VARSIZE_ANY_EXHDR(raw),
								 &households, &persons) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid bmn.rollup value")));
	return is_persons ? persons : households;
}

/* bmn.rollup_households(bmn.rollup), bmn.rollup_persons(bmn.rollup) */
Datum
bmn_rollup_households(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(rollup_total(fcinfo, false));
}

PG_FUNCTION_INFO_V1(bmn_rollup_persons);

Datum
bmn_rollup_persons(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(rollup_total(fcinfo, true));
}

/*
 * A bmn.rollup value as it lies in a table added to st, once found valid (else
 * an error). Returns it detoasted.
 */
struct varlena *
rollup_state_add_stored(RollupState *st, struct varlena *stored)
{
	stored = pg_detoast_datum_packed(stored);
	state_add_varlena(st, stored, "bmn.rollup value", 1);
	return stored;
}

/*
 * bmn.rollup_add(a, b) and bmn.rollup_subtract(a, b): what a village's counts
 * become when some of its households change (their old scores out, the new ones
 * in), without summing the village again from all its households.
 */
static Datum
rollup_add_signed(FunctionCallInfo fcinfo, int sign)
{
	RollupState *st = palloc0(sizeof(RollupState));

	state_add_varlena(st, PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0)), "bmn.rollup value", 1);
	state_add_varlena(st, PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1)), "bmn.rollup value", sign);
	PG_RETURN_POINTER(rollup_state_to_checked_varlena(st));
}

PG_FUNCTION_INFO_V1(bmn_rollup_add);
PG_FUNCTION_INFO_V1(bmn_rollup_subtract);

Datum
bmn_rollup_add(PG_FUNCTION_ARGS)
{
	return rollup_add_signed(fcinfo, 1);
}

Datum
bmn_rollup_subtract(PG_FUNCTION_ARGS)
{
	return rollup_add_signed(fcinfo, -1);
}
