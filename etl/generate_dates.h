/*
 * generate_dates.h: the calendar arithmetic of `bmn generate`. Dates are counted in
 * days since 1970-01-01 (CE, proleptic Gregorian); years printed are Buddhist Era.
 */
#ifndef GENERATE_DATES_H
#define GENERATE_DATES_H

#include <stdbool.h>

#define GEN_BE_OFFSET 543

typedef struct
{
	int			year;			/* CE */
	int			month;			/* 1..12 */
	int			day;			/* 1..31 */
} gen_date;

int			gen_days_from_civil(int year, int month, int day);
gen_date	gen_civil_from_days(int days);
int			gen_days_in_month(int year, int month);

/* Completed years between birth and on (both real dates). */
int			gen_age_at(gen_date birth, gen_date on);

/*
 * A birth date for someone aged exactly age (completed years) on the date on, with a
 * day of year taken from pick (0 <= pick < 1). When day_unknown, the day is the 1st;
 * when month_unknown, the date is 1 July: the dates the loader assumes for 00 (formats.md),
 * so the age the database computes is the age drawn here.
 */
gen_date	gen_birth_for_age(int age, gen_date on, double pick,
							  bool day_unknown, bool month_unknown);

/*
 * Writes DD/MM/YYYY with the BE year into out[11]; day/month written as 00 when
 * unknown.
 */
void		gen_format_date_be(char *out, gen_date d, bool day_unknown, bool month_unknown);

#endif
