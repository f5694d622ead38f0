/*
 * pgconn.c: connecting as every PostgreSQL client does (conninfo or PG* variables).
 */
#include <stdio.h>

#include "bmn.h"

PGconn *
bmn_connect(const char *conninfo)
{
	/* expand_dbname: -d takes a database name or a connection string, as psql's */
	const char *keywords[] = {"dbname", "fallback_application_name", NULL};
	const char *values[] = {conninfo, "bmn", NULL};
	PGconn	   *conn = PQconnectdbParams(keywords, values, 1);

	if (conn == NULL)
	{
		fprintf(stderr, "bmn: out of memory while connecting\n");
		return NULL;
	}
	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "bmn: could not connect to the database: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return NULL;
	}
	/* Our messages must not depend on the server's search_path. */
	PQclear(PQexec(conn, "SET search_path = pg_catalog, pg_temp"));
	return conn;
}
