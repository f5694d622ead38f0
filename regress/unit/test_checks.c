/*
 * test_checks.c: the household and member checks (common/checks.c) and the GPS
 * geometry (common/geo.c): for each check the smallest case that fires it and the
 * boundary case that must not.
 */
#include <math.h>
#include <stdlib.h>

#include "unit.h"

#include "checks.h"
#include "geo.h"
#include "rules.h"

/* A Thai adult head, 40 on the interview date 12/02/2019, answering nothing odd. */
static BmnMemberFacts
member(int no)
{
	BmnMemberFacts m = {0};

	m.member_no = no;
	m.age = 40;
	m.thai = true;
	m.relation = no == 1 ? 1 : 3;
	m.education = 2;
	m.in_school = 0;
	m.literate = BMN_NONE;
	m.occupation = 2;
	m.health_status = BMN_NONE;
	m.self_care = BMN_NONE;
	m.welfare_card = BMN_NONE;
	m.income_satang = 5000000;
	m.sex = 1;
	m.birth_y = 1978;
	m.birth_m = 5;
	m.birth_d = 17;
	m.birth_month_known = true;
	m.birth_day_known = true;
	m.registry_sex = BMN_NONE;
	m.registry_birth_y = BMN_NONE;
	return m;
}

static BmnHouseholdFacts
household(void)
{
	BmnHouseholdFacts h = {0};

	h.income_satang = 10000000;
	h.interview_y = 2019;
	h.interview_m = 2;
	h.interview_d = 12;
	h.consent = 1;
	h.village = 55010101;
	return h;
}

static BmnCheckSettings
settings(void)
{
	BmnCheckSettings s;

	bmn_check_settings_default(&s);
	return s;
}

/* The findings of one household, or -1 when there are more than 16. */
static int
run(const BmnHouseholdFacts *hh, const BmnMemberFacts *m, int n, BmnFinding *f)
{
	BmnCheckSettings s = settings();
	int			k = bmn_check_household(&s, NULL, NULL, hh, m, n, f, 16);

	return k > 16 ? -1 : k;
}

/* How many findings of one check. */
static int
fired(const BmnHouseholdFacts *hh, const BmnMemberFacts *m, int n, BmnCheckCode c)
{
	BmnFinding	f[16];
	int			k = run(hh, m, n, f);
	int			count = 0;

	for (int i = 0; i < k; i++)
		count += f[i].check == c ? 1 : 0;
	return count;
}

/* The one finding of check c; its check is BMN_CHECK_COUNT when there is none. */
static BmnFinding
only(const BmnHouseholdFacts *hh, const BmnMemberFacts *m, int n, BmnCheckCode c)
{
	BmnFinding	f[16];
	BmnFinding	none = {.check = BMN_CHECK_COUNT};
	int			k = run(hh, m, n, f);

	for (int i = 0; i < k; i++)
		if (f[i].check == c)
			return f[i];
	return none;
}

UNIT_TEST(check_clean_household)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[2] = {member(1), member(2)};
	BmnFinding	f[16];

	EXPECT_INT(run(&hh, m, 2, f), 0);
	EXPECT_STR(bmn_check_names[BMN_CHECK_GPS_SAME_SPOT], "GPS_SAME_SPOT");
	for (int c = 0; c < BMN_CHECK_COUNT; c++)
		EXPECT(bmn_check_names[c] != NULL);
}

UNIT_TEST(check_head_under_15)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[1] = {member(1)};
	BmnFinding	f;

	m[0].age = 14;
	f = only(&hh, m, 1, BMN_CHECK_HEAD_UNDER_15);
	EXPECT_INT(f.check, BMN_CHECK_HEAD_UNDER_15);
	EXPECT_INT(f.value, 14);
	EXPECT_INT(f.limit, 15);
	EXPECT_INT(f.member_no, 1);
	EXPECT_INT(f.member_index, 0);
	m[0].age = 15;				/* exactly the threshold */
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_HEAD_UNDER_15), 0);
	m[0].age = 14;				/* a child who is not the head */
	m[0].relation = 3;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_HEAD_UNDER_15), 0);
}

