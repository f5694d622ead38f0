/*
 * refresh.h: the parts of bmn.refresh(year).
 *
 *   refresh.c          the SQL function: what to redo, clearing, the steps in order
 *   refresh_round.c    the round's settings and the rules of its indicator set
 *   refresh_batches.c  the batches loaded since the last refresh
 *   refresh_scan.c     reading households and members in household order, merged
 *   refresh_household.c scoring and checking one household into a record of bytes
 *   refresh_parallel.c a whole round read and scored by parallel workers too
 *   refresh_write.c    a household's record into scores, rollups and findings
 *   refresh_stream.c   rows of a query handed to a function, without copies
 *   refresh_sink.c     rows written straight into a table, as COPY writes them
 *   refresh_keyed.c    rows found by their key and replaced where they lie
 *   refresh_retired.c  the scores deleted households took with them (score_retire.c)
 *   refresh_btree.c    btree lookups from the leaf of the last one, not the root
 *   checks_write.c     writing findings; settling the findings redone over a scope
 *   checks_details.c   the details (jsonb) of the household and member findings
 *   checks_registry.c  the house registry, in memory, for the registry checks
 *   checks_spots.c     households' positions and days, for the collector and GPS checks
 *   checks_collector.c COLLECTOR_DAILY_LOAD and GPS_SAME_SPOT
 *   checks_tambon.c    GPS_OUT_OF_AREA's distance from the tambon's median position
 *   checks_sets.c      the checks done in SQL: national IDs repeated across
 *                      households, villages (counts, averages, registry coverage)
 */
#ifndef BMN_REFRESH_H
#define BMN_REFRESH_H

#include "postgres.h"

#include "executor/spi.h"
#include "executor/tuptable.h"
#include "storage/buf.h"
#include "storage/itemptr.h"
#include "lib/stringinfo.h"
#include "access/skey.h"
#include "utils/array.h"
#include "utils/jsonb.h"
#include "utils/snapshot.h"
#include "utils/relcache.h"

#include "checks.h"
#include "rules.h"
#include "score.h"

#define N_ANSWERS	38			/* columns ind_01 .. ind_38 */
#define FLUSH_ROWS	1000		/* households per written block, as COPY buffers */

/* What a scan does with each household. */
typedef enum ScanMode
{
	SCAN_WHOLE_ROUND,			/* score and check every household of the round */
	SCAN_CHANGED,				/* score and check the households of some batches */
	SCAN_REGISTRY				/* only the registry checks, on given households */
} ScanMode;

/* One household as read, with copies of its text values. */
typedef struct HouseholdRow
{
	text	   *household_id;
	text	   *village_code;
	text	   *lao_code;		/* NULL: none */
	text	   *collector_id;
	text	   *house_code;		/* NULL: none */
	int64		batch_id;
	int32		interview_date; /* DateADT */
	BmnHouseholdFacts facts;
} HouseholdRow;

/* A growing list of Datums (text values of a scope, for SQL arrays). */
typedef struct DatumList
{
	Datum	   *v;
	int			n;
	int			capacity;
} DatumList;

/* Rows written straight into a table, a block at a time (refresh_sink.c). */
typedef struct TableSink
{
	Relation	rel;
	struct ResultRelInfo *rri;
	struct EState *estate;
	struct BulkInsertStateData *bistate;
	TupleDesc	desc;
	TupleTableSlot **slots;
	int			n;
	int			capacity;
	int			ncols;
	int		   *attnums;		/* the columns the caller gives, in its order (0-based) */
	int			options;		/* of table_multi_insert (TABLE_INSERT_SKIP_FSM) */
	struct ExprState **defaults;	/* per attribute not given: its default, or NULL */
	bool		check_constraints;
	MemoryContext row_cxt;		/* the defaults' values, until the block is written */
} TableSink;

Oid			table_direct_access(const char *relname, AclMode mode, LOCKMODE lock);
typedef bool (*TableRowFn) (TupleTableSlot *slot, void *arg);
Relation	table_open_read(const char *relname);
void		table_read_rows(Relation rel, Snapshot snapshot, TableRowFn fn, void *arg);
AttrNumber	table_column(Relation rel, const char *name);
void		table_sink_open(TableSink *k, const char *relname, const char *const *columns,
							int ncols, int capacity);
void		table_sink_fill(TableSink *k, TupleTableSlot *slot, const Datum *values,
							const bool *nulls);
void		table_sink_add(TableSink *k, const Datum *values, const bool *nulls);
void		table_sink_flush(TableSink *k);
void		table_sink_close(TableSink *k);
void		table_sink_keep_pages(TableSink *k, double bytes);

