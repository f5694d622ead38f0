/*
 * refresh_stream.c: running a query and handing each row to a function, as the
 * scan's cursors do: rows come through our own DestReceiver, so no tuple is
 * copied (SPI's receiver would form a copy of each), and nothing is kept but
 * what the function keeps.
 */
#include "postgres.h"

#include "executor/spi.h"
#include "miscadmin.h"
#include "tcop/dest.h"
#include "tcop/pquery.h"
#include "utils/memutils.h"
#include "utils/portal.h"

#include "refresh.h"

#define STREAM_FETCH 10000

typedef struct StreamReceiver
{
	DestReceiver pub;
	StreamRowFn fn;
	void	   *arg;
	int			expected_cols;
	MemoryContext row_cxt;		/* what fn allocates lasts one fetch */
} StreamReceiver;

static bool
stream_receive(TupleTableSlot *slot, DestReceiver *self)
{
	StreamReceiver *s = (StreamReceiver *) self;
	MemoryContext old = MemoryContextSwitchTo(s->row_cxt);

	slot_getallattrs(slot);
	s->fn(slot->tts_values, slot->tts_isnull, s->arg);
	MemoryContextSwitchTo(old);
	return true;
}

static void
stream_startup(DestReceiver *self, int operation, TupleDesc desc)
{
	StreamReceiver *s = (StreamReceiver *) self;

	if (desc->natts != s->expected_cols)
		elog(ERROR, "refresh query returned %d columns, expected %d",
			 desc->natts, s->expected_cols);
}

static void
stream_noop(DestReceiver *self)
{
}

void
refresh_stream(const char *sql, int nargs, Oid *types, Datum *args, int ncols,
			   StreamRowFn fn, void *arg)
{
	StreamReceiver s;
	Portal		portal;
	MemoryContext row_cxt;

	memset(&s, 0, sizeof s);
	s.pub.receiveSlot = stream_receive;
	s.pub.rStartup = stream_startup;
	s.pub.rShutdown = stream_noop;
	s.pub.rDestroy = stream_noop;
	s.pub.mydest = DestNone;
	s.fn = fn;
	s.arg = arg;
	s.expected_cols = ncols;
	row_cxt = AllocSetContextCreate(CurrentMemoryContext, "bmn refresh stream rows",
									ALLOCSET_DEFAULT_SIZES);
	s.row_cxt = row_cxt;
	portal = SPI_cursor_open_with_args(NULL, sql, nargs, types, args, NULL, true, 0);
	if (portal == NULL)
		elog(ERROR, "could not open a refresh query: %s", sql);
	for (;;)
	{
		uint64		got = PortalRunFetch(portal, FETCH_FORWARD, STREAM_FETCH,
										 (DestReceiver *) &s);

		MemoryContextReset(row_cxt);
		CHECK_FOR_INTERRUPTS();
		if (got < STREAM_FETCH)
			break;
	}
	SPI_cursor_close(portal);
	MemoryContextDelete(row_cxt);
}