UNIT_TEST(check_age_over_80)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[1] = {member(1)};

	m[0].age = 81;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_AGE_OVER_80), 1);
	m[0].age = 80;				/* exactly 80 is not over 80 */
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_AGE_OVER_80), 0);
}

UNIT_TEST(check_age_impossible)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[1] = {member(1)};
	BmnFinding	f;

	/* born the day after the interview */
	m[0].birth_y = 2019;
	m[0].birth_m = 2;
	m[0].birth_d = 13;
	m[0].age = -1;
	f = only(&hh, m, 1, BMN_CHECK_AGE_IMPOSSIBLE);
	EXPECT_INT(f.check, BMN_CHECK_AGE_IMPOSSIBLE);
	EXPECT_INT(f.value, -1);
	/* the impossible age is the only finding: no HEAD_UNDER_15 echo */
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_HEAD_UNDER_15), 0);
	/* born on the interview date */
	m[0].birth_d = 12;
	m[0].age = 0;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_AGE_IMPOSSIBLE), 0);
	/* month 00 of the interview's year (stored as July): may be before it */
	m[0].birth_m = 7;
	m[0].birth_d = 1;
	m[0].birth_month_known = false;
	m[0].birth_day_known = false;
	m[0].age = -1;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_AGE_IMPOSSIBLE), 0);
	/* day 00 of a later month of the interview's year: after it */
	m[0].birth_m = 3;
	m[0].birth_month_known = true;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_AGE_IMPOSSIBLE), 1);
	/* a year later, month unknown */
	m[0] = member(1);
	m[0].birth_y = 2020;
	m[0].birth_month_known = false;
	m[0].age = -1;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_AGE_IMPOSSIBLE), 1);
	/* over 120, not 120 */
	m[0] = member(1);
	m[0].age = 121;
	f = only(&hh, m, 1, BMN_CHECK_AGE_IMPOSSIBLE);
	EXPECT_INT(f.value, 121);
	EXPECT_INT(f.limit, 120);
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_AGE_OVER_80), 0);
	m[0].age = 120;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_AGE_IMPOSSIBLE), 0);
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_AGE_OVER_80), 1);
}

UNIT_TEST(check_foreign_majority_and_head_count)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[3] = {member(1), member(2), member(3)};
	BmnFinding	f;

	m[1].thai = false;
	m[2].thai = false;
	f = only(&hh, m, 3, BMN_CHECK_FOREIGN_MAJORITY);
	EXPECT_INT(f.value, 1);
	EXPECT_INT(f.limit, 2);
	EXPECT_INT(f.member_no, 0);
	EXPECT_INT(f.member_index, -1);
	/* as many Thai as foreign members: not fewer */
	EXPECT_INT(fired(&hh, m, 2, BMN_CHECK_FOREIGN_MAJORITY), 0);

	EXPECT_INT(fired(&hh, m, 3, BMN_CHECK_HEAD_COUNT), 0);
	m[1].relation = 1;
	f = only(&hh, m, 3, BMN_CHECK_HEAD_COUNT);
	EXPECT_INT(f.value, 2);
	EXPECT_INT(f.limit, 3);
	m[0].relation = 2;
	m[1].relation = 2;
	EXPECT_INT(fired(&hh, m, 3, BMN_CHECK_HEAD_COUNT), 1);
	/* a household without members has no head either */
	EXPECT_INT(fired(&hh, m, 0, BMN_CHECK_HEAD_COUNT), 1);
}