/* A sink's table, its rows found by key and replaced in place (refresh_keyed.c). */
/* Lookups in a btree index from the leaf of the last one (refresh_btree.c). */
typedef struct BtreeCursor
{
	Relation	index;
	struct BTScanInsertData *key;	/* a value per key column, set by each lookup */
	struct SortSupportData *order;	/* of each key column */
	Buffer		leaf;			/* pinned, not locked: where the last lookup ended */
	ItemPointerData *tids;		/* the heap TIDs the last lookup found */
	int			ntids;
	int			captids;
} BtreeCursor;

void		btree_cursor_begin(BtreeCursor *c, Relation index, int nkeys);
int			btree_cursor_find(BtreeCursor *c, const Datum *key, Snapshot snapshot);
bool		btree_cursor_next_row(BtreeCursor *c, int *next, Snapshot snapshot,
								  struct IndexFetchTableData *fetch, TupleTableSlot *slot);
void		btree_cursor_end(BtreeCursor *c);

typedef struct KeyedTable
{
	TableSink  *sink;			/* the table, open for writing */
	Relation	index;			/* its index on the key (unique for keyed_find) */
	BtreeCursor cursor;			/* the key's entries in the index */
	struct IndexFetchTableData *fetch;	/* the rows they point to */
	bool		updates;		/* keyed_update allowed (keyed_open) */
	Snapshot	snapshot;
	TupleTableSlot *row;		/* the row found */
	TupleTableSlot *next;		/* the row replacing one */
} KeyedTable;

typedef void (*KeyedRowFn) (KeyedTable *t, void *arg);

void		keyed_open(KeyedTable *t, TableSink *sink, const char *const *key_columns,
					   int nkeys);
void		keyed_open_shared(KeyedTable *t, TableSink *sink, const char *const *key_columns,
							  int nkeys);
BlockNumber keyed_table_blocks(KeyedTable *t);
void		keyed_scan(KeyedTable *t, KeyedRowFn fn, void *arg);
bool		keyed_find(KeyedTable *t, const Datum *key);
int			keyed_each(KeyedTable *t, const Datum *key, KeyedRowFn fn, void *arg);
void		keyed_update(KeyedTable *t, ItemPointer tid, const Datum *values,
						 const bool *nulls);
void		keyed_delete(KeyedTable *t, ItemPointer tid);
void		keyed_close(KeyedTable *t);

/* Findings on their way to bmn.finding. */
typedef struct FindingBuffer
{
	TableSink	sink;
	MemoryContext cxt;			/* what the rows' values point into */
	Datum		check_text[BMN_CHECK_COUNT];
	Datum		entity_text[4];	/* household, member, village, collector */
	StringInfoData details;		/* the details being written */
	struct Tuplestorestate *deferred;	/* while in parallel mode: rows kept here */
	struct TupleDescData *deferred_desc;
	TableSink	numbered;		/* rows given their finding_id from a reserved block */
	struct HTAB *details_kept;	/* details text -> jsonb (checks_write.c) */
	MemoryContext keep_cxt;
	int64		next_id;		/* the block: next_id .. last_id */
	int64		last_id;
} FindingBuffer;

/*
 * What scoring and checking one household gives, as bytes (refresh_household.c):
 * made where the household is read (the refreshing backend or a parallel worker),
 * turned into rows by the refreshing backend (refresh_write.c). The header is
 * followed by the household ID, village, LAO and collector (len_* bytes each), then
 * n_ids national IDs (int64: the 13 digits as a number, -1 for anything else), then
 * n_findings findings
 * (RecordFinding and its details, JSON text with its NUL).
 */
typedef struct HouseholdRecord
{
	uint32		size;			/* of the whole record */
	int32		interview_date; /* DateADT */
	int64		batch_id;
	int64		spot_key;
	int64		ids_key;
	double		latitude;
	double		longitude;
	int32		village;		/* the 8-digit code as a number */
	int32		persons;
	int32		len_id;
	int32		len_village;
	int32		len_lao;		/* -1: no LAO */
	int32		len_collector;
	int32		n_ids;
	int32		n_findings;
	bool		has_position;
	bool		scored;			/* false in a scan of the registry checks alone */
	BmnScore	score;
} HouseholdRecord;

typedef struct RecordFinding
{
	int16		check;			/* BmnCheckCode */
	int16		member_no;
	bool		of_member;		/* false: the household's own finding */
	int32		len_details;	/* with the NUL */
} RecordFinding;

struct RegistryIndex;
struct SpotSet;
struct IdFilter;

