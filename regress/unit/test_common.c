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

/* Money settings: what the round's JSON may hold as a threshold, in satang. */
static int64_t
setting(const char *text)
{
	int64_t		v = -7;

	return bmn_setting_satang(text, &v) ? v : -1;
}

UNIT_TEST(money_setting_rules)
{
	EXPECT(setting("38000") == 3800000);
	EXPECT(setting("38000.5") == 3800050);
	EXPECT(setting("38000.01") == 3800001);
	EXPECT(setting("38000.004") == 3800000);	/* half up at the third decimal */
	EXPECT(setting("38000.005") == 3800001);
	EXPECT(setting("0.995") == 100);
	EXPECT(setting("0") == 0);
	EXPECT(setting("007") == 700);
	EXPECT(setting("999999999999") == INT64_C(99999999999900));	/* 12 whole digits */
	EXPECT(setting("999999999999.999") == INT64_C(100000000000000));
	EXPECT(setting("1000000000000") == -1);	/* 13 */
	EXPECT(setting("38,000") == -1);
	EXPECT(setting("-5") == -1);
	EXPECT(setting("+5") == -1);
	EXPECT(setting(" 5") == -1);
	EXPECT(setting("5 ") == -1);
	EXPECT(setting("5.") == -1);
	EXPECT(setting(".5") == -1);
	EXPECT(setting("1e5") == -1);
	EXPECT(setting("") == -1);
	EXPECT(setting(NULL) == -1);
	EXPECT(setting("\xe0\xb9\x95") == -1);	/* a Thai digit five */
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

/*
 * Member-level "answered" indicators, counted for all indicators at once, agree
 * with counting member by member: Thai members only, households of 0 to 40
 * members (past what the counters hold), household answers given or not.
 */
UNIT_TEST(answered_counts_match_member_by_member)
{
	BmnRuleSet	set;
	BmnHouseholdFacts hh;
	BmnMemberFacts m[40];
	BmnScore	score;
	unsigned	seed = 3;

	memset(&set, 0, sizeof set);
	for (int no = 1; no <= 24; no++)
	{
		BmnIndicatorRule r;

		memset(&r, 0, sizeof r);
		r.indicator_no = no;
		r.kind = BMN_RULE_ANSWERED;
		r.member_level = no % 3 != 0;	/* 16 member-level, 8 household-level */
		r.max_age = BMN_NONE;
		EXPECT(bmn_ruleset_add(&set, &r) == NULL);
	}
	for (int round = 0; round < 400; round++)
	{
		int			n = round % 41;

		memset(&hh, 0, sizeof hh);
		seed = seed * 1103515245u + 12345u;
		hh.answered = ((uint64_t) seed << 8) & 0xffffff;
		seed = seed * 1103515245u + 12345u;
		hh.answer_passed = hh.answered & (((uint64_t) seed << 4) | 0x5555);
		for (int i = 0; i < n; i++)
		{
			memset(&m[i], 0, sizeof m[i]);
			seed = seed * 1103515245u + 12345u;
			m[i].thai = (seed >> 28) != 0;	/* 1 in 16 foreign */
			m[i].answered = ((uint64_t) seed >> 3) & 0xffffff;
			seed = seed * 1103515245u + 12345u;
			/* mostly passing, so that all of a household's members pass some */
			m[i].answer_passed = m[i].answered & ~(((uint64_t) seed & ((uint64_t) seed >> 7)) & 0xffffff);
		}
		bmn_score_household(&set, &hh, m, n, &score);
		for (int no = 1; no <= 24; no++)
		{
			uint64_t	bit = bmn_bit(no);
			int			pa = 0,
						pp = 0;
			bool		given = (hh.answered & bit) != 0;
			bool		applicable,
						passed;

			for (int i = 0; i < n && no % 3 != 0; i++)
				if (m[i].thai && (m[i].answered & bit))
				{
					pa++;
					pp += (m[i].answer_passed & bit) != 0;
				}
			applicable = given || pa > 0;
			passed = applicable && (!given || (hh.answer_passed & bit)) && pp == pa;
			EXPECT(((score.applicable & bit) != 0) == applicable);
			EXPECT(((score.passed & bit) != 0) == passed);
			if (no % 3 != 0)
			{
				int			slot = bmn_score_slot(&score, no);

				EXPECT_INT(score.persons_applicable[slot], pa);
				EXPECT_INT(score.persons_passed[slot], pp);
			}
		}
	}
}

/* The inline popcount counts as the compiler's builtin does. */
UNIT_TEST(popcount_matches_builtin)
{
	uint64_t	x = 0x9e3779b97f4a7c15;

	for (int i = 0; i < 100000; i++)
	{
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		EXPECT_INT(bmn_popcount64(x), __builtin_popcountll(x));
		EXPECT_INT(bmn_popcount64(x & (x >> 1)), __builtin_popcountll(x & (x >> 1)));
	}
	EXPECT_INT(bmn_popcount64(0), 0);
	EXPECT_INT(bmn_popcount64(UINT64_MAX), 64);
}
