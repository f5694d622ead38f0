/*
 * generate_codes.h: the numbered codes `bmn generate` invents: 13-digit national IDs,
 * 11-digit house codes. Pure functions, no I/O.
 */
#ifndef GENERATE_CODES_H
#define GENERATE_CODES_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Check digit of a national ID from its first 12 digits (ASCII): weights 13..2,
 * x = sum mod 11, check = (11 - x) mod 10 (domain.md).
 */
int			gen_thai_id_check(const char *digits12);

/* True when s is 13 ASCII digits whose last one is the right check digit. */
bool		gen_thai_id_valid(const char *s);

/*
 * Writes a 13-digit national ID with its NUL into out[14]: category digit (1..8, or 0),
 * the 4-digit registration office, then 7 digits that are gen_permute7 of
 * serial (serial < 10,000,000), then the check digit. Distinct serials under one office
 * give distinct IDs, so a province's people never collide by accident.
 */
void		gen_thai_id(char *out, int category, const char *office4, uint32_t serial,
						uint32_t scramble);

/* A keyed permutation of [0, 10^7): distinct serials give distinct results. */
uint32_t	gen_permute7(uint32_t serial, uint32_t key);

/*
 * Writes an 11-digit house code with its NUL into out[12]: the 4-digit registration
 * office, a 6-digit house serial (serial < 1,000,000), and a check digit in the style
 * of the national ID's.
 */
void		gen_house_code(char *out, const char *office4, uint32_t serial);

/* Formats an 11-digit house code as printed in the registry, dddd-dddddd-d (out[14]). */
void		gen_house_code_dashed(char *out, const char *code11);

#endif
