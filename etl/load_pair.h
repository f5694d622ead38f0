/*
 * load_pair.h: the names of survey file pairs. households.csv goes with members.csv,
 * 2567_Households.csv with 2567_Members.csv: the same path but for the word
 * "households" or "members" in the file name (the last one, in any letter case).
 * Pure string work, no I/O.
 */
#ifndef BMN_LOAD_PAIR_H
#define BMN_LOAD_PAIR_H

#include <stdbool.h>

/*
 * The path of the partner file: "households" in the file name replaced by "members"
 * (to_members) or the other way round, in the same letter case. Allocated; NULL when
 * the file name does not contain the word.
 */
char	   *load_pair_partner(const char *path, bool to_members);

/* True when the two paths name a households file and its members file. */
bool		load_pair_match(const char *households, const char *members);

#endif
