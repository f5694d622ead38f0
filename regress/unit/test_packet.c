/*
 * test_packet.c: the pure helpers of `bmn report`: HTML and CSS escaping of Thai and
 * other text, CSV quoting, digit grouping, cutting Thai text to a width, Thai dates,
 * area titles, and the geometry and markup of the SVG bar charts.
 */
#include <math.h>

#include "unit.h"
#include "packet_fmt.h"
#include "packet_svg.h"

/* The helper's output for one call, in a static buffer the next call reuses. */
static copybuf out;

static const char *
html(const char *s)
{
	copybuf_reset(&out);
	pk_html(&out, s);
	return out.data ? out.data : "";
}

static const char *
csv(const char *s)
{
	copybuf_reset(&out);
	pk_csv_field(&out, s);
	return out.data ? out.data : "";
}

static const char *
grouped(const char *s)
{
	copybuf_reset(&out);
	pk_group_digits(&out, s);
	return out.data ? out.data : "";
}

UNIT_TEST(packet_html_escapes_every_special_character)
{
	EXPECT_STR(html("a&b<c>\"d'e"), "a&amp;b&lt;c&gt;&quot;d&#39;e");
	EXPECT_STR(html("<script>alert('x')</script>"),
			   "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	/* Thai passes unchanged, byte for byte. */
	EXPECT_STR(html("บ้านนาเหลือง & ป่าแดง"), "บ้านนาเหลือง &amp; ป่าแดง");
	/* Control characters other than tab and newline are dropped. */
	EXPECT_STR(html("a\x01" "b\tc\nd\x7f"), "ab\tc\nd");
	EXPECT_STR(html(NULL), "");
	EXPECT_STR(html(""), "");
	copybuf_reset(&out);
	pk_html_n(&out, "<ab>", 2);
	EXPECT_STR(out.data, "&lt;a");
}

UNIT_TEST(packet_css_string_is_safe_inside_style)
{
	copybuf_reset(&out);
	pk_css_string(&out, "a\"b\\c</style>");
	EXPECT_STR(out.data, "a\\22 b\\5C c\\3C \\2F style\\3E ");
	copybuf_reset(&out);
	pk_css_string(&out, "จปฐ. 2562 · จังหวัดน่าน");
	EXPECT_STR(out.data, "จปฐ\\2E  2562 · จังหวัดน่าน");
}

UNIT_TEST(packet_csv_quotes_only_when_needed)
{
	EXPECT_STR(csv("plain"), "plain");
	EXPECT_STR(csv("น่าน"), "น่าน");
	EXPECT_STR(csv("1,000"), "\"1,000\"");
	EXPECT_STR(csv("say \"hi\""), "\"say \"\"hi\"\"\"");
	EXPECT_STR(csv("two\nlines"), "\"two\nlines\"");
	EXPECT_STR(csv("cr\rhere"), "\"cr\rhere\"");
	EXPECT_STR(csv(" padded"), "\" padded\"");
	EXPECT_STR(csv("padded "), "\"padded \"");
	EXPECT_STR(csv(NULL), "");
	EXPECT_STR(csv(""), "");
}

UNIT_TEST(packet_groups_digits_of_numbers_only)
{
	EXPECT_STR(grouped("0"), "0");
	EXPECT_STR(grouped("999"), "999");
	EXPECT_STR(grouped("1000"), "1,000");
	EXPECT_STR(grouped("1955"), "1,955");
	EXPECT_STR(grouped("99.33"), "99.33");
	EXPECT_STR(grouped("1234567.891"), "1,234,567.891");
	EXPECT_STR(grouped("-1234"), "-1,234");
	EXPECT_STR(grouped("+123456"), "+123,456");
	EXPECT_STR(grouped("12345678901234567890"), "12,345,678,901,234,567,890");
	EXPECT_STR(grouped("12."), "12.");
	/* Not numbers: as they are. */
	EXPECT_STR(grouped("NaN"), "NaN");
	EXPECT_STR(grouped("1e5"), "1e5");
	EXPECT_STR(grouped("1,000"), "1,000");
	EXPECT_STR(grouped(".5"), ".5");
	EXPECT_STR(grouped("-"), "-");
	EXPECT_STR(grouped(""), "");
	copybuf_reset(&out);
	EXPECT(!pk_group_digits(&out, NULL));
	EXPECT(pk_is_number("38000"));
	EXPECT(pk_is_number("-0.5"));
	EXPECT(!pk_is_number("1.2.3"));
	EXPECT(!pk_is_number("12 "));
	EXPECT(!pk_is_number(NULL));
	copybuf_reset(&out);
	pk_html_num(&out, "<b>");
	EXPECT_STR(out.data, "&lt;b&gt;");
	copybuf_reset(&out);
	pk_html_num(&out, "81997.24");
	EXPECT_STR(out.data, "81,997.24");
}

UNIT_TEST(packet_cuts_thai_text_by_display_cells)
{
	bool		cut;

	EXPECT_INT(pk_utf8_prefix("abc", 2, &cut), 2);
	EXPECT(cut);
	EXPECT_INT(pk_utf8_prefix("abc", 3, &cut), 3);
	EXPECT(!cut);
	EXPECT_INT(pk_utf8_prefix("", 3, &cut), 0);
	EXPECT(!cut);
	/* ที่: one consonant and two marks above it, one cell. */
	EXPECT_INT(pk_utf8_prefix("ที่", 1, &cut), 9);
	EXPECT(!cut);
	/* น้ำ: the tone mark stays with its consonant; sara am takes a cell. */
	EXPECT_INT(pk_utf8_prefix("น้ำ", 1, &cut), 6);
	EXPECT(cut);
	EXPECT_INT(pk_utf8_prefix("น้ำดื่ม", 2, &cut), 9);
	EXPECT(cut);
	/* Never inside a character: a 2-byte é counts one cell. */
	EXPECT_INT(pk_utf8_prefix("éa", 1, &cut), 2);
	EXPECT(cut);
	/* A cut sequence at the end is not read past. */
	EXPECT_INT(pk_utf8_prefix("a\xE0\xB8", 5, &cut), 3);
	EXPECT_INT(pk_utf8_prefix(NULL, 5, &cut), 0);
}

UNIT_TEST(packet_thai_dates_and_levels)
{
	copybuf_reset(&out);
	pk_thai_date(&out, 2025, 11, 21);
	EXPECT_STR(out.data, "21 พฤศจิกายน 2568");
	copybuf_reset(&out);
	pk_thai_date(&out, 2024, 1, 1);
	EXPECT_STR(out.data, "1 มกราคม 2567");
	copybuf_reset(&out);
	pk_thai_date(&out, 2024, 13, 1);
	EXPECT_STR(out.data, "");

	EXPECT_STR(pk_level_th("district"), "อำเภอ");
	EXPECT_STR(pk_level_en("tambon"), "tambon");
	EXPECT_STR(pk_level_th("nowhere"), "");
	EXPECT_STR(pk_child_level("country"), "province");
	EXPECT_STR(pk_child_level("province"), "district");
	EXPECT_STR(pk_child_level("district"), "tambon");
	EXPECT_STR(pk_child_level("tambon"), "village");
	EXPECT_STR(pk_child_level("lao"), "village");
	EXPECT(pk_child_level("village") == NULL);
	EXPECT(pk_child_level(NULL) == NULL);
}

UNIT_TEST(packet_area_titles)
{
#define TH(level, code, name, want) \
	do { copybuf_reset(&out); pk_area_title_th(&out, level, code, name); \
		 EXPECT_STR(out.data, want); } while (0)
#define EN(level, code, name, want) \
	do { copybuf_reset(&out); pk_area_title_en(&out, level, code, name); \
		 EXPECT_STR(out.data, want); } while (0)
	TH("province", "55", "น่าน", "จังหวัดน่าน");
	TH("district", "5501", "เมืองน่าน", "อำเภอเมืองน่าน");
	TH("tambon", "550101", "ในเวียง", "ตำบลในเวียง");
	TH("village", "55010105", "บ้านนาเหลือง", "หมู่ที่ 5 บ้านนาเหลือง");
	TH("village", "55010112", NULL, "หมู่ที่ 12");
	TH("lao", "5550401", "เทศบาลตำบลนาน้อย", "เทศบาลตำบลนาน้อย");
	TH("country", "TH", "ประเทศไทย", "ประเทศไทย");
	TH("district", "5501", NULL, "อำเภอ5501");
	EN("province", "55", "Nan", "Nan province");
	EN("district", "5501", "Mueang Nan", "Mueang Nan district");
	EN("village", "55010105", "Ban Na Lueang", "Village 5, Ban Na Lueang");
	EN("village", "55010105", "", "Village 5");
	EN("lao", "5550401", NULL, "LAO 5550401");
	EN("lao", "5550401", "Na Noi Subdistrict Municipality", "Na Noi Subdistrict Municipality");
	EN("country", "TH", "Thailand", "Thailand");
	EN("country", "TH", NULL, "Thailand");
	EN("tambon", "550101", NULL, "tambon 550101");
#undef TH
#undef EN
}

UNIT_TEST(packet_bar_geometry)
{
	EXPECT(fabs(pk_bar_width(50, 100, 400) - 200) < 1e-9);
	EXPECT(fabs(pk_bar_width(100, 100, 400) - 400) < 1e-9);
	EXPECT(fabs(pk_bar_width(150, 100, 400) - 400) < 1e-9);	/* clamped */
	EXPECT(pk_bar_width(-5, 100, 400) == 0);
	EXPECT(pk_bar_width(0, 100, 400) == 0);
	EXPECT(pk_bar_width(NAN, 100, 400) == 0);
	EXPECT(pk_bar_width(50, 0, 400) == 0);
	EXPECT(pk_bar_width(50, NAN, 400) == 0);
	EXPECT(pk_bar_width(50, 100, 0) == 0);

	EXPECT(pk_nice_max(87) == 100);
	EXPECT(pk_nice_max(100) == 100);
	EXPECT(pk_nice_max(101) == 200);
	EXPECT(pk_nice_max(187) == 200);
	EXPECT(pk_nice_max(230) == 250);
	EXPECT(pk_nice_max(38211) == 50000);
	EXPECT(pk_nice_max(84438.52) == 100000);
	EXPECT(fabs(pk_nice_max(1.6) - 2) < 1e-9);
	EXPECT(fabs(pk_nice_max(0.63) - 1) < 1e-9);
	EXPECT(pk_nice_max(0) == 1);
	EXPECT(pk_nice_max(-3) == 1);
	EXPECT(pk_nice_max(NAN) == 1);
	EXPECT(pk_nice_max(INFINITY) == 1);

	EXPECT_INT(pk_svg_height(0, false), PK_SVG_TOP + 4);
	EXPECT_INT(pk_svg_height(3, false), PK_SVG_TOP + 3 * PK_SVG_ROW + 4);
	EXPECT(pk_svg_height(3, true) > pk_svg_height(3, false));
}

UNIT_TEST(packet_svg_chart_markup)
{
	pk_bar		bars[] = {
		{"ครึ่ง <half>", "50.00", 50},
		{"ไม่มีข้อมูล", NULL, NAN},
		{"เต็ม", "1234", 100},
		{"ชื่อยาวมากจนต้องตัดออกเพราะไม่พอที่จะแสดงในแผนภูมิ", "10", 10},
	};
	pk_chart	c = {"Test & chart", 100, 95, "95%", "%", true};
	char		want[128];

	copybuf_reset(&out);
	pk_svg_hbars(&out, &c, bars, 4);
	EXPECT(strncmp(out.data, "<svg class=\"chart\"", 18) == 0);
	EXPECT(strstr(out.data, "aria-label=\"Test &amp; chart\"") != NULL);
	EXPECT(strstr(out.data, "http") == NULL);
	EXPECT(strstr(out.data, "<half>") == NULL);
	EXPECT(strstr(out.data, "ครึ่ง &lt;half&gt;") != NULL);
	/* Half of the axis: half of the span, the rest drawn as failed. */
	snprintf(want, sizeof want, "width=\"%.1f\"",
			 (PK_SVG_WIDTH - PK_SVG_LABEL - PK_SVG_VALUE - 12) / 2.0);
	EXPECT(strstr(out.data, want) != NULL);
	EXPECT(strstr(out.data, "class=\"rest\"") != NULL);
	/* Figures as given, grouped; a missing one as a dash. */
	EXPECT(strstr(out.data, ">50.00</text>") != NULL);
	EXPECT(strstr(out.data, ">1,234</text>") != NULL);
	EXPECT(strstr(out.data, ">–</text>") != NULL);
	/* Four bars' groups, three rects for the bars with a value (one full, no rest). */
	EXPECT(strstr(out.data, "class=\"ref\"") != NULL);
	EXPECT(strstr(out.data, ">95%</text>") != NULL);
	EXPECT(strstr(out.data, "…</text>") != NULL);
	EXPECT(strstr(out.data, "<title>ชื่อยาวมากจนต้องตัดออกเพราะไม่พอที่จะแสดงในแผนภูมิ: 10</title>") != NULL);
	EXPECT(strstr(out.data, "</svg>\n") != NULL);
	{
		int			rects = 0;

		for (const char *p = out.data; (p = strstr(p, "<rect")) != NULL; p++)
			rects++;
		EXPECT_INT(rects, 3 + 2);	/* three bars, two of them with a rest */
	}
	copybuf_free(&out);
}
