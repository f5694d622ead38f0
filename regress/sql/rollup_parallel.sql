-- The rollup aggregate runs in parallel (partial aggregates combined, their states
-- serialized between processes) and gives the same counts as a serial plan.
CREATE TABLE scores AS
SELECT g AS id, (g % 7)::text AS area,
       format('persons=%s thai=%s applicable=4,16,22 passed=%s members=16:%s/%s',
              2 + g % 5, 2 + g % 5,
              CASE WHEN g % 3 = 0 THEN '4,16,22' WHEN g % 3 = 1 THEN '4' ELSE '-' END,
              g % 2 + 1, CASE WHEN g % 3 = 0 THEN g % 2 + 1 ELSE 0 END)::bmn.score AS score
  FROM generate_series(1, 30000) g;
ANALYZE scores;

SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
EXPLAIN (COSTS OFF) SELECT bmn.rollup(score) FROM scores;
EXPLAIN (COSTS OFF) SELECT area, bmn.rollup(score) FROM scores GROUP BY area;

CREATE TEMP TABLE parallel_result AS SELECT bmn.rollup(score)::text AS r FROM scores;
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_result AS SELECT bmn.rollup(score)::text AS r FROM scores;
SELECT p.r = s.r AS same, s.r FROM parallel_result p, serial_result s;

-- by hand: 30000 households; indicator 4 passes when g % 3 in (0, 1): 20000;
-- 16 and 22 pass when g % 3 = 0: 10000
SELECT * FROM bmn.rollup_indicators((SELECT bmn.rollup(score) FROM scores));
-- and the same as counting household by household in plain SQL
SELECT count(*) AS differences FROM (
  (SELECT * FROM bmn.rollup_indicators((SELECT bmn.rollup(score) FROM scores))
   EXCEPT
   SELECT indicator, count(*), count(*) FILTER (WHERE passed),
          sum(persons_applicable), sum(persons_passed),
          round(100.0 * count(*) FILTER (WHERE passed) / count(*), 2)
     FROM scores, bmn.score_indicators(score) GROUP BY indicator)
  UNION ALL
  (SELECT indicator, count(*), count(*) FILTER (WHERE passed),
          sum(persons_applicable), sum(persons_passed),
          round(100.0 * count(*) FILTER (WHERE passed) / count(*), 2)
     FROM scores, bmn.score_indicators(score) GROUP BY indicator
   EXCEPT
   SELECT * FROM bmn.rollup_indicators((SELECT bmn.rollup(score) FROM scores)))) d;

-- pct_passed at a half hundredth rounds up, as numeric round() does: indicator 16
-- passes in 1 of these 160 households (0.625 %), in 53 of the first 160 (33.125 %)
SELECT indicator, households_applicable, households_passed, pct_passed,
       round(100.0 * households_passed / households_applicable, 2) AS by_numeric
  FROM bmn.rollup_indicators((SELECT bmn.rollup(score) FROM scores
                               WHERE id % 3 <> 0 AND id < 239 OR id = 3))
 WHERE indicator = 16
UNION ALL
SELECT indicator, households_applicable, households_passed, pct_passed,
       round(100.0 * households_passed / households_applicable, 2)
  FROM bmn.rollup_indicators((SELECT bmn.rollup(score) FROM scores WHERE id <= 160))
 WHERE indicator = 16;

-- counts at the top of what a rollup may hold (10^15): pct_passed still right
SELECT indicator, pct_passed,
       round(100.0 * households_passed / households_applicable, 2) AS by_numeric
  FROM bmn.rollup_indicators('households=1000000000000000 persons=1000000000000000 4:1000000000000000/333333333333333/1000000000000000/1 5:999999999999999/999999999999999/0/0'::bmn.rollup);

-- rolling rollups up again gives the same totals as rolling the scores at once
SELECT (SELECT bmn.rollup(r) FROM (SELECT bmn.rollup(score) AS r FROM scores GROUP BY area) x)::text
     = (SELECT bmn.rollup(score) FROM scores)::text AS merge_matches;

-- an empty input is zero households, not NULL
SELECT bmn.rollup(score) FROM scores WHERE false;

-- bmn.rollup text input is validated
SELECT 'households=2 persons=3 22:2/1/3/1'::bmn.rollup;
SELECT 'households=1 persons=3 22:2/1/3/1'::bmn.rollup;
SELECT 'households=2 persons=3 22:2/3/3/1'::bmn.rollup;
SELECT 'households=2 persons=3 65:1/1/1/1'::bmn.rollup;
SELECT 'households=2 persons=3 22:1/1/1/1 4:1/1/1/1'::bmn.rollup;
SELECT 'households=99999999999999999999 persons=3'::bmn.rollup;
SELECT 'garbage'::bmn.rollup;
