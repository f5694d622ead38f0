-- The indicator rules of interface.md on hand-made households, both sets. Every
-- expectation below was worked out by hand; the last query must find no difference.
-- Interview dates: 2019-02-12 (round 2562), 2024-03-01 (rounds 2567, 2568).
-- a clean extension: tests share one database
SET client_min_messages = warning;
DROP EXTENSION bmn CASCADE;
CREATE EXTENSION bmn;
RESET client_min_messages;
INSERT INTO bmn.area (area_code, level, name_th, parent_code) VALUES
  ('55', 'province', 'น่าน', NULL), ('5501', 'district', 'เมืองน่าน', '55'),
  ('550101', 'tambon', 'ในเวียง', '5501'), ('55010101', 'village', 'บ้านหนึ่ง', '550101');
SELECT survey_year, set_code FROM bmn.create_round(2562);
SELECT survey_year, set_code FROM bmn.create_round(2567, '{"income_threshold": 40000}');
SELECT survey_year, set_code FROM bmn.create_round(2568);
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256) VALUES
  ('survey', 2562, '{a}', repeat('1', 64)), ('survey', 2567, '{b}', repeat('2', 64)),
  ('survey', 2568, '{c}', repeat('3', 64));

CREATE TEMP TABLE hh (y int, id text, income numeric, answers jsonb);
INSERT INTO hh VALUES
  -- A: band edges. 200,000 / 5 = 40,000 per member.
  (2562, 'A', 200000, '{}'),
  -- B: unknown day/month, elderly, disabled, foreign. 100,000 / 4 = 25,000.
  (2562, 'B', 100000, '{"ind_27": true, "ind_28": false, "ind_29": true}'),
  -- C: answered indicators, one given empty; nobody in the child and elderly bands.
  (2562, 'C', 200000, '{"ind_04": true, "ind_05": false, "ind_24": true}'),
  -- D: the 2023-2027 set. 90,000 / 3 = 30,000 (threshold 40,000).
  (2567, 'D', 90000, '{"ind_10": true, "ind_31": true, "ind_35": true}'),
  -- E: a 2023-2027 round without an income threshold.
  (2568, 'E', 10000, '{}');
INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, collector_id,
    interview_date, consent, income_main, income_secondary, income_other,
    income_own_production, ind_04, ind_05, ind_10, ind_24, ind_27, ind_28, ind_29, ind_31, ind_35)
SELECT y, id, (SELECT batch_id FROM bmn.batch b WHERE b.survey_year = hh.y), '55010101', 'V1',
       CASE WHEN y = 2562 THEN date '2019-02-12' ELSE date '2024-03-01' END, true,
       income, 0, 0, 0,
       (answers->>'ind_04')::boolean, (answers->>'ind_05')::boolean,
       (answers->>'ind_10')::boolean, (answers->>'ind_24')::boolean,
       (answers->>'ind_27')::boolean, (answers->>'ind_28')::boolean,
       (answers->>'ind_29')::boolean, (answers->>'ind_31')::boolean,
       (answers->>'ind_35')::boolean
  FROM hh;

CREATE TEMP TABLE mm (y int, id text, no int, birth date, month_known bool, nat text,
    edu int, in_school bool, literate bool, occ int, income numeric, health int,
    self_care bool, card bool, ind_06 bool);
INSERT INTO mm VALUES
  (2562, 'A', 1, '1979-01-01', true, 'TH', 2, false, true, 2, 100000, 0, true, false, NULL),
  (2562, 'A', 2, '2013-02-12', true, 'TH', 0, false, NULL, 0, NULL, 0, true, false, NULL), -- 6 today: in 16's band, not in school
  (2562, 'A', 3, '2013-02-13', true, 'TH', 1, true, NULL, 0, NULL, 0, true, false, NULL),  -- 5 until tomorrow: 15's band
  (2562, 'A', 4, '2004-02-13', true, 'TH', 3, true, NULL, 1, NULL, 0, true, false, NULL),  -- 14 until tomorrow: 16's band
  (2562, 'A', 5, '2004-02-12', true, 'TH', 3, true, NULL, 0, NULL, 0, true, false, NULL),  -- 15 today: full-time student
  (2562, 'B', 1, '1959-07-01', false, 'TH', 2, false, NULL, 0, 0, 0, true, false, NULL),   -- 00/00/2502: as if born in July, 59
  (2562, 'B', 2, '1959-02-01', true, 'TH', 2, false, NULL, 2, 0, 0, true, false, NULL),    -- 60, works, no income
  (2562, 'B', 3, '1989-01-01', true, 'MM', 2, false, NULL, 6, 50000, 0, true, false, NULL),-- foreign: not in member rules
  (2562, 'B', 4, '1954-01-01', true, 'TH', 0, false, NULL, 0, NULL, 1, false, false, NULL),-- disabled, cannot look after self
  (2562, 'C', 1, '1989-01-01', true, 'TH', 6, false, true, 3, 200000, 0, true, false, true),
  (2567, 'D', 1, '1989-01-01', true, 'TH', 4, false, true, 2, 30000, 0, true, true, NULL),
  (2567, 'D', 2, '2018-03-01', true, 'TH', 1, true, NULL, 0, NULL, 0, true, false, NULL),  -- 6 today
  (2567, 'D', 3, '1954-01-01', true, 'TH', 0, false, NULL, 0, NULL, 3, false, false, NULL),-- bedridden, 70
  (2568, 'E', 1, '1989-01-01', true, 'TH', 4, false, true, 2, 10000, 0, true, false, NULL);
INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code, sex,
    birth_date, birth_month_known, relation, nationality, education, in_school, literate,
    occupation, income, health_status, self_care, welfare_card, ind_06)
SELECT y, id, no, (SELECT batch_id FROM bmn.batch b WHERE b.survey_year = mm.y), '55010101',
       1, birth, month_known, CASE WHEN no = 1 THEN 1 ELSE 3 END, nat, edu, in_school,
       literate, occ, income, health, self_care, card, ind_06
  FROM mm;

SELECT bmn.refresh(2562) AS scored_2562, bmn.refresh(2567) AS scored_2567;
SELECT bmn.refresh(2568) AS scored_2568;

SELECT household_id, indicator, passed, persons_applicable, persons_passed
  FROM bmn.household_indicator ORDER BY household_id, indicator;

CREATE TEMP TABLE expected (id text, indicator int, passed bool, pa int, pp int);
INSERT INTO expected VALUES
  -- A: 15 (3-5) m3 passes; 16 (6-14) m2 fails, m4 passes; 19 m1 literate (m5 unknown);
  --    20 m1 works, m5 a student is excluded; 22 40,000 >= 38,000
  ('A', 15, true, 1, 1), ('A', 16, false, 2, 1), ('A', 19, true, 1, 1),
  ('A', 20, true, 1, 1), ('A', 22, true, 5, 5),
  -- B: 20 m1 (59, no work); 21 m2 (no income), m4 excluded; 27 elderly present, passed;
  --    28 disabled present, failed; 29 answered but nobody chronically ill; 22 25,000
  ('B', 20, false, 1, 0), ('B', 21, false, 1, 0), ('B', 22, false, 4, 0),
  ('B', 27, true, 4, 4), ('B', 28, false, 4, 0),
  -- C: answered 4 and 24 passed, 5 failed, 23 left empty; member answer 6; 19, 20, 22
  ('C', 4, true, 1, 1), ('C', 5, false, 1, 0), ('C', 6, true, 1, 1), ('C', 19, true, 1, 1),
  ('C', 20, true, 1, 1), ('C', 22, true, 1, 1), ('C', 24, true, 1, 1),
  -- D: 10 bedridden present; 23 (6-15) m2; 25 m1 literate; 27 m1 works; 28 m3 no income;
  --    29 30,000 < 40,000; 31 child 0-6 and 30,000 <= 100,000; 32 card held; 34 not
  --    answered; 35 answered but nobody disabled
  ('D', 10, true, 3, 3), ('D', 23, true, 1, 1), ('D', 25, true, 1, 1), ('D', 27, true, 1, 1),
  ('D', 28, false, 1, 0), ('D', 29, false, 3, 0), ('D', 31, true, 3, 3), ('D', 32, true, 3, 3),
  -- E: no threshold, so no income indicator; the others as usual
  ('E', 25, true, 1, 1), ('E', 27, true, 1, 1), ('E', 32, false, 1, 0);
SELECT 'missing' AS problem, e.* FROM expected e
 WHERE (e.id, e.indicator, e.passed, e.pa, e.pp) NOT IN
       (SELECT household_id, indicator, passed, persons_applicable, persons_passed
          FROM bmn.household_indicator)
UNION ALL
SELECT 'unexpected', h.household_id, h.indicator, h.passed, h.persons_applicable, h.persons_passed
  FROM bmn.household_indicator h
 WHERE (h.household_id, h.indicator) NOT IN (SELECT id, indicator FROM expected);

-- the income indicator's failures, from the view analysts use
SELECT year, household_id, indicator, persons, income_total, income_avg, income_threshold
  FROM bmn.low_income_households ORDER BY year, household_id;

-- TPMAP: dimensions of the failed mapped indicators (2017-2021: 5 health, 16 education,
-- 20-22 income, 28 access; 2023-2027: 28, 29 income); the target poor hold a card
SELECT year, household_id, persons, dimensions, failed_indicators
  FROM bmn.household_poverty ORDER BY year, household_id;
SELECT year, household_id, member_no, dimensions, target_poor
  FROM bmn.person_poverty WHERE household_id = 'D' ORDER BY member_no;
SELECT year, level, persons, poor, target_poor, pct_target_poor, health, living,
       education, income, access
  FROM bmn.poverty_report WHERE level = 'country' ORDER BY year;
