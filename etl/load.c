/*
 * load.c: the command `bmn load FILE...`: options, what each file is, which files
 * make a batch, and the batches in order (area lists first, so that a survey in the
 * same command finds its tambons).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bmn.h"
#include "field.h"
#include "load.h"
#include "load_db.h"
#include "load_pair.h"
#include "load_signal.h"
#include "load_util.h"
#include "progress.h"
#include "report.h"

static void
usage(FILE *out)
{
	fprintf(out,
			"bmn load loads survey exports, house registry extracts and area lists into a bmn\n"
			"database.\n\n"
			"Usage:\n"
			"  bmn load [OPTION]... FILE...\n\n"
			"Each FILE is recognised from its header or root element: an area list (code,\n"
			"name_th, ...), a survey's households.csv (household_id, village_code,\n"
			"collector_id, ...) or members.csv (household_id, member_no, ...), a survey\n"
			"export in XML (<bmn_household> or <bmn_households>), or a house registry\n"
			"extract (house_code, village_code, ...; '|' or ',' between columns). A CSV\n"
			"survey batch is a pair of files whose names differ only in \"households\" and\n"
			"\"members\" (2567_households.csv and 2567_members.csv); give one of them or both.\n"
			"Files are UTF-8 (with or without a BOM) or, when they are not, Thai CP874\n"
			"(windows-874, TIS-620); Thai digits, BE years and CRLF line ends are fine.\n\n"
			"Options:\n"
			"  -d, --dbname=CONNINFO    database to load into (a name or a connection string)\n"
			"      --kind=KIND          treat the CSV FILEs that follow as KIND: areas,\n"
			"                           households, members or registry (default: from the\n"
			"                           header)\n"
			"      --encoding=ENCODING  read every file in ENCODING: utf-8, cp874 (windows-874)\n"
			"                           or tis-620 (default: UTF-8, else CP874)\n"
			"      --reject-file=PREFIX write rejected rows to PREFIX followed by the input's\n"
			"                           file name (default: INPUT.rejects.csv beside INPUT,\n"
			"                           INPUT.rejects.xml for XML)\n"
			"      --max-rejects=N      stop and load nothing once more than N households (or\n"
			"                           rows) are rejected (default: no limit)\n"
			"      --as-of=DATE         date of a registry extract (default: today)\n"
			"  -n, --dry-run            check everything, write nothing to the database\n"
			"  -q, --quiet              do not show progress (shown only on a terminal)\n"
			"  -?, --help               show this help, then exit\n\n"
			"Every batch (a file, or a pair of survey files) is loaded in one transaction:\n"
			"all of it or nothing, also when the load is interrupted. Content loaded before\n"
			"is recognised and not loaded again. A household loaded again for the same\n"
			"survey year replaces the earlier version (bmn.household_version keeps which\n"
			"batch it came from). A registry extract replaces the registry of the villages\n"
			"it covers.\n\n"
			"Rows with errors are reported as FILE:LINE:COLUMN: error: MESSAGE and copied,\n"
			"unchanged, to the reject file, so that they can be corrected and loaded again.\n"
			"A household with a bad row, or a bad member, is rejected with all its members;\n"
			"a registry house with a bad row is rejected with all its persons.\n\n"
			"Exit status: 0 all loaded; 1 nothing loaded (error); 2 usage or connection\n"
			"error; 3 loaded, but some rows were rejected.\n\n"
			"Connection: -d CONNINFO or the PG* environment variables (PGHOST, PGPORT,\n"
			"PGDATABASE, PGUSER, ...), as every PostgreSQL client.\n");
}

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "bmn load: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry \"bmn load --help\" for more information.\n");
	return BMN_EXIT_USAGE;
}

/* ---- the command -------------------------------------------------------------------- */

/* Indexes into the inputs (which may still grow while pairs are found). */
typedef struct
{
	int			a;				/* the file, or households */
	int			b;				/* members; -1 for a batch of one file */
} batch;

