/*
 * refresh.h: the parts of bmn.refresh(year).
 *
 *   refresh.c        the SQL function: which batches to redo, clearing, marking
 *   refresh_round.c  the round's settings and the rules of its indicator set
 *   refresh_scan.c   reading households and members in household order, merged
 *   refresh_write.c  scoring and checking one household, writing results in blocks
 */
#ifndef BMN_REFRESH_H
#define BMN_REFRESH_H

#include "postgres.h"

#include "executor/spi.h"
#include "utils/array.h"

#include "rules.h"
#include "score.h"

#define N_ANSWERS	38			/* columns ind_01 .. ind_38 */
#define FLUSH_ROWS	10000		/* households per written block */

/* One household as read, with copies of its text values. */
typedef struct HouseholdRow
{
	text	   *household_id;
	text	   *village_code;
	text	   *lao_code;		/* NULL: none */
	text	   *collector_id;
	int64		batch_id;
	int			interview_y;
	int			interview_m;
	int			interview_d;
	BmnHouseholdFacts facts;
} HouseholdRow;

/* Columns of a block of output rows, as arrays for INSERT ... FROM unnest(). */
typedef struct OutBuffer
{
	int			n;
	int			capacity;
	Datum	   *cols[6];
	bool	   *nulls[6];
} OutBuffer;

typedef struct Refresh
{
	int32		year;
	BmnRuleSet	rules;
	BmnCheckSettings settings;
	Oid			score_type;
	SPIPlanPtr	insert_scores;
	SPIPlanPtr	insert_findings;
	MemoryContext buffer_cxt;	/* what the output buffers point into */
	OutBuffer	scores;			/* household_id, village, lao, batch, score */
	OutBuffer	findings;		/* check, village, household_id, member_no, collector, details */
	int64		households;
	int64		found;
} Refresh;

void		refresh_load_round(Refresh *r);
void		refresh_load_rules(Refresh *r);

void		refresh_writer_begin(Refresh *r);
void		refresh_add_household(Refresh *r, const HouseholdRow *h,
								  const BmnMemberFacts *members, int n_members);
void		refresh_writer_end(Refresh *r);

/* Score every household of the round, or those of the given batches. */
void		refresh_scan(Refresh *r, ArrayType *batches);

#endif
