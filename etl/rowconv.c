/*
 * rowconv.c: column tables to COPY text (see rowconv.h).
 *
 * Messages quote the value as written and say what was expected, in the words of the
 * export's documentation, so that whoever fixes the file needs nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "rowconv.h"

/* Longest text key or code kept as text (household_id, collector_id, lao_code). */
#define KEY_MAX_CHARS 64

bool
rowconv_init(rowconv *rc, const char *file, const coldef *cols, size_t ncols,
			 const csvr_row *header)
{
	const char **names = load_xmalloc(ncols * sizeof(char *));
	char		unknown[512],
				dup[128];
	int			n_unknown;
	bool		ok = true;

	rc->file = file;
	rc->encoding = rc->encoding ? rc->encoding : "UTF-8";
	rc->cols = cols;
	rc->ncols = ncols;
	rc->pos = load_xmalloc(ncols * sizeof(int));
	rc->header_fields = header->nfields;
	rc->positions = false;
	for (size_t i = 0; i < ncols; i++)
		names[i] = cols[i].name;
	n_unknown = csvr_match_header(header, names, ncols, rc->pos, unknown, sizeof unknown,
								  dup, sizeof dup);
	free(names);
	if (n_unknown < 0)
	{
		report_error(file, header->line, 0, "column \"%s\" appears twice in the header", dup);
		rowconv_free(rc);
		return false;
	}
	for (size_t i = 0; i < ncols; i++)
		if (cols[i].required && rc->pos[i] < 0)
		{
			report_error(file, header->line, 0, "required column \"%s\" is missing", cols[i].name);
			ok = false;
		}
	if (!ok)
		rowconv_free(rc);
	if (ok && n_unknown > 0)
		report_warning(file, header->line, 0, "%s %s ignored: %s",
					   n_unknown == 1 ? "unknown column" : "unknown columns",
					   n_unknown == 1 ? "is" : "are", unknown);
	return ok;
}

void
rowconv_init_fields(rowconv *rc, const char *file, const coldef *cols, size_t ncols)
{
	rc->file = file;
	rc->encoding = rc->encoding ? rc->encoding : "UTF-8";
	rc->cols = cols;
	rc->ncols = ncols;
	rc->pos = load_xmalloc(ncols * sizeof(int));
	for (size_t i = 0; i < ncols; i++)
		rc->pos[i] = (int) i;
	rc->header_fields = ncols;
	rc->positions = true;
}

void
rowconv_free(rowconv *rc)
{
	free(rc->pos);
	rc->pos = NULL;
}

void
rowconv_copy_columns(const rowconv *rc, copybuf *out)
{
	bool		first = true;

	for (size_t i = 0; i < rc->ncols; i++)
	{
		const coldef *c = &rc->cols[i];

		if (!c->copied)
			continue;
		copybuf_printf(out, "%s%s", first ? "" : ", ", c->name);
		if (c->type == COL_BIRTH_DATE)
			copybuf_puts(out, ", birth_day_known, birth_month_known");
		first = false;
	}
}

int
rowconv_column_no(const rowconv *rc, const char *name)
{
	for (size_t i = 0; i < rc->ncols; i++)
		if (strcmp(rc->cols[i].name, name) == 0)
			return rc->pos[i] + 1;
	return 0;
}

/* Where field p (-1: none) of row is. */
static void
where(const rowconv *rc, const csvr_row *row, int p, unsigned long *line, int *col)
{
	if (rc->positions && row->field_lines && p >= 0 && (size_t) p < row->nfields)
	{
		*line = row->field_lines[p];
		*col = row->field_cols[p];
	}
	else if (rc->positions)
	{
		*line = row->line;		/* the element is absent: where its parent starts */
		*col = row->start_col;
	}
	else
	{
		*line = row->line;
		*col = p + 1;
	}
}

void
rowconv_where(const rowconv *rc, const csvr_row *row, const char *name,
			  unsigned long *line, int *col)
{
	int			p = -1;

	for (size_t i = 0; i < rc->ncols; i++)
		if (strcmp(rc->cols[i].name, name) == 0)
			p = rc->pos[i];
	where(rc, row, p, line, col);
}

static void
put_date(copybuf *out, const fdate *d)
{
	copybuf_long(out, d->year, 4);
	copybuf_putc(out, '-');
	copybuf_long(out, d->month, 2);
	copybuf_putc(out, '-');
	copybuf_long(out, d->day, 2);
}

