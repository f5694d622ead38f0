-- The checks over many households: villages (counts, averages, registry
-- coverage), the house registry, national IDs in two households, collectors'
-- days and spots, distance from the tambon's median position. For each, the
-- smallest case that fires and the boundary case that must not; then a registry
-- batch and a correction batch, refreshed incrementally, give what a full refresh
-- gives.
SET client_min_messages = warning;
DROP EXTENSION bmn CASCADE;
CREATE EXTENSION bmn;
RESET client_min_messages;
INSERT INTO bmn.area (area_code, level, name_th, parent_code) VALUES
  ('55', 'province', 'น่าน', NULL), ('5501', 'district', 'เมืองน่าน', '55'),
  ('550101', 'tambon', 'ในเวียง', '5501'), ('5502', 'district', 'แม่จริม', '55'),
  ('550201', 'tambon', 'ระวะ', '5502'), ('550202', 'tambon', 'น้ำพาง', '5502');
SELECT bmn.create_round(2562) IS NOT NULL AS round_created;
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{households.csv,members.csv}', repeat('a', 64));
INSERT INTO bmn.batch (kind, files, content_sha256, as_of)
VALUES ('registry', '{registry.csv}', repeat('b', 64), '2019-01-01');

-- a valid national ID from a number (the check digit computed)
CREATE FUNCTION pg_temp.tid(n integer) RETURNS text LANGUAGE sql AS $$
    SELECT b || ((11 - (SELECT sum(substr(b, i, 1)::int * (14 - i)) FROM generate_series(1, 12) i) % 11) % 10)
      FROM (SELECT '1100000000' || lpad(n::text, 2, '0') AS b) x
$$;
-- an 11-digit house code of a village
CREATE FUNCTION pg_temp.house(village text, n integer) RETURNS text LANGUAGE sql AS $$
    SELECT left(village, 4) || substr(village, 7, 2) || lpad(n::text, 5, '0')
$$;
-- a household of adults (the head is member 1), 500,000 baht a year
CREATE FUNCTION pg_temp.hh(id text, village text, persons integer DEFAULT 3,
    collector text DEFAULT NULL, day date DEFAULT '2019-02-12', lat float8 DEFAULT NULL,
    lon float8 DEFAULT NULL, house text DEFAULT NULL, ids text[] DEFAULT '{}',
    sex integer DEFAULT 1)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, house_code,
        latitude, longitude, collector_id, interview_date, consent, income_main,
        income_secondary, income_other, income_own_production)
    VALUES (2562, id, 1, village, house, lat, lon, coalesce(collector, 'C-' || village), day,
            true, 500000, 0, 0, 0);
    INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code,
        national_id, sex, birth_date, relation, nationality, education, in_school, occupation,
        income)
    SELECT 2562, id, n, 1, village, ids[n], sex, '1979-02-12', CASE WHEN n = 1 THEN 1 ELSE 3 END,
           'TH', 2, false, 2, 50000
      FROM generate_series(1, persons) n;
$$;
-- metres north along a meridian, in degrees of latitude
CREATE FUNCTION pg_temp.north(m float8) RETURNS float8 LANGUAGE sql
RETURN m / (6371000 * pi() / 180);

-- Villages. 55010101: 19 households (fewer than 20). 55010102: exactly 20, with 59
-- persons (2.95 a household). 55010103: 20 households, 60 persons (exactly 3).
SELECT pg_temp.hh('V1-' || n, '55010101') FROM generate_series(1, 19) n;
SELECT pg_temp.hh('V2-' || n, '55010102', CASE WHEN n = 1 THEN 2 ELSE 3 END) FROM generate_series(1, 20) n;
SELECT pg_temp.hh('V3-' || lpad(n::text, 2, '0'), '55010103') FROM generate_series(7, 20) n;
-- Coverage against registry houses: 55010102 20 of 23 (86.96%), 55010103 20 of 22
-- (90.9%), 55010104 27 of 30 (exactly 90%), 55010105 33 of 30 (exactly 110%),
-- 55010106 34 of 30 (113.3%); 55010101 is not in the registry at all.
SELECT pg_temp.hh('V4-' || lpad(n::text, 2, '0'), '55010104',
                  day => CASE WHEN n <= 21 THEN date '2019-02-12' ELSE '2019-02-13' END)
  FROM generate_series(3, 27) n;
SELECT pg_temp.hh('V5-' || lpad(n::text, 2, '0'), '55010105',
                  day => CASE WHEN n <= 17 THEN date '2019-02-12' ELSE '2019-02-13' END)
  FROM generate_series(2, 33) n;
SELECT pg_temp.hh('V6-' || lpad(n::text, 2, '0'), '55010106',
                  day => CASE WHEN n <= 20 THEN date '2019-02-12' ELSE '2019-02-13' END)
  FROM generate_series(1, 34) n;
