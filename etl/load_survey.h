/*
 * load_survey.h: between the checking of a survey file pair (load_survey.c) and its
 * writing in one transaction (load_survey_db.c).
 */
#ifndef BMN_LOAD_SURVEY_H
#define BMN_LOAD_SURVEY_H

#include <stdbool.h>
#include <stdint.h>
#include <libpq-fe.h>

#include "keyset.h"
#include "load_util.h"
#include "spool.h"

/* What is ready to be written. */
typedef struct
{
	int			year;
	const char *household_columns;	/* COPY column lists of the spooled rows */
	const char *member_columns;
	const char *files;			/* text[] literal */
	const char *sha256;
	spool	   *households;		/* COPY rows from household_id on, tagged by household */
	spool	   *members;		/* COPY rows from household_id on, tagged by household */
	strmap	   *keys;			/* household_id -> tag */
	bool		(*accepted) (uint32_t tag, void *ctx);
	void	   *ctx;
	copybuf		villages;		/* COPY rows: area_code, name_th (\N: none), lao_code */
	copybuf		laos;			/* COPY rows: lao_code, name_th */
	long		rejected;
} survey_batch;

typedef struct
{
	long		batch_id;		/* 0: the content was loaded before, */
	long		earlier_batch;	/* as this batch, */
	char		loaded_at[32];	/* then */
	long		households;
	long		members;
	long		replaced;
} survey_written;

/* Writes the batch in one transaction; false on error (reported, rolled back). */
bool		survey_write(PGconn *conn, const survey_batch *b, survey_written *out);

#endif
