-- bmn.age_years: completed years, the birthday itself counting
SELECT b, o, bmn.age_years(b::date, o::date)
  FROM (VALUES ('2013-02-12', '2019-02-12'), ('2013-02-12', '2019-02-11'),
               ('2012-02-29', '2019-02-28'), ('2012-02-29', '2019-03-01'),
               ('2019-02-13', '2019-02-12'), ('1900-01-01', '2019-12-31')) v(b, o);
SELECT bmn.age_years('infinity', '2019-01-01') IS NULL AS infinite_has_no_age;
