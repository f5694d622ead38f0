/*
 * load_registry.c: a house registry extract (ท.ร.14), registry.csv (formats.md): one
 * row per registered person, a house with nobody registered as one row with the
 * person columns empty, '|' or ',' between columns.
 *
 * A load is a snapshot: in one transaction it replaces the houses and persons of
 * every village the file covers (and any house of the file registered elsewhere
 * before), as of --as-of or today. A bad row rejects its house with every person of
 * it; a row whose house_code is unusable is rejected alone.
 *
 * For a user subject to row-level security (a member of bmn_loader) the persons go
 * through a temporary table and INSERT, as PostgreSQL refuses it COPY into the table:
 * a village outside the user's areas makes the policies refuse the whole extract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmn.h"
#include "keyset.h"
#include "load.h"
#include "load_db.h"
#include "load_util.h"
#include "progress.h"
#include "reject.h"
#include "report.h"
#include "rowconv.h"
#include "spool.h"

/*
 * The COPY text of a row is the person's columns (registry_person's order) then
 * house_no and house_type: the house's row is taken from it.
 */
static const coldef registry_cols[] = {
	{"house_code", COL_HOUSE_CODE, true, true, 0, 0, NULL},
	{"village_code", COL_VILLAGE, true, true, 0, 0, NULL},
	{"national_id", COL_NATIONAL_ID, false, true, 0, 0, NULL},
	{"title", COL_TEXT, false, true, 0, 0, NULL},
	{"first_name", COL_TEXT, false, true, 0, 0, NULL},
	{"last_name", COL_TEXT, false, true, 0, 0, NULL},
	{"sex", COL_CODE, false, true, 1, 2, "1 male, 2 female"},
	{"birth_date", COL_BIRTH_DATE, false, true, 0, 0, NULL},
	{"nationality", COL_NATIONALITY, false, true, 0, 0, NULL},
	{"status", COL_STATUS, false, true, 0, 0, NULL},
	{"move_in_date", COL_DATE, false, true, 0, 0, NULL},
	{"house_no", COL_CODE_TEXT, false, true, 0, 0, NULL},
	{"house_type", COL_TEXT, false, true, 0, 0, NULL},
};

#define NCOLS (sizeof registry_cols / sizeof registry_cols[0])
/* COPY columns of a person: all but house_no and house_type (birth_date is three). */
#define PERSON_COPY_COLUMNS 13
#define FIRST_PERSON_COL 2		/* national_id */
#define LAST_PERSON_COL 10		/* move_in_date */
#define PROGRESS_ROWS 1024

typedef struct
{
	uint32_t	line;			/* first row */
	uint32_t	village;
	uint32_t	persons;
	uint8_t		rejected;
} house;

typedef struct
{
	const load_options *o;
	const load_input *in;
	rowconv		conv;
	strmap	   *tambons;
	idxmap	   *codes;			/* house_code as a number -> index in houses */
	house	   *houses;
	size_t		caphouses;
	strmap	   *villages;		/* village codes of accepted houses */
	spool	   *hspool,			/* house rows, tagged by house */
			   *pspool;			/* person rows, tagged by house */
	bitset		rows;			/* lines rejected without a house */
	long		rejected_rows;	/* rows without a house */
	long		rejected_houses;
	bool		over_limit;
	progress	prog;
	copybuf		scratch;
} regload;

static bool
count_reject(regload *g, long *counter)
{
	(*counter)++;
	if (g->o->max_rejects >= 0 && g->rejected_rows + g->rejected_houses > g->o->max_rejects)
		g->over_limit = true;
	return !g->over_limit;
}

static void
reject_house(regload *g, uint32_t idx)
{
	if (!g->houses[idx].rejected)
	{
		g->houses[idx].rejected = 1;
		count_reject(g, &g->rejected_houses);
	}
}

/* The tab-separated column k of COPY text t: its start and length. */
static const char *
copy_column(const char *t, size_t len, int k, size_t *n)
{
	const char *end = t + len,
			   *p = t;

	for (int i = 0; i < k && p; i++)
	{
		p = memchr(p, '\t', (size_t) (end - p));
		if (p)
			p++;
	}
	if (p == NULL)
	{
		*n = 0;
		return "";
	}
	{
		const char *q = memchr(p, '\t', (size_t) (end - p));

		*n = (size_t) ((q ? q : end) - p);
	}
	return p;
}