UNIT_TEST(check_education_age)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[2] = {member(1), member(2)};
	BmnFinding	f;
	static const int edges[][2] = {
		{0, 0}, {2, 0}, {3, 1}, {5, 1}, {6, 2}, {11, 2}, {12, 3}, {14, 3},
		{15, 4}, {17, 4}, {18, 5}, {19, 5}, {20, 6}, {21, 6}, {22, 7}, {90, 7}
	};

	for (unsigned i = 0; i < sizeof edges / sizeof edges[0]; i++)
		EXPECT_INT(bmn_education_max_for_age(edges[i][0]), edges[i][1]);
	m[1].age = 10;
	m[1].in_school = 1;
	m[1].occupation = 1;
	m[1].education = 3;
	f = only(&hh, m, 2, BMN_CHECK_EDUCATION_AGE);
	EXPECT_INT(f.value, 3);
	EXPECT_INT(f.limit, 2);
	EXPECT_INT(f.member_no, 2);
	EXPECT_INT(f.member_index, 1);
	m[1].education = 2;			/* exactly the highest level of the age */
	EXPECT_INT(fired(&hh, m, 2, BMN_CHECK_EDUCATION_AGE), 0);
}

UNIT_TEST(check_child_not_in_school)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[2] = {member(1), member(2)};

	m[1].occupation = 0;
	m[1].income_satang = -1;
	m[1].education = 1;
	m[1].age = 6;
	EXPECT_INT(fired(&hh, m, 2, BMN_CHECK_CHILD_NOT_IN_SCHOOL), 1);
	m[1].age = 5;
	EXPECT_INT(fired(&hh, m, 2, BMN_CHECK_CHILD_NOT_IN_SCHOOL), 0);
	m[1].age = 14;
	m[1].education = 3;
	EXPECT_INT(fired(&hh, m, 2, BMN_CHECK_CHILD_NOT_IN_SCHOOL), 1);
	m[1].age = 15;
	EXPECT_INT(fired(&hh, m, 2, BMN_CHECK_CHILD_NOT_IN_SCHOOL), 0);
	m[1].age = 14;
	m[1].in_school = 1;
	EXPECT_INT(fired(&hh, m, 2, BMN_CHECK_CHILD_NOT_IN_SCHOOL), 0);
}

UNIT_TEST(check_occupation_age)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[2] = {member(1), member(2)};
	BmnFinding	f;

	m[1].age = 14;
	m[1].education = 3;
	m[1].in_school = 1;
	m[1].occupation = 3;
	f = only(&hh, m, 2, BMN_CHECK_OCCUPATION_AGE);
	EXPECT_INT(f.value, 3);
	EXPECT_INT(f.limit, 15);
	m[1].age = 15;				/* exactly 15 may work */
	EXPECT_INT(fired(&hh, m, 2, BMN_CHECK_OCCUPATION_AGE), 0);
	m[1].age = 14;
	m[1].occupation = 2;		/* farming with the family: not in 3-6 */
	EXPECT_INT(fired(&hh, m, 2, BMN_CHECK_OCCUPATION_AGE), 0);
	m[1].occupation = 7;
	EXPECT_INT(fired(&hh, m, 2, BMN_CHECK_OCCUPATION_AGE), 0);
	m[1].age = 17;				/* an official under 18 */
	m[1].occupation = 4;
	f = only(&hh, m, 2, BMN_CHECK_OCCUPATION_AGE);
	EXPECT_INT(f.limit, 18);
	m[1].age = 18;
	EXPECT_INT(fired(&hh, m, 2, BMN_CHECK_OCCUPATION_AGE), 0);
	m[1].age = 17;
	m[1].occupation = 5;
	EXPECT_INT(fired(&hh, m, 2, BMN_CHECK_OCCUPATION_AGE), 0);
}

UNIT_TEST(check_occupation_no_income)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[1] = {member(1)};

	m[0].income_satang = 0;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_OCCUPATION_NO_INCOME), 1);
	m[0].income_satang = 1;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_OCCUPATION_NO_INCOME), 0);
	m[0].income_satang = -1;	/* no value is not 0 */
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_OCCUPATION_NO_INCOME), 0);
	m[0].income_satang = 0;
	m[0].occupation = 1;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_OCCUPATION_NO_INCOME), 0);
	m[0].occupation = 7;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_OCCUPATION_NO_INCOME), 1);
}

