/*
 * generate_people.c: households and their members for `bmn generate`.
 *
 * The figures are rough national shapes (household sizes, age structure, education by
 * generation, occupations of a rural province, incomes of each occupation), chosen so
 * that the reports look like real ones: most households above the income threshold,
 * most indicators passed, a few findings per thousand for the committees.
 */
#include <string.h>

#include "checks.h"			/* bmn_education_max_for_age: what EDUCATION_AGE allows */
#include "generate_people.h"

#define N_OF(a) ((int) (sizeof(a) / sizeof((a)[0])))

/* Sizes 1..10, per mille: mean about 3.3 persons. */
static const int size_weights[10] = {140, 220, 225, 195, 110, 60, 30, 12, 5, 3};

int
gen_household_size_weight(int s)
{
	return s >= 1 && s <= 10 ? size_weights[s - 1] : 0;
}

/* ---- indicator answers --------------------------------------------------------- */

/*
 * How each indicator is answered by the export: 'h' household answer, 'p' household
 * answer only when the group is present, 'm' member answer for ages lo..hi (with an
 * extra condition in group), 'd' derived by the database (left empty).
 * Groups: e elderly, d disabled, c chronically ill, b bedridden, k children 0-6;
 * for members: E finished lower secondary, V out of school without work, P pregnant.
 */
typedef struct
{
	char		kind;
	char		group;
	short		lo,
				hi;
	short		pass;			/* per mille */
} ind_spec;

static const ind_spec set_2017[32] = {
	{0, 0, 0, 0, 0},
	{'m', 0, 0, 0, 950}, {'m', 0, 0, 1, 850}, {'m', 0, 0, 12, 970}, {'h', 0, 0, 0, 975},
	{'h', 0, 0, 0, 965}, {'m', 0, 35, 200, 860}, {'m', 0, 6, 200, 800}, {'h', 0, 0, 0, 950},
	{'h', 0, 0, 0, 975}, {'h', 0, 0, 0, 965}, {'h', 0, 0, 0, 930}, {'h', 0, 0, 0, 945},
	{'h', 0, 0, 0, 940}, {'h', 0, 0, 0, 960}, {'d', 0, 0, 0, 0}, {'d', 0, 0, 0, 0},
	{'m', 'E', 15, 18, 900}, {'m', 'V', 15, 24, 600}, {'d', 0, 0, 0, 0}, {'d', 0, 0, 0, 0},
	{'d', 0, 0, 0, 0}, {'d', 0, 0, 0, 0}, {'h', 0, 0, 0, 820}, {'h', 0, 0, 0, 700},
	{'h', 0, 0, 0, 760}, {'m', 0, 6, 200, 880}, {'p', 'e', 0, 0, 975}, {'p', 'd', 0, 0, 940},
	{'p', 'c', 0, 0, 955}, {'h', 0, 0, 0, 920}, {'h', 0, 0, 0, 960},
};

static const ind_spec set_2023[39] = {
	{0, 0, 0, 0, 0},
	{'m', 'P', 15, 45, 970}, {'m', 0, 0, 0, 950}, {'m', 0, 0, 1, 850}, {'m', 0, 0, 12, 970},
	{'m', 0, 0, 5, 950}, {'h', 0, 0, 0, 975}, {'h', 0, 0, 0, 940}, {'h', 0, 0, 0, 960},
	{'m', 0, 6, 200, 800}, {'p', 'b', 0, 0, 950}, {'h', 0, 0, 0, 950}, {'m', 0, 35, 200, 860},
	{'h', 0, 0, 0, 950}, {'h', 0, 0, 0, 930}, {'h', 0, 0, 0, 945}, {'h', 0, 0, 0, 930},
	{'h', 0, 0, 0, 960}, {'h', 0, 0, 0, 960}, {'h', 0, 0, 0, 990}, {'h', 0, 0, 0, 900},
	{'h', 0, 0, 0, 850}, {'m', 0, 0, 5, 950}, {'d', 0, 0, 0, 0}, {'m', 'E', 15, 18, 900},
	{'d', 0, 0, 0, 0}, {'h', 0, 0, 0, 850}, {'d', 0, 0, 0, 0}, {'d', 0, 0, 0, 0},
	{'d', 0, 0, 0, 0}, {'h', 0, 0, 0, 820}, {'p', 'k', 0, 0, 900}, {'d', 0, 0, 0, 0},
	{'h', 0, 0, 0, 950}, {'p', 'e', 0, 0, 975}, {'p', 'd', 0, 0, 940}, {'h', 0, 0, 0, 960},
	{'h', 0, 0, 0, 950}, {'h', 0, 0, 0, 920},
};