static bool
person_empty(const regload *g, const csvr_row *row)
{
	for (int c = FIRST_PERSON_COL; c <= LAST_PERSON_COL; c++)
	{
		int			p = g->conv.pos[c];

		if (p >= 0 && (size_t) p < row->nfields && !field_is_blank(row->fields[p]))
			return false;
	}
	return true;
}

static bool
read_rows(regload *g, csvr *r)
{
	copybuf		line = {0};
	csvr_row	row;
	csvr_result res;
	rowvals		v;
	unsigned long n = 0;
	int			hcol = g->conv.pos[0] + 1;
	bool		ok = true;

	progress_start(&g->prog, !g->o->quiet, g->in->path, g->in->probe.bytes, false);
	while ((res = csvr_next(r, &row)) != CSVR_EOF && !g->over_limit)
	{
		int			errors;
		char		code[12];
		const char *hc = (hcol > 0 && (size_t) hcol <= row.nfields) ? row.fields[hcol - 1] : "";
		bool		added;
		uint32_t	idx;
		house	   *h;

		if (++n % PROGRESS_ROWS == 0)
			progress_update(&g->prog, csvr_bytes_read(r), n);
		if (res == CSVR_FATAL)
		{
			progress_clear(&g->prog);
			load_report_csv(g->in, r);
			ok = false;
			break;
		}
		copybuf_reset(&line);
		if (res == CSVR_BADROW)
		{
			progress_clear(&g->prog);
			load_report_csv(g->in, r);
			errors = 1;
		}
		else
		{
			errors = rowconv_row(&g->conv, &row, &line, &v);
			if (errors)
				progress_clear(&g->prog);
		}
		if ((row.bad_bytes && memchr(hc, TEXTENC_BAD, strlen(hc)) != NULL) ||
			field_house_code(hc, code) != FIELD_OK)
		{
			/* No house to go with (reported by the conversion). */
			bitset_set(&g->rows, row.line);
			count_reject(g, &g->rejected_rows);
			continue;
		}
		if (res == CSVR_ROW && v.village[0])
		{
			char		tambon[7];

			memcpy(tambon, v.village, 6);
			tambon[6] = '\0';
			if (strmap_get(g->tambons, tambon) == NULL)
			{
				report_error(g->in->path, row.line, g->conv.pos[1] + 1,
							 "village_code \"%s\": its tambon %s is not in the area list "
							 "(load the areas first, or correct the code)", v.village, tambon);
				errors++;
			}
		}
		idx = idxmap_add(g->codes, strtoull(code, NULL, 10), &added);
		if (idx >= g->caphouses)
		{
			g->caphouses = g->caphouses * 2 + 1024;
			g->houses = load_xrealloc(g->houses, g->caphouses * sizeof(house));
		}
		h = &g->houses[idx];
		if (added)
		{
			memset(h, 0, sizeof *h);
			h->line = (uint32_t) row.line;
			h->village = res == CSVR_ROW && v.village[0] ? (uint32_t) strtoul(v.village, NULL, 10) : 0;
		}
		else if (res == CSVR_ROW && v.village[0] && h->village != 0 &&
				 h->village != (uint32_t) strtoul(v.village, NULL, 10))
		{
			report_error(g->in->path, row.line, g->conv.pos[1] + 1,
						 "house %s is in village %08u on line %u, and in village %s here; "
						 "every row of the house is rejected", code, h->village, h->line, v.village);
			errors++;
		}
		if (errors)
		{
			reject_house(g, idx);
			continue;
		}
		if (added)
		{
			/* house_code, house_no, village_code, house_type */
			size_t		k;
			const char *col;

			copybuf_reset(&g->scratch);
			col = copy_column(line.data, line.len, 0, &k);
			copybuf_append(&g->scratch, col, k);
			copybuf_sep(&g->scratch);
			col = copy_column(line.data, line.len, PERSON_COPY_COLUMNS, &k);
			copybuf_append(&g->scratch, col, k);
			copybuf_sep(&g->scratch);
			copybuf_puts(&g->scratch, v.village);
			copybuf_sep(&g->scratch);
			col = copy_column(line.data, line.len, PERSON_COPY_COLUMNS + 1, &k);
			copybuf_append(&g->scratch, col, k);
			if (!spool_put(g->hspool, idx, g->scratch.data, g->scratch.len))
			{
				ok = false;
				break;
			}
		}
		if (!person_empty(g, &row))
		{
			size_t		k;
			const char *house_no = copy_column(line.data, line.len, PERSON_COPY_COLUMNS, &k);

			/* The person's columns: the text before house_no. */
			if (!spool_put(g->pspool, idx, line.data, (size_t) (house_no - line.data) - 1))
			{
				ok = false;
				break;
			}
			h->persons++;
		}
	}
	copybuf_free(&line);
	return ok;
}

