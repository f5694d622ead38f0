/*
 * generate_areas.c: the area plan of `bmn generate`.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "generate_areas.h"

/* Stream purposes of the plan (see gen_rng_init). */
enum
{
	RNG_SIZES = 1, RNG_SPREAD, RNG_NAMES
};

int
gen_village_size(gen_rng *r)
{
	int			u = (int) gen_rng_below(r, 1000);

	if (u < 30)
		return gen_rng_range(r, 6, 19);
	if (u < 120)
		return gen_rng_range(r, 20, 39);
	if (u < 930)
	{
		int			s = (int) gen_rng_lognormal(r, 115.0, 0.42);

		return s < 40 ? 40 + gen_rng_range(r, 0, 30) : s > 250 ? 250 - gen_rng_range(r, 0, 40) : s;
	}
	return gen_rng_range(r, 251, 420);
}

int *
gen_village_sizes(gen_rng *r, long households, int *n)
{
	int			cap = 16,
				count = 0;
	int		   *sizes = malloc(sizeof(int) * (size_t) cap);
	long		left = households;

	while (sizes != NULL && left > 0)
	{
		int			s = gen_village_size(r);

		if (s >= left)
			s = (int) left;
		if (s < 20 && s == left && count > 0 && s < gen_rng_range(r, 0, 19))
		{
			/* A remainder joins the last village, mostly, rather than always being small. */
			sizes[count - 1] += s;
			break;
		}
		if (count == cap)
		{
			int		   *more = realloc(sizes, sizeof(int) * (size_t) (cap *= 2));

			if (more == NULL)
			{
				free(sizes);
				return NULL;
			}
			sizes = more;
		}
		sizes[count++] = s;
		left -= s;
	}
	*n = count;
	return sizes;
}

int
gen_csv_record(const char **pos, const char *end, char *scratch, char **fields, int max)
{
	const char *p = *pos;
	char	   *out = scratch;
	int			n = 0;

	if (p >= end)
		return -1;
	for (;;)
	{
		char	   *start = out;

		if (p < end && *p == '"')
		{
			p++;
			while (p < end)
			{
				if (*p == '"')
				{
					if (p + 1 < end && p[1] == '"')
					{
						*out++ = '"';
						p += 2;
						continue;
					}
					p++;
					break;
				}
				*out++ = *p++;
			}
		}
		/* Unquoted text, or what follows a closing quote, up to the delimiter. */
		while (p < end && *p != ',' && *p != '\n' && *p != '\r')
			*out++ = *p++;
		*out++ = '\0';
		if (n < max)
			fields[n++] = start;
		if (p < end && *p == ',')
		{
			p++;
			continue;
		}
		if (p < end && *p == '\r')
			p++;
		if (p < end && *p == '\n')
			p++;
		break;
	}
	*pos = p;
	return n;
}

/* code = parent code + 2-digit number (1..99). */
static void
code_child(char *code, const char *parent, int number)
{
	size_t		n = strlen(parent);

	memcpy(code, parent, n);
	code[n] = (char) ('0' + number / 10 % 10);
	code[n + 1] = (char) ('0' + number % 10);
	code[n + 2] = '\0';
}

/* A deterministic offset in [-1, 1) from a code: centres depend on the code only. */
static double
code_offset(const char *code, int axis)
{
	uint64_t	h = 1469598103934665603ULL;

	for (const char *c = code; *c; c++)
		h = (h ^ (unsigned char) *c) * 1099511628211ULL;
	h = gen_mix64(h + (uint64_t) axis);
	return (double) (h >> 11) / 4503599627370496.0 - 1.0;
}

static void
place_centre(const char *code, double base_lat, double base_lon, double spread,
			 double *lat, double *lon)
{
	*lat = base_lat + spread * code_offset(code, 1);
	*lon = base_lon + spread * code_offset(code, 2);
	/* Stay inside Thailand's bounding box. */
	if (*lat < 5.8)
		*lat = 5.8;
	if (*lat > 20.3)
		*lat = 20.3;
	if (*lon < 97.5)
		*lon = 97.5;
	if (*lon > 105.5)
		*lon = 105.5;
}

