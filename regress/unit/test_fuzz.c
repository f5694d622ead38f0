/*
 * test_fuzz.c: the parsers of untrusted bytes on random and mutated input, a few
 * thousand cases each, the same every run (a fixed seed): they must neither crash nor
 * break their promises (what they return parses again, lengths stay in bounds). The
 * same entry points take a fuzzer's input (regress/fuzz/).
 */
#include <stdint.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>

#include "unit.h"
#include "csvread.h"
#include "field.h"
#include "probe.h"
#include "rules.h"
#include "textenc.h"
#include "xmlread.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint32_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t) rng;
}

/* A string of the pieces values are made of, or of any bytes. */
static size_t
random_value(char *out, size_t max)
{
	static const char *pieces[] = {
		"0", "1", "9", "12", "2567", "00", "/", "-", ",", ".", " ", "T", ":", "๑", "๒", "๙",
		"\xe0\xb9", "\xc2\xa0", "ไทย", "th", "\t", "\"", "1,234", "31/02/", "+07:00", "Z",
		"เจ้าบ้าน", "\xff", "\x80", "e5", "99999999999999999999",
	};
	size_t		n = 0,
				k = next() % 12;

	if (next() % 4 == 0)
	{
		/* Any bytes but NUL. */
		k = next() % (max - 1);
		for (size_t i = 0; i < k; i++)
			out[i] = (char) (1 + next() % 255);
		out[k] = '\0';
		return k;
	}
	for (size_t i = 0; i < k; i++)
	{
		const char *p = pieces[next() % (sizeof pieces / sizeof pieces[0])];
		size_t		len = strlen(p);

		if (n + len + 1 > max)
			break;
		memcpy(out + n, p, len);
		n += len;
	}
	out[n] = '\0';
	return n;
}

UNIT_TEST(fuzz_field_parsers)
{
	char		s[200],
				out[FIELD_SHORT_MAX + 8],
				id[16],
				msg[64];

	for (int i = 0; i < 30000; i++)
	{
		long		l;
		long long	ll;
		bool		b;
		int			n;
		double		d;
		fdate		dt;
		fbirth		bd;
		fdatetime	t;

		random_value(s, sizeof s);
		(void) field_normalize(s, out, sizeof out);
		if (field_int(s, 0, 100, &l) == FIELD_OK)
			EXPECT(l >= 0 && l <= 100);
		(void) field_flag(s, &b);
		if (field_answer(s, &n) == FIELD_OK)
			EXPECT(n >= -1 && n <= 1);
		if (field_money(s, &ll) == FIELD_OK)
			EXPECT(ll >= 0 && ll < 100000000000000LL);
		{
			int64_t		satang;

			if (bmn_setting_satang(s, &satang))
				EXPECT(satang >= 0 && satang <= 100000000000000LL);
		}
		(void) field_decimal(s, out, sizeof out, &d);
		if (field_date(s, &dt) == FIELD_OK)
			EXPECT(dt.month >= 1 && dt.month <= 12 && dt.day >= 1 && dt.day <= 31 &&
				   dt.year >= 1800 && dt.year <= 2299);
		if (field_birth_date(s, &bd) == FIELD_OK)
			EXPECT(bd.date.month >= 1 && bd.date.day >= 1);
		if (field_datetime(s, &t) == FIELD_OK)
			EXPECT(t.hour < 24 && t.minute < 60 && t.second < 60);
		if (field_year(s, &n) == FIELD_OK)
			EXPECT(n >= 2400 && n <= 2800);
		if (field_national_id(s, id) == FIELD_OK)
			EXPECT(strlen(id) == 13 && strspn(id, "0123456789") == 13);
		if (field_house_code(s, id) == FIELD_OK)
			EXPECT(strlen(id) == 11);
		if (field_village_code(s, id) == FIELD_OK)
			EXPECT(strlen(id) == 8);
		if (field_area_code(s, id) == FIELD_OK)
			EXPECT(strlen(id) % 2 == 0);
		(void) field_nationality(s, id);
		if (field_registry_status(s, &n) == FIELD_OK)
			EXPECT(n == 1 || n == 2);
		if (field_key(s, 64, out, sizeof out) == FIELD_OK)
			EXPECT(field_utf8_chars(out) <= 64);
		field_for_message(s, msg, sizeof msg);
		EXPECT(strlen(msg) < sizeof msg);
	}
}

