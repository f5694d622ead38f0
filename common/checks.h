/*
 * checks.h: the committees' checks of interface.md (the Checks table).
 *
 * Every check has a stable code here, in the table's order. The ones that need
 * nothing beyond one household and its members are pure functions over the facts
 * of rules.h (bmn_check_household); the ones over many households (villages,
 * collectors, tambons, national IDs across households) are run by the extension
 * after its scan, with the geometry of geo.h.
 */
#ifndef BMN_CHECKS_H
#define BMN_CHECKS_H

#include <stdbool.h>
#include <stdint.h>

#include "rules.h"
#include "score.h"

typedef enum BmnCheckCode
{
	BMN_CHECK_INCOME_ZERO,
	BMN_CHECK_INCOME_LOW,
	BMN_CHECK_INCOME_HIGH,
	BMN_CHECK_HEAD_UNDER_15,
	BMN_CHECK_AGE_OVER_80,
	BMN_CHECK_AGE_IMPOSSIBLE,
	BMN_CHECK_FOREIGN_MAJORITY,
	BMN_CHECK_HEAD_COUNT,
	BMN_CHECK_EDUCATION_AGE,
	BMN_CHECK_CHILD_NOT_IN_SCHOOL,
	BMN_CHECK_OCCUPATION_AGE,
	BMN_CHECK_OCCUPATION_NO_INCOME,
	BMN_CHECK_NATIONAL_ID_INVALID,
	BMN_CHECK_NATIONAL_ID_DUPLICATE,
	BMN_CHECK_NO_CONSENT,
	BMN_CHECK_ANSWER_CONTRADICTS,
	BMN_CHECK_VILLAGE_FEW_HOUSEHOLDS,
	BMN_CHECK_VILLAGE_SMALL_HOUSEHOLDS,
	BMN_CHECK_REGISTRY_HOUSE_MISSING,
	BMN_CHECK_REGISTRY_VILLAGE_MISMATCH,
	BMN_CHECK_REGISTRY_PERSON_MISMATCH,
	BMN_CHECK_VILLAGE_COVERAGE,
	BMN_CHECK_COLLECTOR_DAILY_LOAD,
	BMN_CHECK_INTERVIEW_TOO_SHORT,
	BMN_CHECK_GPS_OUT_OF_AREA,
	BMN_CHECK_GPS_SAME_SPOT,
	BMN_CHECK_COUNT
} BmnCheckCode;

extern const char *const bmn_check_names[BMN_CHECK_COUNT];

#define BMN_CHECK_BIT(c)	(UINT64_C(1) << (c))

/* The checks bmn_check_household runs (GPS_OUT_OF_AREA: its Thailand box part). */
#define BMN_CHECKS_HOUSEHOLD \
	(BMN_CHECK_BIT(BMN_CHECK_INCOME_ZERO) | BMN_CHECK_BIT(BMN_CHECK_INCOME_LOW) | \
	 BMN_CHECK_BIT(BMN_CHECK_INCOME_HIGH) | BMN_CHECK_BIT(BMN_CHECK_HEAD_UNDER_15) | \
	 BMN_CHECK_BIT(BMN_CHECK_AGE_OVER_80) | BMN_CHECK_BIT(BMN_CHECK_AGE_IMPOSSIBLE) | \
	 BMN_CHECK_BIT(BMN_CHECK_FOREIGN_MAJORITY) | BMN_CHECK_BIT(BMN_CHECK_HEAD_COUNT) | \
	 BMN_CHECK_BIT(BMN_CHECK_EDUCATION_AGE) | BMN_CHECK_BIT(BMN_CHECK_CHILD_NOT_IN_SCHOOL) | \
	 BMN_CHECK_BIT(BMN_CHECK_OCCUPATION_AGE) | BMN_CHECK_BIT(BMN_CHECK_OCCUPATION_NO_INCOME) | \
	 BMN_CHECK_BIT(BMN_CHECK_NATIONAL_ID_INVALID) | BMN_CHECK_BIT(BMN_CHECK_NO_CONSENT) | \
	 BMN_CHECK_BIT(BMN_CHECK_ANSWER_CONTRADICTS) | BMN_CHECK_BIT(BMN_CHECK_INTERVIEW_TOO_SHORT) | \
	 BMN_CHECK_BIT(BMN_CHECK_GPS_OUT_OF_AREA) | BMN_CHECKS_REGISTRY)

