/*
 * field.c: pure parsers for the values of the input files (see field.h).
 *
 * Every parser first normalises the value (white space off, Thai digits to ASCII)
 * into a small buffer; a value too long for that buffer cannot be a number, code or
 * date and is FIELD_BAD.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "utf8.h"

/* White space around values: ASCII blanks and U+00A0 (spreadsheets add it). */
static size_t
space_len(const unsigned char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		return 1;
	if (p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	return 0;
}

/* Length of the white space that ends s[0..n), scanning from the front. */
static size_t
trailing_space_start(const unsigned char *s, size_t n)
{
	size_t		end = 0,
				i = 0;

	while (i < n)
	{
		size_t		k = space_len(s + i);

		if (k)
			i += k;
		else
		{
			i++;
			end = i;
		}
	}
	return end;
}

long
field_normalize(const char *s, char *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		o = 0,
				keep = 0,		/* output length without trailing white space */
				k;

	if (outsz == 0)
		return -1;
	while ((k = space_len(p)) != 0)
		p += k;
	/* One pass: copy, Thai digits made ASCII, white space at the end dropped after. */
	while (*p)
	{
		char		c;

		if ((k = space_len(p)) != 0)
		{
			if (o + k >= outsz)
			{
				/* Only trailing space may not fit. */
				const unsigned char *q = p;

				while ((k = space_len(q)) != 0)
					q += k;
				if (*q)
					return -1;
				break;
			}
			memcpy(out + o, p, k);
			o += k;
			p += k;
			continue;
		}
		/* U+0E50..U+0E59 THAI DIGIT ZERO..NINE are E0 B9 90..99 in UTF-8. */
		if (p[0] == 0xE0 && p[1] == 0xB9 && p[2] >= 0x90 && p[2] <= 0x99)
		{
			c = (char) ('0' + (p[2] - 0x90));
			p += 3;
		}
		else
			c = (char) *p++;
		if (o + 1 >= outsz)
			return -1;
		out[o++] = c;
		keep = o;
	}
	out[keep] = '\0';
	return (long) keep;
}

const char *
field_trim(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		k;

	while ((k = space_len(p)) != 0)
		p += k;
	*len = trailing_space_start(p, strlen((const char *) p));
	return (const char *) p;
}

bool
field_is_blank(const char *s)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		k;

	while ((k = space_len(p)) != 0)
		p += k;
	return *p == '\0';
}

bool
field_is_none(const char *s)
{
	char		buf[4];
	long		n = field_normalize(s, buf, sizeof buf);

	return n == 0 || (n == 1 && buf[0] == '-');
}

/* Normalise into buf; FIELD_EMPTY / FIELD_BAD (too long) / FIELD_OK. */
static field_status
normalize_short(const char *s, char *buf, size_t bufsz)
{
	long		n = field_normalize(s, buf, bufsz);

	if (n < 0)
		return FIELD_BAD;
	if (n == 0)
		return FIELD_EMPTY;
	return FIELD_OK;
}

/* Reads 1..maxd digits at *pp into *val; returns the number of digits read. */
static int
read_digits(const char **pp, int maxd, long *val)
{
	const char *p = *pp;
	long		v = 0;
	int			d = 0;

	while (d < maxd && *p >= '0' && *p <= '9')
	{
		v = v * 10 + (*p - '0');
		p++;
		d++;
	}
	if (d > 0 && *p >= '0' && *p <= '9')
		return 0;				/* more digits than allowed */
	*pp = p;
	*val = v;
	return d;
}

field_status
field_int(const char *s, long lo, long hi, long *out)
{
	char		buf[FIELD_SHORT_MAX];
	field_status st = normalize_short(s, buf, sizeof buf);
	const char *p = buf;
	long		v;

	if (st != FIELD_OK)
		return st;
	while (*p == '0' && p[1] >= '0' && p[1] <= '9')
		p++;					/* leading zeros: "01" is 1 */
	if (read_digits(&p, 18, &v) == 0 || *p != '\0')
		return FIELD_BAD;
	if (v < lo || v > hi)
		return FIELD_RANGE;
	*out = v;
	return FIELD_OK;
}