static char *
dup_or_die(const char *s, int *failed)
{
	char	   *d = strdup(s ? s : "");

	if (d == NULL)
		*failed = 1;
	return d;
}

static int
all_digits(const char *s, size_t len)
{
	if (strlen(s) != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char) s[i]))
			return 0;
	return 1;
}

static void *
grow(void *arr, int count, int *cap, size_t elem)
{
	if (count < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : 64;
	return realloc(arr, elem * (size_t) *cap);
}

/* Reads the districts and tambons of p->province from an area list. */
static int
read_area_file(gen_plan *p, const char *path, char *err, size_t errlen)
{
	FILE	   *f = fopen(path, "rb");
	char	   *buf = NULL,
			   *scratch = NULL;
	long		size;
	int			rc = -1,
				failed = 0;
	int			cap_d = 0,
				cap_t = 0;
	int			col_code = -1,
				col_th = -1,
				col_en = -1;
	char	   *fields[32];
	const char *pos,
			   *end;
	long		line = 1;

	if (f == NULL)
	{
		snprintf(err, errlen, "cannot open area list \"%s\": %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
	{
		snprintf(err, errlen, "cannot read area list \"%s\"", path);
		fclose(f);
		return -1;
	}
	buf = malloc((size_t) size + 1);
	scratch = malloc((size_t) size + 64);
	if (buf == NULL || scratch == NULL || fread(buf, 1, (size_t) size, f) != (size_t) size)
	{
		snprintf(err, errlen, "cannot read area list \"%s\"", path);
		goto done;
	}
	pos = buf;
	end = buf + size;
	if (size >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		pos += 3;

	int			nf = gen_csv_record(&pos, end, scratch, fields, 32);

	for (int i = 0; i < nf; i++)
	{
		if (strcasecmp(fields[i], "code") == 0 || strcasecmp(fields[i], "area_code") == 0)
			col_code = i;
		else if (strcasecmp(fields[i], "name_th") == 0)
			col_th = i;
		else if (strcasecmp(fields[i], "name_en") == 0)
			col_en = i;
	}
	if (col_code < 0 || col_th < 0)
	{
		snprintf(err, errlen, "%s:1: the header needs the columns code and name_th "
				 "(as ../shared/data/thai_areas.csv: code,level,name_th,name_en,parent_code)",
				 path);
		goto done;
	}
	while ((nf = gen_csv_record(&pos, end, scratch, fields, 32)) >= 0)
	{
		const char *code,
				   *th,
				   *en;

		line++;
		if (nf <= col_code || nf <= col_th)
			continue;
		code = fields[col_code];
		th = fields[col_th];
		en = col_en >= 0 && nf > col_en ? fields[col_en] : "";
		if (strncmp(code, p->province, 2) != 0)
			continue;
		if (all_digits(code, 2))
		{
			free(p->name_th);
			free(p->name_en);
			p->name_th = dup_or_die(th, &failed);
			p->name_en = dup_or_die(en, &failed);
		}
		else if (all_digits(code, 4))
		{
			gen_district *d;

			p->districts = grow(p->districts, p->n_districts, &cap_d, sizeof *d);
			if (p->districts == NULL)
			{
				failed = 1;
				break;
			}
			d = &p->districts[p->n_districts++];
			memset(d, 0, sizeof *d);
			memcpy(d->code, code, 5);
			d->name_th = dup_or_die(th, &failed);
			d->name_en = dup_or_die(en, &failed);
		}
		else if (all_digits(code, 6))
		{
			gen_tambon *t;

			p->tambons = grow(p->tambons, p->n_tambons, &cap_t, sizeof *t);
			if (p->tambons == NULL)
			{
				failed = 1;
				break;
			}
			t = &p->tambons[p->n_tambons++];
			memset(t, 0, sizeof *t);
			memcpy(t->code, code, 7);
			t->name_th = dup_or_die(th, &failed);
			t->name_en = dup_or_die(en, &failed);
			t->district = -1;
		}
	}
	if (failed)
	{
		snprintf(err, errlen, "out of memory reading \"%s\"", path);
		goto done;
	}
	if (p->name_th == NULL)
	{
		snprintf(err, errlen, "province %s is not in the area list \"%s\"", p->province, path);
		goto done;
	}
	rc = 0;
done:
	free(buf);
	free(scratch);
	fclose(f);
	return rc;
}

static int
cmp_district(const void *a, const void *b)
{
	return strcmp(((const gen_district *) a)->code, ((const gen_district *) b)->code);
}

static int
cmp_tambon(const void *a, const void *b)
{
	return strcmp(((const gen_tambon *) a)->code, ((const gen_tambon *) b)->code);
}

/* Links tambons to their districts; drops tambons whose district is not listed. */
static void
link_tambons(gen_plan *p)
{
	int			kept = 0,
				d = 0;

	qsort(p->districts, (size_t) p->n_districts, sizeof *p->districts, cmp_district);
	qsort(p->tambons, (size_t) p->n_tambons, sizeof *p->tambons, cmp_tambon);
	for (int i = 0; i < p->n_tambons; i++)
	{
		gen_tambon *t = &p->tambons[i];

		while (d < p->n_districts && strncmp(p->districts[d].code, t->code, 4) < 0)
			d++;
		if (d < p->n_districts && strncmp(p->districts[d].code, t->code, 4) == 0)
		{
			t->district = d;
			p->tambons[kept++] = *t;
		}
		else
		{
			free(t->name_th);
			free(t->name_en);
		}
	}
	p->n_tambons = kept;
}

/* Invented districts and tambons for n_villages villages. */
static int
synthesise_areas(gen_plan *p, int n_villages, gen_rng *r)
{
	int			failed = 0;
	int			t = (n_villages + 7) / 8;
	char		th[GEN_NAME_MAX],
				en[GEN_NAME_MAX];

	if (t < (n_villages < 12 ? n_villages : 12))
		t = n_villages < 12 ? n_villages : 12;
	if (t > 98 * 98)
		t = 98 * 98;

	int			d = (t + 6) / 7;

	if (d < (t < 3 ? t : 3))
		d = t < 3 ? t : 3;
	if (d > 98)
		d = 98;
	if (t < 1)
		t = d = 1;

	p->districts = calloc((size_t) d, sizeof *p->districts);
	p->tambons = calloc((size_t) t, sizeof *p->tambons);
	if (p->districts == NULL || p->tambons == NULL)
		return -1;
	p->n_districts = d;
	p->n_tambons = t;
	for (int i = 0, k = 0; i < d; i++)
	{
		gen_district *dist = &p->districts[i];
		int			nt = t / d + (i < t % d);

		code_child(dist->code, p->province, i + 1);
		gen_place_name(r, false, th, en);
		dist->name_th = dup_or_die(th, &failed);
		dist->name_en = dup_or_die(en, &failed);
		for (int j = 0; j < nt; j++, k++)
		{
			gen_tambon *tb = &p->tambons[k];

			code_child(tb->code, dist->code, j + 1);
			/* The first tambon carries the district's name, as the real ones often do. */
			if (j > 0)
				gen_place_name(r, false, th, en);
			tb->name_th = dup_or_die(th, &failed);
			tb->name_en = dup_or_die(en, &failed);
			tb->district = i;
		}
	}
	if (p->name_th == NULL)
	{
		const gen_province_info *info = gen_province_lookup(p->province);

		if (info != NULL)
		{
			p->name_th = dup_or_die(info->name_th, &failed);
			p->name_en = dup_or_die(info->name_en, &failed);
		}
		else
		{
			gen_place_name(r, false, th, en);
			p->name_th = dup_or_die(th, &failed);
			p->name_en = dup_or_die(en, &failed);
		}
	}
	return failed ? -1 : 0;
}

/*
 * Chooses the tambons that get villages, and how many each: every tambon when there
 * are villages enough, else as few as give each about 8, spread over every district
 * first so that district reports are never empty.
 */
static int
spread_villages(gen_plan *p, int n_villages, gen_rng *r, int **counts_out)
{
	int			T = p->n_tambons,
				D = p->n_districts;
	int			want = (n_villages + 7) / 8;
	int			U;
	int		   *order = malloc(sizeof(int) * (size_t) T);
	int		   *counts = calloc((size_t) T, sizeof(int));
	int		   *first = calloc((size_t) D + 1, sizeof(int));
	double	   *cum = NULL;

	if (order == NULL || counts == NULL || first == NULL)
		goto fail;
	if (want < D)
		want = D;
	U = want < T ? want : T;
	if (U > n_villages)
		U = n_villages;

	/* Tambons are sorted by code, so each district's are contiguous. */
	for (int i = T - 1; i >= 0; i--)
		first[p->tambons[i].district] = i;
	for (int i = 0; i < D; i++)
	{
		int			n = 0;

		for (int j = first[i]; j < T && p->tambons[j].district == i; j++)
			n++;
		first[i] = n;			/* reused as the district's tambon count */
	}

	/* Interleave: every district's 1st tambon, then every district's 2nd, ... */
	{
		int			k = 0,
					round = 0,
					start = 0;
		int		   *base = malloc(sizeof(int) * (size_t) D);

		if (base == NULL)
			goto fail;
		for (int i = 0; i < D; i++)
		{
			base[i] = start;
			start += first[i];
		}
		while (k < T)
		{
			for (int i = 0; i < D && k < T; i++)
				if (round < first[i])
					order[k++] = base[i] + round;
			round++;
		}
		free(base);
	}

	/* One village each, the rest drawn by weight, never past 99 in a tambon. */
	cum = malloc(sizeof(double) * (size_t) U);
	if (cum == NULL)
		goto fail;
	for (int i = 0; i < U; i++)
	{
		counts[order[i]] = 1;
		cum[i] = (i ? cum[i - 1] : 0.0) + 0.4 + gen_rng_unit(r);
	}
	for (int v = U; v < n_villages; v++)
	{
		for (;;)
		{
			double		x = gen_rng_unit(r) * cum[U - 1];
			int			lo = 0,
						hi = U - 1;

			while (lo < hi)
			{
				int			mid = (lo + hi) / 2;

				if (cum[mid] > x)
					hi = mid;
				else
					lo = mid + 1;
			}
			if (counts[order[lo]] < GEN_MAX_VILLAGES_PER_TAMBON)
			{
				counts[order[lo]]++;
				break;
			}
		}
	}
	free(order);
	free(first);
	free(cum);
	*counts_out = counts;
	return 0;
fail:
	free(order);
	free(counts);
	free(first);
	free(cum);
	return -1;
}

/* LAOs: อบต. for most tambons; the first tambon of a district has a municipality. */
static void
set_laos(gen_plan *p, gen_tambon *t)
{
	bool		municipality = strcmp(t->code + 4, "01") == 0;
	bool		town = municipality && strcmp(t->code + 2, "0101") == 0;

	t->n_laos = 0;
	if (!municipality || t->n_villages >= 3)
	{
		t->lao_code[t->n_laos][0] = '6';
		memcpy(t->lao_code[t->n_laos] + 1, t->code, 7);
		snprintf(t->lao_name[t->n_laos], sizeof t->lao_name[0], "องค์การบริหารส่วนตำบล%s",
				 t->name_th);
		t->n_laos++;
	}
	if (municipality)
	{
		t->lao_code[t->n_laos][0] = town ? '4' : '5';
		memcpy(t->lao_code[t->n_laos] + 1, t->code, 7);
		snprintf(t->lao_name[t->n_laos], sizeof t->lao_name[0], "%s%s",
				 town ? "เทศบาลเมือง" : "เทศบาลตำบล", town ? p->name_th : t->name_th);
		t->n_laos++;
	}
}

int
gen_plan_build(gen_plan *p, const char *province, long households, uint64_t seed,
			   const char *areas_file, char *err, size_t errlen)
{
	gen_rng		r;
	int			n_sizes = 0;
	int		   *sizes;
	int		   *counts = NULL;
	const gen_province_info *info;

	memset(p, 0, sizeof *p);
	memcpy(p->province, province, 3);

	gen_rng_init(&r, seed, RNG_SIZES, 0);
	sizes = gen_village_sizes(&r, households, &n_sizes);
	if (sizes == NULL)
	{
		snprintf(err, errlen, "out of memory");
		return -1;
	}

	gen_rng_init(&r, seed, RNG_NAMES, 0);
	if (areas_file != NULL)
	{
		if (read_area_file(p, areas_file, err, errlen) < 0)
			goto fail;
		link_tambons(p);
		if (p->n_tambons == 0)
		{
			snprintf(err, errlen, "the area list \"%s\" has no tambons of province %s",
					 areas_file, province);
			goto fail;
		}
		p->from_file = 1;
	}
	else if (synthesise_areas(p, n_sizes, &r) < 0)
	{
		snprintf(err, errlen, "out of memory");
		goto fail;
	}

	/* More villages than the tambons can number: make them bigger instead. */
	if (n_sizes > p->n_tambons * GEN_MAX_VILLAGES_PER_TAMBON)
	{
		int			m = p->n_tambons * GEN_MAX_VILLAGES_PER_TAMBON;

		for (int i = m; i < n_sizes; i++)
			sizes[i % m] += sizes[i];
		n_sizes = m;
	}

	info = gen_province_lookup(province);
	if (info != NULL)
	{
		p->lat = info->lat;
		p->lon = info->lon;
	}
	else
		place_centre(province, 16.0, 101.5, 1.5, &p->lat, &p->lon);
	for (int i = 0; i < p->n_districts; i++)
		place_centre(p->districts[i].code, p->lat, p->lon, 0.25,
					 &p->districts[i].lat, &p->districts[i].lon);
	for (int i = 0; i < p->n_tambons; i++)
	{
		gen_district *d = &p->districts[p->tambons[i].district];

		place_centre(p->tambons[i].code, d->lat, d->lon, 0.07,
					 &p->tambons[i].lat, &p->tambons[i].lon);
	}

	gen_rng_init(&r, seed, RNG_SPREAD, 0);
	if (spread_villages(p, n_sizes, &r, &counts) < 0)
	{
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	p->villages = calloc((size_t) n_sizes, sizeof *p->villages);
	if (p->villages == NULL)
	{
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	p->n_villages = n_sizes;

	gen_rng_init(&r, seed, RNG_NAMES, 1);
	for (int i = 0, v = 0; i < p->n_tambons; i++)
	{
		gen_tambon *t = &p->tambons[i];

		t->first_village = v;
		t->n_villages = counts[i];
		set_laos(p, t);
		for (int j = 0; j < counts[i]; j++, v++)
		{
			gen_village *vg = &p->villages[v];

			code_child(vg->code, t->code, j + 1);
			vg->tambon = i;
			vg->households = sizes[v];
			/* A municipality serves the first third of its tambon's villages. */
			vg->lao = (t->n_laos == 2 && j < (counts[i] + 2) / 3) ? 1 : 0;
			place_centre(vg->code, t->lat, t->lon, 0.025, &vg->lat, &vg->lon);
			/* Distinct names within a tambon, as far as the name parts allow. */
			for (int tries = 0; tries < 20; tries++)
			{
				bool		clash = false;

				gen_place_name(&r, true, vg->name_th, vg->name_en);
				for (int k = t->first_village; k < v && !clash; k++)
					clash = strcmp(p->villages[k].name_th, vg->name_th) == 0;
				if (!clash)
					break;
			}
		}
	}
	free(counts);
	free(sizes);
	return 0;
fail:
	free(counts);
	free(sizes);
	gen_plan_free(p);
	return -1;
}

void
gen_plan_free(gen_plan *p)
{
	for (int i = 0; i < p->n_districts; i++)
	{
		free(p->districts[i].name_th);
		free(p->districts[i].name_en);
	}
	for (int i = 0; i < p->n_tambons; i++)
	{
		free(p->tambons[i].name_th);
		free(p->tambons[i].name_en);
	}
	free(p->districts);
	free(p->tambons);
	free(p->villages);
	free(p->name_th);
	free(p->name_en);
	memset(p, 0, sizeof *p);
}
