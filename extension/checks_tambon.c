/*
 * checks_tambon.c: GPS_OUT_OF_AREA's second part: a household more than
 * gps_max_km from the median position of its tambon's households (the median of
 * their latitudes and of their longitudes, over the positions inside Thailand's
 * box; the ones outside it are that check's first part, in the scan).
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"

#include "checks_spots.h"
#include "geo.h"

/* The tambon of a record: its 8-digit village's first 6 digits (0: no village). */
static int
tambon_key(const SpotRecord *rec)
{
	return rec->village > 0 && rec->village < 100000000 ? rec->village / 100 : 0;
}

static void
tambon(Refresh *r, const int *group, int n, double *lats, double *lons)
{
	SpotSet    *s = r->spots;
	int			k = 0;
	BmnPoint	median;
	int64		max_mm = (int64) llround(r->gps_max_km * 1e6);

	for (int i = 0; i < n; i++)
		if (s->rec[group[i]].in_box)
		{
			lats[k] = s->rec[group[i]].lat;
			lons[k++] = s->rec[group[i]].lon;
		}
	if (k == 0)
		return;
	median.lat = bmn_median(lats, k);
	median.lon = bmn_median(lons, k);
	for (int i = 0; i < n; i++)
	{
		const SpotRecord *rec = &s->rec[group[i]];
		BmnPoint	p = {rec->lat, rec->lon};
		int64		mm;
		MemoryContext old;

		if (!rec->in_box || bmn_surely_within_m(p, median, r->gps_max_km * 1000.0 * 0.99))
			continue;
		mm = bmn_distance_mm(p, median);
		if (mm <= max_mm)
			continue;
		old = MemoryContextSwitchTo(r->findings.cxt);
		findings_add(r, BMN_CHECK_GPS_OUT_OF_AREA, "household",
					 cstring_text_datum(psprintf("%08d", rec->village)),
					 rec->lao >= 0 ? cstring_text_datum(s->laos.names[rec->lao]) : (Datum) 0,
					 cstring_text_datum(rec->household_id), 0,
					 cstring_text_datum(s->collectors.names[rec->collector]),
					 psprintf("{\"reason\": \"far_from_tambon\", \"distance_km\": %.3f,"
							  " \"maximum_km\": %g, \"tambon_code\": \"%06d\"}",
							  mm / 1e6, r->gps_max_km, rec->village / 100));
		MemoryContextSwitchTo(old);
	}
}

void
check_tambon_distance(Refresh *r)
{
	SpotSet    *s = r->spots;
	int		   *order;
	double	   *lats,
			   *lons;
	int			max_tambon = 0;

	if (s->n == 0)
		return;
	for (int64 i = 0; i < s->n; i++)
		max_tambon = Max(max_tambon, tambon_key(&s->rec[i]));
	lats = palloc_extended(sizeof(double) * s->n, MCXT_ALLOC_HUGE);
	lons = palloc_extended(sizeof(double) * s->n, MCXT_ALLOC_HUGE);
	order = spots_group(s, tambon_key, max_tambon + 1, NULL);
	for (int64 a = 0; a < s->n;)
	{
		int64		b = a;
		int			t = tambon_key(&s->rec[order[a]]);

		while (b < s->n && tambon_key(&s->rec[order[b]]) == t)
			b++;
		CHECK_FOR_INTERRUPTS();
		tambon(r, order + a, (int) (b - a), lats, lons);
		a = b;
	}
	pfree(order);
	pfree(lats);
	pfree(lons);
}