/* Fails twice as often in a poor household. */
static signed char
answer(gen_rng *r, int pass, bool poor)
{
	int			fail = 1000 - pass;

	if (poor)
		fail *= 2;
	return gen_rng_permille(r, fail) ? 0 : 1;
}

static bool
is_thai(const gen_member *m)
{
	return m->nationality[0] == 'T' && m->nationality[1] == 'H';
}

static bool
group_present(const gen_household *h, char group)
{
	for (int i = 0; i < h->n; i++)
	{
		const gen_member *m = &h->m[i];

		if (!is_thai(m))
			continue;
		if ((group == 'e' && m->age >= 60) ||
			(group == 'd' && m->health_status == 1) ||
			(group == 'c' && m->health_status == 2) ||
			(group == 'b' && m->health_status == 3) ||
			(group == 'k' && m->age <= 6))
			return true;
	}
	return false;
}

static void
answer_indicators(gen_rng *r, const gen_household_spec *spec, gen_household *h)
{
	const ind_spec *set = spec->n_indicators == 38 ? set_2023 : set_2017;
	long		total = h->income_main + h->income_secondary + h->income_other +
		h->income_own_production;
	bool		poor = total < 38000L * h->n;

	memset(h->ind, -1, sizeof h->ind);
	for (int i = 0; i < h->n; i++)
		memset(h->m[i].ind, -1, sizeof h->m[i].ind);

	for (int k = 1; k <= spec->n_indicators; k++)
	{
		const ind_spec *s = &set[k];

		if (s->kind == 'h' || (s->kind == 'p' && group_present(h, s->group)))
			h->ind[k] = answer(r, s->pass, poor);
		else if (s->kind == 'm')
		{
			/*
			 * Habits are the household's: the pass rate is the households', and in a
			 * failing household some members fail (at least one).
			 */
			bool		fails = answer(r, s->pass, poor) == 0;
			int			applicable = 0,
						failed = 0,
						last = -1;

			for (int i = 0; i < h->n; i++)
			{
				gen_member *m = &h->m[i];

				if (!is_thai(m) || m->age < s->lo || m->age > s->hi)
					continue;
				if (s->group == 'E' && m->education < 3)
					continue;
				if (s->group == 'V' && (m->in_school || m->occupation != 0))
					continue;
				if (s->group == 'P' && (m->sex != 2 || !gen_rng_permille(r, 30)))
					continue;
				m->ind[k] = fails && gen_rng_permille(r, 500) ? 0 : 1;
				applicable++;
				failed += m->ind[k] == 0;
				last = i;
			}
			if (fails && applicable > 0 && failed == 0)
				h->m[last].ind[k] = 0;
		}
	}
}

/* ---- who lives in the household ------------------------------------------------ */

static gen_member *
add_member(gen_household *h, int relation, int sex, int age)
{
	gen_member *m;

	if (h->n >= GEN_MAX_MEMBERS)
		return NULL;
	m = &h->m[h->n++];
	memset(m, 0, sizeof *m);
	m->relation = relation;
	m->sex = sex;
	m->age = age < 0 ? 0 : age > 105 ? 105 : age;
	m->literate = -1;
	m->self_care = -1;
	memcpy(m->nationality, "TH", 3);
	return m;
}

static int
draw_head_age(gen_rng *r)
{
	static const int w[] = {120, 190, 240, 230, 150, 70};
	static const int lo[] = {22, 35, 45, 55, 65, 75};
	static const int hi[] = {34, 44, 54, 64, 74, 92};
	int			g = gen_rng_weighted(r, w, N_OF(w));

	return gen_rng_range(r, lo[g], hi[g]);
}

static int
other_sex(int sex)
{
	return sex == 1 ? 2 : 1;
}

static int
coin_sex(gen_rng *r)
{
	return gen_rng_below(r, 2) ? 2 : 1;
}

