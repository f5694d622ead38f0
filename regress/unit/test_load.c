/*
 * test_load.c: the pure parts of `bmn load`: COPY text, hash maps, pair and reject
 * file names, and rows turned into COPY text by a column table.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"
#include "csvread.h"
#include "field.h"
#include "keyset.h"
#include "load_pair.h"
#include "load_util.h"
#include "progress.h"
#include "reject.h"
#include "rowconv.h"
#include "spool.h"

UNIT_TEST(load_copy_text_escapes)
{
	copybuf		b = {0};

	copybuf_value(&b, "a\\b\tc\nd\re", 9);
	EXPECT_STR(b.data, "a\\\\b\\tc\\nd\\re");
	copybuf_reset(&b);
	copybuf_value(&b, "'); DROP TABLE x; --", 20);
	EXPECT_STR(b.data, "'); DROP TABLE x; --");
	copybuf_reset(&b);
	copybuf_value(&b, "\\N", 2);	/* the text \N, not NULL */
	EXPECT_STR(b.data, "\\\\N");
	copybuf_reset(&b);
	copybuf_null(&b);
	copybuf_sep(&b);
	copybuf_value(&b, "", 0);
	EXPECT_STR(b.data, "\\N\t");
	copybuf_free(&b);
}

UNIT_TEST(load_copy_numbers)
{
	copybuf		b = {0};

	copybuf_long(&b, 0, 1);
	copybuf_putc(&b, ' ');
	copybuf_long(&b, 5501, 8);
	copybuf_putc(&b, ' ');
	copybuf_long(&b, -42, 1);
	copybuf_putc(&b, ' ');
	copybuf_long(&b, 7, 2);
	copybuf_putc(&b, ' ');
	copybuf_long(&b, 99999999999999LL, 1);
	EXPECT_STR(b.data, "0 00005501 -42 07 99999999999999");
	copybuf_free(&b);
}

UNIT_TEST(load_strmap_grows_and_iterates)
{
	strmap	   *m = strmap_new();
	char		key[32];
	bool		added;
	size_t		iter = 0,
				n = 0;
	const char *k;
	uint32_t	v;

	for (uint32_t i = 0; i < 50000; i++)
	{
		snprintf(key, sizeof key, "hh-%u", i);
		*strmap_put(m, key, &added) = i;
		EXPECT(added);
	}
	EXPECT_INT(strmap_count(m), 50000);
	EXPECT(!(strmap_put(m, "hh-123", &added), added));
	EXPECT_INT(*strmap_get(m, "hh-123"), 123);
	EXPECT_INT(*strmap_get(m, "hh-49999"), 49999);
	EXPECT(strmap_get(m, "hh-50000") == NULL);
	EXPECT(strmap_get(m, "") == NULL);
	while (strmap_next(m, &iter, &k, &v))
		n += (v < 50000 && strncmp(k, "hh-", 3) == 0);
	EXPECT_INT(n, 50000);
	strmap_free(m);
}

UNIT_TEST(load_u64map)
{
	u64map	   *m = u64map_new();
	bool		added;

	for (uint64_t i = 0; i < 20000; i++)
		*u64map_put(m, (i << 16) | 1, &added) = (uint32_t) i;
	EXPECT_INT(*u64map_get(m, (123ULL << 16) | 1), 123);
	EXPECT(u64map_get(m, (123ULL << 16) | 2) == NULL);
	*u64map_put(m, 0, &added) = 9;	/* key 0 is a key like any other */
	EXPECT(added);
	EXPECT_INT(*u64map_get(m, 0), 9);
	u64map_put(m, 0, &added);
	EXPECT(!added);
	u64map_free(m);
}

UNIT_TEST(load_bitset)
{
	bitset		s = {0};

	EXPECT(!bitset_get(&s, 5));
	bitset_set(&s, 5);
	bitset_set(&s, 5);
	bitset_set(&s, 100000);
	EXPECT(bitset_get(&s, 5));
	EXPECT(!bitset_get(&s, 6));
	EXPECT(bitset_get(&s, 100000));
	EXPECT_INT(s.count, 2);
	bitset_free(&s);
}

UNIT_TEST(load_pair_names)
{
	char	   *p;

	p = load_pair_partner("x/households.csv", true);
	EXPECT_STR(p, "x/members.csv");
	free(p);
	p = load_pair_partner("2567_Households.csv", true);
	EXPECT_STR(p, "2567_Members.csv");
	free(p);
	p = load_pair_partner("/data/NAN_HOUSEHOLDS_2567.CSV", true);
	EXPECT_STR(p, "/data/NAN_MEMBERS_2567.CSV");
	free(p);
	p = load_pair_partner("households/members.csv", false);
	EXPECT_STR(p, "households/households.csv");	/* only the file name changes */
	free(p);
	EXPECT(load_pair_partner("households/data.csv", true) == NULL);
	EXPECT(load_pair_match("a/households.csv", "a/members.csv"));
	EXPECT(load_pair_match("households.csv.rejects.csv", "members.csv.rejects.csv"));
	EXPECT(!load_pair_match("a/households.csv", "b/members.csv"));
	EXPECT(!load_pair_match("2567_households.csv", "2566_members.csv"));
}

