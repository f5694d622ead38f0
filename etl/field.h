/*
 * field.h: pure parsers for the values of the input files (formats.md).
 *
 * No I/O, no libpq, no global state: every function takes a NUL-terminated field as
 * libcsv gives it and returns a field_status, so the same code is unit-tested, fuzzed
 * and used by the loader. Digits may be ASCII or Thai (U+0E50-U+0E59) everywhere a
 * number, code or date is read; white space around a value is ignored.
 */
#ifndef BMN_FIELD_H
#define BMN_FIELD_H

#include <stdbool.h>
#include <stddef.h>

typedef enum
{
	FIELD_OK = 0,
	FIELD_EMPTY,				/* nothing but white space: no value */
	FIELD_BAD,					/* does not parse */
	FIELD_RANGE					/* parses, but outside what is allowed */
} field_status;

/* A calendar date, Common Era. */
typedef struct
{
	int			year,
				month,
				day;
} fdate;

/* A birth date: the date ages are computed from, and which parts were known. */
typedef struct
{
	fdate		date;			/* day 00 taken as the 1st, month 00 as July */
	bool		day_known;
	bool		month_known;
} fbirth;

/* A date and a time of day; has_date is false for a bare time. */
typedef struct
{
	bool		has_date;
	fdate		date;
	int			hour,
				minute,
				second;
} fdatetime;

/* Longest normalised value the fixed-size parsers look at (ids, numbers, dates). */
#define FIELD_SHORT_MAX 96

/*
 * Copy s into out without surrounding white space and with Thai digits made ASCII.
 * Returns the length, or -1 when out (of outsz bytes) is too small.
 */
long		field_normalize(const char *s, char *out, size_t outsz);

/* s without surrounding white space: returns its start, *len its length. */
const char *field_trim(const char *s, size_t *len);

/* True when s holds nothing but white space. */
bool		field_is_blank(const char *s);

/* True when s is blank or a lone '-' (no value, in optional non-text columns). */
bool		field_is_none(const char *s);

/* Whole number lo..hi (leading zeros allowed, no sign, no separators). */
field_status field_int(const char *s, long lo, long hi, long *out);

/* 0 or 1. */
field_status field_flag(const char *s, bool *out);

/* Indicator answer: 1 pass, 0 fail; blank, '-' or '9' not applicable (*out = -1). */
field_status field_answer(const char *s, int *out);

/*
 * Amount of baht >= 0 with optional thousands separators ("1,234,567.50"), in
 * satang (hundredths), rounded half up. FIELD_RANGE: negative, or 10^12 baht or more.
 */
field_status field_money(const char *s, long long *satang);

/* Writes satang as a decimal "1234.50" into out; returns the length. */
int			field_format_money(long long satang, char *out, size_t outsz);

/*
 * Signed decimal number with optional thousands separators. out receives it without
 * separators ("-12.5"), *val its value.
 */
field_status field_decimal(const char *s, char *out, size_t outsz, double *val);

/*
 * Date DD/MM/YYYY or YYYY-MM-DD (day and month may have one digit). A year >= 2400 is
 * Buddhist Era and converted (BE = CE + 543). FIELD_RANGE: a year outside 1800-2299 CE.
 */
field_status field_date(const char *s, fdate *out);

/* Birth date: as field_date, but day and/or month may be 00 (unknown). */
field_status field_birth_date(const char *s, fbirth *out);

/*
 * A time HH:MM or HH:MM:SS, or a date, a space or 'T', and such a time. Fractions of
 * a second and a trailing time zone ("Z", "+07:00") are accepted and ignored.
 */
field_status field_datetime(const char *s, fdatetime *out);

/* Survey year: a BE year (a CE year is converted); FIELD_RANGE outside 2400-2800 BE. */
field_status field_year(const char *s, int *be_year);

/* 13-digit national ID, dashes and spaces allowed; out gets the 13 digits. */
field_status field_national_id(const char *s, char out[14]);

/* 11-digit house registry code, dashes and spaces allowed; out gets the 11 digits. */
field_status field_house_code(const char *s, char out[12]);

/* 8-digit village code, nothing else allowed. */
field_status field_village_code(const char *s, char out[9]);

/* Area code of 2, 4, 6 or 8 digits. */
field_status field_area_code(const char *s, char out[9]);

/* ISO 3166 alpha-2 country code, any case (ไทย is taken as TH); out is upper case. */
field_status field_nationality(const char *s, char out[3]);

/* Registry status: 1 or เจ้าบ้าน (householder), 2 or ผู้อาศัย (resident). */
field_status field_registry_status(const char *s, int *out);

/*
 * A key or code written as text (household_id, collector_id, lao_code): normalised
 * as field_normalize, 1..maxchars characters, no control characters.
 */
field_status field_key(const char *s, size_t maxchars, char *out, size_t outsz);

/* Number of characters (code points) of valid UTF-8. */
size_t		field_utf8_chars(const char *s);

/* True when s[0..n) is valid UTF-8 without NUL; *bad_at gets the offending offset. */
bool		field_utf8_valid(const char *s, size_t n, size_t *bad_at);

/*
 * Incremental UTF-8 check over consecutive chunks: state starts at 0; returns false
 * at the first invalid byte. After the last chunk the state must be 0 again.
 */
bool		field_utf8_feed(unsigned *state, const unsigned char *s, size_t n, size_t *bad_at);

/*
 * A value shown in a message: at most ~40 characters, control characters as \n, \t,
 * cut at a character boundary with "..." when longer.
 */
void		field_for_message(const char *s, char *out, size_t outsz);

#endif