static bool
want_row(const csvr_row *row, bool malformed, void *ctx)
{
	regload    *g = ctx;
	int			p = g->conv.pos[0];
	char		code[12];
	uint32_t	idx;

	if (bitset_get(&g->rows, row->line))
		return true;
	if (p < 0 || (size_t) p >= row->nfields || field_house_code(row->fields[p], code) != FIELD_OK)
		return malformed;
	idx = idxmap_find(g->codes, strtoull(code, NULL, 10));
	return idx != IDXMAP_NONE && g->houses[idx].rejected;
}

static bool
house_accepted(uint32_t tag, void *ctx)
{
	return !((regload *) ctx)->houses[tag].rejected;
}

typedef struct
{
	long		batch_id,
				earlier_batch;
	char		loaded_at[32];
	char		as_of[16];
	long		houses,
				persons,
				old_houses,
				old_persons;
} reg_written;

/* The villages of the accepted houses as a text[] literal, and how many. */
static char *
village_array(regload *g, long *n)
{
	copybuf		b = {0};
	size_t		iter = 0;
	const char *code;
	uint32_t	v;
	bool		added;

	*n = 0;
	for (uint32_t i = 0, nh = idxmap_count(g->codes); i < nh; i++)
		if (!g->houses[i].rejected)
		{
			char		c[16];

			snprintf(c, sizeof c, "%08u", g->houses[i].village);
			strmap_put(g->villages, c, &added);
		}
	copybuf_putc(&b, '{');
	while (strmap_next(g->villages, &iter, &code, &v))
	{
		copybuf_puts(&b, (*n)++ ? "," : "");
		copybuf_puts(&b, code);
	}
	copybuf_putc(&b, '}');
	return b.data;
}

#define PERSON_COLUMNS "batch_id, house_code, village_code, national_id, title, first_name, " \
	"last_name, sex, birth_date, birth_day_known, birth_month_known, nationality, status, " \
	"move_in_date"

