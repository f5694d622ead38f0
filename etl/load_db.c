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

long
load_db_count(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult   *res = load_db_query(c, sql, n, params);
	long		rows;

	if (res == NULL)
		return -1;
	rows = atol(PQcmdTuples(res));
	PQclear(res);
	return rows;
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

bool
load_db_copy_end(PGconn *c, const char *error)
{
	PGresult   *res;
	bool		ok = PQputCopyEnd(c, error) == 1;

	if (!ok)
		db_error(c, NULL);
	while ((res = PQgetResult(c)) != NULL)
	{
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
		{
			if (ok && error == NULL)
				db_error(c, res);
			ok = false;
		}
		PQclear(res);
	}
	return ok && error == NULL;
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

int
load_db_rls_active(PGconn *c, const char *table)
{
	const char *params[1] = {table};
	PGresult   *res = load_db_query(c, "SELECT row_security_active($1::text)", 1, params);
	int			active;

	if (res == NULL)
		return -1;
	active = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return active;
}

PGresult *
load_db_query_scoped(PGconn *c, const char *sql, int n, const char *const *params,
					 char *refused)
{
	PGresult   *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	if (state && strcmp(state, "42501") == 0)
		snprintf(refused, LOAD_DB_REFUSED_SIZE, "%s", PQresultErrorMessage(res));
	else
		db_error(c, res);
	PQclear(res);
	return NULL;
}

void
load_db_report_refused(PGconn *c, const char *file, const char *what, const char *villages,
					   const char *refused)
{
	const char *params[1] = {villages};
	PGresult   *res;
	long		n;

	/*
	 * The policies let a loader write the villages of its areas only: which of the
	 * batch's are not, with their provinces, and what the user was granted.
	 */
	res = load_db_query(c,
						"WITH o AS (SELECT DISTINCT code FROM unnest($1::text[]) code "
						"           WHERE NOT bmn.in_scope(code, bmn.scope_areas())) "
						"SELECT (SELECT count(*) FROM o), "
						"  (SELECT string_agg(code, ', ' ORDER BY code) FROM "
						"     (SELECT code FROM o ORDER BY code LIMIT 3) f), "
						"  (SELECT string_agg(p || coalesce(' ' || a.name_th, ''), ', ' ORDER BY p) "
						"     FROM (SELECT DISTINCT left(code, 2) p FROM o) x "
						"     LEFT JOIN bmn.area a ON a.area_code = x.p), "
						"  (SELECT string_agg(g || coalesce(' ' || a.name_th, ''), ', ' ORDER BY g) "
						"     FROM unnest(bmn.scope_areas()) g LEFT JOIN bmn.area a ON a.area_code = g), "
						"  cardinality(bmn.scope_areas()), current_user",
						1, params);
	n = res ? atol(PQgetvalue(res, 0, 0)) : 0;
	if (n == 0)
		fprintf(stderr, "bmn: %s: the database refused the batch: %s", file,
				refused && *refused ? refused : "permission denied\n");
	else
	{
		long		shown = n < 3 ? n : 3;
		long		granted = atol(PQgetvalue(res, 0, 4));

		fprintf(stderr, "bmn: %s: you may not load %s of village%s %s", file, what,
				n == 1 ? "" : "s", PQgetvalue(res, 0, 1));
		if (n > shown)
			fprintf(stderr, " and %ld more", n - shown);
		fprintf(stderr, " (%s %s): role \"%s\" ", strchr(PQgetvalue(res, 0, 2), ',') ?
				"provinces" : "province", PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 5));
		if (granted == 0)
			fprintf(stderr, "is granted no area");
		else
			fprintf(stderr, "is granted only %s %s", granted == 1 ? "area" : "areas",
					PQgetvalue(res, 0, 3));
		fprintf(stderr, "; an administrator grants areas with bmn.grant_area\n");
	}
	PQclear(res);
}

int
load_db_may_load_areas(PGconn *c, char *user, size_t usersz)
{
	/* The area list's policies leave it to administrators (bmn.area, 80_access.sql). */
	PGresult   *res = load_db_query(c,
									"SELECT NOT row_security_active('bmn.area') "
									"    OR pg_has_role('bmn_admin', 'MEMBER'), current_user",
									0, NULL);
	int			may;

	if (res == NULL)
		return -1;
	may = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	snprintf(user, usersz, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	return may;
}
