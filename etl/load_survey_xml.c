/*
 * load_survey_xml.c: a survey batch as one XML file (formats.md): <bmn_household>
 * elements, alone or under <bmn_households>, whose value elements are named as the
 * CSV columns and whose <member> elements are the members.
 *
 * Each household is read (xmlread.c), turned into a households.csv row and its members
 * into members.csv rows, and checked by the same column tables as the CSV form; then
 * the batch is written as a CSV pair's would be. <meta><instanceID> is kept in
 * bmn.household.meta. Rejected households go, as XML, to FILE.rejects.xml.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmn.h"
#include "load.h"
#include "load_db.h"
#include "load_survey.h"
#include "reject.h"
#include "report.h"
#include "xmlread.h"

#define PROGRESS_ROWS 256

/* A row built from elements: a value (or "") and a position for every column. */
typedef struct
{
	size_t		ncols;
	char	  **vals;
	size_t	   *lens;
	unsigned long *lines;
	int		   *cols;
	bool	   *given;
} elemrow;

typedef struct
{
	const load_input *in;
	const char *encoding;		/* for libxml2: NULL, as the file declares */
	strmap	   *hnames,			/* element name -> column of households.csv */
			   *mnames;			/* element name -> column of members.csv */
	elemrow		hrow,
				mrow;
	strmap	   *unknown;		/* element names met that are no column */
	copybuf		unknown_list;
	bitset		rows;			/* households (by ordinal) rejected without a record */
	uint32_t   *ordinals;		/* ordinal of each household record */
	size_t		capord;
} xmlload;

static void
elemrow_init(elemrow *r, size_t ncols)
{
	r->ncols = ncols;
	r->vals = load_xcalloc(ncols, sizeof(char *));
	r->lens = load_xcalloc(ncols, sizeof(size_t));
	r->lines = load_xcalloc(ncols, sizeof(unsigned long));
	r->cols = load_xcalloc(ncols, sizeof(int));
	r->given = load_xcalloc(ncols, sizeof(bool));
}

static void
elemrow_free(elemrow *r)
{
	free(r->vals);
	free(r->lens);
	free(r->lines);
	free(r->cols);
	free(r->given);
}

static strmap *
name_map(const coldef *cols, size_t n)
{
	strmap	   *m = strmap_new();
	bool		added;

	for (size_t i = 0; i < n; i++)
		*strmap_put(m, cols[i].name, &added) = (uint32_t) i;
	return m;
}

static void
note_unknown(xmlload *x, const char *name, bool member)
{
	bool		added;
	char		shown[80];

	if (member ? strcmp(name, "member") == 0 : false)
		return;
	strmap_put(x->unknown, name, &added);
	if (!added || x->unknown_list.len > 400)
		return;
	field_for_message(name, shown, sizeof shown);
	copybuf_printf(&x->unknown_list, "%s<%s%s>", x->unknown_list.len ? ", " : "",
				   member ? "member/" : "", shown);
}

/*
 * Fills a row from value elements. Absent columns are "" where the element (at
 * line:col) starts. Returns the number of errors (an element given twice).
 */
static int
fill_row(xmlload *x, elemrow *r, strmap *names, const xmlr_field *f, size_t n,
		 unsigned long line, int col, bool member, const char *file)
{
	int			errors = 0;

	for (size_t i = 0; i < r->ncols; i++)
	{
		r->vals[i] = "";
		r->lens[i] = 0;
		r->lines[i] = line;
		r->cols[i] = col;
		r->given[i] = false;
	}
	for (size_t k = 0; k < n; k++)
	{
		uint32_t   *slot = strmap_get(names, f[k].name);

		if (slot == NULL)
		{
			note_unknown(x, f[k].name, member);
			continue;
		}
		if (r->given[*slot])
		{
			report_error(file, f[k].line, f[k].col, "<%s> appears twice (also on line %lu)",
						 f[k].name, r->lines[*slot]);
			errors++;
			continue;
		}
		r->given[*slot] = true;
		r->vals[*slot] = (char *) f[k].value;
		r->lens[*slot] = f[k].len;
		r->lines[*slot] = f[k].line;
		r->cols[*slot] = f[k].col;
	}
	return errors;
}

static void
as_csv_row(const elemrow *r, unsigned long line, int col, unsigned long ordinal, csvr_row *row)
{
	memset(row, 0, sizeof *row);
	row->nfields = r->ncols;
	row->fields = r->vals;
	row->lens = r->lens;
	row->line = line;
	row->start_col = col;
	row->ordinal = ordinal;
	row->field_lines = r->lines;
	row->field_cols = r->cols;
	/* A NUL cannot be in XML, but &#0; is refused by the parser; bytes are UTF-8. */
	row->bad_bytes = false;
}