INSERT INTO bmn.registry_house (house_code, village_code, batch_id, as_of)
SELECT pg_temp.house(v, n), v, 2, '2019-01-01'
  FROM (VALUES ('55010102', 23), ('55010103', 22), ('55010104', 30), ('55010105', 30),
               ('55010106', 30)) x(v, k), generate_series(1, k) n;

-- The registry, in 55010103 (which it covers): V3-01's house is registered there;
-- V3-02's house is not registered; the registry puts V3-03's house in 55010102.
-- A house in 55010101, which the registry does not cover, cannot be missing.
SELECT pg_temp.hh('V3-01', '55010103', house => pg_temp.house('55010103', 1), ids => ARRAY[pg_temp.tid(1)]);
SELECT pg_temp.hh('V3-02', '55010103', house => pg_temp.house('55010103', 99));
SELECT pg_temp.hh('V3-03', '55010103', house => pg_temp.house('55010102', 5));
UPDATE bmn.household SET house_code = pg_temp.house('55010101', 1) WHERE household_id = 'V1-1';
-- Persons: V3-04's head as registered; V3-05's head is registered as a woman;
-- V3-06's head is registered as born in 1980.
SELECT pg_temp.hh('V3-04', '55010103', ids => ARRAY[pg_temp.tid(4)]);
SELECT pg_temp.hh('V3-05', '55010103', ids => ARRAY[pg_temp.tid(5)]);
SELECT pg_temp.hh('V3-06', '55010103', ids => ARRAY[pg_temp.tid(6)]);
INSERT INTO bmn.registry_person (house_code, village_code, national_id, sex, birth_date, batch_id)
VALUES (pg_temp.house('55010103', 1), '55010103', pg_temp.tid(1), 1, '1979-02-12', 2),
       (pg_temp.house('55010103', 4), '55010103', pg_temp.tid(4), 1, '1979-07-01', 2),
       (pg_temp.house('55010103', 5), '55010103', pg_temp.tid(5), 2, '1979-02-12', 2),
       (pg_temp.house('55010103', 6), '55010103', pg_temp.tid(6), 1, '1980-02-12', 2);

-- National IDs: one ID in V4-01 and V5-01 (two households); another twice in V4-02
-- (one household, two members) is not in two households.
SELECT pg_temp.hh('V4-01', '55010104', ids => ARRAY[pg_temp.tid(7)]);
SELECT pg_temp.hh('V5-01', '55010105', ids => ARRAY[pg_temp.tid(7)]);
SELECT pg_temp.hh('V4-02', '55010104', ids => ARRAY[pg_temp.tid(8), pg_temp.tid(8)]);

-- Collectors' days: 55010104's collector has 21 households on 12/02 (more than 20);
-- 55010102's, 55010103's and 55010106's exactly 20 on one day.

-- Distance from the tambon's median position (tambon 550201): five households 55 m
-- apart around 18.8, 100.8 (the median), one exactly 20 km north of it, one
-- 20.01 km south.
SELECT pg_temp.hh('G' || n, '55020101', collector => 'CG', day => date '2019-02-01' + n,
                  lat => 18.8 + (n - 3) * 0.0005, lon => 100.8)
  FROM generate_series(1, 5) n;
SELECT pg_temp.hh('G6', '55020101', collector => 'CG', lat => 18.8 + pg_temp.north(20000), lon => 100.8);
SELECT pg_temp.hh('G7', '55020101', collector => 'CG', lat => 18.8 - pg_temp.north(20010), lon => 100.8);

-- Same spot (tambon 550202): collector CS records S2 and S3 9.99 m north and south
-- of S1 (three within 10 m of S1); collector CT records T2 and T3 exactly 10 m
-- from T1 (not within 10 m).
SELECT pg_temp.hh('S1', '55020201', collector => 'CS', lat => 18.9, lon => 100.9);
SELECT pg_temp.hh('S2', '55020201', collector => 'CS', lat => 18.9 + pg_temp.north(9.99), lon => 100.9);
SELECT pg_temp.hh('S3', '55020201', collector => 'CS', lat => 18.9 - pg_temp.north(9.99), lon => 100.9);
SELECT pg_temp.hh('T1', '55020201', collector => 'CT', lat => 18.91, lon => 100.9);
SELECT pg_temp.hh('T2', '55020201', collector => 'CT', lat => 18.91 + pg_temp.north(10), lon => 100.9);
SELECT pg_temp.hh('T3', '55020201', collector => 'CT', lat => 18.91 - pg_temp.north(10), lon => 100.9);

SELECT bmn.refresh(2562) AS scored;
SELECT village_code, check_code, details FROM bmn.anomalies WHERE entity = 'village'
 ORDER BY village_code, check_code;
SELECT household_id, member_no, check_code, details FROM bmn.anomalies
 WHERE check_code LIKE 'REGISTRY%' OR check_code = 'NATIONAL_ID_DUPLICATE'
 ORDER BY household_id, member_no, check_code;
