/*
 * rules.c: the indicator rules (see rules.h).
 *
 * Money is compared in whole satang and averages without division (total against
 * limit x persons), so that a household exactly at a threshold is never misjudged
 * by rounding.
 */
#include <string.h>

#include "rules.h"

const char *
bmn_ruleset_add(BmnRuleSet *set, const BmnIndicatorRule *rule)
{
	uint64_t	bit;

	if (rule->indicator_no < 1 || rule->indicator_no > BMN_MAX_INDICATOR)
		return "indicator numbers must be between 1 and 64";
	if ((int) rule->kind < 0 || rule->kind >= BMN_RULE_COUNT)
		return "unknown rule";
	if (set->n >= BMN_MAX_INDICATOR)
		return "too many indicators in one set";
	bit = bmn_bit(rule->indicator_no);
	for (int i = 0; i < set->n; i++)
		if (set->rules[i].indicator_no == rule->indicator_no)
			return "indicator listed twice";
	if (rule->member_level)
	{
		if (bmn_popcount64(set->member_mask) >= BMN_MEMBER_SLOTS)
			return "a set may have at most 16 member-level indicators";
		set->member_mask |= bit;
	}
	set->rules[set->n++] = *rule;
	return NULL;
}

int
bmn_age_years(int by, int bm, int bd, int iy, int im, int id)
{
	int			age = iy - by;

	/* the birthday itself counts: a child born on 12/02 is 6 on 12/02 six years on */
	if (im < bm || (im == bm && id < bd))
		age--;
	return age < 0 ? -1 : age;
}

int64_t
bmn_income_avg_satang(int64_t total_satang, int n_members)
{
	return (total_satang + n_members / 2) / n_members;
}

