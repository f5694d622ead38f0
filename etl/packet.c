/*
 * packet.c: the command `bmn report AREA_CODE --year YYYY`: the certification packet
 * of an area, as one HTML page (packet_html.c) or one CSV file per table
 * (packet_csv.c), every figure read from the extension's views (packet_query.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bmn.h"
#include "field.h"
#include "packet_csv.h"
#include "packet_fmt.h"
#include "packet_html.h"
#include "packet_query.h"

typedef struct
{
	const char *conninfo;
	const char *area;
	int			year;
	bool		csv;
	const char *out;
	long		sample;
	long		seed;
	bool		seed_given;
} report_options;

static void
usage(FILE *out)
{
	fprintf(out,
			"bmn report writes the certification packet of an area for a survey round: the\n"
			"page a committee prints for its meeting, or the same tables as CSV files.\n\n"
			"Usage:\n"
			"  bmn report AREA_CODE --year YYYY [OPTION]...\n\n"
			"AREA_CODE is a province (55), district (5501), tambon (550101), village\n"
			"(55010105) or LAO code, or TH for the whole country.\n\n"
			"Options:\n"
			"  -d, --dbname=CONNINFO  database to read (a name or a connection string)\n"
			"  -y, --year=YYYY        survey year, Buddhist Era (2567 for 2024); required\n"
			"  -f, --format=FORMAT    html (default): one self-contained page, Thai and\n"
			"                         English, charts inline, laid out for A4;\n"
			"                         csv: one file per table of the page\n"
			"  -o, --out=PATH         html: the file to write (default: standard output);\n"
			"                         csv: the directory to write the files into (created\n"
			"                         if missing; its files of the same names are replaced)\n"
			"      --sample=N         households in the review sample (default 10)\n"
			"      --seed=S           seed of the review sample (default: the year); the\n"
			"                         same seed draws the same households\n"
			"  -h, --help             show this help, then exit\n\n"
			"The page holds: population, indicators passed and failed with charts by\n"
			"sub-area, income and expenditure, households failing the income indicator,\n"
			"findings by check with their denominators, collection progress and rankings,\n"
			"confidence and certification status, the review sample, and a signature block.\n"
			"CSV files: population, poverty, indicators, income, low_income_summary,\n"
			"low_income_households, findings, collection_progress, confidence,\n"
			"certification, review_sample (.csv). Every figure is read from the views\n"
			"(bmn.population_report, bmn.indicator_rollup, ...): the packet and an\n"
			"analyst's SQL show the same numbers.\n\n"
			"Exit status: 0 written; 1 error (unknown area, no data for the year, a file\n"
			"that cannot be written); 2 usage or connection error.\n\n"
			"Connection: -d CONNINFO or the PG* environment variables (PGHOST, PGPORT,\n"
			"PGDATABASE, PGUSER, ...), as every PostgreSQL client.\n");
}

static int
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "bmn report: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry \"bmn report --help\".\n");
	return BMN_EXIT_USAGE;
}

/* Returns -1 to go on, or the exit code. */
static int
parse_options(int argc, char **argv, report_options *o)
{
	static const struct option longopts[] = {
		{"dbname", required_argument, NULL, 'd'},
		{"year", required_argument, NULL, 'y'},
		{"format", required_argument, NULL, 'f'},
		{"out", required_argument, NULL, 'o'},
		{"sample", required_argument, NULL, 'n'},
		{"seed", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	int			c;
	long		v;

	memset(o, 0, sizeof *o);
	o->sample = 10;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:y:f:o:h", longopts, NULL)) != -1)
	{
		switch (c)
		{
			case 'd':
				o->conninfo = optarg;
				break;
			case 'y':
				if (!bmn_parse_long(optarg, 0, 9999, &v))
					return usage_error("--year must be a year, not \"%s\"", optarg);
				if (v < 2400 || v > 2800)
					return usage_error("--year is a Buddhist Era year (CE + 543), such as 2567, "
									   "not %s", optarg);
				o->year = (int) v;
				break;
			case 'f':
				if (strcmp(optarg, "html") == 0)
					o->csv = false;
				else if (strcmp(optarg, "csv") == 0)
					o->csv = true;
				else
					return usage_error("unknown format \"%s\" (html or csv)", optarg);
				break;
			case 'o':
				o->out = optarg;
				break;
			case 'n':
				if (!bmn_parse_long(optarg, 0, 10000, &v))
					return usage_error("--sample wants a number of households from 0 to 10000, "
									   "not \"%s\"", optarg);
				o->sample = v;
				break;
			case 's':
				if (!bmn_parse_long(optarg, -2147483647L - 1, 2147483647L, &v))
					return usage_error("--seed wants a whole number, not \"%s\"", optarg);
				o->seed = v;
				o->seed_given = true;
				break;
			case 'h':
				usage(stdout);
				return BMN_EXIT_OK;
			case ':':
				return usage_error("option \"%s\" needs a value", argv[optind - 1]);
			default:
				return usage_error("invalid option \"%s\"", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("%s", "which area? Give an area code (55, 5501, ..., or TH)");
	if (optind + 1 < argc)
		return usage_error("one area at a time: unexpected \"%s\"", argv[optind + 1]);
	o->area = argv[optind];
	if (o->year == 0)
		return usage_error("%s", "--year is required (the survey year, Buddhist Era)");
	if (o->csv && (o->out == NULL || strcmp(o->out, "-") == 0))
		return usage_error("%s", "--format csv writes several files: give a directory with --out");
	if (!o->seed_given)
		o->seed = o->year;
	return -1;
}

/*
 * The area code as typed: white space trimmed, Thai digits made ASCII, "th" as "TH".
 * False when it cannot be an area code at all.
 */
static bool
normalize_area(const char *in, char *out, size_t outsz)
{
	long		n = field_normalize(in, out, outsz);

	if (n <= 0)
		return false;
	if (strcmp(out, "th") == 0)
		strcpy(out, "TH");
	for (long i = 0; i < n; i++)
		if (!((out[i] >= '0' && out[i] <= '9') || (out[i] >= 'A' && out[i] <= 'Z')))
			return false;
	return true;
}

static void
stamp_now(pk_stamp *s)
{
	time_t		now = time(NULL);
	struct tm	tm;

	localtime_r(&now, &tm);
	s->year = tm.tm_year + 1900;
	s->month = tm.tm_mon + 1;
	s->day = tm.tm_mday;
	s->hour = tm.tm_hour;
	s->minute = tm.tm_min;
	if (strftime(s->zone, sizeof s->zone, "%z", &tm) == 0)
		s->zone[0] = '\0';
}

static int
write_html(const pk_packet *p, const char *out)
{
	copybuf		b = {0};
	pk_stamp	when;
	FILE	   *f = stdout;
	bool		ok;

	stamp_now(&when);
	pk_html_page(&b, p, &when);
	if (out && strcmp(out, "-") != 0 && (f = fopen(out, "w")) == NULL)
	{
		fprintf(stderr, "bmn report: cannot write %s: %s\n", out, strerror(errno));
		copybuf_free(&b);
		return BMN_EXIT_ERROR;
	}
	ok = fwrite(b.data, 1, b.len, f) == b.len;
	ok = (f == stdout ? fflush(f) == 0 : fclose(f) == 0) && ok;
	copybuf_free(&b);
	if (!ok)
	{
		fprintf(stderr, "bmn report: cannot write %s: %s\n", out ? out : "the page",
				strerror(errno));
		return BMN_EXIT_ERROR;
	}
	return BMN_EXIT_OK;
}

static bool
has_extension(PGconn *conn)
{
	PGresult   *res = PQexec(conn, "SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'bmn'");
	bool		ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fprintf(stderr, "bmn report: database error: %s", PQresultErrorMessage(res));
	else if (!ok)
		fprintf(stderr, "bmn report: database \"%s\" has no bmn extension\n", PQdb(conn));
	PQclear(res);
	return ok;
}

int
cmd_report(int argc, char **argv)
{
	report_options o;
	pk_packet	p = {0};
	PGconn	   *conn;
	int			rc = parse_options(argc, argv, &o);

	if (rc >= 0)
		return rc;
	if (!normalize_area(o.area, p.area_code, sizeof p.area_code))
	{
		fprintf(stderr, "bmn report: unknown area \"%s\": an area code is 2 (province), "
				"4 (district), 6 (tambon) or 8 (village) digits, an LAO code, or TH\n", o.area);
		return BMN_EXIT_ERROR;
	}
	p.year = o.year;
	p.sample = (int) o.sample;
	p.seed = (int) o.seed;

	conn = bmn_connect(o.conninfo);
	if (conn == NULL)
		return BMN_EXIT_USAGE;
	if (PQsetClientEncoding(conn, "UTF8") != 0)
	{
		fprintf(stderr, "bmn report: cannot use UTF-8 with this server\n");
		PQfinish(conn);
		return BMN_EXIT_USAGE;
	}
	if (!has_extension(conn))
	{
		PQfinish(conn);
		return BMN_EXIT_USAGE;
	}

	rc = pk_fetch(conn, &p);
	PQfinish(conn);
	if (rc == BMN_EXIT_OK)
	{
		if (o.csv)
		{
			int			n = pk_csv_write(&p, o.out);

			if (n < 0)
				rc = BMN_EXIT_ERROR;
			else
				fprintf(stderr, "bmn report: %s %s, %d: %d files in %s\n",
						pk_level_en(p.level), p.area_code, p.year, n, o.out);
		}
		else
		{
			rc = write_html(&p, o.out);
			if (rc == BMN_EXIT_OK && o.out && strcmp(o.out, "-") != 0)
				fprintf(stderr, "bmn report: %s %s, %d: %s\n", pk_level_en(p.level),
						p.area_code, p.year, o.out);
		}
	}
	pk_packet_free(&p);
	return rc;
}