SELECT collector_id, village_code, check_code, details FROM bmn.anomalies
 WHERE entity = 'collector' ORDER BY collector_id, check_code;
SELECT household_id, check_code, details FROM bmn.anomalies
 WHERE check_code = 'GPS_OUT_OF_AREA' ORDER BY household_id;
-- nothing else fired
SELECT count(*) AS other_findings FROM bmn.finding
 WHERE check_code NOT LIKE 'VILLAGE%' AND check_code NOT LIKE 'REGISTRY%'
   AND check_code NOT IN ('NATIONAL_ID_DUPLICATE', 'COLLECTOR_DAILY_LOAD', 'GPS_SAME_SPOT',
                          'GPS_OUT_OF_AREA');
-- the registry batch was taken in by this round
SELECT survey_year, batch_id FROM bmn.round_registry;

-- A new registry snapshot of 55010103: V3-02's house is now registered, V3-06's
-- head's birth year corrected, one house more (20 of 23: under 90%). Only the
-- registry batch is new: the refresh redoes the registry checks of the
-- households it concerns, and the village's coverage.
INSERT INTO bmn.batch (kind, files, content_sha256, as_of)
VALUES ('registry', '{registry2.csv}', repeat('c', 64), '2019-02-01');
DELETE FROM bmn.registry_person WHERE village_code = '55010103';
DELETE FROM bmn.registry_house WHERE village_code = '55010103';
INSERT INTO bmn.registry_house (house_code, village_code, batch_id, as_of)
SELECT pg_temp.house('55010103', n), '55010103', 3, '2019-02-01'
  FROM (SELECT generate_series(1, 22) UNION ALL SELECT 99) x(n);
INSERT INTO bmn.registry_person (house_code, village_code, national_id, sex, birth_date, batch_id)
VALUES (pg_temp.house('55010103', 1), '55010103', pg_temp.tid(1), 1, '1979-02-12', 3),
       (pg_temp.house('55010103', 5), '55010103', pg_temp.tid(5), 2, '1979-02-12', 3),
       (pg_temp.house('55010103', 6), '55010103', pg_temp.tid(6), 1, '1979-02-12', 3);
SELECT bmn.refresh(2562) AS scored_again;
SELECT coalesce(household_id, village_code) AS concerns, member_no, check_code, details
  FROM bmn.anomalies
 WHERE check_code LIKE 'REGISTRY%' OR (check_code = 'VILLAGE_COVERAGE' AND village_code = '55010103')
 ORDER BY 1, 2, 3;
SELECT survey_year, batch_id FROM bmn.round_registry ORDER BY batch_id;

-- A correction batch: G7 comes back 100 m from the others, V4-21 was collected on
-- 13/02, V5-01's head has another ID, S3 was 30 m away, and V1-19 moves to
-- 55010102 with one member less. The incremental refresh gives what a full one does.
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{fix.csv}', repeat('d', 64));
UPDATE bmn.household SET batch_id = 4, latitude = 18.8 - pg_temp.north(100) WHERE household_id = 'G7';
UPDATE bmn.household SET batch_id = 4, interview_date = '2019-02-13' WHERE household_id = 'V4-21';
UPDATE bmn.household SET batch_id = 4 WHERE household_id = 'V5-01';
UPDATE bmn.member SET national_id = pg_temp.tid(9) WHERE household_id = 'V5-01' AND member_no = 1;
UPDATE bmn.household SET batch_id = 4, latitude = 18.9 - pg_temp.north(30) WHERE household_id = 'S3';
UPDATE bmn.household SET batch_id = 4, village_code = '55010102' WHERE household_id = 'V1-19';
DELETE FROM bmn.member WHERE household_id = 'V1-19' AND member_no = 3;
UPDATE bmn.member m SET batch_id = 4, village_code = h.village_code FROM bmn.household h
 WHERE h.household_id = m.household_id AND h.batch_id = 4;
SELECT bmn.refresh(2562) AS corrected;
SELECT coalesce(household_id, collector_id, village_code) AS concerns, member_no, check_code
  FROM bmn.anomalies ORDER BY 1, 2, 3;
CREATE TEMP TABLE after_correction AS
    SELECT check_code, entity, village_code, lao_code, household_id, member_no, collector_id, details
      FROM bmn.finding;
SELECT bmn.set_round_settings(2562, '{}') IS NOT NULL AS redo_all;
SELECT bmn.refresh(2562) AS full_refresh;
SELECT count(*) AS differences FROM (
    (SELECT check_code, entity, village_code, lao_code, household_id, member_no, collector_id, details FROM bmn.finding
     EXCEPT ALL SELECT * FROM after_correction)
    UNION ALL
    (SELECT * FROM after_correction
     EXCEPT ALL SELECT check_code, entity, village_code, lao_code, household_id, member_no, collector_id, details FROM bmn.finding)) d;
