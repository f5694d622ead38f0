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
#include "executor/tuptable.h"
#include "utils/array.h"
#include "utils/relcache.h"

#include "rules.h"
#include "score.h"

#define N_ANSWERS	38			/* columns ind_01 .. ind_38 */
#define FLUSH_ROWS	1000		/* households per written block, as COPY buffers */

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

/* Where scores go: bmn.household_score, written directly in blocks. */
typedef struct ScoreSink
{
	Relation	rel;
	struct ResultRelInfo *rri;
	struct EState *estate;
	struct BulkInsertStateData *bistate;
	TupleDesc	desc;
	TupleTableSlot **slots;
	int			n;
	int			att_year,
				att_household,
				att_batch,
				att_village,
				att_lao,
				att_score;
} ScoreSink;

typedef struct Refresh
{
	int32		year;
	BmnRuleSet	rules;
	BmnCheckSettings settings;
	Oid			score_type;
	SPIPlanPtr	insert_findings;
	MemoryContext buffer_cxt;	/* what the output buffers point into */
	ScoreSink	sink;
	bool		keep_village_rollups;	/* sum villages while scoring */
	struct HTAB *villages;
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
void		refresh_write_village_rollups(Refresh *r);

/* Score every household of the round, or those of the given batches. */
void		refresh_scan(Refresh *r, ArrayType *batches);

#endif