/* The household and member checks against the house registry. */
#define BMN_CHECKS_REGISTRY \
	(BMN_CHECK_BIT(BMN_CHECK_REGISTRY_HOUSE_MISSING) | \
	 BMN_CHECK_BIT(BMN_CHECK_REGISTRY_VILLAGE_MISMATCH) | \
	 BMN_CHECK_BIT(BMN_CHECK_REGISTRY_PERSON_MISMATCH))

/*
 * The round's thresholds (interface.md's values are the defaults, see
 * bmn_check_settings_default). Ages in completed years, money in satang.
 */
typedef struct BmnCheckSettings
{
	uint64_t	enabled;		/* BMN_CHECK_BIT of the checks to run */
	bool		has_income_threshold;
	int64_t		income_threshold_satang;
	int64_t		income_high_satang;
	int			head_min_age;	/* HEAD_UNDER_15: a head younger than this */
	int			age_over;		/* AGE_OVER_80: older than this */
	int			age_max;		/* AGE_IMPOSSIBLE: older than this */
	int			work_min_age;	/* OCCUPATION_AGE: occupations 3-6 below this age */
	int			official_min_age;	/* OCCUPATION_AGE: occupation 4 below this age */
	int			school_min_age; /* CHILD_NOT_IN_SCHOOL: ages school_min..school_max */
	int			school_max_age;
	int64_t		interview_min_us;	/* INTERVIEW_TOO_SHORT: shorter than this */
	double		lat_min;		/* GPS_OUT_OF_AREA: Thailand's box */
	double		lat_max;
	double		lon_min;
	double		lon_max;
} BmnCheckSettings;

void		bmn_check_settings_default(BmnCheckSettings *s);

/*
 * What fired, and the values that made it fire (the extension turns them into
 * the finding's details). member_index is the member's place in the array given
 * to bmn_check_household, -1 for the household. value and limit per check:
 *   INCOME_*               average income, the threshold it was compared with (satang)
 *   HEAD_UNDER_15          age, head_min_age
 *   AGE_OVER_80            age, age_over
 *   AGE_IMPOSSIBLE         age (-1: born after the interview), age_max
 *   FOREIGN_MAJORITY       Thai members, foreign members
 *   HEAD_COUNT             members with relation 1, members
 *   EDUCATION_AGE          education level, the highest level the age allows
 *   CHILD_NOT_IN_SCHOOL    age, education level
 *   OCCUPATION_AGE         occupation, the age it needs
 *   OCCUPATION_NO_INCOME   occupation, 0
 *   NATIONAL_ID_INVALID    the check digit given, the one the other digits need
 *   NO_CONSENT             0, 0
 *   ANSWER_CONTRADICTS     mask: the indicators whose answer differs from the result
 *   INTERVIEW_TOO_SHORT    duration, interview_min (microseconds)
 *   GPS_OUT_OF_AREA        0, 0 (outside Thailand's box)
 *   REGISTRY_*             0, 0 (the facts hold the registry's values)
 */
typedef struct BmnFinding
{
	BmnCheckCode check;
	int			member_index;	/* -1: the household */
	int			member_no;		/* 0: the household */
	int64_t		value;
	int64_t		limit;
	uint64_t	mask;
} BmnFinding;

#define BMN_MAX_FINDINGS 256

/* The highest education level (0-7) a member of this age can have reached. */
int			bmn_education_max_for_age(int age);

/*
 * Run the enabled household and member checks on one household. The score is the
 * household's (bmn_score_household over set) and is only read by
 * ANSWER_CONTRADICTS; it may be NULL when that check is not enabled. Writes at
 * most max findings into out and returns how many fired (which may exceed max:
 * the rest are dropped).
 */
int			bmn_check_household(const BmnCheckSettings *settings, const BmnRuleSet *set,
								const BmnScore *score, const BmnHouseholdFacts *hh,
								const BmnMemberFacts *members, int n_members,
								BmnFinding *out, int max);

#endif
