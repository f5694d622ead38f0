/*
 * probe.h: a first look at an input file before it is parsed: its SHA-256 (the batch
 * is recognised by its content), whether it is UTF-8, and whether it is XML.
 */
#ifndef BMN_PROBE_H
#define BMN_PROBE_H

#include <stdbool.h>

typedef struct
{
	char		sha256[65];		/* hex, of the bytes as they are */
	unsigned long long bytes;
	bool		utf8;			/* valid UTF-8 (a BOM allowed), no NUL byte */
	unsigned long bad_line;		/* when not: the line of the first bad byte */
	bool		xml;			/* starts with '<' */
	bool		empty;			/* nothing but white space */
} probe_result;

/* False with a message in err when the file cannot be read. */
bool		probe_file(const char *path, probe_result *out, char *err, size_t errsz);

/* SHA-256 in hex of a string. */
void		probe_sha256_text(const char *text, char out[65]);

#endif
