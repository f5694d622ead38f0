/*
 * load_survey_db.c: one survey batch in one transaction (see load_survey.h).
 *
 * Order: lock the year (two loads of one round wait for each other), make sure the
 * content is new, create the round if needed, the batch row, the LAOs and villages;
 * then earlier versions of the batch's households go (kept in bmn.household_version)
 * and a thread of its own COPYs the households, then the members as members.csv is
 * checked. Households rejected after they were sent are deleted before the commit.
 *
 * PostgreSQL refuses COPY FROM into a table with row-level security for a user it
 * applies to (a member of bmn_loader): for such a user the thread COPYs into temporary
 * tables of the same columns and INSERTs from them, so that the policies refuse a
 * household outside the user's areas, and the whole batch with it.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load_db.h"
#include "load_survey.h"

#define HOUSEHOLD_COLUMNS_PREFIX "survey_year, batch_id, "
#define MEMBER_COLUMNS_PREFIX "survey_year, batch_id, household_id, village_code, "
#define SEND_CHUNK (256 * 1024)

struct survey_writer
{
	PGconn	   *conn;
	survey	   *s;
	char		year[16],
				batch[24],
				prefix[48];
	long		batch_id;
	long		replaced;
	bool		replacing;
	bool		streaming;		/* send rows tagged SURVEY_SEND_BIT as they come */
	bool		staged;			/* row-level security: COPY to pg_temp, then INSERT */
	atomic_bool stop;			/* no members: the batch is abandoned */
	copybuf		hsql,
				msql,
				hinsert,		/* when staged: INSERT ... SELECT from pg_temp */
				minsert;
	char		refused[LOAD_DB_REFUSED_SIZE];	/* what the policies refused, or "" */

	pthread_t	thread;
	bool		started;
	atomic_bool done;
	atomic_ulong rows_sent;
	unsigned long rows_base;	/* rows sent by the COPYs before this one */
	/* Set by the thread, read after the join. */
	bool		ok;
	long		households;
	long		members;
};

static bool
copy_text(PGconn *conn, const char *sql, const copybuf *rows)
{
	bool		ok;

	if (!load_db_copy_start(conn, sql))
		return false;
	ok = rows->len == 0 || PQputCopyData(conn, rows->data, (int) rows->len) == 1;
	return load_db_copy_end(conn, ok ? NULL : "send failed");
}

/* Which households a list of keys takes. */
typedef enum
{
	KEYS_SENT,					/* those sent, or to send */
	KEYS_LATE					/* rejected after they were sent */
} key_choice;

static bool
key_wanted(const survey *s, uint32_t idx, key_choice which)
{
	const household *h = &s->hh[idx];

	return which == KEYS_SENT ? h->sent : (h->sent && h->rejected);
}

/*
 * Fills a new temporary table with the household_id of the chosen households: the
 * first column of their spooled rows, already COPY text. *n gets how many.
 */
static bool
copy_keys(PGconn *conn, survey *s, const char *table, key_choice which, long *n)
{
	spool_reader *rd = spool_reader_new(s->hspool);
	copybuf		sql = {0},
				out = {0};
	const char *text,
			   *error = NULL;
	size_t		len;
	uint32_t	tag;
	bool		ok;

	*n = 0;
	copybuf_printf(&sql, "CREATE TEMP TABLE %s (household_id text COLLATE \"C\" PRIMARY KEY) "
				   "ON COMMIT DROP", table);
	ok = load_db_exec(conn, sql.data);
	copybuf_reset(&sql);
	copybuf_printf(&sql, "COPY pg_temp.%s FROM STDIN", table);
	ok = ok && load_db_copy_start(conn, sql.data);
	while (ok && error == NULL && spool_reader_next(rd, &tag, &text, &len))
	{
		const char *tab = memchr(text, '\t', len);

		if (!key_wanted(s, tag & ~SURVEY_SEND_BIT, which))
			continue;
		copybuf_append(&out, text, tab ? (size_t) (tab - text) : len);
		copybuf_putc(&out, '\n');
		(*n)++;
		if (out.len >= SEND_CHUNK)
		{
			if (PQputCopyData(conn, out.data, (int) out.len) != 1)
				error = "send failed";
			copybuf_reset(&out);
		}
	}
	if (ok && error == NULL)
		error = spool_reader_error(rd);
	if (ok && error == NULL && out.len > 0 && PQputCopyData(conn, out.data, (int) out.len) != 1)
		error = "send failed";
	if (ok)
		ok = load_db_copy_end(conn, error);
	spool_reader_free(rd);
	copybuf_free(&sql);
	copybuf_free(&out);
	if (ok)
	{
		copybuf_printf(&sql, "ANALYZE pg_temp.%s", table);
		ok = load_db_exec(conn, sql.data);
		copybuf_free(&sql);
	}
	return ok;
}

