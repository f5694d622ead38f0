/*
 * test_common.c: the pure code shared by the extension and the program
 * (common/: national IDs, the score's text form, the indicator rules, the checks).
 */
#include "unit.h"

#include "checks.h"
#include "rules.h"
#include "score.h"
#include "thai_id.h"

static bool
id_ok(const char *text)
{
	char		d[14];

	return bmn_thai_id_normalize(text, strlen(text), d) && bmn_thai_id_checksum_ok(d);
}

UNIT_TEST(thai_id_rules)
{
	char		d[14];

	EXPECT(id_ok("3100600445635"));
	EXPECT(id_ok("1103702488992"));
	EXPECT(id_ok("1-1037-02488-99-2"));
	EXPECT(id_ok("\xe0\xb9\x91\xe0\xb9\x91\xe0\xb9\x90\xe0\xb9\x93\xe0\xb9\x97\xe0\xb9\x90"
				 "\xe0\xb9\x92\xe0\xb9\x94\xe0\xb9\x98\xe0\xb9\x98\xe0\xb9\x99\xe0\xb9\x99"
				 "\xe0\xb9\x92"));	/* ๑๑๐๓๗๐๒๔๘๘๙๙๒ */
	EXPECT(!id_ok("1103702488993"));
	EXPECT(!id_ok("110370248899"));
	EXPECT(!id_ok("11037024889920"));
	EXPECT(!id_ok("1103702488992-"));
	EXPECT(!id_ok("-1103702488992"));
	EXPECT(!id_ok("11037O2488992"));
	EXPECT(!id_ok(""));
	/* a truncated Thai digit is not a digit */
	EXPECT(!bmn_thai_id_normalize("110370248899\xe0\xb9", 14, d));
	EXPECT(bmn_thai_id_normalize("1 1037 02488 99 2", 17, d));
	EXPECT_STR(d, "1103702488992");
}

UNIT_TEST(score_text_round_trip)
{
	BmnScore	s,
				t;
	char		buf[BMN_SCORE_TEXT_MAX];
	const char *text = "persons=3 thai=2 applicable=4,16,22 passed=4,22 members=16:2/1,20:0/0";

	EXPECT(bmn_score_parse(text, &s) == NULL);
	EXPECT_INT(s.persons, 3);
	EXPECT_INT(bmn_score_slot(&s, 20), 1);
	EXPECT_INT(bmn_score_slot(&s, 22), -1);
	bmn_score_format(&s, buf, sizeof buf);
	EXPECT_STR(buf, text);
	EXPECT(bmn_score_parse(buf, &t) == NULL);
	EXPECT(memcmp(&s, &t, sizeof s) == 0);
	EXPECT(bmn_score_parse("persons=3 thai=4 applicable=- passed=- members=-", &s) != NULL);
	EXPECT(bmn_score_parse("persons=3 thai=2 applicable=1 passed=2 members=-", &s) != NULL);
	EXPECT(bmn_score_parse("persons=3", &s) != NULL);
	EXPECT(bmn_score_parse("persons=70000 thai=0 applicable=- passed=- members=-", &s) != NULL);
}

UNIT_TEST(age_at_band_edges)
{
	/* the birthday on the interview date counts */
	EXPECT_INT(bmn_age_years(2013, 2, 12, 2019, 2, 12), 6);
	EXPECT_INT(bmn_age_years(2013, 2, 12, 2019, 2, 11), 5);
	EXPECT_INT(bmn_age_years(2013, 2, 12, 2019, 1, 31), 5);
	EXPECT_INT(bmn_age_years(2013, 2, 12, 2019, 3, 1), 6);
	/* born on 29 February: a year older on 1 March in a common year */
	EXPECT_INT(bmn_age_years(2012, 2, 29, 2019, 2, 28), 6);
	EXPECT_INT(bmn_age_years(2012, 2, 29, 2019, 3, 1), 7);
	/* born after the interview */
	EXPECT_INT(bmn_age_years(2019, 2, 13, 2019, 2, 12), -1);
	EXPECT_INT(bmn_age_years(2019, 2, 12, 2019, 2, 12), 0);
}

