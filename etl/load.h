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
	LOAD_KIND_MEMBERS
} load_kind;

typedef struct
{
	bool		dry_run;
	bool		quiet;
	long		max_rejects;	/* -1: no limit */
	const char *reject_prefix;	/* NULL: INPUT.rejects.csv */
	csvr_encoding encoding;
} load_options;

typedef struct
{
	char	   *path;			/* as given; used in every message */
	load_kind	kind;
	probe_result probe;
} load_input;

/*
 * Load one batch in one transaction. Return BMN_EXIT_OK, BMN_EXIT_REJECTS or
 * BMN_EXIT_ERROR and print the batch's summary line.
 */
int			load_areas(PGconn *conn, const load_options *o, const load_input *in);
int			load_survey(PGconn *conn, const load_options *o, const load_input *hh,
						const load_input *mem);

const char *load_kind_name(load_kind k);
load_kind	load_kind_from_name(const char *s);	/* LOAD_KIND_UNKNOWN if none */

/*
 * Probes in (hash, encoding) and, unless its kind is given, tells it from its header.
 * False (reported) when the file cannot be loaded.
 */
bool		load_recognise(const load_options *o, load_input *in);

/*
 * Opens a CSV input and reads its header row. NULL when it cannot (reported).
 */
csvr	   *load_open(const load_options *o, const load_input *in, csvr_row *header);

/* Reports a malformed row or a reading error of in, at the reader's position. */
void		load_report_csv(const load_input *in, csvr *r);

/* The content hash of a batch of several files. */
void		load_batch_sha256(const load_input *const *in, int n, char out[65]);

/* A PostgreSQL text[] literal of the paths of the inputs. Allocated. */
char	   *load_files_array(const load_input *const *in, int n);

#endif