UNIT_TEST(check_national_id_invalid)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[1] = {member(1)};
	BmnFinding	f;

	strcpy(m[0].national_id, "1103702488992");
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_NATIONAL_ID_INVALID), 0);
	strcpy(m[0].national_id, "1103702488993");
	f = only(&hh, m, 1, BMN_CHECK_NATIONAL_ID_INVALID);
	EXPECT_INT(f.value, 3);
	EXPECT_INT(f.limit, 2);
	strcpy(m[0].national_id, "0103702488993");	/* 0-prefixed: exempt */
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_NATIONAL_ID_INVALID), 0);
	m[0].national_id[0] = '\0';
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_NATIONAL_ID_INVALID), 0);
}

UNIT_TEST(check_consent_interview_gps)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[1] = {member(1)};
	BmnFinding	f;

	hh.consent = 0;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_NO_CONSENT), 1);
	hh.consent = 1;

	hh.has_duration = true;
	hh.duration_us = INT64_C(300000000) - 1;	/* a microsecond under 5 minutes */
	f = only(&hh, m, 1, BMN_CHECK_INTERVIEW_TOO_SHORT);
	EXPECT_INT(f.value, INT64_C(299999999));
	EXPECT_INT(f.limit, INT64_C(300000000));
	hh.duration_us = INT64_C(300000000);	/* exactly 5 minutes */
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_INTERVIEW_TOO_SHORT), 0);
	hh.duration_us = -60000000;	/* ended before it started */
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_INTERVIEW_TOO_SHORT), 1);
	hh.has_duration = false;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_INTERVIEW_TOO_SHORT), 0);

	hh.has_position = true;
	hh.latitude = 5.6;			/* on the box's edges: inside */
	hh.longitude = 105.7;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_GPS_OUT_OF_AREA), 0);
	hh.latitude = 20.5;
	hh.longitude = 97.3;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_GPS_OUT_OF_AREA), 0);
	hh.latitude = 5.59999;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_GPS_OUT_OF_AREA), 1);
	hh.latitude = 18.7;
	hh.longitude = 105.70001;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_GPS_OUT_OF_AREA), 1);
	hh.latitude = 0;			/* the phone's "no fix" */
	hh.longitude = 0;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_GPS_OUT_OF_AREA), 1);
	hh.has_position = false;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_GPS_OUT_OF_AREA), 0);
}

UNIT_TEST(check_registry)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[1] = {member(1)};
	BmnCheckSettings s = settings();
	BmnFinding	f[16];

	/* no house code: nothing to look up */
	hh.registry_covers_village = true;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_REGISTRY_HOUSE_MISSING), 0);
	hh.has_house_code = true;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_REGISTRY_HOUSE_MISSING), 1);
	/* a village the registry does not cover: it cannot say */
	hh.registry_covers_village = false;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_REGISTRY_HOUSE_MISSING), 0);
	hh.registry_house_found = true;
	hh.registry_house_village = 55010101;
	EXPECT_INT(run(&hh, m, 1, f), 0);
	hh.registry_house_village = 55010102;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_REGISTRY_VILLAGE_MISMATCH), 1);
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_REGISTRY_HOUSE_MISSING), 0);

	hh = household();
	m[0].registry_found = true;
	m[0].registry_sex = 1;
	m[0].registry_birth_y = 1978;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_REGISTRY_PERSON_MISMATCH), 0);
	m[0].registry_sex = 2;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_REGISTRY_PERSON_MISMATCH), 1);
	m[0].registry_sex = BMN_NONE;	/* unknown there: only the year counts */
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_REGISTRY_PERSON_MISMATCH), 0);
	m[0].registry_birth_y = 1979;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_REGISTRY_PERSON_MISMATCH), 1);
	m[0].registry_found = false;
	EXPECT_INT(fired(&hh, m, 1, BMN_CHECK_REGISTRY_PERSON_MISMATCH), 0);

	/* only the registry checks, as after a registry load */
	m[0].registry_found = true;
	m[0].age = 85;
	hh.consent = 0;
	s.enabled = BMN_CHECKS_REGISTRY;
	EXPECT_INT(bmn_check_household(&s, NULL, NULL, &hh, m, 1, f, 16), 1);
	EXPECT_INT(f[0].check, BMN_CHECK_REGISTRY_PERSON_MISMATCH);
}