/* Where and what a message is about. */
typedef struct
{
	const rowconv *rc;
	const csvr_row *row;
	const coldef *col;
	int			field;			/* index in the row, -1: absent */
	const char *value;
} cell;

static void
cell_error(const cell *c, const char *fmt, const char *arg)
{
	unsigned long line;
	int			col;
	char		msg[640];

	where(c->rc, c->row, c->field, &line, &col);
	snprintf(msg, sizeof msg, fmt, arg);
	report_error(c->rc->file, line, col, "%s %s", c->col->name, msg);
}

static void
bad(const cell *c, const char *fmt)
{
	char		shown[160];

	field_for_message(c->value, shown, sizeof shown);
	/* fmt has one %s for the shown value. */
	cell_error(c, fmt, shown);
}

/*
 * A field of a row with bad bytes: NUL bytes, or bytes that are not text in the
 * file's encoding (TEXTENC_BAD after decoding). False when it has some (reported).
 */
static bool
clean_bytes(const cell *c)
{
	size_t		len;

	if (c->field < 0 || (size_t) c->field >= c->row->nfields)
		return true;
	len = c->row->lens[c->field];
	if (strlen(c->value) != len)
	{
		cell_error(c, "%s", "contains a NUL byte (is the file damaged, or not a text file?)");
		return false;
	}
	if (memchr(c->value, TEXTENC_BAD, len) != NULL)
	{
		cell_error(c, "contains bytes that are not %s text (is the file damaged, or in "
				   "another encoding? see --encoding)", c->rc->encoding);
		return false;
	}
	return true;
}

/*
 * Converts one value. Returns false when it is bad (reported). Writes the COPY text
 * when the column is copied.
 */
