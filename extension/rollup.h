/*
 * rollup.h: indicator counts over many households, as the aggregate bmn.rollup
 * keeps them (rollup_agg.c) and as bmn.refresh sums villages while it scores.
 */
#ifndef BMN_ROLLUP_H
#define BMN_ROLLUP_H

#include "postgres.h"

#include "score.h"

typedef struct RollupCounts
{
	int64		households_applicable;
	int64		households_passed;
	int64		persons_applicable;
	int64		persons_passed;
} RollupCounts;

typedef struct RollupState
{
	int64		households;
	int64		persons;
	RollupCounts ind[BMN_MAX_INDICATOR];	/* indicator n at [n-1] */
} RollupState;

/* The varlena: header, then n_indicators RollupCounts. */
typedef struct RollupVarlena
{
	int32		vl_len_;
	uint8		version;
	uint8		n_indicators;	/* counters for indicators 1..n_indicators */
	uint16		reserved;
	int32		padding;
	int64		households;
	int64		persons;
	RollupCounts ind[FLEXIBLE_ARRAY_MEMBER];
} RollupVarlena;

void		rollup_state_add_score(RollupState *st, const BmnScore *s);
RollupVarlena *rollup_state_to_varlena(const RollupState *st);

#endif
