/*
 * test_field.c: the pure value parsers of etl/field.c, good and bad cases each.
 */
#include "unit.h"
#include "field.h"

/* Thai digits ๐-๙ in UTF-8. */
#define TH0 "\xE0\xB9\x90"
#define TH2 "\xE0\xB9\x92"
#define TH5 "\xE0\xB9\x95"
#define TH6 "\xE0\xB9\x96"
#define TH7 "\xE0\xB9\x97"

UNIT_TEST(field_normalize_trims_and_converts_thai_digits)
{
	char		out[32];

	EXPECT_INT(field_normalize("  " TH2 TH5 TH6 TH7 " \t", out, sizeof out), 4);
	EXPECT_STR(out, "2567");
	EXPECT_INT(field_normalize("\xC2\xA0" "12/3\xC2\xA0", out, sizeof out), 4);
	EXPECT_STR(out, "12/3");
	EXPECT_INT(field_normalize("   ", out, sizeof out), 0);
	EXPECT_STR(out, "");
	/* Other Thai letters stay as they are. */
	EXPECT(field_normalize("บ้าน", out, sizeof out) > 0);
	EXPECT_STR(out, "บ้าน");
	EXPECT_INT(field_normalize("0123456789", out, 5), -1);
	/* A cut Thai digit at the end is not read past. */
	EXPECT_INT(field_normalize("1\xE0\xB9", out, sizeof out), 3);
}

UNIT_TEST(field_blank_and_none)
{
	EXPECT(field_is_blank(""));
	EXPECT(field_is_blank(" \t "));
	EXPECT(!field_is_blank(" x "));
	EXPECT(field_is_none(" - "));
	EXPECT(field_is_none(""));
	EXPECT(!field_is_none("--"));
	EXPECT(!field_is_none("0"));
}

UNIT_TEST(field_int_good_and_bad)
{
	long		v = -1;

	EXPECT_INT(field_int("2", 1, 2, &v), FIELD_OK);
	EXPECT_INT(v, 2);
	EXPECT_INT(field_int(" 07 ", 0, 7, &v), FIELD_OK);
	EXPECT_INT(v, 7);
	EXPECT_INT(field_int(TH5, 0, 7, &v), FIELD_OK);
	EXPECT_INT(v, 5);
	EXPECT_INT(field_int("0", 0, 7, &v), FIELD_OK);
	EXPECT_INT(v, 0);
	EXPECT_INT(field_int("", 0, 7, &v), FIELD_EMPTY);
	EXPECT_INT(field_int("8", 0, 7, &v), FIELD_RANGE);
	EXPECT_INT(field_int("3", 1, 2, &v), FIELD_RANGE);
	EXPECT_INT(field_int("-1", 0, 7, &v), FIELD_BAD);
	EXPECT_INT(field_int("1.0", 0, 7, &v), FIELD_BAD);
	EXPECT_INT(field_int("one", 0, 7, &v), FIELD_BAD);
	EXPECT_INT(field_int("1 2", 0, 99, &v), FIELD_BAD);
	EXPECT_INT(field_int("12345678901234567890", 0, 99, &v), FIELD_BAD);
}

UNIT_TEST(field_flag_and_answer)
{
	bool		b = false;
	int			a = 5;

	EXPECT_INT(field_flag("1", &b), FIELD_OK);
	EXPECT(b);
	EXPECT_INT(field_flag(TH0, &b), FIELD_OK);
	EXPECT(!b);
	EXPECT_INT(field_flag("2", &b), FIELD_RANGE);
	EXPECT_INT(field_flag("yes", &b), FIELD_BAD);
	EXPECT_INT(field_flag(" ", &b), FIELD_EMPTY);

	EXPECT_INT(field_answer("1", &a), FIELD_OK);
	EXPECT_INT(a, 1);
	EXPECT_INT(field_answer("0", &a), FIELD_OK);
	EXPECT_INT(a, 0);
	EXPECT_INT(field_answer("", &a), FIELD_OK);
	EXPECT_INT(a, -1);
	a = 5;
	EXPECT_INT(field_answer("-", &a), FIELD_OK);
	EXPECT_INT(a, -1);
	a = 5;
	EXPECT_INT(field_answer(" 9 ", &a), FIELD_OK);
	EXPECT_INT(a, -1);
	EXPECT_INT(field_answer("2", &a), FIELD_BAD);
	EXPECT_INT(field_answer("x", &a), FIELD_BAD);
	EXPECT_INT(field_answer("10", &a), FIELD_BAD);
}

