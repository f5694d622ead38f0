/*
 * load_survey.c: a survey batch, households.csv + members.csv (formats.md).
 *
 * Memory stays bounded by the number of households, never by the size of the files:
 *   pass 1 checks households.csv, spools accepted rows as COPY text and remembers
 *          each household's key, line, year and village;
 *   pass 2 checks members.csv against those households and spools its rows; a bad
 *          member rejects its household;
 *   pass 3 (only when something was rejected) reads both files again and copies the
 *          rejected rows, byte for byte, into the reject files;
 * then one transaction takes the spooled rows of the households still accepted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmn.h"
#include "keyset.h"
#include "load.h"
#include "load_db.h"
#include "load_survey.h"
#include "load_util.h"
#include "reject.h"
#include "report.h"
#include "rowconv.h"

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
static const coldef household_cols[] = {
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
static const coldef member_cols[] = {
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

/* Survey years a round may have (bmn.survey_round). */
#define YEAR_MIN 2400
#define YEAR_MAX 2800

/* A household of the batch, remembered between the passes. */
typedef struct
{
	uint32_t	ordinal;		/* its row in households.csv */
	uint32_t	line;
	uint32_t	village;		/* 8-digit code as a number */
	uint16_t	year;
	uint16_t	members;		/* members accepted so far */
	bool		rejected;
} household;

typedef struct
{
	char	   *name;			/* NULL: no name given */
	char	   *lao_code;
} village;

typedef struct
{
	const load_options *o;
	const load_input *hin,
			   *min;
	rowconv		hconv,
				mconv;
	strmap	   *tambons;		/* area codes of up to 6 digits in the database */
	strmap	   *keys;			/* household_id -> index in hh */
	household  *hh;
	size_t		nhh,
				caphh;
	u64map	   *member_keys;	/* household index << 16 | member_no -> line */
	bitset		hh_rows;		/* households.csv rows to reject */
	bitset		mem_rows;		/* members.csv rows rejected on their own */
	bitset		mem_taken;		/* members.csv rows accepted (rejected if their household is) */
	spool	   *hspool,
			   *mspool;
	strmap	   *village_idx;	/* village code -> index in villages */
	village    *villages;
	size_t		nvillages;
	strmap	   *lao_idx;		/* lao_code -> index in lao_names */
	char	  **lao_names;
	size_t		nlaos;
	long		year_count[YEAR_MAX - YEAR_MIN + 1];
	int			year;
	long		rejected;		/* households rejected */
	long		orphans;		/* member rows rejected without a household to go with */
	bool		over_limit;
} survey;

static bool
household_accepted(uint32_t tag, void *ctx)
{
	return !((survey *) ctx)->hh[tag].rejected;
}

/* Counts a rejected row; false once more than --max-rejects have been. */
static bool
count_reject(survey *s, long *counter)
{
	(*counter)++;
	if (s->o->max_rejects >= 0 && s->rejected + s->orphans > s->o->max_rejects)
		s->over_limit = true;
	return !s->over_limit;
}

