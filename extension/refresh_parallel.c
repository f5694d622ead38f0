/*
 * refresh_parallel.c: a whole round read, scored and checked by parallel workers
 * as well as by the refreshing backend (the leader).
 *
 * The round's households are cut into parts, ranges of household IDs found from
 * a small sample of the table. Each process takes the next part from a shared
 * counter and reads it with the same merged scan as a serial refresh; so a slow
 * process takes fewer parts and all finish together. What a worker makes of its
 * households are records (refresh_household.c), sent to the leader through a
 * shared-memory queue. The leader turns every record, its own and the workers',
 * into rows (household_apply): workers may not write. It writes them in the order
 * of the parts, so in household order, as a serial scan does: the records of a
 * part ahead of the one being written wait in the leader's memory until the parts
 * before it are done. The scores then lie in key order, which their index's build
 * finds already sorted, and the findings' index takes its entries at its end.
 * In parallel mode the leader may not start a command or take a sequence's value
 * either, so the findings take their ids from a block reserved before, and what
 * does not fit waits in a tuplestore until the workers are gone (findings_defer).
 *
 * Workers share the leader's snapshot, so they read what a serial scan would; the
 * records of a part carry its number, so the collector and tambon checks still
 * see households in key order (spots_group). The number of workers is
 * max_parallel_maintenance_workers, as for a parallel index build, but no more
 * than the cores beside the leader's; rounds smaller than
 * bmn.refresh_parallel_min_households are scanned by the leader alone.
 */
#include "postgres.h"

#include <unistd.h>

#include "access/parallel.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "port/atomics.h"
#include "portability/instr_time.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "storage/shm_mq.h"
#include "storage/shm_toc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/wait_event.h"

#include "refresh.h"

#define KEY_SHARED			UINT64CONST(0xB3D0000000000001)
#define KEY_BOUNDS			UINT64CONST(0xB3D0000000000002)
#define KEY_QUEUES			UINT64CONST(0xB3D0000000000003)

#define QUEUE_SIZE			((Size) 4 * 1024 * 1024)	/* per worker */
#define MESSAGE_SIZE		(64 * 1024) /* a worker sends its records in about these */
#define PART_GUIDE			4	/* a part: what is left / (this x processes) */
#define MIN_PART_HOUSEHOLDS	1000	/* unless the largest part is set smaller */
#define MAX_HELD			((Size) 32 * 1024 * 1024)	/* the leader claims no part past this */
#define MAX_PARTS			16384
#define SAMPLE_SHARE		50	/* one household in this many sampled for the bounds */
#define MIN_SAMPLE			2000
#define LEADER_POLL			256 /* households the leader scores between polls */

static int	parallel_min_households = 20000;
static int	part_max_households = 20000;

typedef struct ParallelShared
{
	int32		year;
	int32		nparts;
	bool		registry;		/* the registry checks run: workers read it too */
	BmnRuleSet	rules;
	BmnCheckSettings settings;
	pg_atomic_uint32 next_part;
	pg_atomic_uint32 parts_done;
} ParallelShared;

/* The bounds between parts: nparts - 1 texts, part p is [bound p-1, bound p). */
typedef struct PartBounds
{
	int			nparts;
	text	  **bound;
} PartBounds;

