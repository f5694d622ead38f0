/*
 * refresh_btree.c: lookups in a btree index that start from the leaf the last
 * lookup ended on, not from the root.
 *
 * A correction's refresh looks up the old score of each household it redoes, in
 * household order: one household in a hundred is a few entries further along
 * the same leaf, or on the next one. An index scan descends from the root for
 * each (three pages, a binary search in each, and the scan's set-up), which cost
 * more than the leaf itself. Here the leaf stays pinned between lookups, and is
 * used again when the key is shown to lie on it.
 *
 * A key lies on a leaf when the leaf's range begins below it (the leaf holds an
 * entry less than it) and its high key is not less than it, however the leaf
 * came to be there (split, or even deleted and used again elsewhere in the tree
 * while only pinned). A key past the high key is looked for on the right sibling,
 * once, as a scan moves right (the sibling's range begins at that high key);
 * otherwise a descent from the root settles it.
 * So the keys may come in any order; in ascending order they rarely descend.
 */
#include "postgres.h"

#include "access/nbtree.h"
#include "access/tableam.h"
#include "catalog/pg_am_d.h"
#include "pgstat.h"
#include "storage/bufmgr.h"
#include "storage/predicate.h"
#include "utils/rel.h"
#include "utils/sortsupport.h"

#include "refresh.h"

void
btree_cursor_begin(BtreeCursor *c, Relation index, int nkeys)
{
	BTScanInsert key;

	if (index->rd_rel->relam != BTREE_AM_OID ||
		nkeys < 1 || nkeys > IndexRelationGetNumberOfKeyAttributes(index))
		elog(ERROR, "index %s cannot be looked up by %d key columns",
			 RelationGetRelationName(index), nkeys);
	memset(c, 0, sizeof *c);
	c->index = index;
	/* the comparison functions of the key columns, and the index's version */
	key = _bt_mkscankey(index, NULL);
	_bt_metaversion(index, &key->heapkeyspace, &key->allequalimage);
	key->keysz = nkeys;
	key->scantid = NULL;
	key->nextkey = false;
	key->pivotsearch = false;
	c->key = key;
	/* the order of each key column in the index, as an index build sorts it */
	c->order = palloc0(nkeys * sizeof(SortSupportData));
	for (int i = 0; i < nkeys; i++)
	{
		int16		option = index->rd_indoption[i];

		c->order[i].ssup_cxt = CurrentMemoryContext;
		c->order[i].ssup_collation = index->rd_indcollation[i];
		c->order[i].ssup_nulls_first = (option & INDOPTION_NULLS_FIRST) != 0;
		c->order[i].ssup_attno = i + 1;
		PrepareSortSupportFromIndexRel(index, (option & INDOPTION_DESC) != 0 ?
									   BTGreaterStrategyNumber : BTLessStrategyNumber,
									   &c->order[i]);
	}
	c->leaf = InvalidBuffer;
	c->captids = 16;
	c->tids = palloc(c->captids * sizeof(ItemPointerData));
}

void
btree_cursor_end(BtreeCursor *c)
{
	if (BufferIsValid(c->leaf))
		ReleaseBuffer(c->leaf);
	c->leaf = InvalidBuffer;
	pfree(c->key);
	pfree(c->order);
	pfree(c->tids);
}

/*
 * The entry at off of a leaf against the key: below it (< 0), equal, above it.
 * A leaf's entries have all their key columns (only its high key may be cut
 * short), so each is compared with the column's sort support, as tuplesort
 * compares: for text in the C collation, a memcmp, where _bt_compare calls the
 * comparison function through fmgr.
 */
static int
entry_cmp(BtreeCursor *c, Page page, OffsetNumber off)
{
	IndexTuple	itup = (IndexTuple) PageGetItem(page, PageGetItemId(page, off));
	TupleDesc	desc = RelationGetDescr(c->index);

	for (int i = 0; i < c->key->keysz; i++)
	{
		bool		isnull;
		Datum		value = index_getattr(itup, i + 1, desc, &isnull);
		int			cmp = ApplySortComparator(value, isnull, c->key->scankeys[i].sk_argument,
											  false, &c->order[i]);

		if (cmp != 0)
			return cmp;
	}
	return 0;
}