static bool
reject_household(survey *s, size_t idx)
{
	if (s->hh[idx].rejected)
		return !s->over_limit;
	s->hh[idx].rejected = true;
	return count_reject(s, &s->rejected);
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

/* Pass 1: households.csv. False when the file cannot be read to its end. */
static bool
pass_households(survey *s, csvr *r)
{
	const char *file = s->hin->path;
	int			keycol = rowconv_column_no(&s->hconv, "household_id");
	int			villagecol = rowconv_column_no(&s->hconv, "village_code");
	copybuf		line = {0};
	csvr_row	row;
	csvr_result res;
	rowvals		v;

	while ((res = csvr_next(r, &row)) != CSVR_EOF && !s->over_limit)
	{
		bool		added;
		uint32_t   *slot;
		household  *h;
		int			errors;

		if (res == CSVR_FATAL)
		{
			load_report_csv(s->hin, r);
			copybuf_free(&line);
			return false;
		}
		copybuf_reset(&line);
		if (res == CSVR_BADROW)
		{
			/* Its household_id, when read before the error, still names it. */
			const char *k = (keycol > 0 && (size_t) keycol <= row.nfields) ? row.fields[keycol - 1] : "";

			load_report_csv(s->hin, r);
			memset(&v, 0, sizeof v);
			if (field_key(k, 64, v.key, sizeof v.key) != FIELD_OK)
				v.key[0] = '\0';
			errors = 1;
		}
		else
			errors = rowconv_row(&s->hconv, &row, &line, &v);
		if (v.village[0])
		{
			char		tambon[7];

			memcpy(tambon, v.village, 6);
			tambon[6] = '\0';
			if (strmap_get(s->tambons, tambon) == NULL)
			{
				report_error(file, row.line, villagecol,
							 "village_code \"%s\": its tambon %s is not in the area list "
							 "(load the areas first, or correct the code)", v.village, tambon);
				errors++;
			}
		}
		if (v.key[0] == '\0')
		{
			/* No usable household_id (reported): nothing can refer to this row. */
			bitset_set(&s->hh_rows, row.ordinal);
			count_reject(s, &s->rejected);
			continue;
		}
		slot = strmap_put(s->keys, v.key, &added);
		if (!added)
		{
			char		shown[160];

			field_for_message(v.key, shown, sizeof shown);
			report_error(file, row.line, keycol,
						 "household_id \"%s\" appears more than once (also on line %u); "
						 "every row with it is rejected", shown, s->hh[*slot].line);
			reject_household(s, *slot);
			bitset_set(&s->hh_rows, row.ordinal);
			count_reject(s, &s->rejected);
			continue;
		}
		if (s->nhh == s->caphh)
		{
			s->caphh = s->caphh ? s->caphh * 2 : 4096;
			s->hh = load_xrealloc(s->hh, s->caphh * sizeof(household));
		}
		*slot = (uint32_t) s->nhh;
		h = &s->hh[s->nhh++];
		memset(h, 0, sizeof *h);
		h->ordinal = (uint32_t) row.ordinal;
		h->line = (uint32_t) row.line;
		if (errors)
		{
			h->rejected = true;
			count_reject(s, &s->rejected);
			continue;
		}
		h->village = (uint32_t) strtoul(v.village, NULL, 10);
		h->year = (uint16_t) v.year;
		s->year_count[v.year - YEAR_MIN]++;
		remember_village(s, &v);
		if (!spool_put(s->hspool, *slot, line.data, line.len))
		{
			copybuf_free(&line);
			return false;
		}
	}
	copybuf_free(&line);
	return true;
}

/*
 * One file holds one survey round: the year most households give is the file's, the
 * others are rejected.
 */
static void
settle_year(survey *s)
{
	int			yearcol = rowconv_column_no(&s->hconv, "survey_year");
	long		best = 0;

	s->year = 0;
	for (int y = YEAR_MIN; y <= YEAR_MAX; y++)
		if (s->year_count[y - YEAR_MIN] > best)
		{
			best = s->year_count[y - YEAR_MIN];
			s->year = y;
		}
	for (size_t i = 0; i < s->nhh && !s->over_limit; i++)
	{
		household  *h = &s->hh[i];

		if (h->rejected || h->year == s->year)
			continue;
		report_error(s->hin->path, h->line, yearcol,
					 "survey_year %d differs from %d, the year of the other households "
					 "(a file holds one survey round)", h->year, s->year);
		reject_household(s, i);
	}
}

/* household_id of a members.csv row; false (reported) when missing or bad. */
static bool
member_key(survey *s, const csvr_row *row, char *key, size_t keysz, bool report)
{
	int			p = s->mconv.pos[0];
	const char *val = (p >= 0 && (size_t) p < row->nfields) ? row->fields[p] : "";
	field_status st = field_key(val, 64, key, keysz);

	if (st == FIELD_OK || !report)
		return st == FIELD_OK;
	if (st == FIELD_EMPTY)
		report_error(s->min->path, row->line, p + 1,
					 "household_id has no value, but it is required");
	else
	{
		char		shown[160];

		field_for_message(val, shown, sizeof shown);
		report_error(s->min->path, row->line, p + 1,
					 "household_id \"%s\" is not a valid household_id "
					 "(at most 64 characters, no tabs or line breaks)", shown);
	}
	return false;
}

/* Pass 2: members.csv. */
static bool
pass_members(survey *s, csvr *r)
{
	const char *file = s->min->path;
	int			keycol = s->mconv.pos[0] + 1;
	int			nocol = rowconv_column_no(&s->mconv, "member_no");
	copybuf		line = {0},
				out = {0};
	csvr_row	row;
	csvr_result res;
	rowvals		v;
	char		key[260];

	while ((res = csvr_next(r, &row)) != CSVR_EOF && !s->over_limit)
	{
		uint32_t   *slot;
		size_t		idx;
		int			errors;
		char		shown[160];

		if (res == CSVR_FATAL)
		{
			load_report_csv(s->min, r);
			copybuf_free(&line);
			copybuf_free(&out);
			return false;
		}
		if (res == CSVR_BADROW)
		{
			/* It takes its household with it when its household_id was read. */
			load_report_csv(s->min, r);
			bitset_set(&s->mem_rows, row.ordinal);
			if (member_key(s, &row, key, sizeof key, false) &&
				(slot = strmap_get(s->keys, key)) != NULL)
				reject_household(s, *slot);
			else
				count_reject(s, &s->orphans);
			continue;
		}
		if (!member_key(s, &row, key, sizeof key, true))
		{
			bitset_set(&s->mem_rows, row.ordinal);
			count_reject(s, &s->orphans);
			continue;
		}
		slot = strmap_get(s->keys, key);
		if (slot == NULL)
		{
			field_for_message(key, shown, sizeof shown);
			report_error(file, row.line, keycol, "household_id \"%s\" is not in %s",
						 shown, s->hin->path);
			bitset_set(&s->mem_rows, row.ordinal);
			count_reject(s, &s->orphans);
			continue;
		}
		idx = *slot;
		/*
		 * Checked even when its household is rejected already, so that one round of
		 * corrections can fix every row.
		 */
		copybuf_reset(&line);
		errors = rowconv_row(&s->mconv, &row, &line, &v);
		if (v.member_no > 0)
		{
			bool		added;
			uint32_t   *first = u64map_put(s->member_keys,
										   ((uint64_t) idx << 16) | (uint64_t) v.member_no,
										   &added);

			if (added)
				*first = (uint32_t) row.line;
			else
			{
				field_for_message(key, shown, sizeof shown);
				report_error(file, row.line, nocol,
							 "member_no %ld of household \"%s\" appears more than once "
							 "(also on line %u)", v.member_no, shown, *first);
				errors++;
			}
		}
		if (errors || s->hh[idx].rejected)
		{
			bitset_set(&s->mem_rows, row.ordinal);
			reject_household(s, idx);
			continue;
		}
		copybuf_reset(&out);
		copybuf_value(&out, key, strlen(key));
		copybuf_putc(&out, '\t');
		copybuf_long(&out, s->hh[idx].village, 8);
		copybuf_putc(&out, '\t');
		copybuf_append(&out, line.data, line.len);
		if (!spool_put(s->mspool, (uint32_t) idx, out.data, out.len))
		{
			copybuf_free(&line);
			copybuf_free(&out);
			return false;
		}
		bitset_set(&s->mem_taken, row.ordinal);
		if (s->hh[idx].members < UINT16_MAX)
			s->hh[idx].members++;
	}
	copybuf_free(&line);
	copybuf_free(&out);
	return true;
}

static bool
want_household_row(const csvr_row *row, bool malformed, void *ctx)
{
	(void) malformed;
	return bitset_get(&((survey *) ctx)->hh_rows, row->ordinal);
}

static bool
want_member_row(const csvr_row *row, bool malformed, void *ctx)
{
	survey	   *s = ctx;
	char		key[260];
	uint32_t   *slot;

	if (malformed || bitset_get(&s->mem_rows, row->ordinal))
		return true;
	if (!bitset_get(&s->mem_taken, row->ordinal) || !member_key(s, row, key, sizeof key, false))
		return false;
	slot = strmap_get(s->keys, key);
	return slot != NULL && s->hh[*slot].rejected;
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
		report_error(s->hin->path, 0, 0,
					 "survey year %d has no survey round, and no indicator set covers it "
					 "(add the indicator set to bmn.indicator_set, then load again)", s->year);
	return ok;
}

static void
survey_free(survey *s)
{
	rowconv_free(&s->hconv);
	rowconv_free(&s->mconv);
	strmap_free(s->tambons);
	strmap_free(s->keys);
	free(s->hh);
	u64map_free(s->member_keys);
	bitset_free(&s->hh_rows);
	bitset_free(&s->mem_rows);
	bitset_free(&s->mem_taken);
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
}

/* Writes the reject files; appends " (see ...)" naming them to note. */
static bool
write_rejects(survey *s, copybuf *note)
{
	char	   *hpath = NULL,
			   *mpath = NULL;
	long		nh = 0,
				nm = 0;
	bool		ok = true;

	if (s->hh_rows.count > 0)
	{
		hpath = reject_path(s->hin->path, s->o->reject_prefix);
		nh = reject_write(s->hin->path, s->o->encoding, hpath, want_household_row, s);
	}
	if (s->mem_rows.count > 0 || s->rejected > 0)
	{
		mpath = reject_path(s->min->path, s->o->reject_prefix);
		nm = reject_write(s->min->path, s->o->encoding, mpath, want_member_row, s);
		if (nm == 0)
			remove(mpath);		/* rejected households without members */
	}
	ok = nh >= 0 && nm >= 0;
	if (nh > 0 && nm > 0)
		copybuf_printf(note, " (see %s and %s)", hpath, mpath);
	else if (nh > 0 || nm > 0)
		copybuf_printf(note, " (see %s)", nh > 0 ? hpath : mpath);
	free(hpath);
	free(mpath);
	return ok;
}

int
load_survey(PGconn *conn, const load_options *o, const load_input *hin, const load_input *min)
{
	survey		s;
	csvr	   *hr = NULL,
			   *mr = NULL;
	csvr_row	header;
	int			rc = BMN_EXIT_ERROR;
	long		households = 0,
				members = 0;
	copybuf		note = {0},
				hcols = {0},
				mcols = {0};
	char		sha[65];
	const load_input *both[2] = {hin, min};
	char		when[32];
	long		earlier;

	memset(&s, 0, sizeof s);
	s.o = o;
	s.hin = hin;
	s.min = min;

	/* The same content loaded before: nothing to do, and nothing to check. */
	load_batch_sha256(both, 2, sha);
	earlier = load_db_find_batch(conn, "survey", sha, when, sizeof when);
	if (earlier < 0)
		return BMN_EXIT_ERROR;
	if (earlier > 0)
	{
		fprintf(stderr, "bmn: %s + %s: already loaded as batch %ld on %s; nothing to do\n",
				hin->path, min->path, earlier, when);
		return BMN_EXIT_OK;
	}

	/* Both headers first: a missing column stops the load before anything is read. */
	hr = load_open(o, hin, &header);
	if (hr == NULL || !rowconv_init(&s.hconv, hin->path, household_cols, NCOLS(household_cols), &header))
		goto done;
	mr = load_open(o, min, &header);
	if (mr == NULL || !rowconv_init(&s.mconv, min->path, member_cols, NCOLS(member_cols), &header))
		goto done;

	s.tambons = strmap_new();
	s.keys = strmap_new();
	s.member_keys = u64map_new();
	s.village_idx = strmap_new();
	s.lao_idx = strmap_new();
	s.hspool = spool_new();
	s.mspool = spool_new();
	if (s.hspool == NULL || s.mspool == NULL || !load_db_area_codes(conn, 6, s.tambons))
		goto done;

	if (!pass_households(&s, hr))
		goto done;
	if (!s.over_limit)
		settle_year(&s);
	if (s.year != 0 && !s.over_limit && !check_round(conn, &s))
		goto done;
	if (!s.over_limit && !pass_members(&s, mr))
		goto done;
	if (s.over_limit)
	{
		fprintf(stderr, "bmn: %s + %s: more than %ld rows rejected (--max-rejects); "
				"stopped, nothing loaded\n", hin->path, min->path, o->max_rejects);
		goto done;
	}

	for (size_t i = 0; i < s.nhh; i++)
	{
		if (s.hh[i].rejected)
			bitset_set(&s.hh_rows, s.hh[i].ordinal);
		else
		{
			households++;
			members += s.hh[i].members;
		}
	}
	if ((s.rejected > 0 || s.orphans > 0) && !write_rejects(&s, &note))
		goto done;

	if (households == 0)
	{
		fprintf(stderr, "bmn: %s + %s: %s; nothing loaded%s\n", hin->path, min->path,
				s.rejected ? "every household was rejected" : "the file has no households",
				note.len ? note.data : "");
		goto done;
	}

	rowconv_copy_columns(&s.hconv, &hcols);
	rowconv_copy_columns(&s.mconv, &mcols);
	if (o->dry_run)
	{
		fprintf(stderr, "bmn: %s + %s: dry run, year %d: %ld household%s, %ld member%s would be loaded",
				hin->path, min->path, s.year, households, households == 1 ? "" : "s",
				members, members == 1 ? "" : "s");
	}
	else
	{
		survey_batch b = {0};
		survey_written w;
		char	   *files = load_files_array(both, 2);
		bool		ok;

		b.year = s.year;
		b.household_columns = hcols.data;
		b.member_columns = mcols.data;
		b.files = files;
		b.sha256 = sha;
		b.households = s.hspool;
		b.members = s.mspool;
		b.keys = s.keys;
		b.accepted = household_accepted;
		b.ctx = &s;
		b.rejected = s.rejected + s.orphans;
		area_rows(&s, &b.villages, &b.laos);
		ok = survey_write(conn, &b, &w);
		free(files);
		copybuf_free(&b.villages);
		copybuf_free(&b.laos);
		if (!ok)
		{
			fprintf(stderr, "bmn: %s + %s: nothing loaded\n", hin->path, min->path);
			goto done;
		}
		if (w.batch_id == 0)
		{
			fprintf(stderr, "bmn: %s + %s: already loaded as batch %ld on %s; nothing to do\n",
					hin->path, min->path, w.earlier_batch, w.loaded_at);
			rc = BMN_EXIT_OK;
			goto done;
		}
		fprintf(stderr, "bmn: %s + %s: batch %ld, year %d: %ld household%s, %ld member%s loaded",
				hin->path, min->path, w.batch_id, s.year, w.households,
				w.households == 1 ? "" : "s", w.members, w.members == 1 ? "" : "s");
		if (w.replaced > 0)
			fprintf(stderr, ", %ld replacing earlier versions", w.replaced);
	}
	if (s.rejected > 0)
		fprintf(stderr, ", %ld household%s rejected", s.rejected, s.rejected == 1 ? "" : "s");
	if (s.orphans > 0)
		fprintf(stderr, ", %ld member row%s without a household rejected", s.orphans,
				s.orphans == 1 ? "" : "s");
	fprintf(stderr, "%s\n", note.len ? note.data : "");
	rc = (s.rejected > 0 || s.orphans > 0) ? BMN_EXIT_REJECTS : BMN_EXIT_OK;

done:
	csvr_close(hr);
	csvr_close(mr);
	copybuf_free(&note);
	copybuf_free(&hcols);
	copybuf_free(&mcols);
	survey_free(&s);
	return rc;
}
