/*
 * load_survey.h: a survey batch, between its readers and its writer.
 *
 * The CSV pair (load_survey_csv.c) and the XML file (load_survey_xml.c) turn rows or
 * elements into the same COPY rows through the same column tables (load_survey.c);
 * the writer (load_survey_db.c) sends them in one transaction.
 *
 * Memory is bounded by the number of households, about 30 bytes each (a household_id
 * is kept as its 64-bit hash; its text is in the spool), never by the size of the
 * files: a 1 GB export of 1.2 million households needs under 40 MB.
 */
#ifndef BMN_LOAD_SURVEY_H
#define BMN_LOAD_SURVEY_H

#include <stdbool.h>
#include <stdint.h>
#include <libpq-fe.h>

#include "keyset.h"
#include "load.h"
#include "load_util.h"
#include "progress.h"
#include "rowconv.h"
#include "spool.h"

/* Survey years a round may have (bmn.survey_round). */
#define SURVEY_YEAR_MIN 2400
#define SURVEY_YEAR_MAX 2800

/* Member numbers whose repetition is caught by a household's bit mask. */
#define SURVEY_SEEN_BITS 16

/* A household of the batch, remembered between rows: 16 bytes. */
typedef struct
{
	uint32_t	line;			/* of its row, or its element */
	uint32_t	village;		/* 8-digit code as a number */
	uint16_t	year;
	uint16_t	members;		/* members accepted so far */
	uint16_t	seen;			/* member_no 1..16 met */
	uint8_t		rejected;
	uint8_t		sent;			/* its row went (or goes) to the server */
} household;

/*
 * A spooled row whose tag has this bit set goes to the server while the file is still
 * being read (households of the first load of a year: see survey_stream).
 */
#define SURVEY_SEND_BIT 0x80000000u

typedef struct
{
	char	   *name;			/* NULL: no name given */
	char	   *lao_code;
} village;

/* Lines of the member numbers of the household met last (members come together). */
typedef struct
{
	uint32_t	household;
	uint32_t	line[SURVEY_SEEN_BITS + 1];
} member_run;

typedef struct
{
	const load_options *o;
	const char *hfile;			/* for messages: households.csv, or the XML file */
	const char *mfile;			/* members.csv, or the XML file */
	rowconv		hconv,
				mconv;
	strmap	   *tambons;		/* area codes of up to 6 digits in the database */
	idxmap	   *keys;			/* hash of household_id -> index in hh */
	household  *hh;
	size_t		caphh;
	u64map	   *member_keys;	/* index << 16 | member_no -> line, for member_no > 16 */
	member_run	run;
	spool	   *hspool,			/* COPY rows from household_id on, tagged by index */
			   *mspool;
	strmap	   *village_idx;	/* village code -> index in villages */
	village    *villages;
	size_t		nvillages;
	strmap	   *lao_idx;		/* lao_code -> index in lao_names */
	char	  **lao_names;
	size_t		nlaos;
	long		year_count[SURVEY_YEAR_MAX - SURVEY_YEAR_MIN + 1];
	int			year;
	long		rejected;		/* households rejected */
	long		orphans;		/* member rows rejected without a household to go with */
	bool		over_limit;
	bitset		unsent;			/* households rejected when sending began (not sent) */
	struct survey_writer *writer;	/* the transaction, once open */
	bool		streaming;		/* rows go to the server as they are read */
	int			stream_year;	/* the year assumed while streaming */
	bool		with_meta;		/* household rows end with a meta column (XML) */
	progress	prog;
	copybuf		scratch;
} survey;

/* ---- load_survey.c: what both forms share ---------------------------------------- */

/* The column tables of households.csv and members.csv (formats.md). */
extern const coldef survey_household_cols[];
extern const size_t survey_household_ncols;
extern const coldef survey_member_cols[];
extern const size_t survey_member_ncols;

/* Sets up the maps and spools; expected: about how many households. False: reported. */
bool		survey_init(survey *s, PGconn *conn, const load_options *o, const char *hfile,
						const char *mfile, size_t expected);
