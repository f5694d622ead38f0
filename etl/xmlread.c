/*
 * xmlread.c: survey exports in XML, one household at a time (see xmlread.h).
 *
 * libxml2 reads the file through io_read, which keeps a window of the bytes it hands
 * over. The walk over the households asks, element after element in document order,
 * where each one starts: a cursor follows the parser through that window, counting
 * lines and columns, so that every message can say FILE:LINE:COLUMN. The window keeps
 * the bytes from the cursor on: at most what the parser reads ahead of the walk.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "report.h"
#include "xmlread.h"

/* What is looked at for a DOCTYPE before the parser sees a byte. */
#define PROLOGUE_BYTES (64 * 1024)
/* The window is shifted once the cursor is this far into it. */
#define WINDOW_SHIFT (1024 * 1024)
/* The most the cursor may lag behind the parser. */
#define WINDOW_MAX (16 * 1024 * 1024)
#define ARENA_BLOCK (64 * 1024)

#define OPTIONS (XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA | \
				 XML_PARSE_BIG_LINES | XML_PARSE_COMPACT)

typedef struct block
{
	struct block *next;
	size_t		used,
				size;
	char		data[];
} block;

struct xmlr
{
	char	   *path;
	int			fd;
	xmlTextReaderPtr reader;
	bool		utf8_cols;		/* columns count UTF-8 characters, not bytes */
	uint64_t	bytes_read;

	/* The window: bytes win[0 .. len) are the file's bytes at offset off. */
	unsigned char *win;
	size_t		win_len,
				win_cap;
	uint64_t	win_off;
	uint64_t	fed;			/* bytes handed to libxml2 */
	bool		file_eof;
	uint64_t	cur;			/* the cursor */
	uint64_t	last_start;		/* where the last element found starts */
	unsigned long cur_line;
	unsigned long cur_col;		/* 0-based, in characters */

	char		root_name[64];
	bool		many;
	bool		root_empty;
	bool		single_done;
	bool		pending;		/* the reader is on a node not looked at yet */
	int			pending_ret;
	unsigned long households;

	/* The household being read. */
	block	   *blocks;
	size_t		bytes_used;
	bool		too_big;
	xmlr_field *fields;			/* the household's own */
	size_t		nfields,
				capfields;
	xmlr_field *mfields;		/* its members' */
	size_t		nmfields,
				capmfields;
	xmlr_elem  *members;
	size_t		nmembers,
				capmembers;

	char		err[512];
	unsigned long err_line;
	int			err_col;
	bool		have_err;
	char		skipped[256];
};

/* ---- no entity, DTD or network access, ever -------------------------------------- */

static xmlParserInputPtr
refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void) url;
	(void) id;
	(void) ctxt;
	return NULL;
}

/* ---- the window and the cursor ----------------------------------------------------- */

static bool
window_append(xmlr *r, const unsigned char *p, size_t n)
{
	if (r->win_len + n > r->win_cap)
	{
		size_t		cap = r->win_cap ? r->win_cap : 256 * 1024;
		unsigned char *nw;

		while (cap < r->win_len + n)
			cap *= 2;
		nw = realloc(r->win, cap);
		if (nw == NULL)
			return false;
		r->win = nw;
		r->win_cap = cap;
	}
	memcpy(r->win + r->win_len, p, n);
	r->win_len += n;
	return true;
}

/* Reads more of the file into the window; 0 at the end, -1 on error. */
static ssize_t
window_read(xmlr *r, size_t want)
{
	unsigned char buf[64 * 1024];
	ssize_t		n;

	if (want > sizeof buf)
		want = sizeof buf;
	do
		n = read(r->fd, buf, want);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
	{
		r->file_eof = n == 0;
		return n;
	}
	if (!window_append(r, buf, (size_t) n))
		return -1;
	r->bytes_read += (uint64_t) n;
	return n;
}

static void advance(xmlr *r, uint64_t to);

