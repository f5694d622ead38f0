/*
 * geo.c: distances, medians and clusters of positions (see geo.h).
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "geo.h"

#define DEG_TO_RAD (3.14159265358979323846 / 180.0)

double
bmn_haversine_m(BmnPoint a, BmnPoint b)
{
	double		dlat = (b.lat - a.lat) * DEG_TO_RAD;
	double		dlon = (b.lon - a.lon) * DEG_TO_RAD;
	double		s1 = sin(dlat / 2);
	double		s2 = sin(dlon / 2);
	double		h = s1 * s1 + cos(a.lat * DEG_TO_RAD) * cos(b.lat * DEG_TO_RAD) * s2 * s2;

	if (h > 1.0)
		h = 1.0;
	return 2.0 * BMN_EARTH_RADIUS_M * asin(sqrt(h));
}

int64_t
bmn_distance_mm(BmnPoint a, BmnPoint b)
{
	return (int64_t) llround(bmn_haversine_m(a, b) * 1000.0);
}

/*
 * Whether a and b are surely less than radius_m apart, without trigonometry:
 * the haversine distance is at most R D / sqrt(1 - D^2 / 4), D the flat distance
 * in radians with longitude unscaled (sin x <= x, cos <= 1, asin x <= x / sqrt(1 -
 * x^2)). False near the edge, where the haversine itself must decide.
 */
bool
bmn_surely_within_m(BmnPoint a, BmnPoint b, double radius_m)
{
	double		dlat = (b.lat - a.lat) * DEG_TO_RAD;
	double		dlon = (b.lon - a.lon) * DEG_TO_RAD;
	double		d2 = dlat * dlat + dlon * dlon;

	/* within 0.1 radian the bound's factor is below 1.002: a 1% margin covers it */
	return d2 < 0.01 && BMN_EARTH_RADIUS_M * BMN_EARTH_RADIUS_M * d2 * 1.0201 < radius_m * radius_m;
}

/*
 * The k-th smallest of v[0 .. n-1] (Hoare's selection, the middle of three as
 * pivot): afterwards v[k] is in its sorted place, with nothing larger before it.
 * Linear on the whole, where sorting a tambon's positions was n log n.
 */
