-- Areas: DOPA codes nest province (2 digits), district (4), tambon (6), village (8).
-- LAOs (local administrative organisations) cross that tree: each village is served
-- by one LAO, recorded on the village.

CREATE FUNCTION bmn.is_digits(value text, n integer) RETURNS boolean
AS 'MODULE_PATHNAME', 'bmn_is_digits' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bmn.is_digits(text, integer) IS 'Whether the text is exactly n ASCII digits (the check on code columns: as value ~ ''^[0-9]{n}$'', cheaper)';

CREATE TABLE bmn.area (
    area_code   text PRIMARY KEY
                CHECK (area_code ~ '^[0-9]{2}([0-9]{2}){0,3}$'),
    level       text NOT NULL
                CHECK (level IN ('province', 'district', 'tambon', 'village')),
    name_th     text NOT NULL,
    name_en     text,
    parent_code text REFERENCES bmn.area (area_code),
    lao_code    text,
    CHECK (level = CASE length(area_code) WHEN 2 THEN 'province' WHEN 4 THEN 'district'
                                          WHEN 6 THEN 'tambon' ELSE 'village' END),
    CHECK ((length(area_code) = 2 AND parent_code IS NULL)
           OR parent_code = left(area_code, length(area_code) - 2))
);
CREATE INDEX area_parent_idx ON bmn.area (parent_code);
COMMENT ON TABLE bmn.area IS 'DOPA areas: provinces, districts, tambons and villages (หมู่บ้าน)';

CREATE TABLE bmn.lao (
    lao_code text PRIMARY KEY,
    name_th  text,
    name_en  text
);
COMMENT ON TABLE bmn.lao IS 'Local administrative organisations (อปท.) that serve villages';

-- The level name of an area code, from its length.
CREATE FUNCTION bmn.area_level(code text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE length(code) WHEN 2 THEN 'province' WHEN 4 THEN 'district'
                         WHEN 6 THEN 'tambon' WHEN 8 THEN 'village' END;
