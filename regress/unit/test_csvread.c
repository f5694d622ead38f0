/*
 * test_csvread.c: the streaming CSV reader (etl/csvread.c) on in-memory files.
 */
#include <stdlib.h>

#include "unit.h"
#include "csvread.h"

static FILE *
mem(const char *s, size_t n)
{
	return fmemopen((void *) s, n, "rb");
}

#define MEM(s) mem((s), sizeof(s) - 1)

UNIT_TEST(csvread_header_rows_and_lines)
{
	FILE	   *f = MEM("a,b,c\n1,2,3\n\n4,\"x,y\",6\n");
	csvr	   *r = csvr_open_stream(f, TEXTENC_UTF8);
	csvr_row	row;

	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(row.nfields, 3);
	EXPECT_STR(row.fields[0], "a");
	EXPECT_INT(row.line, 1);
	EXPECT_INT(row.ordinal, 0);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_STR(row.fields[2], "3");
	EXPECT_INT(row.line, 2);
	EXPECT_INT(row.ordinal, 1);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(row.line, 4);	/* the blank line 3 is skipped but counted */
	EXPECT_INT(row.ordinal, 2);
	EXPECT_STR(row.fields[1], "x,y");
	EXPECT_INT(row.raw_len, strlen("4,\"x,y\",6"));
	EXPECT(memcmp(row.raw, "4,\"x,y\",6", row.raw_len) == 0);
	EXPECT_INT(csvr_next(r, &row), CSVR_EOF);
	EXPECT_INT(csvr_next(r, &row), CSVR_EOF);
	EXPECT_STR(csvr_line_end(r), "\n");
	csvr_close(r);
	fclose(f);
}

UNIT_TEST(csvread_bom_crlf_and_quoted_line_breaks)
{
	FILE	   *f = MEM("\xEF\xBB\xBF" "id,note\r\n1,\"two\r\nlines\"\r\n2,\"say \"\"hi\"\"\"\r\n3,last");
	csvr	   *r = csvr_open_stream(f, TEXTENC_UTF8);
	csvr_row	row;

	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_STR(row.fields[0], "id");	/* BOM gone */
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(row.line, 2);
	EXPECT_STR(row.fields[1], "two\r\nlines");
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(row.line, 4);	/* the quoted line break counts */
	EXPECT_STR(row.fields[1], "say \"hi\"");
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);	/* no line end at the end */
	EXPECT_INT(row.line, 5);
	EXPECT_STR(row.fields[1], "last");
	EXPECT_INT(csvr_next(r, &row), CSVR_EOF);
	EXPECT_STR(csvr_line_end(r), "\r\n");
	csvr_close(r);
	fclose(f);
}

UNIT_TEST(csvread_empty_fields_and_empty_rows)
{
	FILE	   *f = MEM("a,b\n,x\n,,\n , \ny,\n");
	csvr	   *r = csvr_open_stream(f, TEXTENC_UTF8);
	csvr_row	row;

	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(row.nfields, 2);
	EXPECT_STR(row.fields[0], "");
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);	/* ",," and " , " are skipped */
	EXPECT_INT(row.line, 5);
	EXPECT_INT(row.ordinal, 2);
	EXPECT_STR(row.fields[0], "y");
	EXPECT_STR(row.fields[1], "");
	EXPECT_INT(csvr_next(r, &row), CSVR_EOF);
	csvr_close(r);
	fclose(f);
}

UNIT_TEST(csvread_malformed_row_is_skipped)
{
	FILE	   *f = MEM("a,b\n1,x\"y\n2,\"ok\"\n3,\"bad\"x\n4,z\n");
	csvr	   *r = csvr_open_stream(f, TEXTENC_UTF8);
	csvr_row	row;

	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(csvr_next(r, &row), CSVR_BADROW);
	EXPECT_INT(row.line, 2);
	EXPECT_INT(row.ordinal, 1);
	EXPECT_INT(csvr_error_line(r), 2);
	EXPECT_INT(csvr_error_column(r), 2);
	EXPECT(strstr(csvr_error_message(r), "double quote") != NULL);
	EXPECT_INT(row.raw_len, 5);
	EXPECT(memcmp(row.raw, "1,x\"y", 5) == 0);
	EXPECT_INT(row.nfields, 1);	/* the fields before the error */
	EXPECT_STR(row.fields[0], "1");
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_STR(row.fields[1], "ok");
	EXPECT_INT(row.line, 3);
	EXPECT_INT(csvr_next(r, &row), CSVR_BADROW);
	EXPECT_INT(row.line, 4);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_STR(row.fields[1], "z");
	EXPECT_INT(row.line, 5);
	EXPECT_INT(row.ordinal, 4);
	EXPECT_INT(csvr_next(r, &row), CSVR_EOF);
	csvr_close(r);
	fclose(f);
}

