-- A refresh after a correction batch gives what a refresh of the whole round gives,
-- whichever way it goes: households read through their batch and sorted in memory,
-- or (more than work_mem) in key order from their list; old scores retired by the
-- load (deleted with their households) or found in place (rows changed by hand);
-- villages that lose every household gone; households never scored before added;
-- households deleted and not sent again out of their villages.
SET client_min_messages = warning;
DROP EXTENSION bmn CASCADE;
CREATE EXTENSION bmn;
RESET client_min_messages;

-- 1 district x 2 tambons x 4 villages, 800 households of 1 to 5 members
INSERT INTO bmn.area (area_code, level, name_th, parent_code)
SELECT code, bmn.area_level(code), 'x' || code, nullif(left(code, length(code) - 2), '')
  FROM (SELECT DISTINCT unnest(ARRAY['55', '5501', '5501' || t, '5501' || t || v]) AS code
          FROM unnest('{01,02}'::text[]) t, unnest('{01,02,03,04}'::text[]) v) c
 ORDER BY length(code), code;
SELECT bmn.create_round(2562) IS NOT NULL AS round_created;
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{x}', repeat('d', 64));

-- households in key order village by village, as a loaded file lies
INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, lao_code,
    collector_id, interview_date, latitude, longitude, consent, income_main,
    income_secondary, income_other, income_own_production, ind_04, ind_24, ind_30)
SELECT 2562, 'H' || lpad(g::text, 4, '0'), 1, v.area_code, left(v.area_code, 6),
       'V' || (g % 7), date '2019-02-01' + g % 5,
       15.0 + v.k * 0.01 + (g % 13) * 0.0001, 100.0 + v.k * 0.01 + (g % 11) * 0.0001,
       g % 50 <> 0, (g * 7919 % 90000), 0, 0, 0,
       g % 3 <> 0, g % 5 <> 0, CASE WHEN g % 7 = 0 THEN NULL ELSE g % 2 = 0 END
  FROM generate_series(1, 800) g
  JOIN (SELECT area_code, row_number() OVER (ORDER BY area_code) - 1 AS k
          FROM bmn.area WHERE level = 'village') v ON v.k = (g - 1) / 100;
INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code, sex,
    birth_date, relation, nationality, national_id, education, in_school, literate,
    occupation, income, welfare_card)
SELECT 2562, h.household_id, n, 1, h.village_code, 1 + n % 2,
       date '2019-02-12' - ((substr(h.household_id, 2)::int * 37 + n * 4001) % 33000),
       CASE WHEN n = 1 THEN 1 ELSE 3 END, 'TH',
       -- some IDs repeat across households
       lpad(((substr(h.household_id, 2)::int * 10 + n) % 7000 + 1100000000000)::text, 13, '0'),
       n % 5, n % 2 = 0, n % 4 <> 0,
       (substr(h.household_id, 2)::int + n) % 8, ((substr(h.household_id, 2)::int * n) % 3) * 20000,
       n = 1 AND substr(h.household_id, 2)::int % 4 = 0
  FROM bmn.household h, generate_series(1, 1 + substr(h.household_id, 2)::int % 5) n;
ANALYZE bmn.household, bmn.member;
SELECT bmn.refresh(2562) AS scored;

-- everything a refresh writes, as one digest (finding ids and reviews aside)
CREATE FUNCTION pg_temp.refreshed() RETURNS text LANGUAGE sql AS $$
  SELECT md5(concat_ws(' ',
    (SELECT string_agg(concat_ws('|', household_id, batch_id, village_code, lao_code,
                                 score::text, spot_key, ids_key), ',' ORDER BY household_id)
       FROM bmn.household_score),
    (SELECT string_agg(x, ',' ORDER BY x) FROM (
       SELECT concat_ws('|', check_code, entity, village_code, household_id, member_no,
                        collector_id, details::text) AS x FROM bmn.finding) f),
    (SELECT string_agg(concat_ws('|', village_code, lao_code, rollup::text), ','
                       ORDER BY village_code, lao_code) FROM bmn.village_rollup)))
