-- Indicator 22 (income_avg) of the 2017-2021 set, the checks INCOME_ZERO, INCOME_LOW
-- and INCOME_HIGH, bmn.refresh (full, then incremental) and indicator_rollup, on
-- hand-made households whose answers were worked out by hand:
--   H1 55010101  3 members, income 114,000      avg 38,000       passes (exactly at the threshold)
--   H2 55010101  2 members, income 75,999.98    avg 37,999.99    fails, INCOME_LOW
--   H3 55010102  1 member,  income 0            avg 0            fails, INCOME_ZERO
--   H4 55020101  1 member,  income 1,000,000    avg 1,000,000    passes, not INCOME_HIGH (not above)
--   H5 55020101  2 members, income 2,000,002    avg 1,000,001    passes, INCOME_HIGH
--   H6 55020101  no members                                      not applicable, no check
-- a clean extension: tests share one database
SET client_min_messages = warning;
DROP EXTENSION bmn CASCADE;
CREATE EXTENSION bmn;
RESET client_min_messages;
INSERT INTO bmn.area (area_code, level, name_th, name_en, parent_code) VALUES
  ('55', 'province', 'น่าน', 'Nan', NULL),
  ('5501', 'district', 'เมืองน่าน', 'Mueang Nan', '55'),
  ('550101', 'tambon', 'ในเวียง', 'Nai Wiang', '5501'),
  ('55010101', 'village', 'บ้านหนึ่ง', NULL, '550101'),
  ('55010102', 'village', 'บ้านสอง', NULL, '550101'),
  ('5502', 'district', 'แม่จริม', 'Mae Charim', '55'),
  ('550201', 'tambon', 'ระวะ', 'Rawa', '5502'),
  ('55020101', 'village', 'บ้านสาม', NULL, '550201');
SELECT survey_year, set_code, settings->>'income_threshold' AS threshold,
       settings->>'income_high' AS high
  FROM bmn.create_round(2562);

INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{households.csv,members.csv}', repeat('a', 64));

CREATE TEMP TABLE hh_in (household_id text, village_code text, lao_code text, income numeric);
INSERT INTO hh_in VALUES
  ('H1', '55010101', '6550101', 114000), ('H2', '55010101', '6550101', 75999.98),
  ('H3', '55010102', '6550101', 0), ('H4', '55020101', '6550201', 1000000),
  ('H5', '55020101', '6550201', 2000002), ('H6', '55020101', '6550201', 50000);
INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, lao_code,
    collector_id, interview_date, consent, income_main, income_secondary, income_other,
    income_own_production)
SELECT 2562, household_id, 1, village_code, lao_code, 'V1', '2019-02-12', true,
       round(income / 2, 2), income - round(income / 2, 2), 0, 0
  FROM hh_in;
-- the four sources add up to the totals above
SELECT household_id, income_main + income_secondary + income_other + income_own_production AS total
  FROM bmn.household ORDER BY household_id;

INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code, sex,
    birth_date, relation, nationality, education, in_school, occupation)
SELECT 2562, h, n, 1, v, 1, '1980-01-01', CASE WHEN n = 1 THEN 1 ELSE 3 END, 'TH', 2, false, 2
  FROM (VALUES ('H1', '55010101', 3), ('H2', '55010101', 2), ('H3', '55010102', 1),
               ('H4', '55020101', 1), ('H5', '55020101', 2)) x(h, v, k),
       generate_series(1, k) n;

SELECT bmn.refresh(2562) AS scored;
SELECT household_id, bmn.score_passed(score, 22) AS passed_22
  FROM bmn.household_score ORDER BY household_id;
SELECT check_code, household_id, details FROM bmn.anomalies ORDER BY household_id, check_code;
SELECT level, area_code, households_applicable, households_passed, households_failed,
       persons_applicable, persons_passed, pct_passed
  FROM bmn.indicator_rollup WHERE indicator = 22
 ORDER BY array_position('{village,tambon,lao,district,province,country}', level), area_code;
-- household_indicator lists what applies
SELECT household_id, indicator, applicable, passed FROM bmn.household_indicator
 WHERE indicator = 22 ORDER BY household_id, indicator;

-- Nothing loaded since: a refresh does nothing.
SELECT bmn.refresh(2562) AS scored_again;

-- A correction batch resends H2 with 76,000 (avg 38,000: passes now). Only H2 is
-- scored again; its INCOME_LOW finding goes; the rollups follow.
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{fix.csv}', repeat('b', 64));
UPDATE bmn.household SET batch_id = 2, income_main = 76000, income_secondary = 0,
       income_other = 0, income_own_production = 0
 WHERE household_id = 'H2';
UPDATE bmn.member SET batch_id = 2 WHERE household_id = 'H2';
SELECT bmn.refresh(2562) AS rescored;
SELECT household_id, batch_id, bmn.score_passed(score, 22) AS passed_22
  FROM bmn.household_score ORDER BY household_id;
