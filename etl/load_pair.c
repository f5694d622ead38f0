/*
 * load_pair.c: survey file pair names (see load_pair.h).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load_pair.h"
#include "load_util.h"

/* The last occurrence of word in the file name (not the directories), or NULL. */
static const char *
find_word(const char *path, const char *word)
{
	const char *base = strrchr(path, '/');
	const char *found = NULL;
	size_t		n = strlen(word);

	for (const char *p = base ? base + 1 : path; *p; p++)
		if (strncasecmp(p, word, n) == 0)
			found = p;
	return found;
}

char *
load_pair_partner(const char *path, bool to_members)
{
	const char *from = to_members ? "households" : "members";
	const char *to = to_members ? "members" : "households";
	const char *w = find_word(path, from);
	copybuf		b = {0};
	bool		upper,
				title;

	if (w == NULL)
		return NULL;
	/* HOUSEHOLDS -> MEMBERS, Households -> Members, households -> members */
	upper = w[0] >= 'A' && w[0] <= 'Z' && w[1] >= 'A' && w[1] <= 'Z';
	title = w[0] >= 'A' && w[0] <= 'Z' && !upper;
	copybuf_append(&b, path, (size_t) (w - path));
	for (size_t i = 0; to[i]; i++)
		copybuf_putc(&b, (upper || (title && i == 0)) ? (char) (to[i] - 'a' + 'A') : to[i]);
	copybuf_puts(&b, w + strlen(from));
	return b.data;
}

bool
load_pair_match(const char *households, const char *members)
{
	char	   *partner = load_pair_partner(households, true);
	bool		same = partner != NULL && strcasecmp(partner, members) == 0;

	free(partner);
	return same;
}
