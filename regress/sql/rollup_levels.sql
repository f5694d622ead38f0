-- Rollups equal the sum of their parts at every level: villages into tambons,
-- tambons into districts, districts into provinces, provinces into the country, and
-- LAOs into the country; and village rollups equal counting household by household.
SET client_min_messages = warning;
DROP EXTENSION bmn CASCADE;
CREATE EXTENSION bmn;
RESET client_min_messages;

-- 2 provinces x 2 districts x 2 tambons x 3 villages, 600 households, 2 LAOs per district
INSERT INTO bmn.area (area_code, level, name_th, parent_code)
SELECT code, bmn.area_level(code), 'x' || code, nullif(left(code, length(code) - 2), '')
  FROM (SELECT DISTINCT unnest(ARRAY[p, p || d, p || d || t, p || d || t || v]) AS code
          FROM unnest('{55,56}'::text[]) p, unnest('{01,02}'::text[]) d,
               unnest('{01,02}'::text[]) t, unnest('{01,02,03}'::text[]) v) c
 ORDER BY length(code), code;
SELECT bmn.create_round(2562) IS NOT NULL AS round_created;
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{x}', repeat('c', 64));

INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, lao_code,
    collector_id, interview_date, consent, income_main, income_secondary, income_other,
    income_own_production, ind_04, ind_24, ind_30)
SELECT 2562, 'H' || lpad(g::text, 4, '0'), 1, v.area_code,
       left(v.area_code, 4) || (g % 2)::text, 'V' || (g % 15), '2019-02-12', true,
       (g * 7919 % 90000), 0, 0, 0,
       g % 3 <> 0, g % 5 <> 0, CASE WHEN g % 7 = 0 THEN NULL ELSE g % 2 = 0 END
  FROM generate_series(1, 600) g
  JOIN (SELECT area_code, row_number() OVER (ORDER BY area_code) - 1 AS k
          FROM bmn.area WHERE level = 'village') v ON v.k = g % 24;
INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code, sex,
    birth_date, relation, nationality, education, in_school, literate, occupation, income,
    welfare_card)
SELECT 2562, h.household_id, n, 1, h.village_code, 1 + n % 2,
       date '2019-02-12' - ((substr(h.household_id, 2)::int * 37 + n * 4001) % 30000),
       CASE WHEN n = 1 THEN 1 ELSE 3 END, 'TH', n % 5, n % 2 = 0, n % 4 <> 0,
       (substr(h.household_id, 2)::int + n) % 8, ((substr(h.household_id, 2)::int * n) % 3) * 20000,
       n = 1 AND substr(h.household_id, 2)::int % 4 = 0
  FROM bmn.household h, generate_series(1, 1 + substr(h.household_id, 2)::int % 5) n;
SELECT bmn.refresh(2562) AS scored;

CREATE TEMP TABLE r AS SELECT * FROM bmn.indicator_rollup WHERE year = 2562;
-- pct_passed, computed in whole hundredths, is what numeric rounding gives
SELECT count(*) AS rows, count(*) FILTER (WHERE pct_passed IS DISTINCT FROM
         round(100.0 * households_passed / nullif(households_applicable, 0), 2)) AS pct_differs,
       count(DISTINCT pct_passed) > 10 AS pct_varies
  FROM r;
SELECT level, count(DISTINCT area_code) AS areas, count(*) AS rows FROM r
 GROUP BY level ORDER BY array_position('{village,tambon,lao,district,province,country}', level);

-- every parent equals the sum of its children (no row printed means none differs)
SELECT p.level, p.area_code, p.indicator
  FROM r p
  JOIN (SELECT c.level AS child_level, left(c.area_code, length(c.area_code) - 2) AS parent,
               c.indicator, sum(c.households_applicable) ha, sum(c.households_passed) hp,
               sum(c.persons_applicable) pa, sum(c.persons_passed) pp
          FROM r c WHERE c.level IN ('village', 'tambon', 'district')
         GROUP BY 1, 2, 3) s ON s.parent = p.area_code AND s.indicator = p.indicator
 WHERE (p.households_applicable, p.households_passed, p.persons_applicable, p.persons_passed)
       IS DISTINCT FROM (s.ha, s.hp, s.pa, s.pp);