/* COPY rows for bmn.area (villages) and bmn.lao. */
static void
area_rows(const survey *s, copybuf *villages, copybuf *laos)
{
	size_t		iter = 0;
	const char *code;
	uint32_t	idx;

	while (strmap_next(s->village_idx, &iter, &code, &idx))
	{
		const village *vi = &s->villages[idx];

		copybuf_puts(villages, code);
		copybuf_sep(villages);
		if (vi->name)
			copybuf_value(villages, vi->name, strlen(vi->name));
		else
			copybuf_null(villages);
		copybuf_sep(villages);
		if (vi->lao_code)
			copybuf_value(villages, vi->lao_code, strlen(vi->lao_code));
		else
			copybuf_null(villages);
		copybuf_putc(villages, '\n');
	}
	iter = 0;
	while (strmap_next(s->lao_idx, &iter, &code, &idx))
	{
		copybuf_value(laos, code, strlen(code));
		copybuf_sep(laos);
		if (s->lao_names[idx])
			copybuf_value(laos, s->lao_names[idx], strlen(s->lao_names[idx]));
		else
			copybuf_null(laos);
		copybuf_putc(laos, '\n');
	}
}

/* A statement whose refusal by the policies is kept for the message (a new village). */
static bool
exec_scoped(survey_writer *w, const char *sql)
{
	PGresult   *res = load_db_query_scoped(w->conn, sql, 0, NULL, w->refused);

	PQclear(res);
	return res != NULL;
}

static bool
upsert_areas(survey_writer *w)
{
	PGconn	   *conn = w->conn;
	const survey *s = w->s;
	copybuf		villages = {0},
				laos = {0};
	bool		ok = true;

	area_rows(s, &villages, &laos);
	if (laos.len > 0)
		ok = load_db_exec(conn, "CREATE TEMP TABLE bmn_load_lao (lao_code text, name_th text) ON COMMIT DROP") &&
			copy_text(conn, "COPY pg_temp.bmn_load_lao FROM STDIN", &laos) &&
			exec_scoped(w,
						"INSERT INTO bmn.lao AS l (lao_code, name_th) "
						"SELECT lao_code, name_th FROM pg_temp.bmn_load_lao "
						"ON CONFLICT (lao_code) DO UPDATE "
						"SET name_th = coalesce(EXCLUDED.name_th, l.name_th) "
						"WHERE l.name_th IS DISTINCT FROM coalesce(EXCLUDED.name_th, l.name_th)");
	/* A village without a name gets its code as name until a file names it. */
	if (ok && villages.len > 0)
		ok = load_db_exec(conn, "CREATE TEMP TABLE bmn_load_village (area_code text, name_th text, lao_code text) ON COMMIT DROP") &&
			copy_text(conn, "COPY pg_temp.bmn_load_village FROM STDIN", &villages) &&
			exec_scoped(w,
						"INSERT INTO bmn.area AS a (area_code, level, name_th, parent_code, lao_code) "
						"SELECT area_code, 'village', coalesce(name_th, area_code), left(area_code, 6), lao_code "
						"FROM pg_temp.bmn_load_village "
						"ON CONFLICT (area_code) DO UPDATE "
						"SET name_th = CASE WHEN EXCLUDED.name_th = EXCLUDED.area_code THEN a.name_th "
						"                   ELSE EXCLUDED.name_th END, "
						"    lao_code = coalesce(EXCLUDED.lao_code, a.lao_code) "
						"WHERE (EXCLUDED.name_th <> EXCLUDED.area_code AND EXCLUDED.name_th <> a.name_th) "
						"   OR (EXCLUDED.lao_code IS NOT NULL AND EXCLUDED.lao_code IS DISTINCT FROM a.lao_code)");
	copybuf_free(&villages);
	copybuf_free(&laos);
	return ok;
}

/*
 * Earlier versions of the households in pg_temp.bmn_load_key go, with their members;
 * which batch each came from and which replaced it stays in bmn.household_version.
 */
