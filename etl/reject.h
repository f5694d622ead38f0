/*
 * reject.h: reject files. Rejected rows are written back in the input's own format
 * (its header, then the rows byte for byte, with the file's line ends), so that they
 * can be corrected and loaded again.
 */
#ifndef BMN_REJECT_H
#define BMN_REJECT_H

#include <stdbool.h>

#include "csvread.h"

/*
 * The reject file of input: prefix + the input's file name when a prefix is given,
 * else input + suffix (".rejects.csv", ".rejects.xml"). Allocated.
 */
char	   *reject_path(const char *input, const char *prefix, const char *suffix);

/*
 * Reads input again (in its encoding, with its delimiter) and writes its header and
 * the rows for which want() is true (malformed rows come with no fields) to path, as
 * they are in the file. Returns the number of rows written, or -1 (message on stderr).
 */
long		reject_write(const char *input, textenc enc, unsigned char delim, const char *path,
						 bool (*want) (const csvr_row *row, bool malformed, void *ctx),
						 void *ctx);

#endif
