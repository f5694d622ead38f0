/*
 * csvread.c: streaming CSV rows over libcsv (see csvread.h).
 *
 * The input is fed to libcsv one physical line at a time (a segment ends at each CR
 * or LF), so at most one row can end per segment and it ends at the segment's end:
 * that is how rows get their line numbers and their original bytes without a
 * second parser.
 */
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "field.h"

#define READ_CHUNK (64 * 1024)
/* Room for a chunk decoded from a single-byte encoding (3 bytes per character). */
#define DECODED_MAX (3 * READ_CHUNK + 8)

struct csvr
{
	FILE	   *f;
	bool		own;
	textenc		enc;
	const textenc_table *table;	/* single-byte encodings */
	unsigned char delim;
	struct csv_parser p;

	/* The file's bytes (orig) and what libcsv reads (buf: decoded, or scrubbed UTF-8). */
	unsigned char *orig;
	size_t		olen,
				opos;			/* orig[opos] is the source of buf[pos] */
	unsigned char carry[4];		/* a UTF-8 sequence cut at the end of a read */
	size_t		ncarry;
	unsigned char *buf;
	size_t		len,
				pos;
	bool		chunk_bad;		/* buf holds NUL or TEXTENC_BAD bytes */
	bool		clean;			/* known valid UTF-8 without NUL: no check */
	bool		started;		/* BOM looked for */
	bool		eof;
	bool		finished;
	uint64_t	bytes_read;

	unsigned long line;			/* line of the next byte */
	bool		prev_cr;
	unsigned long n_crlf,
				n_lf;

	/* The row being read. */
	char	   *arena;			/* its fields, each NUL-terminated */
	size_t		alen,
				acap;
	size_t	   *offs,
			   *lens;
	char	  **ptrs;
	size_t		nf,
				fcap;
	bool		too_long;
	bool		field_too_long;
	bool		row_bad;
	char	   *raw;
	size_t		rlen,
				rcap;
	bool		in_row;
	bool		row_done;
	unsigned long row_line;
	unsigned long next_ordinal;

	char		err[256];
	unsigned long err_line;
	int			err_col;
};

/*
 * libcsv grows its field buffer through this. It wants room for one more byte (and
 * the NUL) before it sees the end of a field, hence the + 2; on_field checks the exact
 * limit.
 */
static void *
capped_realloc(void *ptr, size_t size)
{
	if (size > (size_t) CSVR_FIELD_MAX + 2)
		return NULL;
	return realloc(ptr, size);
}

static void
parser_init(csvr *r)
{
	csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_realloc_func(&r->p, capped_realloc);
	csv_set_blk_size(&r->p, 4096);
	csv_set_delim(&r->p, r->delim);
}

static void
set_error(csvr *r, unsigned long line, int col, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof r->err, fmt, ap);
	va_end(ap);
	r->err_line = line;
	r->err_col = col;
}

/* Grows *buf to hold need bytes; false when out of memory. */
static bool
grow(void **buf, size_t *cap, size_t need, size_t elem)
{
	size_t		n = *cap ? *cap : 256;
	void	   *nb;

	if (need <= *cap)
		return true;
	while (n < need)
		n *= 2;
	nb = realloc(*buf, n * elem);
	if (nb == NULL)
		return false;
	*buf = nb;
	*cap = n;
	return true;
}

static void
on_field(void *s, size_t len, void *data)
{
	csvr	   *r = data;

	if (r->too_long || r->field_too_long)
		return;
	if (len > CSVR_FIELD_MAX)
	{
		r->field_too_long = true;
		return;
	}
	if (r->alen + len + 1 > CSVR_ROW_MAX ||
		(r->alen + len + 1 > r->acap &&
		 !grow((void **) &r->arena, &r->acap, r->alen + len + 1, 1)))
	{
		r->too_long = true;
		return;
	}
	if (r->nf == r->fcap)
	{
		size_t		n = r->fcap ? r->fcap * 2 : 64;
		size_t	   *o = realloc(r->offs, n * sizeof(size_t));
		size_t	   *l;
		char	  **p;

		if (o)
			r->offs = o;
		l = o ? realloc(r->lens, n * sizeof(size_t)) : NULL;
		if (l)
			r->lens = l;
		p = l ? realloc(r->ptrs, n * sizeof(char *)) : NULL;
		if (p == NULL)
		{
			r->too_long = true;
			return;
		}
		r->ptrs = p;
		r->fcap = n;
	}
	if (len)
		memcpy(r->arena + r->alen, s, len);
	r->arena[r->alen + len] = '\0';
	r->offs[r->nf] = r->alen;
	r->lens[r->nf] = len;
	r->nf++;
	r->alen += len + 1;
}

