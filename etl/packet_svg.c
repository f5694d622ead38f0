/*
 * packet_svg.c: horizontal bar charts as inline SVG (see packet_svg.h).
 *
 * No xmlns attribute: inside HTML an <svg> element needs none, and the page then holds
 * no http:// reference at all.
 */
#include <math.h>
#include <stdio.h>

#include "packet_fmt.h"
#include "packet_svg.h"

#define LABEL_CELLS 32			/* about what fits in PK_SVG_LABEL at 10 units */
#define BAR_H		10

double
pk_bar_width(double v, double max, double span)
{
	if (!(v > 0) || !(max > 0) || !(span > 0))
		return 0;
	if (v >= max)
		return span;
	return span * v / max;
}

double
pk_nice_max(double v)
{
	double		mag,
				f;

	if (!(v > 0) || isinf(v))
		return 1;
	mag = pow(10, floor(log10(v)));
	f = v / mag;
	/* A value a hair above a power of ten after the division stays on it. */
	if (f <= 1 + 1e-9)
		return mag;
	return (f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

int
pk_svg_height(int n, bool ref)
{
	return PK_SVG_TOP + (n > 0 ? n : 0) * PK_SVG_ROW + (ref ? 14 : 4);
}

/* A tick label: whole numbers grouped, others with one decimal. */
static void
tick_label(copybuf *b, double v, const char *unit)
{
	char		num[64];

	if (fabs(v - round(v)) < 1e-9)
		snprintf(num, sizeof num, "%.0f", v);
	else
		snprintf(num, sizeof num, "%.1f", v);
	pk_group_digits(b, num);
	if (unit)
		pk_html(b, unit);
}

void
pk_svg_hbars(copybuf *b, const pk_chart *c, const pk_bar *bars, int n)
{
	const double x0 = PK_SVG_LABEL + 6;
	const double span = PK_SVG_WIDTH - PK_SVG_LABEL - PK_SVG_VALUE - 12;
	const bool	ref = !isnan(c->ref) && c->ref >= 0;
	const int	height = pk_svg_height(n, ref);
	const int	bottom = PK_SVG_TOP + (n > 0 ? n : 0) * PK_SVG_ROW + (ref ? 4 : 0);
	double		max = c->max;

	if (!(max > 0))
	{
		double		top = 0;

		for (int i = 0; i < n; i++)
			if (bars[i].value > top)
				top = bars[i].value;
		if (c->ref > top)
			top = c->ref;
		max = pk_nice_max(top);
	}

	copybuf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
				   "role=\"img\" aria-label=\"", PK_SVG_WIDTH, height, PK_SVG_WIDTH, height);
	pk_html(b, c->title);
	copybuf_puts(b, "\">\n");

	/* Grid and ticks at quarters of the axis. */
	for (int q = 0; q <= 4; q++)
	{
		double		x = x0 + span * q / 4;

		copybuf_printf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
					   "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
					   x, PK_SVG_TOP - 2, x, bottom, x, PK_SVG_TOP - 5);
		tick_label(b, max * q / 4, c->unit);
		copybuf_puts(b, "</text>\n");
	}

	for (int i = 0; i < n; i++)
	{
		const pk_bar *bar = &bars[i];
		double		y = PK_SVG_TOP + i * PK_SVG_ROW + (PK_SVG_ROW - BAR_H) / 2.0;
		double		ty = PK_SVG_TOP + i * PK_SVG_ROW + PK_SVG_ROW / 2.0 + 3.5;
		bool		has = !isnan(bar->value);
		double		w = has ? pk_bar_width(bar->value, max, span) : 0;
		bool		cut;
		size_t		keep = pk_utf8_prefix(bar->label, LABEL_CELLS, &cut);

		copybuf_puts(b, "<g><title>");
		pk_html(b, bar->label);
		copybuf_puts(b, ": ");
		pk_html(b, bar->value_text);
		copybuf_printf(b, "</title><text class=\"label\" x=\"%d\" y=\"%.1f\" "
					   "text-anchor=\"end\">", PK_SVG_LABEL, ty);
		pk_html_n(b, bar->label, keep);
		if (cut)
			copybuf_puts(b, "…");
		copybuf_puts(b, "</text>");
		if (has)
		{
			copybuf_printf(b, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
						   "height=\"%d\"/>", x0, y, w, BAR_H);
			if (c->rest && span - w > 0.05)
				copybuf_printf(b, "<rect class=\"rest\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
							   "height=\"%d\"/>", x0 + w, y, span - w, BAR_H);
		}
		copybuf_printf(b, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\">",
					   x0 + span + 6, ty);
		if (bar->value_text && *bar->value_text)
			pk_html_num(b, bar->value_text);
		else
			copybuf_puts(b, "–");
		copybuf_puts(b, "</text></g>\n");
	}

	/* Below the bars, its label under them: never over a bar. */
	if (ref)
	{
		double		x = x0 + pk_bar_width(c->ref, max, span);

		copybuf_printf(b, "<line class=\"ref\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>",
					   x, PK_SVG_TOP - 2, x, bottom);
		if (c->ref_label)
		{
			copybuf_printf(b, "<text class=\"reflabel\" x=\"%.1f\" y=\"%d\" "
						   "text-anchor=\"middle\">", x, height - 2);
			pk_html(b, c->ref_label);
			copybuf_puts(b, "</text>");
		}
		copybuf_putc(b, '\n');
	}
	copybuf_puts(b, "</svg>\n");
}