UNIT_TEST(check_answer_contradicts)
{
	BmnRuleSet	set;
	BmnIndicatorRule r = {0};
	BmnScore	score;
	BmnCheckSettings s = settings();
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[2] = {member(1), member(2)};
	BmnFinding	f[16];
	int			n;

	memset(&set, 0, sizeof set);
	r.indicator_no = 22;
	r.kind = BMN_RULE_INCOME_AVG;
	r.has_amount = true;
	r.amount_satang = 3800000;
	EXPECT(bmn_ruleset_add(&set, &r) == NULL);
	r.indicator_no = 4;
	r.kind = BMN_RULE_ANSWERED;
	EXPECT(bmn_ruleset_add(&set, &r) == NULL);
	s.enabled = BMN_CHECK_BIT(BMN_CHECK_ANSWER_CONTRADICTS);

	/* 100,000 for 2 passes 22; the export says it fails */
	hh.answered = bmn_bit(22) | bmn_bit(4);
	hh.answer_passed = bmn_bit(4);
	bmn_score_household(&set, &hh, m, 2, &score);
	n = bmn_check_household(&s, &set, &score, &hh, m, 2, f, 16);
	EXPECT_INT(n, 1);
	EXPECT_INT(f[0].check, BMN_CHECK_ANSWER_CONTRADICTS);
	EXPECT(f[0].mask == bmn_bit(22));
	/* the same answer as the result */
	hh.answer_passed = bmn_bit(22);
	bmn_score_household(&set, &hh, m, 2, &score);
	EXPECT_INT(bmn_check_household(&s, &set, &score, &hh, m, 2, f, 16), 0);
	/* not answered: nothing to contradict */
	hh.answered = bmn_bit(4);
	hh.income_satang = 0;
	bmn_score_household(&set, &hh, m, 2, &score);
	EXPECT_INT(bmn_check_household(&s, &set, &score, &hh, m, 2, f, 16), 0);
	/* the result does not apply (no members): nothing either */
	hh.answered = bmn_bit(22);
	hh.answer_passed = bmn_bit(22);
	bmn_score_household(&set, &hh, m, 0, &score);
	EXPECT_INT(bmn_check_household(&s, &set, &score, &hh, m, 0, f, 16), 0);
}

UNIT_TEST(check_findings_beyond_max)
{
	BmnHouseholdFacts hh = household();
	BmnMemberFacts m[4] = {member(1), member(2), member(3), member(4)};
	BmnCheckSettings s = settings();
	BmnFinding	f[2];

	for (int i = 0; i < 4; i++)
		m[i].age = 90;
	EXPECT_INT(bmn_check_household(&s, NULL, NULL, &hh, m, 4, f, 2), 4);
	EXPECT_INT(f[1].member_no, 2);
}

/* Degrees of latitude for a distance along a meridian. */
static double
lat_for_m(double m)
{
	return m / (BMN_EARTH_RADIUS_M * 3.14159265358979323846 / 180.0);
}