UNIT_TEST(fuzz_decoding)
{
	unsigned char in[256],
				out[3 * 256];
	const textenc_table *t = textenc_table_get(TEXTENC_CP874);

	for (int i = 0; i < 20000 && t; i++)
	{
		size_t		n = next() % sizeof in,
					bad,
					m;
		unsigned long long seqs = 0,
					nbad = 0;

		for (size_t k = 0; k < n; k++)
			in[k] = (unsigned char) next();
		m = textenc_decode(t, in, n, out, &bad);
		EXPECT(m <= 3 * n);
		EXPECT_INT(textenc_source_len(out, m), n);
		textenc_utf8_count(in, n, &seqs, &nbad, NULL);
		memcpy(out, in, n);
		EXPECT_INT(textenc_utf8_scrub(out, n), nbad);
		EXPECT(textenc_utf8_valid(out, n) == (memchr(out, TEXTENC_BAD, n) == NULL));
		EXPECT(textenc_utf8_cut(in, n) <= n && textenc_utf8_cut(in, n) + 3 >= n);
		{
			probe_result p;

			probe_head(in, n, &p);
		}
	}
}

/* A small CSV export with random bytes changed, cut, or doubled. */
UNIT_TEST(fuzz_csv_reader)
{
	static const char seed[] =
		"household_id,member_no,first_name,income\r\n"
		"55010101-0001,1,\"Nick \"\"Noi\"\", Jr\",\"1,200\"\r\n"
		"55010101-0001,๒,\"two\nlines\",0\r\n"
		",,,\n"
		"55010201-0001,1,มาลี,\n";
	char		buf[sizeof seed * 2];

	for (int i = 0; i < 3000; i++)
	{
		size_t		n = sizeof seed - 1;
		FILE	   *f;
		csvr	   *r;
		csvr_row	row;
		int			rows = 0;
		csvr_result res;

		memcpy(buf, seed, n);
		for (int k = next() % 6; k > 0; k--)
			buf[next() % n] = (char) next();
		if (next() % 3 == 0)
			n = next() % n + 1;
		f = fmemopen(buf, n, "rb");
		r = csvr_open_stream(f, next() % 2 ? TEXTENC_UTF8 : TEXTENC_CP874);
		if (next() % 4 == 0)
			csvr_set_delimiter(r, '|');
		while ((res = csvr_next(r, &row)) != CSVR_EOF && res != CSVR_FATAL && rows < 100)
		{
			size_t		total = 0;

			for (size_t k = 0; k < row.nfields; k++)
				total += row.lens[k];
			EXPECT(row.raw_len <= n && total <= 3 * n);
			rows++;
		}
		EXPECT(rows < 100);
		csvr_close(r);
		fclose(f);
	}
}

/* The XML reader on a household with random bytes changed or cut. */
UNIT_TEST(fuzz_xml_reader)
{
	static const char seed[] =
		"<?xml version=\"1.0\"?>\n<bmn_households xmlns:o=\"urn:o\"><bmn_household>"
		"<household_id>H&amp;1</household_id><survey_year>๒๕๖๗</survey_year>"
		"<member><member_no>1</member_no><sex><![CDATA[1]]></sex></member>"
		"<meta><o:instanceID>uuid:1</o:instanceID></meta></bmn_household>"
		"<x/><bmn_household/></bmn_households>\n";
	char		buf[sizeof seed],
				path[] = "/tmp/bmn-unit-fuzz-XXXXXX",
				err[256];
	int			fd = mkstemp(path);
	int			saved = dup(2);

	EXPECT(fd >= 0);
	/* The reader reports the problems it finds: not here. */
	fflush(stderr);
	dup2(open("/dev/null", O_WRONLY), 2);
	for (int i = 0; i < 400 && fd >= 0; i++)
	{
		size_t		n = sizeof seed - 1;
		xmlr	   *r;
		xmlr_household h;
		int			households = 0;

		memcpy(buf, seed, n);
		for (int k = next() % 4; k > 0; k--)
			buf[next() % n] = (char) next();
		if (next() % 3 == 0)
			n = next() % n + 1;
		if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, n, 0) != (ssize_t) n)
			break;
		r = xmlr_open(path, next() % 4 ? NULL : "CP874", err, sizeof err);
		if (r && xmlr_root(r))
			while (xmlr_next(r, &h) == XMLR_HOUSEHOLD && households < 10)
			{
				EXPECT(h.household.n <= 10 && h.nmembers <= 10);
				households++;
			}
		xmlr_close(r);
	}
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (fd >= 0)
		close(fd);
	unlink(path);
}
