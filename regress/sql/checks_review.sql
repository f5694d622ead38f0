-- Review: a committee member confirms a warning (or info) with a note; confirmed
-- findings leave bmn.anomalies and stop counting against confidence; errors cannot
-- be confirmed. A later batch that changes a household re-runs its checks, and what
-- still fires is open again; findings of villages keep their review while their
-- values stay the same.
SET client_min_messages = warning;
DROP EXTENSION bmn CASCADE;
CREATE EXTENSION bmn;
RESET client_min_messages;
INSERT INTO bmn.area (area_code, level, name_th, parent_code) VALUES
  ('55', 'province', 'น่าน', NULL), ('5501', 'district', 'เมืองน่าน', '55'),
  ('550101', 'tambon', 'ในเวียง', '5501');
SELECT bmn.create_round(2562) IS NOT NULL AS round_created;
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{a}', repeat('a', 64));
-- R1 a member of 85 (info), R2 no income (warning), R3 no head (error), R4 a
-- farmer without income (warning), R5 clean; all in one village of 5 households
INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, collector_id,
    interview_date, consent, income_main, income_secondary, income_other, income_own_production)
SELECT 2562, id, 1, '55010101', 'V1', '2019-02-12', true, inc, 0, 0, 0
  FROM (VALUES ('R1', 200000), ('R2', 0), ('R3', 200000), ('R4', 200000), ('R5', 200000)) x(id, inc);
INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code, sex,
    birth_date, relation, nationality, education, in_school, occupation, income)
VALUES (2562, 'R1', 1, 1, '55010101', 1, '1934-01-01', 1, 'TH', 2, false, 0, NULL),
       (2562, 'R2', 1, 1, '55010101', 1, '1979-01-01', 1, 'TH', 2, false, 0, NULL),
       (2562, 'R3', 1, 1, '55010101', 1, '1979-01-01', 2, 'TH', 2, false, 2, 200000),
       (2562, 'R4', 1, 1, '55010101', 1, '1979-01-01', 1, 'TH', 2, false, 2, 200000),
       (2562, 'R4', 2, 1, '55010101', 2, '1980-01-01', 2, 'TH', 2, false, 2, 0),
       (2562, 'R5', 1, 1, '55010101', 1, '1979-01-01', 1, 'TH', 2, false, 2, 200000);
SELECT bmn.refresh(2562) AS scored;
SELECT coalesce(household_id, village_code) AS concerns, check_code, severity
  FROM bmn.anomalies ORDER BY 1, 2;
SELECT households, households_with_findings, open_errors, confidence_pct, certifiable
  FROM bmn.confidence WHERE level = 'village';

SELECT finding_id AS f_info FROM bmn.finding WHERE check_code = 'AGE_OVER_80' \gset
SELECT finding_id AS f_zero FROM bmn.finding WHERE check_code = 'INCOME_ZERO' \gset
SELECT finding_id AS f_head FROM bmn.finding WHERE check_code = 'HEAD_COUNT' \gset
SELECT finding_id AS f_work FROM bmn.finding WHERE check_code = 'OCCUPATION_NO_INCOME' \gset
SELECT finding_id AS f_village FROM bmn.finding WHERE check_code = 'VILLAGE_FEW_HOUSEHOLDS' \gset

-- confirming: a warning, an info, a village's warning, each with a note
SELECT household_id, check_code, status, confirmed_by = session_user AS by_me,
       confirmed_at IS NOT NULL AS dated, note
  FROM bmn.confirm_finding(:f_zero, 'ว่างงาน ลูกส่งเงินให้');
SELECT check_code, status FROM bmn.confirm_finding(:f_info, 'อายุตรงกับบัตรประชาชน');
SELECT check_code, status FROM bmn.confirm_finding(:f_work, 'ทำนาเพื่อบริโภค ไม่ได้ขาย');
SELECT check_code, status FROM bmn.confirm_finding(:f_village, 'หมู่บ้านเล็ก มี 5 ครัวเรือนจริง');
-- what cannot be confirmed
SELECT bmn.confirm_finding(:f_head, 'หัวหน้าไปทำงานต่างประเทศ');   -- an error
SELECT bmn.confirm_finding(:f_zero, 'again');                      -- already confirmed
SELECT bmn.confirm_finding(:f_work + 1000, 'x');                   -- no such finding
SELECT bmn.confirm_finding(:f_head, '  ');                          -- no note
SELECT bmn.confirm_finding(:f_head, NULL);
SELECT bmn.confirm_finding(NULL, 'x');
-- nor by updating the table directly
UPDATE bmn.finding SET status = 'confirmed', note = 'x' WHERE finding_id = :f_head;
UPDATE bmn.finding SET status = 'confirmed' WHERE check_code = 'VILLAGE_SMALL_HOUSEHOLDS';   -- no note
-- confirmed findings leave bmn.anomalies and the confidence; the summary counts them apart
SELECT coalesce(household_id, village_code) AS concerns, check_code FROM bmn.anomalies ORDER BY 1, 2;
SELECT households, households_with_findings, open_errors, confidence_pct, certifiable
  FROM bmn.confidence WHERE level = 'village';
SELECT check_code, count, confirmed, denominator FROM bmn.anomaly_summary
 WHERE level = 'village' ORDER BY check_code;

-- A later batch resends R2 as it was and R4 with its income corrected: their
-- checks run again; R2's finding is back, open, R4's is gone. R1's stays
-- confirmed, as does the village's: its values (5 households) did not change.
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{b}', repeat('b', 64));
UPDATE bmn.household SET batch_id = 2 WHERE household_id IN ('R2', 'R4');
UPDATE bmn.member SET batch_id = 2 WHERE household_id IN ('R2', 'R4');
UPDATE bmn.member SET income = 1000 WHERE household_id = 'R4' AND member_no = 2;
SELECT bmn.refresh(2562) AS rescored;
SELECT coalesce(household_id, village_code) AS concerns, check_code, status, note,
       finding_id = :f_zero AS same_finding
  FROM bmn.finding ORDER BY 1, 2;

-- A new household in the village changes its values (6 households): open again.
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{c}', repeat('c', 64));
INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, collector_id,
    interview_date, consent, income_main, income_secondary, income_other, income_own_production)
VALUES (2562, 'R6', 3, '55010101', 'V1', '2019-02-12', true, 200000, 0, 0, 0);
INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code, sex,
    birth_date, relation, nationality, education, in_school, occupation, income)
VALUES (2562, 'R6', 1, 3, '55010101', 1, '1979-01-01', 1, 'TH', 2, false, 2, 200000);
SELECT bmn.refresh(2562) AS rescored;
SELECT check_code, status, details FROM bmn.finding WHERE entity = 'village';
