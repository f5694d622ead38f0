/*
 * checks.c: the household and member checks (see checks.h).
 *
 * Money is compared in whole satang and averages without division (total against
 * limit x persons), so that a household exactly at a threshold is never misjudged
 * by rounding. Every comparison is strict where the Checks table says "under",
 * "over" or "more than": exactly at the threshold never fires.
 */
#include <string.h>

#include "checks.h"

const char *const bmn_check_names[BMN_CHECK_COUNT] = {
	[BMN_CHECK_INCOME_ZERO] = "INCOME_ZERO",
	[BMN_CHECK_INCOME_LOW] = "INCOME_LOW",
	[BMN_CHECK_INCOME_HIGH] = "INCOME_HIGH",
	[BMN_CHECK_HEAD_UNDER_15] = "HEAD_UNDER_15",
	[BMN_CHECK_AGE_OVER_80] = "AGE_OVER_80",
	[BMN_CHECK_AGE_IMPOSSIBLE] = "AGE_IMPOSSIBLE",
	[BMN_CHECK_FOREIGN_MAJORITY] = "FOREIGN_MAJORITY",
	[BMN_CHECK_HEAD_COUNT] = "HEAD_COUNT",
	[BMN_CHECK_EDUCATION_AGE] = "EDUCATION_AGE",
	[BMN_CHECK_CHILD_NOT_IN_SCHOOL] = "CHILD_NOT_IN_SCHOOL",
	[BMN_CHECK_OCCUPATION_AGE] = "OCCUPATION_AGE",
	[BMN_CHECK_OCCUPATION_NO_INCOME] = "OCCUPATION_NO_INCOME",
	[BMN_CHECK_NATIONAL_ID_INVALID] = "NATIONAL_ID_INVALID",
	[BMN_CHECK_NATIONAL_ID_DUPLICATE] = "NATIONAL_ID_DUPLICATE",
	[BMN_CHECK_NO_CONSENT] = "NO_CONSENT",
	[BMN_CHECK_ANSWER_CONTRADICTS] = "ANSWER_CONTRADICTS",
	[BMN_CHECK_VILLAGE_FEW_HOUSEHOLDS] = "VILLAGE_FEW_HOUSEHOLDS",
	[BMN_CHECK_VILLAGE_SMALL_HOUSEHOLDS] = "VILLAGE_SMALL_HOUSEHOLDS",
	[BMN_CHECK_REGISTRY_HOUSE_MISSING] = "REGISTRY_HOUSE_MISSING",
	[BMN_CHECK_REGISTRY_VILLAGE_MISMATCH] = "REGISTRY_VILLAGE_MISMATCH",
	[BMN_CHECK_REGISTRY_PERSON_MISMATCH] = "REGISTRY_PERSON_MISMATCH",
	[BMN_CHECK_VILLAGE_COVERAGE] = "VILLAGE_COVERAGE",
	[BMN_CHECK_COLLECTOR_DAILY_LOAD] = "COLLECTOR_DAILY_LOAD",
	[BMN_CHECK_INTERVIEW_TOO_SHORT] = "INTERVIEW_TOO_SHORT",
	[BMN_CHECK_GPS_OUT_OF_AREA] = "GPS_OUT_OF_AREA",
	[BMN_CHECK_GPS_SAME_SPOT] = "GPS_SAME_SPOT",
};

void
bmn_check_settings_default(BmnCheckSettings *s)
{
	memset(s, 0, sizeof *s);
	s->enabled = BMN_CHECK_BIT(BMN_CHECK_COUNT) - 1;
	s->has_income_threshold = false;
	s->income_high_satang = INT64_C(100000000);	/* 1,000,000 baht */
	s->head_min_age = 15;
	s->age_over = 80;
	s->age_max = 120;
	s->work_min_age = 15;
	s->official_min_age = 18;
	s->school_min_age = 6;
	s->school_max_age = 14;
	s->interview_min_us = INT64_C(5) * 60 * 1000000;
	s->lat_min = 5.6;
	s->lat_max = 20.5;
	s->lon_min = 97.3;
	s->lon_max = 105.7;
}

int
bmn_education_max_for_age(int age)
{
	if (age <= 2)
		return 0;
	if (age <= 5)
		return 1;
	if (age <= 11)
		return 2;
	if (age <= 14)
		return 3;
	if (age <= 17)
		return 4;
	if (age <= 19)
		return 5;
	if (age <= 21)
		return 6;
	return 7;
}

typedef struct Out
{
	BmnFinding *f;
	int			max;
	int			n;
} Out;

static void
fire(Out *o, BmnCheckCode check, int member_index, int member_no, int64_t value,
	 int64_t limit)
{
	if (o->n < o->max)
	{
		BmnFinding *f = &o->f[o->n];

		f->check = check;
		f->member_index = member_index;
		f->member_no = member_no;
		f->value = value;
		f->limit = limit;
		f->mask = 0;
	}
	o->n++;
}