static bool
convert(const cell *c, copybuf *out, rowvals *v)
{
	const coldef *col = c->col;
	const char *s = c->value;
	bool		copied = col->copied;
	char		buf[FIELD_SHORT_MAX + 8];
	field_status st;

	if (c->row->bad_bytes && !clean_bytes(c))
		return false;

	/*
	 * Most values of an export are a single digit or nothing: answers, flags, codes.
	 * They are settled here without the general parsers (the same rules, faster).
	 */
	if (s[0] == '\0' && !col->required && copied)
	{
		copybuf_null(out);
		if (col->type == COL_BIRTH_DATE)
			copybuf_puts(out, "\tt\tt");
		return true;
	}
	if (s[0] >= '0' && s[0] <= '9' && s[1] == '\0' && copied)
	{
		switch (col->type)
		{
			case COL_ANSWER:
				if (s[0] == '9')
					copybuf_null(out);
				else if (s[0] <= '1')
					copybuf_putc(out, s[0] == '1' ? 't' : 'f');
				else
					break;
				return true;
			case COL_FLAG:
				if (s[0] > '1')
					break;
				copybuf_putc(out, s[0] == '1' ? 't' : 'f');
				return true;
			case COL_CODE:
				if (s[0] - '0' < col->lo || s[0] - '0' > col->hi)
					break;
				copybuf_putc(out, s[0]);
				return true;
			case COL_MONEY:
				copybuf_putc(out, s[0]);
				copybuf_append(out, ".00", 3);
				return true;
			default:
				break;
		}
	}

	/* Blank, or '-' in an optional non-text column: no value. */
	if (col->type != COL_ANSWER &&
		(field_is_blank(s) ||
		 (!col->required && col->type != COL_TEXT && field_is_none(s))))
	{
		if (col->required)
		{
			cell_error(c, "%s", "has no value, but it is required");
			return false;
		}
		if (copied)
			copybuf_null(out);
		if (col->type == COL_BIRTH_DATE && copied)
			copybuf_puts(out, "\tt\tt");
		return true;
	}

	switch (col->type)
	{
		case COL_KEY:
		case COL_CODE_TEXT:
			{
				char	   *dst = col->type == COL_KEY ? v->key : buf;
				size_t		dstsz = col->type == COL_KEY ? sizeof v->key : sizeof buf;

				if (col->type == COL_CODE_TEXT && strcmp(col->name, "lao_code") == 0)
					dst = v->lao_code, dstsz = sizeof v->lao_code;
				st = field_key(s, KEY_MAX_CHARS, dst, dstsz);
				if (st == FIELD_RANGE)
				{
					dst[0] = '\0';
					bad(c, "\"%s\" is longer than 64 characters");
					return false;
				}
				if (st != FIELD_OK)
				{
					dst[0] = '\0';
					bad(c, "\"%s\" contains a tab, a line break or another control character");
					return false;
				}
				if (copied)
					copybuf_value(out, dst, strlen(dst));
				return true;
			}
		case COL_TEXT:
			{
				size_t		len;
				const char *t = field_trim(s, &len);

				if (strcmp(col->name, "village_name") == 0)
					v->village_name = t, v->village_name_len = len;
				else if (strcmp(col->name, "lao_name") == 0)
					v->lao_name = t, v->lao_name_len = len;
				if (copied)
					copybuf_value(out, t, len);
				return true;
			}
		case COL_YEAR:
			st = field_year(s, &v->year);
			if (st == FIELD_RANGE)
			{
				v->year = 0;
				bad(c, "\"%s\" is outside the years 2400-2800 BE");
				return false;
			}
			if (st != FIELD_OK)
			{
				v->year = 0;
				bad(c, "\"%s\" is not a year (write the Buddhist Era year, such as 2567)");
				return false;
			}
			if (copied)
				copybuf_long(out, v->year, 1);
			return true;
		case COL_VILLAGE:
			if (field_village_code(s, v->village) != FIELD_OK)
			{
				v->village[0] = '\0';
				bad(c, "\"%s\" is not an 8-digit village code (province, district, tambon, village number)");
				return false;
			}
			if (copied)
				copybuf_puts(out, v->village);
			return true;
		case COL_HOUSE_CODE:
			if (field_house_code(s, buf) != FIELD_OK)
			{
				bad(c, "\"%s\" is not an 11-digit house code (such as 5501-000123-4)");
				return false;
			}
			if (copied)
				copybuf_puts(out, buf);
			return true;
		case COL_LATITUDE:
		case COL_LONGITUDE:
			{
				double		deg;
				double		lim = col->type == COL_LATITUDE ? 90 : 180;

				st = field_decimal(s, buf, sizeof buf, &deg);
				if (st != FIELD_OK)
				{
					bad(c, "\"%s\" is not a number of degrees (such as 18.7763)");
					return false;
				}
				if (deg < -lim || deg > lim)
				{
					bad(c, col->type == COL_LATITUDE ? "\"%s\" is outside -90 to 90 degrees"
						: "\"%s\" is outside -180 to 180 degrees");
					return false;
				}
				if (copied)
					copybuf_puts(out, buf);
				return true;
			}
		case COL_DATE:
			st = field_date(s, &v->date);
			v->date_ok = (st == FIELD_OK);
			if (st == FIELD_RANGE)
			{
				bad(c, "\"%s\" has a year out of range");
				return false;
			}
			if (st != FIELD_OK)
			{
				bad(c, "\"%s\" is not a valid date (DD/MM/YYYY or YYYY-MM-DD)");
				return false;
			}
			if (copied)
				put_date(out, &v->date);
			return true;
		case COL_TIME:
			{
				fdatetime	t;

				st = field_datetime(s, &t);
				if (st != FIELD_OK)
				{
					bad(c, "\"%s\" is not a time (HH:MM or HH:MM:SS) or a date and time");
					return false;
				}
				if (!copied)
					return true;
				if (!t.has_date && !v->date_ok)
				{
					copybuf_null(out);	/* the row is rejected for its date anyway */
					return true;
				}
				put_date(out, t.has_date ? &t.date : &v->date);
				copybuf_putc(out, ' ');
				copybuf_long(out, t.hour, 2);
				copybuf_putc(out, ':');
				copybuf_long(out, t.minute, 2);
				copybuf_putc(out, ':');
				copybuf_long(out, t.second, 2);
				return true;
			}
		case COL_FLAG:
			{
				bool		b;

				if (field_flag(s, &b) != FIELD_OK)
				{
					bad(c, "\"%s\" must be 1 (yes) or 0 (no)");
					return false;
				}
				if (copied)
					copybuf_putc(out, b ? 't' : 'f');
				return true;
			}
		case COL_MONEY:
			{
				long long	satang;

				st = field_money(s, &satang);
				if (st == FIELD_RANGE)
				{
					field_normalize(s, buf, sizeof buf);
					bad(c, buf[0] == '-' ? "\"%s\" is negative; amounts are baht per year, 0 or more"
						: "\"%s\" is too large (1,000,000,000,000 baht or more)");
					return false;
				}
				if (st != FIELD_OK)
				{
					bad(c, "\"%s\" is not an amount of baht (such as 1200 or \"1,200.50\")");
					return false;
				}
				if (copied)
				{
					copybuf_long(out, satang / 100, 1);
					copybuf_putc(out, '.');
					copybuf_long(out, satang % 100, 2);
				}
				return true;
			}
		case COL_ANSWER:
			{
				int			a;

				if (field_answer(s, &a) != FIELD_OK)
				{
					bad(c, "\"%s\" is not an answer (1 pass, 0 fail; empty, - or 9 not applicable)");
					return false;
				}
				if (copied)
				{
					if (a < 0)
						copybuf_null(out);
					else
						copybuf_putc(out, a ? 't' : 'f');
				}
				return true;
			}
		case COL_MEMBER_NO:
			if (field_int(s, 1, 32767, &v->member_no) != FIELD_OK)
			{
				v->member_no = 0;
				bad(c, "\"%s\" is not a member number (1, 2, ...)");
				return false;
			}
			if (copied)
				copybuf_long(out, v->member_no, 1);
			return true;
		case COL_NATIONAL_ID:
			if (field_national_id(s, buf) != FIELD_OK)
			{
				bad(c, "\"%s\" is not a 13-digit national ID");
				return false;
			}
			if (copied)
				copybuf_puts(out, buf);
			return true;
		case COL_CODE:
			{
				long		code;
				char		fmt[256];

				if (field_int(s, col->lo, col->hi, &code) != FIELD_OK)
				{
					snprintf(fmt, sizeof fmt, "\"%%s\" is not one of the codes %s", col->meaning);
					bad(c, fmt);
					return false;
				}
				if (copied)
					copybuf_long(out, code, 1);
				return true;
			}
		case COL_BIRTH_DATE:
			{
				fbirth		b;

				st = field_birth_date(s, &b);
				if (st == FIELD_RANGE)
				{
					bad(c, "\"%s\" has a year out of range");
					return false;
				}
				if (st != FIELD_OK)
				{
					bad(c, "\"%s\" is not a valid date (DD/MM/YYYY or YYYY-MM-DD; day or month 00 when unknown)");
					return false;
				}
				if (copied)
				{
					put_date(out, &b.date);
					copybuf_puts(out, b.day_known ? "\tt" : "\tf");
					copybuf_puts(out, b.month_known ? "\tt" : "\tf");
				}
				return true;
			}
		case COL_NATIONALITY:
			if (field_nationality(s, buf) != FIELD_OK)
			{
				bad(c, "\"%s\" is not a two-letter country code (TH for Thai)");
				return false;
			}
			if (copied)
				copybuf_puts(out, buf);
			return true;
		case COL_STATUS:
			{
				int			status;

				if (field_registry_status(s, &status) != FIELD_OK)
				{
					bad(c, "\"%s\" is not a status (1 or เจ้าบ้าน householder, 2 or ผู้อาศัย resident)");
					return false;
				}
				if (copied)
					copybuf_putc(out, (char) ('0' + status));
				return true;
			}
	}
	return false;
}

