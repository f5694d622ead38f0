-- Certification: a committee's decision on an area's data for a round. Decisions
-- are appended, never changed; each keeps who, when, the note and the area's
-- figures at that moment. Data loaded for the area afterwards makes it stale.

CREATE TABLE bmn.certification (
    certification_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_year      integer NOT NULL REFERENCES bmn.survey_round (survey_year),
    area_code        text NOT NULL,
    level            text NOT NULL,
    decision         text NOT NULL CHECK (decision IN ('certified', 'returned')),
    note             text,
    decided_by       name NOT NULL DEFAULT session_user,
    decided_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_batch_id    bigint NOT NULL,
    figures          jsonb NOT NULL
);
CREATE INDEX certification_area_idx ON bmn.certification (survey_year, area_code, certification_id);
COMMENT ON TABLE bmn.certification IS 'The decision log: append-only, with the area''s figures when each decision was taken';
COMMENT ON COLUMN bmn.certification.last_batch_id IS 'The newest batch of the area''s households then: a newer one makes the decision stale';
SELECT pg_catalog.pg_extension_config_dump('bmn.certification', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.certification_certification_id_seq', '');

CREATE FUNCTION bmn.certification_append_only() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'the certification log is append-only: decisions are never changed or removed'
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Record a new decision with bmn.certify().';
END
$$;
CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON bmn.certification
    FOR EACH ROW EXECUTE FUNCTION bmn.certification_append_only();
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON bmn.certification
    FOR EACH STATEMENT EXECUTE FUNCTION bmn.certification_append_only();

-- The newest batch among an area's households of a round.
CREATE FUNCTION bmn.area_last_batch(area_code text, survey_year integer) RETURNS bigint
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(max(h.batch_id), 0) FROM bmn.household h
     WHERE h.survey_year = area_last_batch.survey_year
       AND (left(h.village_code, length(area_last_batch.area_code)) = area_last_batch.area_code
            OR h.lao_code = area_last_batch.area_code)
$$;

-- The latest decision per area and round, and whether data came in since.
CREATE VIEW bmn.certification_status AS
    SELECT DISTINCT ON (c.survey_year, c.area_code)
           c.survey_year AS year, c.area_code, c.level, c.decision, c.note,
           c.decided_by, c.decided_at, c.figures,
           bmn.area_last_batch(c.area_code, c.survey_year) > c.last_batch_id AS stale,
           c.decision = 'certified'
             AND bmn.area_last_batch(c.area_code, c.survey_year) = c.last_batch_id AS certified
      FROM bmn.certification c
     ORDER BY c.survey_year, c.area_code, c.certification_id DESC;
COMMENT ON VIEW bmn.certification_status IS 'The latest decision per area and round; certified only when not stale';

-- Record a committee decision. Runs as the extension's owner to write the log, so
-- it checks everything itself: the caller's role and area scope, the level, and
-- the rules (a district when certifiable; a province only after all its districts,
-- when certifiable; a returned area needs a note).
CREATE FUNCTION bmn.certify(area_code text, survey_year integer, decision text, note text DEFAULT NULL)
RETURNS bmn.certification
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    caller  name := session_user;
    lvl     text;
    conf    record;
    levels  jsonb;
    missing text[];
    result  bmn.certification;
BEGIN
    IF decision IS NULL OR decision NOT IN ('certified', 'returned') THEN
        RAISE EXCEPTION 'decision must be ''certified'' or ''returned'', not %', coalesce(quote_literal(decision), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT (pg_has_role(caller, 'bmn_committee', 'MEMBER') OR pg_has_role(caller, 'bmn_admin', 'MEMBER')) THEN
        RAISE EXCEPTION 'only a certification committee (bmn_committee) may certify'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT pg_has_role(caller, 'bmn_admin', 'MEMBER') AND NOT EXISTS (
           SELECT 1 FROM bmn.role_area ra
            WHERE pg_has_role(caller, ra.role_name, 'MEMBER')
              AND (ra.area_code = 'TH'
                   OR left(certify.area_code, length(ra.area_code)) = ra.area_code)) THEN
        RAISE EXCEPTION 'area % is outside your committee''s areas', area_code
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT r.settings->'certify_levels' INTO levels
      FROM bmn.survey_round r WHERE r.survey_year = certify.survey_year;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'survey round % does not exist', survey_year USING ERRCODE = 'no_data_found';
    END IF;
    levels := coalesce(levels, '["district", "province"]');
    lvl := CASE WHEN EXISTS (SELECT 1 FROM bmn.lao l WHERE l.lao_code = certify.area_code)
                     AND NOT EXISTS (SELECT 1 FROM bmn.area a WHERE a.area_code = certify.area_code)
                THEN 'lao' ELSE bmn.area_level(area_code) END;
    IF lvl IS NULL OR NOT levels ? lvl THEN
        RAISE EXCEPTION 'round % certifies % areas, and % is a % area', survey_year,
              (SELECT string_agg(x, ' and ') FROM jsonb_array_elements_text(levels) x),
              area_code, coalesce(lvl, 'unknown')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT c.households, c.households_with_findings, c.confidence_pct, c.certifiable
      INTO conf
      FROM bmn.confidence c
     WHERE c.year = certify.survey_year AND c.area_code = certify.area_code AND c.level = lvl;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'area % has no households in round %', area_code, survey_year
            USING ERRCODE = 'no_data_found';
    END IF;
    IF decision = 'returned' AND coalesce(btrim(note), '') = '' THEN
        RAISE EXCEPTION 'a returned area needs a note saying what to correct'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF decision = 'certified' THEN
        IF NOT conf.certifiable THEN
            RAISE EXCEPTION 'area % is not certifiable: confidence % or open errors', area_code,
                  conf.confidence_pct || '%'
                USING ERRCODE = 'check_violation',
                      HINT = 'Correct or confirm the findings in bmn.anomalies, reload, and run bmn.refresh.';
        END IF;
        IF lvl = 'province' THEN
            SELECT array_agg(d.area_code ORDER BY d.area_code) INTO missing
              FROM bmn.confidence d
             WHERE d.year = certify.survey_year AND d.level = 'district'
               AND left(d.area_code, length(certify.area_code)) = certify.area_code
               AND NOT EXISTS (SELECT 1 FROM bmn.certification_status s
                                WHERE s.year = d.year AND s.area_code = d.area_code AND s.certified);
            IF missing IS NOT NULL THEN
                RAISE EXCEPTION 'province % cannot be certified before its districts: % not certified',
                      area_code, array_to_string(missing, ', ')
                    USING ERRCODE = 'check_violation';
            END IF;
        END IF;
    END IF;
    INSERT INTO bmn.certification AS c (survey_year, area_code, level, decision, note, decided_by,
                                        last_batch_id, figures)
    VALUES (survey_year, area_code, lvl, decision, note, caller,
            bmn.area_last_batch(area_code, survey_year),
            jsonb_build_object('households', conf.households,
                               'households_with_findings', conf.households_with_findings,
                               'confidence_pct', conf.confidence_pct,
                               'certifiable', conf.certifiable,
                               'persons', (SELECT p.persons FROM bmn.population_report p
                                            WHERE p.year = certify.survey_year
                                              AND p.area_code = certify.area_code AND p.level = lvl)))
    RETURNING * INTO result;
    RETURN result;
END
$$;
COMMENT ON FUNCTION bmn.certify(text, integer, text, text) IS 'Record a committee decision (certified or returned) on an area''s data for a round';

-- A reproducible random sample of an area's households for re-interview at the
-- meeting: the same seed draws the same households. Runs as the caller, so a
-- committee draws only from households it may see.
CREATE FUNCTION bmn.review_sample(area_code text, survey_year integer, n integer, seed integer DEFAULT 0)
RETURNS TABLE (household_id text, village_code text, house_no text, collector_id text,
               interview_date date, head_name text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT h.household_id, h.village_code, h.house_no, h.collector_id, h.interview_date,
           (SELECT concat_ws(' ', m.title, m.first_name, m.last_name) FROM bmn.member m
             WHERE m.survey_year = h.survey_year AND m.household_id = h.household_id
               AND m.relation = 1 ORDER BY m.member_no LIMIT 1)
      FROM bmn.household h
     WHERE h.survey_year = review_sample.survey_year
       AND (left(h.village_code, length(review_sample.area_code)) = review_sample.area_code
            OR h.lao_code = review_sample.area_code)
     ORDER BY md5(review_sample.seed::text || ':' || h.household_id), h.household_id
     LIMIT greatest(review_sample.n, 0)
$$;
COMMENT ON FUNCTION bmn.review_sample(text, integer, integer, integer) IS 'A reproducible random sample of n households of an area for re-interview (same seed, same sample)';
