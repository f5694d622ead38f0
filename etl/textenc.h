/*
 * textenc.h: the text encodings of the input files (formats.md): UTF-8, or the Thai
 * legacy encoding CP874 (windows-874) and its subset TIS-620, decoded to UTF-8 before
 * any parser sees a byte.
 *
 * Bytes that are not text in the file's encoding become the byte 0xFF, which never
 * occurs in UTF-8: one marker per bad byte, so that the parsers need no other signal
 * and the row that holds them is rejected with its line and column.
 *
 * The decoding tables come from the C library's iconv once per process; decoding
 * itself is pure (no I/O), so it is unit-tested and fuzzed like the value parsers.
 */
#ifndef BMN_TEXTENC_H
#define BMN_TEXTENC_H

#include <stdbool.h>
#include <stddef.h>

typedef enum
{
	TEXTENC_UTF8 = 0,
	TEXTENC_CP874,				/* windows-874: TIS-620 plus a few punctuation marks */
	TEXTENC_TIS620
} textenc;

/* The marker that stands for a byte that is not text. */
#define TEXTENC_BAD 0xFF

/* What users call it: "UTF-8", "CP874 (windows-874)", "TIS-620". */
const char *textenc_name(textenc e);

/* The iconv name: "UTF-8", "CP874", "TIS-620". */
const char *textenc_iconv_name(textenc e);

/* utf-8, utf8, cp874, windows-874, tis-620, tis620, iso-8859-11 (any case). */
bool		textenc_from_name(const char *s, textenc *out);

/* UTF-8 of each byte of a single-byte encoding; len 0: not a character. */
typedef struct
{
	unsigned char len[256];
	unsigned char utf8[256][3];
} textenc_table;

/*
 * The table of a single-byte encoding (not TEXTENC_UTF8), from iconv, built once and
 * kept. NULL when iconv does not know the encoding.
 */
const textenc_table *textenc_table_get(textenc e);

/*
 * Decodes n bytes of a single-byte encoding into out (room for 3 * n bytes); a byte
 * that is not a character becomes TEXTENC_BAD. Returns the length written; *nbad
 * gets the number of bad bytes.
 */
size_t		textenc_decode(const textenc_table *t, const unsigned char *in, size_t n,
						   unsigned char *out, size_t *nbad);

/* The number of source bytes that decoded into out[0..n) (every character is one). */
size_t		textenc_source_len(const unsigned char *decoded, size_t n);

/*
 * UTF-8 in place: every byte that is not part of a valid sequence is replaced by
 * TEXTENC_BAD (NUL bytes are left alone: they are reported as such). Returns the number
 * replaced. A sequence cut at the end counts as bad: give whole sequences (see
 * textenc_utf8_cut).
 */
size_t		textenc_utf8_scrub(unsigned char *s, size_t n);

/*
 * The length of s[0..n) without an incomplete UTF-8 sequence at its end (0 to 3 bytes
 * shorter), so that a buffer can be cut between characters.
 */
size_t		textenc_utf8_cut(const unsigned char *s, size_t n);

/*
 * Counts in s[0..n) the valid UTF-8 sequences of more than one byte (*seqs) and the
 * bytes that belong to no valid sequence (*bad); adds to both. The offset of the first
 * bad byte goes to *first_bad when it is not NULL and there is one. Pure.
 */
void		textenc_utf8_count(const unsigned char *s, size_t n, unsigned long long *seqs,
							   unsigned long long *bad, size_t *first_bad);

/* True when s[0..n) is valid UTF-8; NUL bytes count as valid here. */
bool		textenc_utf8_valid(const unsigned char *s, size_t n);

/* True when s[0..n) is all ASCII (a quick test before the full check). */
bool		textenc_is_ascii(const unsigned char *s, size_t n);

#endif
