/*
 * score_text.c: the text form of a score (see score.h), written and parsed without
 * trusting the input: every number is range-checked and every byte accounted for.
 */
#include <stdio.h>
#include <string.h>

#include "score.h"

static int
append(char *out, int outlen, int pos, const char *text)
{
	int			n = (int) strlen(text);

	if (pos + n >= outlen)
		return pos;
	memcpy(out + pos, text, n + 1);
	return pos + n;
}

static int
append_list(char *out, int outlen, int pos, uint64_t mask)
{
	bool		first = true;

	if (mask == 0)
		return append(out, outlen, pos, "-");
	for (int i = 1; i <= BMN_MAX_INDICATOR; i++)
	{
		char		buf[8];

		if ((mask & bmn_bit(i)) == 0)
			continue;
		snprintf(buf, sizeof buf, first ? "%d" : ",%d", i);
		pos = append(out, outlen, pos, buf);
		first = false;
	}
	return pos;
}

void
bmn_score_format(const BmnScore *s, char *out, int outlen)
{
	char		buf[64];
	int			pos = 0;
	int			slot = 0;

	if (outlen <= 0)
		return;
	out[0] = '\0';
	snprintf(buf, sizeof buf, "persons=%u thai=%u applicable=",
			 (unsigned) s->persons, (unsigned) s->thai_persons);
	pos = append(out, outlen, pos, buf);
	pos = append_list(out, outlen, pos, s->applicable);
	pos = append(out, outlen, pos, " passed=");
	pos = append_list(out, outlen, pos, s->passed);
	pos = append(out, outlen, pos, " members=");
	if (s->member_mask == 0)
		pos = append(out, outlen, pos, "-");
	for (int i = 1; i <= BMN_MAX_INDICATOR && slot < BMN_MEMBER_SLOTS; i++)
	{
		if ((s->member_mask & bmn_bit(i)) == 0)
			continue;
		snprintf(buf, sizeof buf, "%s%d:%u/%u", slot ? "," : "", i,
				 (unsigned) s->persons_applicable[slot], (unsigned) s->persons_passed[slot]);
		pos = append(out, outlen, pos, buf);
		slot++;
	}
}

/* Read an unsigned decimal <= max at *p; advance *p. */
static bool
read_uint(const char **p, unsigned long max, unsigned long *value)
{
	unsigned long v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
	{
		v = v * 10 + (unsigned long) (*s - '0');
		if (v > max)
			return false;
		s++;
	}
	*p = s;
	*value = v;
	return true;
}

static bool
expect_word(const char **p, const char *word)
{
	size_t		n = strlen(word);

	if (strncmp(*p, word, n) != 0)
		return false;
	*p += n;
	return true;
}

static bool
read_list(const char **p, uint64_t *mask)
{
	unsigned long v;

	*mask = 0;
	if (**p == '-')
	{
		(*p)++;
		return true;
	}
	for (;;)
	{
		if (!read_uint(p, BMN_MAX_INDICATOR, &v) || v == 0 || (*mask & bmn_bit((int) v)))
			return false;
		*mask |= bmn_bit((int) v);
		if (**p != ',')
			return true;
		(*p)++;
	}
}

const char *
bmn_score_parse(const char *text, BmnScore *s)
{
	const char *p = text;
	unsigned long v,
				a,
				b;
	int			last = 0;

	memset(s, 0, sizeof *s);
	s->version = BMN_SCORE_VERSION;
	if (!expect_word(&p, "persons=") || !read_uint(&p, UINT16_MAX, &v))
		return "Expected persons=N";
	s->persons = (uint16_t) v;
	if (!expect_word(&p, " thai=") || !read_uint(&p, UINT16_MAX, &v))
		return "Expected thai=N";
	s->thai_persons = (uint16_t) v;
	if (!expect_word(&p, " applicable=") || !read_list(&p, &s->applicable))
		return "Expected applicable=LIST of indicator numbers 1-64, or -";
	if (!expect_word(&p, " passed=") || !read_list(&p, &s->passed))
		return "Expected passed=LIST of indicator numbers 1-64, or -";
	if (!expect_word(&p, " members="))
		return "Expected members=";
	if (*p == '-')
		p++;
	else
	{
		int			slot = 0;

		for (;;)
		{
			if (!read_uint(&p, BMN_MAX_INDICATOR, &v) || (int) v <= last)
				return "Member indicators must be listed in increasing order, 1-64";
			if (slot >= BMN_MEMBER_SLOTS)
				return "Too many member-level indicators";
			if (!expect_word(&p, ":") || !read_uint(&p, UINT16_MAX, &a) ||
				!expect_word(&p, "/") || !read_uint(&p, UINT16_MAX, &b))
				return "Expected indicator:applicable/passed";
			s->member_mask |= bmn_bit((int) v);
			s->persons_applicable[slot] = (uint16_t) a;
			s->persons_passed[slot] = (uint16_t) b;
			slot++;
			last = (int) v;
			if (*p != ',')
				break;
			p++;
		}
	}
	if (*p != '\0')
		return "Unexpected text at the end";
	return bmn_score_validate(s);
}

const char *
bmn_score_validate(const BmnScore *s)
{
	if (s->version != BMN_SCORE_VERSION)
		return "Unknown score version";
	if (s->flags != 0 || s->reserved != 0)
		return "Reserved fields are not zero";
	if (s->thai_persons > s->persons)
		return "More Thai persons than persons";
	if ((s->passed & ~s->applicable) != 0)
		return "An indicator is passed but not applicable";
	if (bmn_popcount64(s->member_mask) > BMN_MEMBER_SLOTS)
		return "Too many member-level indicators";
	for (int k = 0; k < BMN_MEMBER_SLOTS; k++)
	{
		if (s->persons_applicable[k] > s->persons)
			return "More persons applicable than persons";
		if (s->persons_passed[k] > s->persons_applicable[k])
			return "More persons passed than applicable";
		if (k >= bmn_popcount64(s->member_mask) &&
			(s->persons_applicable[k] != 0 || s->persons_passed[k] != 0))
			return "Person counts in an unused slot";
	}
	return NULL;
}
