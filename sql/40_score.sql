-- Scores: the compact per-household indicator result (C type bmn.score), the
-- aggregate that rolls scores up (bmn.rollup), and the national ID check.

CREATE FUNCTION bmn.thai_id_valid(text) RETURNS boolean
AS 'MODULE_PATHNAME', 'bmn_thai_id_valid'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bmn.thai_id_valid(text) IS
'True when the text is a 13-digit national ID (dashes, spaces and Thai digits allowed) whose check digit is right';

-- bmn.score: which indicators apply to a household and which it passes, with person
-- counts for member-level indicators. Text form:
--   persons=3 thai=3 applicable=4,5,22 passed=4,22 members=16:1/1,20:2/1
CREATE TYPE bmn.score;
CREATE FUNCTION bmn.score_in(cstring) RETURNS bmn.score
AS 'MODULE_PATHNAME', 'bmn_score_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bmn.score_out(bmn.score) RETURNS cstring
AS 'MODULE_PATHNAME', 'bmn_score_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bmn.score_recv(internal) RETURNS bmn.score
AS 'MODULE_PATHNAME', 'bmn_score_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bmn.score_send(bmn.score) RETURNS bytea
AS 'MODULE_PATHNAME', 'bmn_score_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE bmn.score (
    INPUT = bmn.score_in, OUTPUT = bmn.score_out,
    RECEIVE = bmn.score_recv, SEND = bmn.score_send,
    INTERNALLENGTH = 96, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE bmn.score IS 'One household''s indicator results (applicable, passed, persons per member-level indicator)';

CREATE FUNCTION bmn.score_indicators(bmn.score,
    OUT indicator integer, OUT applicable boolean, OUT passed boolean,
    OUT persons_applicable integer, OUT persons_passed integer)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'bmn_score_indicators'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION bmn.score_indicators(bmn.score) IS 'One row per indicator that applies to the household';

CREATE FUNCTION bmn.score_passed(bmn.score, integer) RETURNS boolean
AS 'MODULE_PATHNAME', 'bmn_score_passed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bmn.score_passed(bmn.score, integer) IS 'Whether the household passes the indicator (NULL when it does not apply)';

CREATE FUNCTION bmn.score_persons(bmn.score) RETURNS integer
AS 'MODULE_PATHNAME', 'bmn_score_persons' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bmn.score_persons(bmn.score) IS 'The number of household members the score was computed over';

-- bmn.rollup: counts per indicator over many households (households and persons,
-- applicable and passed). Text form: households=N persons=N 22:HA/HP/PA/PP,...
CREATE TYPE bmn.rollup;
CREATE FUNCTION bmn.rollup_in(cstring) RETURNS bmn.rollup
AS 'MODULE_PATHNAME', 'bmn_rollup_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION bmn.rollup_out(bmn.rollup) RETURNS cstring
AS 'MODULE_PATHNAME', 'bmn_rollup_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE bmn.rollup (
    INPUT = bmn.rollup_in, OUTPUT = bmn.rollup_out,
    INTERNALLENGTH = VARIABLE, ALIGNMENT = int, STORAGE = extended
);

CREATE FUNCTION bmn.rollup_trans(internal, bmn.score) RETURNS internal
AS 'MODULE_PATHNAME', 'bmn_rollup_trans' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION bmn.rollup_merge_trans(internal, bmn.rollup) RETURNS internal
AS 'MODULE_PATHNAME', 'bmn_rollup_merge_trans' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION bmn.rollup_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'bmn_rollup_combine' LANGUAGE C PARALLEL SAFE;
CREATE FUNCTION bmn.rollup_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'bmn_rollup_serialize' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION bmn.rollup_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'bmn_rollup_deserialize' LANGUAGE C STRICT PARALLEL SAFE;
CREATE FUNCTION bmn.rollup_final(internal) RETURNS bmn.rollup
AS 'MODULE_PATHNAME', 'bmn_rollup_final' LANGUAGE C PARALLEL SAFE;

