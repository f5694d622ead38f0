-- The committees' checks (interface.md, the Checks table), their findings, and the
-- committees' review of them. bmn.refresh runs the checks; thresholds are settings
-- of the round (bmn.default_round_settings), named in check_rule.thresholds.

CREATE TABLE bmn.check_rule (
    check_code  text PRIMARY KEY,
    level       text NOT NULL CHECK (level IN ('household', 'member', 'village', 'collector')),
    severity    text NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    name_th     text NOT NULL,
    name_en     text NOT NULL,
    fires_when  text NOT NULL,
    thresholds  text[] NOT NULL DEFAULT '{}'
);
COMMENT ON TABLE bmn.check_rule IS 'The plausibility checks: stable code, level, severity (error: cannot be right; warning: must be reviewed; info: listed only)';
COMMENT ON COLUMN bmn.check_rule.thresholds IS 'The settings of the round (bmn.survey_round.settings) the check compares with';

INSERT INTO bmn.check_rule (check_code, level, severity, name_th, name_en, fires_when, thresholds) VALUES
('INCOME_ZERO', 'household', 'warning', 'รายได้เฉลี่ย 0 บาท/คน/ปี', 'Zero income',
 'average income is 0 baht/person/year', '{}'),
('INCOME_LOW', 'household', 'warning', 'รายได้เฉลี่ยต่ำกว่าเกณฑ์', 'Income below the threshold',
 'average income above 0 and below the round''s income threshold', '{income_threshold}'),
('INCOME_HIGH', 'household', 'warning', 'รายได้เฉลี่ยเกิน 1,000,000 บาท/คน/ปี', 'Very high income',
 'average income above the round''s income_high (1,000,000 by default)', '{income_high}'),
('HEAD_UNDER_15', 'member', 'warning', 'หัวหน้าครัวเรือนอายุต่ำกว่า 15 ปี', 'Head of household under 15',
 'the head of household (relation 1) is younger than head_min_age (15)', '{head_min_age}'),
('AGE_OVER_80', 'member', 'info', 'สมาชิกอายุเกิน 80 ปี', 'Member over 80',
 'a member is older than age_over (80; exactly 80 is not over)', '{age_over}'),
('AGE_IMPOSSIBLE', 'member', 'error', 'อายุเป็นไปไม่ได้', 'Impossible age',
 'born after the interview (on the known parts of the birth date), or older than age_max (120)', '{age_max}'),
('FOREIGN_MAJORITY', 'household', 'warning', 'สมาชิกสัญชาติไทยน้อยกว่าสัญชาติอื่น', 'Fewer Thai than foreign members',
 'fewer members of Thai nationality than of other nationalities', '{}'),
('HEAD_COUNT', 'household', 'error', 'จำนวนหัวหน้าครัวเรือนไม่เท่ากับ 1 คน', 'Not exactly one head of household',
 'not exactly one member with relation 1 (a household without members has none)', '{}'),
('EDUCATION_AGE', 'member', 'error', 'ระดับการศึกษาสูงเกินอายุ', 'Education above what the age allows',
 'education level above the highest for the age (0-2: 0, 3-5: 1, 6-11: 2, 12-14: 3, 15-17: 4, 18-19: 5, 20-21: 6, 22+: 7)', '{}'),
('CHILD_NOT_IN_SCHOOL', 'member', 'warning', 'เด็กอายุ 6-14 ปีไม่ได้เรียนหนังสือ', 'Child 6-14 not in school',
 'aged school_min_age to school_max_age (6-14), not in school, education level below 4', '{school_min_age,school_max_age}'),
('OCCUPATION_AGE', 'member', 'warning', 'อาชีพไม่สอดคล้องกับอายุ', 'Occupation implausible for the age',
 'under work_min_age (15) with occupation 3-6, or under official_min_age (18) with occupation 4', '{work_min_age,official_min_age}'),
('OCCUPATION_NO_INCOME', 'member', 'warning', 'มีอาชีพแต่ไม่มีรายได้', 'Occupation without income',
 'occupation 2-7 and an income of 0 (no value is not 0)', '{}'),
('NATIONAL_ID_INVALID', 'member', 'error', 'เลขประจำตัวประชาชนไม่ถูกต้อง', 'Invalid national ID',
 'a national ID whose check digit is wrong (0-prefixed IDs exempt)', '{}'),
('NATIONAL_ID_DUPLICATE', 'member', 'error', 'เลขประจำตัวประชาชนซ้ำในหลายครัวเรือน', 'National ID in two households',
 'one national ID in two households of the round (a finding per member involved)', '{}'),
('NO_CONSENT', 'household', 'error', 'ไม่มีหลักฐานการยินยอม', 'No evidence of consent',
 'consent is 0', '{}'),
('ANSWER_CONTRADICTS', 'household', 'warning', 'คำตอบขัดแย้งกับผลการคำนวณตัวชี้วัด', 'Answer contradicts the computed indicator',
 'an ind_NN answer given for a derived indicator that applies differs from the computed result', '{}'),
