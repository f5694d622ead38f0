/*
 * generate.c: `bmn generate`, a realistic synthetic survey export (households.csv,
 * members.csv), the matching area list (areas.csv) and house registry extract
 * (registry.csv) for one province.
 *
 * Streaming: households are made and written one at a time, village by village; only
 * the area plan stays in memory, so 13 million households need no more memory than
 * 3,000. Deterministic: every household draws from its own stream of the seed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bmn.h"
#include "generate_areas.h"
#include "generate_codes.h"
#include "generate_dates.h"
#include "generate_out.h"
#include "generate_people.h"
#include "generate_rng.h"

/* Stream purposes (the plan's are in generate_areas.c). */
enum
{
	RNG_VILLAGE = 101, RNG_HOUSEHOLD, RNG_SCRAMBLE
};

/*
 * Rates of the deliberate oddities, per 100,000 (households, members, houses or
 * collectors as named): a few per thousand in all, as the committees meet them.
 */
#define ODD_HEAD_UNDER_15		80		/* households */
#define ODD_ZERO_INCOME			150
#define ODD_HIGH_INCOME			60
#define ODD_MIGRANT				200
#define ODD_NO_CONSENT			100
#define ODD_SHORT_INTERVIEW		150
#define ODD_GPS_FAR				100
#define ODD_ID_BAD_CHECK		50		/* members */
#define ODD_ID_DUPLICATE		30
#define ODD_REG_BIRTH_YEAR		120		/* registered persons */
#define ODD_REG_SEX				30
#define ODD_REG_VILLAGE			100		/* houses */
#define ODD_REG_HOUSE_MISSING	300
#define ODD_COLLECTOR_RUSH		200		/* collectors: all households on one day */
#define ODD_COLLECTOR_SAME_SPOT 200		/* collectors: one position for every house */

typedef struct
{
	const char *province;
	long		households;
	int			year;			/* BE */
	uint64_t	seed;
	const char *out_dir;
	const char *areas_file;
	bool		quiet;
} gen_options;

/* The volunteer collecting the current run of households of a village. */
typedef struct
{
	char		id[24];
	int			day;			/* days since 1970 */
	int			quota;			/* households planned for the day */
	int			done;			/* done that day */
	int			minute;			/* next start, minutes after midnight */
	bool		rush;			/* oddity: every household on one day */
	bool		same_spot;
	double		lat,
				lon;
} gen_collector;

typedef struct
{
	gen_options opt;
	gen_plan	plan;
	gen_out		hh,
				mem,
				reg;
	int			n_indicators;
	int			round_start;	/* days since 1970 */
	uint32_t	id_scramble;
	gen_date	interview;
	/* National IDs of the previous household, for the duplicate-ID oddity. */
	char		prev_ids[GEN_MAX_MEMBERS][14];
	int			n_prev_ids;
	long		n_members;
	long		n_registry_rows;
	long		n_collectors;
} gen_state;

static void
usage(FILE *out)
{
	fprintf(out,
			"bmn generate writes a realistic synthetic BMN survey export and the matching\n"
			"house registry extract for one province (for demos, tests, benchmarks, training).\n\n"
			"Usage:\n"
			"  bmn generate --province CODE --households N --year YYYY --out DIR [OPTION]...\n\n"
			"Options:\n"
			"  --province CODE    2-digit province code, e.g. 55 (Nan)\n"
			"  --households N     number of households to generate\n"
			"  --year YYYY        survey year, Buddhist Era (e.g. 2562 for 2019): 2560-2564\n"
			"                     answer the 31 indicators of 2017-2021, 2566-2570 the 38 of\n"
			"                     2023-2027\n"
			"  --seed S           random seed (default 1); the same seed and options give\n"
			"                     the same files, byte for byte\n"
			"  --out DIR          directory to write to (created if missing; files in it\n"
			"                     are replaced)\n"
			"  --areas FILE       real area list (code,level,name_th,name_en,parent_code, as\n"
			"                     ../shared/data/thai_areas.csv): use the province's real\n"
			"                     districts and tambons; without it they are invented\n"
			"  -q, --quiet        no progress or summary on stderr\n"
			"  -h, --help         show this help, then exit\n\n"
			"Files written to DIR (UTF-8):\n"
			"  areas.csv          the province, its districts, tambons and generated villages\n"
			"  households.csv     one row per household (formats.md)\n"
			"  members.csv        one row per member (formats.md)\n"
			"  registry.csv       house registry extract (ท.ร.14), '|'-delimited\n\n"
			"Load them with: bmn load DIR/areas.csv, then bmn load DIR/households.csv\n"
			"DIR/members.csv, then bmn load DIR/registry.csv.\n\n"
			"A few households per thousand carry deliberate oddities for the committees'\n"
			"checks to find: a head under 15, zero or very high income, an invalid or\n"
			"duplicated national ID, no consent, a short interview, a far GPS position,\n"
			"a collector with too many households in a day, registry mismatches.\n");
}

