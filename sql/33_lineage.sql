-- Lineage of corrected households. A household sent again in a later batch replaces
-- the earlier version (formats.md); the loader records here which batch the replaced
-- version came from and which batch replaced it, so that every version stays
-- traceable to its files (bmn.batch.files) after the correction.

CREATE TABLE bmn.household_version (
    survey_year       integer NOT NULL,
    household_id      text COLLATE "C" NOT NULL,
    batch_id          bigint NOT NULL,
    village_code      text NOT NULL CHECK (bmn.is_digits(village_code, 8)),
    replaced_by_batch bigint NOT NULL,
    replaced_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (survey_year, household_id, batch_id)
);
CREATE INDEX household_version_replaced_by_idx ON bmn.household_version (replaced_by_batch);
COMMENT ON TABLE bmn.household_version IS 'Earlier versions of households, replaced by a later batch: the batch each came from and the batch that replaced it';

SELECT pg_catalog.pg_extension_config_dump('bmn.household_version', '');
