-- A whole round refreshed with parallel workers gives what one process gives:
-- every score, finding with its details, and village count (the program test
-- refresh_parallel also checks that workers were used; here the workers run under
-- make valgrind too).
SET client_min_messages = warning;
DROP EXTENSION bmn CASCADE;
CREATE EXTENSION bmn;
RESET client_min_messages;

-- 2 districts x 3 tambons x 4 villages, 3000 households of 1 to 6 members
INSERT INTO bmn.area (area_code, level, name_th, parent_code)
SELECT code, bmn.area_level(code), 'x' || code, nullif(left(code, length(code) - 2), '')
  FROM (SELECT DISTINCT unnest(ARRAY['55', '55' || d, '55' || d || t, '55' || d || t || v]) AS code
          FROM unnest('{01,02}'::text[]) d, unnest('{01,02,03}'::text[]) t,
               unnest('{01,02,03,04}'::text[]) v) c
 ORDER BY length(code), code;
SELECT bmn.create_round(2562) IS NOT NULL AS round_created;
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{x}', repeat('d', 64));

INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, lao_code,
    collector_id, interview_date, interview_start, interview_end, latitude, longitude,
    consent, income_main, income_secondary, income_other, income_own_production,
    ind_04, ind_24, ind_30)
SELECT 2562, 'H' || lpad(g::text, 5, '0'), 1, v.area_code, left(v.area_code, 4) || (g % 2)::text,
       'V' || (g % 40), date '2019-02-01' + g % 9,
       timestamp '2019-02-01 09:00' + (g % 9) * interval '1 day',
       timestamp '2019-02-01 09:00' + (g % 9) * interval '1 day' + (g % 40) * interval '1 minute',
       18.7 + (g % 24) * 0.01 + CASE WHEN g % 97 = 0 THEN 0.5 ELSE (g % 13) * 0.00003 END,
       100.7 + (g % 24) * 0.01 + (g % 11) * 0.00003,
       g % 50 <> 0, (g * 7919 % 90000) * (g % 17 <> 0)::int, 0, 0, 0,
       g % 3 <> 0, g % 5 <> 0, CASE WHEN g % 7 = 0 THEN NULL ELSE g % 2 = 0 END
  FROM generate_series(1, 3000) g
  JOIN (SELECT area_code, row_number() OVER (ORDER BY area_code) - 1 AS k
          FROM bmn.area WHERE level = 'village') v ON v.k = g % 24;
INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code, sex,
    birth_date, relation, nationality, national_id, education, in_school, literate,
    occupation, income, welfare_card)
SELECT 2562, h.household_id, n, 1, h.village_code, 1 + n % 2,
       date '2019-02-12' - ((substr(h.household_id, 2)::int * 37 + n * 4001) % 33000),
       CASE WHEN n = 1 THEN 1 ELSE 3 END, CASE WHEN n = 4 THEN 'MM' ELSE 'TH' END,
       -- some IDs repeat across households
       lpad(((substr(h.household_id, 2)::int * 10 + n) % 29000 + 1100000000000)::text, 13, '0'),
       n % 5, n % 2 = 0, n % 4 <> 0,
       (substr(h.household_id, 2)::int + n) % 8, ((substr(h.household_id, 2)::int * n) % 3) * 20000,
       n = 1 AND substr(h.household_id, 2)::int % 4 = 0
  FROM bmn.household h, generate_series(1, 1 + substr(h.household_id, 2)::int % 6) n;
ANALYZE bmn.household, bmn.member;

-- everything a refresh writes, as one digest (finding ids aside)
CREATE FUNCTION pg_temp.refreshed() RETURNS text LANGUAGE sql AS $$
  SELECT md5(concat_ws(' ',
    (SELECT string_agg(concat_ws('|', household_id, village_code, lao_code, score::text,
                                 spot_key, ids_key), ',' ORDER BY household_id)
       FROM bmn.household_score),
    (SELECT string_agg(x, ',' ORDER BY x) FROM (
       SELECT concat_ws('|', check_code, entity, village_code, household_id, member_no,
                        collector_id, details::text) AS x FROM bmn.finding) f),
    (SELECT string_agg(concat_ws('|', village_code, lao_code, rollup::text), ','
                       ORDER BY village_code, lao_code) FROM bmn.village_rollup)))
$$;

SET bmn.refresh_parallel_min_households = 2000000000;
SELECT bmn.refresh(2562) AS scored_alone;
CREATE TEMP TABLE alone AS
SELECT pg_temp.refreshed() AS digest,
       (SELECT count(*) FROM bmn.finding) AS findings,
       (SELECT count(DISTINCT check_code) FROM bmn.finding) AS checks;
SELECT findings > 1000 AS many_findings, checks >= 8 AS many_checks FROM alone;

UPDATE bmn.batch SET refreshed_at = NULL;
SET bmn.refresh_parallel_min_households = 0;
SET max_parallel_maintenance_workers = 2;
SELECT bmn.refresh(2562) AS scored_in_parts;
SELECT pg_temp.refreshed() = digest AS same_as_alone FROM alone;

-- no worker to be had: the caller goes through the parts itself
UPDATE bmn.batch SET refreshed_at = NULL;
SET max_parallel_workers = 0;
SELECT bmn.refresh(2562) AS scored_in_parts_alone;
SELECT pg_temp.refreshed() = digest AS same_as_alone FROM alone;
RESET max_parallel_workers;
RESET max_parallel_maintenance_workers;
RESET bmn.refresh_parallel_min_households;