static bool
on(const BmnCheckSettings *s, BmnCheckCode c)
{
	return (s->enabled & BMN_CHECK_BIT(c)) != 0;
}

/*
 * Born after the interview, judged on the parts of the birth date that are known:
 * a child born in month 00 of the interview's year may have been born before it.
 */
static bool
born_after_interview(const BmnMemberFacts *m, const BmnHouseholdFacts *hh)
{
	if (m->birth_y != hh->interview_y)
		return m->birth_y > hh->interview_y;
	if (!m->birth_month_known)
		return false;
	if (m->birth_m != hh->interview_m)
		return m->birth_m > hh->interview_m;
	if (!m->birth_day_known)
		return false;
	return m->birth_d > hh->interview_d;
}

/* The check digit the first 12 digits need; -1 when the ID is not 13 digits. */
static int
expected_check_digit(const char *id)
{
	int			sum = 0;

	for (int i = 0; i < 12; i++)
	{
		if (id[i] < '0' || id[i] > '9')
			return -1;
		sum += (id[i] - '0') * (13 - i);
	}
	if (id[12] < '0' || id[12] > '9' || id[13] != '\0')
		return -1;
	return (11 - sum % 11) % 10;
}

/* Derived indicators (rules other than the answer itself) answered otherwise. */
static uint64_t
contradicted(const BmnRuleSet *set, const BmnScore *score, const BmnHouseholdFacts *hh)
{
	uint64_t	mask = 0;

	for (int k = 0; k < set->n; k++)
	{
		const BmnIndicatorRule *r = &set->rules[k];
		uint64_t	bit = bmn_bit(r->indicator_no);

		if (r->kind == BMN_RULE_ANSWERED || r->kind == BMN_RULE_ANSWERED_IF_PRESENT)
			continue;
		/* a result that does not apply has nothing to contradict */
		if ((hh->answered & bit) == 0 || (score->applicable & bit) == 0)
			continue;
		if (((hh->answer_passed & bit) != 0) != ((score->passed & bit) != 0))
			mask |= bit;
	}
	return mask;
}

static void
check_member(const BmnCheckSettings *s, const BmnHouseholdFacts *hh,
			 const BmnMemberFacts *m, int i, Out *o)
{
	int			age;
	int			expected;

	if (on(s, BMN_CHECK_NATIONAL_ID_INVALID) && m->national_id[0] != '\0' &&
		m->national_id[0] != '0')
	{
		/* 0-prefixed IDs (no registration status) may not follow the checksum */
		expected = expected_check_digit(m->national_id);
		if (expected < 0 || expected != m->national_id[12] - '0')
			fire(o, BMN_CHECK_NATIONAL_ID_INVALID, i, m->member_no,
				 expected < 0 ? -1 : m->national_id[12] - '0', expected);
	}
	if (on(s, BMN_CHECK_REGISTRY_PERSON_MISMATCH) && m->registry_found &&
		((m->sex != BMN_NONE && m->registry_sex != BMN_NONE && m->sex != m->registry_sex) ||
		 (m->registry_birth_y != BMN_NONE && m->birth_y != m->registry_birth_y)))
		fire(o, BMN_CHECK_REGISTRY_PERSON_MISMATCH, i, m->member_no, 0, 0);

	/* an impossible age is that finding alone: the age checks would only echo it */
	if (born_after_interview(m, hh))
	{
		if (on(s, BMN_CHECK_AGE_IMPOSSIBLE))
			fire(o, BMN_CHECK_AGE_IMPOSSIBLE, i, m->member_no, -1, s->age_max);
		return;
	}
	if (m->age > s->age_max)
	{
		if (on(s, BMN_CHECK_AGE_IMPOSSIBLE))
			fire(o, BMN_CHECK_AGE_IMPOSSIBLE, i, m->member_no, m->age, s->age_max);
		return;
	}
	/* born in the interview's year with the month unknown: a baby */
	age = m->age < 0 ? 0 : m->age;

	if (on(s, BMN_CHECK_HEAD_UNDER_15) && m->relation == 1 && age < s->head_min_age)
		fire(o, BMN_CHECK_HEAD_UNDER_15, i, m->member_no, age, s->head_min_age);
	if (on(s, BMN_CHECK_AGE_OVER_80) && age > s->age_over)
		fire(o, BMN_CHECK_AGE_OVER_80, i, m->member_no, age, s->age_over);
	if (on(s, BMN_CHECK_EDUCATION_AGE) && m->education != BMN_NONE &&
		m->education > bmn_education_max_for_age(age))
		fire(o, BMN_CHECK_EDUCATION_AGE, i, m->member_no, m->education,
			 bmn_education_max_for_age(age));
	if (on(s, BMN_CHECK_CHILD_NOT_IN_SCHOOL) && age >= s->school_min_age &&
		age <= s->school_max_age && m->in_school == 0 &&
		m->education != BMN_NONE && m->education < 4)
		fire(o, BMN_CHECK_CHILD_NOT_IN_SCHOOL, i, m->member_no, age, m->education);
	if (on(s, BMN_CHECK_OCCUPATION_AGE))
	{
		if (age < s->work_min_age && m->occupation >= 3 && m->occupation <= 6)
			fire(o, BMN_CHECK_OCCUPATION_AGE, i, m->member_no, m->occupation, s->work_min_age);
		else if (age < s->official_min_age && m->occupation == 4)
			fire(o, BMN_CHECK_OCCUPATION_AGE, i, m->member_no, m->occupation,
				 s->official_min_age);
	}
	if (on(s, BMN_CHECK_OCCUPATION_NO_INCOME) && m->occupation >= 2 &&
		m->occupation <= 7 && m->income_satang == 0)
		fire(o, BMN_CHECK_OCCUPATION_NO_INCOME, i, m->member_no, m->occupation, 0);
}

