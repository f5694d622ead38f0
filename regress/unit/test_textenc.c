/*
 * test_textenc.c: decoding CP874 and TIS-620, checking UTF-8 (etl/textenc.c), and the
 * first look at a file (etl/probe.c).
 */
#include <stdlib.h>

#include "unit.h"
#include "probe.h"
#include "textenc.h"

static size_t
decode(textenc e, const char *in, char *out, size_t *nbad)
{
	const textenc_table *t = textenc_table_get(e);

	if (t == NULL)
		return (size_t) -1;
	return textenc_decode(t, (const unsigned char *) in, strlen(in), (unsigned char *) out, nbad);
}

UNIT_TEST(textenc_names)
{
	textenc		e;

	EXPECT(textenc_from_name("UTF-8", &e) && e == TEXTENC_UTF8);
	EXPECT(textenc_from_name("cp874", &e) && e == TEXTENC_CP874);
	EXPECT(textenc_from_name("Windows-874", &e) && e == TEXTENC_CP874);
	EXPECT(textenc_from_name("TIS-620", &e) && e == TEXTENC_TIS620);
	EXPECT(!textenc_from_name("latin1", &e));
	EXPECT_STR(textenc_name(TEXTENC_CP874), "CP874 (windows-874)");
}

UNIT_TEST(textenc_cp874_thai_text_and_digits)
{
	char		out[64];
	size_t		nbad,
				n;

	/* "บ้าน ๒๕๖๗" in CP874: consonants, a tone mark, Thai digits. */
	n = decode(TEXTENC_CP874, "\xba\xe9\xd2\xb9 \xf2\xf5\xf6\xf7", out, &nbad);
	EXPECT_INT(n, 4 * 3 + 1 + 4 * 3);
	out[n] = '\0';
	EXPECT_STR(out, "บ้าน ๒๕๖๗");
	EXPECT_INT(nbad, 0);
	/* The euro sign and the ellipsis are CP874's own, not TIS-620's. */
	n = decode(TEXTENC_CP874, "\x80\x85", out, &nbad);
	out[n] = '\0';
	EXPECT_STR(out, "€…");
	EXPECT_INT(nbad, 0);
	n = decode(TEXTENC_TIS620, "\x80\xa1", out, &nbad);
	EXPECT_INT(nbad, 1);
	EXPECT_INT((unsigned char) out[0], TEXTENC_BAD);
	out[n] = '\0';
	EXPECT_STR(out + 1, "ก");
}

/* Every byte CP874 does not define is a bad byte; every other decodes as iconv says. */
UNIT_TEST(textenc_cp874_undefined_bytes)
{
	static const unsigned char undefined[] = {0x81, 0x8a, 0x90, 0x99, 0x9f, 0xdb, 0xde, 0xfc, 0xff};
	const textenc_table *t = textenc_table_get(TEXTENC_CP874);

	EXPECT(t != NULL);
	if (t == NULL)
		return;
	for (size_t i = 0; i < sizeof undefined; i++)
		EXPECT_INT(t->len[undefined[i]], 0);
	for (int b = 0xa1; b <= 0xda; b++)
		EXPECT_INT(t->len[b], 3);
	for (int b = 0; b < 0x80; b++)
		EXPECT(t->len[b] == 1 && t->utf8[b][0] == b);
}

UNIT_TEST(textenc_source_len_counts_characters)
{
	char		out[64];
	size_t		nbad,
				n = decode(TEXTENC_CP874, "a\xa1\xfc" "b", out, &nbad);

	EXPECT_INT(n, 1 + 3 + 1 + 1);
	EXPECT_INT(textenc_source_len((unsigned char *) out, n), 4);
	EXPECT_INT(textenc_source_len((unsigned char *) out, 4), 2);
}

