/*
 * generate_rng.h: the pseudo-random numbers of `bmn generate`.
 *
 * xoshiro256** seeded through splitmix64: fast, good enough for synthetic data, and the
 * same sequence on every platform for a given seed (rand() is neither). Every household
 * gets its own stream, derived from the seed and the household's position, so that the
 * output is reproducible and one part can change without shifting all the rest.
 */
#ifndef GENERATE_RNG_H
#define GENERATE_RNG_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct
{
	uint64_t	s[4];
} gen_rng;

/* splitmix64's finaliser: a good 64-bit mix, also used to hash codes to numbers. */
static inline uint64_t
gen_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* A stream for (seed, purpose, index): distinct arguments give independent streams. */
static inline void
gen_rng_init(gen_rng *r, uint64_t seed, uint64_t purpose, uint64_t index)
{
	uint64_t	x = gen_mix64(seed ^ gen_mix64(purpose * 0x632be59bd9b4e019ULL + index));

	for (int i = 0; i < 4; i++)
	{
		x += 0x9e3779b97f4a7c15ULL;
		r->s[i] = gen_mix64(x);
	}
}

static inline uint64_t
gen_rng_next(gen_rng *r)
{
	uint64_t   *s = r->s;
	uint64_t	x = s[1] * 5;
	uint64_t	result = ((x << 7) | (x >> 57)) * 9;
	uint64_t	t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = (s[3] << 45) | (s[3] >> 19);
	return result;
}

/* Uniform in [0, n), n > 0 (Lemire's multiply; the tiny bias is irrelevant here). */
static inline uint32_t
gen_rng_below(gen_rng *r, uint32_t n)
{
	return (uint32_t) (((gen_rng_next(r) >> 32) * (uint64_t) n) >> 32);
}

/* Uniform integer in [lo, hi]; lo when hi < lo. */
static inline int
gen_rng_range(gen_rng *r, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int) gen_rng_below(r, (uint32_t) (hi - lo + 1));
}

/* Uniform in [0, 1). */
static inline double
gen_rng_unit(gen_rng *r)
{
	return (double) (gen_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* True with probability per_mille / 1000. */
static inline bool
gen_rng_permille(gen_rng *r, int per_mille)
{
	return (int) gen_rng_below(r, 1000) < per_mille;
}

/* True with probability per_100k / 100000: for the rare oddities. */
static inline bool
gen_rng_per100k(gen_rng *r, int per_100k)
{
	return (int) gen_rng_below(r, 100000) < per_100k;
}

/* Roughly standard normal: Irwin-Hall sum of 4 uniforms (cheap, bounded at +-3.46). */
static inline double
gen_rng_normal(gen_rng *r)
{
	double		s = gen_rng_unit(r) + gen_rng_unit(r) + gen_rng_unit(r) + gen_rng_unit(r);

	return (s - 2.0) * 1.7320508075688772;
}

/* Log-normal with the given median and sigma (of the log). */
static inline double
gen_rng_lognormal(gen_rng *r, double median, double sigma)
{
	return median * exp(sigma * gen_rng_normal(r));
}

/* An index in [0, n) drawn with the given non-negative integer weights (not all 0). */
static inline int
gen_rng_weighted(gen_rng *r, const int *weights, int n)
{
	int			total = 0;

	for (int i = 0; i < n; i++)
		total += weights[i];
	if (total <= 0)
		return 0;
	int			x = (int) gen_rng_below(r, (uint32_t) total);

	for (int i = 0; i < n; i++)
	{
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

#endif