UNIT_TEST(geo_distances)
{
	BmnPoint	a = {15.0, 100.0};
	BmnPoint	b = {15.0 + lat_for_m(10.0), 100.0};
	BmnPoint	bkk = {13.7563, 100.5018};
	BmnPoint	cnx = {18.7883, 98.9853};
	double		v[5] = {5, 1, 4, 2, 3};
	double		w[4] = {4, 1, 3, 2};

	EXPECT_INT(bmn_distance_mm(a, a), 0);
	EXPECT_INT(bmn_distance_mm(a, b), 10000);
	/* Bangkok to Chiang Mai, about 580 km */
	EXPECT(fabs(bmn_haversine_m(bkk, cnx) - 580000.0) < 10000.0);
	EXPECT(fabs(bmn_haversine_m(bkk, cnx) - bmn_haversine_m(cnx, bkk)) < 1e-6);
	EXPECT(bmn_median(v, 5) == 3.0);
	EXPECT(bmn_median(w, 4) == 2.5);
}

static int
cmp_double_asc(const void *x, const void *y)
{
	double		a = *(const double *) x;
	double		b = *(const double *) y;

	return (a > b) - (a < b);
}

/* The selection's median equals the sorted array's middle, duplicates and all. */
UNIT_TEST(geo_median_matches_sort)
{
	double		v[301],
				sorted[301];
	unsigned	seed = 7;

	for (int n = 1; n <= 301; n += (n < 12 ? 1 : 37))
		for (int spread = 1; spread <= 1000; spread *= 10)
		{
			double		want;

			for (int i = 0; i < n; i++)
			{
				seed = seed * 1103515245u + 12345u;
				v[i] = (double) ((seed >> 8) % spread) / 7.0;
				sorted[i] = v[i];
			}
			qsort(sorted, n, sizeof(double), cmp_double_asc);
			want = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
			EXPECT(bmn_median(v, n) == want);
		}
}

/* The flat bound never says "within" of two points the haversine puts further. */
UNIT_TEST(geo_surely_within_is_a_bound)
{
	unsigned	seed = 11;
	int			said_within = 0;

	for (int i = 0; i < 200000; i++)
	{
		BmnPoint	a,
					b;
		double		radius = 10.0 + (i % 7) * 5000.0;

		seed = seed * 1103515245u + 12345u;
		a.lat = 5.0 + (seed >> 8) % 16000 / 1000.0;
		seed = seed * 1103515245u + 12345u;
		a.lon = 97.0 + (seed >> 8) % 9000 / 1000.0;
		seed = seed * 1103515245u + 12345u;
		b.lat = a.lat + ((int) ((seed >> 8) % 40001) - 20000) / 100000.0 * (1 + i % 3);
		seed = seed * 1103515245u + 12345u;
		b.lon = a.lon + ((int) ((seed >> 8) % 40001) - 20000) / 100000.0 * (1 + i % 3);
		if (bmn_surely_within_m(a, b, radius))
		{
			said_within++;
			EXPECT(bmn_haversine_m(a, b) < radius);
		}
	}
	EXPECT(said_within > 1000);
	/* near the edge it leaves the judgement to the haversine */
	{
		BmnPoint	p = {14.0, 100.0};
		BmnPoint	q = {14.0 + 19999.0 / 111195.0, 100.0};

		EXPECT(bmn_haversine_m(p, q) < 20000.0);
		EXPECT(!bmn_surely_within_m(p, q, 20000.0));
		EXPECT(bmn_surely_within_m(p, q, 21000.0));
	}
}

static int
brute_root(int *parent, int k)
{
	while (parent[k] != k)
		k = parent[k];
	return k;
}

/*
 * Hundreds of points, many at equal latitudes: the clusters are those of the
 * definition worked out over every pair (the sort and sweep are only a shortcut).
 */
