-- Privileges of the four group roles (see 80_access.sql). Nothing is granted to
-- PUBLIC beyond the schema's functions that compute from their arguments alone.

REVOKE ALL ON ALL TABLES IN SCHEMA bmn FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA bmn FROM PUBLIC;
GRANT USAGE ON SCHEMA bmn TO bmn_loader, bmn_analyst, bmn_committee, bmn_admin;

-- functions any role may call: pure computations and the types' I/O
GRANT EXECUTE ON FUNCTION bmn.thai_id_valid(text), bmn.is_digits(text, integer), bmn.age_years(date, date),
    bmn.area_level(text), bmn.village_areas(text, text), bmn.in_scope(text, text[]),
    bmn.scope_areas(), bmn.default_round_settings(),
    bmn.score_in(cstring), bmn.score_out(bmn.score), bmn.score_recv(internal),
    bmn.score_send(bmn.score), bmn.score_indicators(bmn.score),
    bmn.score_passed(bmn.score, integer), bmn.score_persons(bmn.score),
    bmn.rollup_in(cstring), bmn.rollup_out(bmn.rollup), bmn.rollup_trans(internal, bmn.score),
    bmn.rollup_merge_trans(internal, bmn.rollup), bmn.rollup_combine(internal, internal),
    bmn.rollup_serialize(internal), bmn.rollup_deserialize(bytea, internal),
    bmn.rollup_final(internal), bmn.rollup_indicators(bmn.rollup),
    bmn.rollup_households(bmn.rollup), bmn.rollup_add(bmn.rollup, bmn.rollup),
    bmn.rollup_subtract(bmn.rollup, bmn.rollup), bmn.area_last_batch(text, integer),
    bmn.hmac_sha256(bytea, text)
    TO PUBLIC;
GRANT EXECUTE ON FUNCTION bmn.rollup(bmn.score), bmn.rollup(bmn.rollup) TO PUBLIC;

-- reference data and reports: every bmn role
GRANT EXECUTE ON FUNCTION bmn.area_indicators(integer) TO bmn_loader, bmn_analyst, bmn_committee;
GRANT SELECT ON bmn.area, bmn.lao, bmn.area_name, bmn.indicator_set, bmn.indicator,
    bmn.survey_round, bmn.check_rule, bmn.batch, bmn.poverty_dimension, bmn.role_area,
    bmn.household_score, bmn.village_rollup, bmn.household_indicator, bmn.indicator_rollup,
    bmn.population_report, bmn.income_report, bmn.low_income_households,
    bmn.household_poverty, bmn.person_poverty, bmn.poverty_report,
    bmn.anomalies, bmn.anomaly_summary, bmn.confidence,
    bmn.certification, bmn.certification_status
    TO bmn_loader, bmn_analyst, bmn_committee;

-- committees and analysts see findings through bmn.anomalies as themselves, so
-- that a committee sees its areas' findings only
ALTER VIEW bmn.anomalies SET (security_invoker = true);
GRANT SELECT ON bmn.finding TO bmn_analyst, bmn_committee;

-- loaders: the survey and registry tables of their provinces (row-level security),
-- the lineage of the households they replace, batches, the villages of their
-- provinces (row-level security on bmn.area), LAOs and rounds; scoring after a load
GRANT SELECT, INSERT, DELETE ON bmn.household, bmn.member, bmn.registry_house,
    bmn.registry_person TO bmn_loader;
GRANT INSERT ON bmn.household_version TO bmn_loader;
GRANT SELECT, INSERT, UPDATE ON bmn.batch, bmn.area, bmn.lao TO bmn_loader;
GRANT INSERT ON bmn.survey_round TO bmn_loader;
GRANT EXECUTE ON FUNCTION bmn.create_round(integer, jsonb, text), bmn.refresh(integer)
    TO bmn_loader;

-- committees: their areas' households with names, confirming findings, certifying
GRANT SELECT ON bmn.household, bmn.member, bmn.registry_house, bmn.registry_person
    TO bmn_committee;
GRANT UPDATE (status, confirmed_by, confirmed_at, note) ON bmn.finding TO bmn_committee;
GRANT EXECUTE ON FUNCTION bmn.certify(text, integer, text, text),
    bmn.review_sample(text, integer, integer, integer) TO bmn_committee;

-- analysts: de-identified views instead of the tables with names
GRANT SELECT ON bmn.household_deid, bmn.member_deid, bmn.registry_person_deid TO bmn_analyst;

-- administrators: everything, including grants of areas and the pseudonym key
GRANT ALL ON ALL TABLES IN SCHEMA bmn TO bmn_admin;
GRANT ALL ON ALL SEQUENCES IN SCHEMA bmn TO bmn_admin;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA bmn TO bmn_admin;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA bmn TO bmn_loader;
-- the log is append-only for everyone; decisions go through bmn.certify
REVOKE UPDATE, DELETE, TRUNCATE ON bmn.certification FROM bmn_admin;
