/*
 * probe.h: a first look at an input file before it is parsed: its SHA-256 (the batch
 * is recognised by its content), whether it is UTF-8, XML, or not text at all, and
 * how many lines it has (the size of the tables a load needs).
 */
#ifndef BMN_PROBE_H
#define BMN_PROBE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct
{
	char		sha256[65];		/* hex, of the bytes as they are */
	unsigned long long bytes;
	unsigned long lines;		/* line feeds + 1: no more rows than this */
	bool		utf8;			/* valid UTF-8 (a BOM allowed; NUL bytes aside) */
	unsigned long long utf8_seqs;	/* valid UTF-8 sequences of 2 bytes or more */
	unsigned long long utf8_bad;	/* bytes in no valid UTF-8 sequence */
	unsigned long bad_line;		/* the line of the first of those */
	bool		nul;			/* holds NUL bytes */
	bool		xml;			/* starts with '<' (after a BOM and white space) */
	bool		empty;			/* nothing but white space */
	const char *binary;			/* not text: what it looks like ("an Excel workbook") */
	unsigned char delim;		/* the delimiter of the first line (CSV) */
	char		xml_encoding[32];	/* encoding="..." of an XML declaration, or "" */
} probe_result;

/* False with a message in err when the file cannot be read. */
bool		probe_file(const char *path, probe_result *out, char *err, size_t errsz);

/*
 * What the first bytes of a file say: the probe_result fields other than sha256,
 * bytes, lines, utf8 and nul. Pure, for any prefix of the file.
 */
void		probe_head(const unsigned char *s, size_t n, probe_result *out);

/*
 * A file that is not valid UTF-8 but holds far more valid UTF-8 sequences than bad
 * bytes is UTF-8 with some damaged bytes, not CP874 (whose Thai text makes bad UTF-8
 * almost everywhere): reading it as CP874 would garble every Thai name in it.
 */
bool		probe_damaged_utf8(const probe_result *p);

/* SHA-256 in hex of a string. */
void		probe_sha256_text(const char *text, char out[65]);

#endif