static int
parse_options(int argc, char **argv, gen_options *o)
{
	static const struct option longopts[] = {
		{"province", required_argument, NULL, 'p'},
		{"households", required_argument, NULL, 'n'},
		{"year", required_argument, NULL, 'y'},
		{"seed", required_argument, NULL, 's'},
		{"out", required_argument, NULL, 'o'},
		{"areas", required_argument, NULL, 'a'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	int			c;
	long		v;

	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->households = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1)
	{
		switch (c)
		{
			case 'p':
				o->province = optarg;
				if (strlen(optarg) != 2 || optarg[0] < '1' || optarg[0] > '9' ||
					optarg[1] < '0' || optarg[1] > '9')
				{
					fprintf(stderr, "bmn generate: --province must be a 2-digit province code "
							"such as 55, not \"%s\"\n", optarg);
					return BMN_EXIT_USAGE;
				}
				break;
			case 'n':
				if (!bmn_parse_long(optarg, 1, 100000000, &v))
				{
					fprintf(stderr, "bmn generate: --households must be a number from 1 to "
							"100000000, not \"%s\"\n", optarg);
					return BMN_EXIT_USAGE;
				}
				o->households = v;
				break;
			case 'y':
				if (!bmn_parse_long(optarg, 0, 9999, &v))
				{
					fprintf(stderr, "bmn generate: --year must be a year, not \"%s\"\n", optarg);
					return BMN_EXIT_USAGE;
				}
				if (v < 2400 || v > 2800)
				{
					fprintf(stderr, "bmn generate: --year is a Buddhist Era year (CE + 543): "
							"%ld would be %ld\n", v, v + 543);
					return BMN_EXIT_USAGE;
				}
				o->year = (int) v;
				break;
			case 's':
				{
					char	   *end;

					errno = 0;
					o->seed = strtoull(optarg, &end, 10);
					if (errno || end == optarg || *end != '\0' || optarg[0] == '-')
					{
						fprintf(stderr, "bmn generate: --seed must be a non-negative integer, "
								"not \"%s\"\n", optarg);
						return BMN_EXIT_USAGE;
					}
				}
				break;
			case 'o':
				o->out_dir = optarg;
				break;
			case 'a':
				o->areas_file = optarg;
				break;
			case 'q':
				o->quiet = true;
				break;
			case 'h':
				usage(stdout);
				return -1;
			default:
				fprintf(stderr, "Try \"bmn generate --help\".\n");
				return BMN_EXIT_USAGE;
		}
	}
	if (optind < argc)
	{
		fprintf(stderr, "bmn generate: unexpected argument \"%s\"\nTry \"bmn generate --help\".\n",
				argv[optind]);
		return BMN_EXIT_USAGE;
	}
	if (o->province == NULL || o->households < 0 || o->year == 0 || o->out_dir == NULL)
	{
		fprintf(stderr, "bmn generate: --province, --households, --year and --out are required\n"
				"Try \"bmn generate --help\".\n");
		return BMN_EXIT_USAGE;
	}
	return 0;
}

/* mkdir -p */
static bool
make_dir(const char *path)
{
	char	   *p = strdup(path);
	bool		ok = p != NULL;

	for (char *s = p ? p + 1 : NULL; ok && s && *s; s++)
	{
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			ok = false;
		*s = '/';
	}
	if (ok && mkdir(p, 0777) != 0 && errno != EEXIST)
		ok = false;
	if (!ok)
		fprintf(stderr, "bmn generate: cannot create directory \"%s\": %s\n", path,
				p ? strerror(errno) : "out of memory");
	free(p);
	return ok;
}

/* ---- areas.csv ------------------------------------------------------------------- */

static void
area_row(gen_out *o, const char *code, const char *th, const char *en, const char *level,
		 const char *parent)
{
	gen_out_str(o, code);
	gen_out_char(o, ',');
	gen_out_csv_field(o, th, ',');
	gen_out_char(o, ',');
	gen_out_csv_field(o, en, ',');
	gen_out_char(o, ',');
	gen_out_str(o, level);
	gen_out_char(o, ',');
	gen_out_str(o, parent);
	gen_out_char(o, '\n');
}

static bool
write_areas(gen_state *st)
{
	gen_plan   *p = &st->plan;
	gen_out		o;

	if (!gen_out_open(&o, st->opt.out_dir, "areas.csv"))
		return false;
	gen_out_str(&o, "code,name_th,name_en,level,parent_code\n");
	area_row(&o, p->province, p->name_th, p->name_en, "province", "");
	for (int d = 0, t = 0; d < p->n_districts; d++)
	{
		area_row(&o, p->districts[d].code, p->districts[d].name_th, p->districts[d].name_en,
				 "district", p->province);
		for (; t < p->n_tambons && p->tambons[t].district == d; t++)
		{
			gen_tambon *tb = &p->tambons[t];

			area_row(&o, tb->code, tb->name_th, tb->name_en, "tambon", p->districts[d].code);
			for (int v = 0; v < tb->n_villages; v++)
			{
				gen_village *vg = &p->villages[tb->first_village + v];

				area_row(&o, vg->code, vg->name_th, vg->name_en, "village", tb->code);
			}
		}
	}
	return gen_out_close(&o);
}

/* ---- headers ---------------------------------------------------------------------- */

static void
ind_header(gen_out *o, int n)
{
	for (int k = 1; k <= n; k++)
	{
		gen_out_str(o, ",ind_");
		gen_out_padded(o, k, 2);
	}
	gen_out_char(o, '\n');
}

static void
write_headers(gen_state *st)
{
	gen_out_str(&st->hh, "household_id,survey_year,village_code,village_name,lao_code,lao_name,"
				"house_code,house_no,latitude,longitude,collector_id,interview_date,"
				"interview_start,interview_end,consent,income_main,income_secondary,"
				"income_other,income_own_production,expense_production,expense_consumption,"
				"expense_unnecessary,expense_debt");
	ind_header(&st->hh, st->n_indicators);
	gen_out_str(&st->mem, "household_id,member_no,national_id,title,first_name,last_name,sex,"
				"birth_date,relation,nationality,education,in_school,literate,occupation,"
				"income,health_status,self_care,welfare_card");
	ind_header(&st->mem, st->n_indicators);
	gen_out_str(&st->reg, "house_code|house_no|village_code|house_type|national_id|title|"
				"first_name|last_name|sex|birth_date|nationality|status|move_in_date\n");
}

/* ---- one household ----------------------------------------------------------------- */

static void
put_date(gen_out *o, gen_date d, bool day_unknown, bool month_unknown)
{
	char		buf[11];

	gen_format_date_be(buf, d, day_unknown, month_unknown);
	gen_out_mem(o, buf, 10);
}

static void
put_datetime(gen_out *o, int day, int minute)
{
	put_date(o, gen_civil_from_days(day + minute / 1440), false, false);
	minute %= 1440;
	gen_out_char(o, ' ');
	gen_out_padded(o, minute / 60, 2);
	gen_out_char(o, ':');
	gen_out_padded(o, minute % 60, 2);
}

static void
put_opt_int(gen_out *o, int v)
{
	if (v >= 0)
		gen_out_long(o, v);
}

static void
put_answers(gen_out *o, const signed char *ind, int n)
{
	for (int k = 1; k <= n; k++)
	{
		gen_out_char(o, ',');
		if (ind[k] >= 0)
			gen_out_char(o, (char) ('0' + ind[k]));
	}
	gen_out_char(o, '\n');
}

/*
 * National ID of a member: its category digit follows birth year and status, its
 * office is mostly the household's district. Some have none; a few carry oddities.
 */
static void
assign_national_id(gen_state *st, gen_rng *r, gen_member *m, const gen_district *home)
{
	gen_plan   *p = &st->plan;
	bool		thai = strcmp(m->nationality, "TH") == 0;
	int			category;
	gen_district *office = (gen_district *) home;

	m->national_id[0] = '\0';
	if (thai ? gen_rng_permille(r, m->age == 0 ? 60 : 12) : gen_rng_permille(r, 450))
		return;
	if (thai)
	{
		if (m->birth.year >= 1984)
			category = gen_rng_permille(r, 950) ? 1 : 2;
		else
		{
			static const int cats[] = {3, 4, 5, 8};
			static const int w[] = {930, 40, 20, 10};

			category = cats[gen_rng_weighted(r, w, 4)];
		}
		if (p->n_districts > 1 && gen_rng_permille(r, 200))
			office = &p->districts[gen_rng_below(r, (uint32_t) p->n_districts)];
	}
	else
		category = gen_rng_permille(r, 300) ? 0 : m->age < 18 ? 7 : 6;

	gen_thai_id(m->national_id, category, office->code, office->person_serial++,
				st->id_scramble);
	if (category == 0)
	{
		/* Without registration status: the check digit is not kept. */
		m->national_id[12] = (char) ('0' + gen_rng_below(r, 10));
	}
	else if (gen_rng_per100k(r, ODD_ID_BAD_CHECK))
		m->national_id[12] = (char) ('0' + (m->national_id[12] - '0' + gen_rng_range(r, 1, 9)) % 10);
	else if (st->n_prev_ids > 0 && gen_rng_per100k(r, ODD_ID_DUPLICATE))
		memcpy(m->national_id, st->prev_ids[gen_rng_below(r, (uint32_t) st->n_prev_ids)], 14);
}

static void
write_member(gen_state *st, const char *hid, int no, const gen_member *m)
{
	gen_out    *o = &st->mem;

	gen_out_str(o, hid);
	gen_out_char(o, ',');
	gen_out_long(o, no);
	gen_out_char(o, ',');
	gen_out_str(o, m->national_id);
	gen_out_char(o, ',');
	gen_out_str(o, m->title);
	gen_out_char(o, ',');
	gen_out_str(o, m->first_name);
	gen_out_char(o, ',');
	gen_out_str(o, m->last_name);
	gen_out_char(o, ',');
	gen_out_long(o, m->sex);
	gen_out_char(o, ',');
	put_date(o, m->birth, m->day_unknown, m->month_unknown);
	gen_out_char(o, ',');
	gen_out_long(o, m->relation);
	gen_out_char(o, ',');
	gen_out_str(o, m->nationality);
	gen_out_char(o, ',');
	gen_out_long(o, m->education);
	gen_out_char(o, ',');
	gen_out_long(o, m->in_school);
	gen_out_char(o, ',');
	put_opt_int(o, m->literate);
	gen_out_char(o, ',');
	gen_out_long(o, m->occupation);
	gen_out_char(o, ',');
	gen_out_long(o, m->income);
	gen_out_char(o, ',');
	gen_out_long(o, m->health_status);
	gen_out_char(o, ',');
	put_opt_int(o, m->self_care);
	gen_out_char(o, ',');
	gen_out_long(o, m->welfare_card);
	put_answers(o, m->ind, st->n_indicators);
}

static void
registry_row(gen_state *st, const char *house_dashed, const char *house_no,
			 const char *village, const char *house_type, const gen_member *m,
			 int sex, int birth_year_shift, bool householder, int move_in_day)
{
	gen_out    *o = &st->reg;

	gen_out_str(o, house_dashed);
	gen_out_char(o, '|');
	gen_out_str(o, house_no);
	gen_out_char(o, '|');
	gen_out_str(o, village);
	gen_out_char(o, '|');
	gen_out_str(o, house_type);
	gen_out_char(o, '|');
	if (m != NULL)
	{
		gen_date	b = m->birth;

		b.year += birth_year_shift;
		gen_out_str(o, m->national_id);
		gen_out_char(o, '|');
		gen_out_str(o, m->title);
		gen_out_char(o, '|');
		gen_out_str(o, m->first_name);
		gen_out_char(o, '|');
		gen_out_str(o, m->last_name);
		gen_out_char(o, '|');
		gen_out_long(o, sex);
		gen_out_char(o, '|');
		put_date(o, b, m->day_unknown, m->month_unknown);
		gen_out_char(o, '|');
		gen_out_str(o, m->nationality);
		gen_out_char(o, '|');
		gen_out_str(o, householder ? "เจ้าบ้าน" : "ผู้อาศัย");
		gen_out_char(o, '|');
		put_date(o, gen_civil_from_days(move_in_day), false, false);
	}
	else
		gen_out_str(o, "||||||||");
	gen_out_char(o, '\n');
	st->n_registry_rows++;
}

/* When a registered person moved in: at birth for the young and many others. */
static int
move_in_day(gen_rng *r, const gen_member *m, int interview_day)
{
	int			born = gen_days_from_civil(m->birth.year, m->birth.month, m->birth.day);

	if (m->age < 18 || gen_rng_permille(r, 450))
		return born;
	return interview_day - gen_rng_range(r, 30, (m->age - 17) * 365);
}

static const char *
house_type(gen_rng *r)
{
	static const char *const types[] = {"บ้าน", "ห้องแถว", "ตึกแถว"};
	static const int w[] = {930, 40, 30};

	return types[gen_rng_weighted(r, w, 3)];
}

/*
 * The registry rows of a surveyed house: most members (with mismatches now and then),
 * plus people registered there who live elsewhere.
 */
static void
write_registry_house(gen_state *st, gen_rng *r, const gen_household *h, const char *code11,
					 const char *house_no, const gen_village *vg, gen_district *dist,
					 int interview_day)
{
	char		dashed[14];
	const char *village = vg->code;
	const char *type = house_type(r);
	bool		householder_done = false;
	gen_plan   *p = &st->plan;
	gen_tambon *t = &p->tambons[vg->tambon];

	gen_house_code_dashed(dashed, code11);
	if (t->n_villages > 1 && gen_rng_per100k(r, ODD_REG_VILLAGE))
	{
		int			other = t->first_village + (int) gen_rng_below(r, (uint32_t) t->n_villages);

		village = p->villages[other].code;
	}
	for (int i = 0; i < h->n; i++)
	{
		const gen_member *m = &h->m[i];
		bool		thai = strcmp(m->nationality, "TH") == 0;
		int			sex = m->sex;
		int			shift = 0;

		if (!gen_rng_permille(r, !thai ? 200 : m->national_id[0] == '\0' ? 500 :
							  m->relation == REL_HEAD ? 975 : 950))
			continue;
		if (gen_rng_per100k(r, ODD_REG_BIRTH_YEAR))
			shift = gen_rng_permille(r, 500) ? gen_rng_range(r, 1, 3) : -gen_rng_range(r, 1, 3);
		if (gen_rng_per100k(r, ODD_REG_SEX))
			sex = 3 - sex;
		registry_row(st, dashed, house_no, village, type, m, sex, shift,
					 !householder_done && m->age >= 15, move_in_day(r, m, interview_day));
		if (m->age >= 15)
			householder_done = true;
	}

	/* Registered here, living elsewhere (in Bangkok, abroad): not surveyed. */
	int			away = gen_rng_permille(r, 280) ? (gen_rng_permille(r, 250) ? 2 : 1) : 0;

	for (int i = 0; i < away; i++)
	{
		gen_member	m = h->m[0];
		gen_date	on = gen_civil_from_days(interview_day);

		memcpy(m.nationality, "TH", 3);
		m.sex = gen_rng_below(r, 2) ? 2 : 1;
		m.age = gen_rng_range(r, 18, 45);
		m.day_unknown = m.month_unknown = false;
		m.birth = gen_birth_for_age(m.age, on, gen_rng_unit(r), false, false);
		m.first_name = gen_first_name(r, m.sex, m.birth.year + GEN_BE_OFFSET, "TH");
		m.title = gen_title(m.sex, m.age, false);
		gen_thai_id(m.national_id, m.birth.year >= 1984 ? 1 : 3, dist->code,
					dist->person_serial++, st->id_scramble);
		registry_row(st, dashed, house_no, village, type, &m, m.sex, 0, !householder_done,
					 move_in_day(r, &m, interview_day));
		householder_done = true;
	}
}

/* A registered house nobody was surveyed in: vacant, or its people live elsewhere. */
static void
write_registry_only_house(gen_state *st, gen_rng *r, const gen_village *vg, gen_district *dist,
						  const char *house_no, int interview_day)
{
	char		code11[12],
				dashed[14];
	const char *type = house_type(r);

	gen_house_code(code11, dist->code, ++dist->house_serial);
	gen_house_code_dashed(dashed, code11);
	if (gen_rng_permille(r, 400))
	{
		registry_row(st, dashed, house_no, vg->code, type, NULL, 0, 0, false, 0);
		return;
	}

	int			n = gen_rng_range(r, 1, 3);
	char		family[GEN_NAME_MAX];
	gen_date	on = gen_civil_from_days(interview_day);

	gen_last_name(r, "TH", family);
	for (int i = 0; i < n; i++)
	{
		gen_member	m;

		memset(&m, 0, sizeof m);
		memcpy(m.nationality, "TH", 3);
		memcpy(m.last_name, family, sizeof family);
		m.sex = gen_rng_below(r, 2) ? 2 : 1;
		m.age = i == 0 ? gen_rng_range(r, 30, 85) : gen_rng_range(r, 5, 60);
		m.birth = gen_birth_for_age(m.age, on, gen_rng_unit(r), false, false);
		m.first_name = gen_first_name(r, m.sex, m.birth.year + GEN_BE_OFFSET, "TH");
		m.title = gen_title(m.sex, m.age, i == 0 && m.age >= 30);
		gen_thai_id(m.national_id, m.birth.year >= 1984 ? 1 : 3, dist->code,
					dist->person_serial++, st->id_scramble);
		registry_row(st, dashed, house_no, vg->code, type, &m, m.sex, 0, i == 0,
					 move_in_day(r, &m, interview_day));
	}
}

/* Moves the collector to the next household's slot: day, start and end minute. */
static void
collector_next(gen_rng *r, gen_collector *c, int *day, int *start, int *end)
{
	if (c->done >= c->quota || c->minute > 20 * 60)
	{
		c->day += 1 + (gen_rng_permille(r, 400) ? gen_rng_range(r, 1, 3) : 0);
		c->done = 0;
		c->quota = gen_rng_range(r, 3, 8);
		c->minute = 8 * 60 + 30 + gen_rng_range(r, 0, 60);
	}
	*day = c->day;
	*start = c->minute;
	if (gen_rng_per100k(r, ODD_SHORT_INTERVIEW))
		*end = *start + gen_rng_range(r, 2, 4);
	else
		*end = *start + (c->rush ? gen_rng_range(r, 8, 12) : gen_rng_range(r, 12, 45));
	c->minute = *end + (c->rush ? gen_rng_range(r, 0, 3) : gen_rng_range(r, 5, 40));
	c->done++;
}

static void
collector_start(gen_state *st, gen_rng *r, gen_collector *c, gen_district *dist,
				const gen_village *vg, int households)
{
	snprintf(c->id, sizeof c->id, "V%s-%04u", dist->code, ++dist->collector_serial);
	c->day = st->round_start + gen_rng_range(r, 0, 24);
	c->done = 0;
	c->quota = gen_rng_range(r, 3, 8);
	c->rush = households > 20 && gen_rng_per100k(r, ODD_COLLECTOR_RUSH);
	if (c->rush)
		c->quota = households;
	c->minute = 8 * 60 + 30 + gen_rng_range(r, 0, 60);
	c->same_spot = gen_rng_per100k(r, ODD_COLLECTOR_SAME_SPOT);
	c->lat = vg->lat + 0.003 * gen_rng_normal(r);
	c->lon = vg->lon + 0.003 * gen_rng_normal(r);
	st->n_collectors++;
}

static void
write_household(gen_state *st, gen_rng *r, const gen_village *vg, gen_district *dist,
				gen_collector *c, int seq, int *house_counter)
{
	gen_plan   *p = &st->plan;
	gen_tambon *t = &p->tambons[vg->tambon];
	gen_household h;
	gen_household_spec spec;
	char		hid[32],
				code11[12] = "",
				house_no[24] = "";
	int			day,
				start,
				end;
	gen_out    *o = &st->hh;
	bool		registered;

	collector_next(r, c, &day, &start, &end);

	memset(&spec, 0, sizeof spec);
	spec.interview = gen_civil_from_days(day);
	spec.n_indicators = st->n_indicators;
	spec.province = atoi(p->province);
	{
		int			u = (int) gen_rng_below(r, 100000);

		spec.head_under_15 = u < ODD_HEAD_UNDER_15;
		u -= ODD_HEAD_UNDER_15;
		spec.zero_income = u >= 0 && u < ODD_ZERO_INCOME;
		u -= ODD_ZERO_INCOME;
		spec.high_income = u >= 0 && u < ODD_HIGH_INCOME;
		u -= ODD_HIGH_INCOME;
		spec.migrant = u >= 0 && u < ODD_MIGRANT;
	}
	gen_household_make(r, &spec, &h);

	for (int i = 0; i < h.n; i++)
		assign_national_id(st, r, &h.m[i], dist);

	snprintf(hid, sizeof hid, "%s-%04d", vg->code, seq);
	*house_counter += 1 + (gen_rng_permille(r, 300) ? gen_rng_range(r, 1, 5) : 0);
	if (gen_rng_permille(r, 960))
	{
		gen_house_code(code11, dist->code, ++dist->house_serial);
		if (gen_rng_permille(r, 150))
			snprintf(house_no, sizeof house_no, "%d/%d", *house_counter, gen_rng_range(r, 1, 9));
		else
			snprintf(house_no, sizeof house_no, "%d", *house_counter);
	}
	/* Houses with a number are in the registry, but for a few missing ones. */
	registered = code11[0] && !gen_rng_per100k(r, ODD_REG_HOUSE_MISSING);

	/* households.csv */
	gen_out_str(o, hid);
	gen_out_char(o, ',');
	gen_out_long(o, st->opt.year);
	gen_out_char(o, ',');
	gen_out_str(o, vg->code);
	gen_out_char(o, ',');
	gen_out_csv_field(o, vg->name_th, ',');
	gen_out_char(o, ',');
	gen_out_str(o, t->lao_code[vg->lao]);
	gen_out_char(o, ',');
	gen_out_csv_field(o, t->lao_name[vg->lao], ',');
	gen_out_char(o, ',');
	gen_out_str(o, code11);
	gen_out_char(o, ',');
	gen_out_str(o, house_no);
	gen_out_char(o, ',');
	if (gen_rng_permille(r, 970))
	{
		double		lat,
					lon;

		if (c->same_spot)
		{
			lat = c->lat + 0.00001 * gen_rng_normal(r);
			lon = c->lon + 0.00001 * gen_rng_normal(r);
		}
		else
		{
			lat = vg->lat + 0.004 * gen_rng_normal(r);
			lon = vg->lon + 0.004 * gen_rng_normal(r);
		}
		if (gen_rng_per100k(r, ODD_GPS_FAR))
			lat += lat > 13 ? -1.2 : 1.2;
		gen_out_micro(o, (long long) (lat * 1e6 + 0.5));
		gen_out_char(o, ',');
		gen_out_micro(o, (long long) (lon * 1e6 + 0.5));
	}
	else
		gen_out_char(o, ',');
	gen_out_char(o, ',');
	gen_out_str(o, c->id);
	gen_out_char(o, ',');
	put_date(o, spec.interview, false, false);
	gen_out_char(o, ',');
	put_datetime(o, day, start);
	gen_out_char(o, ',');
	put_datetime(o, day, end);
	gen_out_char(o, ',');
	gen_out_char(o, gen_rng_per100k(r, ODD_NO_CONSENT) ? '0' : '1');
	gen_out_char(o, ',');
	gen_out_long(o, h.income_main);
	gen_out_char(o, ',');
	gen_out_long(o, h.income_secondary);
	gen_out_char(o, ',');
	gen_out_long(o, h.income_other);
	gen_out_char(o, ',');
	gen_out_long(o, h.income_own_production);
	gen_out_char(o, ',');
	gen_out_long(o, h.expense_production);
	gen_out_char(o, ',');
	gen_out_long(o, h.expense_consumption);
	gen_out_char(o, ',');
	gen_out_long(o, h.expense_unnecessary);
	gen_out_char(o, ',');
	gen_out_long(o, h.expense_debt);
	put_answers(o, h.ind, st->n_indicators);

	/* members.csv */
	for (int i = 0; i < h.n; i++)
		write_member(st, hid, i + 1, &h.m[i]);
	st->n_members += h.n;

	/* registry.csv */
	if (registered)
		write_registry_house(st, r, &h, code11, house_no, vg, dist, day);
	if (gen_rng_permille(r, 50))
	{
		char		other_no[24];

		*house_counter += 1;
		snprintf(other_no, sizeof other_no, "%d", *house_counter);
		write_registry_only_house(st, r, vg, dist, other_no, day);
	}

	/* Remembered for the duplicate-ID oddity of the next household. */
	st->n_prev_ids = 0;
	for (int i = 0; i < h.n; i++)
		if (h.m[i].national_id[0] >= '1' && h.m[i].national_id[0] <= '5')
			memcpy(st->prev_ids[st->n_prev_ids++], h.m[i].national_id, 14);
}

static double
elapsed_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double) (t1.tv_sec - t0->tv_sec) + (double) (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int
cmd_generate(int argc, char **argv)
{
	gen_state  *st;
	char		err[512];
	int			rc;
	long		done = 0;
	bool		progress;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	st = calloc(1, sizeof *st);
	if (st == NULL)
	{
		fprintf(stderr, "bmn generate: out of memory\n");
		return BMN_EXIT_ERROR;
	}
	rc = parse_options(argc, argv, &st->opt);
	if (rc != 0)
	{
		free(st);
		return rc < 0 ? BMN_EXIT_OK : rc;
	}
	progress = !st->opt.quiet && isatty(STDERR_FILENO);
	st->n_indicators = st->opt.year >= 2566 ? 38 : 31;
	if (!st->opt.quiet && (st->opt.year < 2560 || st->opt.year == 2565 || st->opt.year > 2570))
		fprintf(stderr, "bmn generate: note: no indicator set covers %d; writing the %d "
				"answers of the %s set\n", st->opt.year, st->n_indicators,
				st->n_indicators == 38 ? "2023-2027" : "2017-2021");
	/* Collection starts in January of the survey year. */
	st->round_start = gen_days_from_civil(st->opt.year - GEN_BE_OFFSET, 1, 10);
	st->id_scramble = (uint32_t) (gen_mix64(st->opt.seed ^ RNG_SCRAMBLE) % 10000000);

	if (gen_plan_build(&st->plan, st->opt.province, st->opt.households, st->opt.seed,
					   st->opt.areas_file, err, sizeof err) < 0)
	{
		fprintf(stderr, "bmn generate: %s\n", err);
		free(st);
		return BMN_EXIT_ERROR;
	}
	if (!make_dir(st->opt.out_dir) || !write_areas(st) ||
		!gen_out_open(&st->hh, st->opt.out_dir, "households.csv") ||
		!gen_out_open(&st->mem, st->opt.out_dir, "members.csv") ||
		!gen_out_open(&st->reg, st->opt.out_dir, "registry.csv"))
	{
		gen_out_close(&st->hh);
		gen_out_close(&st->mem);
		gen_out_close(&st->reg);
		gen_plan_free(&st->plan);
		free(st);
		return BMN_EXIT_ERROR;
	}
	write_headers(st);

	for (int v = 0; v < st->plan.n_villages; v++)
	{
		gen_village *vg = &st->plan.villages[v];
		gen_district *dist = &st->plan.districts[st->plan.tambons[vg->tambon].district];
		int			n = vg->households;
		/* About one volunteer per 40 households (003_*.txt). */
		int			n_coll = (n + 20) / 40 > 0 ? (n + 20) / 40 : 1;
		int			current = -1;
		int			house_counter;
		gen_collector c;
		gen_rng		vr;

		gen_rng_init(&vr, st->opt.seed, RNG_VILLAGE, (uint64_t) v);
		house_counter = gen_rng_range(&vr, 0, 20);
		for (int i = 0; i < n; i++)
		{
			gen_rng		hr;

			if (i * n_coll / n != current)
			{
				current = i * n_coll / n;
				int			size = (current + 1) * n / n_coll - current * n / n_coll;

				collector_start(st, &vr, &c, dist, vg, size);
			}
			gen_rng_init(&hr, st->opt.seed, RNG_HOUSEHOLD, (uint64_t) done);
			write_household(st, &hr, vg, dist, &c, i + 1, &house_counter);
			done++;
			if (progress && done % 100000 == 0)
				fprintf(stderr, "\rbmn generate: %ld of %ld households (%ld%%)", done,
						st->opt.households, done * 100 / st->opt.households);
		}
	}
	if (progress && done >= 100000)
		fprintf(stderr, "\r%60s\r", "");

	bool		ok = gen_out_close(&st->hh);

	ok = gen_out_close(&st->mem) && ok;
	ok = gen_out_close(&st->reg) && ok;
	if (ok && !st->opt.quiet)
		fprintf(stderr, "bmn generate: province %s %s (%s), year %d: %ld households, %ld members, "
				"%d villages, %ld collectors, %ld registry rows in %s (%.1f s)\n",
				st->plan.province, st->plan.name_th, st->plan.name_en, st->opt.year, done,
				st->n_members, st->plan.n_villages, st->n_collectors, st->n_registry_rows,
				st->opt.out_dir, elapsed_since(&t0));
	gen_plan_free(&st->plan);
	free(st);
	return ok ? BMN_EXIT_OK : BMN_EXIT_ERROR;
}
