/*
 * load_survey_csv.c: a survey batch as a CSV pair, households.csv + members.csv.
 *
 *   pass 1 checks households.csv, spools accepted rows as COPY text and remembers each
 *          household (load_survey.c);
 *   then the transaction opens, and the households go to the server while
 *   pass 2 checks members.csv against them and spools its rows, which follow the
 *          households to the server as they come; a bad member rejects its household;
 *   pass 3 (only when something was rejected) reads both files again and copies the
 *          rejected rows, byte for byte, into the reject files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmn.h"
#include "load.h"
#include "load_db.h"
#include "load_survey.h"
#include "reject.h"
#include "report.h"

/* Rows between two looks at the clock for the progress line. */
#define PROGRESS_ROWS 1024

typedef struct
{
	const load_input *hin,
			   *min;
	csvr	   *mr;
	bitset		hh_rows;		/* households.csv lines to reject */
	bitset		mem_rows;		/* members.csv rows rejected on their own */
	bitset		mem_taken;		/* members.csv rows accepted (rejected if their household is) */
} csvpair;

/*
 * The year most of the first rows of households.csv give (0: none), read ahead so that
 * the households can go to the server while the file is read.
 */
static int
peek_year(survey *s, const load_input *hin)
{
	int			col = rowconv_column_no(&s->hconv, "survey_year") - 1;
	char		err[256];
	csvr	   *r = load_csv_open(hin, err, sizeof err);
	csvr_row	row;
	int			years[8] = {0},
				counts[8] = {0},
				best = 0;

	if (r == NULL || col < 0 || csvr_next(r, &row) != CSVR_ROW)
	{
		csvr_close(r);
		return 0;
	}
	for (int n = 0; n < 2000 && csvr_next(r, &row) == CSVR_ROW; n++)
	{
		int			y;

		if ((size_t) col >= row.nfields || field_year(row.fields[col], &y) != FIELD_OK)
			continue;
		for (int k = 0; k < 8; k++)
			if (years[k] == y || years[k] == 0)
			{
				years[k] = y;
				counts[k]++;
				break;
			}
	}
	csvr_close(r);
	for (int k = 1; k < 8; k++)
		if (counts[k] > counts[best])
			best = k;
	return years[best];
}

/* Pass 1: households.csv. False when the file cannot be read to its end. */
static bool
pass_households(survey *s, csvpair *cp, csvr *r)
{
	int			keycol = rowconv_column_no(&s->hconv, "household_id");
	copybuf		line = {0};
	csvr_row	row;
	csvr_result res;
	rowvals		v;
	unsigned long n = 0;
	bool		ok = true;

	progress_start(&s->prog, !s->o->quiet, cp->hin->path, cp->hin->probe.bytes, false);
	while ((res = csvr_next(r, &row)) != CSVR_EOF && !s->over_limit)
	{
		int			errors;
		uint32_t	idx;

		if (res == CSVR_FATAL)
		{
			progress_clear(&s->prog);
			load_report_csv(cp->hin, r);
			ok = false;
			break;
		}
		copybuf_reset(&line);
		if (res == CSVR_BADROW)
		{
			/* Its household_id, when read before the error, still names it. */
			const char *k = (keycol > 0 && (size_t) keycol <= row.nfields) ? row.fields[keycol - 1] : "";

			progress_clear(&s->prog);
			load_report_csv(cp->hin, r);
			memset(&v, 0, sizeof v);
			if (field_key(k, 64, v.key, sizeof v.key) != FIELD_OK)
				v.key[0] = '\0';
			errors = 1;
		}
		else
		{
			errors = rowconv_row(&s->hconv, &row, &line, &v);
			if (errors)
				progress_clear(&s->prog);
		}
		if (!survey_add_household(s, &row, errors, &v, &line, &idx))
		{
			ok = false;
			break;
		}
		if (idx == IDXMAP_NONE)
			bitset_set(&cp->hh_rows, row.line);
		if (++n % PROGRESS_ROWS == 0)
			progress_update(&s->prog, csvr_bytes_read(r), n);
	}
	copybuf_free(&line);
	return ok;
}