/* A migrant worker household: young adults and small children, all foreign. */
static void
compose_migrant(gen_rng *r, gen_household *h)
{
	static const int w[] = {300, 400, 200, 100};
	int			size = 1 + gen_rng_weighted(r, w, N_OF(w));
	int			head_age = gen_rng_range(r, 19, 45);
	int			head_sex = gen_rng_permille(r, 650) ? 1 : 2;

	add_member(h, REL_HEAD, head_sex, head_age);
	if (size >= 2 && gen_rng_permille(r, 800))
		add_member(h, REL_SPOUSE, other_sex(head_sex), head_age + gen_rng_range(r, -5, 5));
	while (h->n < size)
	{
		int			room = head_age - 18;

		if (room >= 0 && gen_rng_permille(r, 600))
			add_member(h, REL_CHILD, coin_sex(r), gen_rng_range(r, 0, room < 12 ? room : 12));
		else
			add_member(h, gen_rng_permille(r, 600) ? REL_SIBLING : REL_UNRELATED, coin_sex(r),
						gen_rng_range(r, 18, 40));
	}
}

/* A child-headed household (the committees' check HEAD_UNDER_15). */
static void
compose_young_head(gen_rng *r, gen_household *h)
{
	int			head_age = gen_rng_range(r, 12, 14);
	int			size = gen_rng_range(r, 1, 3);

	add_member(h, REL_HEAD, coin_sex(r), head_age);
	while (h->n < size)
	{
		if (gen_rng_permille(r, 300))
			add_member(h, REL_RELATIVE, gen_rng_permille(r, 700) ? 2 : 1,
						gen_rng_range(r, 66, 84));
		else
			add_member(h, REL_SIBLING, coin_sex(r), gen_rng_range(r, 3, head_age - 1));
	}
}

static void
compose_thai(gen_rng *r, gen_household *h)
{
	int			size = 1 + gen_rng_weighted(r, size_weights, N_OF(size_weights));
	int			head_age,
				head_sex,
				young;			/* age of the younger of head and spouse */
	bool		spouse;
	int			parents = 0,
				in_laws = 0;

	if (size == 1)
	{
		if (gen_rng_permille(r, 550))
		{
			head_age = gen_rng_range(r, 60, 92);
			head_sex = gen_rng_permille(r, 620) ? 2 : 1;
		}
		else
		{
			head_age = gen_rng_range(r, 20, 59);
			head_sex = gen_rng_permille(r, 550) ? 1 : 2;
		}
		add_member(h, REL_HEAD, head_sex, head_age);
		return;
	}

	head_age = draw_head_age(r);
	spouse = gen_rng_permille(r, head_age >= 75 ? 450 : size == 2 ? 650 : 800);
	head_sex = gen_rng_permille(r, spouse ? 750 : 400) ? 1 : 2;
	add_member(h, REL_HEAD, head_sex, head_age)->married = spouse;
	young = head_age;
	if (spouse)
	{
		int			age = head_sex == 1 ? head_age - gen_rng_range(r, -2, 7)
			: head_age + gen_rng_range(r, -2, 6);

		if (age < 18)
			age = 18;
		add_member(h, REL_SPOUSE, other_sex(head_sex), age)->married = true;
		if (age < young)
			young = age;
	}

	while (h->n < size)
	{
		int			adult_child = -1;
		int			w[7];
		int			rel,
					age,
					sex;

		for (int i = 0; i < h->n; i++)
			if (h->m[i].relation == REL_CHILD && h->m[i].age >= 20 && !h->m[i].married)
				adult_child = i;

		w[0] = young >= 18 ? (head_age < 65 ? 600 : 280) : 0;	/* child */
		w[1] = head_age >= 40 ? (head_age >= 55 ? 380 : 120) : 0;	/* grandchild */
		w[2] = adult_child >= 0 && in_laws < 2 ? 160 : 0;	/* child-in-law */
		w[3] = head_age <= 62 && parents < 2 ? (head_age < 40 ? 140 : 70) : 0; /* parent */
		w[4] = 40;				/* sibling */
		w[5] = 30;				/* other relative */
		w[6] = 8;				/* not related */
		switch (gen_rng_weighted(r, w, N_OF(w)))
		{
			case 0:
				rel = REL_CHILD;
				/* Mother's (or father's) age at the birth: mostly 20-35. */
				age = young - (18 + (int) gen_rng_lognormal(r, 8.0, 0.55));
				if (age < 0)
					age = gen_rng_range(r, 0, young - 18);
				sex = coin_sex(r);
				break;
			case 1:
				rel = REL_GRANDCHILD;
				age = head_age - gen_rng_range(r, 38, 62);
				if (age < 0)
					age = gen_rng_range(r, 0, head_age - 38 < 0 ? 0 : head_age - 38);
				sex = coin_sex(r);
				break;
			case 2:
				rel = REL_CHILD_IN_LAW;
				age = h->m[adult_child].age + gen_rng_range(r, -4, 4);
				if (age < 18)
					age = 18;
				sex = other_sex(h->m[adult_child].sex);
				h->m[adult_child].married = true;
				in_laws++;
				break;
			case 3:
				rel = REL_PARENT;
				age = head_age + gen_rng_range(r, 19, 36);
				if (age > 98)
					age = 98;
				sex = parents == 1 ? other_sex(h->m[h->n - 1].sex)
					: gen_rng_permille(r, 620) ? 2 : 1;
				parents++;
				break;
			case 4:
				rel = REL_SIBLING;
				age = head_age + gen_rng_range(r, -12, 12);
				if (age < 1)
					age = 1;
				sex = coin_sex(r);
				break;
			case 5:
				rel = REL_RELATIVE;
				age = gen_rng_range(r, 0, 80);
				sex = coin_sex(r);
				break;
			default:
				rel = REL_UNRELATED;
				age = gen_rng_range(r, 18, 70);
				sex = coin_sex(r);
				break;
		}
		gen_member *m = add_member(h, rel, sex, age);

		if (rel == REL_PARENT && parents == 2)
		{
			m->married = true;
			h->m[h->n - 2].married = true;
		}
	}
}

