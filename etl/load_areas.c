/*
 * load_areas.c: an area list, areas.csv (formats.md): code, name_th, name_en and
 * optionally level and parent_code. The level follows from the code's length; a
 * given level or parent_code must agree with it. Every parent must be in the
 * database already or come in the same file, so parents are settled from the
 * shortest codes up before anything is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bmn.h"
#include "field.h"
#include "keyset.h"
#include "load.h"
#include "load_db.h"
#include "load_util.h"
#include "reject.h"
#include "report.h"
#include "spool.h"

enum
{
	A_CODE, A_NAME_TH, A_NAME_EN, A_LEVEL, A_PARENT, A_NCOLS
};
static const char *const area_names[A_NCOLS] = {
	"code", "name_th", "name_en", "level", "parent_code"
};

typedef struct
{
	uint32_t	ordinal;
	uint32_t	line;
	char		code[9];
	bool		rejected;
} area;

typedef struct
{
	const load_options *o;
	const load_input *in;
	int			pos[A_NCOLS];
	size_t		header_fields;
	strmap	   *codes;			/* code -> index in areas */
	area	   *areas;
	size_t		n,
				cap;
	bitset		rows;			/* rows to reject */
	long		rejected;
	bool		over_limit;
	spool	   *spool;
} areaload;

static const char *
level_of_length(size_t len)
{
	switch (len)
	{
		case 2:
			return "province";
		case 4:
			return "district";
		case 6:
			return "tambon";
		default:
			return "village";
	}
}

/* A level as area lists write it (English, romanised Thai or Thai); NULL if none. */
static const char *
level_word(const char *s)
{
	static const struct
	{
		const char *word;
		const char *level;
	}			words[] = {
		{"province", "province"}, {"changwat", "province"}, {"จังหวัด", "province"},
		{"district", "district"}, {"amphoe", "district"}, {"khet", "district"},
		{"อำเภอ", "district"}, {"เขต", "district"},
		{"tambon", "tambon"}, {"subdistrict", "tambon"}, {"sub-district", "tambon"},
		{"khwaeng", "tambon"}, {"ตำบล", "tambon"}, {"แขวง", "tambon"},
		{"village", "village"}, {"muban", "village"}, {"mooban", "village"},
		{"หมู่บ้าน", "village"},
	};
	char		buf[64];

	if (field_normalize(s, buf, sizeof buf) <= 0)
		return NULL;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcasecmp(buf, words[i].word) == 0)
			return words[i].level;
	return NULL;
}

static bool
count_reject(areaload *a)
{
	a->rejected++;
	if (a->o->max_rejects >= 0 && a->rejected > a->o->max_rejects)
		a->over_limit = true;
	return !a->over_limit;
}

static const char *
field_at(const areaload *a, const csvr_row *row, int col)
{
	int			p = a->pos[col];

	return (p >= 0 && (size_t) p < row->nfields) ? row->fields[p] : "";
}