void
refresh_parallel_init(void)
{
	DefineCustomIntVariable("bmn.refresh_parallel_min_households",
							"Rounds with fewer households are refreshed without parallel workers.",
							"The number of workers is max_parallel_maintenance_workers.",
							&parallel_min_households, 20000, 0, INT_MAX,
							PGC_USERSET, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("bmn.refresh_part_max_households",
							"The most households a process of a parallel refresh takes at once.",
							"The refreshing backend may hold a part's results in memory "
							"until the parts before it are written.",
							&part_max_households, 20000, 10, 1000000,
							PGC_USERSET, 0, NULL, NULL, NULL);
}

/* The bounds as one block: for each, its length (int32) and bytes. */
static Size
bounds_size(const PartBounds *b)
{
	Size		size = 0;

	for (int i = 0; i < b->nparts - 1; i++)
		size += sizeof(int32) + VARSIZE_ANY_EXHDR(b->bound[i]);
	return Max(size, 1);
}

static void
bounds_write(const PartBounds *b, char *out)
{
	for (int i = 0; i < b->nparts - 1; i++)
	{
		int32		len = VARSIZE_ANY_EXHDR(b->bound[i]);

		memcpy(out, &len, sizeof len);
		memcpy(out + sizeof len, VARDATA_ANY(b->bound[i]), len);
		out += sizeof len + len;
	}
}

static void
bounds_read(PartBounds *b, int nparts, const char *in)
{
	b->nparts = nparts;
	b->bound = palloc(sizeof(text *) * Max(nparts - 1, 1));
	for (int i = 0; i < nparts - 1; i++)
	{
		int32		len;

		memcpy(&len, in, sizeof len);
		b->bound[i] = cstring_to_text_with_len(in + sizeof len, len);
		in += sizeof len + len;
	}
}

static text *
part_lo(const PartBounds *b, int part)
{
	return part == 0 ? NULL : b->bound[part - 1];
}

static text *
part_hi(const PartBounds *b, int part)
{
	return part == b->nparts - 1 ? NULL : b->bound[part];
}

/*
 * Parts that shrink as the round goes: each a 1/(PART_GUIDE x processes) share of
 * what is left, down to MIN_PART_HOUSEHOLDS. The first parts are large (few
 * cursors to open) and the last small, so that the processes finish together;
 * none over bmn.refresh_part_max_households, as the leader may hold a part's
 * records back.
 * Bounds are household IDs sampled a page at a time (TABLESAMPLE SYSTEM), about
 * one household in SAMPLE_SHARE.
 */
static void
choose_parts(Refresh *r, double households, int processes, PartBounds *b)
{
	Datum		year = Int32GetDatum(r->year);
	double		table_rows = refresh_query_double("SELECT reltuples::float8 FROM pg_catalog.pg_class"
												  " WHERE oid = 'bmn.household'::pg_catalog.regclass"
												  " AND $1 IS NOT NULL", r->year);
	double		sample = Min(households, Max(MIN_SAMPLE, households / SAMPLE_SHARE));
	float4		pct = (float4) Min(100.0, 100.0 * sample / Max(Max(table_rows, households), 1));
	Datum		args[2] = {year, Float4GetDatum(pct)};
	uint64		m,
				pos = 0,
				min_part,
				max_part;
	text	   *last = NULL;
	int			capacity = 64;

	if (SPI_execute_with_args("SELECT household_id FROM bmn.household"
							  " TABLESAMPLE SYSTEM ($2) REPEATABLE (0)"
							  " WHERE survey_year = $1 ORDER BY household_id",
							  2, (Oid[]) {INT4OID, FLOAT4OID}, args, NULL, true, 0)
		!= SPI_OK_SELECT)
		elog(ERROR, "could not sample the round's households");
	m = SPI_processed;
	min_part = Max(1, (uint64) (Min(MIN_PART_HOUSEHOLDS, part_max_households) * m /
								Max(households, 1)));
	max_part = Max(min_part, (uint64) (part_max_households * m / Max(households, 1)));
	b->bound = palloc(sizeof(text *) * capacity);
	b->nparts = 1;
	while (m - pos > min_part && b->nparts < MAX_PARTS)
	{
		bool		isnull;
		text	   *t;
		int			len;

		pos += Min(Max((m - pos) / (PART_GUIDE * processes), min_part), max_part);
		if (pos >= m)
			break;
		t = DatumGetTextPP(SPI_getbinval(SPI_tuptable->vals[pos], SPI_tuptable->tupdesc, 1,
										 &isnull));
		len = VARSIZE_ANY_EXHDR(t);
		/* bounds strictly increasing, in bytes as the "C" collation orders them */
		if (last != NULL && key_cmp(t, last) <= 0)
			continue;
		if (b->nparts == capacity)
		{
			capacity *= 2;
			b->bound = repalloc(b->bound, sizeof(text *) * capacity);
		}
		last = cstring_to_text_with_len(VARDATA_ANY(t), len);
		b->bound[b->nparts - 1] = last;
		b->nparts++;
	}
	SPI_freetuptable(SPI_tuptable);
}

/* ---- the leader ---- */

/* The records of a part ahead of the one being written, and whether it is done. */
typedef struct HeldPart
{
	StringInfoData records;		/* data NULL: none held */
	bool		done;
} HeldPart;

typedef struct Leader
{
	ParallelShared *shared;
	PartBounds	bounds;
	shm_mq_handle **queues;		/* NULL once its worker is done */
	int			nqueues;
	int			open_queues;
	int			since_poll;
	int32		writing;		/* the part whose records are written as they come */
	HeldPart   *held;			/* for each part */
	Size		held_bytes;
	Size		most_held;
	MemoryContext held_cxt;
} Leader;

/* Records of a part written, with the part's number for the checks that group. */
static void
apply_records(Refresh *r, int32 part, const char *p, const char *end)
{
	r->part = part;
	while (p < end)
		p = household_apply(r, p);
}

/* Records of a part: written if it is the part being written, else held. */
static void
take_records(Refresh *r, Leader *l, int32 part, const char *p, Size len)
{
	HeldPart   *h = &l->held[part];

	if (len == 0)
		return;
	if (part == l->writing)
	{
		apply_records(r, part, p, p + len);
		return;
	}
	if (h->records.data == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(l->held_cxt);

		initStringInfo(&h->records);
		MemoryContextSwitchTo(old);
		l->held_bytes += h->records.maxlen;
	}
	l->held_bytes -= h->records.maxlen;
	appendBinaryStringInfo(&h->records, p, (int) len);
	l->held_bytes += h->records.maxlen;
	l->most_held = Max(l->most_held, l->held_bytes);
}

/*
 * A part is done: while the part being written is done, the next one's held
 * records are written and it becomes the part written as its records come.
 */
static void
part_done(Refresh *r, Leader *l, int32 part)
{
	l->held[part].done = true;
	while (l->writing < l->bounds.nparts && l->held[l->writing].done)
	{
		HeldPart   *next;

		if (++l->writing == l->bounds.nparts)
			break;
		next = &l->held[l->writing];
		if (next->records.data != NULL)
		{
			apply_records(r, l->writing, next->records.data,
						  next->records.data + next->records.len);
			l->held_bytes -= next->records.maxlen;
			pfree(next->records.data);
			next->records.data = NULL;
		}
	}
}

/*
 * Every record waiting in the workers' queues, written or held; whether there
 * was any. A message is its part's number, whether it ends the part, and records.
 */
static bool
drain(Refresh *r, Leader *l)
{
	int32		own_part = r->part;
	bool		got = false;

	for (int i = 0; i < l->nqueues; i++)
	{
		for (;;)
		{
			Size		n;
			void	   *data;
			shm_mq_result res;
			int32		part,
						last;
			const char *p,
					   *end;

			if (l->queues[i] == NULL)
				break;
			res = shm_mq_receive(l->queues[i], &n, &data, true);
			if (res == SHM_MQ_WOULD_BLOCK)
				break;
			if (res == SHM_MQ_DETACHED)
			{
				/* done, or failed: WaitForParallelWorkersToFinish reports which */
				shm_mq_detach(l->queues[i]);
				l->queues[i] = NULL;
				l->open_queues--;
				break;
			}
			got = true;
			if (n < 2 * sizeof(int32))
				elog(ERROR, "bmn.refresh: a parallel worker sent a message of %zu bytes", n);
			memcpy(&part, data, sizeof(int32));
			memcpy(&last, (const char *) data + sizeof(int32), sizeof(int32));
			if (part < 0 || part >= l->bounds.nparts || l->held[part].done)
				elog(ERROR, "bmn.refresh: a parallel worker sent records of part %d", part);
			p = (const char *) data + 2 * sizeof(int32);
			end = (const char *) data + n;
			take_records(r, l, part, p, end - p);
			if (last)
				part_done(r, l, part);
		}
	}
	r->part = own_part;
	return got;
}

static void
leader_household(Refresh *r, const HouseholdRow *h, BmnMemberFacts *members, int n_members,
				 void *arg)
{
	Leader	   *l = arg;

	if (r->part == l->writing)
		refresh_add_household(r, h, members, n_members, NULL);
	else
	{
		resetStringInfo(&r->record);
		household_encode(r, h, members, n_members, &r->record, &r->findings.details);
		take_records(r, l, r->part, r->record.data, r->record.len);
	}
	/* the workers' queues are emptied as the leader goes, so they never wait long */
	if (++l->since_poll >= LEADER_POLL)
	{
		l->since_poll = 0;
		drain(r, l);
	}
}

static uint32
claim_part(ParallelShared *shared)
{
	if (pg_atomic_read_u32(&shared->next_part) >= (uint32) shared->nparts)
		return (uint32) shared->nparts;
	return pg_atomic_fetch_add_u32(&shared->next_part, 1);
}

static int
cores(void)
{
	long		n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 && n < 4096 ? (int) n : 1;
}

/*
 * About how many households the round has: what its batches brought (the loader
 * counts them), or, for rows that came another way, the table's estimate.
 */
double
refresh_round_households(Refresh *r)
{
	return refresh_query_double("SELECT coalesce(nullif(sum(households), 0)::float8,"
								"  (SELECT greatest(reltuples, 0)::float8 FROM pg_catalog.pg_class"
								"    WHERE oid = 'bmn.household'::pg_catalog.regclass))"
								" FROM bmn.batch WHERE survey_year = $1 AND kind = 'survey'",
								r->year);
}

bool
refresh_scan_parallel(Refresh *r)
{
	/* as many processes as cores at most: the leader's share is never idle */
	int			nworkers = Min(max_parallel_maintenance_workers, cores() - 1);
	double		households;
	ParallelContext *pcxt;
	ParallelShared *shared;
	Leader		l;
	char	   *blob;
	char	   *queues;
	uint32		part;
	int			leader_parts = 0;
	instr_time	start,
				took;

	if (r->mode != SCAN_WHOLE_ROUND || nworkers <= 0 || IsInParallelMode())
		return false;
	households = r->round_households > 0 ? r->round_households : refresh_round_households(r);
	if (households < parallel_min_households)
		return false;
	memset(&l, 0, sizeof l);
	choose_parts(r, households, nworkers + 1, &l.bounds);
	if (l.bounds.nparts < 2)
		return false;
	nworkers = Min(nworkers, l.bounds.nparts - 1);

	/* findings' ids are reserved before parallel mode forbids it */
	findings_defer(r, (int64) (households / 2) + 1000);
	EnterParallelMode();
	pcxt = CreateParallelContext("bmn", "bmn_refresh_worker", nworkers);
	shm_toc_estimate_chunk(&pcxt->estimator, sizeof(ParallelShared));
	shm_toc_estimate_chunk(&pcxt->estimator, bounds_size(&l.bounds));
	shm_toc_estimate_chunk(&pcxt->estimator, mul_size(QUEUE_SIZE, nworkers));
	shm_toc_estimate_keys(&pcxt->estimator, 3);
	InitializeParallelDSM(pcxt);
	if (pcxt->seg == NULL)
	{
		/* no dynamic shared memory to be had: the leader alone */
		DestroyParallelContext(pcxt);
		ExitParallelMode();
		findings_undefer(r);
		return false;
	}

	shared = shm_toc_allocate(pcxt->toc, sizeof(ParallelShared));
	memset(shared, 0, sizeof *shared);
	shared->year = r->year;
	shared->nparts = l.bounds.nparts;
	shared->registry = r->registry != NULL;
	shared->rules = r->rules;
	shared->settings = r->settings;
	pg_atomic_init_u32(&shared->next_part, 0);
	pg_atomic_init_u32(&shared->parts_done, 0);
	shm_toc_insert(pcxt->toc, KEY_SHARED, shared);
	blob = shm_toc_allocate(pcxt->toc, bounds_size(&l.bounds));
	bounds_write(&l.bounds, blob);
	shm_toc_insert(pcxt->toc, KEY_BOUNDS, blob);
	queues = shm_toc_allocate(pcxt->toc, mul_size(QUEUE_SIZE, nworkers));
	for (int i = 0; i < nworkers; i++)
		shm_mq_set_receiver(shm_mq_create(queues + i * QUEUE_SIZE, QUEUE_SIZE), MyProc);
	shm_toc_insert(pcxt->toc, KEY_QUEUES, queues);

	LaunchParallelWorkers(pcxt);
	l.shared = shared;
	l.held = palloc0(sizeof(HeldPart) * l.bounds.nparts);
	l.held_cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh held records",
									   ALLOCSET_DEFAULT_SIZES);
	l.nqueues = pcxt->nworkers_launched;
	l.open_queues = l.nqueues;
	l.queues = palloc0(sizeof(shm_mq_handle *) * Max(l.nqueues, 1));
	for (int i = 0; i < l.nqueues; i++)
		l.queues[i] = shm_mq_attach((shm_mq *) (queues + i * QUEUE_SIZE), pcxt->seg,
									pcxt->worker[i].bgwhandle);
	elog(DEBUG1, "bmn.refresh: %d parts, %d parallel workers", l.bounds.nparts,
		 pcxt->nworkers_launched);

	INSTR_TIME_SET_CURRENT(start);
	for (;;)
	{
		bool		got = drain(r, &l);

		/* with much held back, the leader writes what comes rather than scan more */
		part = l.held_bytes <= MAX_HELD || l.open_queues == 0 ?
			claim_part(shared) : (uint32) shared->nparts;
		if (part < (uint32) shared->nparts)
		{
			leader_parts++;
			r->part = (int32) part;
			refresh_scan_range(r, part_lo(&l.bounds, part), part_hi(&l.bounds, part),
							   leader_household, &l);
			part_done(r, &l, (int32) part);
			r->part = 0;
			pg_atomic_fetch_add_u32(&shared->parts_done, 1);
			continue;
		}
		if (l.open_queues == 0)
			break;
		if (!got)
		{
			(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_EXIT_ON_PM_DEATH, -1, PG_WAIT_EXTENSION);
			ResetLatch(MyLatch);
		}
		CHECK_FOR_INTERRUPTS();
	}
	INSTR_TIME_SET_CURRENT(took);
	INSTR_TIME_SUBTRACT(took, start);
	elog(DEBUG1, "bmn.refresh: the leader scored %d parts and wrote them all in %.1f ms"
		 " (holding at most %zu kB of records)",
		 leader_parts, INSTR_TIME_GET_MILLISEC(took), l.most_held / 1024);
	WaitForParallelWorkersToFinish(pcxt);
	if (pg_atomic_read_u32(&shared->parts_done) != (uint32) shared->nparts ||
		l.writing != l.bounds.nparts)
		elog(ERROR, "bmn.refresh: %u of %d parts of the round were scored, %d written",
			 pg_atomic_read_u32(&shared->parts_done), shared->nparts, l.writing);
	MemoryContextDelete(l.held_cxt);
	DestroyParallelContext(pcxt);
	ExitParallelMode();
	r->part = 0;
	findings_undefer(r);
	return true;
}

