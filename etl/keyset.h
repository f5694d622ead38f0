/*
 * keyset.h: hash maps for the keys a load must remember (household IDs, area codes,
 * member numbers), with a 32-bit value each. Open addressing, keys copied into
 * large blocks: a few dozen bytes per key, however many keys.
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

#endif
