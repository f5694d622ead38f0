/*
 * rowconv.h: a table of columns (name, type, required) turns CSV rows into COPY text,
 * reporting every bad value as FILE:LINE:COLUMN: error: MESSAGE. The survey files
 * are described by such tables (load_survey.c); the checks themselves are the pure
 * parsers of field.h.
 */
#ifndef BMN_ROWCONV_H
#define BMN_ROWCONV_H

#include <stdbool.h>

#include "csvread.h"
#include "field.h"
#include "load_util.h"

typedef enum
{
	COL_KEY,					/* household_id: text key, at most 64 characters */
	COL_TEXT,					/* free text (names) */
	COL_CODE_TEXT,				/* a code kept as text, digits normalised (collector_id) */
	COL_YEAR,					/* survey year, BE */
	COL_VILLAGE,				/* 8-digit village code */
	COL_HOUSE_CODE,				/* 11-digit house registry code */
	COL_LATITUDE,
	COL_LONGITUDE,
	COL_DATE,
	COL_TIME,					/* a time (on the row's date) or a date-time */
	COL_FLAG,					/* 0 or 1 */
	COL_MONEY,					/* baht >= 0 */
	COL_ANSWER,					/* indicator answer */
	COL_MEMBER_NO,
	COL_NATIONAL_ID,
	COL_CODE,					/* a number in lo..hi */
	COL_BIRTH_DATE,				/* three COPY columns: date, day known, month known */
	COL_NATIONALITY,
	COL_STATUS					/* registry: 1 or เจ้าบ้าน householder, 2 or ผู้อาศัย resident */
} coltype;

typedef struct
{
	const char *name;			/* as in formats.md; also the database column */
	coltype		type;
	bool		required;
	bool		copied;			/* written into the COPY row */
	short		lo,
				hi;				/* COL_CODE */
	const char *meaning;		/* COL_CODE: the codes in words */
} coldef;

/* Values of a row that the loader needs besides its COPY text. */
typedef struct
{
	char		key[260];		/* COL_KEY, normalised; "" when bad or missing */
	int			year;			/* COL_YEAR; 0 when bad */
	char		village[9];		/* COL_VILLAGE; "" when bad */
	long		member_no;		/* COL_MEMBER_NO; 0 when bad */
	fdate		date;			/* the last COL_DATE */
	bool		date_ok;
	/* Fields by name for the village and LAO lists (trimmed; len 0 when absent). */
	const char *village_name;
	size_t		village_name_len;
	char		lao_code[260];
	const char *lao_name;
	size_t		lao_name_len;
} rowvals;

typedef struct
{
	const char *file;			/* for messages */
	const char *encoding;		/* the file's encoding, for messages about bad bytes */
	const coldef *cols;
	size_t		ncols;
	int		   *pos;			/* field index of each column, -1 when absent */
	size_t		header_fields;
	bool		positions;		/* rows say where each field is (XML), see csvr_row */
} rowconv;

/*
 * Matches the header. Reports missing required columns and names given twice
 * (errors: returns false) and unknown columns (one warning).
 */
bool		rowconv_init(rowconv *rc, const char *file, const coldef *cols, size_t ncols,
						 const csvr_row *header);
void		rowconv_free(rowconv *rc);

/* The COPY column list of the copied columns, "a, b, c". */
void		rowconv_copy_columns(const rowconv *rc, copybuf *out);

/*
 * Converts one row: appends the COPY text of its copied columns (tab-separated) to
 * out and fills *v. Returns the number of errors, each reported.
 */
int			rowconv_row(const rowconv *rc, const csvr_row *row, copybuf *out, rowvals *v);

/* Field index + 1 of a column by name (for messages about it), or 0. */
int			rowconv_column_no(const rowconv *rc, const char *name);

/*
 * Where a column of a row is, for a message: its line and column number (the field
 * number in CSV; for XML the element's line and column, or the row's own place when
 * the element is absent).
 */
void		rowconv_where(const rowconv *rc, const csvr_row *row, const char *name,
						  unsigned long *line, int *col);

/*
 * Columns for rows that are not CSV (XML): every column is a field, in the table's
 * order; rows then carry field_lines and field_cols. Cannot fail.
 */
void		rowconv_init_fields(rowconv *rc, const char *file, const coldef *cols, size_t ncols);

#endif
