/*
 * packet_html.h: the certification packet as one self-contained HTML page: UTF-8,
 * Thai and English labels, inline CSS and SVG only (nothing fetched from anywhere),
 * laid out for A4 with a page break before each section, and a signature block for
 * the committee.
 */
#ifndef BMN_PACKET_HTML_H
#define BMN_PACKET_HTML_H

#include "load_util.h"
#include "packet_query.h"

typedef struct
{
	int			year,			/* CE, local time of the run */
				month,
				day,
				hour,
				minute;
	char		zone[16];		/* "+0700" */
} pk_stamp;

/* Rows of bmn.low_income_households listed on the page (the CSV has them all). */
#define PK_HTML_MAX_LISTED 300

void		pk_html_page(copybuf *b, const pk_packet *p, const pk_stamp *when);

#endif