static bool
delete_replaced(survey_writer *w)
{
	const char *params[2] = {w->year, w->batch};

	if (load_db_count(w->conn,
					  "DELETE FROM bmn.member m USING pg_temp.bmn_load_key k "
					  "WHERE m.survey_year = $1::int AND m.household_id = k.household_id",
					  1, params) < 0)
		return false;
	w->replaced = load_db_count(w->conn,
								"WITH old AS ("
								"  DELETE FROM bmn.household h USING pg_temp.bmn_load_key k"
								"  WHERE h.survey_year = $1::int AND h.household_id = k.household_id"
								"  RETURNING h.household_id, h.batch_id, h.village_code) "
								"INSERT INTO bmn.household_version "
								"  (survey_year, household_id, batch_id, village_code, replaced_by_batch) "
								"SELECT $1::int, household_id, batch_id, village_code, $2::bigint FROM old",
								2, params);
	return w->replaced >= 0;
}

static void
writer_free(survey_writer *w)
{
	copybuf_free(&w->hsql);
	copybuf_free(&w->msql);
	copybuf_free(&w->hinsert);
	copybuf_free(&w->minsert);
	free(w);
}

/* Runs on the sending thread: reads nothing the reading thread changes. */
static bool
keep_sent(uint32_t tag, void *ctx)
{
	survey_writer *w = ctx;

	if (w->streaming)
		return (tag & SURVEY_SEND_BIT) != 0;
	return !bitset_get(&w->s->unsent, tag & ~SURVEY_SEND_BIT);
}

static void
count_sent(unsigned long rows, void *ctx)
{
	survey_writer *w = ctx;

	atomic_store(&w->rows_sent, w->rows_base + rows);
}

/*
 * When staged, the rows COPYed into pg_temp go into the table: how many did, or -1
 * (the refusal of a row outside the user's areas kept for the message).
 */
static long
insert_staged(survey_writer *w, const copybuf *insert, long copied)
{
	PGresult   *res;
	long		n;

	if (!w->staged || copied < 0)
		return copied;
	res = load_db_query_scoped(w->conn, insert->data, 0, NULL, w->refused);
	if (res == NULL)
		return -1;
	n = atol(PQcmdTuples(res));
	PQclear(res);
	return n;
}

/* The thread: households, then members as they come. */
static void *
send_rows(void *arg)
{
	survey_writer *w = arg;

	w->ok = false;
	w->households = w->members = -1;
	if (load_db_copy_start(w->conn, w->hsql.data))
		w->households = spool_copy(w->s->hspool, w->conn, w->prefix, keep_sent, w, count_sent);
	w->rows_base = w->households > 0 ? (unsigned long) w->households : 0;
	if (atomic_load(&w->stop))
		w->households = -1;
	w->households = insert_staged(w, &w->hinsert, w->households);
	progress_timing("households sent");
	if (w->households >= 0 && load_db_copy_start(w->conn, w->msql.data))
		w->members = insert_staged(w, &w->minsert,
								   spool_copy(w->s->mspool, w->conn, w->prefix, keep_sent, w,
											  count_sent));
	w->ok = w->members >= 0;
	progress_timing("members sent");
	atomic_store(&w->done, true);
	return NULL;
}