UNIT_TEST(textenc_utf8_scrub_cut_and_count)
{
	unsigned char s[] = "ok \xe0\xb8\x81 \xff\xc0\xaf x\xe0\xb8";
	size_t		n = sizeof s - 1;
	unsigned long long seqs = 0,
				bad = 0;
	size_t		first = 0;

	/* A sequence cut at the end waits for the rest. */
	EXPECT_INT(textenc_utf8_cut(s, n), n - 2);
	EXPECT_INT(textenc_utf8_cut((const unsigned char *) "abc", 3), 3);
	EXPECT_INT(textenc_utf8_cut((const unsigned char *) "\xe0\xb8\x81", 3), 3);
	textenc_utf8_count(s, n - 2, &seqs, &bad, &first);
	EXPECT_INT(seqs, 1);
	EXPECT_INT(bad, 3);
	EXPECT_INT(first, 7);
	EXPECT_INT(textenc_utf8_scrub(s, n - 2), 3);
	EXPECT(s[7] == TEXTENC_BAD && s[8] == TEXTENC_BAD && s[9] == TEXTENC_BAD);
	EXPECT(s[3] == 0xe0 && s[11] == 'x');
	/* Runs of eight ASCII bytes are skipped at once, and not counted as sequences. */
	seqs = bad = 0;
	textenc_utf8_count((const unsigned char *) "abcdefghijklmnop\xe0\xb8\x81", 19,
					   &seqs, &bad, NULL);
	EXPECT_INT(seqs, 1);
	EXPECT_INT(bad, 0);
	/* Overlong forms and surrogates are not UTF-8; NUL is left alone. */
	EXPECT(!textenc_utf8_valid((const unsigned char *) "\xc0\x80", 2));
	EXPECT(!textenc_utf8_valid((const unsigned char *) "\xed\xa0\x80", 3));
	EXPECT(textenc_utf8_valid((const unsigned char *) "a\0b", 3));
	EXPECT(textenc_is_ascii((const unsigned char *) "plain ascii text!", 17));
	EXPECT(!textenc_is_ascii((const unsigned char *) "plain ascii text\xe0", 17));
}

UNIT_TEST(probe_head_kinds)
{
	probe_result p;

	memset(&p, 0, sizeof p);
	probe_head((const unsigned char *) "\xEF\xBB\xBF  <?xml version=\"1.0\" encoding='TIS-620'?><a/>", 50, &p);
	EXPECT(p.xml && !p.empty && p.binary == NULL);
	EXPECT_STR(p.xml_encoding, "TIS-620");
	probe_head((const unsigned char *) "house_code|village_code|x,y\n1|2|3\n", 34, &p);
	EXPECT(!p.xml);
	EXPECT_INT(p.delim, '|');
	probe_head((const unsigned char *) "a,\"b|c|d\",e\n", 12, &p);
	EXPECT_INT(p.delim, ',');
	probe_head((const unsigned char *) "PK\3\4 rest of a zip", 18, &p);
	EXPECT(p.binary != NULL && strstr(p.binary, "xlsx") != NULL);
	probe_head((const unsigned char *) " \n\t\r\n", 5, &p);
	EXPECT(p.empty);
	{
		unsigned char junk[256];

		for (int i = 0; i < 256; i++)
			junk[i] = (unsigned char) (i * 37 + 11);
		probe_head(junk, sizeof junk, &p);
		EXPECT(p.binary != NULL);
	}
}

UNIT_TEST(probe_damaged_utf8_or_cp874)
{
	probe_result p;

	memset(&p, 0, sizeof p);
	p.utf8 = false;
	p.utf8_seqs = 5000;
	p.utf8_bad = 4;				/* a UTF-8 export with a few damaged bytes */
	EXPECT(probe_damaged_utf8(&p));
	p.utf8_seqs = 14000;
	p.utf8_bad = 30000;			/* CP874 Thai text */
	EXPECT(!probe_damaged_utf8(&p));
	p.utf8 = true;
	EXPECT(!probe_damaged_utf8(&p));
}
