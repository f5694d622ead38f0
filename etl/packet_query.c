/*
 * packet_query.c: reading a packet's tables from the views (see packet_query.h).
 *
 * Every query takes the same parameters, never SQL built from what the user typed:
 *   $1 year, $2 area code, $3 its level, $4 the level of its sub-areas (NULL for a
 *   village), $5 review sample size, $6 review sample seed.
 * A table holds the area's row first, then its sub-areas' rows (SUB below).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bmn.h"
#include "load_util.h"
#include "packet_fmt.h"
#include "packet_query.h"

#define NPARAMS 6
static const Oid param_types[NPARAMS] = {23, 25, 25, 25, 23, 23};	/* int4, text */

/* The sub-areas: children in the area tree, the villages an LAO serves, provinces. */
#define SUB_CTE \
	"WITH sub AS (SELECT a.area_code FROM bmn.area a WHERE a.level = $4 AND CASE $3 " \
	"WHEN 'country' THEN true WHEN 'lao' THEN a.lao_code = $2 ELSE a.parent_code = $2 END) "
#define IN_PACKET(x) \
	"((" x ".area_code = $2 AND " x ".level = $3) OR (" x ".level = $4 AND " x \
	".area_code IN (SELECT area_code FROM sub))) "
#define AREA_FIRST(x) " ORDER BY (" x ".level = $3) DESC, " x ".area_code COLLATE \"C\""
#define NAMES(x) \
	" LEFT JOIN bmn.area_name n ON n.area_code = " x ".area_code AND n.level = " x ".level "
/* The households of the area, for views with one row per household. */
#define HOUSEHOLD_IN_AREA(x) \
	"CASE $3 WHEN 'country' THEN true WHEN 'lao' THEN " x ".lao_code = $2 " \
	"ELSE left(" x ".village_code, length($2)) = $2 END"

static const char *const sql_population =
SUB_CTE
"SELECT p.area_code, p.level, p.name_th, p.name_en, p.households, p.persons, p.male, "
"       p.female, p.age_0_5, p.age_6_14, p.age_15_59, p.age_60_plus, p.thai, p.foreigners "
"  FROM bmn.population_report p WHERE p.year = $1 AND " IN_PACKET("p")
AREA_FIRST("p");

static const char *const sql_poverty =
SUB_CTE
"SELECT x.area_code, x.level, n.name_th, n.name_en, x.persons, x.poor, x.target_poor, "
"       x.pct_target_poor, x.health, x.living, x.education, x.income, x.access "
"  FROM bmn.poverty_report x" NAMES("x")
" WHERE x.year = $1 AND " IN_PACKET("x")
AREA_FIRST("x");

static const char *const sql_indicators =
SUB_CTE
"SELECT r.area_code, r.level, r.indicator_no, i.category, i.category_th, i.name_th, "
"       i.name_en, r.households_applicable, r.households_passed, r.households_failed, "
"       r.persons_applicable, r.persons_passed, r.persons_failed, r.pct_passed "
"  FROM bmn.indicator_rollup r "
"  JOIN bmn.survey_round sr ON sr.survey_year = r.year "
"  JOIN bmn.indicator i ON i.set_code = sr.set_code AND i.indicator_no = r.indicator_no "
" WHERE r.year = $1 AND " IN_PACKET("r")
AREA_FIRST("r") ", r.indicator_no";

static const char *const sql_income =
SUB_CTE
"SELECT x.area_code, x.level, n.name_th, n.name_en, x.households, x.persons, "
"       x.mean_income_per_person, x.median_income_per_person, x.mean_income_per_household, "
"       x.mean_income_main, x.mean_income_secondary, x.mean_income_other, "
"       x.mean_income_own_production, x.mean_expense_per_household, x.households_with_expense "
"  FROM bmn.income_report x" NAMES("x")
" WHERE x.year = $1 AND " IN_PACKET("x")
AREA_FIRST("x");

/* Counted per area as the other views count: through bmn.village_areas. */
static const char *const sql_low_income_summary =
SUB_CTE
", low AS (SELECT a.level, a.area_code, count(*) AS n "
"            FROM bmn.low_income_households l "
"           CROSS JOIN LATERAL bmn.village_areas(l.village_code, l.lao_code) a "
"           WHERE l.year = $1 AND " HOUSEHOLD_IN_AREA("l")
"           GROUP BY a.level, a.area_code) "
"SELECT p.area_code, p.level, p.name_th, p.name_en, p.households, "
"       coalesce(l.n, 0) AS low_income_households, "
"       round(100.0 * coalesce(l.n, 0) / nullif(p.households, 0), 2) AS pct_low_income "
"  FROM bmn.population_report p "
"  LEFT JOIN low l ON l.level = p.level AND l.area_code = p.area_code "
" WHERE p.year = $1 AND " IN_PACKET("p")
AREA_FIRST("p");

