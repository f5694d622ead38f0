/*
 * checks_spots.h: households' collector, day, village and position in memory, as
 * the collector and tambon checks read them (checks_spots.c).
 */
#ifndef BMN_CHECKS_SPOTS_H
#define BMN_CHECKS_SPOTS_H

#include "refresh.h"

typedef struct SpotRecord
{
	const char *household_id;	/* in the set's arena */
	int32		collector;		/* index into collectors.names */
	int32		village;		/* the 8-digit code as a number */
	int32		lao;			/* index into laos.names; -1: none */
	int32		date;			/* DateADT */
	int32		part;			/* of the round, in key order (refresh_parallel.c) */
	bool		has_position;
	bool		in_box;			/* inside Thailand's box of the round */
	double		lat;
	double		lon;
} SpotRecord;

typedef struct SpotNames
{
	const char **names;
	int			n;
	int			capacity;
} SpotNames;

typedef struct SpotSet
{
	MemoryContext cxt;
	SpotRecord *rec;
	int64		n;
	int64		capacity;
	char	   *arena;
	int			arena_left;
	struct HTAB *collector_names;
	struct HTAB *lao_names;
	SpotNames	collectors;
	SpotNames	laos;
	int			last_collector;
	int			last_lao;
} SpotSet;

/*
 * The records' indices grouped by a key of each (0 .. nkeys - 1, groups in
 * ascending order), each group in household order: by part of the round, then
 * as added (a part's households come in key order, and parts are ranges of keys
 * in order). rank, when not NULL, gets each record's place in household order.
 */
typedef int (*SpotKeyFn) (const SpotRecord *rec);
int		   *spots_group(const SpotSet *s, SpotKeyFn key, int nkeys, int *rank);

int			spots_majority_village(const SpotSet *s, const int *idx, int n, int *lao_out);

#endif
