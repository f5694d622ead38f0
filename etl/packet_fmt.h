/*
 * packet_fmt.h: pure text helpers of `bmn report` (no I/O, no libpq): HTML escaping
 * of UTF-8 text, CSV quoting, digit grouping of the views' numbers, cutting Thai text
 * to a width, Thai dates, and the names of area levels in Thai and English.
 *
 * Figures are never computed here: numbers arrive as the server's text and only get
 * thousands separators, so the packet shows what an analyst's SQL shows.
 */
#ifndef BMN_PACKET_FMT_H
#define BMN_PACKET_FMT_H

#include <stdbool.h>
#include <stddef.h>

#include "load_util.h"

/* s (NULL: nothing) with & < > " ' escaped; control characters but tab and newline dropped. */
void		pk_html(copybuf *b, const char *s);
/* The first n bytes of s, escaped as pk_html does. */
void		pk_html_n(copybuf *b, const char *s, size_t n);

/*
 * s as the inside of a CSS string (content: "..."), safe inside <style>: ASCII other
 * than letters, digits and space written as hex escapes; UTF-8 beyond ASCII kept.
 */
void		pk_css_string(copybuf *b, const char *s);

/*
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF or starts or
 * ends with a space, quotes doubled. NULL is the empty field.
 */
void		pk_csv_field(copybuf *b, const char *s);

/*
 * A number as the server writes it ("-1234567.89", "1955") with a comma between
 * groups of three digits of its whole part ("-1,234,567.89"). Anything that is not
 * such a number (NULL, "NaN", "", text) is appended as it is; returns whether s was
 * a number. No escaping is needed: the output is digits, sign, point and commas, or
 * s itself, which callers escape.
 */
bool		pk_group_digits(copybuf *b, const char *s);
/* Whether s is such a number. */
bool		pk_is_number(const char *s);
/* A number grouped as pk_group_digits does; anything else escaped as pk_html does. */
void		pk_html_num(copybuf *b, const char *s);

/*
 * The number of leading bytes of s that fit in max_cells display cells: Thai vowel
 * and tone marks written above or below a consonant take no cell, and a cut never
 * falls inside a character or before its marks. *cut tells whether s was cut.
 */
size_t		pk_utf8_prefix(const char *s, int max_cells, bool *cut);

/* A date as Thais write it: "21 พฤศจิกายน 2568" (year BE); month 1-12. */
void		pk_thai_date(copybuf *b, int year_ce, int month, int day);

/* Area levels: village, tambon, lao, district, province, country. */
const char *pk_level_th(const char *level);
const char *pk_level_en(const char *level);
/* The level of the sub-areas charted under an area of this level; NULL for a village. */
const char *pk_child_level(const char *level);

/*
 * The area as a title: "จังหวัดน่าน" / "Nan province", "หมู่ที่ 5 บ้านนาเหลือง" /
 * "Village 5, Ban Na Lueang". name_en may be NULL or empty (the code is used).
 * Not escaped: callers escape.
 */
void		pk_area_title_th(copybuf *b, const char *level, const char *code,
							 const char *name_th);
void		pk_area_title_en(copybuf *b, const char *level, const char *code,
							 const char *name_en);

#endif