/* ---- a worker ---- */

typedef struct Worker
{
	shm_mq_handle *queue;
	StringInfoData message;		/* the part's number, whether it ends the part, records */
	int32		part;
	bool		leader_gone;
	instr_time	waited;			/* for room in the queue */
} Worker;

/* A message begun: the part's number and, until the last one, not its end. */
static void
begin_message(Worker *w)
{
	int32		last = 0;

	resetStringInfo(&w->message);
	appendBinaryStringInfo(&w->message, (const char *) &w->part, sizeof(int32));
	appendBinaryStringInfo(&w->message, (const char *) &last, sizeof(int32));
}

/* The message sent; the last of a part is sent even without records. */
static void
send_message(Worker *w, bool last)
{
	instr_time	start,
				end;
	int32		ends = last ? 1 : 0;

	INSTR_TIME_SET_CURRENT(start);
	memcpy(w->message.data + sizeof(int32), &ends, sizeof(int32));
	if (!w->leader_gone && (last || w->message.len > (int) (2 * sizeof(int32))))
		w->leader_gone = shm_mq_send(w->queue, w->message.len, w->message.data, false,
									 last) == SHM_MQ_DETACHED;
	INSTR_TIME_SET_CURRENT(end);
	INSTR_TIME_ACCUM_DIFF(w->waited, end, start);
	begin_message(w);
}