/* household_id of a members.csv row; false (reported) when missing or bad. */
static bool
member_key(survey *s, const csvr_row *row, char *key, size_t keysz, bool report)
{
	int			p = s->mconv.pos[0];
	const char *val = (p >= 0 && (size_t) p < row->nfields) ? row->fields[p] : "";
	field_status st = field_key(val, 64, key, keysz);

	if (st == FIELD_OK && row->bad_bytes && memchr(key, TEXTENC_BAD, strlen(key)) != NULL)
		st = FIELD_BAD;
	if (st == FIELD_OK || !report)
		return st == FIELD_OK;
	if (st == FIELD_EMPTY)
		report_error(s->mfile, row->line, p + 1,
					 "household_id has no value, but it is required");
	else
	{
		char		shown[160];

		field_for_message(val, shown, sizeof shown);
		report_error(s->mfile, row->line, p + 1,
					 "household_id \"%s\" is not a valid household_id "
					 "(at most 64 characters, no tabs or line breaks)", shown);
	}
	return false;
}

/* Pass 2: members.csv. */
static bool
pass_members(survey *s, void *ctx)
{
	csvpair    *cp = ctx;
	csvr	   *r = cp->mr;
	int			keycol = s->mconv.pos[0] + 1;
	copybuf		line = {0};
	csvr_row	row;
	csvr_result res;
	rowvals		v;
	char		key[260];
	unsigned long n = 0;
	bool		ok = true;

	progress_start(&s->prog, !s->o->quiet, cp->min->path, cp->min->probe.bytes, false);
	while ((res = csvr_next(r, &row)) != CSVR_EOF && !s->over_limit)
	{
		uint32_t	idx;
		int			errors;
		bool		accepted;
		char		shown[160];

		if (++n % PROGRESS_ROWS == 0)
			progress_update(&s->prog, csvr_bytes_read(r), n);
		if (res == CSVR_FATAL)
		{
			progress_clear(&s->prog);
			load_report_csv(cp->min, r);
			ok = false;
			break;
		}
		if (res == CSVR_BADROW)
		{
			/* It takes its household with it when its household_id was read. */
			progress_clear(&s->prog);
			load_report_csv(cp->min, r);
			bitset_set(&cp->mem_rows, row.ordinal);
			if (member_key(s, &row, key, sizeof key, false) &&
				(idx = survey_find(s, key)) != IDXMAP_NONE)
				survey_reject_household(s, idx);
			else
				survey_count_reject(s, &s->orphans);
			continue;
		}
		if (!member_key(s, &row, key, sizeof key, false))
		{
			progress_clear(&s->prog);
			member_key(s, &row, key, sizeof key, true);
			bitset_set(&cp->mem_rows, row.ordinal);
			survey_count_reject(s, &s->orphans);
			continue;
		}
		idx = survey_find(s, key);
		if (idx == IDXMAP_NONE)
		{
			progress_clear(&s->prog);
			field_for_message(key, shown, sizeof shown);
			report_error(s->mfile, row.line, keycol, "household_id \"%s\" is not in %s",
						 shown, cp->hin->path);
			bitset_set(&cp->mem_rows, row.ordinal);
			survey_count_reject(s, &s->orphans);
			continue;
		}

		/*
		 * Checked even when its household is rejected already, so that one round of
		 * corrections can fix every row.
		 */
		copybuf_reset(&line);
		errors = rowconv_row(&s->mconv, &row, &line, &v);
		if (errors)
			progress_clear(&s->prog);
		if (!survey_add_member(s, idx, key, &row, errors, &v, &line, &accepted))
		{
			ok = false;
			break;
		}
		if (accepted)
			bitset_set(&cp->mem_taken, row.ordinal);
		else
			bitset_set(&cp->mem_rows, row.ordinal);
	}
	copybuf_free(&line);
	progress_timing("members.csv checked");
	return ok;
}

static bool
want_household_row(const csvr_row *row, bool malformed, void *ctx)
{
	(void) malformed;
	return bitset_get(&((csvpair *) ((void **) ctx)[1])->hh_rows, row->line);
}

static bool
want_member_row(const csvr_row *row, bool malformed, void *ctx)
{
	survey	   *s = ((void **) ctx)[0];
	csvpair    *cp = ((void **) ctx)[1];
	char		key[260];
	uint32_t	idx;

	if (malformed || bitset_get(&cp->mem_rows, row->ordinal))
		return true;
	if (!bitset_get(&cp->mem_taken, row->ordinal) || !member_key(s, row, key, sizeof key, false))
		return false;
	idx = survey_find(s, key);
	return idx != IDXMAP_NONE && s->hh[idx].rejected;
}

