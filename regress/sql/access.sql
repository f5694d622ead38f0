-- Roles, area scope and certification, enforced by the database: for each role
-- what it may do works and what it may not do fails.
SET client_min_messages = warning;
DROP EXTENSION bmn CASCADE;
CREATE EXTENSION bmn;
DROP ROLE IF EXISTS regress_loader55, regress_committee5501, regress_analyst, regress_admin;
RESET client_min_messages;
CREATE ROLE regress_loader55 LOGIN IN ROLE bmn_loader;
CREATE ROLE regress_committee5501 LOGIN IN ROLE bmn_committee;
CREATE ROLE regress_analyst LOGIN IN ROLE bmn_analyst;
CREATE ROLE regress_admin LOGIN IN ROLE bmn_admin;

INSERT INTO bmn.area (area_code, level, name_th, parent_code) VALUES
  ('55', 'province', 'น่าน', NULL), ('5501', 'district', 'เมืองน่าน', '55'),
  ('550101', 'tambon', 'ในเวียง', '5501'), ('55010101', 'village', 'บ้านหนึ่ง', '550101'),
  ('5502', 'district', 'แม่จริม', '55'), ('550201', 'tambon', 'ระวะ', '5502'),
  ('55020101', 'village', 'บ้านสอง', '550201'),
  ('56', 'province', 'พะเยา', NULL), ('5601', 'district', 'เมืองพะเยา', '56'),
  ('560101', 'tambon', 'เวียง', '5601'), ('56010101', 'village', 'บ้านสาม', '560101');
SELECT bmn.create_round(2562) IS NOT NULL AS round_created;
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{a}', repeat('a', 64));
INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, collector_id,
    interview_date, consent, income_main, income_secondary, income_other, income_own_production)
SELECT 2562, id, 1, v, 'V1', '2019-02-12', true, inc, 0, 0, 0
  FROM (VALUES ('A1', '55010101', 80000), ('A2', '55010101', 90000), ('A3', '55010101', 70000),
               ('B1', '55020101', 0), ('B2', '55020101', 60000),
               ('C1', '56010101', 50000)) x(id, v, inc);
INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code,
    national_id, first_name, last_name, sex, birth_date, relation, nationality, education,
    in_school, occupation, income)
SELECT 2562, h.household_id, 1, 1, h.village_code,
       CASE h.household_id WHEN 'A1' THEN '3100600445635' WHEN 'A2' THEN '1103702488101'
                           WHEN 'A3' THEN '1103702488119' WHEN 'B1' THEN '1103702488127'
                           WHEN 'B2' THEN '1103702488135' ELSE '1103702488143' END,
       'ชื่อ' || h.household_id, 'สกุล', 1, '1980-05-17', 1, 'TH', 4, false, 2, 50000
  FROM bmn.household h;
SELECT bmn.refresh(2562) AS scored;

SELECT bmn.grant_area('regress_loader55', '55');
SELECT bmn.grant_area('regress_committee5501', '5501');
SELECT bmn.grant_area('regress_committee5501', '99');   -- not an area
SELECT bmn.grant_area('regress_nobody', '55');           -- not a role

-- A committee reads its district's households with names, and nothing else.
SET SESSION AUTHORIZATION regress_committee5501;
SELECT household_id, village_code FROM bmn.household ORDER BY 1;
SELECT household_id, first_name, national_id FROM bmn.member ORDER BY 1;
SELECT count(*) AS findings_outside_scope FROM bmn.anomalies WHERE village_code NOT LIKE '5501%';
UPDATE bmn.household SET income_main = 1 WHERE household_id = 'A1';   -- survey data: no
DELETE FROM bmn.member WHERE household_id = 'A1';                      -- no
UPDATE bmn.finding SET note = 'x';                                     -- only the review columns, own area
UPDATE bmn.finding SET status = 'confirmed', note = 'seen', confirmed_by = session_user
 WHERE check_code = 'INCOME_ZERO';                                     -- B1 is in 5502: nothing
SELECT bmn.grant_area('regress_committee5501', '55');                  -- only bmn_admin
INSERT INTO bmn.certification (survey_year, area_code, level, decision, last_batch_id, figures)
VALUES (2562, '5501', 'district', 'certified', 1, '{}');                -- only through bmn.certify
-- certifying: its district (certifiable), not the province, not another province
SELECT area_code, level, decision, decided_by, figures->>'households' AS households,
       figures->>'confidence_pct' AS confidence
  FROM bmn.certify('5501', 2562, 'certified', 'ครบถ้วน');