/* Checks one row; appends its COPY text to out. Returns the number of errors. */
static int
check_row(areaload *a, const csvr_row *row, copybuf *out, char code[9])
{
	const char *file = a->in->path;
	const char *s;
	char		shown[160],
				parent[9];
	size_t		len;
	int			errors = 0;

	code[0] = '\0';
	if (row->bad_bytes)
		for (int col = 0; col < A_NCOLS; col++)
		{
			int			p = a->pos[col];

			if (p < 0 || (size_t) p >= row->nfields)
				continue;
			if (strlen(row->fields[p]) != row->lens[p])
				report_error(file, row->line, p + 1, "%s contains a NUL byte (is the file "
							 "damaged, or not a text file?)", area_names[col]);
			else if (memchr(row->fields[p], TEXTENC_BAD, row->lens[p]) != NULL)
				report_error(file, row->line, p + 1, "%s contains bytes that are not %s text "
							 "(is the file damaged, or in another encoding? see --encoding)",
							 area_names[col], textenc_name(a->in->enc));
			else
				continue;
			return errors + 1;
		}
	if (row->nfields > a->header_fields)
	{
		report_error(file, row->line, (int) a->header_fields + 1,
					 "this row has %zu fields, but the header has %zu",
					 row->nfields, a->header_fields);
		errors++;
	}
	s = field_at(a, row, A_CODE);
	if (field_area_code(s, code) != FIELD_OK)
	{
		code[0] = '\0';
		field_for_message(s, shown, sizeof shown);
		report_error(file, row->line, a->pos[A_CODE] + 1,
					 "code \"%s\" is not an area code (2 digits for a province, 4 a district, "
					 "6 a tambon, 8 a village)", shown);
		return errors + 1;
	}
	len = strlen(code);
	memcpy(parent, code, len - 2);
	parent[len - 2] = '\0';

	copybuf_puts(out, code);
	copybuf_sep(out);
	copybuf_puts(out, level_of_length(len));

	for (int col = A_NAME_TH; col <= A_NAME_EN; col++)
	{
		const char *t;
		int			p = a->pos[col];

		copybuf_sep(out);
		s = field_at(a, row, col);
		t = field_trim(s, &len);
		if (len == 0 && col == A_NAME_TH)
		{
			report_error(file, row->line, p + 1, "name_th has no value, but it is required");
			errors++;
		}
		else if (len == 0)
			copybuf_null(out);
		else
			copybuf_value(out, t, len);
	}

	s = field_at(a, row, A_LEVEL);
	if (!field_is_blank(s))
	{
		const char *level = level_word(s);

		field_for_message(s, shown, sizeof shown);
		if (level == NULL)
		{
			report_error(file, row->line, a->pos[A_LEVEL] + 1,
						 "level \"%s\" is not a level (province, district, tambon or village)", shown);
			errors++;
		}
		else if (strcmp(level, level_of_length(strlen(code))) != 0)
		{
			report_error(file, row->line, a->pos[A_LEVEL] + 1,
						 "level \"%s\" does not match code %s, which is a %s code",
						 shown, code, level_of_length(strlen(code)));
			errors++;
		}
	}

	s = field_at(a, row, A_PARENT);
	if (!field_is_blank(s))
	{
		char		given[9];

		field_for_message(s, shown, sizeof shown);
		if (field_area_code(s, given) != FIELD_OK || strcmp(given, parent) != 0)
		{
			if (parent[0])
				report_error(file, row->line, a->pos[A_PARENT] + 1,
							 "parent_code \"%s\" does not match code %s, whose parent is %s",
							 shown, code, parent);
			else
				report_error(file, row->line, a->pos[A_PARENT] + 1,
							 "parent_code \"%s\" given for province %s; a province has no parent",
							 shown, code);
			errors++;
		}
	}
	copybuf_sep(out);
	if (parent[0])
		copybuf_puts(out, parent);
	else
		copybuf_null(out);
	return errors;
}

static bool
read_rows(areaload *a, csvr *r)
{
	copybuf		line = {0};
	csvr_row	row;
	csvr_result res;
	char		code[9];

	while ((res = csvr_next(r, &row)) != CSVR_EOF && !a->over_limit)
	{
		bool		added;
		uint32_t   *slot;
		area	   *e;
		int			errors;

		if (res == CSVR_FATAL)
		{
			load_report_csv(a->in, r);
			copybuf_free(&line);
			return false;
		}
		if (res == CSVR_BADROW)
		{
			load_report_csv(a->in, r);
			bitset_set(&a->rows, row.ordinal);
			count_reject(a);
			continue;
		}
		copybuf_reset(&line);
		errors = check_row(a, &row, &line, code);
		if (code[0] == '\0')
		{
			bitset_set(&a->rows, row.ordinal);
			count_reject(a);
			continue;
		}
		slot = strmap_put(a->codes, code, &added);
		if (!added)
		{
			area	   *first = &a->areas[*slot];

			report_error(a->in->path, row.line, a->pos[A_CODE] + 1,
						 "code %s appears more than once (also on line %u); "
						 "every row with it is rejected", code, first->line);
			if (!first->rejected)
			{
				first->rejected = true;
				count_reject(a);
			}
			bitset_set(&a->rows, row.ordinal);
			count_reject(a);
			continue;
		}
		if (a->n == a->cap)
		{
			a->cap = a->cap ? a->cap * 2 : 1024;
			a->areas = load_xrealloc(a->areas, a->cap * sizeof(area));
		}
		*slot = (uint32_t) a->n;
		e = &a->areas[a->n++];
		e->ordinal = (uint32_t) row.ordinal;
		e->line = (uint32_t) row.line;
		strcpy(e->code, code);
		e->rejected = errors > 0;
		if (errors)
			count_reject(a);
		else if (!spool_put(a->spool, *slot, line.data, line.len))
		{
			copybuf_free(&line);
			return false;
		}
	}
	copybuf_free(&line);
	return true;
}

/*
 * Every parent must be known: in the database, or accepted from this file. Shorter
 * codes are settled first, so a rejected district takes its tambons with it.
 */
