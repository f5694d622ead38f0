/*
 * thai_id.c: normalising and checking 13-digit national IDs.
 */
#include "thai_id.h"
#include "thai_digits.h"

bool
bmn_thai_id_normalize(const char *text, size_t len, char out[14])
{
	size_t		i = 0;
	int			n = 0;

	while (i < len)
	{
		int			d;
		size_t		step = bmn_digit_at(text + i, len - i, &d);

		if (step > 0)
		{
			if (n == 13)
				return false;
			out[n++] = (char) ('0' + d);
			i += step;
		}
		else if (text[i] == '-' || text[i] == ' ')
		{
			/* separators only between digits */
			if (n == 0 || i + 1 == len)
				return false;
			i++;
		}
		else
			return false;
	}
	if (n != 13)
		return false;
	out[13] = '\0';
	return true;
}

bool
bmn_thai_id_checksum_ok(const char *digits13)
{
	int			sum = 0;

	for (int i = 0; i < 12; i++)
		sum += (digits13[i] - '0') * (13 - i);
	return (11 - sum % 11) % 10 == digits13[12] - '0';
}