/* A database without the extension is the wrong database: say so plainly. */
static bool
has_extension(PGconn *conn)
{
	PGresult   *res = PQexec(conn, "SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'bmn'");
	bool		ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fprintf(stderr, "bmn: database error: %s", PQresultErrorMessage(res));
	else if (!ok)
		fprintf(stderr, "bmn: database \"%s\" has no bmn extension; create it first with  "
				"CREATE EXTENSION bmn\n", PQdb(conn));
	PQclear(res);
	return ok;
}

/*
 * The area list is the whole country's: only administrators change it (the policies
 * of bmn.area let a loader add the villages of its own areas, as its batches bring
 * them). Said before the file is read, in words the loader can act on.
 */
static int
load_areas_checked(PGconn *conn, const load_options *o, const load_input *in)
{
	char		user[128];
	int			may = o->dry_run ? 1 : load_db_may_load_areas(conn, user, sizeof user);

	if (may < 0)
		return BMN_EXIT_ERROR;
	if (may == 0)
	{
		fprintf(stderr, "bmn: %s: only an administrator (a member of bmn_admin) may load the "
				"area list; role \"%s\" may load survey exports and registry extracts of its "
				"areas, and their villages come with them; nothing loaded\n", in->path, user);
		return BMN_EXIT_ERROR;
	}
	return load_areas(conn, o, in);
}

/* The worse of two outcomes: an error, then rejects, then all loaded. */
static int
worse(int a, int b)
{
	if (a == BMN_EXIT_ERROR || b == BMN_EXIT_ERROR)
		return BMN_EXIT_ERROR;
	if (a == BMN_EXIT_REJECTS || b == BMN_EXIT_REJECTS)
		return BMN_EXIT_REJECTS;
	return BMN_EXIT_OK;
}

static load_input *
new_input(load_input **inputs, int *n, const char *path, load_kind kind)
{
	load_input *in;

	*inputs = load_xrealloc(*inputs, (size_t) (*n + 1) * sizeof(load_input));
	in = &(*inputs)[(*n)++];
	memset(in, 0, sizeof *in);
	in->path = load_xstrdup(path);
	in->kind = kind;
	return in;
}

/* Finds the partner of an unpaired survey file on disk: its index, or -1. */
static int
find_partner(const load_options *o, load_input **inputs, int *n, int i)
{
	bool		is_hh = (*inputs)[i].kind == LOAD_KIND_HOUSEHOLDS;
	const char *want = is_hh ? "members" : "households";
	char	   *path = load_pair_partner((*inputs)[i].path, is_hh);
	load_input *p;

	if (path == NULL || access(path, F_OK) != 0)
	{
		if (path)
			report_error((*inputs)[i].path, 0, 0, "its %s file %s does not exist; give both files",
						 want, path);
		else
			report_error((*inputs)[i].path, 0, 0, "cannot find its %s file, as its name does not "
						 "contain \"%s\"; give both files", want, is_hh ? "households" : "members");
		free(path);
		return -1;
	}
	p = new_input(inputs, n, path, LOAD_KIND_UNKNOWN);
	free(path);
	if (!load_recognise(o, p))
		return -1;
	if (p->kind != (is_hh ? LOAD_KIND_MEMBERS : LOAD_KIND_HOUSEHOLDS))
	{
		report_error(p->path, 0, 0, "expected the %s file of %s, but this is a%s %s file",
					 want, (*inputs)[i].path, p->kind == LOAD_KIND_AREAS ? "n" : "",
					 load_kind_name(p->kind));
		p->kind = LOAD_KIND_UNKNOWN;
		return -1;
	}
	return *n - 1;
}

/*
 * What each file is and which files make a batch: area lists in the order given,
 * then survey pairs. batches has room for twice the inputs. Returns BMN_EXIT_ERROR
 * when a file cannot be loaded (reported), else BMN_EXIT_OK.
 */