/* Appends the meta column: {"instanceID": "..."} as COPY text, or NULL. */
static void
append_meta(copybuf *line, const char *instance_id)
{
	copybuf_sep(line);
	if (instance_id == NULL)
	{
		copybuf_null(line);
		return;
	}
	{
		size_t		n = strlen(instance_id) * 6 + 3;
		char	   *json = load_xmalloc(n + 32);
		long		k;

		strcpy(json, "{\"instanceID\": ");
		k = xmlr_json_string(instance_id, json + strlen(json), n);
		if (k < 0)
			copybuf_null(line);
		else
		{
			strcat(json, "}");
			copybuf_value(line, json, strlen(json));
		}
		free(json);
	}
}

static bool
read_households(survey *s, xmlload *x, xmlr *r)
{
	copybuf		line = {0},
				mline = {0};
	xmlr_household h;
	xmlr_result res;
	csvr_row	row;
	rowvals		v,
				mv;
	bool		ok = true;

	progress_start(&s->prog, !s->o->quiet, x->in->path, x->in->probe.bytes, false);
	while (!s->over_limit && (res = xmlr_next(r, &h)) == XMLR_HOUSEHOLD)
	{
		int			errors;
		uint32_t	idx;
		char		key[260];

		if (h.problems)
			progress_clear(&s->prog);
		errors = h.problems;
		errors += fill_row(x, &x->hrow, x->hnames, h.fields + h.household.first, h.household.n,
						   h.household.line, h.household.col, false, s->hfile);
		as_csv_row(&x->hrow, h.household.line, h.household.col, h.ordinal, &row);
		copybuf_reset(&line);
		errors += rowconv_row(&s->hconv, &row, &line, &v);
		if (errors)
			progress_clear(&s->prog);
		append_meta(&line, h.instance_id);
		if (!survey_add_household(s, &row, errors, &v, &line, &idx))
		{
			ok = false;
			break;
		}
		if (idx == IDXMAP_NONE)
			bitset_set(&x->rows, h.ordinal);
		else
		{
			if (idx >= x->capord)
			{
				x->capord = x->capord * 2 + 1024;
				x->ordinals = load_xrealloc(x->ordinals, x->capord * sizeof(uint32_t));
			}
			x->ordinals[idx] = (uint32_t) h.ordinal;
		}
		snprintf(key, sizeof key, "%s", v.key);

		for (size_t m = 0; m < h.nmembers; m++)
		{
			const xmlr_elem *me = &h.members[m];
			int			merr;
			bool		accepted;

			merr = fill_row(x, &x->mrow, x->mnames, h.mfields + me->first, me->n,
							me->line, me->col, true, s->mfile);
			/* household_id is the household's; a member may repeat it, not change it. */
			if (x->mrow.given[0] && key[0])
			{
				char		mk[260];

				if (field_key(x->mrow.vals[0], 64, mk, sizeof mk) != FIELD_OK || strcmp(mk, key) != 0)
				{
					char		shown[160];

					field_for_message(x->mrow.vals[0], shown, sizeof shown);
					report_error(s->mfile, x->mrow.lines[0], x->mrow.cols[0],
								 "household_id \"%s\" of a member differs from its household's", shown);
					merr++;
				}
			}
			x->mrow.vals[0] = key;
			x->mrow.lens[0] = strlen(key);
			as_csv_row(&x->mrow, me->line, me->col, m + 1, &row);
			copybuf_reset(&mline);
			merr += rowconv_row(&s->mconv, &row, &mline, &mv);
			if (merr)
				progress_clear(&s->prog);
			if (idx == IDXMAP_NONE)
				continue;		/* checked; its household is rejected already */
			if (!survey_add_member(s, idx, key, &row, merr, &mv, &mline, &accepted))
			{
				ok = false;
				break;
			}
		}
		if (!ok)
			break;
		if (h.ordinal % PROGRESS_ROWS == 0)
			progress_update(&s->prog, xmlr_bytes_read(r), h.ordinal);
	}
	if (ok && !s->over_limit && res == XMLR_FATAL)
	{
		progress_clear(&s->prog);
		report_error(s->hfile, xmlr_error_line(r), xmlr_error_column(r), "%s",
					 xmlr_error_message(r));
		ok = false;
	}
	copybuf_free(&line);
	copybuf_free(&mline);
	return ok;
}