static const char *const sql_low_income =
"SELECT l.household_id, l.village_code, v.name_th AS village_name_th, "
"       v.name_en AS village_name_en, l.house_no, l.collector_id, l.indicator, l.persons, "
"       l.income_total, l.income_avg, l.income_threshold "
"  FROM bmn.low_income_households l "
"  LEFT JOIN bmn.area_name v ON v.area_code = l.village_code AND v.level = 'village' "
" WHERE l.year = $1 AND " HOUSEHOLD_IN_AREA("l")
" ORDER BY l.village_code COLLATE \"C\", l.household_id COLLATE \"C\"";

static const char *const sql_findings =
SUB_CTE
"SELECT s.area_code, s.level, s.check_code, s.severity, c.level AS check_level, "
"       c.name_th, c.name_en, s.count, s.confirmed, s.denominator, "
"       round(100.0 * s.count / nullif(s.denominator, 0), 2) AS pct "
"  FROM bmn.anomaly_summary s JOIN bmn.check_rule c ON c.check_code = s.check_code "
" WHERE s.year = $1 AND " IN_PACKET("s")
AREA_FIRST("s")
", CASE s.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, s.check_code";

static const char *const sql_clear_checks =
"SELECT c.check_code, c.severity, c.name_th, c.name_en FROM bmn.check_rule c "
" WHERE NOT EXISTS (SELECT 1 FROM bmn.anomaly_summary s WHERE s.year = $1 "
"                      AND s.area_code = $2 AND s.level = $3 AND s.check_code = c.check_code) "
" ORDER BY c.check_code";

static const char *const sql_progress =
SUB_CTE
"SELECT p.* FROM bmn.collection_progress p WHERE p.year = $1 AND " IN_PACKET("p")
AREA_FIRST("p");

static const char *const sql_confidence =
SUB_CTE
"SELECT c.area_code, c.level, n.name_th, n.name_en, c.households, "
"       c.households_with_findings, c.open_errors, c.confidence_pct, c.certifiable "
"  FROM bmn.confidence c" NAMES("c")
" WHERE c.year = $1 AND " IN_PACKET("c")
AREA_FIRST("c");

static const char *const sql_certification =
SUB_CTE
"SELECT s.area_code, s.level, n.name_th, n.name_en, s.decision, s.certified, s.stale, "
"       s.decided_by, to_char(s.decided_at, 'YYYY-MM-DD HH24:MI:SS') AS decided_at, s.note "
"  FROM bmn.certification_status s" NAMES("s")
" WHERE s.year = $1 AND " IN_PACKET("s")
AREA_FIRST("s");

/* bmn.review_sample matches areas by prefix: the empty prefix is the whole country. */
static const char *const sql_sample =
"SELECT s.sample_no, s.household_id, s.village_code, v.name_th AS village_name_th, "
"       v.name_en AS village_name_en, s.house_no, s.collector_id, s.interview_date, "
"       s.head_name "
"  FROM bmn.review_sample(CASE WHEN $3 = 'country' THEN '' ELSE $2 END, $1, $5, $6) "
"       WITH ORDINALITY AS s(household_id, village_code, house_no, collector_id, "
"                            interview_date, head_name, sample_no) "
"  LEFT JOIN bmn.area_name v ON v.area_code = s.village_code AND v.level = 'village' "
" ORDER BY s.sample_no";

static const char *const sql_area =
"SELECT n.level, n.name_th, n.name_en FROM bmn.area_name n WHERE n.area_code = $2 "
" ORDER BY n.level = 'lao' LIMIT 1";

static const char *const sql_round =
"SELECT s.name_th, s.name_en, r.settings->>'income_threshold', "
"       r.settings->>'confidence_min_pct' "
"  FROM bmn.survey_round r JOIN bmn.indicator_set s ON s.set_code = r.set_code "
" WHERE r.survey_year = $1";

static const char *const table_names[PK_NTABLES] = {
	[PK_POPULATION] = "population",
	[PK_POVERTY] = "poverty",
	[PK_INDICATORS] = "indicators",
	[PK_INCOME] = "income",
	[PK_LOW_INCOME_SUMMARY] = "low_income_summary",
	[PK_LOW_INCOME] = "low_income_households",
	[PK_FINDINGS] = "findings",
	[PK_PROGRESS] = "collection_progress",
	[PK_CONFIDENCE] = "confidence",
	[PK_CERTIFICATION] = "certification",
	[PK_SAMPLE] = "review_sample",
};

