/*
 * fuzz_load.c: fuzzing entry points for the parsers of untrusted bytes of `bmn load`.
 *
 * With libFuzzer (clang):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DFUZZ_TARGET=FUZZ_FIELD \
 *     -Icommon -Ietl -I$(pg_config --includedir) $(xml2-config --cflags) \
 *     regress/fuzz/fuzz_load.c etl/field.c etl/textenc.c etl/csvread.c etl/probe.c \
 *     etl/xmlread.c etl/report.c -lcsv $(xml2-config --libs) -lcrypto -o fuzz_field
 *   ./fuzz_field regress/fuzz/field/
 * FUZZ_TARGET is FUZZ_FIELD (every value parser on the input as one field), FUZZ_CSV
 * (the CSV reader, UTF-8 and CP874), or FUZZ_XML (the XML reader); the seed corpora are
 * regress/fuzz/field, csv and xml. Without -fsanitize=fuzzer, -DFUZZ_MAIN builds a
 * program that runs the entry point on the files named on its command line (to replay
 * a crash, or to check that this file still compiles).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvread.h"
#include "field.h"
#include "probe.h"
#include "textenc.h"
#include "xmlread.h"

#define FUZZ_FIELD 1
#define FUZZ_CSV 2
#define FUZZ_XML 3
#ifndef FUZZ_TARGET
#define FUZZ_TARGET FUZZ_FIELD
#endif

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#if FUZZ_TARGET == FUZZ_FIELD
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *s = malloc(size + 1),
				out[FIELD_SHORT_MAX + 8],
				id[16],
				msg[64];
	long		l;
	long long	ll;
	bool		b;
	int			n;
	double		d;
	fdate		dt;
	fbirth		bd;
	fdatetime	t;
	probe_result p;

	memcpy(s, data, size);
	s[size] = '\0';
	field_normalize(s, out, sizeof out);
	field_int(s, 0, 32767, &l);
	field_flag(s, &b);
	field_answer(s, &n);
	field_money(s, &ll);
	field_decimal(s, out, sizeof out, &d);
	field_date(s, &dt);
	field_birth_date(s, &bd);
	field_datetime(s, &t);
	field_year(s, &n);
	field_national_id(s, id);
	field_house_code(s, id);
	field_village_code(s, id);
	field_area_code(s, id);
	field_nationality(s, id);
	field_registry_status(s, &n);
	field_key(s, 64, out, sizeof out);
	field_for_message(s, msg, sizeof msg);
	probe_head(data, size, &p);
	free(s);
	return 0;
}
#elif FUZZ_TARGET == FUZZ_CSV
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int enc = 0; enc < 2; enc++)
	{
		FILE	   *f = fmemopen((void *) data, size ? size : 1, "rb");
		csvr	   *r = csvr_open_stream(f, enc ? TEXTENC_CP874 : TEXTENC_UTF8);
		csvr_row	row;
		csvr_result res;

		if (size && data[0] == '|')
			csvr_set_delimiter(r, '|');
		while ((res = csvr_next(r, &row)) == CSVR_ROW || res == CSVR_BADROW)
			;
		csvr_close(r);
		fclose(f);
	}
	return 0;
}
#else
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		path[] = "/tmp/bmn-fuzz-XXXXXX",
				err[256];
	int			fd = mkstemp(path);
	xmlr	   *r;
	xmlr_household h;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t) size)
	{
		r = xmlr_open(path, NULL, err, sizeof err);
		if (r && xmlr_root(r))
			while (xmlr_next(r, &h) == XMLR_HOUSEHOLD)
				;
		xmlr_close(r);
	}
	close(fd);
	unlink(path);
	return 0;
}
#endif

#ifdef FUZZ_MAIN
int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
	{
		FILE	   *f = fopen(argv[i], "rb");
		static uint8_t buf[1 << 20];
		size_t		n;

		if (f == NULL)
			continue;
		n = fread(buf, 1, sizeof buf, f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	return 0;
}
#endif
