/*
 * load_input.c: the input files of `bmn load`: what kind each is (from its header),
 * opening one at its header, and what a batch of them is called (its content hash,
 * its file list).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load.h"
#include "load_util.h"
#include "report.h"

csvr *
load_open(const load_options *o, const load_input *in, csvr_row *header)
{
	char		err[256];
	csvr	   *r = csvr_open(in->path, o->encoding, err, sizeof err);
	csvr_result res;

	if (r == NULL)
	{
		report_error(in->path, 0, 0, "%s", err);
		return NULL;
	}
	res = csvr_next(r, header);
	if (res == CSVR_ROW)
		return r;
	if (res == CSVR_EOF)
		report_error(in->path, 0, 0, "the file is empty; it needs at least a header line");
	else
		load_report_csv(in, r);
	csvr_close(r);
	return NULL;
}

void
load_report_csv(const load_input *in, csvr *r)
{
	report_error(in->path, csvr_error_line(r), csvr_error_column(r), "%s",
				 csvr_error_message(r));
}

void
load_batch_sha256(const load_input *const *in, int n, char out[65])
{
	copybuf		b = {0};

	if (n == 1)
	{
		memcpy(out, in[0]->probe.sha256, 65);
		return;
	}
	for (int i = 0; i < n; i++)
		copybuf_printf(&b, "%s\n", in[i]->probe.sha256);
	probe_sha256_text(b.data, out);
	copybuf_free(&b);
}

char *
load_files_array(const load_input *const *in, int n)
{
	copybuf		b = {0};

	copybuf_putc(&b, '{');
	for (int i = 0; i < n; i++)
	{
		copybuf_puts(&b, i ? ",\"" : "\"");
		for (const char *p = in[i]->path; *p; p++)
		{
			if (*p == '"' || *p == '\\')
				copybuf_putc(&b, '\\');
			copybuf_putc(&b, *p);
		}
		copybuf_putc(&b, '"');
	}
	copybuf_putc(&b, '}');
	return b.data;
}

const char *
load_kind_name(load_kind k)
{
	switch (k)
	{
		case LOAD_KIND_AREAS:
			return "areas";
		case LOAD_KIND_HOUSEHOLDS:
			return "households";
		case LOAD_KIND_MEMBERS:
			return "members";
		default:
			return "unknown";
	}
}

load_kind
load_kind_from_name(const char *s)
{
	for (int k = LOAD_KIND_AREAS; k <= LOAD_KIND_MEMBERS; k++)
		if (strcasecmp(s, load_kind_name((load_kind) k)) == 0)
			return (load_kind) k;
	return LOAD_KIND_UNKNOWN;
}

/* Has the header all of these columns? */
static bool
has_columns(const csvr_row *header, const char *const *names, size_t n)
{
	int			pos[8];
	char		unknown[8],
				dup[8];

	if (csvr_match_header(header, names, n, pos, unknown, sizeof unknown, dup, sizeof dup) < 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (pos[i] < 0)
			return false;
	return true;
}

bool
load_recognise(const load_options *o, load_input *in)
{
	static const char *const areas[] = {"code", "name_th"};
	static const char *const households[] = {"household_id", "village_code", "collector_id"};
	static const char *const members[] = {"household_id", "member_no"};
	static const char *const registry[] = {"house_code", "village_code"};
	char		err[256];
	csvr	   *r;
	csvr_row	header;
	int			matches = 0;
	load_kind	k = LOAD_KIND_UNKNOWN;

	if (!probe_file(in->path, &in->probe, err, sizeof err))
	{
		report_error(in->path, 0, 0, "%s", err);
		return false;
	}
	if (in->probe.empty)
	{
		report_error(in->path, 0, 0, "the file is empty");
		return false;
	}
	if (in->probe.xml)
	{
		report_error(in->path, 0, 0, "XML survey exports cannot be loaded yet; "
					 "load the CSV export (households.csv and members.csv)");
		return false;
	}
	if (!in->probe.utf8)
	{
		report_error(in->path, in->probe.bad_line, 0,
					 "the file is not UTF-8 text; Thai files in CP874 (TIS-620) cannot be "
					 "loaded yet: convert it first with  iconv -f CP874 -t UTF-8");
		return false;
	}
	if (in->kind != LOAD_KIND_UNKNOWN)
		return true;

	r = load_open(o, in, &header);
	if (r == NULL)
		return false;
	if (has_columns(&header, households, 3))
		k = LOAD_KIND_HOUSEHOLDS, matches++;
	if (has_columns(&header, members, 2))
		k = LOAD_KIND_MEMBERS, matches++;
	if (has_columns(&header, areas, 2))
		k = LOAD_KIND_AREAS, matches++;
	if (matches == 0 && has_columns(&header, registry, 2))
		report_error(in->path, 1, 0, "house registry extracts cannot be loaded yet");
	else if (matches == 0)
		report_error(in->path, 1, 0,
					 "cannot tell what this file is from its header: an area list has code "
					 "and name_th, households.csv household_id, village_code and collector_id, "
					 "members.csv household_id and member_no (or use --kind)");
	else if (matches > 1)
		report_error(in->path, 1, 0, "the header fits more than one kind of file; "
					 "say which with --kind");
	csvr_close(r);
	in->kind = matches == 1 ? k : LOAD_KIND_UNKNOWN;
	return matches == 1;
}