static double
select_kth(double *v, int n, int k)
{
	int			lo = 0,
				hi = n - 1;

	while (lo < hi)
	{
		double		a = v[lo],
					b = v[lo + (hi - lo) / 2],
					c = v[hi];
		double		pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		int			i = lo,
					j = hi;

		while (i <= j)
		{
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j)
			{
				double		t = v[i];

				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}

/* v is reordered; no NaN in it. */
double
bmn_median(double *v, int n)
{
	double		upper = select_kth(v, n, n / 2);
	double		lower;

	if (n % 2 == 1)
		return upper;
	lower = v[0];
	for (int i = 1; i < n / 2; i++)
		if (v[i] > lower)
			lower = v[i];
	return (lower + upper) / 2.0;
}

static inline bool
work_less(const BmnSpotWork *a, const BmnSpotWork *b)
{
	return a->lat < b->lat || (a->lat == b->lat && a->index < b->index);
}

static inline void
work_swap(BmnSpotWork *a, BmnSpotWork *b)
{
	BmnSpotWork t = *a;

	*a = *b;
	*b = t;
}

/*
 * Points by latitude (then index, so the order is total): quicksort in place,
 * insertion sort for short runs. A collector's few dozen points were sorted by
 * the C library's qsort, which allocates on every call.
 */
static void
sort_work(BmnSpotWork *w, int n)
{
	while (n > 16)
	{
		BmnSpotWork *mid = &w[n / 2],
				   *last = &w[n - 1];
		BmnSpotWork pivot;
		int			i = 0,
					j = n - 1;

		/* the middle of three as pivot */
		if (work_less(mid, w))
			work_swap(mid, w);
		if (work_less(last, mid))
		{
			work_swap(last, mid);
			if (work_less(mid, w))
				work_swap(mid, w);
		}
		pivot = *mid;
		while (i <= j)
		{
			while (work_less(&w[i], &pivot))
				i++;
			while (work_less(&pivot, &w[j]))
				j--;
			if (i <= j)
				work_swap(&w[i++], &w[j--]);
		}
		/* the smaller side first, by recursion; the larger by the loop */
		if (j + 1 < n - i)
		{
			sort_work(w, j + 1);
			w += i;
			n -= i;
		}
		else
		{
			sort_work(w + i, n - i);
			n = j + 1;
		}
	}
	for (int i = 1; i < n; i++)
	{
		BmnSpotWork x = w[i];
		int			k = i;

		for (; k > 0 && work_less(&x, &w[k - 1]); k--)
			w[k] = w[k - 1];
		w[k] = x;
	}
}

static int
find(BmnSpotWork *w, int k)
{
	while (w[k].parent != k)
	{
		w[k].parent = w[w[k].parent].parent;
		k = w[k].parent;
	}
	return k;
}

static void
join(BmnSpotWork *w, int a, int b)
{
	if (w[a].parent < 0)
		w[a].parent = a;
	if (w[b].parent < 0)
		w[b].parent = b;
	a = find(w, a);
	b = find(w, b);
	if (a != b)
		w[a > b ? a : b].parent = a < b ? a : b;
}

static bool
is_centre(const BmnSpotWork *w, int min_count)
{
	return w->neighbours + 1 >= min_count;
}

/*
 * Visit every pair of points (in work order) closer than the radius: first to
 * count each point's neighbours, then to join each centre with its neighbours.
 * Points are sorted by latitude, and a latitude gap alone already puts two points
 * at least R * gap apart, which ends the inner loop.
 */
static void
close_pairs(const BmnPoint *points, int n, BmnSpotWork *work, double radius_m,
			int64_t radius_mm, int min_count, bool joining)
{
	for (int a = 0; a < n; a++)
	{
		BmnPoint	pa = points[work[a].index];

		for (int b = a + 1; b < n; b++)
		{
			if ((work[b].lat - work[a].lat) * DEG_TO_RAD * BMN_EARTH_RADIUS_M >= radius_m)
				break;
			if (bmn_distance_mm(pa, points[work[b].index]) >= radius_mm)
				continue;
			if (!joining)
			{
				work[a].neighbours++;
				work[b].neighbours++;
			}
			else if (is_centre(&work[a], min_count) || is_centre(&work[b], min_count))
				join(work, a, b);
		}
	}
}

int
bmn_same_spot_clusters(const BmnPoint *points, int n, double radius_m, int min_count,
					   int *cluster, BmnSpotWork *work)
{
	int64_t		radius_mm = (int64_t) llround(radius_m * 1000.0);
	int			clusters = 0;

	for (int i = 0; i < n; i++)
	{
		work[i].lat = points[i].lat;
		work[i].index = i;
		work[i].neighbours = 0;
		work[i].parent = -1;
	}
	sort_work(work, n);
	close_pairs(points, n, work, radius_m, radius_mm, min_count, false);
	close_pairs(points, n, work, radius_m, radius_mm, min_count, true);
	/* a lone point can be a centre only when min_count <= 1 */
	for (int k = 0; k < n; k++)
		if (is_centre(&work[k], min_count) && work[k].parent < 0)
			work[k].parent = k;

	/* number the clusters in the order of their first point */
	for (int k = 0; k < n; k++)
	{
		cluster[work[k].index] = k;
		work[k].neighbours = -1;
	}
	for (int i = 0; i < n; i++)
	{
		int			k = cluster[i];
		int			root;

		if (work[k].parent < 0)
		{
			cluster[i] = -1;
			continue;
		}
		root = find(work, k);
		if (work[root].neighbours < 0)
			work[root].neighbours = clusters++;
		cluster[i] = work[root].neighbours;
	}
	return clusters;
}
