/*
 * xmlread.h: survey exports in XML (formats.md), one household at a time, over
 * libxml2's streaming reader.
 *
 * The input is untrusted: a document with a DOCTYPE is refused before the parser sees
 * it, no external entity, DTD or network access ever happens (an entity loader that
 * refuses everything, XML_PARSE_NONET; never NOENT, DTDLOAD or HUGE), and memory stays
 * bounded by one household: each child element of a household is expanded, read and
 * freed in turn, and a household holds at most XMLR_HOUSEHOLD_MAX bytes of values.
 *
 * Every element comes with its LINE:COLUMN in the file, found by following the
 * parser through the bytes it reads (libxml2 keeps lines, not columns).
 */
#ifndef BMN_XMLREAD_H
#define BMN_XMLREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define XMLR_HOUSEHOLD_MAX (16 * 1024 * 1024)

typedef struct xmlr xmlr;

/* An element holding a value: <sex>1</sex>. name is its local name. */
typedef struct
{
	const char *name;
	const char *value;			/* its text, NUL-terminated */
	size_t		len;
	unsigned long line;
	int			col;
} xmlr_field;

/* A household or a member: its value elements, fields[first .. first + n). */
typedef struct
{
	size_t		first,
				n;
	unsigned long line;
	int			col;
} xmlr_elem;

typedef struct
{
	unsigned long ordinal;		/* 1 for the first household of the file */
	xmlr_elem	household;		/* in fields */
	xmlr_field *fields;
	xmlr_elem  *members;		/* in mfields */
	size_t		nmembers;
	xmlr_field *mfields;
	const char *instance_id;	/* <meta><instanceID>, or NULL */
	unsigned long meta_line;
	int			meta_col;
	int			problems;		/* elements out of place, already reported */
} xmlr_household;

typedef enum
{
	XMLR_HOUSEHOLD = 1,
	XMLR_EOF = 0,
	XMLR_FATAL = -1				/* not well-formed, refused, or unreadable */
} xmlr_result;

/*
 * Opens a file; encoding: the iconv name to read it in, overriding its declaration
 * (NULL: as it declares, UTF-8 by default). NULL with a message in err when it
 * cannot be opened.
 */
xmlr	   *xmlr_open(const char *path, const char *encoding, char *err, size_t errsz);
void		xmlr_close(xmlr *r);

/*
 * Reads up to the root element and checks it: <bmn_household> (one household) or
 * <bmn_households> (many). False (message in xmlr_error_*) when it is neither, or the
 * document has a DOCTYPE or is not well-formed.
 */
bool		xmlr_root(xmlr *r);

/* The root element's local name (after xmlr_root). */
const char *xmlr_root_name(const xmlr *r);

/* The next household; its data stays valid until the next call. */
xmlr_result xmlr_next(xmlr *r, xmlr_household *h);

const char *xmlr_error_message(const xmlr *r);
unsigned long xmlr_error_line(const xmlr *r);
int			xmlr_error_column(const xmlr *r);

/* Bytes of the file read so far (for progress). */
uint64_t	xmlr_bytes_read(const xmlr *r);

/* Elements directly under <bmn_households> other than <bmn_household>, skipped. */
const char *xmlr_skipped(const xmlr *r);

/*
 * Writes the households for which want(ordinal) is true to out, each as its element
 * serialised by libxml2, under a <bmn_households> root. Returns how many, or -1
 * (message on stderr).
 */
long		xmlr_write_households(const char *path, const char *encoding, FILE *out,
								  bool (*want) (unsigned long ordinal, void *ctx), void *ctx);

/*
 * Appends to out the JSON string of s ("..." with \", \\ and control characters
 * escaped). Pure; out has outsz bytes; returns the length, or -1 when out of room.
 */
long		xmlr_json_string(const char *s, char *out, size_t outsz);

#endif
