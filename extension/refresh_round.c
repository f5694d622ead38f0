/*
 * refresh_round.c: what a refresh needs to know of its round: the settings its
 * checks use (every threshold of the Checks table) and the rules of its
 * indicator set, with '$setting' parameters resolved. Bad data in bmn.indicator
 * or the settings is an error with the indicator's number, never a guess.
 *
 * The settings and parameters are JSON objects, read here field by field rather
 * than by a statement with an ->> for each: such a statement's parse analysis
 * and planning, in the new session a refresh mostly runs in, cost more than a
 * correction of a few households.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "refresh.h"

/*
 * A field of a JSON object as text, as ->> gives it; NULL when it is missing or
 * null, or jb is not an object.
 */
static char *
json_field_text(Jsonb *jb, const char *key)
{
	JsonbValue	v;

	if (jb == NULL || !JB_ROOT_IS_OBJECT(jb) ||
		getKeyJsonValueFromContainer(&jb->root, key, strlen(key), &v) == NULL)
		return NULL;
	switch (v.type)
	{
		case jbvNull:
			return NULL;
		case jbvString:
			return pnstrdup(v.val.string.val, v.val.string.len);
		case jbvNumeric:
			return DatumGetCString(DirectFunctionCall1(numeric_out,
													   NumericGetDatum(v.val.numeric)));
		case jbvBool:
			return pstrdup(v.val.boolean ? "true" : "false");
		case jbvBinary:
			return JsonbToCString(NULL, v.val.binary.data, v.val.binary.len);
		default:
			elog(ERROR, "unexpected JSON value in field \"%s\"", key);
	}
	return NULL;				/* not reached */
}

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
	double		v[N_SETTINGS];
	BmnCheckSettings *s = &r->settings;
	MemoryContext old;

	if (SPI_execute_with_args("SELECT settings, set_code FROM bmn.survey_round"
							  " WHERE survey_year = $1 FOR UPDATE",
							  1, argtypes, args, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the survey round");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("survey round %d does not exist", r->year),
				 errhint("Load the round's survey export, or create it with bmn.create_round(%d).",
						 r->year)));
	tup = SPI_tuptable->vals[0];
	desc = SPI_tuptable->tupdesc;
	/* kept for the rules' parameters too (refresh_load_rules) */
	old = MemoryContextSwitchTo(r->keep_cxt);
	r->round_settings = DatumGetJsonbPCopy(SPI_getbinval(tup, desc, 1, &isnull));
	r->set_code = SPI_getvalue(tup, desc, 2);
	MemoryContextSwitchTo(old);
	bmn_check_settings_default(s);
	s->has_income_threshold =
		bmn_setting_satang(json_field_text(r->round_settings, "income_threshold"),
						   &s->income_threshold_satang);
	if (!bmn_setting_satang(json_field_text(r->round_settings, "income_high"),
							&s->income_high_satang))
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
			v[i] = setting_value(r, &setting_specs[i],
								 json_field_text(r->round_settings, setting_specs[i].key),
								 dflt[i]);
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

/*
 * An age bound of a rule's parameters (min_age, max_age): whole years, 0 to
 * 150, given as a number or as text; dflt when missing. Anything else, a
 * negative number included (-1 would read as "no bound"), is an error.
 */
static int
rule_age(Jsonb *params, const char *key, int indicator_no, int dflt)
{
	char	   *text = json_field_text(params, key);
	int64		age;

	if (text == NULL)
		return dflt;
	if (strlen(text) > 3 || !digits_value(text, strlen(text), &age) ||
		age > 150)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("indicator %d has a %s that is not an age in years: \"%s\"",
						indicator_no, key, text)));
	return (int) age;
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
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1] = {CStringGetTextDatum(r->set_code)};
	TupleDesc	desc;

	if (SPI_execute_with_args("SELECT indicator_no, level, rule, params FROM bmn.indicator"
							  " WHERE set_code = $1 ORDER BY indicator_no",
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
		char	   *level = SPI_getvalue(tup, desc, 2);
		Datum		params_datum = SPI_getbinval(tup, desc, 4, &isnull);
		Jsonb	   *params = isnull ? NULL : DatumGetJsonbP(params_datum);
		char	   *amount = json_field_text(params, "min");

		memset(&rule, 0, sizeof rule);
		rule.indicator_no = DatumGetInt32(SPI_getbinval(tup, desc, 1, &isnull));
		rule.member_level = level != NULL && strcmp(level, "member") == 0;
		rule.kind = rule_kind(SPI_getvalue(tup, desc, 3));
		rule.min_age = rule_age(params, "min_age", rule.indicator_no, 0);
		rule.max_age = rule_age(params, "max_age", rule.indicator_no, BMN_NONE);
		/* the amount, or the setting it names ("$income_threshold") */
		if (amount == NULL)
			amount = json_field_text(params, "max");
		if (amount == NULL)
			amount = json_field_text(params, "max_income");
		if (amount != NULL && amount[0] == '$')
			amount = json_field_text(r->round_settings, amount + 1);
		rule.has_amount = bmn_setting_satang(amount, &rule.amount_satang);
		rule.group = rule_group(json_field_text(params, "group"), rule.indicator_no);
		if (rule.kind == BMN_RULE_ANSWERED_IF_PRESENT && rule.group == BMN_GROUP_NONE)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("indicator %d uses answered_if_present without a group",
							rule.indicator_no)));
		if ((rule.kind == BMN_RULE_INCOME_AVG || rule.kind == BMN_RULE_WELFARE_REACH) &&
			!rule.has_amount && amount != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("indicator %d has an amount that is not a number: \"%s\"",
							rule.indicator_no, amount)));
		problem = bmn_ruleset_add(&r->rules, &rule);
		if (problem != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("indicator %d cannot be scored: %s", rule.indicator_no, problem)));
	}
}
