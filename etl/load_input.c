/*
 * load_input.c: the input files of `bmn load`: what kind each is (from its header),
 * opening one at its header, and what a batch of them is called (its content hash,
 * its file list).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "load.h"
#include "load_util.h"
#include "report.h"
#include "xmlread.h"

csvr *
load_csv_open(const load_input *in, char *err, size_t errsz)
{
	csvr	   *r = csvr_open(in->path, in->enc, err, errsz);

	if (r)
	{
		csvr_set_delimiter(r, in->delim);
		csvr_set_clean(r, in->enc == TEXTENC_UTF8 && in->probe.utf8 && !in->probe.nul);
	}
	return r;
}

csvr *
load_open(const load_options *o, const load_input *in, csvr_row *header)
{
	char		err[256];
	csvr	   *r = load_csv_open(in, err, sizeof err);
	csvr_result res;

	(void) o;
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
		case LOAD_KIND_REGISTRY:
			return "registry";
		case LOAD_KIND_XML:
			return "XML survey";
		default:
			return "unknown";
	}
}

load_kind
load_kind_from_name(const char *s)
{
	for (int k = LOAD_KIND_AREAS; k <= LOAD_KIND_REGISTRY; k++)
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

static void *
probe_one(void *arg)
{
	load_input *in = arg;

	in->probe_ok = probe_file(in->path, &in->probe, in->probe_err, sizeof in->probe_err);
	in->probed = true;
	return NULL;
}

void
load_probe_all(load_input *in, int n)
{
	/* Reading and hashing: one thread per file, a few files at a time. */
	enum
	{
		AT_ONCE = 4
	};

	for (int i = 0; i < n; i += AT_ONCE)
	{
		pthread_t	t[AT_ONCE];
		bool		started[AT_ONCE] = {false};

		for (int k = 0; k < AT_ONCE && i + k < n; k++)
			if (!in[i + k].probed)
				started[k] = pthread_create(&t[k], NULL, probe_one, &in[i + k]) == 0;
		for (int k = 0; k < AT_ONCE && i + k < n; k++)
			if (started[k])
				pthread_join(t[k], NULL);
	}
}

/* An XML input: its encoding, and a root element of a survey export. */
static bool
recognise_xml(const load_options *o, load_input *in)
{
	const char *decl = in->probe.xml_encoding;
	char		err[512];
	xmlr	   *r;
	bool		ok;

	if (o->encoding_given)
		in->enc = o->encoding;
	else if (!in->probe.utf8 && !probe_damaged_utf8(&in->probe) &&
			 (decl[0] == '\0' || strcasecmp(decl, "UTF-8") == 0 || strcasecmp(decl, "UTF8") == 0))
	{
		/* Declared UTF-8, or not at all, but it is not: read as Thai files are. */
		in->enc = TEXTENC_CP874;
		fprintf(stderr, "bmn: %s is not UTF-8: reading it as %s\n", in->path,
				textenc_name(in->enc));
	}
	r = xmlr_open(in->path, load_xml_encoding(o, in), err, sizeof err);
	if (r == NULL)
	{
		report_error(in->path, 0, 0, "%s", err);
		return false;
	}
	ok = xmlr_root(r);
	if (!ok)
		report_error(in->path, xmlr_error_line(r), xmlr_error_column(r), "%s", xmlr_error_message(r));
	xmlr_close(r);
	in->kind = ok ? LOAD_KIND_XML : LOAD_KIND_UNKNOWN;
	return ok;
}

bool
load_recognise(const load_options *o, load_input *in)
{
	static const char *const areas[] = {"code", "name_th"};
	static const char *const households[] = {"household_id", "village_code", "collector_id"};
	static const char *const members[] = {"household_id", "member_no"};
	static const char *const registry[] = {"house_code", "village_code"};
	static const char *const keyed[] = {"household_id"};
	csvr	   *r;
	csvr_row	header;
	int			matches = 0;
	load_kind	k = LOAD_KIND_UNKNOWN;

	if (!in->probed)
	{
		in->probe_ok = probe_file(in->path, &in->probe, in->probe_err, sizeof in->probe_err);
		in->probed = true;
	}
	if (!in->probe_ok)
	{
		report_error(in->path, 0, 0, "%s", in->probe_err);
		return false;
	}
	if (in->probe.empty)
	{
		report_error(in->path, 0, 0, "the file is empty");
		return false;
	}
	if (in->probe.binary)
	{
		report_error(in->path, 0, 0, "this is not a text file: it looks like %s. Save it as "
					 "CSV (UTF-8) and load that file", in->probe.binary);
		return false;
	}
	in->delim = in->probe.delim;
	in->enc = TEXTENC_UTF8;
	if (in->probe.xml)
		return recognise_xml(o, in);
	if (o->encoding_given)
		in->enc = o->encoding;
	else if (!in->probe.utf8 && probe_damaged_utf8(&in->probe))
		report_warning(in->path, in->probe.bad_line, 0, "the file is UTF-8, but %llu byte%s "
					   "in it %s not (the first on this line): the rows that hold them are "
					   "rejected (if the file is in CP874, say --encoding cp874)",
					   in->probe.utf8_bad, in->probe.utf8_bad == 1 ? "" : "s",
					   in->probe.utf8_bad == 1 ? "is" : "are");
	else if (!in->probe.utf8)
	{
		in->enc = TEXTENC_CP874;
		fprintf(stderr, "bmn: %s is not UTF-8: reading it as %s\n", in->path,
				textenc_name(in->enc));
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
	if (matches == 0 && has_columns(&header, registry, 2) && !has_columns(&header, keyed, 1))
		k = LOAD_KIND_REGISTRY, matches++;
	if (matches == 0)
		report_error(in->path, 1, 0,
					 "cannot tell what this file is from its header: an area list has code "
					 "and name_th, households.csv household_id, village_code and collector_id, "
					 "members.csv household_id and member_no, a registry extract house_code and "
					 "village_code (or use --kind)");
	else if (matches > 1)
		report_error(in->path, 1, 0, "the header fits more than one kind of file; "
					 "say which with --kind");
	csvr_close(r);
	in->kind = matches == 1 ? k : LOAD_KIND_UNKNOWN;
	return matches == 1;
}
