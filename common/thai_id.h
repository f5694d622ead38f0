/*
 * thai_id.h: the 13-digit Thai national ID (เลขประจำตัวประชาชน).
 * Pure functions: no I/O, no allocation; shared by the extension and the program.
 */
#ifndef BMN_THAI_ID_H
#define BMN_THAI_ID_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Normalise an ID as written (ASCII or Thai digits, with dashes or spaces between
 * groups) into 13 ASCII digits plus NUL in out. Returns false when the text does
 * not hold exactly 13 digits or holds anything else.
 */
bool		bmn_thai_id_normalize(const char *text, size_t len, char out[14]);

/*
 * The check digit rule: digits 1-12 weighted 13..2, x = sum mod 11,
 * check = (11 - x) mod 10. digits must be 13 ASCII digits.
 */
bool		bmn_thai_id_checksum_ok(const char *digits13);

#endif