static int
plan_batches(const load_options *o, load_input **inputs, int *ninputs,
			 batch *batches, int *nbatches)
{
	int			ngiven,
				rc = BMN_EXIT_OK;

	/* What each file is. */
	ngiven = *ninputs;
	load_probe_all(*inputs, ngiven);
	for (int i = 0; i < ngiven; i++)
	{
		bool		seen = false;

		for (int j = 0; j < i; j++)
			seen = seen || strcmp((*inputs)[i].path, (*inputs)[j].path) == 0;
		if (seen)
			(*inputs)[i].kind = LOAD_KIND_UNKNOWN;	/* given twice: loaded once */
		else if (!load_recognise(o, &(*inputs)[i]))
		{
			(*inputs)[i].kind = LOAD_KIND_UNKNOWN;
			rc = BMN_EXIT_ERROR;
		}
	}

	/* Batches: area lists in order, then registry extracts, XML, survey pairs. */
	for (int i = 0; i < ngiven; i++)
		if ((*inputs)[i].kind == LOAD_KIND_AREAS)
			batches[(*nbatches)++] = (batch) {i, -1};
	for (int i = 0; i < ngiven; i++)
		if ((*inputs)[i].kind == LOAD_KIND_REGISTRY)
			batches[(*nbatches)++] = (batch) {i, -1};
	for (int i = 0; i < ngiven; i++)
		if ((*inputs)[i].kind == LOAD_KIND_XML)
			batches[(*nbatches)++] = (batch) {i, -1};
	{
		int			nh = 0,
					nm = 0,
					lone_h = -1,
					lone_m = -1;
		bool	   *paired = load_xcalloc((size_t) ngiven, sizeof(bool));

		for (int i = 0; i < ngiven; i++)
			for (int j = 0; j < ngiven; j++)
				if (!paired[i] && !paired[j] && (*inputs)[i].kind == LOAD_KIND_HOUSEHOLDS &&
					(*inputs)[j].kind == LOAD_KIND_MEMBERS && load_pair_match((*inputs)[i].path, (*inputs)[j].path))
				{
					paired[i] = paired[j] = true;
					batches[(*nbatches)++] = (batch) {i, j};
				}
		for (int i = 0; i < ngiven; i++)
		{
			if (paired[i])
				continue;
			if ((*inputs)[i].kind == LOAD_KIND_HOUSEHOLDS)
				nh++, lone_h = i;
			if ((*inputs)[i].kind == LOAD_KIND_MEMBERS)
				nm++, lone_m = i;
		}
		/* One of each, whatever their names: the user gave them together. */
		if (nh == 1 && nm == 1)
		{
			paired[lone_h] = paired[lone_m] = true;
			batches[(*nbatches)++] = (batch) {lone_h, lone_m};
		}
		for (int i = 0; i < ngiven; i++)
		{
			int			p;

			if (paired[i] || ((*inputs)[i].kind != LOAD_KIND_HOUSEHOLDS &&
							  (*inputs)[i].kind != LOAD_KIND_MEMBERS))
				continue;
			p = find_partner(o, inputs, ninputs, i);
			if (p < 0)
			{
				rc = BMN_EXIT_ERROR;
				continue;
			}
			paired[i] = true;
			batches[(*nbatches)++] = (*inputs)[i].kind == LOAD_KIND_HOUSEHOLDS ?
				(batch) {i, p} : (batch) {p, i};
		}
		free(paired);
	}
	return rc;
}