static void
on_row(int c, void *data)
{
	(void) c;
	((csvr *) data)->row_done = true;
}

static csvr *
csvr_new(FILE *f, bool own, textenc enc)
{
	csvr	   *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->orig = malloc(READ_CHUNK + sizeof r->carry);
	r->buf = malloc(enc == TEXTENC_UTF8 ? READ_CHUNK + sizeof r->carry : DECODED_MAX);
	r->table = enc == TEXTENC_UTF8 ? NULL : textenc_table_get(enc);
	if (r->orig == NULL || r->buf == NULL || (enc != TEXTENC_UTF8 && r->table == NULL))
	{
		free(r->orig);
		free(r->buf);
		free(r);
		return NULL;
	}
	r->f = f;
	r->own = own;
	r->enc = enc;
	r->delim = ',';
	r->line = 1;
	parser_init(r);
	return r;
}

csvr *
csvr_open(const char *path, textenc enc, char *err, size_t errsz)
{
	FILE	   *f = fopen(path, "rb");
	csvr	   *r;

	if (f == NULL)
	{
		snprintf(err, errsz, "cannot open: %s", strerror(errno));
		return NULL;
	}
	r = csvr_new(f, true, enc);
	if (r == NULL)
	{
		fclose(f);
		snprintf(err, errsz, enc == TEXTENC_UTF8 ? "out of memory"
				 : "this system's iconv cannot decode %s", textenc_name(enc));
	}
	return r;
}

csvr *
csvr_open_stream(FILE *f, textenc enc)
{
	return csvr_new(f, false, enc);
}

void
csvr_set_delimiter(csvr *r, unsigned char delim)
{
	r->delim = delim;
	csv_set_delim(&r->p, delim);
}

unsigned char
csvr_sniff_delimiter(const char *s, size_t n)
{
	static const unsigned char cands[] = {',', '|', ';', '\t'};
	size_t		count[4] = {0};
	bool		quoted = false;
	unsigned char best = ',';
	size_t		most = 0;

	for (size_t i = 0; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++)
	{
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			for (int k = 0; k < 4; k++)
				count[k] += (unsigned char) s[i] == cands[k];
	}
	for (int k = 0; k < 4; k++)
		if (count[k] > most)
		{
			most = count[k];
			best = cands[k];
		}
	return best;
}

void
csvr_set_clean(csvr *r, bool clean)
{
	r->clean = clean && r->enc == TEXTENC_UTF8;
}

uint64_t
csvr_bytes_read(const csvr *r)
{
	return r->bytes_read;
}

void
csvr_close(csvr *r)
{
	if (r == NULL)
		return;
	csv_free(&r->p);
	if (r->own)
		fclose(r->f);
	free(r->orig);
	free(r->buf);
	free(r->arena);
	free(r->offs);
	free(r->lens);
	free(r->ptrs);
	free(r->raw);
	free(r);
}

const char *
csvr_error_message(const csvr *r)
{
	return r->err;
}

unsigned long
csvr_error_line(const csvr *r)
{
	return r->err_line;
}

int
csvr_error_column(const csvr *r)
{
	return r->err_col;
}

const char *
csvr_line_end(const csvr *r)
{
	/* Before the first LF is read (the header row ends at its CR): the CR says it. */
	if (r->n_crlf + r->n_lf == 0)
		return r->prev_cr ? "\r\n" : "\n";
	return r->n_crlf > r->n_lf ? "\r\n" : "\n";
}

/*
 * Fills the buffer: reads a chunk of the file and decodes it (CP874, TIS-620) or
 * checks it (UTF-8; a sequence cut at the end waits for the next read). Returns false
 * on a read error.
 */