UNIT_TEST(load_reject_names)
{
	char	   *p;

	p = reject_path("in/households.csv", NULL, ".rejects.csv");
	EXPECT_STR(p, "in/households.csv.rejects.csv");
	free(p);
	p = reject_path("in/households.csv", "out/bad-", ".rejects.csv");
	EXPECT_STR(p, "out/bad-households.csv");
	free(p);
}

UNIT_TEST(load_field_trim)
{
	size_t		n;
	const char *t = field_trim("  ab c\t", &n);

	EXPECT_INT(n, 4);
	EXPECT(strncmp(t, "ab c", 4) == 0);
	t = field_trim("", &n);
	EXPECT_INT(n, 0);
}

/* Runs f with stderr sent to /dev/null: the conversions report their errors there. */
static int
quietly(int (*f) (void *), void *arg)
{
	int			saved,
				null,
				rc;

	fflush(stderr);
	saved = dup(2);
	null = open("/dev/null", O_WRONLY);
	dup2(null, 2);
	close(null);
	rc = f(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	return rc;
}

static const coldef test_cols[] = {
	{"household_id", COL_KEY, true, false, 0, 0, NULL},
	{"member_no", COL_MEMBER_NO, true, true, 0, 0, NULL},
	{"name", COL_TEXT, false, true, 0, 0, NULL},
	{"sex", COL_CODE, true, true, 1, 2, "1 male, 2 female"},
	{"birth_date", COL_BIRTH_DATE, true, true, 0, 0, NULL},
	{"income", COL_MONEY, false, true, 0, 0, NULL},
	{"in_school", COL_FLAG, false, true, 0, 0, NULL},
	{"ind_01", COL_ANSWER, false, true, 0, 0, NULL},
	{"missing", COL_FLAG, false, true, 0, 0, NULL},
};

typedef struct
{
	const char *csv;
	copybuf		out;
	rowvals		v;
	int			errors;
	int			init_ok;
} conv_case;

static int
convert_case(void *arg)
{
	conv_case  *c = arg;
	FILE	   *f = fmemopen((void *) c->csv, strlen(c->csv), "rb");
	csvr	   *r = csvr_open_stream(f, TEXTENC_UTF8);
	csvr_row	row;
	rowconv		rc;

	c->errors = -1;
	csvr_next(r, &row);
	c->init_ok = rowconv_init(&rc, "t.csv", test_cols, sizeof test_cols / sizeof test_cols[0], &row);
	if (c->init_ok && csvr_next(r, &row) == CSVR_ROW)
		c->errors = rowconv_row(&rc, &row, &c->out, &c->v);
	if (c->init_ok)
		rowconv_free(&rc);
	csvr_close(r);
	fclose(f);
	return 0;
}

UNIT_TEST(load_rowconv_copy_text)
{
	conv_case	c = {.csv = "HOUSEHOLD_ID,Sex,member_no,birth_date,name,income,in_school,ind_01,extra\n"
		" ๕๕-1 ,2,๓,00/00/2510,\"a\tb\",\"1,234.5\",,9,x\n"};

	quietly(convert_case, &c);
	EXPECT(c.init_ok);
	EXPECT_INT(c.errors, 0);
	EXPECT_STR(c.v.key, "55-1");
	EXPECT_INT(c.v.member_no, 3);
	/* member_no, name, sex, birth_date (3 columns), income, in_school, ind_01, missing */
	EXPECT_STR(c.out.data, "3\ta\\tb\t2\t1967-07-01\tf\tf\t1234.50\t\\N\t\\N\t\\N");
	copybuf_free(&c.out);
}

UNIT_TEST(load_rowconv_errors_and_missing_columns)
{
	conv_case	c = {.csv = "household_id,member_no,sex,birth_date\n"
		"H1,0,3,31/02/2510\n"};
	conv_case	d = {.csv = "household_id,sex\nH1,1\n"};
	conv_case	e = {.csv = "household_id,member_no,sex,birth_date\nH1,1,1,01/01/2510,extra\n"};
	conv_case	g = {.csv = "household_id,member_no,sex,birth_date,income\n,1,,01/01/2510,-\n"};

	quietly(convert_case, &c);
	EXPECT(c.init_ok);
	EXPECT_INT(c.errors, 3);	/* member_no 0, sex 3, 31 February */
	EXPECT_INT(c.v.member_no, 0);
	copybuf_free(&c.out);

	quietly(convert_case, &d);	/* member_no and birth_date missing from the header */
	EXPECT(!d.init_ok);

	quietly(convert_case, &e);	/* one field more than the header */
	EXPECT_INT(e.errors, 1);
	copybuf_free(&e.out);

	quietly(convert_case, &g);	/* household_id and sex empty; '-' income is none */
	EXPECT_INT(g.errors, 2);
	EXPECT_STR(g.v.key, "");
	copybuf_free(&g.out);
}

UNIT_TEST(load_idxmap_numbers_keys)
{
	idxmap	   *m = idxmap_new(0);
	bool		added;
	char		key[32];

	for (uint32_t i = 0; i < 100000; i++)
	{
		snprintf(key, sizeof key, "55010101-%05u", i);
		EXPECT_INT(idxmap_add(m, keyset_hash(key, strlen(key)), &added), i);
		EXPECT(added);
	}
	EXPECT_INT(idxmap_count(m), 100000);
	EXPECT_INT(idxmap_add(m, keyset_hash("55010101-00042", 14), &added), 42);
	EXPECT(!added);
	EXPECT_INT(idxmap_find(m, keyset_hash("55010101-99999", 14)), 99999);
	EXPECT_INT(idxmap_find(m, keyset_hash("55010101-100000", 15)), IDXMAP_NONE);
	EXPECT(keyset_hash("a", 1) != keyset_hash("b", 1));
	EXPECT(keyset_hash("abcdefgh1", 9) != keyset_hash("abcdefgh2", 9));
	EXPECT_INT(idxmap_key(m, 7), keyset_hash("55010101-00007", 14));
	idxmap_free(m);
}

/* A reader follows the writer on another thread and sees every row, in order. */
typedef struct
{
	spool	   *s;
	unsigned long rows;
	bool		in_order;
} follower;

static void *
follow(void *arg)
{
	follower   *f = arg;
	spool_reader *r = spool_reader_new(f->s);
	uint32_t	tag;
	const char *text;
	size_t		len;

	f->in_order = true;
	while (spool_reader_next(r, &tag, &text, &len))
	{
		char		want[32];

		snprintf(want, sizeof want, "row %u", tag);
		f->in_order = f->in_order && tag == f->rows && len == strlen(want) &&
			memcmp(text, want, len) == 0;
		f->rows++;
	}
	EXPECT(spool_reader_error(r) == NULL);
	spool_reader_free(r);
	return NULL;
}

UNIT_TEST(load_spool_followed_by_a_reader)
{
	spool	   *s = spool_new();
	follower	f = {s, 0, false};
	pthread_t	t;
	char		text[32];

	EXPECT(s != NULL);
	if (s == NULL)
		return;
	pthread_create(&t, NULL, follow, &f);
	for (uint32_t i = 0; i < 300000; i++)
	{
		int			n = snprintf(text, sizeof text, "row %u", i);

		EXPECT(spool_put(s, i, text, (size_t) n));
	}
	EXPECT(spool_close(s));
	pthread_join(t, NULL);
	EXPECT_INT(f.rows, 300000);
	EXPECT(f.in_order);
	EXPECT_INT(spool_rows(s), 300000);
	spool_free(s);
}

UNIT_TEST(load_spool_abort_stops_the_reader)
{
	spool	   *s = spool_new();
	spool_reader *r;
	uint32_t	tag;
	const char *text;
	size_t		len;

	EXPECT(spool_put(s, 1, "a", 1));
	spool_abort(s);
	r = spool_reader_new(s);
	EXPECT(!spool_reader_next(r, &tag, &text, &len));
	EXPECT(spool_reader_error(r) != NULL);
	spool_reader_free(r);
	spool_free(s);
}

UNIT_TEST(load_progress_line)
{
	char		line[160];

	progress_format(line, sizeof line, "members.csv", 50000000, 200000000, false, 1234567, 2.0);
	EXPECT_STR(line, "bmn: members.csv: 1,234,567 rows, 25%, 25.0 MB/s, 6 s left");
	progress_format(line, sizeof line, "sending to the server", 10, 1000, true, 10, 0.2);
	EXPECT_STR(line, "bmn: sending to the server: 10 rows, 1%");
	progress_format(line, sizeof line, "x", 1, 10000, false, 5, 100.0);
	EXPECT_STR(line, "bmn: x: 5 rows, 0%, 0.0 MB/s, 277 h 45 min left");
}