typedef struct
{
	char		year[16],
				sample[16],
				seed[16];
	const char *values[NPARAMS];
} params;

static void
set_params(params *pa, const pk_packet *p)
{
	snprintf(pa->year, sizeof pa->year, "%d", p->year);
	snprintf(pa->sample, sizeof pa->sample, "%d", p->sample);
	snprintf(pa->seed, sizeof pa->seed, "%d", p->seed);
	pa->values[0] = pa->year;
	pa->values[1] = p->area_code;
	pa->values[2] = p->level[0] ? p->level : NULL;
	pa->values[3] = p->child_level;
	pa->values[4] = pa->sample;
	pa->values[5] = pa->seed;
}

/* A query's rows, or NULL with the server's message on stderr. */
static PGresult *
run(PGconn *conn, const params *pa, const char *sql, const char *what)
{
	PGresult   *res = PQexecParams(conn, sql, NPARAMS, param_types, pa->values, NULL, NULL, 0);

	if (PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	fprintf(stderr, "bmn report: could not read %s: %s", what, PQresultErrorMessage(res));
	PQclear(res);
	return NULL;
}

static bool
command(PGconn *conn, const char *sql)
{
	PGresult   *res = PQexec(conn, sql);
	bool		ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		fprintf(stderr, "bmn report: %s: %s", sql, PQresultErrorMessage(res));
	PQclear(res);
	return ok;
}

static char *
dup_value(const PGresult *res, int r, int c)
{
	return PQgetisnull(res, r, c) ? NULL : load_xstrdup(PQgetvalue(res, r, c));
}

/*
 * A table a role may be refused (bmn.review_sample is the committees'): in a savepoint,
 * so that a refusal leaves a note instead of ending the packet.
 */
static bool
run_optional(PGconn *conn, const params *pa, const char *sql, pk_table *t,
			 const char *what)
{
	PGresult   *res;
	const char *state;

	if (!command(conn, "SAVEPOINT optional"))
		return false;
	res = PQexecParams(conn, sql, NPARAMS, param_types, pa->values, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK)
	{
		t->res = res;
		return command(conn, "RELEASE SAVEPOINT optional");
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state && strcmp(state, "42501") == 0)	/* insufficient_privilege */
	{
		snprintf(t->note, sizeof t->note, "Not available to this database role: %s",
				 PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY));
		snprintf(t->note_th, sizeof t->note_th, "บทบาทผู้ใช้ฐานข้อมูลนี้ไม่มีสิทธิ์อ่าน%s",
				 what);
		fprintf(stderr, "bmn report: warning: %s left out: %s", what, PQresultErrorMessage(res));
		PQclear(res);
		return command(conn, "ROLLBACK TO SAVEPOINT optional");
	}
	fprintf(stderr, "bmn report: could not read %s: %s", what, PQresultErrorMessage(res));
	PQclear(res);
	return false;
}

static int
fetch_area(PGconn *conn, const params *pa, pk_packet *p)
{
	PGresult   *res;

	if ((res = run(conn, pa, sql_area, "the area list")) == NULL)
		return BMN_EXIT_ERROR;
	if (PQntuples(res) == 0)
	{
		fprintf(stderr, "bmn report: unknown area \"%s\": not a province, district, tambon, "
				"village or LAO code of the area list (bmn.area_name), nor TH\n",
				p->area_code);
		PQclear(res);
		return BMN_EXIT_ERROR;
	}
	snprintf(p->level, sizeof p->level, "%s", PQgetvalue(res, 0, 0));
	p->name_th = dup_value(res, 0, 1);
	p->name_en = dup_value(res, 0, 2);
	p->child_level = pk_child_level(p->level);
	PQclear(res);

	if ((res = run(conn, pa, sql_round, "the survey round")) == NULL)
		return BMN_EXIT_ERROR;
	if (PQntuples(res) == 0)
	{
		fprintf(stderr, "bmn report: there is no survey round %d (BE): load the year's "
				"survey, then run SELECT bmn.refresh(%d)\n", p->year, p->year);
		PQclear(res);
		return BMN_EXIT_ERROR;
	}
	p->set_name_th = dup_value(res, 0, 0);
	p->set_name_en = dup_value(res, 0, 1);
	p->income_threshold = dup_value(res, 0, 2);
	p->confidence_min_pct = dup_value(res, 0, 3);
	PQclear(res);
	return BMN_EXIT_OK;
}

