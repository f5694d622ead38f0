/*
 * generate_dates.c: calendar arithmetic for `bmn generate` (Howard Hinnant's
 * days_from_civil / civil_from_days).
 */
#include "generate_dates.h"

int
gen_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int			era = (y >= 0 ? y : y - 399) / 400;
	int			yoe = y - era * 400;
	int			doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int			doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

gen_date
gen_civil_from_days(int z)
{
	gen_date	r;

	z += 719468;
	int			era = (z >= 0 ? z : z - 146096) / 146097;
	int			doe = z - era * 146097;
	int			yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int			doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int			mp = (5 * doy + 2) / 153;

	r.day = doy - (153 * mp + 2) / 5 + 1;
	r.month = mp < 10 ? mp + 3 : mp - 9;
	r.year = yoe + era * 400 + (r.month <= 2);
	return r;
}

int
gen_days_in_month(int year, int month)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return 29;
	return dim[month - 1];
}

int
gen_age_at(gen_date birth, gen_date on)
{
	int			age = on.year - birth.year;

	if (on.month < birth.month || (on.month == birth.month && on.day < birth.day))
		age--;
	return age;
}

gen_date
gen_birth_for_age(int age, gen_date on, double pick, bool day_unknown, bool month_unknown)
{
	gen_date	b;
	int			doy = (int) (pick * 365.0);

	if (doy < 0)
		doy = 0;
	if (doy > 364)
		doy = 364;
	/* A day of a common year (1970), so 29 February never comes out. */
	gen_date	md = gen_civil_from_days(doy);

	b.month = md.month;
	b.day = md.day;
	if (day_unknown)
		b.day = 1;
	if (month_unknown)
	{
		b.month = 7;
		b.day = 1;
	}
	b.year = on.year - age;
	if (b.month > on.month || (b.month == on.month && b.day > on.day))
		b.year--;
	return b;
}

void
gen_format_date_be(char *out, gen_date d, bool day_unknown, bool month_unknown)
{
	int			dd = (day_unknown || month_unknown) ? 0 : d.day;
	int			mm = month_unknown ? 0 : d.month;
	int			yy = d.year + GEN_BE_OFFSET;

	out[0] = (char) ('0' + dd / 10);
	out[1] = (char) ('0' + dd % 10);
	out[2] = '/';
	out[3] = (char) ('0' + mm / 10);
	out[4] = (char) ('0' + mm % 10);
	out[5] = '/';
	out[6] = (char) ('0' + yy / 1000 % 10);
	out[7] = (char) ('0' + yy / 100 % 10);
	out[8] = (char) ('0' + yy / 10 % 10);
	out[9] = (char) ('0' + yy % 10);
	out[10] = '\0';
}