static void
settle_parents(areaload *a, const strmap *known)
{
	for (size_t len = 4; len <= 8 && !a->over_limit; len += 2)
		for (size_t i = 0; i < a->n && !a->over_limit; i++)
		{
			area	   *e = &a->areas[i];
			char		parent[9];
			uint32_t   *slot;
			bool		in_file;

			if (e->rejected || strlen(e->code) != len)
				continue;
			memcpy(parent, e->code, len - 2);
			parent[len - 2] = '\0';
			slot = strmap_get(a->codes, parent);
			in_file = slot != NULL && !a->areas[*slot].rejected;
			if (in_file || strmap_get(known, parent) != NULL)
				continue;
			report_error(a->in->path, e->line, a->pos[A_CODE] + 1,
						 slot ? "code %s: its parent %s is rejected, and not in the area list"
						 : "code %s: its parent %s is neither in the area list nor in this file",
						 e->code, parent);
			e->rejected = true;
			count_reject(a);
		}
}

static bool
area_accepted(uint32_t tag, void *ctx)
{
	return !((areaload *) ctx)->areas[tag].rejected;
}

static bool
want_row(const csvr_row *row, bool malformed, void *ctx)
{
	(void) malformed;
	return bitset_get(&((areaload *) ctx)->rows, row->ordinal);
}

typedef struct
{
	long		batch_id;
	long		earlier_batch;
	char		loaded_at[32];
	long		loaded,
				added,
				changed;
} areas_written;

static bool
write_areas(PGconn *conn, areaload *a, const char *sha, areas_written *w)
{
	const load_input *in[1] = {a->in};
	char	   *files = load_files_array(in, 1);
	char		n1[24],
				n2[24],
				id[24];
	const char *params[3];
	PGresult   *res = NULL;
	bool		ok = false;

	if (!load_db_exec(conn, "BEGIN"))
	{
		free(files);
		return false;
	}
	if (!load_db_exec(conn, "SELECT pg_advisory_xact_lock(" LOAD_LOCK_KEY ", 0)"))
		goto out;
	w->earlier_batch = load_db_find_batch(conn, "areas", sha, w->loaded_at, sizeof w->loaded_at);
	if (w->earlier_batch != 0)
	{
		ok = w->earlier_batch > 0;
		goto out;
	}
	params[0] = files;
	params[1] = sha;
	res = load_db_query(conn,
						"INSERT INTO bmn.batch (kind, files, content_sha256) "
						"VALUES ('areas', $1::text[], $2) RETURNING batch_id", 2, params);
	if (res == NULL)
		goto out;
	w->batch_id = atol(PQgetvalue(res, 0, 0));
	PQclear(res);
	if (!load_db_exec(conn, "CREATE TEMP TABLE bmn_load_area (area_code text, level text, "
					  "name_th text, name_en text, parent_code text) ON COMMIT DROP") ||
		!load_db_copy_start(conn, "COPY pg_temp.bmn_load_area FROM STDIN"))
		goto out;
	w->loaded = spool_copy(a->spool, conn, NULL, area_accepted, a, NULL);
	if (w->loaded < 0)
		goto out;
	res = load_db_query(conn,
						"WITH up AS ("
						" INSERT INTO bmn.area AS a (area_code, level, name_th, name_en, parent_code)"
						" SELECT area_code, level, name_th, name_en, parent_code"
						" FROM pg_temp.bmn_load_area ORDER BY length(area_code), area_code"
						" ON CONFLICT (area_code) DO UPDATE"
						" SET name_th = EXCLUDED.name_th, name_en = coalesce(EXCLUDED.name_en, a.name_en)"
						" WHERE a.name_th IS DISTINCT FROM EXCLUDED.name_th"
						"    OR a.name_en IS DISTINCT FROM coalesce(EXCLUDED.name_en, a.name_en)"
						" RETURNING (xmax = 0) AS added)"
						"SELECT count(*) FILTER (WHERE added), count(*) FILTER (WHERE NOT added) FROM up",
						0, NULL);
	if (res == NULL)
		goto out;
	w->added = atol(PQgetvalue(res, 0, 0));
	w->changed = atol(PQgetvalue(res, 0, 1));
	PQclear(res);
	snprintf(n1, sizeof n1, "%ld", w->loaded);
	snprintf(n2, sizeof n2, "%ld", a->rejected);
	params[0] = n1;
	params[1] = n2;
	snprintf(id, sizeof id, "%ld", w->batch_id);
	params[2] = id;
	res = load_db_query(conn, "UPDATE bmn.batch SET areas = $1::int, rejected = $2::int "
						"WHERE batch_id = $3::bigint", 3, params);
	if (res == NULL)
		goto out;
	PQclear(res);
	ok = true;
out:
	free(files);
	if (ok && w->batch_id > 0)
		return load_db_exec(conn, "COMMIT");
	load_db_rollback(conn);
	return ok;
}

