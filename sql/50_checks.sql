-- The committees' checks (interface.md) and their findings.

CREATE TABLE bmn.check_rule (
    check_code  text PRIMARY KEY,
    level       text NOT NULL CHECK (level IN ('household', 'member', 'village', 'collector')),
    severity    text NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    name_th     text NOT NULL,
    name_en     text NOT NULL,
    fires_when  text NOT NULL
);
COMMENT ON TABLE bmn.check_rule IS 'The plausibility checks: stable code, level, severity';

INSERT INTO bmn.check_rule (check_code, level, severity, name_th, name_en, fires_when) VALUES
('INCOME_ZERO', 'household', 'warning', 'รายได้เฉลี่ย 0 บาท/คน/ปี', 'Zero income', 'average income is 0 baht/person/year'),
('INCOME_LOW', 'household', 'warning', 'รายได้เฉลี่ยต่ำกว่าเกณฑ์', 'Income below the threshold', 'average income above 0 and below the round''s income threshold'),
('INCOME_HIGH', 'household', 'warning', 'รายได้เฉลี่ยเกิน 1,000,000 บาท/คน/ปี', 'Very high income', 'average income above the round''s income_high (1,000,000 by default)');

CREATE TABLE bmn.finding (
    finding_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_year  integer NOT NULL,
    check_code   text NOT NULL,   -- a code of bmn.check_rule; only bmn.refresh writes here
    entity       text NOT NULL CHECK (entity IN ('household', 'member', 'village', 'collector')),
    village_code text,
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
CREATE INDEX finding_check_idx ON bmn.finding (survey_year, check_code);
COMMENT ON TABLE bmn.finding IS 'What the checks found, with the values that triggered each finding';
COMMENT ON COLUMN bmn.finding.details IS 'The values that triggered the finding';
