/*
 * rules.h: the indicator rules of interface.md as pure functions over plain structs,
 * and the facts of a household and its members that the rules and the checks
 * (checks.h) read.
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

	/* what only the checks read */
	int			sex;			/* 1/2/BMN_NONE */
	int			birth_y;		/* CE; the stored date (day 00 as the 1st, month 00 as July) */
	int			birth_m;
	int			birth_d;
	bool		birth_month_known;
	bool		birth_day_known;
	char		national_id[14];	/* 13 digits, or "" when none */
	bool		registry_found; /* the house registry has the national ID */
	int			registry_sex;	/* 1/2/BMN_NONE */
	int			registry_birth_y;	/* CE, BMN_NONE when unknown */
	int			registry_village;	/* village of the registry entry, 0 when unknown */
} BmnMemberFacts;

typedef struct BmnHouseholdFacts
{
	int64_t		income_satang;	/* the 4 income sources together */
	uint64_t	answered;
	uint64_t	answer_passed;

	/* what only the checks read */
	int			interview_y;	/* CE */
	int			interview_m;
	int			interview_d;
	int			consent;		/* 0/1 */
	bool		has_duration;	/* both interview_start and interview_end given */
	int64_t		duration_us;	/* interview_end - interview_start */
	bool		has_position;	/* both latitude and longitude given */
	double		latitude;
	double		longitude;
	int			village;		/* the 8-digit village code as a number */
	bool		has_house_code;
	bool		registry_covers_village;	/* the registry has houses in the village */
	bool		registry_house_found;	/* the registry has the house_code */
	int			registry_house_village; /* where the registry puts it */
} BmnHouseholdFacts;

/* Add a rule to a set; returns NULL, or a message when the rule cannot be kept. */
const char *bmn_ruleset_add(BmnRuleSet *set, const BmnIndicatorRule *rule);

/* Completed years from birth to the interview date; negative when born after it. */
int			bmn_age_years(int by, int bm, int bd, int iy, int im, int id);

/* Score one household from its facts and members' facts. */
void		bmn_score_household(const BmnRuleSet *set, const BmnHouseholdFacts *hh,
								const BmnMemberFacts *members, int n_members,
								BmnScore *out);

/* Average income per member in satang, rounded half up; n_members > 0. */
int64_t		bmn_income_avg_satang(int64_t total_satang, int n_members);

/*
 * A money setting of a round or amount of a rule (baht, as text) in satang,
 * rounded half up: a plain number of at most 12 whole digits, a point and
 * decimals optional, nothing else (no sign, separator or space). False, and
 * *satang untouched, for anything else, NULL included.
 */
bool		bmn_setting_satang(const char *text, int64_t *satang);

#endif