static bool
write_registry(PGconn *conn, regload *g, const char *sha, reg_written *w)
{
	const load_input *one[1] = {g->in};
	char	   *files = load_files_array(one, 1),
			   *villages;
	char		batch[24],
				nums[2][24],
				prefix[32],
				refused[LOAD_DB_REFUSED_SIZE] = "";
	const char *params[4];
	PGresult   *res = NULL;
	long		nvillages,
				rows;
	int			staged;
	bool		ok = false;

	villages = village_array(g, &nvillages);
	if (!load_db_exec(conn, "BEGIN") ||
		!load_db_exec(conn, "SELECT pg_advisory_xact_lock(" LOAD_LOCK_KEY ", -1)"))
		goto out;
	w->earlier_batch = load_db_find_batch(conn, "registry", sha, w->loaded_at, sizeof w->loaded_at);
	if (w->earlier_batch != 0)
	{
		ok = w->earlier_batch > 0;
		goto out;
	}
	params[0] = files;
	params[1] = sha;
	params[2] = g->o->as_of[0] ? g->o->as_of : NULL;
	res = load_db_query(conn,
						"INSERT INTO bmn.batch (kind, files, content_sha256, as_of) "
						"VALUES ('registry', $1::text[], $2, coalesce($3::date, current_date)) "
						"RETURNING batch_id, as_of", 3, params);
	if (res == NULL)
		goto out;
	w->batch_id = atol(PQgetvalue(res, 0, 0));
	snprintf(w->as_of, sizeof w->as_of, "%s", PQgetvalue(res, 0, 1));
	PQclear(res);
	snprintf(batch, sizeof batch, "%ld", w->batch_id);

	/* Villages the area list lacks (their tambon is known) are added by code. */
	params[0] = villages;
	res = load_db_query_scoped(conn,
							   "INSERT INTO bmn.area (area_code, level, name_th, parent_code) "
							   "SELECT v, 'village', v, left(v, 6) FROM unnest($1::text[]) v "
							   "ON CONFLICT (area_code) DO NOTHING", 1, params, refused);
	if (res == NULL)
		goto out;
	PQclear(res);

	if (!load_db_exec(conn, "CREATE TEMP TABLE bmn_load_house (house_code text COLLATE \"C\" "
					  "PRIMARY KEY, house_no text, village_code text, house_type text) ON COMMIT DROP") ||
		!load_db_copy_start(conn, "COPY pg_temp.bmn_load_house FROM STDIN") ||
		(w->houses = spool_copy(g->hspool, conn, NULL, house_accepted, g, NULL)) < 0)
		goto out;

	/* The snapshot of every village of the file, and its houses wherever they were. */
	w->old_persons = load_db_count(conn,
								   "DELETE FROM bmn.registry_person p WHERE p.village_code = ANY($1::text[]) "
								   "OR p.house_code IN (SELECT house_code FROM pg_temp.bmn_load_house)",
								   1, params);
	if (w->old_persons < 0)
		goto out;
	w->old_houses = load_db_count(conn,
								  "DELETE FROM bmn.registry_house h WHERE h.village_code = ANY($1::text[]) "
								  "OR h.house_code IN (SELECT house_code FROM pg_temp.bmn_load_house)",
								  1, params);
	if (w->old_houses < 0)
		goto out;
	params[0] = batch;
	params[1] = w->as_of;
	res = load_db_query_scoped(conn,
							   "INSERT INTO bmn.registry_house (house_code, house_no, village_code, "
							   "house_type, batch_id, as_of) SELECT house_code, house_no, "
							   "village_code, house_type, $1::bigint, $2::date "
							   "FROM pg_temp.bmn_load_house", 2, params, refused);
	if (res == NULL)
		goto out;
	PQclear(res);

	snprintf(prefix, sizeof prefix, "%s\t", batch);
	staged = load_db_rls_active(conn, "bmn.registry_person");
	if (staged < 0 ||
		(staged && !load_db_exec(conn, "CREATE TEMP TABLE bmn_load_person ON COMMIT DROP AS "
								 "SELECT " PERSON_COLUMNS " FROM bmn.registry_person WITH NO DATA")))
		goto out;
	if (!load_db_copy_start(conn, staged ? "COPY pg_temp.bmn_load_person (" PERSON_COLUMNS ") FROM STDIN"
							: "COPY bmn.registry_person (" PERSON_COLUMNS ") FROM STDIN") ||
		(w->persons = spool_copy(g->pspool, conn, prefix, house_accepted, g, NULL)) < 0)
		goto out;
	if (staged)
	{
		res = load_db_query_scoped(conn, "INSERT INTO bmn.registry_person (" PERSON_COLUMNS ") "
								   "SELECT " PERSON_COLUMNS " FROM pg_temp.bmn_load_person",
								   0, NULL, refused);
		if (res == NULL)
			goto out;
		w->persons = atol(PQcmdTuples(res));
		PQclear(res);
	}

	rows = 0;
	for (uint32_t i = 0, n = idxmap_count(g->codes); i < n; i++)
		if (!g->houses[i].rejected)
			rows += g->houses[i].persons ? g->houses[i].persons : 1;
	snprintf(nums[0], sizeof nums[0], "%ld", rows);
	snprintf(nums[1], sizeof nums[1], "%ld", g->rejected_rows + g->rejected_houses);
	params[0] = batch;
	params[1] = nums[0];
	params[2] = nums[1];
	res = load_db_query(conn, "UPDATE bmn.batch SET registry_rows = $2::int, rejected = $3::int "
						"WHERE batch_id = $1::bigint", 3, params);
	if (res == NULL)
		goto out;
	PQclear(res);
	ok = true;
out:
	free(files);
	if (ok && w->batch_id > 0)
	{
		free(villages);
		return load_db_exec(conn, "COMMIT");
	}
	load_db_rollback(conn);
	if (refused[0])
		load_db_report_refused(conn, g->in->path, "the registry", villages, refused);
	free(villages);
	return ok;
}