/* Head, spouse, parents, children (eldest first), in-laws, grandchildren, others. */
static int
relation_rank(int rel)
{
	static const int rank[10] = {0, 0, 1, 3, 4, 5, 2, 6, 7, 8};

	return rel >= 1 && rel <= 9 ? rank[rel] : 9;
}

static void
order_members(gen_household *h)
{
	for (int i = 1; i < h->n; i++)
	{
		gen_member	m = h->m[i];
		int			j = i - 1;

		while (j >= 0 &&
			   (relation_rank(h->m[j].relation) > relation_rank(m.relation) ||
				(relation_rank(h->m[j].relation) == relation_rank(m.relation) &&
				 h->m[j].age < m.age)))
		{
			h->m[j + 1] = h->m[j];
			j--;
		}
		h->m[j + 1] = m;
	}
}

/* ---- what each member does --------------------------------------------------- */

static int
attained_education(gen_rng *r, int age)
{
	/* Levels 0, 2, 3, 4, 5, 6, 7 by generation, per mille. */
	static const int lv[] = {0, 2, 3, 4, 5, 6, 7};
	static const int w25[] = {10, 120, 170, 350, 100, 220, 30};
	static const int w40[] = {30, 400, 180, 200, 60, 110, 20};
	static const int w60[] = {100, 720, 70, 60, 20, 30, 0};
	static const int w75[] = {300, 630, 40, 20, 0, 10, 0};
	const int  *w = age < 40 ? w25 : age < 60 ? w40 : age < 75 ? w60 : w75;

	return lv[gen_rng_weighted(r, w, 7)];
}