SELECT c.level, c.indicator FROM r c
  JOIN (SELECT level, indicator, sum(households_applicable) ha, sum(households_passed) hp,
               sum(persons_applicable) pa, sum(persons_passed) pp
          FROM r WHERE level IN ('province', 'lao') GROUP BY 1, 2) s
    ON s.indicator = c.indicator AND c.level = 'country'
 WHERE (c.households_applicable, c.households_passed, c.persons_applicable, c.persons_passed)
       IS DISTINCT FROM (s.ha, s.hp, s.pa, s.pp);
-- every area rolled up misses no indicator its parent has
SELECT count(*) AS parent_rows_without_children FROM r p
 WHERE p.level IN ('tambon', 'district', 'province')
   AND NOT EXISTS (SELECT 1 FROM r c WHERE c.indicator = p.indicator
                     AND left(c.area_code, length(p.area_code)) = p.area_code
                     AND length(c.area_code) = length(p.area_code) + 2);
-- villages equal counting household by household
SELECT count(*) AS village_differences FROM (
  SELECT area_code, indicator, households_applicable, households_passed,
         persons_applicable, persons_passed FROM r WHERE level = 'village'
  EXCEPT
  SELECT village_code, indicator, count(*), count(*) FILTER (WHERE passed),
         sum(persons_applicable), sum(persons_passed)
    FROM bmn.household_indicator GROUP BY 1, 2) d;
SELECT indicator, households_applicable, households_passed, persons_applicable, persons_passed
  FROM r WHERE level = 'country' ORDER BY indicator;

-- A correction of one household: its village and every area above change, the
-- rest stays; the sums still hold.
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{y}', repeat('d', 64));
UPDATE bmn.household SET batch_id = 2, ind_04 = NOT ind_04 WHERE household_id = 'H0001';
UPDATE bmn.member SET batch_id = 2 WHERE household_id = 'H0001';
SELECT bmn.refresh(2562) AS rescored;
SELECT count(*) AS village_differences FROM (
  SELECT area_code, indicator, households_applicable, households_passed,
         persons_applicable, persons_passed FROM bmn.indicator_rollup WHERE level = 'village'
  EXCEPT
  SELECT village_code, indicator, count(*), count(*) FILTER (WHERE passed),
         sum(persons_applicable), sum(persons_passed)
    FROM bmn.household_indicator GROUP BY 1, 2) d;
SELECT level, area_code, households_passed - (SELECT households_passed FROM r
        WHERE r.level = x.level AND r.area_code = x.area_code AND r.indicator = 4) AS change_in_passed_4
  FROM bmn.indicator_rollup x WHERE indicator = 4
   AND level IN ('village', 'tambon', 'district', 'province', 'country')
   AND households_passed <> (SELECT households_passed FROM r
        WHERE r.level = x.level AND r.area_code = x.area_code AND r.indicator = 4)
 ORDER BY length(area_code) DESC;

-- the population and poverty reports add up the same way
SELECT count(*) AS population_differences FROM bmn.population_report c
  JOIN bmn.population_report p ON p.level = 'country'
 WHERE c.level = 'province'
 GROUP BY p.households, p.persons
HAVING sum(c.households) <> p.households OR sum(c.persons) <> p.persons;
SELECT level, sum(persons) AS persons, sum(poor) AS poor, sum(target_poor) AS target_poor
  FROM bmn.poverty_report GROUP BY level
 ORDER BY array_position('{village,tambon,lao,district,province,country}', level);
SELECT level, sum(households) AS households, sum(persons) AS persons
  FROM bmn.income_report GROUP BY level
 ORDER BY array_position('{village,tambon,lao,district,province,country}', level);