UNIT_TEST(field_money_separators_rounding_and_limits)
{
	long long	v = -1;
	char		out[32];

	EXPECT_INT(field_money("120000", &v), FIELD_OK);
	EXPECT_INT(v, 12000000);
	EXPECT_INT(field_money("1,234,567.50", &v), FIELD_OK);
	EXPECT_INT(v, 123456750);
	EXPECT_INT(field_money(TH6 "," TH0 TH0 TH0, &v), FIELD_OK);
	EXPECT_INT(v, 600000);
	EXPECT_INT(field_money("0", &v), FIELD_OK);
	EXPECT_INT(v, 0);
	EXPECT_INT(field_money("10.005", &v), FIELD_OK);
	EXPECT_INT(v, 1001);
	EXPECT_INT(field_money(".5", &v), FIELD_OK);
	EXPECT_INT(v, 50);
	EXPECT_INT(field_money("999999999999.99", &v), FIELD_OK);
	EXPECT_INT(field_money("", &v), FIELD_EMPTY);
	EXPECT_INT(field_money("-500", &v), FIELD_RANGE);
	EXPECT_INT(field_money("1000000000000", &v), FIELD_RANGE);
	EXPECT_INT(field_money("999999999999.995", &v), FIELD_RANGE);
	EXPECT_INT(field_money("12,00", &v), FIELD_BAD);
	EXPECT_INT(field_money("1234,567", &v), FIELD_BAD);
	EXPECT_INT(field_money(",123", &v), FIELD_BAD);
	EXPECT_INT(field_money("1,234,56", &v), FIELD_BAD);
	EXPECT_INT(field_money("1.2.3", &v), FIELD_BAD);
	EXPECT_INT(field_money("12 baht", &v), FIELD_BAD);
	EXPECT_INT(field_money(".", &v), FIELD_BAD);

	field_format_money(123456750, out, sizeof out);
	EXPECT_STR(out, "1234567.50");
	field_format_money(5, out, sizeof out);
	EXPECT_STR(out, "0.05");
}

UNIT_TEST(field_decimal_signed)
{
	char		out[32];
	double		v = 0;

	EXPECT_INT(field_decimal("18.7763", out, sizeof out, &v), FIELD_OK);
	EXPECT_STR(out, "18.7763");
	EXPECT(v > 18.77 && v < 18.78);
	EXPECT_INT(field_decimal("-0.5", out, sizeof out, &v), FIELD_OK);
	EXPECT_STR(out, "-0.5");
	EXPECT_INT(field_decimal("1,000.25", out, sizeof out, &v), FIELD_OK);
	EXPECT_STR(out, "1000.25");
	EXPECT_INT(field_decimal("100", out, sizeof out, &v), FIELD_OK);
	EXPECT_STR(out, "100");
	EXPECT_INT(field_decimal("", out, sizeof out, &v), FIELD_EMPTY);
	EXPECT_INT(field_decimal("18,7763", out, sizeof out, &v), FIELD_BAD);
	EXPECT_INT(field_decimal("1e5", out, sizeof out, &v), FIELD_BAD);
	EXPECT_INT(field_decimal("--1", out, sizeof out, &v), FIELD_BAD);
}