int
bmn_check_household(const BmnCheckSettings *s, const BmnRuleSet *set,
					const BmnScore *score, const BmnHouseholdFacts *hh,
					const BmnMemberFacts *members, int n_members,
					BmnFinding *out, int max)
{
	Out			o = {out, max, 0};
	int			heads = 0,
				thai = 0;

	for (int i = 0; i < n_members; i++)
	{
		heads += members[i].relation == 1 ? 1 : 0;
		thai += members[i].thai ? 1 : 0;
	}

	if (n_members > 0)
	{
		int64_t		avg = bmn_income_avg_satang(hh->income_satang, n_members);

		if (hh->income_satang == 0)
		{
			if (on(s, BMN_CHECK_INCOME_ZERO))
				fire(&o, BMN_CHECK_INCOME_ZERO, -1, 0, 0, 0);
		}
		else if (s->has_income_threshold && on(s, BMN_CHECK_INCOME_LOW) &&
				 hh->income_satang < s->income_threshold_satang * n_members)
			fire(&o, BMN_CHECK_INCOME_LOW, -1, 0, avg, s->income_threshold_satang);
		if (on(s, BMN_CHECK_INCOME_HIGH) &&
			hh->income_satang > s->income_high_satang * n_members)
			fire(&o, BMN_CHECK_INCOME_HIGH, -1, 0, avg, s->income_high_satang);
	}
	if (on(s, BMN_CHECK_FOREIGN_MAJORITY) && thai < n_members - thai)
		fire(&o, BMN_CHECK_FOREIGN_MAJORITY, -1, 0, thai, n_members - thai);
	if (on(s, BMN_CHECK_HEAD_COUNT) && heads != 1)
		fire(&o, BMN_CHECK_HEAD_COUNT, -1, 0, heads, n_members);
	if (on(s, BMN_CHECK_NO_CONSENT) && hh->consent == 0)
		fire(&o, BMN_CHECK_NO_CONSENT, -1, 0, 0, 0);
	if (on(s, BMN_CHECK_ANSWER_CONTRADICTS) && score != NULL && set != NULL)
	{
		uint64_t	mask = contradicted(set, score, hh);

		if (mask != 0)
		{
			fire(&o, BMN_CHECK_ANSWER_CONTRADICTS, -1, 0, 0, 0);
			if (o.n <= o.max)
				out[o.n - 1].mask = mask;
		}
	}
	if (on(s, BMN_CHECK_INTERVIEW_TOO_SHORT) && hh->has_duration &&
		hh->duration_us < s->interview_min_us)
		fire(&o, BMN_CHECK_INTERVIEW_TOO_SHORT, -1, 0, hh->duration_us, s->interview_min_us);
	if (on(s, BMN_CHECK_GPS_OUT_OF_AREA) && hh->has_position &&
		(hh->latitude < s->lat_min || hh->latitude > s->lat_max ||
		 hh->longitude < s->lon_min || hh->longitude > s->lon_max))
		fire(&o, BMN_CHECK_GPS_OUT_OF_AREA, -1, 0, 0, 0);
	if (hh->has_house_code)
	{
		if (hh->registry_house_found)
		{
			if (on(s, BMN_CHECK_REGISTRY_VILLAGE_MISMATCH) &&
				hh->registry_house_village != hh->village)
				fire(&o, BMN_CHECK_REGISTRY_VILLAGE_MISMATCH, -1, 0, 0, 0);
		}
		/* only where the registry covers the village: elsewhere it cannot know */
		else if (on(s, BMN_CHECK_REGISTRY_HOUSE_MISSING) && hh->registry_covers_village)
			fire(&o, BMN_CHECK_REGISTRY_HOUSE_MISSING, -1, 0, 0, 0);
	}

	for (int i = 0; i < n_members; i++)
		check_member(s, hh, &members[i], i, &o);
	return o.n;
}
