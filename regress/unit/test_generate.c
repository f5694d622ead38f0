/*
 * test_generate.c: the pure parts of `bmn generate`: random streams, national IDs and
 * house codes, dates, the CSV splitter, village sizes, the area plan, and the
 * households (relations, ages, education, work and income that fit together).
 */
#include <stdlib.h>

#include "unit.h"

#include "generate_areas.h"
#include "generate_codes.h"
#include "generate_dates.h"
#include "generate_out.h"
#include "checks.h"
#include "generate_people.h"
#include "generate_rng.h"

UNIT_TEST(generate_rng_streams)
{
	gen_rng		a,
				b,
				c;
	bool		differ = false;

	gen_rng_init(&a, 42, 1, 7);
	gen_rng_init(&b, 42, 1, 7);
	gen_rng_init(&c, 42, 1, 8);
	for (int i = 0; i < 1000; i++)
	{
		uint64_t	x = gen_rng_next(&a);

		EXPECT(x == gen_rng_next(&b));
		differ |= x != gen_rng_next(&c);
	}
	EXPECT(differ);
	for (int i = 0; i < 10000; i++)
	{
		int			v = gen_rng_range(&a, -3, 5);
		double		u = gen_rng_unit(&a);

		EXPECT(v >= -3 && v <= 5);
		EXPECT(u >= 0.0 && u < 1.0);
		EXPECT(gen_rng_below(&a, 7) < 7);
	}
	EXPECT_INT(gen_rng_range(&a, 4, 4), 4);
	EXPECT_INT(gen_rng_range(&a, 4, 2), 4);
}

UNIT_TEST(generate_thai_id)
{
	char		id[14];

	EXPECT(gen_thai_id_valid("3100600445635"));
	EXPECT(gen_thai_id_valid("1103702488992"));
	EXPECT(!gen_thai_id_valid("1103702488993"));
	EXPECT(!gen_thai_id_valid("110370248899"));
	EXPECT(!gen_thai_id_valid("11037024889920"));
	EXPECT_INT(gen_thai_id_check("310060044563"), 5);

	gen_thai_id(id, 3, "5501", 0, 12345);
	EXPECT_INT(strlen(id), 13);
	EXPECT(id[0] == '3' && strncmp(id + 1, "5501", 4) == 0);
	EXPECT(gen_thai_id_valid(id));
	gen_thai_id(id, 1, "5515", 9999999, 0);
	EXPECT(gen_thai_id_valid(id));
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *) a,
				y = *(const uint32_t *) b;

	return x < y ? -1 : x > y;
}

/* Distinct serials of one office never give the same ID. */
UNIT_TEST(generate_permute7_distinct)
{
	enum
	{
		N = 200000
	};
	uint32_t   *v = malloc(sizeof(uint32_t) * N);
	int			dups = 0;

	for (uint32_t i = 0; i < N; i++)
	{
		v[i] = gen_permute7(i, 987654);
		EXPECT(v[i] < 10000000);
	}
	qsort(v, N, sizeof *v, cmp_u32);
	for (int i = 1; i < N; i++)
		dups += v[i] == v[i - 1];
	EXPECT_INT(dups, 0);
	/* Consecutive serials do not look consecutive. */
	EXPECT(gen_permute7(1, 5) != gen_permute7(0, 5) + 1);
	free(v);
}

UNIT_TEST(generate_house_code)
{
	char		code[12],
				dashed[14];

	gen_house_code(code, "5501", 123);
	EXPECT_INT(strlen(code), 11);
	EXPECT(strncmp(code, "5501000123", 10) == 0);
	gen_house_code_dashed(dashed, code);
	EXPECT(strncmp(dashed, "5501-000123-", 12) == 0);
	EXPECT_INT(strlen(dashed), 13);
}