/* Education, schooling and literacy of a Thai member. */
static void
educate(gen_rng *r, gen_member *m)
{
	int			a = m->age;

	if (a <= 2)
	{
		m->education = 0;
		m->in_school = 0;
	}
	else if (a <= 5)
	{
		m->in_school = gen_rng_permille(r, a == 3 ? 880 : 960);
		m->education = m->in_school;
	}
	else if (a <= 11)
	{
		m->in_school = gen_rng_permille(r, 996);
		m->education = m->in_school || a >= 8 ? 2 : 1;
	}
	else if (a <= 14)
	{
		m->in_school = gen_rng_permille(r, 988);
		m->education = m->in_school ? (a == 12 && gen_rng_permille(r, 300) ? 2 : 3) : 2;
	}
	else if (a <= 17)
	{
		m->in_school = gen_rng_permille(r, 800);
		m->education = m->in_school ? 4 : (gen_rng_permille(r, 750) ? 3 : 2);
	}
	else if (a <= 21)
	{
		m->in_school = gen_rng_permille(r, a <= 19 ? 420 : 320);
		if (m->in_school)
			m->education = a <= 19 ? (gen_rng_permille(r, 600) ? 5 : 4)
				: (gen_rng_permille(r, 700) ? 6 : 5);
		else
		{
			static const int lv[] = {2, 3, 4, 5};
			static const int w[] = {100, 300, 500, 100};

			m->education = lv[gen_rng_weighted(r, w, 4)];
		}
	}
	else
	{
		m->in_school = gen_rng_permille(r, a <= 24 ? 100 : a < 40 ? 12 : 2);
		m->education = m->in_school ? (gen_rng_permille(r, 700) ? 6 : 7) : attained_education(r, a);
	}
	if (m->education > bmn_education_max_for_age(a))
		m->education = bmn_education_max_for_age(a);

	if (a < 7)
		m->literate = -1;
	else if (m->education == 0)
		m->literate = gen_rng_permille(r, 200);
	else if (m->education <= 2)
		m->literate = gen_rng_permille(r, a < 10 ? 900 : 960);
	else
		m->literate = gen_rng_permille(r, 997);
}

static void
educate_foreign(gen_rng *r, gen_member *m)
{
	static const int lv[] = {0, 2, 3, 4};
	static const int w[] = {400, 450, 100, 50};

	if (m->age < 6)
	{
		m->in_school = m->age >= 3 && gen_rng_permille(r, 400);
		m->education = m->in_school;
	}
	else if (m->age < 15)
	{
		m->in_school = gen_rng_permille(r, 600);
		m->education = m->age < 12 ? 2 : 3;
		if (!m->in_school)
			m->education = gen_rng_permille(r, 500) ? 2 : 0;
	}
	else
	{
		m->in_school = 0;
		m->education = lv[gen_rng_weighted(r, w, 4)];
	}
	if (m->education > bmn_education_max_for_age(m->age))
		m->education = bmn_education_max_for_age(m->age);
	m->literate = m->age < 7 ? -1 : gen_rng_permille(r, 120);
}

static void
health(gen_rng *r, gen_member *m)
{
	int			a = m->age;

	if (gen_rng_permille(r, a >= 60 ? 15 : 1))
		m->health_status = 3;
	else if (gen_rng_permille(r, a >= 60 ? 40 : 14))
		m->health_status = 1;
	else if (gen_rng_permille(r, a >= 60 ? 280 : a >= 35 ? 90 : 10))
		m->health_status = 2;
	else
		m->health_status = 0;

	if (a < 6)
		m->self_care = -1;
	else if (m->health_status == 3)
		m->self_care = 0;
	else if (m->health_status == 1)
		m->self_care = gen_rng_permille(r, 600);
	else
		m->self_care = 1;
}

/* Income of an occupation, baht/year, rounded to 100. */
static long
income_of(gen_rng *r, int occupation, bool foreign)
{
	double		v;

	switch (occupation)
	{
		case 2:
			v = gen_rng_lognormal(r, 62000, 0.5);
			break;
		case 3:
			v = gen_rng_lognormal(r, foreign ? 95000 : 135000, 0.4);
			break;
		case 4:
			v = gen_rng_lognormal(r, 290000, 0.35);
			break;
		case 5:
			v = gen_rng_lognormal(r, 145000, 0.6);
			break;
		case 6:
			v = gen_rng_lognormal(r, foreign ? 85000 : 78000, 0.35);
			break;
		case 7:
			v = gen_rng_lognormal(r, 60000, 0.6);
			break;
		default:
			return 0;
	}
	if (v < 6000)
		v = 6000;
	return ((long) v + 50) / 100 * 100;
}

