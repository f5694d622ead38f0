-- The household and member checks, run by bmn.refresh: for each the smallest case
-- that fires it and the boundary case that must not. Every household has a Thai
-- head of 40 (interview 12/02/2019) with education 2, occupation 2 and an income,
-- unless the case says otherwise; the clean ones are listed at the end.
SET client_min_messages = warning;
DROP EXTENSION bmn CASCADE;
CREATE EXTENSION bmn;
RESET client_min_messages;
INSERT INTO bmn.area (area_code, level, name_th, parent_code) VALUES
  ('55', 'province', 'น่าน', NULL), ('5501', 'district', 'เมืองน่าน', '55'),
  ('550101', 'tambon', 'ในเวียง', '5501'), ('55010101', 'village', 'บ้านหนึ่ง', '550101');
SELECT bmn.create_round(2562) IS NOT NULL AS round_created;
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{households.csv,members.csv}', repeat('a', 64));

CREATE FUNCTION pg_temp.household(id text, consent boolean DEFAULT true,
    started timestamp DEFAULT NULL, ended timestamp DEFAULT NULL,
    lat float8 DEFAULT NULL, lon float8 DEFAULT NULL, income numeric DEFAULT 500000)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, collector_id,
        interview_date, interview_start, interview_end, latitude, longitude, consent,
        income_main, income_secondary, income_other, income_own_production)
    VALUES (2562, id, 1, '55010101', 'V1', '2019-02-12', started, ended, lat, lon, consent,
            income, 0, 0, 0)
$$;
CREATE FUNCTION pg_temp.member(hid text, no integer, born date DEFAULT '1979-02-12',
    relation integer DEFAULT NULL, nationality text DEFAULT 'TH', education integer DEFAULT 2,
    in_school boolean DEFAULT false, occupation integer DEFAULT 2, income numeric DEFAULT 50000,
    national_id text DEFAULT NULL, month_known boolean DEFAULT true, day_known boolean DEFAULT true)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code,
        national_id, sex, birth_date, birth_day_known, birth_month_known, relation, nationality,
        education, in_school, occupation, income)
    VALUES (2562, hid, no, 1, '55010101', national_id, 1, born, day_known, month_known,
            coalesce(relation, CASE WHEN no = 1 THEN 1 ELSE 3 END), nationality, education,
            in_school, occupation, income)
$$;
-- a household with a head, and its other members from the arguments
CREATE FUNCTION pg_temp.with_head(id text) RETURNS void LANGUAGE sql AS $$
    SELECT pg_temp.household(id); SELECT pg_temp.member(id, 1);
$$;