static void
worker_household(Refresh *r, const HouseholdRow *h, BmnMemberFacts *members, int n_members,
				 void *arg)
{
	Worker	   *w = arg;

	household_encode(r, h, members, n_members, &w->message, &r->findings.details);
	if (w->message.len >= MESSAGE_SIZE)
		send_message(w, false);
}

PGDLLEXPORT void bmn_refresh_worker(dsm_segment *seg, shm_toc *toc);

void
bmn_refresh_worker(dsm_segment *seg, shm_toc *toc)
{
	ParallelShared *shared = shm_toc_lookup(toc, KEY_SHARED, false);
	char	   *queues = shm_toc_lookup(toc, KEY_QUEUES, false);
	shm_mq	   *mq = (shm_mq *) (queues + ParallelWorkerNumber * QUEUE_SIZE);
	PartBounds	bounds;
	Refresh		r;
	Worker		w;
	uint32		part;
	int			nparts = 0;
	instr_time	start,
				took;

	shm_mq_set_sender(mq, MyProc);
	memset(&w, 0, sizeof w);
	w.queue = shm_mq_attach(mq, seg, NULL);
	initStringInfo(&w.message);
	bounds_read(&bounds, shared->nparts, shm_toc_lookup(toc, KEY_BOUNDS, false));

	memset(&r, 0, sizeof r);
	r.year = shared->year;
	r.rules = shared->rules;
	r.settings = shared->settings;
	r.mode = SCAN_WHOLE_ROUND;
	r.keep_cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh worker",
									   ALLOCSET_DEFAULT_SIZES);
	initStringInfo(&r.findings.details);
	SPI_connect();
	if (shared->registry)
		registry_load(&r, NULL, NULL);
	INSTR_TIME_SET_CURRENT(start);
	while (!w.leader_gone && (part = claim_part(shared)) < (uint32) shared->nparts)
	{
		nparts++;
		w.part = (int32) part;
		begin_message(&w);
		refresh_scan_range(&r, part_lo(&bounds, part), part_hi(&bounds, part),
						   worker_household, &w);
		send_message(&w, true);
		if (!w.leader_gone)
			pg_atomic_fetch_add_u32(&shared->parts_done, 1);
	}
	INSTR_TIME_SET_CURRENT(took);
	INSTR_TIME_SUBTRACT(took, start);
	elog(DEBUG1, "bmn.refresh: worker %d scored %d parts in %.1f ms (%.1f ms waiting for the leader)",
		 ParallelWorkerNumber, nparts, INSTR_TIME_GET_MILLISEC(took),
		 INSTR_TIME_GET_MILLISEC(w.waited));
	registry_free(&r);
	SPI_finish();
	shm_mq_detach(w.queue);
}