static void
occupy(gen_rng *r, gen_member *m, bool foreign)
{
	int			a = m->age;
	bool		unable = m->health_status == 3 || (m->health_status == 1 && !m->self_care);

	m->occupation = 0;
	if (a < 15)
		m->occupation = m->in_school ? 1 : 0;
	else if (m->in_school)
		m->occupation = 1;
	else if (unable)
		m->occupation = gen_rng_permille(r, 150) ? 7 : 0;
	else if (foreign)
	{
		static const int occ[] = {0, 2, 3, 6, 5};
		static const int w[] = {100, 300, 250, 320, 30};

		m->occupation = occ[gen_rng_weighted(r, w, 5)];
	}
	else if (a < 60)
	{
		static const int occ[] = {0, 2, 3, 4, 5, 6, 7};
		int			w[] = {m->sex == 2 ? 120 : 55, 380, 200,
			a < 18 ? 0 : m->education >= 5 ? 160 : m->education == 4 ? 35 : 5,
		130, 160, 30};

		m->occupation = occ[gen_rng_weighted(r, w, 7)];
	}
	else
	{
		static const int occ[] = {2, 5, 6, 7};
		static const int w[] = {650, 200, 80, 70};
		int			work = a < 65 ? 850 : a < 70 ? 760 : a < 75 ? 620 : a < 80 ? 450 : 220;

		if (gen_rng_permille(r, work))
			m->occupation = occ[gen_rng_weighted(r, w, 4)];
	}
	m->income = income_of(r, m->occupation, foreign);
	/* Retired officials draw a pension without an occupation. */
	if (m->occupation == 0 && a >= 60 && m->education >= 6 && gen_rng_permille(r, 400))
		m->income = ((long) gen_rng_lognormal(r, 200000, 0.3) + 50) / 100 * 100;
}

static void
birth_date(gen_rng *r, gen_member *m, gen_date interview)
{
	m->month_unknown = gen_rng_permille(r, m->age >= 60 ? 40 : 4);
	m->day_unknown = m->month_unknown || gen_rng_permille(r, 12);
	m->birth = gen_birth_for_age(m->age, interview, gen_rng_unit(r), m->day_unknown,
								 m->month_unknown);
}

static void
nationality_of_migrants(gen_rng *r, int province, char *out)
{
	/* Where migrants come from differs by region: MM, LA, KH weights. */
	static const char *const code[] = {"MM", "LA", "KH"};
	int			w[3];
	int			region = province / 10;

	if (region <= 2)
		w[0] = 600, w[1] = 100, w[2] = 300;
	else if (region <= 4)
		w[0] = 150, w[1] = 600, w[2] = 250;
	else if (region <= 6)
		w[0] = 600, w[1] = 380, w[2] = 20;
	else
		w[0] = 900, w[1] = 50, w[2] = 50;
	memcpy(out, code[gen_rng_weighted(r, w, 3)], 3);
}

static void
household_money(gen_rng *r, const gen_household_spec *spec, gen_household *h)
{
	long		main = 0,
				other = 0,
				own = 0,
				secondary = 0,
				agri = 0;
	int			elderly_head = h->m[0].age >= 50;

	for (int i = 0; i < h->n; i++)
	{
		gen_member *m = &h->m[i];
		bool		thai = m->nationality[0] == 'T';

		main += m->income;
		if (m->occupation == 2)
			agri += m->income;
		/* Allowances: the elderly's by age, the disabled's, the child subsidy. */
		if (thai && m->age >= 60)
			other += m->age >= 90 ? 12000 : m->age >= 80 ? 9600 : m->age >= 70 ? 8400 : 7200;
		if (thai && m->health_status == 1)
			other += 9600;
		if (thai && m->age <= 5 && gen_rng_permille(r, 500))
			other += 7200;
	}
	if (gen_rng_permille(r, 350))
		secondary = ((long) gen_rng_lognormal(r, 15000, 0.7) + 50) / 100 * 100;
	if (elderly_head && gen_rng_permille(r, 330))
		other += ((long) gen_rng_lognormal(r, 30000, 0.6) + 50) / 100 * 100;	/* remittances */
	if (agri > 0)
		own = ((long) gen_rng_lognormal(r, 14000, 0.6) + 50) / 100 * 100;
	else if (gen_rng_permille(r, 250))
		own = gen_rng_range(r, 10, 80) * 100L;

	if (spec->high_income)
	{
		/* A business that makes over a million baht a year per member. */
		long		extra = (long) h->n * gen_rng_range(r, 1100, 4000) * 1000L;

		h->m[0].occupation = 5;
		h->m[0].income += extra;
		main += extra;
	}
	if (spec->zero_income)
	{
		main = secondary = other = own = agri = 0;
		for (int i = 0; i < h->n; i++)
		{
			h->m[i].income = 0;
			if (h->m[i].occupation >= 2)
				h->m[i].occupation = 0;
		}
	}
	/*
	 * Published rounds find few households under the income threshold: transfers and
	 * remittances lift most of the poorer ones above it. Keep about 1 in 12 below.
	 */
	{
		long		total = main + secondary + other + own;
		long		target = 38000L * h->n;

		if (!spec->zero_income && total < target && !gen_rng_permille(r, 80))
			other += (target - total) / 100 * 100 + 100 +
				(long) h->n * gen_rng_range(r, 0, 200) * 100L;
	}
	h->income_main = main;
	h->income_secondary = secondary;
	h->income_other = other;
	h->income_own_production = own;

	long		total = main + secondary + other + own;
	long		floor = 14000L * h->n;
	long		cons = (long) ((double) total * (0.45 + 0.35 * gen_rng_unit(r)));

	if (cons < floor)
		cons = floor + gen_rng_range(r, 0, 40) * 100L;
	h->expense_consumption = cons / 100 * 100;
	h->expense_production = agri > 0 ? (long) ((double) agri * (0.15 + 0.3 * gen_rng_unit(r))) / 100 * 100 : 0;
	h->expense_unnecessary = gen_rng_permille(r, 550) ? gen_rng_range(r, 10, 250) * 100L : 0;
	h->expense_debt = gen_rng_permille(r, 450) ? ((long) gen_rng_lognormal(r, 24000, 0.8)) / 100 * 100 : 0;
}

