/*
 * load_survey.c: a survey batch (formats.md), whichever form it comes in: the column
 * tables, what is remembered of each household, the checks that need more than one
 * row (keys, members, villages, the year), and the end of the batch: reject files,
 * the transaction, the summary line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmn.h"
#include "load_db.h"
#include "load_survey.h"
#include "report.h"

#define IND_COLUMNS \
	{"ind_01", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_02", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_03", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_04", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_05", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_06", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_07", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_08", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_09", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_10", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_11", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_12", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_13", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_14", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_15", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_16", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_17", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_18", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_19", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_20", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_21", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_22", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_23", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_24", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_25", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_26", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_27", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_28", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_29", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_30", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_31", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_32", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_33", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_34", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_35", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_36", COL_ANSWER, false, true, 0, 0, NULL}, \
	{"ind_37", COL_ANSWER, false, true, 0, 0, NULL}, {"ind_38", COL_ANSWER, false, true, 0, 0, NULL}

/* households.csv; the copied columns are in bmn.household's names and this order. */
const coldef survey_household_cols[] = {
	{"household_id", COL_KEY, true, true, 0, 0, NULL},
	{"survey_year", COL_YEAR, true, false, 0, 0, NULL},
	{"village_code", COL_VILLAGE, true, true, 0, 0, NULL},
	{"village_name", COL_TEXT, false, true, 0, 0, NULL},
	{"lao_code", COL_CODE_TEXT, false, true, 0, 0, NULL},
	{"lao_name", COL_TEXT, false, true, 0, 0, NULL},
	{"house_code", COL_HOUSE_CODE, false, true, 0, 0, NULL},
	{"house_no", COL_CODE_TEXT, false, true, 0, 0, NULL},
	{"latitude", COL_LATITUDE, false, true, 0, 0, NULL},
	{"longitude", COL_LONGITUDE, false, true, 0, 0, NULL},
	{"collector_id", COL_CODE_TEXT, true, true, 0, 0, NULL},
	{"interview_date", COL_DATE, true, true, 0, 0, NULL},
	{"interview_start", COL_TIME, false, true, 0, 0, NULL},
	{"interview_end", COL_TIME, false, true, 0, 0, NULL},
	{"consent", COL_FLAG, true, true, 0, 0, NULL},
	{"income_main", COL_MONEY, true, true, 0, 0, NULL},
	{"income_secondary", COL_MONEY, true, true, 0, 0, NULL},
	{"income_other", COL_MONEY, true, true, 0, 0, NULL},
	{"income_own_production", COL_MONEY, true, true, 0, 0, NULL},
	{"expense_production", COL_MONEY, false, true, 0, 0, NULL},
	{"expense_consumption", COL_MONEY, false, true, 0, 0, NULL},
	{"expense_unnecessary", COL_MONEY, false, true, 0, 0, NULL},
	{"expense_debt", COL_MONEY, false, true, 0, 0, NULL},
	IND_COLUMNS
};

/*
 * members.csv. household_id is read by this file (the row goes with its household);
 * the COPY row starts with household_id and the household's village_code.
 */
const coldef survey_member_cols[] = {
	{"household_id", COL_KEY, true, false, 0, 0, NULL},
	{"member_no", COL_MEMBER_NO, true, true, 0, 0, NULL},
	{"national_id", COL_NATIONAL_ID, false, true, 0, 0, NULL},
	{"title", COL_TEXT, false, true, 0, 0, NULL},
	{"first_name", COL_TEXT, false, true, 0, 0, NULL},
	{"last_name", COL_TEXT, false, true, 0, 0, NULL},
	{"sex", COL_CODE, true, true, 1, 2, "1 male, 2 female"},
	{"birth_date", COL_BIRTH_DATE, true, true, 0, 0, NULL},
	{"relation", COL_CODE, true, true, 1, 9,
	"1 head, 2 spouse, 3 child, 4 child-in-law, 5 grandchild, 6 parent, 7 sibling, 8 other relative, 9 not related"},
	{"nationality", COL_NATIONALITY, true, true, 0, 0, NULL},
	{"education", COL_CODE, true, true, 0, 7,
	"0 none, 1 pre-primary, 2 primary, 3 lower secondary, 4 upper secondary or vocational certificate, 5 diploma, 6 bachelor, 7 above bachelor"},
	{"in_school", COL_FLAG, true, true, 0, 0, NULL},
	{"literate", COL_FLAG, false, true, 0, 0, NULL},
	{"occupation", COL_CODE, true, true, 0, 7,
	"0 none, 1 student only, 2 agriculture, 3 private employee, 4 government or state enterprise, 5 own business or trade, 6 general labour, 7 other"},
	{"income", COL_MONEY, false, true, 0, 0, NULL},
	{"health_status", COL_CODE, false, true, 0, 3,
	"0 normal, 1 disabled, 2 chronically ill, 3 bedridden"},
	{"self_care", COL_FLAG, false, true, 0, 0, NULL},
	{"welfare_card", COL_FLAG, false, true, 0, 0, NULL},
	IND_COLUMNS
};

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

