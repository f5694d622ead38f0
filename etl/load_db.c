/*
 * load_db.c: database helpers of `bmn load` (see load_db.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_db.h"

static void
db_error(PGconn *c, PGresult *res)
{
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c);

	fprintf(stderr, "bmn: database error: %s", msg && *msg ? msg : "unknown error\n");
}

bool
load_db_exec(PGconn *c, const char *sql)
{
	PGresult   *res = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(res);
	bool		ok = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);

	if (!ok)
		db_error(c, res);
	PQclear(res);
	return ok;
}

PGresult *
load_db_query(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult   *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	db_error(c, res);
	PQclear(res);
	return NULL;
}

bool
load_db_copy_start(PGconn *c, const char *sql)
{
	PGresult   *res = PQexec(c, sql);
	bool		ok = (PQresultStatus(res) == PGRES_COPY_IN);

	if (!ok)
		db_error(c, res);
	PQclear(res);
	return ok;
}

void
load_db_rollback(PGconn *c)
{
	/* After an error the transaction is aborted; ROLLBACK is all that is left. */
	PQclear(PQexec(c, "ROLLBACK"));
}

long
load_db_find_batch(PGconn *c, const char *kind, const char *sha256, char *when, size_t whensz)
{
	const char *params[2] = {kind, sha256};
	PGresult   *res = load_db_query(c,
									"SELECT batch_id, to_char(loaded_at, 'YYYY-MM-DD HH24:MI') "
									"FROM bmn.batch WHERE kind = $1 AND content_sha256 = $2",
									2, params);
	long		id = 0;

	if (res == NULL)
		return -1;
	if (PQntuples(res) > 0)
	{
		id = atol(PQgetvalue(res, 0, 0));
		snprintf(when, whensz, "%s", PQgetvalue(res, 0, 1));
	}
	PQclear(res);
	return id;
}

bool
load_db_area_codes(PGconn *c, int maxlen, strmap *out)
{
	char		len[16];
	const char *params[1] = {len};
	PGresult   *res;
	bool		added;

	snprintf(len, sizeof len, "%d", maxlen);
	res = load_db_query(c, "SELECT area_code FROM bmn.area WHERE length(area_code) <= $1::int",
						1, params);
	if (res == NULL)
		return false;
	for (int i = 0; i < PQntuples(res); i++)
		strmap_put(out, PQgetvalue(res, i, 0), &added);
	PQclear(res);
	return true;
}