UNIT_TEST(geo_same_spot_clusters_many)
{
	enum
	{
		N = 600
	};
	static BmnPoint p[N];
	static int	cluster[N],
				want[N],
				neighbours[N],
				parent[N],
				number[N];
	static BmnSpotWork work[N];
	unsigned	seed = 5;

	for (int round = 0; round < 4; round++)
	{
		int			n = 50 + round * 180;
		int			clusters = 0,
					got;

		for (int i = 0; i < n; i++)
		{
			seed = seed * 1103515245u + 12345u;
			/* a grid of 5 m steps: exact ties in latitude, pairs at the radius */
			p[i].lat = 14.0 + ((seed >> 8) % 40) * lat_for_m(5.0);
			seed = seed * 1103515245u + 12345u;
			p[i].lon = 100.0 + ((seed >> 8) % 40) * 0.00004;
			neighbours[i] = 0;
			parent[i] = i;
			number[i] = -1;
		}
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++)
				if (bmn_distance_mm(p[i], p[j]) < 10000)
				{
					neighbours[i]++;
					neighbours[j]++;
				}
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++)
				if (bmn_distance_mm(p[i], p[j]) < 10000 &&
					(neighbours[i] + 1 >= 3 || neighbours[j] + 1 >= 3))
					parent[brute_root(parent, i)] = brute_root(parent, j);
		for (int i = 0; i < n; i++)
		{
			bool		member = neighbours[i] + 1 >= 3;

			for (int j = 0; j < n && !member; j++)
				member = j != i && neighbours[j] + 1 >= 3 &&
					bmn_distance_mm(p[i], p[j]) < 10000;
			want[i] = -1;
			if (member)
			{
				int			root = brute_root(parent, i);

				if (number[root] < 0)
					number[root] = clusters++;
				want[i] = number[root];
			}
		}
		got = bmn_same_spot_clusters(p, n, 10.0, 3, cluster, work);
		EXPECT_INT(got, clusters);
		for (int i = 0; i < n; i++)
			EXPECT_INT(cluster[i], want[i]);
	}
}

UNIT_TEST(geo_same_spot_clusters)
{
	BmnPoint	p[8];
	int			cluster[8];
	BmnSpotWork work[8];
	double		d9 = lat_for_m(9.99);
	double		d10 = lat_for_m(10.0);

	/* three points within 9.99 m of the first */
	p[0] = (BmnPoint) {15.0, 100.0};
	p[1] = (BmnPoint) {15.0 + d9, 100.0};
	p[2] = (BmnPoint) {15.0 - d9, 100.0};
	EXPECT_INT(bmn_same_spot_clusters(p, 3, 10.0, 3, cluster, work), 1);
	EXPECT_INT(cluster[0], 0);
	EXPECT_INT(cluster[1], 0);
	EXPECT_INT(cluster[2], 0);
	/* exactly 10 m apart: not within 10 m */
	p[1] = (BmnPoint) {15.0 + d10, 100.0};
	p[2] = (BmnPoint) {15.0 - d10, 100.0};
	EXPECT_INT(bmn_same_spot_clusters(p, 3, 10.0, 3, cluster, work), 0);
	EXPECT_INT(cluster[0], -1);
	/* two points only */
	p[1] = (BmnPoint) {15.0 + d9, 100.0};
	EXPECT_INT(bmn_same_spot_clusters(p, 2, 10.0, 3, cluster, work), 0);

	/*
	 * A chain 0-1-2-3 with 9.99 m steps: 1 and 2 are centres (two neighbours
	 * each), so the four are one cluster; a lone far point is in none, and a second
	 * spot of three far away is another cluster, numbered after.
	 */
	for (int i = 0; i < 4; i++)
		p[i] = (BmnPoint) {16.0 + i * d9, 100.0};
	p[4] = (BmnPoint) {17.0, 100.0};
	p[5] = (BmnPoint) {18.0, 100.0};
	p[6] = (BmnPoint) {18.0, 100.0};
	p[7] = (BmnPoint) {18.0, 100.0};
	EXPECT_INT(bmn_same_spot_clusters(p, 8, 10.0, 3, cluster, work), 2);
	EXPECT_INT(cluster[0], 0);
	EXPECT_INT(cluster[3], 0);
	EXPECT_INT(cluster[4], -1);
	EXPECT_INT(cluster[5], 1);
	EXPECT_INT(cluster[7], 1);
}
