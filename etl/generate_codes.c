/*
 * generate_codes.c: national IDs and house codes for `bmn generate`.
 */
#include <string.h>

#include "generate_codes.h"

int
gen_thai_id_check(const char *digits12)
{
	int			sum = 0;

	for (int i = 0; i < 12; i++)
		sum += (digits12[i] - '0') * (13 - i);
	return (11 - sum % 11) % 10;
}

bool
gen_thai_id_valid(const char *s)
{
	for (int i = 0; i < 13; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	if (s[13] != '\0')
		return false;
	return gen_thai_id_check(s) == s[12] - '0';
}

/* Writes v as exactly width decimal digits (v < 10^width). */
static void
put_digits(char *out, uint32_t v, int width)
{
	for (int i = width - 1; i >= 0; i--)
	{
		out[i] = (char) ('0' + v % 10);
		v /= 10;
	}
}

/*
 * A keyed permutation of [0, 2^24): xor-shifts, odd multipliers and key additions are
 * each invertible mod 2^24.
 */
static uint32_t
permute24(uint32_t x, uint32_t key)
{
	const uint32_t mask = 0xFFFFFF;

	x = (x + key) & mask;
	x ^= x >> 12;
	x = (x * 0x9E3779u) & mask;
	x ^= x >> 11;
	x = (x + (key >> 8)) & mask;
	x = (x * 0x85EBCBu) & mask;
	x ^= x >> 12;
	x = (x * 0xC2B2AFu) & mask;
	x ^= x >> 13;
	return x;
}

uint32_t
gen_permute7(uint32_t serial, uint32_t key)
{
	/* Cycle-walking keeps a permutation of 2^24 values one of the first 10^7. */
	uint32_t	v = serial % 10000000;

	do
		v = permute24(v, key);
	while (v >= 10000000);
	return v;
}

void
gen_thai_id(char *out, int category, const char *office4, uint32_t serial,
			uint32_t scramble)
{
	uint32_t	key = scramble;

	/* Each office numbers in its own order. */
	for (int i = 0; i < 4; i++)
		key = key * 31 + (uint32_t) office4[i];

	uint32_t	v = gen_permute7(serial, key);

	out[0] = (char) ('0' + category);
	memcpy(out + 1, office4, 4);
	put_digits(out + 5, v, 7);
	out[12] = (char) ('0' + gen_thai_id_check(out));
	out[13] = '\0';
}

void
gen_house_code(char *out, const char *office4, uint32_t serial)
{
	int			sum = 0;

	memcpy(out, office4, 4);
	put_digits(out + 4, serial % 1000000, 6);
	for (int i = 0; i < 10; i++)
		sum += (out[i] - '0') * (11 - i);
	out[10] = (char) ('0' + (11 - sum % 11) % 10);
	out[11] = '\0';
}

void
gen_house_code_dashed(char *out, const char *code11)
{
	memcpy(out, code11, 4);
	out[4] = '-';
	memcpy(out + 5, code11 + 4, 6);
	out[11] = '-';
	out[12] = code11[10];
	out[13] = '\0';
}
