/*
 * geo.h: distances between GPS positions, medians, and clusters of positions, for
 * the GPS checks. Pure functions: no I/O, no allocation (callers give scratch).
 *
 * Distances are great-circle (haversine, on a sphere of radius 6,371 km) and are
 * compared in whole millimetres, so that two points exactly at a threshold are
 * judged the same way whatever the last bits of their doubles.
 */
#ifndef BMN_GEO_H
#define BMN_GEO_H

#include <stdbool.h>
#include <stdint.h>

#define BMN_EARTH_RADIUS_M 6371000.0

typedef struct BmnPoint
{
	double		lat;			/* degrees */
	double		lon;
} BmnPoint;

/* Great-circle distance in metres. */
double		bmn_haversine_m(BmnPoint a, BmnPoint b);

/* The same, rounded to whole millimetres. */
int64_t		bmn_distance_mm(BmnPoint a, BmnPoint b);

/* The median of v[0..n-1] (the mean of the middle two when n is even); sorts v. n > 0. */
double		bmn_median(double *v, int n);
bool		bmn_surely_within_m(BmnPoint a, BmnPoint b, double radius_m);

/* Scratch for bmn_same_spot_clusters: one per point. */
typedef struct BmnSpotWork
{
	double		lat;
	int			index;
	int			neighbours;
	int			parent;
} BmnSpotWork;

/*
 * Clusters of points: a point with at least min_count - 1 others closer than
 * radius_m (so min_count points within the radius of it, itself included) forms a
 * cluster with them; clusters that share a point are one. cluster[i] gets the
 * cluster number of point i (0, 1, ... in the order of their first point) or -1.
 * Returns the number of clusters.
 */
int			bmn_same_spot_clusters(const BmnPoint *points, int n, double radius_m,
								   int min_count, int *cluster, BmnSpotWork *work);

#endif