/*
 * Names: the family name is the head's; a wife takes it mostly, children and
 * grandchildren carry it, in-laws and others their own.
 */
static void
name_members(gen_rng *r, gen_household *h)
{
	char		family[GEN_NAME_MAX];

	gen_last_name(r, h->m[0].nationality, family);
	for (int i = 0; i < h->n; i++)
	{
		gen_member *m = &h->m[i];
		int			born_be = m->birth.year + GEN_BE_OFFSET;
		bool		own;

		switch (m->relation)
		{
			case REL_HEAD:
			case REL_SIBLING:
			case REL_PARENT:
			case REL_CHILD:
				own = false;
				break;
			case REL_SPOUSE:
				own = m->sex == 1 || gen_rng_permille(r, 250);
				break;
			case REL_GRANDCHILD:
				own = gen_rng_permille(r, 300);
				break;
			case REL_RELATIVE:
				own = gen_rng_permille(r, 500);
				break;
			default:
				own = true;
				break;
		}
		if (strcmp(m->nationality, h->m[0].nationality) != 0)
			own = true;
		if (own)
			gen_last_name(r, m->nationality, m->last_name);
		else
			memcpy(m->last_name, family, sizeof family);
		m->first_name = gen_first_name(r, m->sex, born_be, m->nationality);
		m->title = gen_title(m->sex, m->age,
							 m->married || (m->age >= 40 && gen_rng_permille(r, 700)));
	}
}

void
gen_household_make(gen_rng *r, const gen_household_spec *spec, gen_household *h)
{
	char		migrant_nat[3] = "TH";

	h->n = 0;
	h->migrant = spec->migrant;
	if (spec->migrant)
	{
		compose_migrant(r, h);
		nationality_of_migrants(r, spec->province, migrant_nat);
	}
	else if (spec->head_under_15)
		compose_young_head(r, h);
	else
		compose_thai(r, h);
	order_members(h);

	for (int i = 0; i < h->n; i++)
	{
		gen_member *m = &h->m[i];
		bool		foreign;

		if (spec->migrant)
			memcpy(m->nationality, migrant_nat, 3);
		else if ((m->relation == REL_SPOUSE || m->relation == REL_CHILD_IN_LAW) &&
				 gen_rng_permille(r, 12))
			nationality_of_migrants(r, spec->province, m->nationality);
		foreign = !is_thai(m);

		birth_date(r, m, spec->interview);
		health(r, m);
		if (foreign)
			educate_foreign(r, m);
		else
			educate(r, m);
		occupy(r, m, foreign);
		m->welfare_card = !foreign && m->age >= 18 &&
			gen_rng_permille(r, m->in_school ? 80 : m->income < 100000 ? 450 : 30);
	}
	household_money(r, spec, h);
	name_members(r, h);
	answer_indicators(r, spec, h);
}