UNIT_TEST(generate_dates)
{
	gen_date	d = gen_civil_from_days(0);
	char		buf[11];

	EXPECT(d.year == 1970 && d.month == 1 && d.day == 1);
	EXPECT_INT(gen_days_from_civil(2000, 3, 1) - gen_days_from_civil(2000, 2, 28), 2);
	EXPECT_INT(gen_days_from_civil(1900, 3, 1) - gen_days_from_civil(1900, 2, 28), 1);
	for (int z = -40000; z < 40000; z += 17)
	{
		gen_date	c = gen_civil_from_days(z);

		EXPECT_INT(gen_days_from_civil(c.year, c.month, c.day), z);
	}
	EXPECT_INT(gen_days_in_month(2024, 2), 29);
	EXPECT_INT(gen_days_in_month(2023, 2), 28);

	/* The age drawn is the age computed, also with unknown day or month. */
	gen_rng		r;
	gen_date	on = {2019, 1, 15};

	gen_rng_init(&r, 1, 2, 3);
	for (int i = 0; i < 5000; i++)
	{
		int			age = gen_rng_range(&r, 0, 100);
		bool		du = gen_rng_permille(&r, 200),
					mu = gen_rng_permille(&r, 200);
		gen_date	b = gen_birth_for_age(age, on, gen_rng_unit(&r), du, mu);

		EXPECT_INT(gen_age_at(b, on), age);
		if (du)
			EXPECT_INT(b.day, 1);
		if (mu)
			EXPECT(b.month == 7 && b.day == 1);
		EXPECT(b.day <= gen_days_in_month(b.year, b.month));
	}
	gen_format_date_be(buf, (gen_date) {1967, 7, 1}, true, true);
	EXPECT_STR(buf, "00/00/2510");
	gen_format_date_be(buf, (gen_date) {2024, 2, 12}, false, false);
	EXPECT_STR(buf, "12/02/2567");
	gen_format_date_be(buf, (gen_date) {2024, 2, 1}, true, false);
	EXPECT_STR(buf, "00/02/2567");
}

UNIT_TEST(generate_csv_record)
{
	const char *text = "code,name_th,name_en\r\n"
		"55,\"น่าน\",Nan\n"
		"5501,\"a \"\"quoted\"\", b\",\"two\nlines\"\n"
		",,\n"
		"last,no newline";
	const char *pos = text,
			   *end = text + strlen(text);
	char		scratch[256];
	char	   *f[8];

	EXPECT_INT(gen_csv_record(&pos, end, scratch, f, 8), 3);
	EXPECT_STR(f[0], "code");
	EXPECT_STR(f[2], "name_en");
	EXPECT_INT(gen_csv_record(&pos, end, scratch, f, 8), 3);
	EXPECT_STR(f[1], "น่าน");
	EXPECT_INT(gen_csv_record(&pos, end, scratch, f, 8), 3);
	EXPECT_STR(f[1], "a \"quoted\", b");
	EXPECT_STR(f[2], "two\nlines");
	EXPECT_INT(gen_csv_record(&pos, end, scratch, f, 8), 3);
	EXPECT_STR(f[0], "");
	EXPECT_STR(f[2], "");
	EXPECT_INT(gen_csv_record(&pos, end, scratch, f, 2), 2);
	EXPECT_STR(f[1], "no newline");
	EXPECT_INT(gen_csv_record(&pos, end, scratch, f, 8), -1);
}

UNIT_TEST(generate_csv_field_quoting)
{
	gen_out		o;
	char		back[128];
	size_t		n;

	memset(&o, 0, sizeof o);
	o.f = tmpfile();
	o.buf = malloc(GEN_OUT_BUFSIZE);
	EXPECT(o.f != NULL && o.buf != NULL);
	if (o.f == NULL || o.buf == NULL)
		return;
	gen_out_csv_field(&o, "plain", ',');
	gen_out_char(&o, ';');
	gen_out_csv_field(&o, "a,b", ',');
	gen_out_char(&o, ';');
	gen_out_csv_field(&o, "say \"hi\"", ',');
	gen_out_char(&o, ';');
	gen_out_csv_field(&o, "a,b", '|');
	gen_out_char(&o, ';');
	gen_out_long(&o, -120);
	gen_out_char(&o, ';');
	gen_out_micro(&o, 18780123);
	gen_out_char(&o, ';');
	gen_out_micro(&o, -5000001);
	gen_out_flush(&o);
	rewind(o.f);
	n = fread(back, 1, sizeof back - 1, o.f);
	back[n] = '\0';
	EXPECT_STR(back, "plain;\"a,b\";\"say \"\"hi\"\"\";a,b;-120;18.780123;-5.000001");
	fclose(o.f);
	free(o.buf);
}

