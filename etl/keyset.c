/*
 * keyset.c: open-addressing hash maps (see keyset.h). Tables double when half full.
 */
#include <stdlib.h>
#include <string.h>

#include "keyset.h"
#include "load_util.h"

#define KEY_BLOCK (1024 * 1024)

typedef struct keyblock
{
	struct keyblock *next;
	size_t		used;
	char		data[];
} keyblock;

typedef struct
{
	const char *key;			/* NULL: free slot */
	uint32_t	hash;
	uint32_t	value;
} strslot;

struct strmap
{
	strslot    *slots;
	size_t		nslots,
				count;
	keyblock   *blocks;
};

static uint32_t
hash_str(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char) *s) * 1099511628211ULL;
	return (uint32_t) (h ^ (h >> 32));
}

strmap *
strmap_new(void)
{
	strmap	   *m = load_xmalloc(sizeof *m);

	m->nslots = 1024;
	m->count = 0;
	m->slots = load_xcalloc(m->nslots, sizeof(strslot));
	m->blocks = NULL;
	return m;
}

void
strmap_free(strmap *m)
{
	if (m == NULL)
		return;
	while (m->blocks)
	{
		keyblock   *b = m->blocks;

		m->blocks = b->next;
		free(b);
	}
	free(m->slots);
	free(m);
}

static const char *
store_key(strmap *m, const char *key)
{
	size_t		n = strlen(key) + 1;
	keyblock   *b = m->blocks;
	char	   *p;

	if (b == NULL || b->used + n > KEY_BLOCK)
	{
		size_t		size = n > KEY_BLOCK ? n : KEY_BLOCK;

		b = load_xmalloc(sizeof(keyblock) + size);
		b->used = 0;
		b->next = m->blocks;
		m->blocks = b;
	}
	p = b->data + b->used;
	memcpy(p, key, n);
	b->used += n;
	return p;
}