UNIT_TEST(field_date_forms_and_eras)
{
	fdate		d = {0, 0, 0};

	EXPECT_INT(field_date("12/02/2567", &d), FIELD_OK);
	EXPECT_INT(d.year, 2024);
	EXPECT_INT(d.month, 2);
	EXPECT_INT(d.day, 12);
	EXPECT_INT(field_date("2024-02-12", &d), FIELD_OK);
	EXPECT_INT(d.year, 2024);
	EXPECT_INT(field_date("2567-02-12", &d), FIELD_OK);
	EXPECT_INT(d.year, 2024);
	EXPECT_INT(field_date("1/2/2024", &d), FIELD_OK);
	EXPECT_INT(d.day, 1);
	EXPECT_INT(field_date(TH2 "/" TH2 "/" TH2 TH5 TH6 TH7, &d), FIELD_OK);
	EXPECT_INT(d.year, 2024);
	EXPECT_INT(d.day, 2);
	/* 2567 BE = 2024 CE is a leap year; 2566 BE = 2023 is not. */
	EXPECT_INT(field_date("29/02/2567", &d), FIELD_OK);
	EXPECT_INT(field_date("29/02/2566", &d), FIELD_BAD);
	EXPECT_INT(field_date("31/02/2510", &d), FIELD_BAD);
	EXPECT_INT(field_date("31/04/2567", &d), FIELD_BAD);
	EXPECT_INT(field_date("00/02/2567", &d), FIELD_BAD);
	EXPECT_INT(field_date("12/13/2567", &d), FIELD_BAD);
	EXPECT_INT(field_date("12/02/67", &d), FIELD_BAD);
	EXPECT_INT(field_date("2024/02/12", &d), FIELD_BAD);
	EXPECT_INT(field_date("12-02-2024", &d), FIELD_BAD);
	EXPECT_INT(field_date("12/02/2567x", &d), FIELD_BAD);
	EXPECT_INT(field_date("", &d), FIELD_EMPTY);
	EXPECT_INT(field_date("01/01/1700", &d), FIELD_RANGE);
}

UNIT_TEST(field_birth_date_unknown_parts)
{
	fbirth		b;

	EXPECT_INT(field_birth_date("00/00/2510", &b), FIELD_OK);
	EXPECT_INT(b.date.year, 1967);
	EXPECT_INT(b.date.month, 7);
	EXPECT_INT(b.date.day, 1);
	EXPECT(!b.day_known);
	EXPECT(!b.month_known);
	EXPECT_INT(field_birth_date("00/03/2510", &b), FIELD_OK);
	EXPECT_INT(b.date.month, 3);
	EXPECT_INT(b.date.day, 1);
	EXPECT(!b.day_known);
	EXPECT(b.month_known);
	EXPECT_INT(field_birth_date("15/00/2510", &b), FIELD_OK);
	EXPECT_INT(b.date.month, 7);
	EXPECT_INT(b.date.day, 15);
	EXPECT(b.day_known);
	EXPECT(!b.month_known);
	EXPECT_INT(field_birth_date("1967-00-00", &b), FIELD_OK);
	EXPECT_INT(b.date.month, 7);
	EXPECT_INT(field_birth_date("05/06/1990", &b), FIELD_OK);
	EXPECT(b.day_known && b.month_known);
	EXPECT_INT(b.date.year, 1990);
	EXPECT_INT(field_birth_date("31/02/2510", &b), FIELD_BAD);
	EXPECT_INT(field_birth_date("32/00/2510", &b), FIELD_BAD);
	EXPECT_INT(field_birth_date("00/13/2510", &b), FIELD_BAD);
	EXPECT_INT(field_birth_date("2510", &b), FIELD_BAD);
	EXPECT_INT(field_birth_date("", &b), FIELD_EMPTY);
}

