/*
 * thai_digits.h: Thai digits ๐-๙ (U+0E50-U+0E59) read as 0-9.
 */
#ifndef BMN_THAI_DIGITS_H
#define BMN_THAI_DIGITS_H

#include <stddef.h>

/*
 * If s[0..len) starts with a digit (ASCII, or Thai in UTF-8: E0 B9 90..99), store its
 * value in *value and return the number of bytes it takes (1 or 3); else return 0.
 */
static inline size_t
bmn_digit_at(const char *s, size_t len, int *value)
{
	const unsigned char *u = (const unsigned char *) s;

	if (len >= 1 && u[0] >= '0' && u[0] <= '9')
	{
		*value = u[0] - '0';
		return 1;
	}
	if (len >= 3 && u[0] == 0xE0 && u[1] == 0xB9 && u[2] >= 0x90 && u[2] <= 0x99)
	{
		*value = u[2] - 0x90;
		return 3;
	}
	return 0;
}

#endif