typedef struct Refresh
{
	int32		year;
	char		score_table[NAMEDATALEN];	/* household_score_YYYY, the round's partition */
	BmnRuleSet	rules;
	BmnCheckSettings settings;
	/* set-based thresholds (the household ones are in settings) */
	int			collector_daily_max;
	double		gps_max_km;
	double		gps_same_spot_m;
	int			gps_same_spot_count;

	ScanMode	mode;
	MemoryContext buffer_cxt;	/* what the score slots point into */
	char	   *buffer_next;	/* its chunk being carved (household_apply) */
	Size		buffer_left;
	MemoryContext keep_cxt;		/* what lives for the whole refresh */
	Jsonb	   *round_settings; /* bmn.survey_round.settings */
	char	   *set_code;		/* the round's indicator set */
	TableSink	sink;			/* bmn.household_score */
	KeyedTable	score_keyed;	/* its rows by household (old scores not retired) */
	bool		score_keyed_open;
	struct RetiredScores *retired;	/* the scores deleted households took along */
	bool		keep_village_rollups;	/* sum villages while scoring */
	double		round_households;	/* a whole round's, about (refresh_round_households); else 0 */
	struct Villages *villages;	/* each village's change of its counts: scores
								 * in (a correction's old ones out) */
	FindingBuffer findings;
	int64		households;
	int64		found;
	int32		part;			/* the part of the round being written (refresh_parallel.c) */
	StringInfoData record;		/* one household's record, read and written here */

	/* gathered while scanning */
	struct RegistryIndex *registry; /* NULL: no registry checks */
	struct SpotSet *spots;		/* whole round: every household's position and day */
	struct IdFilter *ids;		/* whole round: national IDs seen, to find repeats */
	DatumList	dup_candidates; /* national IDs that may be in two households */

	/* a correction: what the change can reach */
	DatumList	scope_villages; /* villages whose counts changed */
	DatumList	scope_collectors;	/* collectors whose households moved */
	DatumList	scope_tambon_villages;	/* villages of positions that moved */
	DatumList	spot_changed;	/* households whose collector, day or position changed */
	DatumList	ids_changed;	/* households whose members' national IDs changed */
	bool		all_villages;	/* registry batches: every village's coverage */
} Refresh;

/* A corrected household as it was scored before. */
typedef struct OldHousehold
{
	int			village;
	char		lao[72];
	int			persons;
	bool		has_keys;
	int64		spot_key;
	int64		ids_key;
} OldHousehold;

/* refresh_clear.c */
void		refresh_clear_findings(Refresh *r, const Datum *ids, int n,
								   const HouseholdRow *households);

/* refresh_retired.c */
void		refresh_retired_lock(void);
bool		refresh_retired_exist(Refresh *r);
void		refresh_retired_read(Refresh *r);
bool		refresh_retired_any(Refresh *r);
bool		refresh_retired_find(Refresh *r, const text *household_id, OldHousehold *o);
ArrayType  *refresh_retired_gone(Refresh *r);
void		refresh_retired_clear(Refresh *r);

/* refresh_round.c */
void		refresh_load_round(Refresh *r);
void		refresh_load_rules(Refresh *r);

/* refresh_batches.c */
void		refresh_read_batches_pending(Refresh *r, ArrayType **pending, bool *whole_round,
										 ArrayType **registry);

/* refresh_household.c */
void		household_encode(const Refresh *r, const HouseholdRow *h,
							 BmnMemberFacts *members, int n_members,
							 StringInfo out, StringInfo details);

/* refresh_write.c */
void		old_household_from(OldHousehold *o, const Datum *v, const bool *isnull,
							   int village_att, int lao_att, int score_att, int spot_att,
							   int ids_att);
void		refresh_old_scores_begin(Refresh *r);
void		refresh_writer_begin(Refresh *r);
void		refresh_add_household(Refresh *r, const HouseholdRow *h,
								  BmnMemberFacts *members, int n_members, void *arg);
const char *household_apply(Refresh *r, const char *record);
void		refresh_writer_end(Refresh *r);
/* refresh_villages.c */
void		refresh_villages_begin(Refresh *r);
void		refresh_village_add(Refresh *r, const text *village, const text *lao,
								const BmnScore *score, int sign);
void		refresh_write_village_rollups(Refresh *r);

/* refresh_scan.c: every household of the round or the given households (text[]);
 * or the households of a key range [lo, hi) (NULL: open), each handed to fn; or
 * those of some batches (int8[]), read whole and sorted in memory */
typedef void (*HouseholdFn) (Refresh *r, const HouseholdRow *h, BmnMemberFacts *members,
							 int n_members, void *arg);
void		refresh_scan(Refresh *r, ArrayType *households);
typedef struct ChangedRows ChangedRows;
ChangedRows *refresh_read_batches(Refresh *r, ArrayType *batches);
int			changed_rows_ids(ChangedRows *rows, Datum **ids);
const HouseholdRow *changed_rows_households(ChangedRows *rows);
void		refresh_scan_rows(Refresh *r, ChangedRows *rows);
void		refresh_scan_range(Refresh *r, text *lo, text *hi, HouseholdFn fn, void *arg);