('VILLAGE_FEW_HOUSEHOLDS', 'village', 'warning', 'หมู่บ้านมีครัวเรือนน้อยกว่า 20 ครัวเรือน', 'Village with few households',
 'fewer than village_min_households (20) households collected', '{village_min_households}'),
('VILLAGE_SMALL_HOUSEHOLDS', 'village', 'warning', 'หมู่บ้านมีสมาชิกเฉลี่ยน้อยกว่า 3 คนต่อครัวเรือน', 'Village with small households',
 'fewer than village_min_persons_avg (3) persons per household on average', '{village_min_persons_avg}'),
('REGISTRY_HOUSE_MISSING', 'household', 'warning', 'ไม่พบรหัสประจำบ้านในทะเบียนบ้าน', 'House code not in the registry',
 'house_code not in the registry, in a village the registry covers', '{}'),
('REGISTRY_VILLAGE_MISMATCH', 'household', 'warning', 'ทะเบียนบ้านระบุหมู่บ้านอื่น', 'Registry puts the house in another village',
 'the registry puts the house_code in another village', '{}'),
('REGISTRY_PERSON_MISMATCH', 'member', 'warning', 'เพศหรือปีเกิดไม่ตรงกับทะเบียนราษฎร', 'Sex or birth year differs from the registry',
 'the registry has the national ID with another sex or birth year', '{}'),
('VILLAGE_COVERAGE', 'village', 'warning', 'จำนวนครัวเรือนที่จัดเก็บไม่สอดคล้องกับทะเบียนบ้าน', 'Households collected against registry houses',
 'households collected below coverage_min_pct (90) or above coverage_max_pct (110) of the village''s registry houses (villages the registry covers)',
 '{coverage_min_pct,coverage_max_pct}'),
('COLLECTOR_DAILY_LOAD', 'collector', 'warning', 'ผู้จัดเก็บบันทึกเกิน 20 ครัวเรือนต่อวัน', 'Collector with too many households a day',
 'more than collector_daily_max (20) households collected by one collector on one day', '{collector_daily_max}'),
('INTERVIEW_TOO_SHORT', 'household', 'warning', 'เวลาสัมภาษณ์น้อยกว่า 5 นาที', 'Interview too short',
 'interview_end - interview_start under interview_min_minutes (5)', '{interview_min_minutes}'),
('GPS_OUT_OF_AREA', 'household', 'warning', 'พิกัดอยู่นอกพื้นที่', 'Position outside the area',
 'coordinates outside Thailand (gps_lat_min..gps_lat_max, gps_lon_min..gps_lon_max) or more than gps_max_km (20) from the median position of its tambon''s households',
 '{gps_lat_min,gps_lat_max,gps_lon_min,gps_lon_max,gps_max_km}'),
('GPS_SAME_SPOT', 'collector', 'warning', 'ผู้จัดเก็บบันทึกหลายครัวเรือนที่ตำแหน่งเดียวกัน', 'Households recorded at the same spot',
 'one collector records gps_same_spot_count (3) or more households within gps_same_spot_m (10 m, exactly 10 is not within) of one of them',
 '{gps_same_spot_m,gps_same_spot_count}');