int
load_areas(PGconn *conn, const load_options *o, const load_input *in)
{
	areaload	a;
	csvr	   *r;
	csvr_row	header;
	char		unknown[512],
				dup[128],
				sha[65],
				when[32];
	const load_input *one[1] = {in};
	strmap	   *known = NULL;
	copybuf		note = {0};
	int			n_unknown,
				rc = BMN_EXIT_ERROR;
	long		earlier;
	size_t		accepted = 0;

	memset(&a, 0, sizeof a);
	a.o = o;
	a.in = in;

	load_batch_sha256(one, 1, sha);
	earlier = load_db_find_batch(conn, "areas", sha, when, sizeof when);
	if (earlier < 0)
		return BMN_EXIT_ERROR;
	if (earlier > 0)
	{
		fprintf(stderr, "bmn: %s: already loaded as batch %ld on %s; nothing to do\n",
				in->path, earlier, when);
		return BMN_EXIT_OK;
	}

	r = load_open(o, in, &header);
	if (r == NULL)
		return BMN_EXIT_ERROR;
	a.header_fields = header.nfields;
	n_unknown = csvr_match_header(&header, area_names, A_NCOLS, a.pos, unknown, sizeof unknown,
								  dup, sizeof dup);
	if (n_unknown < 0)
	{
		report_error(in->path, header.line, 0, "column \"%s\" appears twice in the header", dup);
		goto done;
	}
	if (a.pos[A_CODE] < 0 || a.pos[A_NAME_TH] < 0)
	{
		for (int c = A_CODE; c <= A_NAME_TH; c++)
			if (a.pos[c] < 0)
				report_error(in->path, header.line, 0, "required column \"%s\" is missing",
							 area_names[c]);
		goto done;
	}
	if (n_unknown > 0)
		report_warning(in->path, header.line, 0, "%s ignored: %s",
					   n_unknown == 1 ? "unknown column is" : "unknown columns are", unknown);

	a.codes = strmap_new();
	a.spool = spool_new();
	known = strmap_new();
	if (a.spool == NULL || !read_rows(&a, r) || !spool_close(a.spool) ||
		!load_db_area_codes(conn, 6, known))
		goto done;
	if (!a.over_limit)
		settle_parents(&a, known);
	if (a.over_limit)
	{
		fprintf(stderr, "bmn: %s: more than %ld rows rejected (--max-rejects); "
				"stopped, nothing loaded\n", in->path, o->max_rejects);
		goto done;
	}
	for (size_t i = 0; i < a.n; i++)
	{
		if (a.areas[i].rejected)
			bitset_set(&a.rows, a.areas[i].ordinal);
		else
			accepted++;
	}
	if (a.rows.count > 0)
	{
		char	   *path = reject_path(in->path, o->reject_prefix, ".rejects.csv");

		if (reject_write(in->path, in->enc, in->delim, path, want_row, &a) < 0)
		{
			free(path);
			goto done;
		}
		copybuf_printf(&note, " (see %s)", path);
		free(path);
	}
	if (accepted == 0)
	{
		fprintf(stderr, "bmn: %s: %s; nothing loaded%s\n", in->path,
				a.rejected ? "every row was rejected" : "the file has no areas",
				note.len ? note.data : "");
		goto done;
	}
	if (o->dry_run)
		fprintf(stderr, "bmn: %s: dry run: %zu area%s would be loaded", in->path, accepted,
				accepted == 1 ? "" : "s");
	else
	{
		areas_written w;

		memset(&w, 0, sizeof w);
		if (!write_areas(conn, &a, sha, &w))
		{
			fprintf(stderr, "bmn: %s: nothing loaded\n", in->path);
			goto done;
		}
		if (w.batch_id == 0)
		{
			fprintf(stderr, "bmn: %s: already loaded as batch %ld on %s; nothing to do\n",
					in->path, w.earlier_batch, w.loaded_at);
			rc = BMN_EXIT_OK;
			goto done;
		}
		fprintf(stderr, "bmn: %s: batch %ld: %ld area%s loaded (%ld new, %ld changed, %ld unchanged)",
				in->path, w.batch_id, w.loaded, w.loaded == 1 ? "" : "s", w.added, w.changed,
				w.loaded - w.added - w.changed);
	}
	if (a.rejected > 0)
		fprintf(stderr, ", %ld row%s rejected", a.rejected, a.rejected == 1 ? "" : "s");
	fprintf(stderr, "%s\n", note.len ? note.data : "");
	rc = a.rejected > 0 ? BMN_EXIT_REJECTS : BMN_EXIT_OK;

done:
	csvr_close(r);
	copybuf_free(&note);
	strmap_free(known);
	strmap_free(a.codes);
	spool_free(a.spool);
	bitset_free(&a.rows);
	free(a.areas);
	return rc;
}