SELECT check_code, household_id FROM bmn.anomalies ORDER BY household_id, check_code;
SELECT level, area_code, households_applicable, households_passed
  FROM bmn.indicator_rollup WHERE indicator = 22 AND level IN ('village', 'country')
 ORDER BY level, area_code;

-- Changing the threshold redoes the whole round: at 38,000.01 H1 and H2 fail.
SELECT settings->>'income_threshold' FROM bmn.set_round_settings(2562, '{"income_threshold": 38000.01}');
SELECT bmn.refresh(2562) AS rescored_all;
SELECT check_code, household_id, details->>'income_avg' AS avg
  FROM bmn.anomalies ORDER BY household_id, check_code;

-- Scores live in one partition per round, with its unique index.
SELECT c.relname, i.indexrelid::regclass AS unique_index
  FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
  JOIN pg_index i ON i.indrelid = c.oid AND i.indisunique
 WHERE h.inhparent = 'bmn.household_score'::regclass;
-- A partition dropped by hand: the next refresh scores the round again.
DROP TABLE bmn.household_score_2562;
SELECT bmn.refresh(2562) AS rescored_after_drop;
SELECT household_id, bmn.score_passed(score, 22) AS passed_22
  FROM bmn.household_score ORDER BY household_id;
-- The incomes read from numeric's stored form, at the edges of its digit groups.
SELECT (bmn.create_round(2563, '{"income_threshold": 38000}')).survey_year;
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2563, '{edges.csv}', repeat('c', 64));
INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, collector_id,
       interview_date, consent, income_main, income_secondary, income_other, income_own_production)
SELECT 2563, 'E' || n, 3, '10010101', 'C1', '2020-06-01', true, amount, 0, 0, 0
  FROM (VALUES (1, 37999.99), (2, 38000.00), (3, 38000.01), (4, 9999.99), (5, 10000.00),
               (6, 99999999.99), (7, 0.01), (8, 100000000.00)) v(n, amount);
INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code, sex,
       birth_date, relation, nationality, education, in_school, occupation)
SELECT 2563, household_id, 1, 3, '10010101', 1, '1980-01-01', 1, 'TH', 3, false, 1
  FROM bmn.household WHERE survey_year = 2563;
SELECT bmn.refresh(2563) AS scored;
SELECT h.household_id, h.income_main, bmn.score_passed(s.score, 22) AS passed_22,
       f.details->>'income_avg' AS income_high_avg
  FROM bmn.household h JOIN bmn.household_score s USING (survey_year, household_id)
  LEFT JOIN bmn.finding f ON f.survey_year = 2563 AND f.household_id = h.household_id
   AND f.check_code = 'INCOME_HIGH'
 WHERE h.survey_year = 2563 ORDER BY h.household_id;

-- Errors
SELECT bmn.refresh(2555);
SELECT bmn.set_round_settings(2562, '[1]');
SELECT bmn.create_round(2590);
-- Money settings are plain numbers of baht. One written with a thousands
-- separator is not a threshold: the indicator that names it cannot be scored.
SELECT settings->>'income_threshold'
  FROM bmn.set_round_settings(2563, '{"income_threshold": "38,000"}');
SELECT bmn.refresh(2563);
-- nor is a negative ceiling for INCOME_HIGH
SELECT settings->>'income_high'
  FROM bmn.set_round_settings(2563, '{"income_threshold": "38000.005", "income_high": "-5"}');
SELECT bmn.refresh(2563);
-- a threshold with more decimals than satang is rounded half up: 38,000.005
-- baht is 3,800,001 satang, which E2 (38,000.00) falls short of and E3
-- (38,000.01) reaches
SELECT settings->>'income_high'
  FROM bmn.set_round_settings(2563, '{"income_high": 1000000}');
SELECT bmn.refresh(2563) AS rescored;
SELECT h.household_id, bmn.score_passed(s.score, 22) AS passed_22
  FROM bmn.household h JOIN bmn.household_score s USING (survey_year, household_id)
 WHERE h.survey_year = 2563 AND h.household_id IN ('E1', 'E2', 'E3') ORDER BY 1;
-- An age bound of a rule is whole years from 0 to 150: -1 (which would read as
-- no bound) or a word is an error naming the indicator, not a guess.
UPDATE bmn.indicator SET params = '{"min_age": 6, "max_age": -1}'
 WHERE set_code = '2017-2021' AND indicator_no = 16;
SELECT bmn.refresh(2563);
UPDATE bmn.indicator SET params = '{"min_age": "six", "max_age": 14}'
 WHERE set_code = '2017-2021' AND indicator_no = 16;
SELECT bmn.refresh(2563);
UPDATE bmn.indicator SET params = '{"min_age": "6", "max_age": 14}'
 WHERE set_code = '2017-2021' AND indicator_no = 16;
SELECT bmn.refresh(2563) AS age_as_text_taken;
UPDATE bmn.indicator SET params = '{"min_age": 6, "max_age": 14}'
 WHERE set_code = '2017-2021' AND indicator_no = 16;