/* libxml2's input: the window's bytes not handed over yet, then the file. */
static int
io_read(void *ctx, char *buf, int len)
{
	xmlr	   *r = ctx;
	uint64_t	have = r->win_off + r->win_len - r->fed;
	size_t		n;

	/*
	 * Elements the cursor did not find keep it behind: past WINDOW_MAX it is moved on
	 * (lines and columns still counted), so that memory stays bounded whatever the file.
	 */
	if (r->fed - r->cur > WINDOW_MAX)
		advance(r, r->fed - WINDOW_MAX / 2);
	if (have == 0)
	{
		ssize_t		got = window_read(r, (size_t) len);

		if (got <= 0)
			return got == 0 ? 0 : -1;
		have = (uint64_t) got;
	}
	n = have < (uint64_t) len ? (size_t) have : (size_t) len;
	memcpy(buf, r->win + (r->fed - r->win_off), n);
	r->fed += n;
	return (int) n;
}

static int
io_close(void *ctx)
{
	(void) ctx;
	return 0;
}

/* Moves the cursor to absolute offset to, counting lines and columns. */
static void
advance(xmlr *r, uint64_t to)
{
	const unsigned char *p = r->win + (r->cur - r->win_off),
			   *end = r->win + (to - r->win_off),
			   *last = NULL,
			   *q;

	for (q = p; (q = memchr(q, '\n', (size_t) (end - q))) != NULL; q++)
	{
		r->cur_line++;
		last = q;
	}
	if (last)
	{
		r->cur_col = 0;
		p = last + 1;
	}
	if (r->utf8_cols)
		for (; p < end; p++)
			r->cur_col += (*p & 0xC0) != 0x80;
	else
		r->cur_col += (unsigned long) (end - p);
	r->cur = to;
	/* Bytes before the cursor are never looked at again. */
	if (r->cur - r->win_off > WINDOW_SHIFT && r->fed >= r->cur)
	{
		size_t		drop = (size_t) (r->cur - r->win_off);

		memmove(r->win, r->win + drop, r->win_len - drop);
		r->win_len -= drop;
		r->win_off += drop;
	}
}

/* The first occurrence of needle in s[0..n), or NULL. */
static const unsigned char *
find(const unsigned char *s, size_t n, const char *needle)
{
	size_t		k = strlen(needle);

	for (const unsigned char *p = s; n >= k && (p = memchr(p, needle[0], n - k + 1)) != NULL; p++)
	{
		if (memcmp(p, needle, k) == 0)
			return p;
		n = (size_t) (s + n - p) - 1;
		s = p + 1;
		p = s - 1;
	}
	return NULL;
}

static bool
name_char(unsigned char c)
{
	return !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/' || c == '\0');
}

/*
 * Finds the start tag of the next element called name (local name) at or after the
 * cursor, among the bytes the parser has read; moves the cursor there and gives its
 * position. False when it is not found (the position is then unknown).
 */
static bool
locate(xmlr *r, const char *name, unsigned long *line, int *col)
{
	const unsigned char *base = r->win + (r->cur - r->win_off),
			   *end = r->win + (r->fed - r->win_off),
			   *p = base;
	size_t		nlen = strlen(name);

	while (p < end && (p = memchr(p, '<', (size_t) (end - p))) != NULL)
	{
		const unsigned char *t = p + 1,
				   *skip = NULL,
				   *local;
		const char *close = NULL;

		if (t >= end)
			return false;
		if (*t == '/')
			close = ">";
		else if (end - t >= 3 && memcmp(t, "!--", 3) == 0)
			close = "-->";
		else if (end - t >= 8 && memcmp(t, "![CDATA[", 8) == 0)
			close = "]]>";
		else if (*t == '!')
			close = ">";
		else if (*t == '?')
			close = "?>";
		if (close)
		{
			skip = find(t, (size_t) (end - t), close);
			if (skip == NULL)
				return false;
			p = skip + strlen(close);
			continue;
		}
		local = t;
		while (t < end && name_char(*t))
		{
			if (*t == ':')
				local = t + 1;
			t++;
		}
		if ((size_t) (t - local) == nlen && memcmp(local, name, nlen) == 0)
		{
			/* As offsets: the first advance may shift the window under p and t. */
			uint64_t	start = r->win_off + (uint64_t) (p - r->win),
						after = r->win_off + (uint64_t) (t - r->win);

			advance(r, start);
			*line = r->cur_line;
			*col = (int) r->cur_col + 1;
			r->last_start = r->cur;
			advance(r, after);
			return true;
		}
		p = t;
	}
	return false;
}