int
cmd_load(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"dbname", required_argument, NULL, 'd'},
		{"kind", required_argument, NULL, 'k'},
		{"encoding", required_argument, NULL, 'e'},
		{"reject-file", required_argument, NULL, 'r'},
		{"max-rejects", required_argument, NULL, 'm'},
		{"as-of", required_argument, NULL, 'a'},
		{"dry-run", no_argument, NULL, 'n'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	load_options o = {.max_rejects = -1, .encoding = TEXTENC_UTF8};
	const char *conninfo = NULL;
	load_kind	kind = LOAD_KIND_UNKNOWN;
	load_input *inputs = NULL;
	batch	   *batches = NULL;
	int			ninputs = 0,
				nbatches = 0,
				c,
				rc = BMN_EXIT_OK;
	PGconn	   *conn;

	opterr = 0;
	/*
	 * "-" first: file names come back in order, so --kind applies to those after it;
	 * ":" then: a missing value is told apart from an unknown option.
	 */
	while ((c = getopt_long(argc, argv, "-:d:nq?", longopts, NULL)) != -1)
	{
		switch (c)
		{
			case 1:
				new_input(&inputs, &ninputs, optarg, kind);
				break;
			case 'd':
				conninfo = optarg;
				break;
			case 'k':
				kind = load_kind_from_name(optarg);
				if (kind == LOAD_KIND_UNKNOWN)
				{
					rc = usage_error("unknown kind \"%s\" (areas, households, members or registry)", optarg);
					goto done;
				}
				break;
			case 'e':
				if (!textenc_from_name(optarg, &o.encoding))
				{
					rc = usage_error("unknown encoding \"%s\" (utf-8, cp874 or tis-620)", optarg);
					goto done;
				}
				o.encoding_given = true;
				break;
			case 'r':
				o.reject_prefix = optarg;
				break;
			case 'm':
				{
					long		n;

					if (field_int(optarg, 0, 2000000000L, &n) != FIELD_OK)
					{
						rc = usage_error("--max-rejects wants a number of rows, not \"%s\"", optarg);
						goto done;
					}
					o.max_rejects = n;
					break;
				}
			case 'a':
				{
					fdate		d;

					if (field_date(optarg, &d) != FIELD_OK)
					{
						rc = usage_error("--as-of wants a date (DD/MM/YYYY or YYYY-MM-DD), not \"%s\"",
									   optarg);
						goto done;
					}
					snprintf(o.as_of, sizeof o.as_of, "%04d-%02d-%02d", d.year, d.month, d.day);
					break;
				}
			case 'n':
				o.dry_run = true;
				break;
			case 'q':
				o.quiet = true;
				break;
			case 'h':
				usage(stdout);
				goto done;
			case '?':
				if (strcmp(argv[optind - 1], "-?") == 0)
				{
					usage(stdout);
					goto done;
				}
				rc = usage_error("invalid option \"%s\"", argv[optind - 1]);
				goto done;
			case ':':
				rc = usage_error("option \"%s\" needs a value", argv[optind - 1]);
				goto done;
			default:
				rc = usage_error("invalid option \"%s\"", argv[optind - 1]);
				goto done;
		}
	}
	if (ninputs == 0)
	{
		rc = usage_error("%s", "no file to load");
		goto done;
	}

	load_signal_install();
	progress_timing("start");
	batches = load_xmalloc((size_t) ninputs * 2 * sizeof(batch));
	rc = plan_batches(&o, &inputs, &ninputs, batches, &nbatches);

	progress_timing("files recognised");
	if (nbatches > 0)
	{
		conn = bmn_connect(conninfo);
		if (conn != NULL && PQsetClientEncoding(conn, "UTF8") != 0)
		{
			fprintf(stderr, "bmn: cannot use UTF-8 with this server\n");
			PQfinish(conn);
			conn = NULL;
		}
		if (conn != NULL && !has_extension(conn))
		{
			PQfinish(conn);
			conn = NULL;
		}
		if (conn == NULL)
			nbatches = 0, rc = BMN_EXIT_USAGE;
		else
			load_signal_connection(conn);
		for (int i = 0; i < nbatches; i++)
		{
			const batch *b = &batches[i];
			const load_input *in = &inputs[b->a];

			if (b->b >= 0)
				rc = worse(rc, load_survey(conn, &o, in, &inputs[b->b]));
			else if (in->kind == LOAD_KIND_AREAS)
				rc = worse(rc, load_areas_checked(conn, &o, in));
			else if (in->kind == LOAD_KIND_REGISTRY)
				rc = worse(rc, load_registry(conn, &o, in));
			else
				rc = worse(rc, load_survey_xml(conn, &o, in));
		}
		if (conn)
		{
			load_signal_connection(NULL);
			PQfinish(conn);
		}
	}
done:
	for (int i = 0; i < ninputs; i++)
		free(inputs[i].path);
	free(inputs);
	free(batches);
	return rc;
}