field_status
field_flag(const char *s, bool *out)
{
	long		v;
	field_status st = field_int(s, 0, 1, &v);

	if (st == FIELD_OK)
		*out = (v == 1);
	return st;
}

field_status
field_answer(const char *s, int *out)
{
	char		buf[FIELD_SHORT_MAX];
	field_status st = normalize_short(s, buf, sizeof buf);

	if (st == FIELD_EMPTY || (st == FIELD_OK && (strcmp(buf, "-") == 0 ||
												 strcmp(buf, "9") == 0)))
	{
		*out = -1;
		return FIELD_OK;
	}
	if (st != FIELD_OK)
		return st;
	if (strcmp(buf, "1") == 0)
		*out = 1;
	else if (strcmp(buf, "0") == 0)
		*out = 0;
	else
		return FIELD_BAD;
	return FIELD_OK;
}

/*
 * Splits a decimal "[-]1,234.56" into sign, integer digits (separators removed) and
 * fraction digits. Thousands separators must group by three: "12,34" is refused, as
 * it is most likely a decimal comma.
 */
static field_status
split_decimal(const char *buf, bool *neg, char *ip, size_t ipsz, const char **frac)
{
	const char *p = buf;
	size_t		n = 0;
	int			group = -1;		/* digits since the last separator; -1: none yet */
	bool		any = false;

	*neg = false;
	if (*p == '-' || *p == '+')
	{
		*neg = (*p == '-');
		p++;
	}
	for (; *p && *p != '.'; p++)
	{
		if (*p >= '0' && *p <= '9')
		{
			if (n + 1 >= ipsz)
				return FIELD_RANGE;
			ip[n++] = *p;
			any = true;
			if (group >= 0)
				group++;
		}
		else if (*p == ',')
		{
			/* The first group has 1-3 digits, every later one exactly 3. */
			if (!any || (group < 0 && n > 3) || (group >= 0 && group != 3))
				return FIELD_BAD;
			group = 0;
		}
		else
			return FIELD_BAD;
	}
	if (group >= 0 && group != 3)
		return FIELD_BAD;
	ip[n] = '\0';
	*frac = "";
	if (*p == '.')
	{
		const char *f = ++p;

		for (; *p; p++)
			if (*p < '0' || *p > '9')
				return FIELD_BAD;
		if (f == p && !any)
			return FIELD_BAD;
		*frac = f;
		any = any || f != p;
	}
	return any ? FIELD_OK : FIELD_BAD;
}

/* Money stays below 10^12 baht: numeric(14,2). */
#define MONEY_MAX_SATANG 100000000000000LL

field_status
field_money(const char *s, long long *satang)
{
	char		buf[FIELD_SHORT_MAX],
				ip[FIELD_SHORT_MAX];
	const char *frac,
			   *q;
	bool		neg;
	long long	v = 0;
	field_status st = normalize_short(s, buf, sizeof buf);

	if (st != FIELD_OK)
		return st;
	st = split_decimal(buf, &neg, ip, sizeof ip, &frac);
	if (st != FIELD_OK)
		return st;
	for (q = ip; *q == '0'; q++)
		;
	if (strlen(q) > 12)
		return FIELD_RANGE;
	for (; *q; q++)
		v = v * 10 + (*q - '0');
	v *= 100;
	if (frac[0])
	{
		v += (frac[0] - '0') * 10;
		if (frac[1])
		{
			v += frac[1] - '0';
			if (frac[2] >= '5')
				v++;
		}
	}
	if (neg && v > 0)
		return FIELD_RANGE;
	if (v >= MONEY_MAX_SATANG)
		return FIELD_RANGE;
	*satang = v;
	return FIELD_OK;
}

int
field_format_money(long long satang, char *out, size_t outsz)
{
	return snprintf(out, outsz, "%lld.%02lld", satang / 100, satang % 100);
}