const size_t survey_household_ncols = NCOLS(survey_household_cols);
const size_t survey_member_ncols = NCOLS(survey_member_cols);

bool
survey_init(survey *s, PGconn *conn, const load_options *o, const char *hfile,
			const char *mfile, size_t expected)
{
	s->o = o;
	s->hfile = hfile;
	s->mfile = mfile;
	s->tambons = strmap_new();
	s->keys = idxmap_new(expected);
	s->caphh = idxmap_count(s->keys) + expected;
	s->hh = load_xmalloc((s->caphh ? s->caphh : 1) * sizeof(household));
	s->member_keys = u64map_new();
	s->run.household = IDXMAP_NONE;
	s->village_idx = strmap_new();
	s->lao_idx = strmap_new();
	s->hspool = spool_new();
	s->mspool = spool_new();
	return s->hspool != NULL && s->mspool != NULL && load_db_area_codes(conn, 6, s->tambons);
}

void
survey_free(survey *s)
{
	if (s->writer)
	{
		/* Stopped before the end (a file that cannot be read): the thread stops too. */
		spool_abort(s->hspool);
		spool_abort(s->mspool);
		survey_write_abort(s->writer);
		s->writer = NULL;
	}
	rowconv_free(&s->hconv);
	rowconv_free(&s->mconv);
	strmap_free(s->tambons);
	idxmap_free(s->keys);
	free(s->hh);
	u64map_free(s->member_keys);
	spool_free(s->hspool);
	spool_free(s->mspool);
	strmap_free(s->village_idx);
	for (size_t i = 0; i < s->nvillages; i++)
	{
		free(s->villages[i].name);
		free(s->villages[i].lao_code);
	}
	free(s->villages);
	strmap_free(s->lao_idx);
	for (size_t i = 0; i < s->nlaos; i++)
		free(s->lao_names[i]);
	free(s->lao_names);
	bitset_free(&s->unsent);
	copybuf_free(&s->scratch);
}

bool
survey_count_reject(survey *s, long *counter)
{
	(*counter)++;
	if (s->o->max_rejects >= 0 && s->rejected + s->orphans > s->o->max_rejects)
		s->over_limit = true;
	return !s->over_limit;
}

bool
survey_reject_household(survey *s, uint32_t idx)
{
	if (s->hh[idx].rejected)
		return !s->over_limit;
	s->hh[idx].rejected = 1;
	return survey_count_reject(s, &s->rejected);
}

uint32_t
survey_find(const survey *s, const char *key)
{
	return idxmap_find(s->keys, keyset_hash(key, strlen(key)));
}

