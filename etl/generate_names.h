/*
 * generate_names.h: Thai names for `bmn generate`: people, villages, synthetic districts
 * and tambons, and the 77 provinces with a rough centre for each.
 */
#ifndef GENERATE_NAMES_H
#define GENERATE_NAMES_H

#include <stdbool.h>

#include "generate_rng.h"

#define GEN_NAME_MAX 96

typedef struct
{
	const char *code;
	const char *name_th;
	const char *name_en;
	double		lat;			/* rough centre of the province */
	double		lon;
} gen_province_info;

/* The province with this 2-digit code, or NULL. */
const gen_province_info *gen_province_lookup(const char *code);

/*
 * A first name for a person of this sex (1 male, 2 female), born in this BE year
 * (older and younger generations have different names), of this nationality.
 */
const char *gen_first_name(gen_rng *r, int sex, int birth_year_be, const char *nationality);

/* A family name (written into out[GEN_NAME_MAX]). */
void		gen_last_name(gen_rng *r, const char *nationality, char *out);

/* The title (คำนำหน้า) for a person of this sex and age; married: นาง for women. */
const char *gen_title(int sex, int age, bool married);

/*
 * A place name, Thai and romanised (each into [GEN_NAME_MAX]); villages get the
 * prefix บ้าน / Ban.
 */
void		gen_place_name(gen_rng *r, bool village, char *th, char *en);

#endif
