/*
 * utf8.h: what a UTF-8 lead byte asks of the bytes after it (RFC 3629), shared by the
 * validator of fields (field.c, fed in pieces) and the encoding sniffer (textenc.c).
 */
#ifndef BMN_UTF8_H
#define BMN_UTF8_H

#include <stdbool.h>

/*
 * For a lead byte c >= 0x80: how many continuation bytes follow (*need) and the
 * range the first of them must fall in (*lo .. *hi; the others are 0x80..0xBF),
 * which rules out overlong forms, UTF-16 surrogates and code points past U+10FFFF.
 * False when c starts no sequence (a continuation byte, C0, C1, F5..FF).
 */
static inline bool
utf8_lead(unsigned c, unsigned *need, unsigned *lo, unsigned *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		*need = 1;
	else if (c == 0xE0)
		*need = 2, *lo = 0xA0;
	else if (c == 0xED)
		*need = 2, *hi = 0x9F;
	else if (c >= 0xE1 && c <= 0xEF)
		*need = 2;
	else if (c == 0xF0)
		*need = 3, *lo = 0x90;
	else if (c >= 0xF1 && c <= 0xF3)
		*need = 3;
	else if (c == 0xF4)
		*need = 3, *hi = 0x8F;
	else
		return false;
	return true;
}

#endif
