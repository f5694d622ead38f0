/*
 * packet_svg.h: horizontal bar charts of `bmn report` as inline SVG (pure: the chart
 * is appended to a buffer). One bar per row, its label on the left, the figure as the
 * view gave it on the right; optionally the rest up to the axis maximum drawn as a
 * second segment (passed / failed) and a reference line (95% confidence, an income
 * threshold).
 */
#ifndef BMN_PACKET_SVG_H
#define BMN_PACKET_SVG_H

#include <stdbool.h>

#include "load_util.h"

typedef struct
{
	const char *label;			/* left of the bar; cut to fit, whole in its tooltip */
	const char *value_text;		/* right of the bar: the figure as the view wrote it */
	double		value;			/* bar length in axis units; NaN: no bar */
} pk_bar;

typedef struct
{
	const char *title;			/* the chart's accessible name */
	double		max;			/* axis maximum; 0: a round number above the largest bar */
	double		ref;			/* reference line; NaN: none */
	const char *ref_label;
	const char *unit;			/* after tick labels, e.g. "%"; NULL: none */
	bool		rest;			/* draw max - value as a second segment (failed) */
} pk_chart;

/* Chart geometry, in SVG user units. */
#define PK_SVG_WIDTH	680
#define PK_SVG_LABEL	200		/* label column */
#define PK_SVG_VALUE	64		/* value column */
#define PK_SVG_ROW		15
#define PK_SVG_TOP		16		/* tick labels */

/* Length of a bar of value v on an axis of max over span units: 0 to span. */
double		pk_bar_width(double v, double max, double span);

/* A round axis maximum at or above v (1, 2, 2.5 or 5 times a power of ten). */
double		pk_nice_max(double v);

/* Height of a chart of n bars, with room for a reference line's label. */
int			pk_svg_height(int n, bool ref);

void		pk_svg_hbars(copybuf *b, const pk_chart *c, const pk_bar *bars, int n);

#endif