/* Pass 3: the reject files; appends " (see ...)" naming them to note. */
static bool
write_rejects(survey *s, copybuf *note, void *ctx)
{
	csvpair    *cp = ctx;
	void	   *both[2] = {s, cp};
	char	   *hpath = NULL,
			   *mpath = NULL;
	long		nh = 0,
				nm = 0;
	uint32_t	n = idxmap_count(s->keys);

	for (uint32_t i = 0; i < n; i++)
		if (s->hh[i].rejected)
			bitset_set(&cp->hh_rows, s->hh[i].line);
	if (cp->hh_rows.count > 0)
	{
		hpath = reject_path(cp->hin->path, s->o->reject_prefix, ".rejects.csv");
		nh = reject_write(cp->hin->path, cp->hin->enc, cp->hin->delim, hpath,
						  want_household_row, both);
	}
	if (cp->mem_rows.count > 0 || s->rejected > 0)
	{
		mpath = reject_path(cp->min->path, s->o->reject_prefix, ".rejects.csv");
		nm = reject_write(cp->min->path, cp->min->enc, cp->min->delim, mpath,
						  want_member_row, both);
		if (nm == 0)
			remove(mpath);		/* rejected households without members */
	}
	if (nh > 0 && nm > 0)
		copybuf_printf(note, " (see %s and %s)", hpath, mpath);
	else if (nh > 0 || nm > 0)
		copybuf_printf(note, " (see %s)", nh > 0 ? hpath : mpath);
	free(hpath);
	free(mpath);
	return nh >= 0 && nm >= 0;
}

int
load_survey(PGconn *conn, const load_options *o, const load_input *hin, const load_input *min)
{
	survey		s;
	csvpair		cp;
	csvr	   *hr = NULL;
	csvr_row	header;
	int			rc = BMN_EXIT_ERROR;
	char		sha[65],
				when[32];
	const load_input *both[2] = {hin, min};
	copybuf		name = {0};
	char	   *files = NULL;
	long		earlier;

	memset(&s, 0, sizeof s);
	memset(&cp, 0, sizeof cp);
	cp.hin = hin;
	cp.min = min;
	copybuf_printf(&name, "%s + %s", hin->path, min->path);

	/* The same content loaded before: nothing to do, and nothing to check. */
	load_batch_sha256(both, 2, sha);
	earlier = load_db_find_batch(conn, "survey", sha, when, sizeof when);
	if (earlier < 0)
		goto done;
	if (earlier > 0)
	{
		fprintf(stderr, "bmn: %s: already loaded as batch %ld on %s; nothing to do\n",
				name.data, earlier, when);
		rc = BMN_EXIT_OK;
		goto done;
	}

	/* Both headers first: a missing column stops the load before anything is read. */
	s.hconv.encoding = textenc_name(hin->enc);
	s.mconv.encoding = textenc_name(min->enc);
	hr = load_open(o, hin, &header);
	if (hr == NULL || !rowconv_init(&s.hconv, hin->path, survey_household_cols,
									survey_household_ncols, &header))
		goto done;
	cp.mr = load_open(o, min, &header);
	if (cp.mr == NULL || !rowconv_init(&s.mconv, min->path, survey_member_cols,
									   survey_member_ncols, &header))
		goto done;

	if (!survey_init(&s, conn, o, hin->path, min->path, hin->probe.lines))
		goto done;
	files = load_files_array(both, 2);
	survey_stream(&s, conn, peek_year(&s, hin), files, sha);
	progress_timing("households.csv started");
	if (!pass_households(&s, &cp, hr))
	{
		fprintf(stderr, "bmn: %s: nothing loaded\n", name.data);
		goto done;
	}
	progress_timing("households.csv checked");
	rc = survey_finish(&s, conn, name.data, files, sha, pass_members, write_rejects, &cp);

done:
	progress_clear(&s.prog);
	csvr_close(hr);
	csvr_close(cp.mr);
	survey_free(&s);
	bitset_free(&cp.hh_rows);
	bitset_free(&cp.mem_rows);
	bitset_free(&cp.mem_taken);
	copybuf_free(&name);
	free(files);
	return rc;
}