UNIT_TEST(field_datetime_forms)
{
	fdatetime	t;

	EXPECT_INT(field_datetime("09:15", &t), FIELD_OK);
	EXPECT(!t.has_date);
	EXPECT_INT(t.hour, 9);
	EXPECT_INT(t.minute, 15);
	EXPECT_INT(t.second, 0);
	EXPECT_INT(field_datetime("9:05:30", &t), FIELD_OK);
	EXPECT_INT(t.second, 30);
	EXPECT_INT(field_datetime("12/02/2567 09:15", &t), FIELD_OK);
	EXPECT(t.has_date);
	EXPECT_INT(t.date.year, 2024);
	EXPECT_INT(field_datetime("2024-02-12T09:15:00", &t), FIELD_OK);
	EXPECT(t.has_date);
	EXPECT_INT(t.hour, 9);
	EXPECT_INT(field_datetime("2024-02-12T09:15:00.123+07:00", &t), FIELD_OK);
	EXPECT_INT(field_datetime("2024-02-12T09:15:00Z", &t), FIELD_OK);
	EXPECT_INT(field_datetime("24:00", &t), FIELD_BAD);
	EXPECT_INT(field_datetime("09:60", &t), FIELD_BAD);
	EXPECT_INT(field_datetime("0915", &t), FIELD_BAD);
	EXPECT_INT(field_datetime("12/02/2567", &t), FIELD_BAD);
	EXPECT_INT(field_datetime("31/02/2567 09:15", &t), FIELD_BAD);
	EXPECT_INT(field_datetime("12/02/2567x09:15", &t), FIELD_BAD);
	EXPECT_INT(field_datetime("", &t), FIELD_EMPTY);
}

UNIT_TEST(field_year_be_and_ce)
{
	int			y = 0;

	EXPECT_INT(field_year("2567", &y), FIELD_OK);
	EXPECT_INT(y, 2567);
	EXPECT_INT(field_year(TH2 TH5 TH6 TH7, &y), FIELD_OK);
	EXPECT_INT(y, 2567);
	EXPECT_INT(field_year("2024", &y), FIELD_OK);
	EXPECT_INT(y, 2567);
	EXPECT_INT(field_year("2900", &y), FIELD_RANGE);
	EXPECT_INT(field_year("67", &y), FIELD_BAD);
	EXPECT_INT(field_year("25x7", &y), FIELD_BAD);
	EXPECT_INT(field_year("", &y), FIELD_EMPTY);
}

UNIT_TEST(field_ids_and_codes)
{
	char		id[14],
				hc[12],
				vc[9],
				ac[9];

	EXPECT_INT(field_national_id("1-1037-02488-99-2", id), FIELD_OK);
	EXPECT_STR(id, "1103702488992");
	EXPECT_INT(field_national_id("3 1006 00445 63 5", id), FIELD_OK);
	EXPECT_STR(id, "3100600445635");
	EXPECT_INT(field_national_id("3100600445635", id), FIELD_OK);
	EXPECT_INT(field_national_id("310060044563", id), FIELD_BAD);
	EXPECT_INT(field_national_id("31006004456351", id), FIELD_BAD);
	EXPECT_INT(field_national_id("3100600445635-", id), FIELD_BAD);
	EXPECT_INT(field_national_id("31006-0044563x", id), FIELD_BAD);
	EXPECT_INT(field_national_id("", id), FIELD_EMPTY);

	EXPECT_INT(field_house_code("5501-000123-4", hc), FIELD_OK);
	EXPECT_STR(hc, "55010001234");
	EXPECT_INT(field_house_code("55010001234", hc), FIELD_OK);
	EXPECT_INT(field_house_code("5501-000123", hc), FIELD_BAD);
	EXPECT_INT(field_house_code("5501/000123/4", hc), FIELD_BAD);

	EXPECT_INT(field_village_code("55010105", vc), FIELD_OK);
	EXPECT_STR(vc, "55010105");
	EXPECT_INT(field_village_code(TH5 TH5 TH0 "10105", vc), FIELD_OK);
	EXPECT_STR(vc, "55010105");
	EXPECT_INT(field_village_code("5501010", vc), FIELD_BAD);
	EXPECT_INT(field_village_code("550101055", vc), FIELD_BAD);
	EXPECT_INT(field_village_code("5501-0105", vc), FIELD_BAD);
	EXPECT_INT(field_village_code("", vc), FIELD_EMPTY);

	EXPECT_INT(field_area_code("55", ac), FIELD_OK);
	EXPECT_INT(field_area_code("5501", ac), FIELD_OK);
	EXPECT_INT(field_area_code("550101", ac), FIELD_OK);
	EXPECT_STR(ac, "550101");
	EXPECT_INT(field_area_code("55010105", ac), FIELD_OK);
	EXPECT_INT(field_area_code("550", ac), FIELD_BAD);
	EXPECT_INT(field_area_code("5501010501", ac), FIELD_BAD);
	EXPECT_INT(field_area_code("55a1", ac), FIELD_BAD);
}

