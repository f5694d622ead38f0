/*
 * rollup.h: indicator counts over many households, as the aggregate bmn.rollup
 * keeps them (rollup_agg.c) and as bmn.refresh sums villages while it scores.
 */
#ifndef BMN_ROLLUP_H
#define BMN_ROLLUP_H

#include "postgres.h"

#include "rollup_format.h"
#include "score.h"

typedef BmnRollupCounts RollupCounts;

typedef struct RollupState
{
	int64		households;
	int64		persons;
	RollupCounts ind[BMN_MAX_INDICATOR];	/* indicator n at [n-1] */
} RollupState;

void		rollup_state_add(RollupState *st, const RollupState *other);
void		rollup_state_add_decoded(RollupState *st, const BmnRollup *r);
void		rollup_state_add_score(RollupState *st, const BmnScore *s);
void		rollup_state_subtract_score(RollupState *st, const BmnScore *s);
struct varlena *rollup_state_add_stored(RollupState *st, struct varlena *stored);
struct varlena *rollup_state_to_varlena(const RollupState *st);
struct varlena *rollup_state_to_checked_varlena(const RollupState *st);
void		rollup_decode_value(const struct varlena *raw, const char *what, BmnRollup *out);
void		rollup_report_invalid(const char *what, const char *problem, int indicator);
bool		rollup_pct_passed(const RollupCounts *c, Datum *pct);

#endif