survey_writer *
survey_write_begin(PGconn *conn, survey *s, const char *files, const char *sha256,
				   survey_written *out, bool *round_empty, bool *replacing)
{
	survey_writer *w = load_xcalloc(1, sizeof *w);
	const char *params[3];
	PGresult   *res;
	long		id,
				nkeys;
	bool		round_exists;

	w->conn = conn;
	w->s = s;
	if (replacing)
		*replacing = false;
	snprintf(w->year, sizeof w->year, "%d", s->year);
	params[0] = w->year;
	if (!load_db_exec(conn, "BEGIN"))
		goto fail;
	/*
	 * Loads of one round run side by side (provinces load at once, one core each),
	 * under a shared lock of the year. The first load of a round creates it, under
	 * the exclusive lock: a round, once committed, stays, so the check before
	 * locking cannot go stale. Two loads bringing the same household at once
	 * cannot both insert it: the second fails on the primary key and loads nothing.
	 */
	res = load_db_query(conn, "SELECT EXISTS (SELECT 1 FROM bmn.survey_round WHERE survey_year = $1::int)",
						1, params);
	if (res == NULL)
		goto fail;
	round_exists = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	res = load_db_query(conn, round_exists ?
						"SELECT pg_advisory_xact_lock_shared(" LOAD_LOCK_KEY ", $1::int)" :
						"SELECT pg_advisory_xact_lock(" LOAD_LOCK_KEY ", $1::int)", 1, params);
	if (res == NULL)
		goto fail;
	PQclear(res);

	id = load_db_find_batch(conn, "survey", sha256, out->loaded_at, sizeof out->loaded_at);
	if (id != 0)
	{
		out->earlier_batch = id;
		goto fail;
	}
	res = load_db_query(conn,
						"SELECT bmn.create_round($1::int) "
						"WHERE NOT EXISTS (SELECT 1 FROM bmn.survey_round WHERE survey_year = $1::int)",
						1, params);
	if (res == NULL)
		goto fail;
	PQclear(res);

	/* Are households of this batch in the round already? */
	res = load_db_query(conn, "SELECT EXISTS (SELECT 1 FROM bmn.household WHERE survey_year = $1::int)",
						1, params);
	if (res == NULL)
		goto fail;
	w->replacing = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	*round_empty = !w->replacing;
	PQclear(res);
	if (w->replacing && replacing == NULL)
		goto fail;				/* the caller wanted to stream: it cannot */

	params[1] = files;
	params[2] = sha256;
	res = load_db_query(conn,
						"INSERT INTO bmn.batch (kind, survey_year, files, content_sha256) "
						"VALUES ('survey', $1::int, $2::text[], $3) RETURNING batch_id",
						3, params);
	if (res == NULL)
		goto fail;
	w->batch_id = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	snprintf(w->batch, sizeof w->batch, "%ld", w->batch_id);
	snprintf(w->prefix, sizeof w->prefix, "%s\t%s\t", w->year, w->batch);

	if (w->replacing)
	{
		if (!copy_keys(conn, s, "bmn_load_key", KEYS_SENT, &nkeys))
			goto fail;
		res = load_db_query(conn,
							"SELECT EXISTS (SELECT 1 FROM bmn.household h JOIN pg_temp.bmn_load_key k "
							"USING (household_id) WHERE h.survey_year = $1::int)", 1, params);
		if (res == NULL)
			goto fail;
		w->replacing = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
		PQclear(res);
		if (!load_db_exec(conn, "DROP TABLE pg_temp.bmn_load_key"))
			goto fail;
	}
	if (replacing)
		*replacing = w->replacing;

	{
		copybuf		cols = {0},
					hcols = {0},
					mcols = {0};
		int			rls = load_db_rls_active(conn, "bmn.household");

		rowconv_copy_columns(&s->hconv, &cols);
		copybuf_printf(&hcols, HOUSEHOLD_COLUMNS_PREFIX "%s%s", cols.data,
					   s->with_meta ? ", meta" : "");
		copybuf_reset(&cols);
		rowconv_copy_columns(&s->mconv, &cols);
		copybuf_printf(&mcols, MEMBER_COLUMNS_PREFIX "%s", cols.data);
		copybuf_free(&cols);
		w->staged = rls == 1;
		if (w->staged)
		{
			/* The same columns, with the table's types; constraints are checked at INSERT. */
			copybuf_printf(&w->hsql, "CREATE TEMP TABLE bmn_load_household ON COMMIT DROP AS "
						   "SELECT %s FROM bmn.household WITH NO DATA", hcols.data);
			copybuf_printf(&w->msql, "CREATE TEMP TABLE bmn_load_member ON COMMIT DROP AS "
						   "SELECT %s FROM bmn.member WITH NO DATA", mcols.data);
			if (!load_db_exec(conn, w->hsql.data) || !load_db_exec(conn, w->msql.data))
				rls = -1;
			copybuf_reset(&w->hsql);
			copybuf_reset(&w->msql);
			copybuf_printf(&w->hinsert, "INSERT INTO bmn.household (%s) "
						   "SELECT %s FROM pg_temp.bmn_load_household", hcols.data, hcols.data);
			copybuf_printf(&w->minsert, "INSERT INTO bmn.member (%s) "
						   "SELECT %s FROM pg_temp.bmn_load_member", mcols.data, mcols.data);
		}
		copybuf_printf(&w->hsql, "COPY %s (%s) FROM STDIN",
					   w->staged ? "pg_temp.bmn_load_household" : "bmn.household", hcols.data);
		copybuf_printf(&w->msql, "COPY %s (%s) FROM STDIN",
					   w->staged ? "pg_temp.bmn_load_member" : "bmn.member", mcols.data);
		copybuf_free(&hcols);
		copybuf_free(&mcols);
		if (rls < 0)
			goto fail;
	}
	out->batch_id = w->batch_id;
	return w;

fail:
	survey_write_abort(w);
	return NULL;
}

bool
survey_write_send(survey_writer *w, bool streaming)
{
	w->streaming = streaming;
	if (w->replacing)
	{
		long		n;

		if (!copy_keys(w->conn, w->s, "bmn_load_key", KEYS_SENT, &n) || !delete_replaced(w))
			return false;
	}
	progress_timing("sending starts");
	atomic_store(&w->done, false);
	atomic_store(&w->rows_sent, 0);
	if (pthread_create(&w->thread, NULL, send_rows, w) != 0)
	{
		fprintf(stderr, "bmn: cannot start a thread\n");
		return false;
	}
	w->started = true;
	return true;
}

