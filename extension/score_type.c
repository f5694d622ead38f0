/*
 * score_type.c: the SQL type bmn.score (see common/score.h) and its accessors.
 */
#include "postgres.h"

#include "fmgr.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "score.h"

StaticAssertDecl(sizeof(BmnScore) == 96, "bmn.score is declared with INTERNALLENGTH = 96");

PG_FUNCTION_INFO_V1(bmn_score_in);
PG_FUNCTION_INFO_V1(bmn_score_out);
PG_FUNCTION_INFO_V1(bmn_score_recv);
PG_FUNCTION_INFO_V1(bmn_score_send);
PG_FUNCTION_INFO_V1(bmn_score_indicators);
PG_FUNCTION_INFO_V1(bmn_score_passed);

Datum
bmn_score_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	BmnScore   *s = palloc(sizeof(BmnScore));
	const char *problem = bmn_score_parse(text, s);

	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type bmn.score: \"%s\"", text),
				 errdetail("%s.", problem)));
	PG_RETURN_POINTER(s);
}

Datum
bmn_score_out(PG_FUNCTION_ARGS)
{
	BmnScore   *s = (BmnScore *) PG_GETARG_POINTER(0);
	char	   *out = palloc(BMN_SCORE_TEXT_MAX);

	bmn_score_format(s, out, BMN_SCORE_TEXT_MAX);
	PG_RETURN_CSTRING(out);
}

Datum
bmn_score_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	BmnScore   *s = palloc0(sizeof(BmnScore));
	const char *problem;

	s->version = (uint8_t) pq_getmsgbyte(buf);
	s->flags = (uint8_t) pq_getmsgbyte(buf);
	s->persons = (uint16_t) pq_getmsgint(buf, 2);
	s->thai_persons = (uint16_t) pq_getmsgint(buf, 2);
	s->reserved = (uint16_t) pq_getmsgint(buf, 2);
	s->applicable = (uint64_t) pq_getmsgint64(buf);
	s->passed = (uint64_t) pq_getmsgint64(buf);
	s->member_mask = (uint64_t) pq_getmsgint64(buf);
	for (int k = 0; k < BMN_MEMBER_SLOTS; k++)
		s->persons_applicable[k] = (uint16_t) pq_getmsgint(buf, 2);
	for (int k = 0; k < BMN_MEMBER_SLOTS; k++)
		s->persons_passed[k] = (uint16_t) pq_getmsgint(buf, 2);
	problem = bmn_score_validate(s);
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type bmn.score"),
				 errdetail("%s.", problem)));
	PG_RETURN_POINTER(s);
}

Datum
bmn_score_send(PG_FUNCTION_ARGS)
{
	BmnScore   *s = (BmnScore *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, s->version);
	pq_sendbyte(&buf, s->flags);
	pq_sendint16(&buf, s->persons);
	pq_sendint16(&buf, s->thai_persons);
	pq_sendint16(&buf, s->reserved);
	pq_sendint64(&buf, (int64) s->applicable);
	pq_sendint64(&buf, (int64) s->passed);
	pq_sendint64(&buf, (int64) s->member_mask);
	for (int k = 0; k < BMN_MEMBER_SLOTS; k++)
		pq_sendint16(&buf, s->persons_applicable[k]);
	for (int k = 0; k < BMN_MEMBER_SLOTS; k++)
		pq_sendint16(&buf, s->persons_passed[k]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
bmn_score_indicators(PG_FUNCTION_ARGS)
{
	BmnScore   *s = (BmnScore *) PG_GETARG_POINTER(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 1; i <= BMN_MAX_INDICATOR; i++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};
		int			slot;

		if ((s->applicable & bmn_bit(i)) == 0)
			continue;
		slot = bmn_score_slot(s, i);
		values[0] = Int32GetDatum(i);
		values[1] = BoolGetDatum(true);
		values[2] = BoolGetDatum((s->passed & bmn_bit(i)) != 0);
		if (slot >= 0)
		{
			values[3] = Int32GetDatum(s->persons_applicable[slot]);
			values[4] = Int32GetDatum(s->persons_passed[slot]);
		}
		else
		{
			/* a household-level indicator concerns every member */
			values[3] = Int32GetDatum(s->persons);
			values[4] = Int32GetDatum((s->passed & bmn_bit(i)) ? s->persons : 0);
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
bmn_score_passed(PG_FUNCTION_ARGS)
{
	BmnScore   *s = (BmnScore *) PG_GETARG_POINTER(0);
	int32		n = PG_GETARG_INT32(1);

	if (n < 1 || n > BMN_MAX_INDICATOR || (s->applicable & bmn_bit(n)) == 0)
		PG_RETURN_NULL();
	PG_RETURN_BOOL((s->passed & bmn_bit(n)) != 0);
}

PG_FUNCTION_INFO_V1(bmn_score_persons);

Datum
bmn_score_persons(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(((BmnScore *) PG_GETARG_POINTER(0))->persons);
}
