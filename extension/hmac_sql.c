/*
 * hmac_sql.c: bmn.hmac_sha256(key, message), the keyed hash behind the analysts'
 * pseudonyms for national IDs (PostgreSQL's own HMAC, no extra extension needed).
 */
#include "postgres.h"

#include "common/cryptohash.h"
#include "common/hmac.h"
#include "common/sha2.h"
#include "fmgr.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(bmn_hmac_sha256);

Datum
bmn_hmac_sha256(PG_FUNCTION_ARGS)
{
	bytea	   *key = PG_GETARG_BYTEA_PP(0);
	text	   *msg = PG_GETARG_TEXT_PP(1);
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	bytea	   *result;
	pg_hmac_ctx *ctx;

	if (VARSIZE_ANY_EXHDR(key) < 16)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an HMAC key must be at least 16 bytes")));
	ctx = pg_hmac_create(PG_SHA256);
	if (ctx == NULL ||
		pg_hmac_init(ctx, (const uint8 *) VARDATA_ANY(key), VARSIZE_ANY_EXHDR(key)) < 0 ||
		pg_hmac_update(ctx, (const uint8 *) VARDATA_ANY(msg), VARSIZE_ANY_EXHDR(msg)) < 0 ||
		pg_hmac_final(ctx, digest, sizeof digest) < 0)
	{
		const char *why = ctx ? pg_hmac_error(ctx) : "out of memory";

		pg_hmac_free(ctx);
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not compute HMAC: %s", why)));
	}
	pg_hmac_free(ctx);
	result = palloc(VARHDRSZ + sizeof digest);
	SET_VARSIZE(result, VARHDRSZ + sizeof digest);
	memcpy(VARDATA(result), digest, sizeof digest);
	PG_RETURN_BYTEA_P(result);
}