UNIT_TEST(generate_village_sizes)
{
	gen_rng		r;
	int			n = 0;
	long		sum = 0;
	int			typical = 0,
				small = 0;
	int		   *s;

	gen_rng_init(&r, 9, 1, 0);
	s = gen_village_sizes(&r, 200000, &n);
	EXPECT(s != NULL);
	if (s == NULL)
		return;
	for (int i = 0; i < n; i++)
	{
		EXPECT(s[i] > 0);
		sum += s[i];
		typical += s[i] >= 40 && s[i] <= 250;
		small += s[i] < 20;
	}
	EXPECT_INT(sum, 200000);
	EXPECT(typical * 100 >= n * 70);
	EXPECT(small > 0 && small * 100 < n * 8);
	free(s);

	/* Tiny provinces still work. */
	gen_rng_init(&r, 9, 1, 1);
	s = gen_village_sizes(&r, 1, &n);
	EXPECT(n == 1 && s[0] == 1);
	free(s);
}

static void
check_plan(const gen_plan *p, long households)
{
	long		sum = 0;

	for (int v = 0; v < p->n_villages; v++)
	{
		const gen_village *vg = &p->villages[v];
		const gen_tambon *t = &p->tambons[vg->tambon];

		sum += vg->households;
		EXPECT_INT(strlen(vg->code), 8);
		EXPECT(strncmp(vg->code, t->code, 6) == 0);
		EXPECT(strncmp(vg->name_th, "บ้าน", strlen("บ้าน")) == 0);
		EXPECT(vg->lao >= 0 && vg->lao < t->n_laos);
		EXPECT(vg->lat > 5.6 && vg->lat < 20.5 && vg->lon > 97.3 && vg->lon < 105.7);
		if (v > 0)
			EXPECT(strcmp(p->villages[v - 1].code, vg->code) < 0);
	}
	EXPECT_INT(sum, households);
	for (int t = 0; t < p->n_tambons; t++)
	{
		EXPECT(p->tambons[t].n_villages <= GEN_MAX_VILLAGES_PER_TAMBON);
		EXPECT(strncmp(p->tambons[t].code, p->districts[p->tambons[t].district].code, 4) == 0);
	}
}

UNIT_TEST(generate_plan_synthetic)
{
	gen_plan	p;
	char		err[256];

	EXPECT_INT(gen_plan_build(&p, "55", 3000, 1, NULL, err, sizeof err), 0);
	EXPECT_STR(p.name_th, "น่าน");
	EXPECT(p.n_districts >= 3);
	check_plan(&p, 3000);
	gen_plan_free(&p);

	/* Big enough that tambons fill up. */
	EXPECT_INT(gen_plan_build(&p, "99", 500000, 2, NULL, err, sizeof err), 0);
	check_plan(&p, 500000);
	gen_plan_free(&p);
}

UNIT_TEST(generate_plan_real_areas)
{
	gen_plan	p;
	char		err[256];
	const char *file = "../shared/data/thai_areas.csv";
	FILE	   *f = fopen(file, "r");

	if (f == NULL)
		return;					/* not beside this checkout */
	fclose(f);
	EXPECT_INT(gen_plan_build(&p, "55", 3000, 1, file, err, sizeof err), 0);
	EXPECT_STR(p.name_en, "Nan");
	EXPECT_INT(p.n_districts, 15);
	EXPECT_INT(p.n_tambons, 99);
	check_plan(&p, 3000);
	/* Every district gets villages, so no district report is empty. */
	for (int d = 0; d < p.n_districts; d++)
	{
		int			n = 0;

		for (int t = 0; t < p.n_tambons; t++)
			if (p.tambons[t].district == d)
				n += p.tambons[t].n_villages;
		EXPECT(n > 0);
	}
	gen_plan_free(&p);

	EXPECT_INT(gen_plan_build(&p, "00", 10, 1, file, err, sizeof err), -1);
	EXPECT(strstr(err, "not in the area list") != NULL);
}

