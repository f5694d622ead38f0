/*
 * packet_csv.h: the tables of a certification packet as CSV files, one per table
 * (population.csv, indicators.csv, ...), with the views' column names as the header
 * and their values as the server wrote them (no digit grouping), UTF-8, LF line ends.
 */
#ifndef BMN_PACKET_CSV_H
#define BMN_PACKET_CSV_H

#include <libpq-fe.h>

#include "load_util.h"
#include "packet_query.h"

/* One result as CSV text (pure: no I/O). */
void		pk_csv_result(copybuf *b, const PGresult *res);

/*
 * Writes DIR/NAME.csv for every table the packet has (creating DIR when missing).
 * Returns the number of files written, or -1 with a message on stderr.
 */
int			pk_csv_write(const pk_packet *p, const char *dir);

#endif
