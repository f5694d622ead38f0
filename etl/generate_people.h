/*
 * generate_people.h: one synthetic household of `bmn generate`: who lives in it
 * (relations and ages that fit together), their education, work, income, health, and
 * the household's incomes, expenditures and indicator answers.
 *
 * Pure: everything comes from the random stream and the spec; national IDs, names of
 * places and the files are the caller's.
 */
#ifndef GENERATE_PEOPLE_H
#define GENERATE_PEOPLE_H

#include <stdbool.h>

#include "generate_dates.h"
#include "generate_names.h"
#include "generate_rng.h"

#define GEN_MAX_MEMBERS 14
#define GEN_MAX_IND 38

/* Relations to the head (formats.md). */
enum
{
	REL_HEAD = 1, REL_SPOUSE, REL_CHILD, REL_CHILD_IN_LAW, REL_GRANDCHILD, REL_PARENT,
	REL_SIBLING, REL_RELATIVE, REL_UNRELATED
};

typedef struct
{
	int			relation;
	int			sex;			/* 1 male, 2 female */
	int			age;			/* completed years at the interview */
	gen_date	birth;			/* as the loader will read it (00 parts as 1st / July) */
	bool		day_unknown;
	bool		month_unknown;
	bool		married;
	char		nationality[3];
	int			education;
	int			in_school;
	int			literate;		/* -1: not recorded */
	int			occupation;
	long		income;
	int			health_status;
	int			self_care;		/* -1: not recorded */
	int			welfare_card;
	const char *title;
	const char *first_name;
	char		last_name[GEN_NAME_MAX];
	char		national_id[14];	/* "" when the member has none; the caller's */
	signed char ind[GEN_MAX_IND + 1];	/* [1..38]: 1 pass, 0 fail, -1 not applicable */
} gen_member;

typedef struct
{
	int			n;
	gen_member	m[GEN_MAX_MEMBERS];
	bool		migrant;		/* every member foreign */
	long		income_main;
	long		income_secondary;
	long		income_other;
	long		income_own_production;
	long		expense_production;
	long		expense_consumption;
	long		expense_unnecessary;
	long		expense_debt;
	signed char ind[GEN_MAX_IND + 1];	/* household-level answers, as members' */
} gen_household;

typedef struct
{
	gen_date	interview;
	int			n_indicators;	/* 31 (2017-2021 set) or 38 (2023-2027) */
	int			province;		/* 2-digit code: where migrants come from */
	/* Deliberate oddities for the committees' checks to find. */
	bool		head_under_15;
	bool		zero_income;
	bool		high_income;
	bool		migrant;
} gen_household_spec;

/* Draws a whole household. */
void		gen_household_make(gen_rng *r, const gen_household_spec *spec, gen_household *h);

/* Household size distribution (for tests): weight of size s, 1 <= s <= 10, per mille. */
int			gen_household_size_weight(int s);

#endif