-- indicator_rollup (bmn.area_indicators, in C) gives what grouping the villages'
-- rollups in SQL gives: the aggregate bmn.rollup over every area of each village,
-- then bmn.rollup_indicators; row for row, for the round refreshed above.
CREATE TEMP VIEW rollup_as_sql AS
    WITH area AS (
        SELECT v.survey_year, a.level, a.area_code, bmn.rollup(v.rollup) AS r
          FROM bmn.village_rollup v,
               bmn.village_areas(v.village_code, nullif(v.lao_code, '')) a
         GROUP BY v.survey_year, a.level, a.area_code)
    SELECT a.survey_year AS year, a.area_code, a.level, i.indicator,
           i.indicator AS indicator_no, i.households_applicable, i.households_passed,
           i.households_applicable - i.households_passed AS households_failed,
           i.persons_applicable, i.persons_passed,
           i.persons_applicable - i.persons_passed AS persons_failed, i.pct_passed
      FROM area a, bmn.rollup_indicators(a.r) i;
SELECT (SELECT count(*) FROM (TABLE bmn.indicator_rollup EXCEPT ALL TABLE rollup_as_sql) d) AS only_in_view,
       (SELECT count(*) FROM (TABLE rollup_as_sql EXCEPT ALL TABLE bmn.indicator_rollup) d) AS only_in_sql,
       (SELECT count(*) FROM bmn.indicator_rollup) AS view_rows;

-- Villages as the runs of the C function meet them, on a second round's hand-made
-- rollups: one village in two LAOs (two rows, one village), one in none, codes
-- shorter than a tambon's, an indicator only persons apply to. Worked out by hand:
--   village 56010101 = 2/1 + 3/3 households on indicator 5 = 5/4 (80.00%)
--   tambon 560101 = 5/4 + 1/0 = 6/4 (66.67%), and district 5601 the same
--   village 5602 (4 characters) is its own tambon and district: 4/2 (50.00%)
--   LAO 56001 = 2/1 + 1/0 = 3/1 (33.33%), LAO 56002 = 3/3; 5602 has no LAO
--   province 56 and the country = 6/4 + 4/2 = 10/6 (60.00%)
--   indicator 20: persons only (4/1 + 2/2 = 6/3), pct_passed NULL
SELECT bmn.create_round(2563) IS NOT NULL AS second_round;
INSERT INTO bmn.village_rollup (survey_year, village_code, lao_code, rollup) VALUES
    (2563, '56010101', '56001', 'households=2 persons=6 5:2/1/0/0 20:0/0/4/1'),
    (2563, '56010101', '56002', 'households=3 persons=9 5:3/3/0/0'),
    (2563, '56010102', '56001', 'households=1 persons=2 5:1/0/0/0'),
    (2563, '5602', '', 'households=4 persons=8 5:4/2/0/0 20:0/0/2/2');
SELECT level, area_code, indicator, households_applicable, households_passed,
       households_failed, persons_applicable, persons_passed, persons_failed, pct_passed
  FROM bmn.indicator_rollup WHERE year = 2563
 ORDER BY array_position('{village,tambon,lao,district,province,country}', level),
          area_code, indicator;
-- the first round's rows are as they were, and both rounds agree with the SQL
SELECT (SELECT count(*) FROM (TABLE bmn.indicator_rollup EXCEPT ALL TABLE rollup_as_sql) d) AS only_in_view,
       (SELECT count(*) FROM (TABLE rollup_as_sql EXCEPT ALL TABLE bmn.indicator_rollup) d) AS only_in_sql,
       (SELECT count(*) FROM bmn.indicator_rollup WHERE year = 2562) AS first_round_rows;
-- Sums that would pass int64: ten thousand villages of one tambon (codes longer
-- than real ones), each at the largest count a stored rollup may hold, are an
-- error, in the view and in the aggregate alike, never counts wrapped around to
-- look valid.
INSERT INTO bmn.village_rollup (survey_year, village_code, lao_code, rollup)
SELECT 2563, '560101' || lpad(g::text, 5, '0'), '',
       'households=1000000000000000 persons=1000000000000000'
  FROM generate_series(1, 10000) g;
SELECT count(*) FROM bmn.indicator_rollup WHERE year = 2563;
SELECT bmn.rollup(rollup) IS NOT NULL FROM bmn.village_rollup WHERE survey_year = 2563;