/* Where an element is: found by the cursor, else its line from libxml2. */
static void
position(xmlr *r, xmlNodePtr node, const char *name, unsigned long *line, int *col)
{
	if (!locate(r, name, line, col))
	{
		long		l = node ? xmlGetLineNo(node) : -1;

		*line = l > 0 ? (unsigned long) l : (unsigned long) xmlTextReaderGetParserLineNumber(r->reader);
		*col = 0;
	}
}

/* ---- errors -------------------------------------------------------------------------- */

static void
on_error(void *arg, xmlErrorPtr e)
{
	xmlr	   *r = arg;
	size_t		n;

	if (e == NULL || e->level == XML_ERR_WARNING || r->have_err)
		return;
	r->have_err = true;
	snprintf(r->err, sizeof r->err, "the XML is not well-formed: %s", e->message ? e->message : "error");
	n = strlen(r->err);
	while (n > 0 && (r->err[n - 1] == '\n' || r->err[n - 1] == ' '))
		r->err[--n] = '\0';
	r->err_line = e->line > 0 ? (unsigned long) e->line : 0;
	r->err_col = e->int2 > 0 ? e->int2 : 0;
}

static void
set_error(xmlr *r, unsigned long line, int col, const char *msg)
{
	r->have_err = true;
	snprintf(r->err, sizeof r->err, "%s", msg);
	r->err_line = line;
	r->err_col = col;
}

/* A failed read: libxml2's message, or the end of the file where more was due. */
static xmlr_result
fatal(xmlr *r, int ret)
{
	if (!r->have_err)
	{
		if (ret == 0)
			set_error(r, r->cur_line, 0, "the XML ends too early: the file is cut short "
					  "(an element is not closed)");
		else
			set_error(r, r->cur_line, 0, "the XML cannot be read");
	}
	return XMLR_FATAL;
}

/* ---- opening ------------------------------------------------------------------------- */

/*
 * Is there a DOCTYPE before the root element? Looks over the XML declaration,
 * comments and processing instructions of the prologue.
 */
static bool
prologue_has_doctype(const unsigned char *s, size_t n)
{
	size_t		i = 0;

	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n)
	{
		const unsigned char *e;
		size_t		endlen = 2;

		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
		{
			i++;
			continue;
		}
		if (s[i] != '<' || i + 1 >= n)
			return false;
		if (n - i >= 9 && memcmp(s + i, "<!DOCTYPE", 9) == 0)
			return true;
		if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
			e = find(s + i + 4, n - i - 4, "-->"), endlen = 3;
		else if (s[i + 1] == '?')
			e = find(s + i + 2, n - i - 2, "?>");
		else
			return false;		/* the root element, or something the parser will judge */
		if (e == NULL)
			return false;
		i = (size_t) (e - s) + endlen;
	}
	return false;
}