static bool
refill(csvr *r)
{
	size_t		n,
				total,
				keep,
				nbad = 0;

	memcpy(r->orig, r->carry, r->ncarry);
	n = fread(r->orig + r->ncarry, 1, READ_CHUNK, r->f);
	if (n < READ_CHUNK)
	{
		if (ferror(r->f))
			return false;
		r->eof = true;
	}
	r->bytes_read += n;
	total = r->ncarry + n;
	r->ncarry = 0;
	r->pos = r->opos = 0;
	if (r->enc == TEXTENC_UTF8)
	{
		keep = r->eof ? total : textenc_utf8_cut(r->orig, total);
		r->ncarry = total - keep;
		memcpy(r->carry, r->orig + keep, r->ncarry);
		r->olen = r->len = keep;
		memcpy(r->buf, r->orig, keep);
		if (r->clean)
		{
			r->chunk_bad = false;
			goto bom;
		}
		if (!textenc_is_ascii(r->buf, keep))
			nbad = textenc_utf8_scrub(r->buf, keep);
	}
	else
	{
		r->olen = total;
		r->len = textenc_decode(r->table, r->orig, total, r->buf, &nbad);
	}
	r->chunk_bad = nbad > 0 || memchr(r->buf, 0, r->len) != NULL;
bom:
	if (!r->started)
	{
		r->started = true;
		if (r->enc == TEXTENC_UTF8 && r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
			r->pos = r->opos = 3;
	}
	return true;
}

static bool
is_blank(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

/* Length of the segment at the read position: up to and including a CR or LF. */
static size_t
segment_len(const csvr *r, bool *has_end)
{
	const unsigned char *s = r->buf + r->pos;
	size_t		n = r->len - r->pos;
	const unsigned char *lf = memchr(s, '\n', n),
			   *cr = memchr(s, '\r', lf ? (size_t) (lf - s) : n);
	const unsigned char *end = cr ? cr : lf;

	*has_end = end != NULL;
	return end ? (size_t) (end - s) + 1 : n;
}

static void
count_line_end(csvr *r, const unsigned char *seg, size_t n)
{
	unsigned char c = seg[n - 1];

	if (c == '\r')
	{
		r->line++;
		r->prev_cr = true;
		return;
	}
	if (c == '\n')
	{
		if (r->prev_cr && n == 1)
			r->n_crlf++;		/* the LF of a CRLF: the CR counted the line */
		else
		{
			r->line++;
			r->n_lf++;
		}
	}
	r->prev_cr = false;
}

static bool
append_raw(csvr *r, const unsigned char *s, size_t n)
{
	if (r->rlen + n > CSVR_ROW_MAX ||
		!grow((void **) &r->raw, &r->rcap, r->rlen + n, 1))
		return false;
	memcpy(r->raw + r->rlen, s, n);
	r->rlen += n;
	return true;
}

/*
 * Takes the next n bytes of buf, counting their line end; with keep, their bytes in
 * the file go into the row's raw bytes and bad bytes among them mark the row. False
 * when the row grows too long.
 */
static bool
consume(csvr *r, size_t n, bool keep)
{
	const unsigned char *seg = r->buf + r->pos;
	size_t		m = r->enc == TEXTENC_UTF8 ? n : textenc_source_len(seg, n);
	bool		ok = true;

	if (keep)
	{
		if (r->chunk_bad && (memchr(seg, TEXTENC_BAD, n) != NULL || memchr(seg, 0, n) != NULL))
			r->row_bad = true;
		ok = append_raw(r, r->orig + r->opos, m);
	}
	count_line_end(r, seg, n);
	r->pos += n;
	r->opos += m;
	return ok;
}

static void
fill_row(csvr *r, csvr_row *row)
{
	size_t		rl = r->rlen;

	while (rl > 0 && (r->raw[rl - 1] == '\n' || r->raw[rl - 1] == '\r'))
		rl--;
	row->raw = r->raw ? r->raw : "";
	row->raw_len = rl;
	row->line = r->row_line;
	row->ordinal = r->next_ordinal++;
	row->fields = r->ptrs;
	row->lens = r->lens;
	for (size_t i = 0; i < r->nf; i++)
		r->ptrs[i] = r->arena + r->offs[i];
	row->nfields = r->nf;
	row->bad_bytes = r->row_bad;
	row->field_lines = NULL;
	row->field_cols = NULL;
	row->start_col = 0;
	r->in_row = false;
	r->row_done = false;
	r->row_bad = false;
}

static csvr_result
fatal_too_long(csvr *r)
{
	set_error(r, r->line, (int) r->nf + 1,
			  "a row is longer than %d MB; is a quote missing?", CSVR_ROW_MAX >> 20);
	r->finished = true;
	return CSVR_FATAL;
}

static csvr_result
fatal_field_too_long(csvr *r, unsigned long line)
{
	set_error(r, line, (int) r->nf + 1,
			  "a field is longer than %d MB; is a quote missing?", CSVR_FIELD_MAX >> 20);
	r->finished = true;
	return CSVR_FATAL;
}

/* After a malformed row: keep its bytes up to the end of the physical line. */
static bool
skip_rest_of_line(csvr *r)
{
	for (;;)
	{
		bool		has_end;
		size_t		n;

		if (r->pos == r->len)
		{
			if (r->eof || !refill(r) || r->len == 0)
				return true;
		}
		n = segment_len(r, &has_end);
		if (!consume(r, n, true))
			return false;
		if (has_end)
			return true;
	}
}

csvr_result
csvr_next(csvr *r, csvr_row *row)
{
	r->nf = 0;
	r->alen = 0;
	r->rlen = 0;
	r->too_long = false;
	r->field_too_long = false;
	r->row_bad = false;

	for (;;)
	{
		const unsigned char *seg;
		size_t		n,
					done;
		unsigned long seg_line;
		bool		has_end;

		if (r->finished)
			return CSVR_EOF;
		if (r->pos == r->len)
		{
			if (!r->eof)
			{
				if (!refill(r))
				{
					set_error(r, r->line, 0, "cannot read: %s", strerror(errno));
					r->finished = true;
					return CSVR_FATAL;
				}
				continue;
			}
			r->finished = true;
			if (csv_fini(&r->p, on_field, on_row, r) != 0)
			{
				set_error(r, r->row_line, (int) r->nf + 1,
						  "a quoted field is not closed (a \" is missing)");
				fill_row(r, row);
				return CSVR_BADROW;
			}
			if (r->field_too_long)
				return fatal_field_too_long(r, r->line);
			if (r->too_long)
				return fatal_too_long(r);
			if (!r->row_done)
				return CSVR_EOF;
		}
		else
		{
			seg = r->buf + r->pos;
			n = segment_len(r, &has_end);
			seg_line = r->line;
			if (!r->in_row && !is_blank(seg, n))
			{
				r->in_row = true;
				r->row_line = r->line;
				r->rlen = 0;
				r->row_bad = false;
			}
			done = csv_parse(&r->p, seg, n, on_field, on_row, r);
			if (!consume(r, n, r->in_row))
				return fatal_too_long(r);
			if (r->field_too_long || (done < n && csv_error(&r->p) != CSV_EPARSE))
				return fatal_field_too_long(r, seg_line);
			if (done < n)
			{
				if (seg_line > r->row_line)
					set_error(r, r->row_line, (int) r->nf + 1,
							  "malformed CSV: a quoted field of this row goes on to line %lu and "
							  "ends badly there (is a closing \" missing on this line?)", seg_line);
				else
					set_error(r, seg_line, (int) r->nf + 1,
							  "malformed CSV: a double quote inside a field must be doubled (\"\"), "
							  "and a quoted field must end at a comma or the end of the line");
				if (!has_end && !skip_rest_of_line(r))
					return fatal_too_long(r);
				csv_free(&r->p);
				parser_init(r);
				fill_row(r, row);
				return CSVR_BADROW;
			}
			if (r->too_long)
				return fatal_too_long(r);
			if (!r->row_done)
				continue;
		}

		/* A complete row; rows of empty fields only are skipped. */
		{
			bool		empty = true;

			for (size_t i = 0; i < r->nf && empty; i++)
				empty = (r->lens[i] == 0);
			if (empty)
			{
				r->nf = 0;
				r->alen = 0;
				r->rlen = 0;
				r->in_row = false;
				r->row_done = false;
				r->row_bad = false;
				continue;
			}
		}
		fill_row(r, row);
		return CSVR_ROW;
	}
}

int
csvr_match_header(const csvr_row *header, const char *const *names, size_t n,
				  int *pos, char *unknown, size_t unknownsz, char *dup, size_t dupsz)
{
	int			n_unknown = 0;
	size_t		ulen = 0;
	bool		truncated = false;

	for (size_t j = 0; j < n; j++)
		pos[j] = -1;
	if (unknownsz)
		unknown[0] = '\0';
	for (size_t i = 0; i < header->nfields; i++)
	{
		char		name[128];
		bool		found = false;

		if (field_normalize(header->fields[i], name, sizeof name) < 0)
			strcpy(name, "(a very long name)");
		for (size_t j = 0; j < n; j++)
		{
			if (strcasecmp(name, names[j]) != 0)
				continue;
			if (pos[j] >= 0)
			{
				snprintf(dup, dupsz, "%s", names[j]);
				return -1;
			}
			pos[j] = (int) i;
			found = true;
			break;
		}
		if (found)
			continue;
		n_unknown++;
		if (!truncated && unknownsz > 0)
		{
			char		shown[64];
			size_t		need;

			field_for_message(name[0] ? name : "(empty name)", shown, sizeof shown);
			need = (ulen ? 2 : 0) + strlen(shown);
			if (ulen + need + 4 < unknownsz)
			{
				sprintf(unknown + ulen, "%s%s", ulen ? ", " : "", shown);
				ulen += need;
			}
			else
			{
				if (ulen + 4 < unknownsz)
					strcpy(unknown + ulen, "...");
				truncated = true;
			}
		}
	}
	return n_unknown;
}