$$;
-- the digest now, then the same round refreshed whole: true when they agree
CREATE FUNCTION pg_temp.same_as_whole_round() RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  corrected text := pg_temp.refreshed();
BEGIN
  UPDATE bmn.batch SET refreshed_at = NULL;
  PERFORM bmn.refresh(2562);
  RETURN pg_temp.refreshed() = corrected;
END $$;
-- a new survey batch whose households are those given, sent again as the loader
-- sends them: the old versions deleted with their members, the new ones inserted
CREATE FUNCTION pg_temp.new_batch(households text) RETURNS bigint LANGUAGE sql AS $$
  INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
  VALUES ('survey', 2562, ARRAY[households], md5(households) || md5(households))
  RETURNING batch_id
$$;
CREATE FUNCTION pg_temp.correction(households text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  b bigint := pg_temp.new_batch(households);
BEGIN
  EXECUTE format('CREATE TEMP TABLE resent AS SELECT * FROM bmn.household WHERE %s',
                 households);
  CREATE TEMP TABLE resent_members AS
  SELECT m.* FROM bmn.member m JOIN resent r USING (survey_year, household_id);
  DELETE FROM bmn.member m USING resent r
   WHERE m.survey_year = r.survey_year AND m.household_id = r.household_id;
  DELETE FROM bmn.household h USING resent r
   WHERE h.survey_year = r.survey_year AND h.household_id = r.household_id;
  UPDATE resent SET batch_id = b;
  UPDATE resent_members SET batch_id = b;
  INSERT INTO bmn.household SELECT * FROM resent;
  INSERT INTO bmn.member SELECT * FROM resent_members;
  DROP TABLE resent, resent_members;
  RETURN b;
END $$;
-- the same, the rows changed in place (as an administrator might, by hand): no
-- DELETE, so the old scores are still in bmn.household_score
CREATE FUNCTION pg_temp.correction_in_place(households text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  b bigint := pg_temp.new_batch(households);
BEGIN
  EXECUTE format('UPDATE bmn.household SET batch_id = %s WHERE %s', b, households);
  UPDATE bmn.member m SET batch_id = b FROM bmn.household h
   WHERE h.household_id = m.household_id AND h.batch_id = b;
  RETURN b;
END $$;

-- the findings of the households of the newest batch
CREATE FUNCTION pg_temp.batch_findings() RETURNS bigint LANGUAGE sql AS $$
  SELECT count(*) FROM bmn.finding f JOIN bmn.household h USING (survey_year, household_id)
   WHERE h.batch_id = (SELECT max(batch_id) FROM bmn.batch)
$$;

-- what the session has done to the scores, through the member indexes and in the
-- index of findings by household; the descents from the root of the indexes of
-- findings, village rollups and scores (the xact counters hold what is not yet reported: a
-- refresh's share is a difference)
CREATE FUNCTION pg_temp.counts(OUT added bigint, OUT removed bigint, OUT replaced bigint,
                               OUT retired bigint, OUT by_batch bigint, OUT by_key bigint,
                               OUT findings_read bigint, OUT finding_descents bigint,
                               OUT village_passes bigint,
                               OUT village_descents bigint, OUT score_descents bigint,
                               OUT score_entries bigint)
LANGUAGE sql AS $$
  SELECT pg_stat_get_xact_tuples_inserted('bmn.household_score_2562'::regclass),
         pg_stat_get_xact_tuples_deleted('bmn.household_score_2562'::regclass),
         pg_stat_get_xact_tuples_updated('bmn.household_score_2562'::regclass),
         (SELECT count(*) FROM bmn.score_retired),
         pg_stat_get_xact_numscans('bmn.member_batch_idx'::regclass),
         pg_stat_get_xact_numscans('bmn.member_pkey'::regclass),
         pg_stat_get_xact_tuples_returned('bmn.finding_household_idx'::regclass),
         pg_stat_get_xact_numscans('bmn.finding_household_idx'::regclass),
         pg_stat_get_xact_numscans('bmn.village_rollup'::regclass),
         pg_stat_get_xact_numscans('bmn.village_rollup_pkey'::regclass),
         pg_stat_get_xact_numscans('bmn.household_score_2562_key'::regclass),
         pg_stat_get_xact_tuples_returned('bmn.household_score_2562_key'::regclass)
$$;

-- 1. One household in ten, all over the round: answers, incomes and a member
-- changed. Their load retired their old scores (80 rows moved to
-- bmn.score_retired); the refresh reads them there, looks none up in the score
-- index, adds the new scores and empties bmn.score_retired. The households are
-- read through the batch index. Their old findings are looked up in household
-- order, each from the leaf of the household before: not a descent each. Every
-- village is touched, more than bmn.village_rollup has pages: its rows are
-- changed in one pass over it, not found one by one through its key.
SELECT pg_temp.correction('substr(household_id, 2)::int % 10 = 3') > 1 AS batch;
UPDATE bmn.household SET ind_04 = NOT ind_04, income_main = income_main + 20000
 WHERE substr(household_id, 2)::int % 10 = 3;
DELETE FROM bmn.member WHERE substr(household_id, 2)::int % 20 = 3 AND member_no = 2;
SELECT count(*) AS retired_by_the_load FROM bmn.score_retired;
SELECT count(*) AS scores_left_of_them FROM bmn.household_score
 WHERE substr(household_id, 2)::int % 10 = 3;
BEGIN;
CREATE TEMP TABLE before ON COMMIT DROP AS
SELECT *, pg_temp.batch_findings() AS own_findings FROM pg_temp.counts();
SELECT bmn.refresh(2562) AS redone;
SELECT b.own_findings > 0 AS had_findings,
       -- the checks' statements descend it too, some twenty times; a descent
       -- a household would be 80 more
       c.finding_descents - b.finding_descents < 80 / 2 AS findings_leaf_to_leaf,
       c.village_passes - b.village_passes AS village_passes,
       c.village_descents - b.village_descents AS village_descents,
       c.score_descents - b.score_descents AS score_descents,
       c.by_batch > b.by_batch AS members_by_batch,
       c.added - b.added AS scores_added, c.removed - b.removed AS scores_removed,
       c.replaced - b.replaced AS scores_replaced, c.retired AS retired_left
  FROM pg_temp.counts() c, before b;
COMMIT;
SELECT pg_temp.same_as_whole_round() AS spread_correction_right;

-- 2. Every household resent, with too little work_mem to read them all: they are
-- read in key order from their list instead.
SELECT pg_temp.correction('true') > 1 AS batch;
UPDATE bmn.household SET ind_24 = NOT ind_24, collector_id = 'V9'
 WHERE substr(household_id, 2)::int % 10 = 6;
UPDATE bmn.member SET national_id = '1100000000011'
 WHERE substr(household_id, 2)::int % 10 = 6 AND member_no = 1;
SET work_mem = '64kB';
BEGIN;
CREATE TEMP TABLE before ON COMMIT DROP AS SELECT * FROM pg_temp.counts();
SELECT bmn.refresh(2562) AS redone;
SELECT c.by_batch = b.by_batch AS none_by_batch, c.by_key > b.by_key AS members_by_key,
       c.added - b.added AS scores_added, b.retired AS retired_read
  FROM pg_temp.counts() c, before b;
COMMIT;
RESET work_mem;
SELECT pg_temp.same_as_whole_round() AS listed_correction_right;

-- 3. Two whole villages resent; the households of village 55010104 move to
-- 55010201, which leaves 55010104 empty. The space the old scores left is known
-- to the free space map (vacuumed), yet the new scores go at the end of the
-- table (its last page, then new ones): the pages of the old ones are not
-- brought back in.
SELECT pg_temp.correction('village_code IN (''55010103'', ''55010104'')') > 1 AS batch;
UPDATE bmn.household SET ind_30 = NOT coalesce(ind_30, false)
 WHERE village_code IN ('55010103', '55010104');
UPDATE bmn.member m SET village_code = '55010201' FROM bmn.household h
 WHERE h.household_id = m.household_id AND h.village_code = '55010104';
UPDATE bmn.household SET village_code = '55010201', lao_code = '550102'
 WHERE village_code = '55010104';
VACUUM bmn.household_score_2562;
CREATE TEMP TABLE pages_before AS
SELECT pg_relation_size('bmn.household_score_2562') / current_setting('block_size')::int AS n;
SELECT bmn.refresh(2562) AS redone;
SELECT count(*) AS new_scores,
       count(*) FILTER (WHERE (ctid::text::point)[0] >= (SELECT n - 1 FROM pages_before))
         AS at_the_end
  FROM bmn.household_score WHERE batch_id = (SELECT max(batch_id) FROM bmn.batch);
DROP TABLE pages_before;
SELECT count(*) AS empty_village_rows FROM bmn.village_rollup WHERE village_code = '55010104';
SELECT pg_temp.same_as_whole_round() AS villages_correction_right;

-- 4. Households never scored before, in the village left empty, and one resent.
-- Their findings are looked up by key (with the steps that look at their
-- findings again, a handful of entries read, not the round's). They lie in the
-- table out of key order (H0005, then N3, N2, N1): read back through the batch,
-- they are sorted. The villages touched,
-- each a few scores in and out: their rows are found through the key, in no
-- order: from the root unless on the leaf of the one before.
SELECT pg_temp.correction('household_id = ''H0005''') > 1 AS batch;
INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, lao_code,
    collector_id, interview_date, consent, income_main, income_secondary, income_other,
    income_own_production, ind_04)
SELECT 2562, 'N' || g, (SELECT max(batch_id) FROM bmn.batch), '55010104', '550101', 'V1',
       date '2019-02-03', true, 50000 * g, 0, 0, 0, g % 2 = 0
  FROM generate_series(3, 1, -1) g;
INSERT INTO bmn.member (survey_year, household_id, member_no, batch_id, village_code, sex,
    birth_date, relation, nationality, education, in_school, literate, occupation, income)
SELECT 2562, 'N' || g, 1, (SELECT max(batch_id) FROM bmn.batch), '55010104', 1,
       date '1980-01-01', 1, 'TH', 3, false, true, 1, 50000 * g
  FROM generate_series(3, 1, -1) g;
BEGIN;
CREATE TEMP TABLE before ON COMMIT DROP AS
SELECT *, pg_temp.batch_findings() AS own_findings FROM pg_temp.counts();
SELECT bmn.refresh(2562) AS redone;
SELECT b.own_findings > 0 AS had_findings,
       c.findings_read - b.findings_read < (SELECT count(*) FROM bmn.finding) / 10
         AS findings_by_household,
       c.village_passes - b.village_passes AS village_passes,
       c.village_descents - b.village_descents AS village_descents
  FROM pg_temp.counts() c, before b;
COMMIT;
SELECT count(*) AS village_back FROM bmn.village_rollup WHERE village_code = '55010104';
SELECT pg_temp.same_as_whole_round() AS new_households_right;

-- 5. A batch with nothing left in it (its households resent again since).
INSERT INTO bmn.batch (kind, survey_year, files, content_sha256)
VALUES ('survey', 2562, '{empty}', repeat('e', 64));
SELECT bmn.refresh(2562) AS redone_none;
SELECT pg_temp.same_as_whole_round() AS empty_batch_right;

-- 6. Without the index of members by batch (a DBA dropped it): the members of
-- a correction are read by a statement instead, to the same result.
SELECT pg_temp.correction('substr(household_id, 2)::int % 25 = 7') > 1 AS batch;
UPDATE bmn.household SET ind_04 = NOT ind_04 WHERE substr(household_id, 2)::int % 25 = 7;
DROP INDEX bmn.member_batch_idx;
SELECT bmn.refresh(2562) AS redone;
SELECT pg_temp.same_as_whole_round() AS without_batch_index_right;
CREATE INDEX member_batch_idx ON bmn.member (batch_id);

-- 7. A whole village changed in place, by hand, twice, each time refreshed: no
-- DELETE, so nothing is retired and the old scores are found in the score index
-- and deleted there. The second time their keys have two entries in the index
-- (the version the first refresh replaced, and the one in force): more entries
-- than households, and the refresh takes the ones in force. All 100 households
-- are found from one descent.
SELECT pg_temp.correction_in_place('village_code = ''55010102''') > 1 AS batch;
UPDATE bmn.household SET ind_24 = NOT ind_24, income_main = income_main + 1
 WHERE village_code = '55010102';
SELECT bmn.refresh(2562) AS redone;
SELECT pg_temp.correction_in_place('village_code = ''55010102'' AND true') > 1 AS batch;
UPDATE bmn.household SET ind_04 = NOT ind_04 WHERE village_code = '55010102';
BEGIN;
CREATE TEMP TABLE before ON COMMIT DROP AS SELECT * FROM pg_temp.counts();
SELECT bmn.refresh(2562) AS redone;
SELECT c.score_descents - b.score_descents AS score_descents,
       c.score_entries - b.score_entries > 100 AS old_versions_met,
       c.removed - b.removed AS scores_removed, c.added - b.added AS scores_added,
       b.retired AS retired_read
  FROM pg_temp.counts() c, before b;
COMMIT;
SELECT pg_temp.same_as_whole_round() AS resent_twice_right;

-- 8. Households deleted and not sent again, with no batch to refresh: their
-- scores come out of their villages' counts all the same, and their findings go
-- (among them some repeated national IDs, which other households' findings
-- named). Households of a round never scored leave nothing to retire.
DELETE FROM bmn.member WHERE substr(household_id, 2)::int % 40 = 11;
DELETE FROM bmn.household WHERE substr(household_id, 2)::int % 40 = 11;
SELECT count(*) AS retired FROM bmn.score_retired;
SELECT count(*) > 0 AS had_findings FROM bmn.finding f
 WHERE NOT EXISTS (SELECT FROM bmn.household h
                    WHERE h.survey_year = f.survey_year AND h.household_id = f.household_id)
   AND f.household_id IS NOT NULL;
SELECT bmn.refresh(2562) AS redone;
SELECT count(*) AS findings_of_gone FROM bmn.finding f
 WHERE NOT EXISTS (SELECT FROM bmn.household h
                    WHERE h.survey_year = f.survey_year AND h.household_id = f.household_id)
   AND f.household_id IS NOT NULL;
SELECT sum(bmn.rollup_households(rollup)) AS households_counted,
       (SELECT count(*) FROM bmn.household WHERE survey_year = 2562) AS households
  FROM bmn.village_rollup WHERE survey_year = 2562;
SELECT count(*) AS retired_left FROM bmn.score_retired;
SELECT pg_temp.same_as_whole_round() AS deleted_right;
SELECT bmn.create_round(2563) IS NOT NULL AS round_created;
INSERT INTO bmn.household (survey_year, household_id, batch_id, village_code, collector_id,
    interview_date, consent, income_main, income_secondary, income_other,
    income_own_production)
VALUES (2563, 'X1', 1, '55010101', 'V1', date '2020-02-03', true, 1, 0, 0, 0);
DELETE FROM bmn.household WHERE survey_year = 2563;
SELECT count(*) AS retired_unscored FROM bmn.score_retired;

-- 9. Members, then households, taken away by TRUNCATE (an administrator clearing
-- a round to load it again), which the DELETE trigger does not see: every survey
-- batch is marked not refreshed, and the next refresh redoes the round whole.
TRUNCATE bmn.member;
SELECT count(*) FILTER (WHERE refreshed_at IS NULL) AS to_redo, count(*) AS batches
  FROM bmn.batch WHERE kind = 'survey';
SELECT bmn.refresh(2562) AS redone;
SELECT sum(bmn.rollup_households(rollup)) AS households_counted,
       sum(bmn.rollup_persons(rollup)) AS persons_counted,
       (SELECT count(*) FROM bmn.household WHERE survey_year = 2562) AS households
  FROM bmn.village_rollup WHERE survey_year = 2562;
TRUNCATE bmn.household;
SELECT bmn.refresh(2562) AS redone;
SELECT (SELECT count(*) FROM bmn.village_rollup WHERE survey_year = 2562) AS villages,
       (SELECT count(*) FROM bmn.household_score WHERE survey_year = 2562) AS scores,
       (SELECT count(*) FROM bmn.finding WHERE survey_year = 2562) AS findings;