field_status
field_decimal(const char *s, char *out, size_t outsz, double *val)
{
	char		buf[FIELD_SHORT_MAX],
				ip[FIELD_SHORT_MAX];
	const char *frac;
	bool		neg;
	field_status st = normalize_short(s, buf, sizeof buf);
	int			n;

	if (st != FIELD_OK)
		return st;
	st = split_decimal(buf, &neg, ip, sizeof ip, &frac);
	if (st != FIELD_OK)
		return st;
	n = snprintf(out, outsz, "%s%s%s%s", neg ? "-" : "", ip[0] ? ip : "0",
				 frac[0] ? "." : "", frac);
	if (n < 0 || (size_t) n >= outsz)
		return FIELD_RANGE;
	*val = strtod(out, NULL);
	return FIELD_OK;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return (m == 2 && is_leap(y)) ? 29 : d[m - 1];
}

/* BE years are 2400 and later; earlier ones are CE. */
static int
to_ce(long y)
{
	return (int) (y >= 2400 ? y - 543 : y);
}

/*
 * Reads the date at *pp (either form) into y/m/d as written (year not converted).
 * Leaves *pp after the date.
 */
static bool
scan_date(const char **pp, long *y, long *m, long *d)
{
	const char *p = *pp;

	if (read_digits(&p, 4, y) == 4 && *p == '-')
	{
		p++;
		if (read_digits(&p, 2, m) == 0 || *p != '-')
			return false;
		p++;
		if (read_digits(&p, 2, d) == 0)
			return false;
	}
	else
	{
		p = *pp;
		if (read_digits(&p, 2, d) == 0 || *p != '/')
			return false;
		p++;
		if (read_digits(&p, 2, m) == 0 || *p != '/')
			return false;
		p++;
		if (read_digits(&p, 4, y) != 4)
			return false;
	}
	*pp = p;
	return true;
}

static field_status
check_date(long y, long m, long d, fdate *out)
{
	int			ce = to_ce(y);

	if (m < 1 || m > 12 || d < 1 || d > days_in_month(ce, (int) m))
		return FIELD_BAD;
	if (ce < 1800 || ce > 2299)
		return FIELD_RANGE;
	out->year = ce;
	out->month = (int) m;
	out->day = (int) d;
	return FIELD_OK;
}

field_status
field_date(const char *s, fdate *out)
{
	char		buf[FIELD_SHORT_MAX];
	const char *p = buf;
	long		y,
				m,
				d;
	field_status st = normalize_short(s, buf, sizeof buf);

	if (st != FIELD_OK)
		return st;
	if (!scan_date(&p, &y, &m, &d) || *p != '\0')
		return FIELD_BAD;
	return check_date(y, m, d, out);
}

field_status
field_birth_date(const char *s, fbirth *out)
{
	char		buf[FIELD_SHORT_MAX];
	const char *p = buf;
	long		y,
				m,
				d;
	field_status st = normalize_short(s, buf, sizeof buf);

	if (st != FIELD_OK)
		return st;
	if (!scan_date(&p, &y, &m, &d) || *p != '\0')
		return FIELD_BAD;
	out->day_known = (d != 0);
	out->month_known = (m != 0);
	/* Unknown parts: ages are computed as if born on the 1st, or in July. */
	return check_date(y, m == 0 ? 7 : m, d == 0 ? 1 : d, &out->date);
}

/* HH:MM[:SS][.fff][Z|+HH:MM|-HH:MM|+HHMM] */
static bool
scan_time(const char *p, fdatetime *out)
{
	long		h,
				mi,
				se = 0;

	if (read_digits(&p, 2, &h) == 0 || *p != ':')
		return false;
	p++;
	if (read_digits(&p, 2, &mi) != 2)
		return false;
	if (*p == ':')
	{
		p++;
		if (read_digits(&p, 2, &se) != 2)
			return false;
		if (*p == '.')
		{
			p++;
			if (!isdigit((unsigned char) *p))
				return false;
			while (isdigit((unsigned char) *p))
				p++;
		}
	}
	if (*p == 'Z')
		p++;
	else if (*p == '+' || *p == '-')
	{
		long		zh,
					zm;

		p++;
		if (read_digits(&p, 2, &zh) != 2)
			return false;
		if (*p == ':')
			p++;
		if (read_digits(&p, 2, &zm) != 2 || zh > 14 || zm > 59)
			return false;
	}
	if (*p != '\0' || h > 23 || mi > 59 || se > 59)
		return false;
	out->hour = (int) h;
	out->minute = (int) mi;
	out->second = (int) se;
	return true;
}

