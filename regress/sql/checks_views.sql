-- The committees' views: bmn.anomalies (open findings with their areas),
-- bmn.anomaly_summary (count and denominator per area and check, every level),
-- bmn.confidence (per area) and bmn.collection_progress (target from the
-- registry, collected, percent, rank within the parent area).
SET client_min_messages = warning;
DROP EXTENSION bmn CASCADE;
CREATE EXTENSION bmn;
RESET client_min_messages;
INSERT INTO bmn.area (area_code, level, name_th, parent_code) VALUES
  ('55', 'province', 'น่าน', NULL), ('5501', 'district', 'เมืองน่าน', '55'),
  ('550101', 'tambon', 'ในเวียง', '5501'), ('550102', 'tambon', 'บ่อ', '5501'),
  ('5502', 'district', 'แม่จริม', '55'), ('550201', 'tambon', 'ระวะ', '5502'),
  ('55010101', 'village', 'บ้านหนึ่ง', '550101'), ('55010102', 'village', 'บ้านสอง', '550101'),
  ('55010201', 'village', 'บ้านสาม', '550102'), ('55010202', 'village', 'บ้านสี่', '550102'),
  ('55020101', 'village', 'บ้านห้า', '550201');
SELECT bmn.create_round(2562) IS NOT NULL AS round_created;
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{a}', repeat('a', 64));
INSERT INTO bmn.batch (kind, files, content_sha256) VALUES ('registry', '{r}', repeat('b', 64));

-- 55010101: 4 households (LAO 6550101), one without consent (an error), one with
-- no income; 55010102: 3 households (LAO 6550101), a member of 85; 55010201: 2
-- households (LAO 6550102); 55020101: 3 households (LAO 5550201). Two persons a
-- household.
INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, lao_code,
    collector_id, interview_date, consent, income_main, income_secondary, income_other,
    income_own_production)
SELECT 2562, v || '-' || n, 1, v, l, 'C' || left(v, 6), '2019-02-12', NOT (v = '55010101' AND n = 1),
       CASE WHEN v = '55010101' AND n = 2 THEN 0 ELSE 200000 END, 0, 0, 0
  FROM (VALUES ('55010101', '6550101', 4), ('55010102', '6550101', 3),
               ('55010201', '6550102', 2), ('55020101', '5550201', 3)) x(v, l, k),
       generate_series(1, k) n;
INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code, sex,
    birth_date, relation, nationality, education, in_school, occupation, income)
SELECT 2562, h.household_id, m, 1, h.village_code, m,
       CASE WHEN h.household_id = '55010102-1' AND m = 2 THEN date '1934-01-01' ELSE '1979-01-01' END,
       m, 'TH', 2, false, CASE WHEN m = 1 THEN 2 ELSE 0 END, CASE WHEN m = 1 THEN 100000 END
  FROM bmn.household h, generate_series(1, 2) m;
-- registry houses: 5 in 55010101 (80% collected), 3 in 55010102 (100%), 4 in
-- 55010201 (50%), 2 in 55010202 (nothing collected yet); none in 55020101
INSERT INTO bmn.registry_house (house_code, village_code, batch_id, as_of)
SELECT left(v, 4) || substr(v, 5, 4) || lpad(n::text, 3, '0'), v, 2, '2019-01-01'
  FROM (VALUES ('55010101', 5), ('55010102', 3), ('55010201', 4), ('55010202', 2)) x(v, k),
       generate_series(1, k) n;
SELECT bmn.refresh(2562) AS scored;

SELECT year, check_code, severity, entity, village_code, tambon_code, district_code,
       province_code, lao_code, household_id, member_no, collector_id
  FROM bmn.anomalies ORDER BY check_code, village_code, household_id, member_no;

-- every level, with its denominator: households, persons, villages
SELECT level, area_code, check_code, severity, count, confirmed, denominator, pct
  FROM bmn.anomaly_summary
 ORDER BY array_position('{village,tambon,lao,district,province,country}', level), area_code,
          check_code;

SELECT level, area_code, households, households_with_findings, open_errors, confidence_pct,
       certifiable
  FROM bmn.confidence
 ORDER BY array_position('{village,tambon,lao,district,province,country}', level), area_code;

-- confirming the no-income warning: 55010101 keeps its error, the other areas'
-- confidence moves with it
SELECT finding_id AS f_zero FROM bmn.finding WHERE check_code = 'INCOME_ZERO' \gset
SELECT status FROM bmn.confirm_finding(:f_zero, 'ผู้สูงอายุ ลูกเลี้ยงดู');
SELECT level, area_code, households_with_findings, confidence_pct, certifiable
  FROM bmn.confidence WHERE level IN ('village', 'district') ORDER BY level, area_code;
SELECT level, area_code, check_code, count, confirmed FROM bmn.anomaly_summary
 WHERE check_code = 'INCOME_ZERO' ORDER BY 1, 2;

-- collection against the registry, ranked within each parent area (1 = best);
-- 55010202 is in the registry with nothing collected, 55020101 has no target
SELECT level, area_code, name_th, parent_code, target_households, collected, pct, rank
  FROM bmn.collection_progress
 ORDER BY array_position('{village,tambon,district,province}', level), parent_code, rank, area_code;