CREATE TABLE bmn.finding (
    finding_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_year  integer NOT NULL,
    check_code   text NOT NULL,   -- a code of bmn.check_rule; only bmn.refresh writes here
    entity       text NOT NULL CHECK (entity IN ('household', 'member', 'village', 'collector')),
    village_code text,
    lao_code     text,
    household_id text COLLATE "C",
    member_no    smallint,
    collector_id text,
    details      jsonb NOT NULL DEFAULT '{}',
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed')),
    confirmed_by name,
    confirmed_at timestamptz,
    note         text,
    found_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX finding_household_idx ON bmn.finding (survey_year, household_id);
-- The findings a refresh looks up by check are those of the checks over many
-- households (settled against what fires again) and the registry's; the rest,
-- most of a round's findings, are reached through their households, and are
-- kept out of this index so that a refresh does not pay for entries nobody reads.
CREATE INDEX finding_check_idx ON bmn.finding (survey_year, check_code)
    WHERE check_code IN ('GPS_OUT_OF_AREA', 'COLLECTOR_DAILY_LOAD', 'GPS_SAME_SPOT',
                         'VILLAGE_FEW_HOUSEHOLDS', 'VILLAGE_SMALL_HOUSEHOLDS', 'VILLAGE_COVERAGE',
                         'NATIONAL_ID_DUPLICATE', 'REGISTRY_VILLAGE_MISMATCH',
                         'REGISTRY_PERSON_MISMATCH');
COMMENT ON TABLE bmn.finding IS 'What the checks found, with the values that triggered each finding';
COMMENT ON COLUMN bmn.finding.details IS 'The values that triggered the finding and the threshold they were compared with';
COMMENT ON COLUMN bmn.finding.village_code IS 'The village of the household, member or village; for a collector, the village of most of the households concerned';
COMMENT ON COLUMN bmn.finding.status IS 'open, or confirmed by a committee (the data is right); a household resent in a later batch gets its findings anew, open';

-- A warning or info confirmed stays so only with a note, and never an error: also
-- when the columns are updated directly rather than through bmn.confirm_finding.
CREATE FUNCTION bmn.finding_review() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NEW.status = 'confirmed' AND OLD.status = 'open' THEN
        IF (SELECT c.severity FROM bmn.check_rule c WHERE c.check_code = NEW.check_code) = 'error' THEN
            RAISE EXCEPTION 'finding % is an error (%): an error cannot be confirmed, only corrected',
                  NEW.finding_id, NEW.check_code
                USING ERRCODE = 'check_violation',
                      HINT = 'Correct the data, load the household again and run bmn.refresh.';
        END IF;
        IF coalesce(btrim(NEW.note), '') = '' THEN
            RAISE EXCEPTION 'confirming finding % needs a note saying why the data is right', NEW.finding_id
                USING ERRCODE = 'not_null_violation';
        END IF;
        NEW.confirmed_by := coalesce(NEW.confirmed_by, session_user);
        NEW.confirmed_at := coalesce(NEW.confirmed_at, now());
    ELSIF NEW.status = 'open' THEN
        NEW.confirmed_by := NULL;
        NEW.confirmed_at := NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER review BEFORE UPDATE ON bmn.finding
    FOR EACH ROW EXECUTE FUNCTION bmn.finding_review();

-- A committee member confirms an open warning (or info): the data is right. It
-- runs as the caller, so area scope (row-level security) decides which findings
-- the caller may confirm: one outside it is unknown to them.
CREATE FUNCTION bmn.confirm_finding(finding_id bigint, note text)
RETURNS bmn.finding
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f   bmn.finding;
    sev text;
BEGIN
    IF finding_id IS NULL THEN
        RAISE EXCEPTION 'finding_id must be given' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF coalesce(btrim(note), '') = '' THEN
        RAISE EXCEPTION 'a confirmation needs a note saying why the data is right'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO f FROM bmn.finding x WHERE x.finding_id = confirm_finding.finding_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'finding % does not exist', finding_id
            USING ERRCODE = 'no_data_found',
                  HINT = 'Findings are replaced when their household is loaded again; look it up in bmn.anomalies.';
    END IF;
    SELECT c.severity INTO sev FROM bmn.check_rule c WHERE c.check_code = f.check_code;
    IF sev = 'error' THEN
        RAISE EXCEPTION 'finding % is an error (%): an error cannot be confirmed, only corrected',
              finding_id, f.check_code
            USING ERRCODE = 'check_violation',
                  HINT = 'Correct the data, load the household again and run bmn.refresh.';
    END IF;
    IF f.status = 'confirmed' THEN
        RAISE EXCEPTION 'finding % is already confirmed', finding_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'bmn.finding says who confirmed it, when, and why (confirmed_by, confirmed_at, note).';
    END IF;
    UPDATE bmn.finding x
       SET status = 'confirmed', confirmed_by = session_user, confirmed_at = now(),
           note = confirm_finding.note
     WHERE x.finding_id = confirm_finding.finding_id
    RETURNING * INTO f;
    RETURN f;
END
$$;
COMMENT ON FUNCTION bmn.confirm_finding(bigint, text) IS 'Confirm an open warning or info finding with a note (the data is right); it stops counting against confidence until its household is loaded again';

-- The registry batches each round's checks have taken in: a registry load changes
-- the registry checks of every round with households it concerns.
CREATE TABLE bmn.round_registry (
    survey_year integer NOT NULL REFERENCES bmn.survey_round (survey_year) ON DELETE CASCADE,
    batch_id    bigint NOT NULL REFERENCES bmn.batch (batch_id) ON DELETE CASCADE,
    taken_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (survey_year, batch_id)
);
COMMENT ON TABLE bmn.round_registry IS 'Registry batches whose changes bmn.refresh has checked for each round';
SELECT pg_catalog.pg_extension_config_dump('bmn.round_registry', '');

-- A collector's households, for the collector checks after a correction.
CREATE INDEX household_collector_idx ON bmn.household (survey_year, collector_id);

-- The persons of a rollup, for the village checks (households: bmn.rollup_households).
CREATE FUNCTION bmn.rollup_persons(bmn.rollup) RETURNS bigint
AS 'MODULE_PATHNAME', 'bmn_rollup_persons' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bmn.rollup_persons(bmn.rollup) IS 'The number of persons counted in a rollup';

-- What the checks over many households read of each household, kept beside its
-- score: spot_key (collector, day, position, village) and ids_key (its members'
-- numbers and national IDs). A correction that leaves them as they were cannot
-- change the collector, tambon or national ID checks, which are then not redone.
ALTER TABLE bmn.household_score ADD COLUMN spot_key bigint, ADD COLUMN ids_key bigint;
COMMENT ON COLUMN bmn.household_score.spot_key IS 'Hash of the collector, day, position and village the collector and GPS checks read (bmn.refresh)';
COMMENT ON COLUMN bmn.household_score.ids_key IS 'Hash of the member numbers and national IDs the NATIONAL_ID_DUPLICATE check reads (bmn.refresh)';