-- HEAD_UNDER_15: a head of 14 (15 tomorrow); exactly 15 is not under 15
SELECT pg_temp.household('A01'); SELECT pg_temp.member('A01', 1, born => '2004-02-13', occupation => 1, income => NULL, education => 3, in_school => true);
SELECT pg_temp.household('A02'); SELECT pg_temp.member('A02', 1, born => '2004-02-12', occupation => 1, income => NULL, education => 3, in_school => true);
-- AGE_OVER_80: 81; exactly 80 is not over 80
SELECT pg_temp.with_head('A03'); SELECT pg_temp.member('A03', 2, born => '1938-02-12', occupation => 0, income => NULL);
SELECT pg_temp.with_head('A04'); SELECT pg_temp.member('A04', 2, born => '1939-02-12', occupation => 0, income => NULL);
-- AGE_IMPOSSIBLE: born the day after the interview, 121; not exactly 120 (over 80
-- only), nor a child born in month 00 of the interview's year
SELECT pg_temp.with_head('A05');
SELECT pg_temp.member('A05', 2, born => '2019-02-13', occupation => 0, income => NULL, education => 0);
SELECT pg_temp.member('A05', 3, born => '1898-02-12', occupation => 0, income => NULL);
SELECT pg_temp.member('A05', 4, born => '1899-02-12', occupation => 0, income => NULL);
SELECT pg_temp.member('A05', 5, born => '2019-07-01', month_known => false, day_known => false, occupation => 0, income => NULL, education => 0);
-- FOREIGN_MAJORITY: 1 Thai and 2 foreign members; 1 and 1 is not fewer
SELECT pg_temp.with_head('A06'); SELECT pg_temp.member('A06', 2, nationality => 'MM'); SELECT pg_temp.member('A06', 3, nationality => 'MM');
SELECT pg_temp.with_head('A07'); SELECT pg_temp.member('A07', 2, nationality => 'LA');
-- HEAD_COUNT: no head, two heads, no members at all
SELECT pg_temp.household('A08'); SELECT pg_temp.member('A08', 1, relation => 2);
SELECT pg_temp.with_head('A09'); SELECT pg_temp.member('A09', 2, relation => 1);
SELECT pg_temp.household('A10');
-- EDUCATION_AGE: lower secondary at 10 (primary at most); primary at 10 is right
SELECT pg_temp.with_head('A11');
SELECT pg_temp.member('A11', 2, born => '2008-06-01', education => 3, in_school => true, occupation => 1, income => NULL);
SELECT pg_temp.member('A11', 3, born => '2008-06-01', education => 2, in_school => true, occupation => 1, income => NULL);
-- CHILD_NOT_IN_SCHOOL: 6 and 14 out of school; not 5, not 15, not 14 with upper secondary
SELECT pg_temp.with_head('A12');
SELECT pg_temp.member('A12', 2, born => '2013-02-12', education => 1, occupation => 0, income => NULL);
SELECT pg_temp.member('A12', 3, born => '2013-02-13', education => 1, occupation => 0, income => NULL);
SELECT pg_temp.member('A12', 4, born => '2004-02-13', education => 3, occupation => 0, income => NULL);
SELECT pg_temp.member('A12', 5, born => '2004-02-12', education => 3, occupation => 0, income => NULL);
SELECT pg_temp.with_head('A13');
SELECT pg_temp.member('A13', 2, born => '2004-02-13', education => 4, in_school => false, occupation => 0, income => NULL);
-- OCCUPATION_AGE: employee at 14 (not at 15), official at 17 (not at 18); a 14-year-old helping on the farm is not
SELECT pg_temp.with_head('A14');
SELECT pg_temp.member('A14', 2, born => '2004-02-13', education => 3, in_school => true, occupation => 3);
SELECT pg_temp.member('A14', 3, born => '2004-02-12', education => 3, in_school => true, occupation => 3);
SELECT pg_temp.member('A14', 4, born => '2001-02-13', education => 4, occupation => 4);
SELECT pg_temp.member('A14', 5, born => '2001-02-12', education => 4, occupation => 4);
SELECT pg_temp.member('A14', 6, born => '2004-02-13', education => 3, in_school => true, occupation => 2);
-- OCCUPATION_NO_INCOME: farming with income 0; no income given is not 0
SELECT pg_temp.with_head('A15'); SELECT pg_temp.member('A15', 2, income => 0); SELECT pg_temp.member('A15', 3, income => NULL);
-- NATIONAL_ID_INVALID: a wrong check digit; a right one, and a 0-prefixed ID, pass
SELECT pg_temp.with_head('A16');
SELECT pg_temp.member('A16', 2, national_id => '1103702488993');
SELECT pg_temp.member('A16', 3, national_id => '3100600445635');
SELECT pg_temp.member('A16', 4, national_id => '0103702488993');
-- NO_CONSENT
SELECT pg_temp.household('A17', consent => false); SELECT pg_temp.member('A17', 1);
-- INTERVIEW_TOO_SHORT: 4 min 59 s; exactly 5 minutes, or no end time, is not
SELECT pg_temp.household('A18', started => '2019-02-12 09:00:00', ended => '2019-02-12 09:04:59'); SELECT pg_temp.member('A18', 1);
SELECT pg_temp.household('A19', started => '2019-02-12 09:00:00', ended => '2019-02-12 09:05:00'); SELECT pg_temp.member('A19', 1);
SELECT pg_temp.household('A20', started => '2019-02-12 09:00:00'); SELECT pg_temp.member('A20', 1);
-- GPS_OUT_OF_AREA, the box: just south of Thailand; on its corner is inside
SELECT pg_temp.household('A21', lat => 5.59, lon => 100.0); SELECT pg_temp.member('A21', 1);
SELECT pg_temp.household('A22', lat => 5.6, lon => 105.7); SELECT pg_temp.member('A22', 1);
-- ANSWER_CONTRADICTS: the export says indicator 22 passes at 10,000 baht a person;
-- the same answer where it does pass is no contradiction
SELECT pg_temp.household('A23', income => 10000); SELECT pg_temp.member('A23', 1);
SELECT pg_temp.with_head('A24');
UPDATE bmn.household SET ind_22 = true WHERE household_id IN ('A23', 'A24');

SELECT bmn.refresh(2562) AS scored;
SELECT household_id, member_no, check_code, severity, details
  FROM bmn.anomalies WHERE entity IN ('household', 'member')
 ORDER BY household_id, member_no NULLS FIRST, check_code;
-- the boundary cases: no household or member finding at all
SELECT h.household_id AS clean FROM bmn.household h
 WHERE NOT EXISTS (SELECT FROM bmn.finding f WHERE f.household_id = h.household_id
                     AND f.entity IN ('household', 'member'))
 ORDER BY 1;
-- each check has its rule, with the level and severity of interface.md
SELECT check_code, level, severity, thresholds FROM bmn.check_rule ORDER BY check_code;

-- Thresholds are the round's settings: at head_min_age 14 A01's head is old
-- enough, at age_over 81 A03's member is not over it, a 5-minute minimum of 4.5
-- lets A18 pass, and a box that takes in 5.59 keeps A21 in (but now A21 and A22,
-- 600 km apart, are both far from their tambon's median position).
SELECT bmn.set_round_settings(2562, '{"head_min_age": 14, "age_over": 81,
    "interview_min_minutes": 4.5, "gps_lat_min": 5.5}') IS NOT NULL AS changed;
SELECT bmn.refresh(2562) AS rescored;
SELECT household_id, member_no, check_code, details->>'reason' AS reason FROM bmn.anomalies
 WHERE household_id IN ('A01', 'A03', 'A18', 'A21', 'A22') ORDER BY 1, 2, 3;
-- a setting that is not a number is an error, not a guess
SELECT bmn.set_round_settings(2562, '{"age_over": "eighty"}') IS NOT NULL AS changed;
SELECT bmn.refresh(2562);
SELECT bmn.set_round_settings(2562, '{"age_over": 80.5}') IS NOT NULL AS changed;
SELECT bmn.refresh(2562);
