/*
 * refresh_round.c: what a refresh needs to know of its round: the settings its
 * checks use (every threshold of the Checks table) and the rules of its indicator set, with '$setting' parameters
 * resolved. Bad data in bmn.indicator or the settings is an error with the
 * indicator's number, never a guess.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "executor/spi.h"

#include "refresh.h"

static int64
getarg_int64_or(HeapTuple tup, TupleDesc desc, int col, int64 dflt, bool *isnull_out)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	if (isnull_out)
		*isnull_out = isnull;
	return isnull ? dflt : DatumGetInt64(d);
}

/* Money settings as whole satang; NULL when missing or not a plain number. */
#define SATANG_SQL(expr) \
	"CASE WHEN (" expr ") ~ '^[0-9]{1,12}(\\.[0-9]+)?$' " \
	"THEN round((" expr ")::numeric * 100)::int8 END"

/* The thresholds read here, with what they must be. */
typedef struct SettingSpec
{
	const char *key;
	double		min;
	double		max;
	bool		integer;
} SettingSpec;

static const SettingSpec setting_specs[] = {
	{"head_min_age", 0, 200, true},
	{"age_over", 0, 200, true},
	{"age_max", 0, 200, true},
	{"work_min_age", 0, 200, true},
	{"official_min_age", 0, 200, true},
	{"school_min_age", 0, 200, true},
	{"school_max_age", 0, 200, true},
	{"interview_min_minutes", 0, 1440, false},
	{"gps_lat_min", -90, 90, false},
	{"gps_lat_max", -90, 90, false},
	{"gps_lon_min", -180, 180, false},
	{"gps_lon_max", -180, 180, false},
	{"village_min_households", 0, 1e9, false},
	{"village_min_persons_avg", 0, 1e9, false},
	{"coverage_min_pct", 0, 1e9, false},
	{"coverage_max_pct", 0, 1e9, false},
	{"collector_daily_max", 0, 1e9, true},
	{"gps_max_km", 0, 40000, false},
	{"gps_same_spot_m", 0, 1e6, false},
	{"gps_same_spot_count", 1, 1e6, true},
	{"confidence_min_pct", 0, 100, false},
};
#define N_SETTINGS (int) lengthof(setting_specs)

/*
 * A threshold of the round: its value, the default when the round does not have
 * it (rounds made before a check existed), an error when it is not a number in
 * range.
 */
static double
setting_value(const Refresh *r, const SettingSpec *spec, const char *text, double dflt)
{
	char	   *end;
	double		v;

	if (text == NULL)
		return dflt;
	errno = 0;
	v = strtod(text, &end);
	if (end == text || *end != '\0' || errno != 0 || isnan(v) ||
		v < spec->min || v > spec->max || (spec->integer && v != floor(v)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survey round %d has an invalid %s setting: \"%s\"",
						r->year, spec->key, text),
				 errdetail("It must be %s from %g to %g.",
						   spec->integer ? "a whole number" : "a number", spec->min, spec->max),
				 errhint("Set it with bmn.set_round_settings(%d, '{\"%s\": ...}').",
						 r->year, spec->key)));
	return v;
}

void
refresh_load_round(Refresh *r)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(r->year)};
	HeapTuple	tup;
	TupleDesc	desc;
	bool		isnull;
	StringInfoData sql;
	double		v[N_SETTINGS];
	BmnCheckSettings *s = &r->settings;

	initStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT " SATANG_SQL("settings->>'income_threshold'") ", "
						   SATANG_SQL("settings->>'income_high'"));
	for (int i = 0; i < N_SETTINGS; i++)
		appendStringInfo(&sql, ", settings->>'%s'", setting_specs[i].key);
	appendStringInfoString(&sql, " FROM bmn.survey_round WHERE survey_year = $1 FOR UPDATE");
	if (SPI_execute_with_args(sql.data, 1, argtypes, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the survey round");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("survey round %d does not exist", r->year),
				 errhint("Load the round's survey export, or create it with bmn.create_round(%d).",
						 r->year)));
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	bmn_check_settings_default(s);
	s->income_threshold_satang = getarg_int64_or(tup, desc, 1, 0, &isnull);
	s->has_income_threshold = !isnull;
	s->income_high_satang = getarg_int64_or(tup, desc, 2, 0, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("survey round %d has no valid income_high setting", r->year),
				 errhint("Set it with bmn.set_round_settings(%d, '{\"income_high\": 1000000}').",
						 r->year)));
	if (!s->has_income_threshold)
		ereport(NOTICE,
				(errmsg("survey round %d has no income_threshold: the income indicator and INCOME_LOW are not evaluated",
						r->year),
				 errhint("Set it with bmn.set_round_settings(%d, '{\"income_threshold\": 38000}').",
						 r->year)));

	{
		/* the defaults of interface.md, as bmn.default_round_settings() has them */
		const double dflt[N_SETTINGS] = {
			s->head_min_age, s->age_over, s->age_max, s->work_min_age,
			s->official_min_age, s->school_min_age, s->school_max_age,
			s->interview_min_us / 60e6, s->lat_min, s->lat_max, s->lon_min, s->lon_max,
			20, 3, 90, 110, 20, 20, 10, 3, 95
		};

		for (int i = 0; i < N_SETTINGS; i++)
			v[i] = setting_value(r, &setting_specs[i], SPI_getvalue(tup, desc, 3 + i), dflt[i]);
	}
	s->head_min_age = (int) v[0];
	s->age_over = (int) v[1];
	s->age_max = (int) v[2];
	s->work_min_age = (int) v[3];
	s->official_min_age = (int) v[4];
	s->school_min_age = (int) v[5];
	s->school_max_age = (int) v[6];
	s->interview_min_us = (int64) llround(v[7] * 60e6);
	s->lat_min = v[8];
	s->lat_max = v[9];
	s->lon_min = v[10];
	s->lon_max = v[11];
	r->collector_daily_max = (int) v[16];
	r->gps_max_km = v[17];
	r->gps_same_spot_m = v[18];
	r->gps_same_spot_count = (int) v[19];
}