static long
total_income(const gen_household *h)
{
	return h->income_main + h->income_secondary + h->income_other + h->income_own_production;
}

UNIT_TEST(generate_households_fit_together)
{
	gen_rng		r;
	gen_household h;
	gen_household_spec spec;
	long		persons = 0;
	const int	N = 20000;

	memset(&spec, 0, sizeof spec);
	spec.interview = (gen_date) {2019, 2, 1};
	spec.n_indicators = 31;
	spec.province = 55;
	for (int i = 0; i < N; i++)
	{
		int			heads = 0;
		const gen_member *head;

		gen_rng_init(&r, 3, 4, (uint64_t) i);
		gen_household_make(&r, &spec, &h);
		EXPECT(h.n >= 1 && h.n <= GEN_MAX_MEMBERS);
		persons += h.n;
		head = &h.m[0];
		EXPECT_INT(head->relation, REL_HEAD);
		EXPECT(head->age >= 15);
		for (int j = 0; j < h.n; j++)
		{
			const gen_member *m = &h.m[j];

			heads += m->relation == REL_HEAD;
			EXPECT_INT(gen_age_at(m->birth, spec.interview), m->age);
			EXPECT(m->education <= bmn_education_max_for_age(m->age));
			EXPECT(m->sex == 1 || m->sex == 2);
			if (m->relation == REL_CHILD)
				EXPECT(m->age <= head->age - 15);
			if (m->relation == REL_GRANDCHILD)
				EXPECT(m->age <= head->age - 30);
			if (m->relation == REL_PARENT)
				EXPECT(m->age >= head->age + 15);
			if (m->relation == REL_SPOUSE || m->relation == REL_CHILD_IN_LAW)
				EXPECT(m->age >= 18);
			if (m->age < 15)
				EXPECT(m->occupation <= 1);
			if (m->age < 18)
				EXPECT(m->occupation != 4);
			if (m->occupation >= 2)
				EXPECT(m->income > 0);
			if (m->age >= 6 && m->age <= 14 && strcmp(m->nationality, "TH") == 0)
				EXPECT(m->in_school || m->education < 4);
			/* Derived indicators are left to the database. */
			EXPECT(m->ind[16] == -1 && m->ind[20] == -1);
		}
		EXPECT_INT(heads, 1);
		EXPECT(h.ind[22] == -1);
		EXPECT(h.ind[4] == 0 || h.ind[4] == 1);
		EXPECT(total_income(&h) > 0 || h.n > 0);
	}
	EXPECT(persons * 10 >= N * 31 && persons * 10 <= N * 35);
}

UNIT_TEST(generate_household_oddities)
{
	gen_rng		r;
	gen_household h;
	gen_household_spec spec;

	memset(&spec, 0, sizeof spec);
	spec.interview = (gen_date) {2024, 2, 1};
	spec.n_indicators = 38;
	spec.province = 55;
	for (int i = 0; i < 300; i++)
	{
		gen_rng_init(&r, 5, 6, (uint64_t) i);
		spec.head_under_15 = true;
		gen_household_make(&r, &spec, &h);
		EXPECT(h.m[0].relation == REL_HEAD && h.m[0].age < 15);
		spec.head_under_15 = false;

		spec.zero_income = true;
		gen_household_make(&r, &spec, &h);
		EXPECT_INT(total_income(&h), 0);
		spec.zero_income = false;

		spec.high_income = true;
		gen_household_make(&r, &spec, &h);
		EXPECT(total_income(&h) > 1000000L * h.n);
		spec.high_income = false;

		spec.migrant = true;
		gen_household_make(&r, &spec, &h);
		for (int j = 0; j < h.n; j++)
			EXPECT(strcmp(h.m[j].nationality, "TH") != 0);
		spec.migrant = false;

		/* The 2023-2027 set: household answers up to 38, derived 29 and 32 empty. */
		gen_household_make(&r, &spec, &h);
		EXPECT(h.ind[38] == 0 || h.ind[38] == 1);
		EXPECT(h.ind[29] == -1 && h.ind[32] == -1);
	}
}
