-- pg_dump saves the data of an extension's tables only when told to: everything
-- users load, and the indicator sets they add (the shipped ones come with the
-- extension itself).
SELECT pg_catalog.pg_extension_config_dump('bmn.area', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.lao', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.indicator_set', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('bmn.indicator', 'WHERE NOT builtin');
SELECT pg_catalog.pg_extension_config_dump('bmn.survey_round', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.batch', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.batch_batch_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.household', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.member', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.household_score', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.finding', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.finding_finding_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.registry_house', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.registry_person', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.village_rollup', '');
SELECT pg_catalog.pg_extension_config_dump('bmn.poverty_dimension', 'WHERE NOT builtin');
