/*
 * checks_collector.c: the checks of a volunteer's work, over all the households
 * they collected in the round:
 *   COLLECTOR_DAILY_LOAD  more than collector_daily_max households on one day
 *   GPS_SAME_SPOT         gps_same_spot_count or more households within
 *                         gps_same_spot_m of one of them (geo.h's clusters)
 * One finding per collector and check, listing the days or the clusters, and the
 * households concerned (household_ids, which a correction's scope looks up). Its
 * village is that of most of those households.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"

#include "checks_spots.h"
#include "geo.h"

/* Records in collector, day, household order. */
#define ST_SORT sort_by_day
#define ST_ELEMENT_TYPE DayRank
#define ST_COMPARE(a, b) compare_day_rank((a), (b))
#define ST_SCOPE static
#define ST_DEFINE

/* A collector's households by day, in household order within a day. */
typedef struct DayRank
{
	int32		date;
	int			rank;			/* place in household order */
	int			rec;
} DayRank;

static inline int
compare_day_rank(const DayRank *x, const DayRank *y)
{
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

#include "lib/sort_template.h"

static int
compare_ids(const void *a, const void *b, void *arg)
{
	const SpotSet *s = arg;

	return strcmp(s->rec[*(const int *) a].household_id,
				  s->rec[*(const int *) b].household_id);
}

static void
append_ids(StringInfo buf, const SpotSet *s, int *idx, int n)
{
	qsort_arg(idx, n, sizeof(int), compare_ids, (void *) s);
	appendStringInfoChar(buf, '[');
	for (int i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoString(buf, ", ");
		append_json_string(buf, s->rec[idx[i]].household_id,
						   (int) strlen(s->rec[idx[i]].household_id));
	}
	appendStringInfoChar(buf, ']');
}

static void
add_finding(Refresh *r, BmnCheckCode check, int collector, int *idx, int n,
			const char *details)
{
	SpotSet    *s = r->spots;
	MemoryContext old = MemoryContextSwitchTo(r->findings.cxt);
	int			lao;
	int			village = spots_majority_village(s, idx, n, &lao);

	findings_add(r, check, "collector", cstring_text_datum(psprintf("%08d", village)),
				 lao >= 0 ? cstring_text_datum(s->laos.names[lao]) : (Datum) 0,
				 (Datum) 0, 0, cstring_text_datum(s->collectors.names[collector]), details);
	MemoryContextSwitchTo(old);
}

static void
date_string(int32 date, char *out)
{
	int			y,
				m,
				d;

	j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

/* The days of one collector's records (sorted by day) with more than the maximum. */
static void
daily_load(Refresh *r, const int *group, int n, int collector, int *scratch)
{
	SpotSet    *s = r->spots;
	StringInfoData buf;
	int			concerned = 0;
	bool		fires = false;

	/* most collectors keep to the maximum: their days are only counted */
	for (int a = 0, b; a < n && !fires; a = b)
	{
		for (b = a; b < n && s->rec[group[b]].date == s->rec[group[a]].date; b++)
			;
		fires = b - a > r->collector_daily_max;
	}
	if (!fires)
		return;
	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"maximum\": %d, \"days\": [", r->collector_daily_max);
	for (int a = 0; a < n;)
	{
		int			b = a;

		while (b < n && s->rec[group[b]].date == s->rec[group[a]].date)
			b++;
		if (b - a > r->collector_daily_max)
		{
			char		day[16];

			date_string(s->rec[group[a]].date, day);
			appendStringInfo(&buf, "%s{\"date\": \"%s\", \"households\": %d}",
							 concerned > 0 ? ", " : "", day, b - a);
			for (int i = a; i < b; i++)
				scratch[concerned++] = group[i];
		}
		a = b;
	}
	appendStringInfoString(&buf, "], \"household_ids\": ");
	append_ids(&buf, s, scratch, concerned);
	appendStringInfoChar(&buf, '}');
	add_finding(r, BMN_CHECK_COLLECTOR_DAILY_LOAD, collector, scratch, concerned, buf.data);
	pfree(buf.data);
}

static void
same_spot(Refresh *r, const int *group, int n, int collector, int *scratch)
{
	SpotSet    *s = r->spots;
	BmnPoint   *points = palloc(sizeof(BmnPoint) * n);
	int		   *point_rec = palloc(sizeof(int) * n);
	int		   *cluster = palloc(sizeof(int) * n);
	BmnSpotWork *work = palloc(sizeof(BmnSpotWork) * n);
	int			k = 0,
				clusters,
				concerned = 0;
	StringInfoData buf;

	for (int i = 0; i < n; i++)
		if (s->rec[group[i]].has_position)
		{
			points[k].lat = s->rec[group[i]].lat;
			points[k].lon = s->rec[group[i]].lon;
			point_rec[k++] = group[i];
		}
	clusters = k >= r->gps_same_spot_count ?
		bmn_same_spot_clusters(points, k, r->gps_same_spot_m, r->gps_same_spot_count,
							   cluster, work) : 0;
	if (clusters > 0)
	{
		int		   *members = palloc(sizeof(int) * k);

		initStringInfo(&buf);
		appendStringInfo(&buf, "{\"radius_m\": %g, \"minimum\": %d, \"clusters\": [",
						 r->gps_same_spot_m, r->gps_same_spot_count);
		for (int c = 0; c < clusters; c++)
		{
			int			m = 0;

			for (int i = 0; i < k; i++)
				if (cluster[i] == c)
				{
					members[m++] = point_rec[i];
					scratch[concerned++] = point_rec[i];
				}
			if (c > 0)
				appendStringInfoString(&buf, ", ");
			append_ids(&buf, s, members, m);
		}
		appendStringInfoString(&buf, "], \"household_ids\": ");
		append_ids(&buf, s, scratch, concerned);
		appendStringInfoChar(&buf, '}');
		add_finding(r, BMN_CHECK_GPS_SAME_SPOT, collector, scratch, concerned, buf.data);
		pfree(members);
		pfree(buf.data);
	}
	pfree(points);
	pfree(point_rec);
	pfree(cluster);
	pfree(work);
}

static int
collector_key(const SpotRecord *rec)
{
	return rec->collector;
}

void
check_collectors(Refresh *r)
{
	SpotSet    *s = r->spots;
	int		   *order;
	int		   *scratch;
	int		   *rank;
	DayRank    *days;

	if (s->n == 0)
		return;
	rank = palloc_extended(sizeof(int) * s->n, MCXT_ALLOC_HUGE);
	scratch = palloc_extended(sizeof(int) * s->n, MCXT_ALLOC_HUGE);
	days = palloc_extended(sizeof(DayRank) * s->n, MCXT_ALLOC_HUGE);
	/* by collector (in the order they were first met), by day, in household order */
	order = spots_group(s, collector_key, s->collectors.n, rank);
	for (int64 a = 0; a < s->n;)
	{
		int64		b = a;
		int			collector = s->rec[order[a]].collector;

		while (b < s->n && s->rec[order[b]].collector == collector)
			b++;
		CHECK_FOR_INTERRUPTS();
		for (int64 i = a; i < b; i++)
		{
			days[i - a].date = s->rec[order[i]].date;
			days[i - a].rank = rank[order[i]];
			days[i - a].rec = order[i];
		}
		sort_by_day(days, b - a);
		for (int64 i = a; i < b; i++)
			order[i] = days[i - a].rec;
		daily_load(r, order + a, (int) (b - a), collector, scratch);
		same_spot(r, order + a, (int) (b - a), collector, scratch);
		a = b;
	}
	pfree(order);
	pfree(scratch);
	pfree(rank);
	pfree(days);
}
