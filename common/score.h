/*
 * score.h: one household's indicator results, as stored in a bmn.score value.
 *
 * Fixed size, no pointers, so that the same bytes are the SQL type's storage, the
 * aggregate's input and what the pure scoring code fills in. Indicator n (1..64) is
 * bit n-1 of each mask. Member-level indicators also count persons: the k-th set bit
 * of member_mask (from the lowest) owns slot k of persons_applicable/persons_passed.
 */
#ifndef BMN_SCORE_H
#define BMN_SCORE_H

#include <stdbool.h>
#include <stdint.h>

#define BMN_SCORE_VERSION	1
#define BMN_MAX_INDICATOR	64
#define BMN_MEMBER_SLOTS	16

typedef struct BmnScore
{
	uint8_t		version;		/* BMN_SCORE_VERSION */
	uint8_t		flags;			/* reserved, 0 */
	uint16_t	persons;		/* household members */
	uint16_t	thai_persons;	/* members of Thai nationality */
	uint16_t	reserved;		/* 0 */
	uint64_t	applicable;		/* the indicator applies to the household */
	uint64_t	passed;			/* the household passes it (subset of applicable) */
	uint64_t	member_mask;	/* member-level indicators, owners of the slots */
	uint16_t	persons_applicable[BMN_MEMBER_SLOTS];
	uint16_t	persons_passed[BMN_MEMBER_SLOTS];
} BmnScore;

static inline uint64_t
bmn_bit(int indicator_no)
{
	return UINT64_C(1) << (indicator_no - 1);
}

/*
 * The bits set in x. Without -mpopcnt (the build runs on any x86-64) the builtin
 * is a call into libgcc for every slot looked up; this is the same sum inline.
 */
static inline int
bmn_popcount64(uint64_t x)
{
#ifdef __POPCNT__
	return __builtin_popcountll(x);
#else
	x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
	x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
	return (int) ((x * UINT64_C(0x0101010101010101)) >> 56);
#endif
}

/* The slot of a member-level indicator, or -1 when it has none. */
static inline int
bmn_score_slot(const BmnScore *s, int indicator_no)
{
	uint64_t	bit = bmn_bit(indicator_no);

	if ((s->member_mask & bit) == 0)
		return -1;
	return bmn_popcount64(s->member_mask & (bit - 1));
}

/*
 * Text form, for the SQL type's input and output and for reading in tests:
 *   persons=3 thai=3 applicable=4,5,22 passed=4,22 members=16:1/1,20:2/1
 * "members" lists member-level indicators as indicator:applicable/passed persons.
 * bmn_score_format writes at most BMN_SCORE_TEXT_MAX bytes including the NUL.
 * bmn_score_parse validates everything and returns NULL on success, else a message.
 */
#define BMN_SCORE_TEXT_MAX	1024
void		bmn_score_format(const BmnScore *s, char *out, int outlen);
const char *bmn_score_parse(const char *text, BmnScore *s);

/* NULL when s is consistent (version, passed within applicable, counts), else why. */
const char *bmn_score_validate(const BmnScore *s);

#endif