/* The first entry of the locked leaf not less than the key (past the last: none is). */
static OffsetNumber
leaf_search(BtreeCursor *c, Page page)
{
	BTPageOpaque opaque = BTPageGetOpaque(page);
	OffsetNumber low = P_FIRSTDATAKEY(opaque);
	OffsetNumber high = PageGetMaxOffsetNumber(page) + 1;

	while (low < high)
	{
		OffsetNumber mid = low + (high - low) / 2;

		if (entry_cmp(c, page, mid) < 0)
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

/* Whether the key can be past the locked page: it is not its rightmost, and not below its high key. */
static bool
past_page(BtreeCursor *c, Page page, int32 beyond)
{
	BTPageOpaque opaque = BTPageGetOpaque(page);

	return !P_RIGHTMOST(opaque) && _bt_compare(c->index, c->key, page, P_HIKEY) >= beyond;
}

/*
 * The pinned leaf, locked, when the key lies on it or on its right sibling (then
 * that one, pinned and locked, is c->leaf); else InvalidBuffer, nothing held.
 * *start: the first entry not less than the key.
 */
static Buffer
cached_leaf(BtreeCursor *c, Snapshot snapshot, OffsetNumber *start)
{
	Buffer		buf = c->leaf;

	c->leaf = InvalidBuffer;
	if (!BufferIsValid(buf))
		return InvalidBuffer;
	_bt_lockbuf(c->index, buf, BT_READ);
	for (int moved = 0;; moved++)
	{
		Page		page = BufferGetPage(buf);
		BTPageOpaque opaque;

		_bt_checkpage(c->index, buf);
		TestForOldSnapshot(snapshot, c->index, page);
		opaque = BTPageGetOpaque(page);
		if (!P_ISLEAF(opaque) || P_IGNORE(opaque))
			break;
		if (past_page(c, page, 1))
		{
			/* beyond its high key: on to the right sibling, once */
			if (moved > 0)
				break;
			buf = _bt_relandgetbuf(c->index, buf, opaque->btpo_next, BT_READ);
			continue;
		}
		*start = leaf_search(c, page);
		/*
		 * The leaf's range begins below the key: it was moved to from a left
		 * sibling whose high key is below the key, or it holds an entry below
		 * the key, or there is nothing to its left.
		 */
		if (moved > 0 || *start > P_FIRSTDATAKEY(opaque) || P_LEFTMOST(opaque))
			return buf;
		break;
	}
	_bt_relbuf(c->index, buf);
	return InvalidBuffer;
}

static void
add_tid(BtreeCursor *c, ItemPointer tid)
{
	if (c->ntids == c->captids)
	{
		c->captids *= 2;
		c->tids = repalloc(c->tids, c->captids * sizeof(ItemPointerData));
	}
	c->tids[c->ntids++] = *tid;
}

/*
 * The heap TIDs of the index entries equal to key (a value per key column) into
 * c->tids; returns how many. Entries marked dead are left out, as a scan leaves
 * them. The leaf where the entries end stays pinned for the next lookup.
 */
int
btree_cursor_find(BtreeCursor *c, const Datum *key, Snapshot snapshot)
{
	Relation	index = c->index;
	Buffer		buf;
	OffsetNumber off = InvalidOffsetNumber;

	for (int i = 0; i < c->key->keysz; i++)
	{
		c->key->scankeys[i].sk_argument = key[i];
		c->key->scankeys[i].sk_flags &= ~SK_ISNULL;
	}
	c->ntids = 0;
	buf = cached_leaf(c, snapshot, &off);
	if (!BufferIsValid(buf))
	{
		BTStack		stack = _bt_search(index, c->key, &buf, BT_READ, snapshot);

		_bt_freestack(stack);
		if (!BufferIsValid(buf))
			return 0;			/* an empty index */
		off = leaf_search(c, BufferGetPage(buf));
		pgstat_count_index_scan(index);
	}
	for (;;)
	{
		Page		page = BufferGetPage(buf);
		BTPageOpaque opaque = BTPageGetOpaque(page);
		OffsetNumber last = PageGetMaxOffsetNumber(page);

		PredicateLockPage(index, BufferGetBlockNumber(buf), snapshot);
		for (; off <= last; off++)
		{
			ItemId		iid = PageGetItemId(page, off);
			IndexTuple	itup;

			if (entry_cmp(c, page, off) != 0)
				break;
			if (ItemIdIsDead(iid))
				continue;
			itup = (IndexTuple) PageGetItem(page, iid);
			if (BTreeTupleIsPosting(itup))
				for (int p = 0; p < BTreeTupleGetNPosting(itup); p++)
					add_tid(c, BTreeTupleGetPostingN(itup, p));
			else
				add_tid(c, &itup->t_tid);
		}
		/* entries equal to the key may go on where the leaf's high key equals it */
		if (off <= last || !past_page(c, page, 0))
			break;
		do
		{
			buf = _bt_relandgetbuf(index, buf, opaque->btpo_next, BT_READ);
			page = BufferGetPage(buf);
			TestForOldSnapshot(snapshot, index, page);
			opaque = BTPageGetOpaque(page);
		} while (P_IGNORE(opaque) && !P_RIGHTMOST(opaque));
		if (P_IGNORE(opaque))
			break;
		off = P_FIRSTDATAKEY(opaque);
	}
	pgstat_count_index_tuples(index, c->ntids);
	/* the pin kept, the lock let go */
	_bt_unlockbuf(index, buf);
	c->leaf = buf;
	return c->ntids;
}

/*
 * The next row the snapshot sees of the entries the last btree_cursor_find
 * found, from *next on (0 at first): fetched through fetch into slot. False
 * when none is left. An entry is one version of the key's row (each version
 * moved off its page has its own); its row as the snapshot sees it, if any.
 */
bool
btree_cursor_next_row(BtreeCursor *c, int *next, Snapshot snapshot,
					  struct IndexFetchTableData *fetch, TupleTableSlot *slot)
{
	while (*next < c->ntids)
	{
		bool		call_again = false;
		bool		all_dead = false;

		if (table_index_fetch_tuple(fetch, &c->tids[(*next)++], snapshot, slot,
									&call_again, &all_dead))
			return true;
	}
	return false;
}
