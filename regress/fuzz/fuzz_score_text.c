/*
 * fuzz_score_text.c: bmn.score's text input (bmn_score_parse) on any bytes; what it
 * accepts must validate and survive a round trip through its text output.
 */
#include <stdlib.h>
#include <string.h>

#include "score.h"

int			LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char	   *text = malloc(size + 1);
	char		out[BMN_SCORE_TEXT_MAX];
	BmnScore	s,
				t;

	memcpy(text, data, size);
	text[size] = '\0';
	if (bmn_score_parse(text, &s) == NULL)
	{
		if (bmn_score_validate(&s) != NULL)
			abort();
		bmn_score_format(&s, out, sizeof out);
		if (bmn_score_parse(out, &t) != NULL || memcmp(&s, &t, sizeof s) != 0)
			abort();
	}
	free(text);
	return 0;
}