int
pk_fetch(PGconn *conn, pk_packet *p)
{
	params		pa;
	int			rc = BMN_EXIT_ERROR;

	for (int i = 0; i < PK_NTABLES; i++)
		p->t[i].name = table_names[i];

	/* One snapshot: every table counts the same households. */
	if (!command(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
		return BMN_EXIT_ERROR;
	set_params(&pa, p);
	if ((rc = fetch_area(conn, &pa, p)) != BMN_EXIT_OK)
		goto done;
	set_params(&pa, p);			/* now with the level */
	rc = BMN_EXIT_ERROR;

	if ((p->t[PK_POPULATION].res = run(conn, &pa, sql_population, "bmn.population_report")) == NULL)
		goto done;
	if (PQntuples(p->t[PK_POPULATION].res) == 0 ||
		strcmp(PQgetvalue(p->t[PK_POPULATION].res, 0, 0), p->area_code) != 0)
	{
		fprintf(stderr, "bmn report: %s %s (%s) has no household in survey round %d\n",
				pk_level_en(p->level), p->area_code, p->name_en ? p->name_en : p->name_th ? p->name_th : "",
				p->year);
		goto done;
	}
	if ((p->t[PK_POVERTY].res = run(conn, &pa, sql_poverty, "bmn.poverty_report")) == NULL ||
		(p->t[PK_INDICATORS].res = run(conn, &pa, sql_indicators, "bmn.indicator_rollup")) == NULL ||
		(p->t[PK_INCOME].res = run(conn, &pa, sql_income, "bmn.income_report")) == NULL ||
		(p->t[PK_LOW_INCOME_SUMMARY].res = run(conn, &pa, sql_low_income_summary,
											   "bmn.low_income_households")) == NULL ||
		(p->t[PK_LOW_INCOME].res = run(conn, &pa, sql_low_income, "bmn.low_income_households")) == NULL ||
		(p->t[PK_FINDINGS].res = run(conn, &pa, sql_findings, "bmn.anomaly_summary")) == NULL ||
		(p->clear_checks = run(conn, &pa, sql_clear_checks, "bmn.check_rule")) == NULL ||
		(p->t[PK_CONFIDENCE].res = run(conn, &pa, sql_confidence, "bmn.confidence")) == NULL ||
		(p->t[PK_CERTIFICATION].res = run(conn, &pa, sql_certification,
										  "bmn.certification_status")) == NULL)
		goto done;
	if (PQntuples(p->t[PK_INDICATORS].res) == 0)
	{
		snprintf(p->t[PK_INDICATORS].note, sizeof p->t[PK_INDICATORS].note,
				 "No scores yet: run SELECT bmn.refresh(%d).", p->year);
		snprintf(p->t[PK_INDICATORS].note_th, sizeof p->t[PK_INDICATORS].note_th,
				 "ยังไม่มีผลการประมวลตัวชี้วัด: สั่ง SELECT bmn.refresh(%d)", p->year);
		fprintf(stderr, "bmn report: warning: round %d has no scores yet: run SELECT "
				"bmn.refresh(%d) first\n", p->year, p->year);
	}

	if (!run_optional(conn, &pa, sql_progress, &p->t[PK_PROGRESS], "bmn.collection_progress"))
		goto done;

	if (!run_optional(conn, &pa, sql_sample, &p->t[PK_SAMPLE], "bmn.review_sample"))
		goto done;
	rc = BMN_EXIT_OK;

done:
	/* Read only: ending it either way changes nothing. */
	PQclear(PQexec(conn, "ROLLBACK"));
	return rc;
}

void
pk_packet_free(pk_packet *p)
{
	for (int i = 0; i < PK_NTABLES; i++)
		PQclear(p->t[i].res);
	PQclear(p->clear_checks);
	free(p->name_th);
	free(p->name_en);
	free(p->set_name_th);
	free(p->set_name_en);
	free(p->income_threshold);
	free(p->confidence_min_pct);
	memset(p, 0, sizeof *p);
}

int
pk_col(const PGresult *res, const char *name)
{
	return res ? PQfnumber(res, name) : -1;
}

const char *
pk_get(const PGresult *res, int r, const char *name)
{
	int			c = pk_col(res, name);

	if (c < 0 || r < 0 || r >= PQntuples(res) || PQgetisnull(res, r, c))
		return NULL;
	return PQgetvalue(res, r, c);
}