static void
income_set(BmnRuleSet *set, int64_t threshold_satang)
{
	BmnIndicatorRule r = {0};

	memset(set, 0, sizeof *set);
	r.indicator_no = 22;
	r.kind = BMN_RULE_INCOME_AVG;
	r.has_amount = true;
	r.amount_satang = threshold_satang;
	EXPECT(bmn_ruleset_add(set, &r) == NULL);
}

static BmnMemberFacts
thai_adult(void)
{
	BmnMemberFacts m = {0};

	m.age = 40;
	m.thai = true;
	m.literate = BMN_NONE;
	m.health_status = BMN_NONE;
	m.self_care = BMN_NONE;
	m.welfare_card = BMN_NONE;
	m.income_satang = -1;
	return m;
}

UNIT_TEST(income_avg_rule)
{
	BmnRuleSet	set;
	BmnScore	s;
	BmnHouseholdFacts hh = {0};
	BmnMemberFacts m[3] = {thai_adult(), thai_adult(), thai_adult()};

	income_set(&set, 3800000);
	hh.income_satang = 11400000;	/* 114,000 / 3 = 38,000 exactly: passes */
	bmn_score_household(&set, &hh, m, 3, &s);
	EXPECT(s.applicable & bmn_bit(22));
	EXPECT(s.passed & bmn_bit(22));
	hh.income_satang = 11399999;	/* one satang less: fails */
	bmn_score_household(&set, &hh, m, 3, &s);
	EXPECT(s.applicable & bmn_bit(22));
	EXPECT(!(s.passed & bmn_bit(22)));
	/* foreign members count in the average too */
	m[2].thai = false;
	hh.income_satang = 11400000;
	bmn_score_household(&set, &hh, m, 3, &s);
	EXPECT(s.passed & bmn_bit(22));
	EXPECT_INT(s.thai_persons, 2);
	/* no members: not applicable */
	bmn_score_household(&set, &hh, m, 0, &s);
	EXPECT(!(s.applicable & bmn_bit(22)));
	EXPECT(bmn_score_validate(&s) == NULL);
}

UNIT_TEST(income_checks)
{
	BmnCheckSettings cs;
	BmnHouseholdFacts hh = {0};
	BmnMemberFacts m[2] = {thai_adult(), thai_adult()};
	BmnFinding f[8];

	bmn_check_settings_default(&cs);
	cs.enabled = BMN_CHECK_BIT(BMN_CHECK_INCOME_ZERO) | BMN_CHECK_BIT(BMN_CHECK_INCOME_LOW) |
		BMN_CHECK_BIT(BMN_CHECK_INCOME_HIGH);
	cs.has_income_threshold = true;
	cs.income_threshold_satang = 3800000;
	hh.income_satang = 0;
	EXPECT_INT(bmn_check_household(&cs, NULL, NULL, &hh, m, 2, f, 8), 1);
	EXPECT_INT(f[0].check, BMN_CHECK_INCOME_ZERO);
	hh.income_satang = 1;		/* above 0, below the threshold */
	EXPECT_INT(bmn_check_household(&cs, NULL, NULL, &hh, m, 2, f, 8), 1);
	EXPECT_INT(f[0].check, BMN_CHECK_INCOME_LOW);
	hh.income_satang = 7600000;	/* exactly the threshold: nothing */
	EXPECT_INT(bmn_check_household(&cs, NULL, NULL, &hh, m, 2, f, 8), 0);
	hh.income_satang = 200000000;	/* exactly 1,000,000 each: not above */
	EXPECT_INT(bmn_check_household(&cs, NULL, NULL, &hh, m, 2, f, 8), 0);
	hh.income_satang = 200000001;
	EXPECT_INT(bmn_check_household(&cs, NULL, NULL, &hh, m, 2, f, 8), 1);
	EXPECT_INT(f[0].check, BMN_CHECK_INCOME_HIGH);
	EXPECT_INT(f[0].value, 100000001);	/* 1,000,000.005 rounds half up */
	/* without a threshold INCOME_LOW is not run */
	cs.has_income_threshold = false;
	hh.income_satang = 1;
	EXPECT_INT(bmn_check_household(&cs, NULL, NULL, &hh, m, 2, f, 8), 0);
	/* no members: no income checks */
	EXPECT_INT(bmn_check_household(&cs, NULL, NULL, &hh, m, 0, f, 8), 0);
}
