/*
 * load_survey_db.c: one survey batch in one transaction (see load_survey.h).
 *
 * Order: lock the year (two loads of one round wait for each other), make sure the
 * content is new, create the round if needed, the batch row, the LAOs and villages,
 * take out earlier versions of the batch's households, then COPY households and
 * members straight from the spools.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_db.h"
#include "load_survey.h"

#define HOUSEHOLD_COLUMNS_PREFIX "survey_year, batch_id, "
#define MEMBER_COLUMNS_PREFIX "survey_year, batch_id, household_id, village_code, "

static bool
copy_text(PGconn *conn, const char *sql, const copybuf *rows)
{
	PGresult   *res;
	bool		ok;

	if (!load_db_copy_start(conn, sql))
		return false;
	ok = rows->len == 0 || PQputCopyData(conn, rows->data, (int) rows->len) == 1;
	if (PQputCopyEnd(conn, ok ? NULL : "send failed") != 1)
		ok = false;
	while ((res = PQgetResult(conn)) != NULL)
	{
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
		{
			if (ok)
				fprintf(stderr, "bmn: database error: %s", PQresultErrorMessage(res));
			ok = false;
		}
		PQclear(res);
	}
	return ok;
}

/* The households of the batch that are in the round already go first. */
static bool
delete_replaced(PGconn *conn, const survey_batch *b, const char *year, long *replaced)
{
	const char *params[1] = {year};
	PGresult   *res;
	copybuf		keys = {0};
	size_t		iter = 0;
	const char *key;
	uint32_t	tag;
	bool		any;

	*replaced = 0;
	res = load_db_query(conn, "SELECT EXISTS (SELECT 1 FROM bmn.household WHERE survey_year = $1::int)",
						1, params);
	if (res == NULL)
		return false;
	any = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!any)
		return true;

	while (strmap_next(b->keys, &iter, &key, &tag))
		if (b->accepted(tag, b->ctx))
		{
			copybuf_value(&keys, key, strlen(key));
			copybuf_putc(&keys, '\n');
		}
	any = load_db_exec(conn, "CREATE TEMP TABLE bmn_load_key (household_id text PRIMARY KEY) ON COMMIT DROP") &&
		copy_text(conn, "COPY pg_temp.bmn_load_key FROM STDIN", &keys) &&
		load_db_exec(conn, "ANALYZE pg_temp.bmn_load_key");
	copybuf_free(&keys);
	if (!any)
		return false;
	res = load_db_query(conn,
						"DELETE FROM bmn.member m USING pg_temp.bmn_load_key k "
						"WHERE m.survey_year = $1::int AND m.household_id = k.household_id",
						1, params);
	if (res == NULL)
		return false;
	PQclear(res);
	res = load_db_query(conn,
						"DELETE FROM bmn.household h USING pg_temp.bmn_load_key k "
						"WHERE h.survey_year = $1::int AND h.household_id = k.household_id",
						1, params);
	if (res == NULL)
		return false;
	*replaced = atol(PQcmdTuples(res));
	PQclear(res);
	return true;
}

static bool
upsert_areas(PGconn *conn, const survey_batch *b)
{
	if (b->laos.len > 0 &&
		!(load_db_exec(conn, "CREATE TEMP TABLE bmn_load_lao (lao_code text, name_th text) ON COMMIT DROP") &&
		  copy_text(conn, "COPY pg_temp.bmn_load_lao FROM STDIN", &b->laos) &&
		  load_db_exec(conn,
					   "INSERT INTO bmn.lao AS l (lao_code, name_th) "
					   "SELECT lao_code, name_th FROM pg_temp.bmn_load_lao "
					   "ON CONFLICT (lao_code) DO UPDATE "
					   "SET name_th = coalesce(EXCLUDED.name_th, l.name_th) "
					   "WHERE l.name_th IS DISTINCT FROM coalesce(EXCLUDED.name_th, l.name_th)")))
		return false;
	if (b->villages.len == 0)
		return true;
	/* A village without a name gets its code as name until a file names it. */
	return load_db_exec(conn, "CREATE TEMP TABLE bmn_load_village (area_code text, name_th text, lao_code text) ON COMMIT DROP") &&
		copy_text(conn, "COPY pg_temp.bmn_load_village FROM STDIN", &b->villages) &&
		load_db_exec(conn,
					 "INSERT INTO bmn.area AS a (area_code, level, name_th, parent_code, lao_code) "
					 "SELECT area_code, 'village', coalesce(name_th, area_code), left(area_code, 6), lao_code "
					 "FROM pg_temp.bmn_load_village "
					 "ON CONFLICT (area_code) DO UPDATE "
					 "SET name_th = CASE WHEN EXCLUDED.name_th = EXCLUDED.area_code THEN a.name_th "
					 "                   ELSE EXCLUDED.name_th END, "
					 "    lao_code = coalesce(EXCLUDED.lao_code, a.lao_code) "
					 "WHERE (EXCLUDED.name_th <> EXCLUDED.area_code AND EXCLUDED.name_th <> a.name_th) "
					 "   OR (EXCLUDED.lao_code IS NOT NULL AND EXCLUDED.lao_code IS DISTINCT FROM a.lao_code)");
}