void		survey_free(survey *s);

/* Counts a rejected row; false once more than --max-rejects have been. */
bool		survey_count_reject(survey *s, long *counter);
bool		survey_reject_household(survey *s, uint32_t idx);

/*
 * A household row converted by hconv with errors already reported: checks its
 * village's tambon and its key, remembers it and spools line. *idx gets its index
 * (IDXMAP_NONE when it has no usable key, or its key was met before). False on a fatal
 * error (reported).
 */
bool		survey_add_household(survey *s, const csvr_row *row, int errors, const rowvals *v,
								 const copybuf *line, uint32_t *idx);

/*
 * A member row of household idx converted by mconv (errors reported): checks its
 * member_no and spools it unless its household is rejected. Returns false on a fatal
 * error; *accepted says whether the row was spooled.
 */
bool		survey_add_member(survey *s, uint32_t idx, const char *key, const csvr_row *row,
							  int errors, const rowvals *v, const copybuf *line, bool *accepted);

/* One file holds one round: households of another year than most are rejected. */
void		survey_settle_year(survey *s);

/* The household of a key (IDXMAP_NONE when none). */
uint32_t	survey_find(const survey *s, const char *key);

/*
 * Before households.csv is read: when its year's round holds no household yet (the
 * first load of a year: nothing to replace), opens the transaction and sends every
 * household of that year as soon as it is checked. Not an error when it cannot (the
 * batch is then written after the reading).
 */
void		survey_stream(survey *s, PGconn *conn, int year, const char *files,
						  const char *sha256);

/*
 * Settles the year, writes (unless a dry run) and prints the summary line. name:
 * "H + M" or the XML file. read_rest (when not NULL) reads the rest of the input
 * (members.csv) once the households are on their way to the server, and returns false
 * on a fatal error. rejects writes the reject files, appending " (see ...)" to its
 * note; false on error. Returns the exit code.
 */
int			survey_finish(survey *s, PGconn *conn, const char *name, const char *files,
						  const char *sha256, bool (*read_rest) (survey *s, void *ctx),
						  bool (*rejects) (survey *s, copybuf *note, void *ctx), void *ctx);

/* ---- load_survey_db.c: one transaction --------------------------------------------- */

typedef struct survey_writer survey_writer;

typedef struct
{
	long		batch_id;		/* 0: the content was loaded before, */
	long		earlier_batch;	/* as this batch, */
	char		loaded_at[32];	/* then */
	long		households;
	long		members;
	long		replaced;
} survey_written;

/*
 * Opens the transaction for s->year: lock, content check, round, batch row.
 * *round_empty says whether the round holds no household yet. With replacing not NULL
 * (the households spool closed), *replacing says whether households of the batch are
 * in the round already: then every row must be checked before anything is sent. NULL
 * on error (rolled back) or when the content was loaded before (out->earlier_batch
 * set, rolled back).
 */
survey_writer *survey_write_begin(PGconn *conn, survey *s, const char *files,
								  const char *sha256, survey_written *out,
								  bool *round_empty, bool *replacing);

/*
 * Sends, on a thread of its own, the households then the member rows as they are
 * spooled: with streaming, the rows tagged SURVEY_SEND_BIT; else those of households
 * not in s->unsent, earlier versions being replaced first.
 */
bool		survey_write_send(survey_writer *w, bool streaming);

/*
 * Streaming turned out wrong (the file's year is another): survey_write_stop, then
 * the caller closes the households spool, then survey_write_abandon: the thread stops
 * once the households are sent (told before they end, it never goes on to members
 * that are not being written), and everything is rolled back.
 */
void		survey_write_stop(survey_writer *w);
void		survey_write_abandon(survey_writer *w);

/*
 * Once the member spool is closed: waits for the sending, takes out households
 * rejected after they were sent, records the counts and commits. False on error
 * (rolled back).
 */
bool		survey_write_commit(survey_writer *w, survey_written *out);

/* Rolls back and frees. */
void		survey_write_abort(survey_writer *w);

#endif
