-- Scores retired with their households. When a household row is deleted (the
-- loader deletes the version a correction replaces, formats.md), its score leaves
-- bmn.household_score in the same statement and waits here, with the village, LAO
-- and check keys it was counted under, until the next bmn.refresh takes it out of
-- its village's counts and empties this table for the round.
--
-- Why here and not in the refresh: the loader has just read the replaced version's
-- rows, and a correction's households lie all over the round. Looking each old
-- score up at refresh time read a page of the score table per household, which
-- the correction's own load had pushed out of shared buffers: nationally, 1% of
-- the households took 9% of a whole refresh. And household_score never holds a
-- score of a household version that is no longer there.
CREATE TABLE bmn.score_retired (
    survey_year  integer NOT NULL,
    household_id text COLLATE "C" NOT NULL,
    batch_id     bigint NOT NULL,
    village_code text NOT NULL,
    lao_code     text,
    score        bmn.score NOT NULL,
    spot_key     bigint,
    ids_key      bigint
);
COMMENT ON TABLE bmn.score_retired IS 'Scores of deleted household versions, until bmn.refresh takes them out of their villages'' counts';
SELECT pg_catalog.pg_extension_config_dump('bmn.score_retired', '');

-- Fired once per DELETE statement on bmn.household, with the rows deleted. It runs
-- as the extension's owner: loaders may delete their provinces' households but
-- not write scores.
CREATE FUNCTION bmn.retire_scores() RETURNS trigger
AS 'MODULE_PATHNAME', 'bmn_retire_scores'
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION bmn.retire_scores() IS 'Moves the scores of deleted households to bmn.score_retired (trigger on bmn.household)';

CREATE TRIGGER household_retire_scores AFTER DELETE ON bmn.household
    REFERENCING OLD TABLE AS deleted
    FOR EACH STATEMENT EXECUTE FUNCTION bmn.retire_scores();

-- A TRUNCATE takes households (or their members) away without a DELETE, so the
-- trigger above never sees them, and a refresh would find nothing to redo: their
-- scores would stay counted in their villages. Every survey batch is marked not
-- refreshed instead, and the next refresh of each round redoes it whole.
CREATE FUNCTION bmn.households_truncated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE bmn.batch SET refreshed_at = NULL
     WHERE kind = 'survey' AND refreshed_at IS NOT NULL;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION bmn.households_truncated() IS 'Marks every survey batch not refreshed (trigger on TRUNCATE of bmn.household or bmn.member): each round is then redone whole';

CREATE TRIGGER household_truncated AFTER TRUNCATE ON bmn.household
    FOR EACH STATEMENT EXECUTE FUNCTION bmn.households_truncated();
CREATE TRIGGER member_truncated AFTER TRUNCATE ON bmn.member
    FOR EACH STATEMENT EXECUTE FUNCTION bmn.households_truncated();
