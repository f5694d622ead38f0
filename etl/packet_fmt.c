/*
 * packet_fmt.c: pure text helpers of `bmn report` (see packet_fmt.h).
 */
#include <stdlib.h>
#include <string.h>

#include "packet_fmt.h"

void
pk_html_n(copybuf *b, const char *s, size_t n)
{
	size_t		start = 0;

	if (s == NULL)
		return;
	for (size_t i = 0; i < n; i++)
	{
		const char *rep;
		unsigned char c = (unsigned char) s[i];

		switch (c)
		{
			case '&':
				rep = "&amp;";
				break;
			case '<':
				rep = "&lt;";
				break;
			case '>':
				rep = "&gt;";
				break;
			case '"':
				rep = "&quot;";
				break;
			case '\'':
				rep = "&#39;";
				break;
			default:
				/* Not allowed in HTML text; a value never needs them. */
				if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
					rep = "";
				else
					continue;
		}
		copybuf_append(b, s + start, i - start);
		copybuf_puts(b, rep);
		start = i + 1;
	}
	copybuf_append(b, s + start, n - start);
}

void
pk_html(copybuf *b, const char *s)
{
	if (s != NULL)
		pk_html_n(b, s, strlen(s));
}

void
pk_css_string(copybuf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *) s; p && *p; p++)
	{
		if (*p >= 0x80 || *p == ' ' || (*p >= '0' && *p <= '9') ||
			(*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			copybuf_putc(b, (char) *p);
		else if (*p >= 0x20 && *p != 0x7f)
			copybuf_printf(b, "\\%02X ", *p);
	}
}

void
pk_csv_field(copybuf *b, const char *s)
{
	size_t		n;

	if (s == NULL || *s == '\0')
		return;
	n = strlen(s);
	if (strpbrk(s, ",\"\r\n") == NULL && s[0] != ' ' && s[n - 1] != ' ')
	{
		copybuf_append(b, s, n);
		return;
	}
	copybuf_putc(b, '"');
	for (const char *p = s; *p; p++)
	{
		if (*p == '"')
			copybuf_putc(b, '"');
		copybuf_putc(b, *p);
	}
	copybuf_putc(b, '"');
}

bool
pk_is_number(const char *s)
{
	const char *p = s;
	size_t		whole;

	if (s == NULL)
		return false;
	if (*p == '-' || *p == '+')
		p++;
	whole = strspn(p, "0123456789");
	if (whole == 0)
		return false;
	p += whole;
	if (*p == '.')
		p += 1 + strspn(p + 1, "0123456789");
	return *p == '\0';
}

bool
pk_group_digits(copybuf *b, const char *s)
{
	const char *p = s;
	size_t		whole;

	if (!pk_is_number(s))
	{
		if (s)
			copybuf_puts(b, s);
		return false;
	}
	if (*p == '-' || *p == '+')
		p++;
	whole = strspn(p, "0123456789");
	copybuf_append(b, s, (size_t) (p - s));
	for (size_t i = 0; i < whole; i++)
	{
		if (i > 0 && (whole - i) % 3 == 0)
			copybuf_putc(b, ',');
		copybuf_putc(b, p[i]);
	}
	copybuf_puts(b, p + whole);
	return true;
}

void
pk_html_num(copybuf *b, const char *s)
{
	if (pk_is_number(s))
		pk_group_digits(b, s);
	else
		pk_html(b, s);
}

/* Thai marks above or below a consonant: U+0E31, U+0E34-U+0E3A, U+0E47-U+0E4E. */
static bool
thai_mark(const unsigned char *p)
{
	if (p[0] != 0xE0)
		return false;
	if (p[1] == 0xB8)
		return p[2] == 0xB1 || (p[2] >= 0xB4 && p[2] <= 0xBA);
	if (p[1] == 0xB9)
		return p[2] >= 0x87 && p[2] <= 0x8E;
	return false;
}

/* Bytes of the UTF-8 character at p (1 for a stray byte, never past the end). */
static size_t
char_len(const unsigned char *p)
{
	size_t		n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;

	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return i;
	return n;
}

size_t
pk_utf8_prefix(const char *s, int max_cells, bool *cut)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0;
	int			cells = 0;

	*cut = false;
	if (s == NULL)
		return 0;
	while (p[i])
	{
		size_t		n = char_len(p + i);

		if (!(n == 3 && thai_mark(p + i)))
		{
			if (cells == max_cells)
			{
				*cut = true;
				break;
			}
			cells++;
		}
		i += n;
	}
	return i;
}

void
pk_thai_date(copybuf *b, int year_ce, int month, int day)
{
	static const char *const months[12] = {
		"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
		"กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"
	};

	if (month < 1 || month > 12)
		return;
	copybuf_printf(b, "%d %s %d", day, months[month - 1], year_ce + 543);
}

static const struct
{
	const char *level,
			   *th,
			   *en,
			   *child;
}			levels[] = {
	{"country", "ประเทศ", "country", "province"},
	{"province", "จังหวัด", "province", "district"},
	{"district", "อำเภอ", "district", "tambon"},
	{"tambon", "ตำบล", "tambon", "village"},
	{"lao", "องค์กรปกครองส่วนท้องถิ่น", "local administration (LAO)", "village"},
	{"village", "หมู่บ้าน", "village", NULL},
};

static int
level_index(const char *level)
{
	for (size_t i = 0; level && i < sizeof levels / sizeof levels[0]; i++)
		if (strcmp(levels[i].level, level) == 0)
			return (int) i;
	return -1;
}

const char *
pk_level_th(const char *level)
{
	int			i = level_index(level);

	return i < 0 ? "" : levels[i].th;
}

const char *
pk_level_en(const char *level)
{
	int			i = level_index(level);

	return i < 0 ? "" : levels[i].en;
}

const char *
pk_child_level(const char *level)
{
	int			i = level_index(level);

	return i < 0 ? NULL : levels[i].child;
}

/* The village number (หมู่ที่) is the last two digits of a village code. */
static int
village_no(const char *code)
{
	size_t		n = code ? strlen(code) : 0;

	return n == 8 ? atoi(code + 6) : 0;
}

void
pk_area_title_th(copybuf *b, const char *level, const char *code, const char *name_th)
{
	const char *name = name_th && *name_th ? name_th : code;

	if (level == NULL || strcmp(level, "country") == 0 || strcmp(level, "lao") == 0)
		copybuf_puts(b, name ? name : "");
	else if (strcmp(level, "village") == 0)
	{
		copybuf_printf(b, "หมู่ที่ %d", village_no(code));
		if (name_th && *name_th)
			copybuf_printf(b, " %s", name_th);
	}
	else
		copybuf_printf(b, "%s%s", pk_level_th(level), name ? name : "");
}

void
pk_area_title_en(copybuf *b, const char *level, const char *code, const char *name_en)
{
	bool		named = name_en && *name_en;

	if (level == NULL)
		copybuf_puts(b, named ? name_en : code ? code : "");
	else if (strcmp(level, "country") == 0)
		copybuf_puts(b, named ? name_en : "Thailand");
	else if (strcmp(level, "village") == 0)
	{
		copybuf_printf(b, "Village %d", village_no(code));
		if (named)
			copybuf_printf(b, ", %s", name_en);
	}
	else if (!named)
		copybuf_printf(b, "%s %s", strcmp(level, "lao") == 0 ? "LAO" : pk_level_en(level),
					   code ? code : "");
	else if (strcmp(level, "lao") == 0)
		copybuf_puts(b, name_en);
	else
		copybuf_printf(b, "%s %s", name_en, pk_level_en(level));
}