static BmnRuleKind
rule_kind(const char *name)
{
	static const char *const names[BMN_RULE_COUNT] = {
		[BMN_RULE_ANSWERED] = "answered",
		[BMN_RULE_AGE_IN_SCHOOL] = "age_in_school",
		[BMN_RULE_AGE_LITERATE] = "age_literate",
		[BMN_RULE_AGE_WORKING] = "age_working",
		[BMN_RULE_INCOME_AVG] = "income_avg",
		[BMN_RULE_WELFARE_REACH] = "welfare_reach",
		[BMN_RULE_ANSWERED_IF_PRESENT] = "answered_if_present",
	};

	for (int k = 0; k < BMN_RULE_COUNT; k++)
		if (strcmp(names[k], name) == 0)
			return (BmnRuleKind) k;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown indicator rule \"%s\"", name)));
	return BMN_RULE_COUNT;		/* not reached */
}

static BmnGroup
rule_group(const char *name, int indicator_no)
{
	if (name == NULL)
		return BMN_GROUP_NONE;
	if (strcmp(name, "children_0_6") == 0)
		return BMN_GROUP_CHILDREN_0_6;
	if (strcmp(name, "elderly") == 0)
		return BMN_GROUP_ELDERLY;
	if (strcmp(name, "disabled") == 0)
		return BMN_GROUP_DISABLED;
	if (strcmp(name, "chronically_ill") == 0)
		return BMN_GROUP_CHRONICALLY_ILL;
	if (strcmp(name, "bedridden") == 0)
		return BMN_GROUP_BEDRIDDEN;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("indicator %d names an unknown group \"%s\"", indicator_no, name),
			 errhint("Groups are children_0_6, elderly, disabled, chronically_ill and bedridden.")));
	return BMN_GROUP_NONE;		/* not reached */
}

void
refresh_load_rules(Refresh *r)
{
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1] = {Int32GetDatum(r->year)};
	TupleDesc	desc;

	if (SPI_execute_with_args(
							  "SELECT i.indicator_no, i.level = 'member', i.rule,"
							  " (i.params->>'min_age')::int, (i.params->>'max_age')::int,"
							  " " SATANG_SQL("s.v") ", s.v, i.params->>'group'"
							  " FROM bmn.survey_round r"
							  " JOIN bmn.indicator i ON i.set_code = r.set_code"
							  " CROSS JOIN LATERAL (SELECT coalesce(i.params->>'min', i.params->>'max',"
							  "        i.params->>'max_income') AS raw) p"
							  " CROSS JOIN LATERAL (SELECT CASE WHEN p.raw LIKE '$%'"
							  "        THEN r.settings->>substr(p.raw, 2) ELSE p.raw END AS v) s"
							  " WHERE r.survey_year = $1 ORDER BY i.indicator_no",
							  1, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the indicator set");
	desc = SPI_tuptable->tupdesc;
	memset(&r->rules, 0, sizeof r->rules);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	tup = SPI_tuptable->vals[i];
		BmnIndicatorRule rule;
		bool		isnull;
		const char *problem;
		char	   *kind = SPI_getvalue(tup, desc, 3);

		memset(&rule, 0, sizeof rule);
		rule.indicator_no = DatumGetInt32(SPI_getbinval(tup, desc, 1, &isnull));
		rule.member_level = DatumGetBool(SPI_getbinval(tup, desc, 2, &isnull));
		rule.kind = rule_kind(kind);
		rule.min_age = DatumGetInt32(SPI_getbinval(tup, desc, 4, &isnull));
		if (isnull)
			rule.min_age = 0;
		rule.max_age = DatumGetInt32(SPI_getbinval(tup, desc, 5, &isnull));
		if (isnull)
			rule.max_age = BMN_NONE;
		rule.amount_satang = getarg_int64_or(tup, desc, 6, 0, &isnull);
		rule.has_amount = !isnull;
		rule.group = rule_group(SPI_getvalue(tup, desc, 8), rule.indicator_no);
		if (rule.kind == BMN_RULE_ANSWERED_IF_PRESENT && rule.group == BMN_GROUP_NONE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("indicator %d uses answered_if_present without a group",
							rule.indicator_no)));
		if ((rule.kind == BMN_RULE_INCOME_AVG || rule.kind == BMN_RULE_WELFARE_REACH) &&
			!rule.has_amount && SPI_getvalue(tup, desc, 7) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("indicator %d has an amount that is not a number: \"%s\"",
							rule.indicator_no, SPI_getvalue(tup, desc, 7))));
		problem = bmn_ruleset_add(&r->rules, &rule);
		if (problem != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("indicator %d cannot be scored: %s", rule.indicator_no, problem)));
	}
}

