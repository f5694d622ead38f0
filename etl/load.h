/*
 * load.h: what the parts of `bmn load` share: the options, the input files, and the
 * batch loaders (one per kind of batch).
 */
#ifndef BMN_LOAD_H
#define BMN_LOAD_H

#include <stdbool.h>
#include <libpq-fe.h>

#include "csvread.h"
#include "probe.h"

typedef enum
{
	LOAD_KIND_UNKNOWN = 0,
	LOAD_KIND_AREAS,
	LOAD_KIND_HOUSEHOLDS,
	LOAD_KIND_MEMBERS,
	LOAD_KIND_REGISTRY,
	LOAD_KIND_XML				/* a survey export in XML: households with their members */
} load_kind;

typedef struct
{
	bool		dry_run;
	bool		quiet;
	long		max_rejects;	/* -1: no limit */
	const char *reject_prefix;	/* NULL: INPUT.rejects.csv (.xml) */
	bool		encoding_given;	/* --encoding: encoding applies to every file */
	textenc		encoding;
	char		as_of[11];		/* --as-of, YYYY-MM-DD; "" for today */
} load_options;

typedef struct
{
	char	   *path;			/* as given; used in every message */
	load_kind	kind;
	probe_result probe;
	textenc		enc;			/* the encoding it is read in */
	unsigned char delim;		/* CSV delimiter */
	bool		probed;			/* probe done (ok, or err says why not) */
	bool		probe_ok;
	char		probe_err[256];
} load_input;

/*
 * Load one batch in one transaction. Return BMN_EXIT_OK, BMN_EXIT_REJECTS or
 * BMN_EXIT_ERROR and print the batch's summary line.
 */
int			load_areas(PGconn *conn, const load_options *o, const load_input *in);
int			load_survey(PGconn *conn, const load_options *o, const load_input *hh,
						const load_input *mem);
int			load_survey_xml(PGconn *conn, const load_options *o, const load_input *in);
int			load_registry(PGconn *conn, const load_options *o, const load_input *in);

const char *load_kind_name(load_kind k);
load_kind	load_kind_from_name(const char *s);	/* LOAD_KIND_UNKNOWN if none */

/* Probes the inputs, several files at a time (each on a thread of its own). */
void		load_probe_all(load_input *in, int n);

/*
 * Probes in (hash, encoding) unless done and, unless its kind is given, tells it from its header
 * or root element. False (reported) when the file cannot be loaded.
 */
bool		load_recognise(const load_options *o, load_input *in);

/*
 * Opens a CSV input and reads its header row. NULL when it cannot (reported).
 */
csvr	   *load_open(const load_options *o, const load_input *in, csvr_row *header);

/* Reports a malformed row or a reading error of in, at the reader's position. */
void		load_report_csv(const load_input *in, csvr *r);

/* The encoding libxml2 must read an XML input in (NULL: as the file declares). */
const char *load_xml_encoding(const load_options *o, const load_input *in);

/* Opens a CSV input at its first byte, in its encoding, with its delimiter. */
csvr	   *load_csv_open(const load_input *in, char *err, size_t errsz);

/* The content hash of a batch of several files. */
void		load_batch_sha256(const load_input *const *in, int n, char out[65]);

/* A PostgreSQL text[] literal of the paths of the inputs. Allocated. */
char	   *load_files_array(const load_input *const *in, int n);

#endif