bool
bmn_setting_satang(const char *text, int64_t *satang)
{
	int64_t		v = 0;
	int			whole = 0;
	const char *p = text;

	if (text == NULL)
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
	{
		if (++whole > 12)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (whole == 0)
		return false;
	v *= 100;
	if (*p == '.')
	{
		int			decimals = 0;

		for (p++; *p >= '0' && *p <= '9'; p++, decimals++)
		{
			if (decimals == 0)
				v += (*p - '0') * 10;
			else if (decimals == 1)
				v += *p - '0';
			else if (decimals == 2 && *p >= '5')
				v += 1;
		}
		if (decimals == 0)
			return false;
	}
	if (*p != '\0')
		return false;
	*satang = v;
	return true;
}

static bool
in_band(const BmnIndicatorRule *r, const BmnMemberFacts *m)
{
	return m->thai && m->age >= 0 && m->age >= r->min_age &&
		(r->max_age == BMN_NONE || m->age <= r->max_age);
}

static bool
in_group(BmnGroup g, const BmnMemberFacts *m)
{
	if (!m->thai)
		return false;
	switch (g)
	{
		case BMN_GROUP_CHILDREN_0_6:
			return m->age >= 0 && m->age <= 6;
		case BMN_GROUP_ELDERLY:
			return m->age >= 60;
		case BMN_GROUP_DISABLED:
			return m->health_status == 1;
		case BMN_GROUP_CHRONICALLY_ILL:
			return m->health_status == 2;
		case BMN_GROUP_BEDRIDDEN:
			return m->health_status == 3;
		case BMN_GROUP_NONE:
			break;
	}
	return false;
}

/* Full-time students and disabled members who cannot look after themselves. */
static bool
excluded_from_work(const BmnMemberFacts *m)
{
	return m->occupation == 1 ||
		(m->in_school == 1 && m->occupation == 0) ||
		(m->health_status == 1 && m->self_care == 0);
}

/* total/persons <= max without dividing; persons > 0. */
static bool
avg_at_most(int64_t total, int persons, int64_t max)
{
	return total <= max * persons;
}

/*
 * Per indicator, how many Thai members answered it and how many of those passed,
 * for all 64 indicators at once: counters of 5 bits laid across 5 words (bit i of
 * word j is bit j of indicator i's count), each member added with a ripple carry.
 * Counting member by member for each indicator was most of the scoring.
 */
#define SLICED_BITS 5
#define SLICED_MAX ((1 << SLICED_BITS) - 1)

typedef struct SlicedCounts
{
	uint64_t	plane[SLICED_BITS];
} SlicedCounts;

static inline void
sliced_add(SlicedCounts *c, uint64_t bits)
{
	for (int j = 0; j < SLICED_BITS && bits; j++)
	{
		uint64_t	carry = c->plane[j] & bits;

		c->plane[j] ^= bits;
		bits = carry;
	}
}

static inline int
sliced_get(const SlicedCounts *c, int i)
{
	int			n = 0;

	for (int j = 0; j < SLICED_BITS; j++)
		n |= (int) ((c->plane[j] >> i) & 1) << j;
	return n;
}

void
bmn_score_household(const BmnRuleSet *set, const BmnHouseholdFacts *hh,
					const BmnMemberFacts *members, int n_members, BmnScore *out)
{
	int			thai = 0;
	SlicedCounts answered = {{0}},
				passed_by = {{0}};

	memset(out, 0, sizeof *out);
	out->version = BMN_SCORE_VERSION;
	out->member_mask = set->member_mask;
	for (int i = 0; i < n_members; i++)
		if (members[i].thai)
		{
			thai++;
			sliced_add(&answered, members[i].answered);
			sliced_add(&passed_by, members[i].answered & members[i].answer_passed);
		}
	out->persons = (uint16_t) (n_members > UINT16_MAX ? UINT16_MAX : n_members);
	out->thai_persons = (uint16_t) (thai > UINT16_MAX ? UINT16_MAX : thai);

	for (int k = 0; k < set->n; k++)
	{
		const BmnIndicatorRule *r = &set->rules[k];
		uint64_t	bit = bmn_bit(r->indicator_no);
		bool		hh_given = (hh->answered & bit) != 0;
		bool		hh_pass = (hh->answer_passed & bit) != 0;
		bool		applicable = false;
		bool		passed = false;
		int			pa = 0,
					pp = 0;

		switch (r->kind)
		{
			case BMN_RULE_ANSWERED:
				if (r->member_level && thai <= SLICED_MAX)
				{
					pa = sliced_get(&answered, r->indicator_no - 1);
					pp = sliced_get(&passed_by, r->indicator_no - 1);
				}
				else
					/* a household of more Thai members than the counters hold */
					for (int i = 0; i < n_members && r->member_level; i++)
					{
						if (!members[i].thai || (members[i].answered & bit) == 0)
							continue;
						pa++;
						pp += (members[i].answer_passed & bit) ? 1 : 0;
					}
				applicable = hh_given || pa > 0;
				passed = applicable && (!hh_given || hh_pass) && pp == pa;
				break;
			case BMN_RULE_AGE_IN_SCHOOL:
			case BMN_RULE_AGE_LITERATE:
			case BMN_RULE_AGE_WORKING:
				for (int i = 0; i < n_members; i++)
				{
					const BmnMemberFacts *m = &members[i];

					if (!in_band(r, m))
						continue;
					if (r->kind == BMN_RULE_AGE_IN_SCHOOL)
					{
						pa++;
						pp += (m->in_school == 1 || m->education >= 4) ? 1 : 0;
					}
					else if (r->kind == BMN_RULE_AGE_LITERATE)
					{
						if (m->literate == BMN_NONE)
							continue;
						pa++;
						pp += m->literate == 1 ? 1 : 0;
					}
					else
					{
						if (excluded_from_work(m))
							continue;
						pa++;
						pp += (m->occupation >= 2 && m->occupation <= 7 &&
							   m->income_satang > 0) ? 1 : 0;
					}
				}
				applicable = pa > 0;
				passed = applicable && pp == pa;
				break;
			case BMN_RULE_INCOME_AVG:
				applicable = r->has_amount && n_members > 0;
				passed = applicable &&
					hh->income_satang >= r->amount_satang * n_members;
				break;
			case BMN_RULE_WELFARE_REACH:
				applicable = r->has_amount && n_members > 0 &&
					avg_at_most(hh->income_satang, n_members, r->amount_satang);
				for (int i = 0; i < n_members && applicable && !passed; i++)
					passed = members[i].welfare_card == 1;
				break;
			case BMN_RULE_ANSWERED_IF_PRESENT:
				{
					bool		present = false;

					for (int i = 0; i < n_members && !present; i++)
						present = in_group(r->group, &members[i]);
					applicable = present && hh_given &&
						(!r->has_amount ||
						 (n_members > 0 &&
						  avg_at_most(hh->income_satang, n_members, r->amount_satang)));
					passed = applicable && hh_pass;
				}
				break;
			case BMN_RULE_COUNT:
				break;
		}
		if (applicable)
			out->applicable |= bit;
		if (passed)
			out->passed |= bit;
		if (r->member_level)
		{
			int			slot = bmn_score_slot(out, r->indicator_no);

			out->persons_applicable[slot] = (uint16_t) (pa > UINT16_MAX ? UINT16_MAX : pa);
			out->persons_passed[slot] = (uint16_t) (pp > UINT16_MAX ? UINT16_MAX : pp);
		}
	}
}
