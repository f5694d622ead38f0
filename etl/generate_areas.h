/*
 * generate_areas.h: the area plan of `bmn generate`: the province, its districts and
 * tambons (real ones from an area list, or invented), and the villages the households
 * are spread over, each with its size, centre and serving LAO.
 *
 * The plan is small (one entry per village) and is the only thing held in memory
 * besides the household being written.
 */
#ifndef GENERATE_AREAS_H
#define GENERATE_AREAS_H

#include <stddef.h>
#include <stdint.h>

#include "generate_names.h"
#include "generate_rng.h"

/* Tambons hold at most 99 villages (2-digit village numbers). */
#define GEN_MAX_VILLAGES_PER_TAMBON 99

typedef struct
{
	char		code[5];
	char	   *name_th;
	char	   *name_en;
	double		lat,
				lon;
	/* Running serials of what this district's registration office numbers. */
	uint32_t	house_serial;
	uint32_t	collector_serial;
	uint32_t	person_serial;
} gen_district;

typedef struct
{
	char		code[7];
	char	   *name_th;
	char	   *name_en;
	int			district;		/* index into districts */
	double		lat,
				lon;
	int			first_village;	/* index into villages */
	int			n_villages;		/* 0: no generated village here */
	int			n_laos;			/* 1 (อบต. or เทศบาล alone) or 2 */
	char		lao_code[2][8];
	char		lao_name[2][GEN_NAME_MAX * 2];
} gen_tambon;

typedef struct
{
	char		code[9];
	char		name_th[GEN_NAME_MAX];
	char		name_en[GEN_NAME_MAX];
	int			tambon;			/* index into tambons */
	int			households;
	int			lao;			/* index into its tambon's LAOs */
	double		lat,
				lon;
} gen_village;

typedef struct
{
	char		province[3];
	char	   *name_th;
	char	   *name_en;
	double		lat,
				lon;
	int			from_file;		/* districts and tambons are the real ones */
	gen_district *districts;
	int			n_districts;
	gen_tambon *tambons;
	int			n_tambons;
	gen_village *villages;
	int			n_villages;
} gen_plan;

/*
 * Builds the plan for households households in province (2 digits), from the area
 * list areas_file (NULL: invented areas). On failure writes the reason to err and
 * returns -1.
 */
int			gen_plan_build(gen_plan *p, const char *province, long households,
						   uint64_t seed, const char *areas_file, char *err, size_t errlen);
void		gen_plan_free(gen_plan *p);

/* One village size: mostly 40-250 households, a few under 20, some larger. */
int			gen_village_size(gen_rng *r);

/*
 * Splits households into village sizes (malloc'd array, count in *n). Sizes are drawn
 * with gen_village_size; a remainder under 20 joins the previous village.
 */
int		   *gen_village_sizes(gen_rng *r, long households, int *n);

/*
 * Splits one record off a CSV buffer (RFC 4180: quotes, doubled quotes, line breaks in
 * quotes; CRLF or LF). Field text is unescaped into scratch (which needs as many bytes
 * as the record plus one per field); fields[] point into it. Returns the number of
 * fields (at most max; the rest are dropped), or -1 at the end of the buffer.
 */
int			gen_csv_record(const char **pos, const char *end, char *scratch,
						   char **fields, int max);

#endif