static strslot *
find_str(const strmap *m, const char *key, uint32_t h)
{
	size_t		mask = m->nslots - 1;

	for (size_t i = h & mask;; i = (i + 1) & mask)
	{
		strslot    *s = &m->slots[i];

		if (s->key == NULL || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
	}
}

static void
grow_str(strmap *m)
{
	strslot    *old = m->slots;
	size_t		n = m->nslots;

	m->nslots *= 2;
	m->slots = load_xcalloc(m->nslots, sizeof(strslot));
	for (size_t i = 0; i < n; i++)
		if (old[i].key)
			*find_str(m, old[i].key, old[i].hash) = old[i];
	free(old);
}

uint32_t *
strmap_put(strmap *m, const char *key, bool *added)
{
	uint32_t	h = hash_str(key);
	strslot    *s = find_str(m, key, h);

	*added = false;
	if (s->key)
		return &s->value;
	if ((m->count + 1) * 2 > m->nslots)
	{
		grow_str(m);
		s = find_str(m, key, h);
	}
	s->key = store_key(m, key);
	s->hash = h;
	s->value = 0;
	m->count++;
	*added = true;
	return &s->value;
}

uint32_t *
strmap_get(const strmap *m, const char *key)
{
	strslot    *s = find_str(m, key, hash_str(key));

	return s->key ? &s->value : NULL;
}

size_t
strmap_count(const strmap *m)
{
	return m->count;
}

bool
strmap_next(const strmap *m, size_t *iter, const char **key, uint32_t *value)
{
	for (; *iter < m->nslots; (*iter)++)
	{
		strslot    *s = &m->slots[*iter];

		if (s->key)
		{
			*key = s->key;
			*value = s->value;
			(*iter)++;
			return true;
		}
	}
	return false;
}

typedef struct
{
	uint64_t	key;
	uint32_t	value;
	uint32_t	used;
} u64slot;

struct u64map
{
	u64slot    *slots;
	size_t		nslots,
				count;
};

static uint64_t
hash_u64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

u64map *
u64map_new(void)
{
	u64map	   *m = load_xmalloc(sizeof *m);

	m->nslots = 1024;
	m->count = 0;
	m->slots = load_xcalloc(m->nslots, sizeof(u64slot));
	return m;
}

void
u64map_free(u64map *m)
{
	if (m == NULL)
		return;
	free(m->slots);
	free(m);
}

static u64slot *
find_u64(const u64map *m, uint64_t key)
{
	size_t		mask = m->nslots - 1;

	for (size_t i = hash_u64(key) & mask;; i = (i + 1) & mask)
	{
		u64slot    *s = &m->slots[i];

		if (!s->used || s->key == key)
			return s;
	}
}

uint32_t *
u64map_put(u64map *m, uint64_t key, bool *added)
{
	u64slot    *s = find_u64(m, key);

	*added = false;
	if (s->used)
		return &s->value;
	if ((m->count + 1) * 2 > m->nslots)
	{
		u64slot    *old = m->slots;
		size_t		n = m->nslots;

		m->nslots *= 2;
		m->slots = load_xcalloc(m->nslots, sizeof(u64slot));
		for (size_t i = 0; i < n; i++)
			if (old[i].used)
				*find_u64(m, old[i].key) = old[i];
		free(old);
		s = find_u64(m, key);
	}
	s->key = key;
	s->used = 1;
	s->value = 0;
	m->count++;
	*added = true;
	return &s->value;
}

uint32_t *
u64map_get(const u64map *m, uint64_t key)
{
	u64slot    *s = find_u64(m, key);

	return s->used ? &s->value : NULL;
}

/* ---- idxmap ---------------------------------------------------------------------- */

/*
 * Keys in an array indexed by number, and an open-addressing table of numbers + 1
 * (0: free) kept at most 70% full.
 */
struct idxmap
{
	uint64_t   *keys;
	uint32_t	count,
				cap;
	uint32_t   *slots;
	size_t		nslots;
};

uint64_t
keyset_hash(const char *s, size_t n)
{
	/* FNV-1a over 8-byte words, then a strong finaliser (splitmix64). */
	uint64_t	h = 1469598103934665603ULL ^ (uint64_t) n;
	size_t		i = 0;

	for (; i + 8 <= n; i += 8)
	{
		uint64_t	w;

		memcpy(&w, s + i, 8);
		h = (h ^ w) * 1099511628211ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ (unsigned char) s[i]) * 1099511628211ULL;
	return hash_u64(h);
}

static size_t
slots_for(size_t n)
{
	size_t		s = 1024;

	while (s * 7 < n * 10)
		s *= 2;
	return s;
}

idxmap *
idxmap_new(size_t expected)
{
	idxmap	   *m = load_xmalloc(sizeof *m);

	m->count = 0;
	m->cap = expected > 1024 ? (uint32_t) (expected < UINT32_MAX ? expected : UINT32_MAX - 1) : 1024;
	m->keys = load_xmalloc(m->cap * sizeof(uint64_t));
	m->nslots = slots_for(m->cap);
	m->slots = load_xcalloc(m->nslots, sizeof(uint32_t));
	return m;
}

void
idxmap_free(idxmap *m)
{
	if (m == NULL)
		return;
	free(m->keys);
	free(m->slots);
	free(m);
}

static size_t
find_idx(const idxmap *m, uint64_t key)
{
	size_t		mask = m->nslots - 1;

	for (size_t i = hash_u64(key) & mask;; i = (i + 1) & mask)
	{
		uint32_t	v = m->slots[i];

		if (v == 0 || m->keys[v - 1] == key)
			return i;
	}
}

uint32_t
idxmap_find(const idxmap *m, uint64_t key)
{
	uint32_t	v = m->slots[find_idx(m, key)];

	return v ? v - 1 : IDXMAP_NONE;
}

uint32_t
idxmap_add(idxmap *m, uint64_t key, bool *added)
{
	size_t		i = find_idx(m, key);

	*added = false;
	if (m->slots[i])
		return m->slots[i] - 1;
	if (m->count == m->cap)
	{
		m->cap = m->cap < UINT32_MAX / 2 ? m->cap * 2 : UINT32_MAX - 1;
		m->keys = load_xrealloc(m->keys, m->cap * sizeof(uint64_t));
	}
	if ((size_t) (m->count + 1) * 10 > m->nslots * 7)
	{
		free(m->slots);
		m->nslots *= 2;
		m->slots = load_xcalloc(m->nslots, sizeof(uint32_t));
		for (uint32_t k = 0; k < m->count; k++)
			m->slots[find_idx(m, m->keys[k])] = k + 1;
		i = find_idx(m, key);
	}
	m->keys[m->count] = key;
	m->slots[i] = ++m->count;
	*added = true;
	return m->count - 1;
}

uint32_t
idxmap_count(const idxmap *m)
{
	return m->count;
}

uint64_t
idxmap_key(const idxmap *m, uint32_t idx)
{
	return m->keys[idx];
}