SELECT bmn.certify('55', 2562, 'certified', NULL);
SELECT bmn.certify('5601', 2562, 'certified', NULL);
SELECT bmn.certify('550101', 2562, 'certified', NULL);                 -- a tambon: not this round
SELECT bmn.certify('5501', 2562, 'returned', '');                      -- a note is required
SELECT bmn.certify('5501', 2562, 'approved', 'x');
-- the same seed draws the same sample; another seed another order
SELECT array_agg(household_id) AS sample FROM bmn.review_sample('5501', 2562, 2, 7);
SELECT (SELECT array_agg(household_id) FROM bmn.review_sample('5501', 2562, 2, 7))
     = (SELECT array_agg(household_id) FROM bmn.review_sample('5501', 2562, 2, 7)) AS reproducible;
SELECT count(*) AS sampled_outside FROM bmn.review_sample('56', 2562, 10, 1);
RESET SESSION AUTHORIZATION;

-- The log is append-only, even for an administrator.
SET SESSION AUTHORIZATION regress_admin;
UPDATE bmn.certification SET note = 'changed';
DELETE FROM bmn.certification;
-- the province waits for its districts: 5502 has a household with zero income
SELECT bmn.certify('55', 2562, 'certified', NULL);
SELECT area_code, decision FROM bmn.certify('5502', 2562, 'returned', 'ครัวเรือน B1 รายได้ 0 บาท');
-- the committee confirms B1's income (a warning): 55 is certifiable, but 5502 is not certified yet
UPDATE bmn.finding SET status = 'confirmed', confirmed_by = session_user, note = 'ว่างงาน'
 WHERE household_id = 'B1';
SELECT bmn.certify('55', 2562, 'certified', NULL);
SELECT area_code, decision FROM bmn.certify('5502', 2562, 'certified', 'ยืนยันแล้ว');
SELECT area_code, level, decision FROM bmn.certify('55', 2562, 'certified', NULL);
SELECT year, area_code, decision, stale, certified FROM bmn.certification_status ORDER BY area_code;
RESET SESSION AUTHORIZATION;
TRUNCATE bmn.certification;

-- A loader writes only into its province.
SET SESSION AUTHORIZATION regress_loader55;
INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, collector_id,
    interview_date, consent, income_main, income_secondary, income_other, income_own_production)
VALUES (2562, 'L1', 2, '55010101', 'V1', '2019-02-12', true, 1, 0, 0, 0);
INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, collector_id,
    interview_date, consent, income_main, income_secondary, income_other, income_own_production)
VALUES (2562, 'L2', 2, '56010101', 'V1', '2019-02-12', true, 1, 0, 0, 0);
DELETE FROM bmn.household WHERE household_id = 'C1';   -- another province: nothing
SELECT count(*) AS households_seen FROM bmn.household;
SELECT bmn.certify('5501', 2562, 'certified', NULL);   -- loaders do not certify
RESET SESSION AUTHORIZATION;
SELECT count(*) AS c1_still_there FROM bmn.household WHERE household_id = 'C1';

-- An analyst reads everything de-identified, and no names. (C1's head is given
-- A1's ID here, after the certifications: one ID in two households is an error.)
UPDATE bmn.member SET national_id = '3100600445635' WHERE household_id = 'C1';
SET SESSION AUTHORIZATION regress_analyst;
SELECT count(*) FROM bmn.household;
SELECT count(*) FROM bmn.member;
SELECT first_name FROM bmn.member_deid;
SELECT household_id, length(national_id_pseudonym) AS pseudonym_length,
       national_id_pseudonym ~ '^[0-9a-f]{64}$' AS hex, birth_year_be
  FROM bmn.member_deid ORDER BY household_id;
-- the same ID gets the same pseudonym (A1 and C1), and it is not the ID
SELECT count(DISTINCT national_id_pseudonym) AS pseudonyms,
       bool_and(national_id_pseudonym NOT LIKE '%3100600445635%') AS not_the_id
  FROM bmn.member_deid;
SELECT count(*) AS all_findings FROM bmn.anomalies;
-- the indicator reports of every area (bmn.area_indicators reads the villages'
-- counts as the extension's owner, as the view did)
SELECT level, count(*) AS rows, sum(households_applicable) AS applicable
  FROM bmn.indicator_rollup WHERE year = 2562 AND indicator = 22
 GROUP BY level ORDER BY level;
SELECT * FROM bmn.pseudonym_key;
SELECT bmn.certify('5501', 2562, 'certified', NULL);
RESET SESSION AUTHORIZATION;

-- Data loaded afterwards makes a certification stale.
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{b}', repeat('b', 64));
UPDATE bmn.household SET batch_id = 2 WHERE household_id = 'A2';
SELECT area_code, decision, stale, certified FROM bmn.certification_status ORDER BY area_code;


DROP ROLE regress_loader55, regress_committee5501, regress_analyst, regress_admin;