CREATE AGGREGATE bmn.rollup(bmn.score) (
    SFUNC = bmn.rollup_trans, STYPE = internal, SSPACE = 2100,
    COMBINEFUNC = bmn.rollup_combine,
    SERIALFUNC = bmn.rollup_serialize, DESERIALFUNC = bmn.rollup_deserialize,
    FINALFUNC = bmn.rollup_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bmn.rollup(bmn.score) IS 'Indicator counts over households (runs in parallel)';

CREATE AGGREGATE bmn.rollup(bmn.rollup) (
    SFUNC = bmn.rollup_merge_trans, STYPE = internal, SSPACE = 2100,
    COMBINEFUNC = bmn.rollup_combine,
    SERIALFUNC = bmn.rollup_serialize, DESERIALFUNC = bmn.rollup_deserialize,
    FINALFUNC = bmn.rollup_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE bmn.rollup(bmn.rollup) IS 'Sum of indicator counts (areas into their parent area)';

CREATE FUNCTION bmn.rollup_indicators(bmn.rollup,
    OUT indicator integer,
    OUT households_applicable bigint, OUT households_passed bigint,
    OUT persons_applicable bigint, OUT persons_passed bigint, OUT pct_passed numeric)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'bmn_rollup_indicators'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION bmn.rollup_indicators(bmn.rollup) IS 'One row per indicator that applies to some household; pct_passed: households passed in percent of those applicable, to 2 decimals';

CREATE FUNCTION bmn.rollup_add(bmn.rollup, bmn.rollup) RETURNS bmn.rollup
AS 'MODULE_PATHNAME', 'bmn_rollup_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bmn.rollup_add(bmn.rollup, bmn.rollup) IS 'The counts of both';
CREATE FUNCTION bmn.rollup_subtract(bmn.rollup, bmn.rollup) RETURNS bmn.rollup
AS 'MODULE_PATHNAME', 'bmn_rollup_subtract' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bmn.rollup_subtract(bmn.rollup, bmn.rollup) IS 'The counts of the first less those of the second (an error when that leaves impossible counts)';

CREATE FUNCTION bmn.rollup_households(bmn.rollup) RETURNS bigint
AS 'MODULE_PATHNAME', 'bmn_rollup_households' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- One row per household and round: its score as of the batch it was scored from.
-- One partition per round, bmn.household_score_YYYY, made by bmn.refresh: a
-- refresh of the whole round writes a new partition and only then builds its
-- unique index on (household_id, batch_id) (one sort instead of a B-tree insert
-- per household), and the old one is dropped rather than deleted row by row. A
-- household's score leaves with its row (bmn.score_retired, 52_retired_scores.sql).
CREATE TABLE bmn.household_score (
    survey_year  integer NOT NULL,
    household_id text COLLATE "C" NOT NULL,
    batch_id     bigint NOT NULL,
    village_code text NOT NULL,
    lao_code     text,
    score        bmn.score NOT NULL
) PARTITION BY LIST (survey_year);
COMMENT ON TABLE bmn.household_score IS 'Indicator results per household, written by bmn.refresh';

-- The village rollups every higher level is summed from; bmn.refresh keeps them in
-- step with household_score, redoing only the villages whose households changed.
-- lao_code '' stands for households without one (a key column cannot be NULL).
CREATE TABLE bmn.village_rollup (
    survey_year  integer NOT NULL,
    village_code text NOT NULL,
    lao_code     text NOT NULL DEFAULT '',
    rollup       bmn.rollup NOT NULL,
    PRIMARY KEY (survey_year, village_code, lao_code)
) WITH (fillfactor = 50);   -- a correction's refresh updates its villages in place (HOT)
COMMENT ON TABLE bmn.village_rollup IS 'Indicator counts per village (and the LAO serving its households), written by bmn.refresh';

CREATE FUNCTION bmn.refresh(survey_year integer) RETURNS bigint
AS 'MODULE_PATHNAME', 'bmn_refresh'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION bmn.refresh(integer) IS
'Score the households of a round and run the checks; only what changed since the last refresh is redone. Returns the number of households scored';