xmlr *
xmlr_open(const char *path, const char *encoding, char *err, size_t errsz)
{
	xmlr	   *r = calloc(1, sizeof *r);
	ssize_t		got = 1;

	if (r == NULL)
	{
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	r->fd = open(path, O_RDONLY);
	if (r->fd < 0)
	{
		snprintf(err, errsz, "cannot open: %s", strerror(errno));
		free(r);
		return NULL;
	}
	r->path = strdup(path);
	r->cur_line = 1;
	r->utf8_cols = encoding == NULL || strcasecmp(encoding, "UTF-8") == 0;

	/* The prologue, before libxml2 sees a byte. */
	while (r->win_len < PROLOGUE_BYTES && (got = window_read(r, PROLOGUE_BYTES - r->win_len)) > 0)
		;
	if (got < 0)
	{
		snprintf(err, errsz, "cannot read: %s", strerror(errno));
		xmlr_close(r);
		return NULL;
	}
	if (prologue_has_doctype(r->win, r->win_len))
	{
		snprintf(err, errsz, "the XML has a DOCTYPE declaration, which survey exports never "
				 "have; it is refused (a DOCTYPE can make a reader fetch files or expand "
				 "entities without end)");
		xmlr_close(r);
		return NULL;
	}

	xmlInitParser();
	xmlSetExternalEntityLoader(refuse_entity);
	r->reader = xmlReaderForIO(io_read, io_close, r, path, encoding, OPTIONS);
	if (r->reader == NULL)
	{
		snprintf(err, errsz, "cannot start the XML reader%s%s", encoding ? " for " : "",
				 encoding ? encoding : "");
		xmlr_close(r);
		return NULL;
	}
	xmlTextReaderSetStructuredErrorHandler(r->reader, on_error, r);
	return r;
}

static void
reset_household(xmlr *r)
{
	for (block *b = r->blocks; b; b = b->next)
		b->used = 0;
	r->bytes_used = 0;
	r->too_big = false;
	r->nfields = 0;
	r->nmfields = 0;
	r->nmembers = 0;
}

void
xmlr_close(xmlr *r)
{
	if (r == NULL)
		return;
	if (r->reader)
		xmlFreeTextReader(r->reader);
	if (r->fd >= 0)
		close(r->fd);
	while (r->blocks)
	{
		block	   *b = r->blocks;

		r->blocks = b->next;
		free(b);
	}
	free(r->fields);
	free(r->mfields);
	free(r->members);
	free(r->win);
	free(r->path);
	free(r);
}

const char *
xmlr_error_message(const xmlr *r)
{
	return r->err;
}

unsigned long
xmlr_error_line(const xmlr *r)
{
	return r->err_line;
}

int
xmlr_error_column(const xmlr *r)
{
	return r->err_col;
}

uint64_t
xmlr_bytes_read(const xmlr *r)
{
	return r->bytes_read;
}

const char *
xmlr_skipped(const xmlr *r)
{
	return r->skipped;
}

const char *
xmlr_root_name(const xmlr *r)
{
	return r->root_name;
}

static const char *
local_name(xmlr *r)
{
	const char *n = (const char *) xmlTextReaderConstLocalName(r->reader);

	return n ? n : "";
}

bool
xmlr_root(xmlr *r)
{
	int			ret;

	while ((ret = xmlTextReaderRead(r->reader)) == 1)
	{
		int			type = xmlTextReaderNodeType(r->reader);

		if (type == XML_READER_TYPE_DOCUMENT_TYPE)
		{
			set_error(r, (unsigned long) xmlTextReaderGetParserLineNumber(r->reader), 0,
					  "the XML has a DOCTYPE declaration, which survey exports never have; "
					  "it is refused");
			return false;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		snprintf(r->root_name, sizeof r->root_name, "%s", local_name(r));
		{
			unsigned long l;
			int			c;

			position(r, xmlTextReaderCurrentNode(r->reader), r->root_name, &l, &c);
			if (strcmp(r->root_name, "bmn_household") == 0)
				r->many = false;
			else if (strcmp(r->root_name, "bmn_households") == 0)
				r->many = true;
			else
			{
				char		msg[160];

				snprintf(msg, sizeof msg, "the root element is <%.60s>; a survey export has "
						 "<bmn_household> or <bmn_households>", r->root_name);
				set_error(r, l, c, msg);
				return false;
			}
			/* The household root is found again when it is read. */
			if (!r->many && c > 0)
			{
				r->cur = r->last_start;
				r->cur_line = l;
				r->cur_col = (unsigned long) c - 1;
			}
		}
		r->root_empty = xmlTextReaderIsEmptyElement(r->reader) == 1;
		return true;
	}
	if (ret < 0 || r->have_err)
		return fatal(r, ret), false;
	set_error(r, 0, 0, "the XML has no root element");
	return false;
}

/* ---- one household ----------------------------------------------------------------- */

/* n + 1 bytes in the household's arena; NULL past XMLR_HOUSEHOLD_MAX. */
static char *
arena_alloc(xmlr *r, size_t n)
{
	block	   *b;
	char	   *p;

	if (r->bytes_used + n + 1 > XMLR_HOUSEHOLD_MAX)
	{
		r->too_big = true;
		return NULL;
	}
	for (b = r->blocks; b && b->size - b->used < n + 1; b = b->next)
		;
	if (b == NULL)
	{
		size_t		size = n + 1 > ARENA_BLOCK ? n + 1 : ARENA_BLOCK;

		b = malloc(sizeof(block) + size);
		if (b == NULL)
		{
			r->too_big = true;
			return NULL;
		}
		b->size = size;
		b->used = 0;
		b->next = r->blocks;
		r->blocks = b;
	}
	p = b->data + b->used;
	b->used += n + 1;
	r->bytes_used += n + 1;
	return p;
}

static char *
keep(xmlr *r, const char *s, size_t n)
{
	char	   *p = arena_alloc(r, n);

	if (p)
	{
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static void
problem(xmlr *r, xmlr_household *h, unsigned long line, int col, const char *fmt, const char *arg)
{
	char		msg[300];

	snprintf(msg, sizeof msg, fmt, arg);
	report_error(r->path, line, col, "%s", msg);
	h->problems++;
}

/* The text of a value element; false (reported) when it holds elements. */
static bool
element_text(xmlr *r, xmlr_household *h, xmlNodePtr node, const char *name,
			 unsigned long line, int col, const char **value, size_t *len)
{
	size_t		total = 0,
				o = 0;
	char	   *v;

	for (xmlNodePtr c = node->children; c; c = c->next)
	{
		if (c->type == XML_ELEMENT_NODE)
		{
			problem(r, h, line, col, "<%s> holds other elements; it should hold a value", name);
			return false;
		}
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			total += strlen((const char *) c->content);
	}
	v = arena_alloc(r, total);
	if (v == NULL)
	{
		problem(r, h, line, col, "%s", "this household is larger than 16 MB; is the file damaged?");
		return false;
	}
	/* Text and CDATA (split by comments, say) are joined. */
	for (xmlNodePtr c = node->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
		{
			size_t		k = strlen((const char *) c->content);

			memcpy(v + o, c->content, k);
			o += k;
		}
	v[o] = '\0';
	*value = v;
	*len = total;
	return true;
}

/* Adds a value element to the household's fields (member false) or its members'. */
static bool
add_field(xmlr *r, xmlr_household *h, xmlNodePtr node, const char *name, bool member)
{
	xmlr_field **pool = member ? &r->mfields : &r->fields;
	size_t	   *count = member ? &r->nmfields : &r->nfields,
			   *cap = member ? &r->capmfields : &r->capfields;
	xmlr_field *f;
	unsigned long line;
	int			col;
	const char *value;
	size_t		len;
	char	   *kept;

	position(r, node, name, &line, &col);
	if (r->too_big)
		return false;
	if (!element_text(r, h, node, name, line, col, &value, &len))
		return false;
	kept = keep(r, name, strlen(name));
	if (kept == NULL)
	{
		problem(r, h, line, col, "%s", "this household is larger than 16 MB; is the file damaged?");
		return false;
	}
	if (*count == *cap)
	{
		size_t		n = *cap ? *cap * 2 : 256;
		xmlr_field *nf = realloc(*pool, n * sizeof(xmlr_field));

		if (nf == NULL)
		{
			r->too_big = true;
			return false;
		}
		*pool = nf;
		*cap = n;
	}
	f = &(*pool)[(*count)++];
	f->name = kept;
	f->value = value;
	f->len = len;
	f->line = line;
	f->col = col;
	return true;
}

static void
read_member(xmlr *r, xmlr_household *h, xmlNodePtr node)
{
	xmlr_elem  *m;

	if (r->nmembers == r->capmembers)
	{
		size_t		cap = r->capmembers ? r->capmembers * 2 : 16;
		xmlr_elem  *nm = realloc(r->members, cap * sizeof(xmlr_elem));

		if (nm == NULL)
		{
			r->too_big = true;
			return;
		}
		r->members = nm;
		r->capmembers = cap;
	}
	m = &r->members[r->nmembers++];
	position(r, node, "member", &m->line, &m->col);
	m->first = r->nmfields;
	for (xmlNodePtr c = node->children; c; c = c->next)
	{
		const char *name = (const char *) c->name;

		if (c->type == XML_TEXT_NODE && c->content && strspn((const char *) c->content, " \t\r\n") != strlen((const char *) c->content))
			problem(r, h, m->line, m->col, "%s", "<member> holds text outside its elements");
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp(name, "member") == 0)
		{
			unsigned long l;
			int			col;

			position(r, c, name, &l, &col);
			problem(r, h, l, col, "%s", "a <member> inside a <member>");
			continue;
		}
		add_field(r, h, c, name, true);
	}
	m->n = r->nmfields - m->first;
}

static void
read_meta(xmlr *r, xmlr_household *h, xmlNodePtr node)
{
	position(r, node, "meta", &h->meta_line, &h->meta_col);
	for (xmlNodePtr c = node->children; c; c = c->next)
	{
		unsigned long l;
		int			col;
		const char *value;
		size_t		len;

		if (c->type != XML_ELEMENT_NODE || strcmp((const char *) c->name, "instanceID") != 0)
			continue;
		position(r, c, "instanceID", &l, &col);
		if (element_text(r, h, c, "instanceID", l, col, &value, &len))
			h->instance_id = value;
	}
}

/* The household at the reader's node (an element at depth d). */
static xmlr_result
read_household(xmlr *r, xmlr_household *h, int d)
{
	int			ret;

	reset_household(r);
	memset(h, 0, sizeof *h);
	h->ordinal = ++r->households;
	position(r, xmlTextReaderCurrentNode(r->reader), "bmn_household", &h->household.line,
			 &h->household.col);
	if (xmlTextReaderIsEmptyElement(r->reader) == 1)
		goto done;
	ret = xmlTextReaderRead(r->reader);
	while (ret == 1)
	{
		int			type = xmlTextReaderNodeType(r->reader),
					depth = xmlTextReaderDepth(r->reader);

		if (type == XML_READER_TYPE_END_ELEMENT && depth == d)
			break;
		if (type == XML_READER_TYPE_ELEMENT && depth == d + 1)
		{
			const char *name = local_name(r);
			char		copy[256];
			xmlNodePtr	node;

			snprintf(copy, sizeof copy, "%s", name);
			node = xmlTextReaderExpand(r->reader);
			if (node == NULL)
				return fatal(r, -1);
			if (strcmp(copy, "member") == 0)
				read_member(r, h, node);
			else if (strcmp(copy, "meta") == 0)
				read_meta(r, h, node);
			else if (strcmp(copy, "bmn_household") == 0)
			{
				unsigned long l;
				int			c;

				position(r, node, copy, &l, &c);
				problem(r, h, l, c, "%s", "a <bmn_household> inside a <bmn_household>");
			}
			else
				add_field(r, h, node, copy, false);
			ret = xmlTextReaderNext(r->reader);
			continue;
		}
		if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA) && depth == d + 1)
		{
			const char *v = (const char *) xmlTextReaderConstValue(r->reader);

			if (v && strspn(v, " \t\r\n") != strlen(v))
				problem(r, h, h->household.line, h->household.col, "%s",
						"<bmn_household> holds text outside its elements");
		}
		ret = xmlTextReaderRead(r->reader);
	}
	if (ret != 1)
		return fatal(r, ret);
done:
	h->fields = r->fields;
	h->household.first = 0;
	h->household.n = r->nfields;
	h->mfields = r->mfields;
	h->members = r->members;
	h->nmembers = r->nmembers;
	if (r->too_big)
		h->problems++;
	return XMLR_HOUSEHOLD;
}

/* Remembers the name of an element skipped under the root, for one warning. */
static void
note_skipped(xmlr *r, const char *name)
{
	size_t		n = strlen(r->skipped),
				k = strlen(name);

	if (strstr(r->skipped, name) != NULL || n + k + 6 >= sizeof r->skipped)
		return;
	snprintf(r->skipped + n, sizeof r->skipped - n, "%s<%s>", n ? ", " : "", name);
}

xmlr_result
xmlr_next(xmlr *r, xmlr_household *h)
{
	int			ret;

	if (!r->many)
	{
		if (!r->single_done)
		{
			r->single_done = true;
			return read_household(r, h, 0);
		}
		while ((ret = xmlTextReaderRead(r->reader)) == 1)
			;
		return ret == 0 && !r->have_err ? XMLR_EOF : fatal(r, ret);
	}
	for (;;)
	{
		int			type,
					depth;

		if (r->pending)
		{
			r->pending = false;
			ret = r->pending_ret;
		}
		else
			ret = xmlTextReaderRead(r->reader);
		if (ret != 1)
			return ret == 0 && !r->have_err ? XMLR_EOF : fatal(r, ret);
		type = xmlTextReaderNodeType(r->reader);
		depth = xmlTextReaderDepth(r->reader);
		if (type != XML_READER_TYPE_ELEMENT || depth != 1)
			continue;
		if (strcmp(local_name(r), "bmn_household") == 0)
			return read_household(r, h, 1);
		note_skipped(r, local_name(r));
		r->pending_ret = xmlTextReaderNext(r->reader);
		r->pending = true;
	}
}

/* ---- reject files -------------------------------------------------------------------- */

long
xmlr_write_households(const char *path, const char *encoding, FILE *out,
					  bool (*want) (unsigned long ordinal, void *ctx), void *ctx)
{
	char		err[512];
	xmlr	   *r = xmlr_open(path, encoding, err, sizeof err);
	unsigned long ordinal = 0;
	long		written = 0;
	int			ret;

	if (r == NULL)
	{
		fprintf(stderr, "bmn: %s: %s\n", path, err);
		return -1;
	}
	if (!xmlr_root(r))
	{
		fprintf(stderr, "bmn: %s: %s\n", path, xmlr_error_message(r));
		xmlr_close(r);
		return -1;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bmn_households>\n", out);
	if (!r->many)
		ret = 1;
	else
		ret = xmlTextReaderRead(r->reader);
	while (ret == 1)
	{
		int			type = xmlTextReaderNodeType(r->reader),
					depth = xmlTextReaderDepth(r->reader);

		if (type == XML_READER_TYPE_ELEMENT && depth == (r->many ? 1 : 0) &&
			strcmp(local_name(r), "bmn_household") == 0)
		{
			if (want(++ordinal, ctx))
			{
				xmlChar    *x = xmlTextReaderReadOuterXml(r->reader);

				if (x == NULL)
					break;
				fprintf(out, "%s\n", (const char *) x);
				xmlFree(x);
				written++;
			}
			ret = xmlTextReaderNext(r->reader);
			if (!r->many)
				break;
			continue;
		}
		ret = xmlTextReaderRead(r->reader);
	}
	fputs("</bmn_households>\n", out);
	if (ret < 0)
	{
		fprintf(stderr, "bmn: %s: %s\n", path, r->have_err ? xmlr_error_message(r) : "cannot be read again");
		written = -1;
	}
	xmlr_close(r);
	return written;
}

long
xmlr_json_string(const char *s, char *out, size_t outsz)
{
	size_t		o = 0;

	if (outsz < 3)
		return -1;
	out[o++] = '"';
	for (const unsigned char *p = (const unsigned char *) s; *p; p++)
	{
		char		esc[8];
		size_t		k;

		if (*p == '"' || *p == '\\')
			snprintf(esc, sizeof esc, "\\%c", *p);
		else if (*p < 0x20)
			snprintf(esc, sizeof esc, "\\u%04x", *p);
		else
		{
			esc[0] = (char) *p;
			esc[1] = '\0';
		}
		k = strlen(esc);
		if (o + k + 2 > outsz)
			return -1;
		memcpy(out + o, esc, k);
		o += k;
	}
	out[o++] = '"';
	out[o] = '\0';
	return (long) o;
}