static bool
write_batch(PGconn *conn, const survey_batch *b, survey_written *out)
{
	char		year[16],
				batch[24],
				prefix[48],
				counts[4][24];
	const char *params[5];
	PGresult   *res;
	copybuf		sql = {0};
	long		id;
	bool		ok;

	snprintf(year, sizeof year, "%d", b->year);
	params[0] = year;
	res = load_db_query(conn, "SELECT pg_advisory_xact_lock(" LOAD_LOCK_KEY ", $1::int)", 1, params);
	if (res == NULL)
		return false;
	PQclear(res);

	id = load_db_find_batch(conn, "survey", b->sha256, out->loaded_at, sizeof out->loaded_at);
	if (id != 0)
	{
		out->earlier_batch = id;
		return id > 0;
	}

	res = load_db_query(conn,
						"SELECT bmn.create_round($1::int) "
						"WHERE NOT EXISTS (SELECT 1 FROM bmn.survey_round WHERE survey_year = $1::int)",
						1, params);
	if (res == NULL)
		return false;
	PQclear(res);

	params[1] = b->files;
	params[2] = b->sha256;
	res = load_db_query(conn,
						"INSERT INTO bmn.batch (kind, survey_year, files, content_sha256) "
						"VALUES ('survey', $1::int, $2::text[], $3) RETURNING batch_id",
						3, params);
	if (res == NULL)
		return false;
	out->batch_id = atol(PQgetvalue(res, 0, 0));
	PQclear(res);

	if (!upsert_areas(conn, b) || !delete_replaced(conn, b, year, &out->replaced))
		return false;

	snprintf(batch, sizeof batch, "%ld", out->batch_id);
	snprintf(prefix, sizeof prefix, "%s\t%s\t", year, batch);

	copybuf_printf(&sql, "COPY bmn.household (" HOUSEHOLD_COLUMNS_PREFIX "%s) FROM STDIN",
				   b->household_columns);
	ok = load_db_copy_start(conn, sql.data);
	out->households = ok ? spool_copy(b->households, conn, prefix, b->accepted, b->ctx) : -1;
	copybuf_reset(&sql);
	copybuf_printf(&sql, "COPY bmn.member (" MEMBER_COLUMNS_PREFIX "%s) FROM STDIN",
				   b->member_columns);
	ok = out->households >= 0 && load_db_copy_start(conn, sql.data);
	out->members = ok ? spool_copy(b->members, conn, prefix, b->accepted, b->ctx) : -1;
	copybuf_free(&sql);
	if (out->members < 0)
		return false;

	snprintf(counts[0], sizeof counts[0], "%ld", out->households);
	snprintf(counts[1], sizeof counts[1], "%ld", out->members);
	snprintf(counts[2], sizeof counts[2], "%ld", b->rejected);
	snprintf(counts[3], sizeof counts[3], "%ld", out->replaced);
	params[0] = batch;
	params[1] = counts[0];
	params[2] = counts[1];
	params[3] = counts[2];
	params[4] = counts[3];
	res = load_db_query(conn,
						"UPDATE bmn.batch SET households = $2::int, members = $3::int, "
						"rejected = $4::int, replaced = $5::int WHERE batch_id = $1::bigint",
						5, params);
	if (res == NULL)
		return false;
	PQclear(res);
	return true;
}

bool
survey_write(PGconn *conn, const survey_batch *b, survey_written *out)
{
	memset(out, 0, sizeof *out);
	if (!load_db_exec(conn, "BEGIN"))
		return false;
	if (!write_batch(conn, b, out))
	{
		load_db_rollback(conn);
		return false;
	}
	if (out->batch_id == 0)
	{
		load_db_rollback(conn);
		return true;
	}
	return load_db_exec(conn, "COMMIT");
}
