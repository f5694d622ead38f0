/*
 * rules.h: the indicator rules of interface.md and the household checks that need
 * nothing beyond one household, as pure functions over plain structs.
 *
 * The extension fills these structs from the tables and stores the results; the
 * unit tests and fuzzers call the same functions directly.
 */
#ifndef BMN_RULES_H
#define BMN_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "score.h"

/* A "no value" for the small codes below. */
#define BMN_NONE	(-1)

typedef enum BmnRuleKind
{
	BMN_RULE_ANSWERED,
	BMN_RULE_AGE_IN_SCHOOL,
	BMN_RULE_AGE_LITERATE,
	BMN_RULE_AGE_WORKING,
	BMN_RULE_INCOME_AVG,
	BMN_RULE_WELFARE_REACH,
	BMN_RULE_ANSWERED_IF_PRESENT,
	BMN_RULE_COUNT
} BmnRuleKind;

typedef enum BmnGroup
{
	BMN_GROUP_NONE = 0,
	BMN_GROUP_CHILDREN_0_6,
	BMN_GROUP_ELDERLY,
	BMN_GROUP_DISABLED,
	BMN_GROUP_CHRONICALLY_ILL,
	BMN_GROUP_BEDRIDDEN
} BmnGroup;

typedef struct BmnIndicatorRule
{
	int			indicator_no;	/* 1..64 */
	BmnRuleKind kind;
	bool		member_level;
	int			min_age;		/* age rules */
	int			max_age;		/* age rules; BMN_NONE: no upper bound */
	bool		has_amount;		/* income_avg min, welfare_reach max, if_present max_income */
	int64_t		amount_satang;
	BmnGroup	group;			/* answered_if_present */
} BmnIndicatorRule;

typedef struct BmnRuleSet
{
	int			n;
	BmnIndicatorRule rules[BMN_MAX_INDICATOR];
	uint64_t	member_mask;	/* member-level indicators of the set */
} BmnRuleSet;

/* One member, as the rules see it. Small codes are BMN_NONE when missing. */
typedef struct BmnMemberFacts
{
	int			member_no;
	int			age;			/* completed years at the interview; <0: born after it */
	bool		thai;
	int			relation;
	int			education;
	int			in_school;		/* 0/1 */
	int			literate;		/* 0/1/BMN_NONE */
	int			occupation;
	int			health_status;	/* 0-3/BMN_NONE */
	int			self_care;		/* 0/1/BMN_NONE */
	int			welfare_card;	/* 0/1/BMN_NONE */
	int64_t		income_satang;	/* <0: no value */
	uint64_t	answered;		/* ind_NN given */
	uint64_t	answer_passed;	/* ind_NN = 1 */
} BmnMemberFacts;

typedef struct BmnHouseholdFacts
{
	int64_t		income_satang;	/* the 4 income sources together */
	uint64_t	answered;
	uint64_t	answer_passed;
} BmnHouseholdFacts;

/* Round settings that rules and checks read; a missing setting is has_* false. */
typedef struct BmnCheckSettings
{
	bool		has_income_threshold;
	int64_t		income_threshold_satang;
	int64_t		income_high_satang;
} BmnCheckSettings;

/* Add a rule to a set; returns NULL, or a message when the rule cannot be kept. */
const char *bmn_ruleset_add(BmnRuleSet *set, const BmnIndicatorRule *rule);

/* Completed years from birth to the interview date; negative when born after it. */
int			bmn_age_years(int by, int bm, int bd, int iy, int im, int id);

/* Score one household from its facts and members' facts. */
void		bmn_score_household(const BmnRuleSet *set, const BmnHouseholdFacts *hh,
								const BmnMemberFacts *members, int n_members,
								BmnScore *out);

/* Household checks. */
typedef enum BmnCheckCode
{
	BMN_CHECK_INCOME_ZERO,
	BMN_CHECK_INCOME_LOW,
	BMN_CHECK_INCOME_HIGH,
	BMN_CHECK_COUNT
} BmnCheckCode;

extern const char *const bmn_check_names[BMN_CHECK_COUNT];

typedef struct BmnFinding
{
	BmnCheckCode check;
	int			member_no;		/* 0: the household */
	int64_t		value_satang;	/* the value that triggered it (e.g. average income) */
	int64_t		limit_satang;	/* the threshold it was compared with */
} BmnFinding;

#define BMN_MAX_FINDINGS 256

/*
 * Run the household checks; write at most max findings into out and return how
 * many fired (which may exceed max: the rest are dropped).
 */
int			bmn_check_household(const BmnCheckSettings *settings,
								const BmnHouseholdFacts *hh,
								const BmnMemberFacts *members, int n_members,
								BmnFinding *out, int max);

/* Average income per member in satang, rounded half up; n_members > 0. */
int64_t		bmn_income_avg_satang(int64_t total_satang, int n_members);

#endif