static char *
dup_text(const char *s, size_t n)
{
	char	   *p = load_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* The village and LAO of an accepted household, for bmn.area and bmn.lao. */
static void
remember_village(survey *s, const rowvals *v)
{
	bool		added;
	uint32_t   *slot = strmap_put(s->village_idx, v->village, &added);
	village    *vi;

	if (added)
	{
		s->villages = load_xrealloc(s->villages, (s->nvillages + 1) * sizeof(village));
		*slot = (uint32_t) s->nvillages;
		s->villages[s->nvillages++] = (village) {NULL, NULL};
	}
	vi = &s->villages[*slot];
	if (vi->name == NULL && v->village_name_len > 0)
		vi->name = dup_text(v->village_name, v->village_name_len);
	if (vi->lao_code == NULL && v->lao_code[0])
		vi->lao_code = load_xstrdup(v->lao_code);
	if (v->lao_code[0])
	{
		slot = strmap_put(s->lao_idx, v->lao_code, &added);
		if (added)
		{
			s->lao_names = load_xrealloc(s->lao_names, (s->nlaos + 1) * sizeof(char *));
			*slot = (uint32_t) s->nlaos;
			s->lao_names[s->nlaos++] = NULL;
		}
		if (s->lao_names[*slot] == NULL && v->lao_name_len > 0)
			s->lao_names[*slot] = dup_text(v->lao_name, v->lao_name_len);
	}
}

bool
survey_add_household(survey *s, const csvr_row *row, int errors, const rowvals *v,
					 const copybuf *line, uint32_t *idx)
{
	bool		added;
	household  *h;
	uint32_t	i;
	unsigned long l;
	int			c;

	*idx = IDXMAP_NONE;
	if (v->village[0])
	{
		char		tambon[7];

		memcpy(tambon, v->village, 6);
		tambon[6] = '\0';
		if (strmap_get(s->tambons, tambon) == NULL)
		{
			rowconv_where(&s->hconv, row, "village_code", &l, &c);
			report_error(s->hfile, l, c,
						 "village_code \"%s\": its tambon %s is not in the area list "
						 "(load the areas first, or correct the code)", v->village, tambon);
			errors++;
		}
	}
	if (v->key[0] == '\0')
	{
		/* No usable household_id (reported): nothing can refer to this row. */
		survey_count_reject(s, &s->rejected);
		return true;
	}
	i = idxmap_add(s->keys, keyset_hash(v->key, strlen(v->key)), &added);
	if (!added)
	{
		char		shown[160];

		field_for_message(v->key, shown, sizeof shown);
		rowconv_where(&s->hconv, row, "household_id", &l, &c);
		report_error(s->hfile, l, c,
					 "household_id \"%s\" appears more than once (also on line %u); "
					 "every row with it is rejected", shown, s->hh[i].line);
		survey_reject_household(s, i);
		survey_count_reject(s, &s->rejected);
		return true;
	}
	if (i >= s->caphh)
	{
		s->caphh = s->caphh * 2 + 1024;
		s->hh = load_xrealloc(s->hh, s->caphh * sizeof(household));
	}
	*idx = i;
	h = &s->hh[i];
	memset(h, 0, sizeof *h);
	h->line = (uint32_t) row->line;
	if (errors)
	{
		h->rejected = 1;
		survey_count_reject(s, &s->rejected);
		return true;
	}
	h->village = (uint32_t) strtoul(v->village, NULL, 10);
	h->year = (uint16_t) v->year;
	s->year_count[v->year - SURVEY_YEAR_MIN]++;
	remember_village(s, v);
	h->sent = s->streaming && v->year == s->stream_year;
	return spool_put(s->hspool, i | (h->sent ? SURVEY_SEND_BIT : 0), line->data, line->len);
}

bool
survey_add_member(survey *s, uint32_t idx, const char *key, const csvr_row *row, int errors,
				  const rowvals *v, const copybuf *line, bool *accepted)
{
	household  *h = &s->hh[idx];
	char		shown[160];
	copybuf	   *out = &s->scratch;

	*accepted = false;
	if (s->run.household != idx)
	{
		s->run.household = idx;
		memset(s->run.line, 0, sizeof s->run.line);
	}
	if (v->member_no > 0)
	{
		uint32_t	first = 0;
		bool		dup = false;

		if (v->member_no <= SURVEY_SEEN_BITS)
		{
			uint16_t	bit = (uint16_t) (1u << (v->member_no - 1));

			dup = (h->seen & bit) != 0;
			h->seen |= bit;
			first = s->run.line[v->member_no];
			if (!dup)
				s->run.line[v->member_no] = (uint32_t) row->line;
		}
		else
		{
			bool		added;
			uint32_t   *slot = u64map_put(s->member_keys,
										  ((uint64_t) idx << 16) | (uint64_t) v->member_no, &added);

			dup = !added;
			if (added)
				*slot = (uint32_t) row->line;
			first = *slot;
		}
		if (dup)
		{
			unsigned long l;
			int			c;

			field_for_message(key, shown, sizeof shown);
			rowconv_where(&s->mconv, row, "member_no", &l, &c);
			if (first)
				report_error(s->mfile, l, c, "member_no %ld of household \"%s\" appears more "
							 "than once (also on line %u)", v->member_no, shown, first);
			else
				report_error(s->mfile, l, c, "member_no %ld of household \"%s\" appears more "
							 "than once", v->member_no, shown);
			errors++;
		}
	}
	if (errors || h->rejected)
	{
		survey_reject_household(s, idx);	/* s->over_limit says when to stop */
		return true;
	}

	copybuf_reset(out);
	copybuf_value(out, key, strlen(key));
	copybuf_putc(out, '\t');
	copybuf_long(out, h->village, 8);
	copybuf_putc(out, '\t');
	copybuf_append(out, line->data, line->len);
	if (!spool_put(s->mspool, idx | (s->streaming && h->sent ? SURVEY_SEND_BIT : 0),
				   out->data, out->len))
		return false;
	if (h->members < UINT16_MAX)
		h->members++;
	*accepted = true;
	return true;
}

void
survey_settle_year(survey *s)
{
	long		best = 0;
	uint32_t	n = idxmap_count(s->keys);

	s->year = 0;
	for (int y = SURVEY_YEAR_MIN; y <= SURVEY_YEAR_MAX; y++)
		if (s->year_count[y - SURVEY_YEAR_MIN] > best)
		{
			best = s->year_count[y - SURVEY_YEAR_MIN];
			s->year = y;
		}
	for (uint32_t i = 0; i < n && !s->over_limit; i++)
	{
		household  *h = &s->hh[i];
		unsigned long l = h->line;
		int			c = s->hconv.positions ? 0 : rowconv_column_no(&s->hconv, "survey_year");

		if (h->rejected || h->year == s->year)
			continue;
		report_error(s->hfile, l, c,
					 "survey_year %d differs from %d, the year of the other households "
					 "(a file holds one survey round)", h->year, s->year);
		survey_reject_household(s, i);
	}
}

/* Can the round of year exist (it does, or an indicator set covers the year)? */
static bool
check_round_quiet(PGconn *conn, int y)
{
	char		year[16];
	const char *params[1] = {year};
	PGresult   *res;
	bool		ok;

	snprintf(year, sizeof year, "%d", y);
	res = PQexecParams(conn, "SELECT EXISTS (SELECT 1 FROM bmn.survey_round WHERE survey_year = $1::int) "
					   "    OR EXISTS (SELECT 1 FROM bmn.indicator_set "
					   "               WHERE $1::int BETWEEN first_year AND last_year)",
					   1, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return ok;
}

/* The round must exist, or an indicator set must cover the year to create it. */
static bool
check_round(PGconn *conn, const survey *s)
{
	char		year[16];
	const char *params[1] = {year};
	PGresult   *res;
	bool		ok;

	snprintf(year, sizeof year, "%d", s->year);
	res = load_db_query(conn,
						"SELECT EXISTS (SELECT 1 FROM bmn.survey_round WHERE survey_year = $1::int) "
						"    OR EXISTS (SELECT 1 FROM bmn.indicator_set "
						"               WHERE $1::int BETWEEN first_year AND last_year)",
						1, params);
	if (res == NULL)
		return false;
	ok = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!ok)
		report_error(s->hfile, 0, 0,
					 "survey year %d has no survey round, and no indicator set covers it "
					 "(add the indicator set to bmn.indicator_set, then load again)", s->year);
	return ok;
}

/*
 * Households not rejected by now are those to send; the others go into the set the
 * sending thread leaves out.
 */
static void
mark_sent(survey *s)
{
	uint32_t	n = idxmap_count(s->keys);

	for (uint32_t i = 0; i < n; i++)
	{
		s->hh[i].sent = !s->hh[i].rejected;
		if (s->hh[i].rejected)
			bitset_set(&s->unsent, i);
	}
}

void
survey_stream(survey *s, PGconn *conn, int year, const char *files, const char *sha256)
{
	survey_written out;
	bool		round_empty = false;
	survey_writer *w;

	if (s->o->dry_run || year == 0)
		return;
	s->year = year;
	if (!check_round_quiet(conn, year))
		return;
	memset(&out, 0, sizeof out);
	w = survey_write_begin(conn, s, files, sha256, &out, &round_empty, NULL);
	s->year = 0;
	if (w == NULL)
		return;					/* a round with households, or an error: not now */
	s->streaming = true;
	s->stream_year = year;
	if (!survey_write_send(w, true))
	{
		survey_write_abort(w);
		s->streaming = false;
		return;
	}
	s->writer = w;
	progress_timing("streaming households");
}

/* Streaming assumed a year that is not the file's: back to sending after the reading. */
static void
stop_streaming(survey *s)
{
	uint32_t	n = idxmap_count(s->keys);

	/*
	 * The sender is told to stop before the households end: told after, it could
	 * already be waiting for members that are not being written (a hang).
	 */
	survey_write_stop(s->writer);
	spool_close(s->hspool);
	survey_write_abandon(s->writer);
	s->writer = NULL;
	s->streaming = false;
	for (uint32_t i = 0; i < n; i++)
		s->hh[i].sent = 0;
}

static void
print_rejected(const survey *s)
{
	if (s->rejected > 0)
		fprintf(stderr, ", %ld household%s rejected", s->rejected, s->rejected == 1 ? "" : "s");
	if (s->orphans > 0)
		fprintf(stderr, ", %ld member row%s without a household rejected", s->orphans,
				s->orphans == 1 ? "" : "s");
}

int
survey_finish(survey *s, PGconn *conn, const char *name, const char *files,
			  const char *sha256, bool (*read_rest) (survey *s, void *ctx),
			  bool (*rejects) (survey *s, copybuf *note, void *ctx), void *ctx)
{
	survey_writer *w = s->writer;
	survey_written out;
	copybuf		note = {0};
	bool		replacing = true,
				round_empty;
	long		households = 0,
				members = 0;
	uint32_t	n;
	int			rc = BMN_EXIT_ERROR;

	memset(&out, 0, sizeof out);
	s->writer = NULL;
	if (!s->over_limit)
		survey_settle_year(s);
	if (w && (s->year != s->stream_year || s->over_limit))
	{
		s->writer = w;
		stop_streaming(s);
		w = NULL;
	}
	/* (While rows stream, the connection is the sending thread's alone.) */
	if (w == NULL && s->year != 0 && !s->over_limit && !check_round(conn, s))
		goto done;

	if (w)
	{
		/* Households are on their way; members.csv follows them as it is read. */
		replacing = false;
		if (!spool_close(s->hspool))
			goto done;
	}
	else if (!s->o->dry_run && s->year != 0 && !s->over_limit)
	{
		/*
		 * With no earlier version to replace, the households go to the server while
		 * members.csv is being checked; the few rejected after they were sent are taken
		 * out before the commit.
		 */
		mark_sent(s);
		if (!spool_close(s->hspool))
			goto done;
		w = survey_write_begin(conn, s, files, sha256, &out, &round_empty, &replacing);
		progress_clear(&s->prog);
		if (w == NULL && out.earlier_batch > 0)
		{
			fprintf(stderr, "bmn: %s: already loaded as batch %ld on %s; nothing to do\n",
					name, out.earlier_batch, out.loaded_at);
			rc = BMN_EXIT_OK;
		}
		else if (w == NULL)
			fprintf(stderr, "bmn: %s: nothing loaded\n", name);
		if (w == NULL)
			goto done;
		if (!replacing && !survey_write_send(w, false))
			goto done;
	}
	if (read_rest && !s->over_limit && !read_rest(s, ctx))
	{
		fprintf(stderr, "bmn: %s: nothing loaded\n", name);
		goto done;
	}
	if (!spool_close(s->mspool))
		goto done;
	if (s->over_limit)
	{
		progress_clear(&s->prog);
		fprintf(stderr, "bmn: %s: more than %ld rows rejected (--max-rejects); "
				"stopped, nothing loaded\n", name, s->o->max_rejects);
		goto done;
	}

	n = idxmap_count(s->keys);
	for (uint32_t i = 0; i < n; i++)
		if (!s->hh[i].rejected)
		{
			households++;
			members += s->hh[i].members;
		}
	if ((s->rejected > 0 || s->orphans > 0) && rejects && !rejects(s, &note, ctx))
		goto done;
	progress_clear(&s->prog);
	if (households == 0)
	{
		fprintf(stderr, "bmn: %s: %s; nothing loaded%s\n", name,
				s->rejected ? "every household was rejected" : "the file has no households",
				note.len ? note.data : "");
		goto done;
	}
	if (s->o->dry_run)
	{
		fprintf(stderr, "bmn: %s: dry run, year %d: %ld household%s, %ld member%s would be loaded",
				name, s->year, households, households == 1 ? "" : "s",
				members, members == 1 ? "" : "s");
	}
	else
	{
		if (replacing)
		{
			mark_sent(s);
			if (!survey_write_send(w, false))
				goto done;
		}
		if (!survey_write_commit(w, &out))
		{
			w = NULL;
			progress_clear(&s->prog);
			fprintf(stderr, "bmn: %s: nothing loaded\n", name);
			goto done;
		}
		w = NULL;
		progress_clear(&s->prog);
		fprintf(stderr, "bmn: %s: batch %ld, year %d: %ld household%s, %ld member%s loaded",
				name, out.batch_id, s->year, out.households,
				out.households == 1 ? "" : "s", out.members, out.members == 1 ? "" : "s");
		if (out.replaced > 0)
			fprintf(stderr, ", %ld replacing earlier versions", out.replaced);
	}
	print_rejected(s);
	fprintf(stderr, "%s\n", note.len ? note.data : "");
	rc = (s->rejected > 0 || s->orphans > 0) ? BMN_EXIT_REJECTS : BMN_EXIT_OK;

done:
	if (w)
	{
		/* The sending thread stops at the next row. */
		spool_abort(s->hspool);
		spool_abort(s->mspool);
		survey_write_abort(w);
	}
	copybuf_free(&note);
	return rc;
}
