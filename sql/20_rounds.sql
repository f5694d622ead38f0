-- Indicator sets (revised every 5 years), their indicators, and survey rounds.
-- A new set is new rows here, not new C: the C knows rules, the data names them.

CREATE TABLE bmn.indicator_set (
    set_code         text PRIMARY KEY,
    first_year       integer NOT NULL,
    last_year        integer NOT NULL CHECK (last_year >= first_year),
    name_th          text NOT NULL,
    name_en          text NOT NULL,
    default_settings jsonb NOT NULL DEFAULT '{}',
    builtin          boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE bmn.indicator_set IS 'BMN indicator sets; years are Buddhist Era';

CREATE TABLE bmn.indicator (
    set_code     text NOT NULL REFERENCES bmn.indicator_set (set_code),
    indicator_no integer NOT NULL CHECK (indicator_no BETWEEN 1 AND 64),
    category     text NOT NULL,
    category_th  text NOT NULL,
    name_th      text NOT NULL,
    name_en      text NOT NULL,
    level        text NOT NULL CHECK (level IN ('household', 'member')),
    rule         text NOT NULL CHECK (rule IN ('answered', 'age_in_school', 'age_literate',
                                               'age_working', 'income_avg', 'welfare_reach',
                                               'answered_if_present')),
    params       jsonb NOT NULL DEFAULT '{}',
    builtin      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (set_code, indicator_no)
);
COMMENT ON TABLE bmn.indicator IS 'Indicators of each set. params values that are strings starting with $ name a setting of the round';

-- Check thresholds and other settings every round starts with (interface.md).
CREATE FUNCTION bmn.default_round_settings() RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN jsonb_build_object(
    'income_high', 1000000,
    'head_min_age', 15,
    'age_over', 80,
    'age_max', 120,
    'work_min_age', 15,
    'official_min_age', 18,
    'school_min_age', 6,
    'school_max_age', 14,
    'village_min_households', 20,
    'village_min_persons_avg', 3,
    'coverage_min_pct', 90,
    'coverage_max_pct', 110,
    'collector_daily_max', 20,
    'interview_min_minutes', 5,
    'gps_lat_min', 5.6,
    'gps_lat_max', 20.5,
    'gps_lon_min', 97.3,
    'gps_lon_max', 105.7,
    'gps_max_km', 20,
    'gps_same_spot_m', 10,
    'gps_same_spot_count', 3,
    'confidence_min_pct', 95);

CREATE TABLE bmn.survey_round (
    survey_year integer PRIMARY KEY CHECK (survey_year BETWEEN 2400 AND 2800),
    set_code    text NOT NULL REFERENCES bmn.indicator_set (set_code),
    settings    jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE bmn.survey_round IS 'One survey round per BE year, with its indicator set and settings';

-- Create a round: the set follows from the year unless given; settings are the
-- defaults, then the set's defaults, then what the caller gives.
CREATE FUNCTION bmn.create_round(survey_year integer, settings jsonb DEFAULT '{}',
                                 set_code text DEFAULT NULL)
RETURNS bmn.survey_round
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    s   bmn.indicator_set;
    r   bmn.survey_round;
BEGIN
    IF settings IS NULL OR jsonb_typeof(settings) <> 'object' THEN
        RAISE EXCEPTION 'settings must be a JSON object'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF set_code IS NULL THEN
        SELECT * INTO s FROM bmn.indicator_set i
         WHERE create_round.survey_year BETWEEN i.first_year AND i.last_year;
    ELSE
        SELECT * INTO s FROM bmn.indicator_set i WHERE i.set_code = create_round.set_code;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no indicator set for survey year %', survey_year
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Give set_code, or add the set to bmn.indicator_set.';
    END IF;
    INSERT INTO bmn.survey_round AS sr (survey_year, set_code, settings)
    VALUES (create_round.survey_year, s.set_code,
            bmn.default_round_settings() || s.default_settings || settings)
    RETURNING * INTO r;
    RETURN r;
END
$$;
COMMENT ON FUNCTION bmn.create_round(integer, jsonb, text) IS 'Create a survey round (BE year) with its indicator set and settings';

-- Change settings of a round; the next refresh scores and checks the whole round again.
CREATE FUNCTION bmn.set_round_settings(survey_year integer, settings jsonb)
RETURNS bmn.survey_round
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r bmn.survey_round;
BEGIN
    IF settings IS NULL OR jsonb_typeof(settings) <> 'object' THEN
        RAISE EXCEPTION 'settings must be a JSON object'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE bmn.survey_round sr SET settings = sr.settings || set_round_settings.settings
     WHERE sr.survey_year = set_round_settings.survey_year
    RETURNING * INTO r;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'survey round % does not exist', survey_year
            USING ERRCODE = 'no_data_found';
    END IF;
    UPDATE bmn.batch b SET refreshed_at = NULL
     WHERE b.survey_year = set_round_settings.survey_year;
    RETURN r;
END
$$;