field_status
field_datetime(const char *s, fdatetime *out)
{
	char		buf[FIELD_SHORT_MAX];
	const char *p = buf;
	long		y,
				m,
				d;
	field_status st = normalize_short(s, buf, sizeof buf);

	if (st != FIELD_OK)
		return st;
	out->has_date = false;
	if (scan_date(&p, &y, &m, &d))
	{
		if (*p != ' ' && *p != 'T')
			return FIELD_BAD;
		while (*p == ' ')
			p++;
		if (*p == 'T')
			p++;
		st = check_date(y, m, d, &out->date);
		if (st != FIELD_OK)
			return st;
		out->has_date = true;
	}
	return scan_time(p, out) ? FIELD_OK : FIELD_BAD;
}

field_status
field_year(const char *s, int *be_year)
{
	long		y;
	field_status st = field_int(s, 0, 9999, &y);

	if (st == FIELD_RANGE)
		return FIELD_BAD;
	if (st != FIELD_OK)
		return st;
	if (y < 1000)
		return FIELD_BAD;
	if (y < 2400)
		y += 543;
	if (y < 2400 || y > 2800)
		return FIELD_RANGE;
	*be_year = (int) y;
	return FIELD_OK;
}

/* Exactly ndigits digits, with dashes and spaces between them allowed or not. */
static field_status
digits_code(const char *s, int ndigits, bool separators, char *out)
{
	char		buf[FIELD_SHORT_MAX];
	int			n = 0;
	field_status st = normalize_short(s, buf, sizeof buf);

	if (st != FIELD_OK)
		return st;
	for (const char *p = buf; *p; p++)
	{
		if (*p >= '0' && *p <= '9')
		{
			if (n == ndigits)
				return FIELD_BAD;
			out[n++] = *p;
		}
		else if (!(separators && (*p == '-' || *p == ' ') && n > 0 &&
				   p[1] >= '0' && p[1] <= '9'))
			return FIELD_BAD;
	}
	if (n != ndigits)
		return FIELD_BAD;
	out[n] = '\0';
	return FIELD_OK;
}

field_status
field_national_id(const char *s, char out[14])
{
	return digits_code(s, 13, true, out);
}

field_status
field_house_code(const char *s, char out[12])
{
	return digits_code(s, 11, true, out);
}

field_status
field_village_code(const char *s, char out[9])
{
	return digits_code(s, 8, false, out);
}

field_status
field_area_code(const char *s, char out[9])
{
	char		buf[FIELD_SHORT_MAX];
	size_t		n;
	field_status st = normalize_short(s, buf, sizeof buf);

	if (st != FIELD_OK)
		return st;
	n = strlen(buf);
	if (n != 2 && n != 4 && n != 6 && n != 8)
		return FIELD_BAD;
	return digits_code(buf, (int) n, false, out);
}

field_status
field_nationality(const char *s, char out[3])
{
	char		buf[FIELD_SHORT_MAX];
	field_status st = normalize_short(s, buf, sizeof buf);

	if (st != FIELD_OK)
		return st;
	if (strcmp(buf, "ไทย") == 0)
	{
		strcpy(out, "TH");
		return FIELD_OK;
	}
	if (strlen(buf) != 2 || !isalpha((unsigned char) buf[0]) ||
		!isalpha((unsigned char) buf[1]) || (unsigned char) buf[0] >= 0x80 ||
		(unsigned char) buf[1] >= 0x80)
		return FIELD_BAD;
	out[0] = (char) toupper((unsigned char) buf[0]);
	out[1] = (char) toupper((unsigned char) buf[1]);
	out[2] = '\0';
	return FIELD_OK;
}