UNIT_TEST(csvread_unclosed_quote_at_end)
{
	FILE	   *f = MEM("a,b\n1,\"open\nmore\n");
	csvr	   *r = csvr_open_stream(f, TEXTENC_UTF8);
	csvr_row	row;

	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(csvr_next(r, &row), CSVR_BADROW);
	EXPECT_INT(row.line, 2);
	EXPECT(strstr(csvr_error_message(r), "not closed") != NULL);
	EXPECT_INT(csvr_next(r, &row), CSVR_EOF);
	csvr_close(r);
	fclose(f);
}

/* A field just under the limit is read; one byte more stops the reading. */
UNIT_TEST(csvread_field_limit)
{
	size_t		n = CSVR_FIELD_MAX;
	char	   *s = malloc(n + 16);
	FILE	   *f;
	csvr	   *r;
	csvr_row	row;

	memcpy(s, "a\n", 2);
	memset(s + 2, 'x', n);
	memcpy(s + 2 + n, "\n", 1);
	f = mem(s, n + 3);
	r = csvr_open_stream(f, TEXTENC_UTF8);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(row.lens[0], n);
	csvr_close(r);
	fclose(f);

	memset(s + 2, 'x', n + 1);
	memcpy(s + 3 + n, "\n", 1);
	f = mem(s, n + 4);
	r = csvr_open_stream(f, TEXTENC_UTF8);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(csvr_next(r, &row), CSVR_FATAL);
	EXPECT(strstr(csvr_error_message(r), "longer than 1 MB") != NULL);
	EXPECT_INT(csvr_next(r, &row), CSVR_EOF);
	csvr_close(r);
	fclose(f);
	free(s);
}

/* Many fields of up to 1 MB each still make a row over 16 MB: stopped. */
UNIT_TEST(csvread_row_limit)
{
	size_t		fld = 512 * 1024,
				nf = 40,
				n = 2 + nf * (fld + 1);
	char	   *s = malloc(n);
	FILE	   *f;
	csvr	   *r;
	csvr_row	row;

	memcpy(s, "a\n", 2);
	for (size_t i = 0; i < nf; i++)
	{
		memset(s + 2 + i * (fld + 1), 'y', fld);
		s[2 + i * (fld + 1) + fld] = (i + 1 == nf) ? '\n' : ',';
	}
	f = mem(s, n);
	r = csvr_open_stream(f, TEXTENC_UTF8);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(csvr_next(r, &row), CSVR_FATAL);
	EXPECT(strstr(csvr_error_message(r), "longer than 16 MB") != NULL);
	csvr_close(r);
	fclose(f);
	free(s);
}

UNIT_TEST(csvread_match_header)
{
	FILE	   *f = MEM("Household_ID, MEMBER_NO ,foo,sex,Bar\n");
	csvr	   *r = csvr_open_stream(f, TEXTENC_UTF8);
	csvr_row	row;
	const char *names[] = {"household_id", "member_no", "sex", "birth_date"};
	int			pos[4];
	char		unknown[64],
				dup[64];

	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(csvr_match_header(&row, names, 4, pos, unknown, sizeof unknown,
								 dup, sizeof dup), 2);
	EXPECT_INT(pos[0], 0);
	EXPECT_INT(pos[1], 1);
	EXPECT_INT(pos[2], 3);
	EXPECT_INT(pos[3], -1);
	EXPECT_STR(unknown, "foo, Bar");
	csvr_close(r);
	fclose(f);

	f = MEM("sex,member_no,SEX\n");
	r = csvr_open_stream(f, TEXTENC_UTF8);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(csvr_match_header(&row, names, 4, pos, unknown, sizeof unknown,
								 dup, sizeof dup), -1);
	EXPECT_STR(dup, "sex");
	csvr_close(r);
	fclose(f);

	/* A long list of unknown names is shortened. */
	f = MEM("aaaaaaaaaa,bbbbbbbbbb,cccccccccc,dddddddddd\n");
	r = csvr_open_stream(f, TEXTENC_UTF8);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(csvr_match_header(&row, names, 4, pos, unknown, 30, dup, sizeof dup), 4);
	EXPECT_STR(unknown, "aaaaaaaaaa, bbbbbbbbbb...");
	csvr_close(r);
	fclose(f);
}

UNIT_TEST(csvread_open_missing_file)
{
	char		err[128];

	EXPECT(csvr_open("/nonexistent/x.csv", TEXTENC_UTF8, err, sizeof err) == NULL);
	EXPECT(strstr(err, "cannot open") != NULL);
}

