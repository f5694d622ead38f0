/*
 * packet_query.h: the tables of a certification packet, read from the extension's
 * views in one read-only snapshot, so that the page, the CSV files and an analyst's
 * SQL show the same figures. Every figure is the views' text; nothing is computed in C.
 */
#ifndef BMN_PACKET_QUERY_H
#define BMN_PACKET_QUERY_H

#include <stdbool.h>
#include <libpq-fe.h>

/* The tables, in the page's order; each is one CSV file. */
typedef enum
{
	PK_POPULATION,
	PK_POVERTY,
	PK_INDICATORS,
	PK_INCOME,
	PK_LOW_INCOME_SUMMARY,
	PK_LOW_INCOME,
	PK_FINDINGS,
	PK_PROGRESS,
	PK_CONFIDENCE,
	PK_CERTIFICATION,
	PK_SAMPLE,
	PK_NTABLES
} pk_table_id;

typedef struct
{
	const char *name;			/* CSV file name without .csv */
	PGresult   *res;			/* NULL: not available, see note */
	char		note[256];		/* why not available (English) */
	char		note_th[256];	/* the same in Thai */
} pk_table;

typedef struct
{
	/* What was asked. */
	char		area_code[16];
	int			year;			/* BE */
	int			sample;			/* households in the review sample */
	int			seed;

	/* The area, from bmn.area_name. */
	char		level[16];
	char	   *name_th;
	char	   *name_en;
	const char *child_level;	/* NULL for a village */

	/* The round, from bmn.survey_round and bmn.indicator_set. */
	char	   *set_name_th;
	char	   *set_name_en;
	char	   *income_threshold;	/* NULL when the round has none */
	char	   *confidence_min_pct;

	pk_table	t[PK_NTABLES];
	PGresult   *clear_checks;	/* checks without a finding in the area */
} pk_packet;

/*
 * Reads every table for p->area_code, p->year, p->sample and p->seed (set by the
 * caller). Returns BMN_EXIT_OK, or BMN_EXIT_ERROR with a message on stderr (unknown
 * area, no round, no household of the area in the round, a failed query).
 */
int			pk_fetch(PGconn *conn, pk_packet *p);
void		pk_packet_free(pk_packet *p);

/* Column c of a result by name; -1 when it has none (res NULL too). */
int			pk_col(const PGresult *res, const char *name);
/* The value of row r, column name: NULL when absent or SQL NULL. */
const char *pk_get(const PGresult *res, int r, const char *name);

#endif