/* The sending thread goes no further than the households it is sending. */
void
survey_write_stop(survey_writer *w)
{
	atomic_store(&w->stop, true);
}

void
survey_write_abandon(survey_writer *w)
{
	survey_write_stop(w);
	if (w->started)
	{
		pthread_join(w->thread, NULL);
		w->started = false;
	}
	w->refused[0] = '\0';		/* the batch is sent again, and refused again if need be */
	survey_write_abort(w);
}

/* Waits for the sending thread, showing how far it is. */
static void
wait_sent(survey_writer *w)
{
	survey	   *s = w->s;
	unsigned long total = spool_rows(s->hspool) + spool_rows(s->mspool);

	if (!w->started)
		return;
	progress_start(&s->prog, !s->o->quiet, "sending to the server", total, true);
	while (!atomic_load(&w->done))
	{
		struct timespec ts = {0, 100 * 1000 * 1000};
		unsigned long sent = atomic_load(&w->rows_sent);

		progress_update(&s->prog, sent < total ? sent : total, sent < total ? sent : total);
		nanosleep(&ts, NULL);
	}
	pthread_join(w->thread, NULL);
	w->started = false;
	progress_clear(&s->prog);
}

bool
survey_write_commit(survey_writer *w, survey_written *out)
{
	survey	   *s = w->s;
	char		counts[4][24];
	const char *params[5];
	PGresult   *res;
	long		late = 0,
				late_members = 0;

	wait_sent(w);
	if (!w->ok || !upsert_areas(w))
		goto fail;

	/* Households rejected after they were sent (by a member row) go again. */
	for (uint32_t i = 0, n = idxmap_count(s->keys); i < n && late == 0; i++)
		late = key_wanted(s, i, KEYS_LATE);
	if (late)
	{
		const char *p[1] = {w->year};

		if (!copy_keys(w->conn, s, "bmn_load_late", KEYS_LATE, &late))
			goto fail;
		late_members = load_db_count(w->conn,
									 "DELETE FROM bmn.member m USING pg_temp.bmn_load_late k "
									 "WHERE m.survey_year = $1::int AND m.household_id = k.household_id",
									 1, p);
		late = late_members < 0 ? -1 :
			load_db_count(w->conn,
						  "DELETE FROM bmn.household h USING pg_temp.bmn_load_late k "
						  "WHERE h.survey_year = $1::int AND h.household_id = k.household_id",
						  1, p);
		if (late < 0)
			goto fail;
	}
	out->batch_id = w->batch_id;
	out->households = w->households - late;
	out->members = w->members - late_members;
	out->replaced = w->replaced;

	snprintf(counts[0], sizeof counts[0], "%ld", out->households);
	snprintf(counts[1], sizeof counts[1], "%ld", out->members);
	snprintf(counts[2], sizeof counts[2], "%ld", s->rejected + s->orphans);
	snprintf(counts[3], sizeof counts[3], "%ld", out->replaced);
	params[0] = w->batch;
	params[1] = counts[0];
	params[2] = counts[1];
	params[3] = counts[2];
	params[4] = counts[3];
	res = load_db_query(w->conn,
						"UPDATE bmn.batch SET households = $2::int, members = $3::int, "
						"rejected = $4::int, replaced = $5::int WHERE batch_id = $1::bigint",
						5, params);
	if (res == NULL)
		goto fail;
	PQclear(res);
	if (!load_db_exec(w->conn, "COMMIT"))
		goto fail;
	progress_timing("committed");
	writer_free(w);
	return true;

fail:
	survey_write_abort(w);
	return false;
}

void
survey_write_abort(survey_writer *w)
{
	if (w == NULL)
		return;
	if (w->started)
	{
		pthread_join(w->thread, NULL);
		w->started = false;
	}
	load_db_rollback(w->conn);
	if (w->refused[0])
	{
		copybuf		villages = {0};
		size_t		iter = 0;
		const char *code;
		uint32_t	idx;

		copybuf_putc(&villages, '{');
		while (strmap_next(w->s->village_idx, &iter, &code, &idx))
		{
			if (villages.len > 1)
				copybuf_putc(&villages, ',');
			copybuf_puts(&villages, code);
		}
		copybuf_putc(&villages, '}');
		load_db_report_refused(w->conn, w->s->hfile, "households", villages.data, w->refused);
		copybuf_free(&villages);
	}
	writer_free(w);
}