/* CP874 is decoded for the fields; raw keeps the file's bytes for reject files. */
UNIT_TEST(csvread_cp874_decoded_raw_kept)
{
	static const char data[] = "name,n\n\xba\xe9\xd2\xb9,\xf1\xf2\n\xa1\xfc,3\n";
	FILE	   *f = MEM(data);
	csvr	   *r = csvr_open_stream(f, TEXTENC_CP874);
	csvr_row	row;

	EXPECT(r != NULL);
	if (r == NULL)
		return;
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_STR(row.fields[0], "บ้าน");
	EXPECT_STR(row.fields[1], "๑๒");
	EXPECT_INT(row.raw_len, 7);
	EXPECT(memcmp(row.raw, "\xba\xe9\xd2\xb9,\xf1\xf2", 7) == 0);
	EXPECT(!row.bad_bytes);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT(row.bad_bytes);		/* 0xFC is no CP874 character */
	EXPECT_INT(row.lens[0], 4);
	EXPECT_INT((unsigned char) row.fields[0][3], TEXTENC_BAD);
	EXPECT_INT(row.line, 3);
	EXPECT(memcmp(row.raw, "\xa1\xfc,3", 4) == 0);
	EXPECT_INT(csvr_next(r, &row), CSVR_EOF);
	EXPECT_INT(csvr_bytes_read(r), sizeof data - 1);
	csvr_close(r);
	fclose(f);
}

/* Bad UTF-8 and NUL bytes mark their row only; a sequence cut between reads is whole. */
UNIT_TEST(csvread_utf8_bad_bytes_and_nul)
{
	size_t		n = 70000;
	char	   *s = malloc(n + 64);
	size_t		o = 0;
	FILE	   *f;
	csvr	   *r;
	csvr_row	row;

	o += (size_t) sprintf(s, "a,b\n");
	/* A long first row so that a Thai character straddles the 64 KB read boundary. */
	while (o < 65534)
		s[o++] = 'x';
	memcpy(s + o, ",\xe0\xb8\x81\n", 5);
	o += 5;
	memcpy(s + o, "ok,b\xff" "d\n", 7);
	o += 7;
	memcpy(s + o, "n\0l,x\n", 6);
	o += 6;
	f = mem(s, o);
	r = csvr_open_stream(f, TEXTENC_UTF8);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_STR(row.fields[1], "ก");
	EXPECT(!row.bad_bytes);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT(row.bad_bytes);
	EXPECT_INT((unsigned char) row.fields[1][1], TEXTENC_BAD);
	EXPECT(memchr(row.raw, 0xff, row.raw_len) != NULL);	/* raw keeps the byte */
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT(row.bad_bytes);
	EXPECT_INT(row.lens[0], 3);
	EXPECT_INT(strlen(row.fields[0]), 1);
	csvr_close(r);
	fclose(f);
	free(s);
	(void) n;
}

UNIT_TEST(csvread_pipe_delimiter_and_sniffing)
{
	FILE	   *f = MEM("house_code|village_code|note\n5501-000001-6|55010101|\"a|b\"\n");
	csvr	   *r = csvr_open_stream(f, TEXTENC_UTF8);
	csvr_row	row;

	EXPECT_INT(csvr_sniff_delimiter("house_code|village_code|note\n", 28), '|');
	EXPECT_INT(csvr_sniff_delimiter("a;b;c\n1,2", 9), ';');
	EXPECT_INT(csvr_sniff_delimiter("a\tb\n", 4), '\t');
	EXPECT_INT(csvr_sniff_delimiter("single\n", 7), ',');
	csvr_set_delimiter(r, '|');
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(row.nfields, 3);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_STR(row.fields[0], "5501-000001-6");
	EXPECT_STR(row.fields[2], "a|b");
	csvr_close(r);
	fclose(f);
}

/* A 30 MB field stops the reading at once: memory stays bounded. */
UNIT_TEST(csvread_30mb_field)
{
	size_t		n = 30 * 1024 * 1024;
	char	   *s = malloc(n + 16);
	FILE	   *f;
	csvr	   *r;
	csvr_row	row;

	memcpy(s, "a\n\"", 3);
	memset(s + 3, 'z', n);
	memcpy(s + 3 + n, "\"\n", 2);
	f = mem(s, n + 5);
	r = csvr_open_stream(f, TEXTENC_UTF8);
	EXPECT_INT(csvr_next(r, &row), CSVR_ROW);
	EXPECT_INT(csvr_next(r, &row), CSVR_FATAL);
	EXPECT(strstr(csvr_error_message(r), "longer than 1 MB") != NULL);
	EXPECT_INT(csvr_error_line(r), 2);
	EXPECT(csvr_bytes_read(r) < 2 * 1024 * 1024);	/* it stopped early */
	csvr_close(r);
	fclose(f);
	free(s);
}