int
load_registry(PGconn *conn, const load_options *o, const load_input *in)
{
	regload		g;
	csvr	   *r = NULL;
	csvr_row	header;
	char		when[32];
	copybuf		note = {0};
	long		earlier,
				houses = 0,
				persons = 0,
				nvillages = 0;
	int			rc = BMN_EXIT_ERROR;

	memset(&g, 0, sizeof g);
	g.o = o;
	g.in = in;
	earlier = load_db_find_batch(conn, "registry", in->probe.sha256, when, sizeof when);
	if (earlier < 0)
		return BMN_EXIT_ERROR;
	if (earlier > 0)
	{
		fprintf(stderr, "bmn: %s: already loaded as batch %ld on %s; nothing to do\n",
				in->path, earlier, when);
		return BMN_EXIT_OK;
	}
	g.conv.encoding = textenc_name(in->enc);
	r = load_open(o, in, &header);
	if (r == NULL || !rowconv_init(&g.conv, in->path, registry_cols, NCOLS, &header))
		goto done;

	g.tambons = strmap_new();
	g.codes = idxmap_new(in->probe.lines / 2);
	g.villages = strmap_new();
	g.hspool = spool_new();
	g.pspool = spool_new();
	if (g.hspool == NULL || g.pspool == NULL || !load_db_area_codes(conn, 6, g.tambons))
		goto done;
	if (!read_rows(&g, r) || !spool_close(g.hspool) || !spool_close(g.pspool))
		goto done;
	progress_clear(&g.prog);
	if (g.over_limit)
	{
		fprintf(stderr, "bmn: %s: more than %ld rows rejected (--max-rejects); "
				"stopped, nothing loaded\n", in->path, o->max_rejects);
		goto done;
	}
	for (uint32_t i = 0, n = idxmap_count(g.codes); i < n; i++)
		if (!g.houses[i].rejected)
		{
			houses++;
			persons += g.houses[i].persons;
		}
	if (g.rejected_rows + g.rejected_houses > 0)
	{
		char	   *path = reject_path(in->path, o->reject_prefix, ".rejects.csv");

		if (reject_write(in->path, in->enc, in->delim, path, want_row, &g) < 0)
		{
			free(path);
			goto done;
		}
		copybuf_printf(&note, " (see %s)", path);
		free(path);
	}
	free(village_array(&g, &nvillages));
	if (houses == 0)
	{
		fprintf(stderr, "bmn: %s: %s; nothing loaded%s\n", in->path,
				g.rejected_rows + g.rejected_houses ? "every house was rejected" : "the file has no houses",
				note.len ? note.data : "");
		goto done;
	}
	if (o->dry_run)
		fprintf(stderr, "bmn: %s: dry run: %ld house%s, %ld person%s in %ld village%s would be loaded",
				in->path, houses, houses == 1 ? "" : "s", persons, persons == 1 ? "" : "s",
				nvillages, nvillages == 1 ? "" : "s");
	else
	{
		reg_written w;

		memset(&w, 0, sizeof w);
		if (!write_registry(conn, &g, in->probe.sha256, &w))
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
		fprintf(stderr, "bmn: %s: batch %ld, registry as of %s: %ld house%s, %ld person%s in "
				"%ld village%s loaded", in->path, w.batch_id, w.as_of, w.houses,
				w.houses == 1 ? "" : "s", w.persons, w.persons == 1 ? "" : "s",
				nvillages, nvillages == 1 ? "" : "s");
		if (w.old_houses + w.old_persons > 0)
			fprintf(stderr, ", replacing %ld house%s and %ld person%s of an earlier registry",
					w.old_houses, w.old_houses == 1 ? "" : "s", w.old_persons,
					w.old_persons == 1 ? "" : "s");
	}
	if (g.rejected_houses > 0)
		fprintf(stderr, ", %ld house%s rejected", g.rejected_houses,
				g.rejected_houses == 1 ? "" : "s");
	if (g.rejected_rows > 0)
		fprintf(stderr, ", %ld row%s without a valid house_code rejected", g.rejected_rows,
				g.rejected_rows == 1 ? "" : "s");
	fprintf(stderr, "%s\n", note.len ? note.data : "");
	rc = g.rejected_rows + g.rejected_houses > 0 ? BMN_EXIT_REJECTS : BMN_EXIT_OK;

done:
	progress_clear(&g.prog);
	csvr_close(r);
	rowconv_free(&g.conv);
	strmap_free(g.tambons);
	idxmap_free(g.codes);
	free(g.houses);
	strmap_free(g.villages);
	spool_free(g.hspool);
	spool_free(g.pspool);
	bitset_free(&g.rows);
	copybuf_free(&note);
	copybuf_free(&g.scratch);
	return rc;
}