/* refresh_parallel.c: false when the round is scanned by this backend alone */
bool		refresh_scan_parallel(Refresh *r);
void		refresh_parallel_init(void);	/* its setting, from _PG_init */

/* checks_write.c */
void		findings_begin(Refresh *r);
void		findings_add(Refresh *r, BmnCheckCode check, const char *entity,
						 Datum village, Datum lao, Datum household, int member_no,
						 Datum collector, const char *details);
void		findings_add_row(Refresh *r, const Datum *values, const bool *nulls);
void		findings_flush(Refresh *r);
void		findings_defer(Refresh *r, int64 expected);
void		findings_undefer(Refresh *r);
void		findings_end(Refresh *r);
int64		findings_boundary(Refresh *r);
void		findings_settle(Refresh *r, int64 boundary, const char *scope,
							Datum scope_arg, Oid scope_type);

/* checks_details.c */
const char *finding_details(StringInfo out, const BmnFinding *f, const HouseholdRow *h,
							const BmnMemberFacts *members, int n_members);
void		append_json_string(StringInfo buf, const char *s, int len);

/* checks_registry.c */
void		registry_load(Refresh *r, ArrayType *batches, ArrayType *households);
void		registry_lookup(const Refresh *r, const HouseholdRow *h, BmnHouseholdFacts *hh,
							BmnMemberFacts *members, int n_members);
void		registry_free(Refresh *r);

/* checks_spots.c */
void		spots_begin(Refresh *r);
void		spots_add(Refresh *r, const HouseholdRow *h);
void		spots_load(Refresh *r, const char *from_where, Datum arg, Oid argtype,
					   bool ordered);
void		spots_end(Refresh *r);

/* checks_collector.c, checks_tambon.c */
void		check_collectors(Refresh *r);
void		check_tambon_distance(Refresh *r);

/* checks_sets.c */
void		ids_begin(Refresh *r, int64 expected);
void		ids_add(Refresh *r, int64 national_id);
void		ids_end(Refresh *r);
void		check_national_ids(Refresh *r, ArrayType *candidates, bool settle);
void		check_villages(Refresh *r, ArrayType *villages, bool settle);

/* refresh_stream.c: each row of a query to fn (values valid during the call) */
typedef void (*StreamRowFn) (Datum *values, bool *nulls, void *arg);
void		refresh_stream(const char *sql, int nargs, Oid *types, Datum *args, int ncols,
						   StreamRowFn fn, void *arg);

/* lists of Datums */
void		datum_list_add(Refresh *r, DatumList *l, Datum v);
ArrayType  *datum_list_text_array(const DatumList *l);

/* utilities shared by the steps */
Datum		cstring_text_datum(const char *s);
int			digits_value(const char *s, int len, int64 *out);
void		refresh_run(const char *sql, int expected, int nargs, Oid *types, Datum *args);
double		refresh_query_double(const char *sql, int32 year);
double		refresh_round_households(Refresh *r);
void		refresh_step_done(const char *what);

/*
 * A code (a village's, an LAO's) into a NUL-padded field of size bytes (NULL:
 * the empty code); one as long as the field is an error.
 */
static inline void
code_into(char *out, size_t size, const text *t)
{
	size_t		n = t ? VARSIZE_ANY_EXHDR(t) : 0;

	if (n >= size)
		ereport(ERROR,
				(errcode(ERRCODE_STRING_DATA_RIGHT_TRUNCATION),
				 errmsg("code \"%.*s\" is too long to roll up", (int) n, VARDATA_ANY(t))));
	memset(out, 0, size);
	if (n > 0)
		memcpy(out, VARDATA_ANY(t), n);
}

/* Two keys (household IDs) in the order of the "C" collation: bytes, then length. */
static inline int
key_cmp(const text *a, const text *b)
{
	int			la = VARSIZE_ANY_EXHDR(a);
	int			lb = VARSIZE_ANY_EXHDR(b);
	int			c = memcmp(VARDATA_ANY(a), VARDATA_ANY(b), Min(la, lb));

	return c != 0 ? c : (la > lb) - (la < lb);
}

/* Whether a text value is the string s. */
static inline bool
text_equals(Datum value, const char *s)
{
	text	   *t = DatumGetTextPP(value);
	size_t		n = strlen(s);

	return VARSIZE_ANY_EXHDR(t) == n && memcmp(VARDATA_ANY(t), s, n) == 0;
}

/* Whether a text is the NUL-padded code in key (NULL: the empty one). */
static inline bool
same_code(const text *t, const char *key, size_t size)
{
	size_t		n = t ? VARSIZE_ANY_EXHDR(t) : 0;

	return n < size && key[n] == '\0' && (n == 0 || memcmp(key, VARDATA_ANY(t), n) == 0);
}

#endif
