/*
 * keyset.h: hash maps for the keys a load must remember, with a 32-bit value each.
 *
 * strmap keeps its keys (area codes, LAO codes: a few thousand); u64map takes 64-bit
 * keys; idxmap numbers 64-bit keys 0, 1, 2, ... in the order they come, in about 14
 * bytes a key, for what a file has millions of (households, houses): a household_id
 * is kept as its 64-bit hash (keyset_hash), never as text.
 */
#ifndef BMN_KEYSET_H
#define BMN_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct strmap strmap;

strmap	   *strmap_new(void);
void		strmap_free(strmap *m);

/* The value slot of key, added with value 0 (and *added true) when new. */
uint32_t   *strmap_put(strmap *m, const char *key, bool *added);

/* The value slot of key, or NULL. */
uint32_t   *strmap_get(const strmap *m, const char *key);

size_t		strmap_count(const strmap *m);

/* Iteration: *iter starts at 0; false at the end. */
bool		strmap_next(const strmap *m, size_t *iter, const char **key, uint32_t *value);

typedef struct u64map u64map;

u64map	   *u64map_new(void);
void		u64map_free(u64map *m);
uint32_t   *u64map_put(u64map *m, uint64_t key, bool *added);
uint32_t   *u64map_get(const u64map *m, uint64_t key);

/*
 * 64-bit hash of a key. Two different household IDs of one file share it with a
 * probability of about n^2 / 2^65 (1 in 10 million for a million households).
 */
uint64_t	keyset_hash(const char *s, size_t n);

#define IDXMAP_NONE UINT32_MAX

typedef struct idxmap idxmap;

/* expected: how many keys to make room for at once (0: grow as needed). */
idxmap	   *idxmap_new(size_t expected);
void		idxmap_free(idxmap *m);

/* The number of key, or IDXMAP_NONE. */
uint32_t	idxmap_find(const idxmap *m, uint64_t key);

/* The number of key: a new one (count before the call, *added true) when not there. */
uint32_t	idxmap_add(idxmap *m, uint64_t key, bool *added);

/* Keys so far; the key of a number. */
uint32_t	idxmap_count(const idxmap *m);
uint64_t	idxmap_key(const idxmap *m, uint32_t idx);

#endif