UNIT_TEST(field_nationality_codes)
{
	char		n[3];

	EXPECT_INT(field_nationality("TH", n), FIELD_OK);
	EXPECT_STR(n, "TH");
	EXPECT_INT(field_nationality(" mm ", n), FIELD_OK);
	EXPECT_STR(n, "MM");
	EXPECT_INT(field_nationality("ไทย", n), FIELD_OK);
	EXPECT_STR(n, "TH");
	EXPECT_INT(field_nationality("THA", n), FIELD_BAD);
	EXPECT_INT(field_nationality("T1", n), FIELD_BAD);
	EXPECT_INT(field_nationality("Thai", n), FIELD_BAD);
	EXPECT_INT(field_nationality("", n), FIELD_EMPTY);
}

UNIT_TEST(field_key_text)
{
	char		k[300];

	EXPECT_INT(field_key(" 55010105-" TH0 "017 ", 64, k, sizeof k), FIELD_OK);
	EXPECT_STR(k, "55010105-0017");
	EXPECT_INT(field_key("ครัวเรือน-1", 64, k, sizeof k), FIELD_OK);
	EXPECT_INT(field_key("", 64, k, sizeof k), FIELD_EMPTY);
	EXPECT_INT(field_key("a\tb", 64, k, sizeof k), FIELD_BAD);
	/* 65 characters */
	EXPECT_INT(field_key("12345678901234567890123456789012345678901234567890123456789012345",
						 64, k, sizeof k), FIELD_RANGE);
	/* 64 Thai characters are 192 bytes and still fit */
	{
		char		thai[64 * 3 + 1];

		for (int i = 0; i < 64; i++)
			memcpy(thai + i * 3, "ก", 3);
		thai[64 * 3] = '\0';
		EXPECT_INT(field_key(thai, 64, k, sizeof k), FIELD_OK);
		EXPECT_INT(field_utf8_chars(k), 64);
	}
}

UNIT_TEST(field_utf8_checks)
{
	size_t		bad = 0;
	unsigned	st = 0;

	EXPECT(field_utf8_valid("abc ไทย", strlen("abc ไทย"), &bad));
	EXPECT(!field_utf8_valid("ab\xE0\xB9", 4, &bad));
	EXPECT_INT(bad, 4);
	EXPECT(!field_utf8_valid("a\xA1" "b", 3, &bad));	/* a CP874 byte */
	EXPECT_INT(bad, 1);
	EXPECT(!field_utf8_valid("a\0b", 3, &bad));
	EXPECT_INT(bad, 1);
	EXPECT(!field_utf8_valid("\xC0\xAF", 2, &bad));	/* overlong */
	EXPECT(!field_utf8_valid("\xED\xA0\x80", 3, &bad));	/* surrogate */
	/* A character split over two chunks. */
	EXPECT(field_utf8_feed(&st, (const unsigned char *) "x\xE0\xB9", 3, &bad));
	EXPECT(st != 0);
	EXPECT(field_utf8_feed(&st, (const unsigned char *) "\x90y", 2, &bad));
	EXPECT_INT(st, 0);
	EXPECT(!field_utf8_feed(&st, (const unsigned char *) "\xE0x", 2, &bad));
	EXPECT_INT(bad, 1);
}

UNIT_TEST(field_for_message_shortens)
{
	char		out[128];

	field_for_message("a\nb", out, sizeof out);
	EXPECT_STR(out, "a\\nb");
	field_for_message("0123456789012345678901234567890123456789012345", out, sizeof out);
	EXPECT_STR(out, "0123456789012345678901234567890123456789...");
	/* Cut at a character boundary, never inside one. */
	field_for_message("ไทยไทย", out, 8);
	EXPECT_STR(out, "ไ...");
	field_for_message("ไทยไทย", out, 9);
	EXPECT_STR(out, "ไ...");
	field_for_message("ไทยไทย", out, 11);
	EXPECT_STR(out, "ไท...");
}
