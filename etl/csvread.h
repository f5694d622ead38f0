/*
 * csvread.h: streaming RFC 4180 reader over libcsv, one row at a time.
 *
 * Adds to libcsv what the loader needs: the line each row starts on (physical
 * lines, so that quoted line breaks count), the row's original bytes (for reject
 * files), a UTF-8 BOM skipped, CRLF/LF/CR line ends, rows of nothing but empty fields
 * skipped (spreadsheets append them), and bounded memory: a field longer than
 * CSVR_FIELD_MAX or a row longer than CSVR_ROW_MAX stops the reading.
 *
 * A malformed row (a stray quote) does not stop the reading: it is returned as
 * CSVR_BADROW with its bytes and the reader carries on at the next line.
 *
 * Input in CP874 or TIS-620 is decoded to UTF-8 before libcsv sees it (textenc.h);
 * bytes that are not text in the file's encoding reach the fields as TEXTENC_BAD, and
 * the row says so (bad_bytes), as it does for NUL bytes. raw is always the file's own
 * bytes, so that reject files are written in the input's encoding.
 */
#ifndef BMN_CSVREAD_H
#define BMN_CSVREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "textenc.h"

#define CSVR_FIELD_MAX (1024 * 1024)
#define CSVR_ROW_MAX (16 * 1024 * 1024)

typedef struct csvr csvr;

typedef struct
{
	size_t		nfields;
	char	  **fields;			/* NUL-terminated (a field may hold a NUL: see lens) */
	size_t	   *lens;
	unsigned long line;			/* physical line the row starts on, 1-based */
	unsigned long ordinal;		/* 0 for the first row (the header), then 1, 2, ... */
	const char *raw;			/* the row's bytes as in the file, without its line end */
	size_t		raw_len;
	bool		bad_bytes;		/* a field may hold NUL or TEXTENC_BAD bytes */
	/* Where each field is, when rows do not come from CSV (XML); NULL for CSV. */
	const unsigned long *field_lines;
	const int  *field_cols;
	int			start_col;		/* XML: the column where the row's element starts */
} csvr_row;

typedef enum
{
	CSVR_ROW = 1,				/* *row is a row */
	CSVR_EOF = 0,				/* no more rows */
	CSVR_BADROW = -1,			/* malformed row skipped: raw, line and ordinal are set,
								 * fields holds those read before the error */
	CSVR_FATAL = -2				/* cannot go on (too long, read error) */
} csvr_result;

/*
 * Opens a file (name is used in messages). Returns NULL with a message in err when
 * the file cannot be opened.
 */
csvr	   *csvr_open(const char *path, textenc enc, char *err, size_t errsz);

/* Reads from an open stream, which stays the caller's. NULL when out of memory. */
csvr	   *csvr_open_stream(FILE *f, textenc enc);

/* The field delimiter (',' unless set), before the first row is read. */
void		csvr_set_delimiter(csvr *r, unsigned char delim);

/*
 * The delimiter a header line uses: the most frequent of , | ; and tab outside
 * quotes (',' when none). Pure; s need not be NUL-terminated.
 */
unsigned char csvr_sniff_delimiter(const char *s, size_t n);

/*
 * The caller knows the file is valid UTF-8 without NUL bytes (its probe said so): the
 * reader need not check every chunk again.
 */
void		csvr_set_clean(csvr *r, bool clean);

/* Bytes of the file read so far (for progress). */
uint64_t	csvr_bytes_read(const csvr *r);

/*
 * The next row. Row data stays valid until the next call. On CSVR_BADROW and
 * CSVR_FATAL, csvr_error_message/line/column say what and where.
 */
csvr_result csvr_next(csvr *r, csvr_row *row);

const char *csvr_error_message(const csvr *r);
unsigned long csvr_error_line(const csvr *r);
int			csvr_error_column(const csvr *r);

/* The line end the file uses ("\r\n" or "\n"), for writing rows back in its format. */
const char *csvr_line_end(const csvr *r);

void		csvr_close(csvr *r);

/*
 * Matches a header row against wanted column names, case-insensitively and in any
 * order. pos[i] gets the field index of names[i], or -1. Returns the number of header
 * fields that match no name; their names are listed in unknown (", "-separated,
 * shortened with "..." when out of room). A name given twice in the header: returns
 * -1 and names it in dup.
 */
int			csvr_match_header(const csvr_row *header, const char *const *names, size_t n,
							  int *pos, char *unknown, size_t unknownsz,
							  char *dup, size_t dupsz);

#endif