static bool
want_household(unsigned long ordinal, void *ctx)
{
	return bitset_get(&((xmlload *) ctx)->rows, ordinal);
}

static bool
write_rejects(survey *s, copybuf *note, void *ctx)
{
	xmlload    *x = ctx;
	uint32_t	n = idxmap_count(s->keys);
	char	   *path;
	FILE	   *out;
	long		written;

	for (uint32_t i = 0; i < n; i++)
		if (s->hh[i].rejected)
			bitset_set(&x->rows, x->ordinals[i]);
	if (x->rows.count == 0)
		return true;
	path = reject_path(x->in->path, s->o->reject_prefix, ".rejects.xml");
	out = fopen(path, "wb");
	if (out == NULL)
	{
		fprintf(stderr, "bmn: cannot write the reject file %s: %s\n", path, strerror(errno));
		free(path);
		return false;
	}
	written = xmlr_write_households(x->in->path, x->encoding, out, want_household, x);
	if (fclose(out) != 0)
		written = -1;
	if (written > 0)
		copybuf_printf(note, " (see %s)", path);
	else
		remove(path);
	free(path);
	return written >= 0;
}

const char *
load_xml_encoding(const load_options *o, const load_input *in)
{
	if (o->encoding_given)
		return textenc_iconv_name(o->encoding);
	return in->enc == TEXTENC_UTF8 ? NULL : textenc_iconv_name(in->enc);
}

int
load_survey_xml(PGconn *conn, const load_options *o, const load_input *in)
{
	survey		s;
	xmlload		x;
	xmlr	   *r = NULL;
	int			rc = BMN_EXIT_ERROR;
	char		when[32],
				err[512];
	const load_input *one[1] = {in};
	char	   *files = NULL;
	long		earlier;

	memset(&s, 0, sizeof s);
	memset(&x, 0, sizeof x);
	x.in = in;
	x.encoding = load_xml_encoding(o, in);

	earlier = load_db_find_batch(conn, "survey", in->probe.sha256, when, sizeof when);
	if (earlier < 0)
		goto done;
	if (earlier > 0)
	{
		fprintf(stderr, "bmn: %s: already loaded as batch %ld on %s; nothing to do\n",
				in->path, earlier, when);
		rc = BMN_EXIT_OK;
		goto done;
	}
	r = xmlr_open(in->path, x.encoding, err, sizeof err);
	if (r == NULL)
	{
		report_error(in->path, 0, 0, "%s", err);
		goto done;
	}
	if (!xmlr_root(r))
	{
		report_error(in->path, xmlr_error_line(r), xmlr_error_column(r), "%s", xmlr_error_message(r));
		goto done;
	}

	rowconv_init_fields(&s.hconv, in->path, survey_household_cols, survey_household_ncols);
	rowconv_init_fields(&s.mconv, in->path, survey_member_cols, survey_member_ncols);
	s.with_meta = true;
	x.hnames = name_map(survey_household_cols, survey_household_ncols);
	x.mnames = name_map(survey_member_cols, survey_member_ncols);
	x.unknown = strmap_new();
	elemrow_init(&x.hrow, survey_household_ncols);
	elemrow_init(&x.mrow, survey_member_ncols);
	/* About one household per 2 KB of XML. */
	if (!survey_init(&s, conn, o, in->path, in->path, (size_t) (in->probe.bytes / 2048) + 16))
		goto done;
	if (!read_households(&s, &x, r))
	{
		fprintf(stderr, "bmn: %s: nothing loaded\n", in->path);
		goto done;
	}
	progress_clear(&s.prog);
	if (x.unknown_list.len > 0)
		report_warning(in->path, 0, 0, "unknown elements are ignored: %s", x.unknown_list.data);
	if (xmlr_skipped(r)[0])
		report_warning(in->path, 0, 0, "elements other than <bmn_household> under <%s> are "
					   "ignored: %s", xmlr_root_name(r), xmlr_skipped(r));
	if (!spool_close(s.mspool))
		goto done;
	files = load_files_array(one, 1);
	rc = survey_finish(&s, conn, in->path, files, in->probe.sha256, NULL, write_rejects, &x);

done:
	progress_clear(&s.prog);
	xmlr_close(r);
	survey_free(&s);
	strmap_free(x.hnames);
	strmap_free(x.mnames);
	strmap_free(x.unknown);
	copybuf_free(&x.unknown_list);
	elemrow_free(&x.hrow);
	elemrow_free(&x.mrow);
	bitset_free(&x.rows);
	free(x.ordinals);
	free(files);
	return rc;
}