int
rowconv_row(const rowconv *rc, const csvr_row *row, copybuf *out, rowvals *v)
{
	int			errors = 0;
	bool		first = true;

	memset(v, 0, sizeof *v);
	v->village_name = v->lao_name = "";
	if (row->nfields > rc->header_fields && !rc->positions)
	{
		report_error(rc->file, row->line, (int) rc->header_fields + 1,
					 "this row has %zu fields, but the header has %zu "
					 "(a number with a comma must be in quotes: \"1,200\")",
					 row->nfields, rc->header_fields);
		errors++;
	}
	for (size_t i = 0; i < rc->ncols; i++)
	{
		const coldef *col = &rc->cols[i];
		int			p = rc->pos[i];
		cell		c = {rc, row, col, p, ""};

		if (col->copied && !first)
			copybuf_sep(out);
		if (col->copied)
			first = false;
		if (p >= 0 && (size_t) p < row->nfields)
			c.value = row->fields[p];
		else if (p < 0)
		{
			/* The column is not in the file (it is optional). */
			if (col->copied)
			{
				copybuf_null(out);
				if (col->type == COL_BIRTH_DATE)
					copybuf_puts(out, "\tt\tt");
			}
			continue;
		}
		if (!convert(&c, out, v))
			errors++;
	}
	return errors;
}