field_status
field_registry_status(const char *s, int *out)
{
	char		buf[FIELD_SHORT_MAX];
	field_status st = normalize_short(s, buf, sizeof buf);

	if (st != FIELD_OK)
		return st;
	if (strcmp(buf, "1") == 0 || strcmp(buf, "เจ้าบ้าน") == 0)
		*out = 1;
	else if (strcmp(buf, "2") == 0 || strcmp(buf, "ผู้อาศัย") == 0)
		*out = 2;
	else
		return FIELD_BAD;
	return FIELD_OK;
}

field_status
field_key(const char *s, size_t maxchars, char *out, size_t outsz)
{
	long		n = field_normalize(s, out, outsz);

	if (n < 0)
		return FIELD_RANGE;
	if (n == 0)
		return FIELD_EMPTY;
	for (const unsigned char *p = (const unsigned char *) out; *p; p++)
		if (*p < 0x20 || *p == 0x7F)
			return FIELD_BAD;
	if (field_utf8_chars(out) > maxchars)
		return FIELD_RANGE;
	return FIELD_OK;
}

size_t
field_utf8_chars(const char *s)
{
	size_t		n = 0;

	for (const unsigned char *p = (const unsigned char *) s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	return n;
}

bool
field_utf8_feed(unsigned *state, const unsigned char *s, size_t n, size_t *bad_at)
{
	unsigned	need = *state & 0xFF,
				lo = (*state >> 8) & 0xFF,
				hi = (*state >> 16) & 0xFF;

	for (size_t i = 0; i < n; i++)
	{
		unsigned	c = s[i];

		if (need)
		{
			if (c < lo || c > hi)
				goto bad;
			need--;
			lo = 0x80;
			hi = 0xBF;
			continue;
		}
		if (c == 0)
			goto bad;
		if (c < 0x80)
			continue;
		if (!utf8_lead(c, &need, &lo, &hi))
			goto bad;
		continue;
bad:
		if (bad_at)
			*bad_at = i;
		*state = 0;
		return false;
	}
	*state = need ? (need | lo << 8 | hi << 16) : 0;
	return true;
}

bool
field_utf8_valid(const char *s, size_t n, size_t *bad_at)
{
	unsigned	state = 0;

	if (!field_utf8_feed(&state, (const unsigned char *) s, n, bad_at))
		return false;
	if (state != 0)
	{
		if (bad_at)
			*bad_at = n;
		return false;
	}
	return true;
}

void
field_for_message(const char *s, char *out, size_t outsz)
{
	const size_t max_chars = 40;
	size_t		o = 0,
				chars = 0;
	const unsigned char *p = (const unsigned char *) s;

	if (outsz == 0)
		return;
	for (; *p; p++)
	{
		char		esc[5] = {0};
		size_t		k;

		if ((*p & 0xC0) != 0x80 && chars++ == max_chars)
		{
			if (o + 4 < outsz)
				memcpy(out + o, "...", 3), o += 3;
			break;
		}
		if (*p == '\n')
			strcpy(esc, "\\n");
		else if (*p == '\r')
			strcpy(esc, "\\r");
		else if (*p == '\t')
			strcpy(esc, "\\t");
		else if (*p < 0x20 || *p == 0x7F)
			strcpy(esc, "?");
		else
			esc[0] = (char) *p;
		k = strlen(esc);
		if (o + k + 4 >= outsz)
		{
			/* Out of room: drop the part of a character already copied. */
			if ((*p & 0xC0) == 0x80)
			{
				while (o > 0 && (((unsigned char) out[o - 1]) & 0xC0) == 0x80)
					o--;
				if (o > 0)
					o--;
			}
			if (o + 4 < outsz)
				memcpy(out + o, "...", 3), o += 3;
			break;
		}
		memcpy(out + o, esc, k);
		o += k;
	}
	out[o] = '\0';
}
