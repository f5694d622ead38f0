-- Who may see and change what. The data is personal (names, national IDs and
-- incomes, protected by the Personal Data Protection Act): area scope is enforced by
-- row-level security, and analysts see de-identified views only.
--
-- Group roles (NOLOGIN; cluster-wide, so created when missing and left in place when
-- the extension is dropped):
--   bmn_loader     loads batches into the provinces granted to it
--   bmn_analyst    reads reports and de-identified data everywhere
--   bmn_committee  reads its areas' households with names, confirms findings, certifies
--   bmn_admin      everything, including area grants and the pseudonym key
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['bmn_loader', 'bmn_analyst', 'bmn_committee', 'bmn_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$$;

-- Area scope of login (or group) roles: an area and everything under it.
CREATE TABLE bmn.role_area (
    role_name  name NOT NULL,
    area_code  text NOT NULL,
    granted_by name NOT NULL DEFAULT session_user,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (role_name, area_code)
);
COMMENT ON TABLE bmn.role_area IS 'Areas granted to roles by bmn.grant_area; ''TH'' is the whole country';

-- The areas the current user may reach, through its own grants and its groups'.
CREATE FUNCTION bmn.scope_areas() RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(array_agg(DISTINCT ra.area_code), '{}')
      FROM bmn.role_area ra
     WHERE pg_has_role(current_user, ra.role_name, 'MEMBER')
$$;
COMMENT ON FUNCTION bmn.scope_areas() IS 'The area codes granted to the current user or its groups';

-- Whether a village lies in one of the areas. Inlined into the policies, with
-- (SELECT bmn.scope_areas()) computed once per query.
CREATE FUNCTION bmn.in_scope(village_code text, areas text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN village_code IS NOT NULL AND
       ('TH' = ANY (areas) OR left(village_code, 2) = ANY (areas)
        OR left(village_code, 4) = ANY (areas) OR left(village_code, 6) = ANY (areas)
        OR village_code = ANY (areas));

CREATE FUNCTION bmn.grant_area(role_name name, area_code text) RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = grant_area.role_name) THEN
        RAISE EXCEPTION 'role "%" does not exist', role_name
            USING ERRCODE = 'undefined_object';
    END IF;
    IF area_code IS DISTINCT FROM 'TH'
       AND NOT EXISTS (SELECT 1 FROM bmn.area a WHERE a.area_code = grant_area.area_code) THEN
        RAISE EXCEPTION 'area "%" is not in the area list', area_code
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'Load the area list first, or give ''TH'' for the whole country.';
    END IF;
    INSERT INTO bmn.role_area (role_name, area_code)
    VALUES (grant_area.role_name, grant_area.area_code)
    ON CONFLICT DO NOTHING;
END
$$;
COMMENT ON FUNCTION bmn.grant_area(name, text) IS 'Give a role the scope of an area and everything under it (bmn_admin only)';

CREATE FUNCTION bmn.revoke_area(role_name name, area_code text) RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    DELETE FROM bmn.role_area ra
     WHERE ra.role_name = revoke_area.role_name AND ra.area_code = revoke_area.area_code;
END;
COMMENT ON FUNCTION bmn.revoke_area(name, text) IS 'Take back an area given with bmn.grant_area (bmn_admin only)';

-- The key of the analysts' pseudonyms: made once, readable by bmn_admin alone, and
-- dumped with the data so that pseudonyms stay the same after a restore.
CREATE TABLE bmn.pseudonym_key (
    only_one boolean PRIMARY KEY DEFAULT true CHECK (only_one),
    key      bytea NOT NULL CHECK (length(key) >= 16)
);
INSERT INTO bmn.pseudonym_key (key)
SELECT sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text
                         || clock_timestamp()::text, 'UTF8'));
SELECT pg_catalog.pg_extension_config_dump('bmn.pseudonym_key', '');

-- A restore (pg_dump saves the key) runs CREATE EXTENSION, which makes a new key,
-- then copies the saved one in: the saved key replaces the new one, so that the
-- pseudonyms analysts hold stay the same after a restore.
CREATE FUNCTION bmn.pseudonym_key_replace() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    DELETE FROM bmn.pseudonym_key;
    RETURN NEW;
END
$$;
CREATE TRIGGER replace_key BEFORE INSERT ON bmn.pseudonym_key
    FOR EACH ROW EXECUTE FUNCTION bmn.pseudonym_key_replace();

CREATE FUNCTION bmn.hmac_sha256(key bytea, message text) RETURNS bytea
AS 'MODULE_PATHNAME', 'bmn_hmac_sha256'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Row-level security by area on every table that holds households, members,
-- registry persons or findings. Owners and superusers are not subject to it.
ALTER TABLE bmn.household ENABLE ROW LEVEL SECURITY;
ALTER TABLE bmn.member ENABLE ROW LEVEL SECURITY;
ALTER TABLE bmn.registry_house ENABLE ROW LEVEL SECURITY;
ALTER TABLE bmn.registry_person ENABLE ROW LEVEL SECURITY;
ALTER TABLE bmn.finding ENABLE ROW LEVEL SECURITY;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['household', 'member', 'registry_house', 'registry_person',
                             'finding'] LOOP
        EXECUTE format('CREATE POLICY admin_all ON bmn.%I TO bmn_admin USING (true) WITH CHECK (true)', t);
        EXECUTE format('CREATE POLICY scope_read ON bmn.%I FOR SELECT TO bmn_loader, bmn_committee'
                       ' USING (bmn.in_scope(village_code, (SELECT bmn.scope_areas())))', t);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['household', 'member', 'registry_house', 'registry_person'] LOOP
        EXECUTE format('CREATE POLICY loader_insert ON bmn.%I FOR INSERT TO bmn_loader'
                       ' WITH CHECK (bmn.in_scope(village_code, (SELECT bmn.scope_areas())))', t);
        EXECUTE format('CREATE POLICY loader_delete ON bmn.%I FOR DELETE TO bmn_loader'
                       ' USING (bmn.in_scope(village_code, (SELECT bmn.scope_areas())))', t);
    END LOOP;
END
$$;
-- The area list is read by everyone and changed by administrators; a loader adds and
-- names the villages of its own areas, which its survey and registry batches bring.
-- (bmn load tells a loader up front that an area list is not its to load.)
ALTER TABLE bmn.area ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON bmn.area FOR SELECT USING (true);
CREATE POLICY admin_all ON bmn.area TO bmn_admin USING (true) WITH CHECK (true);
CREATE POLICY loader_village_insert ON bmn.area FOR INSERT TO bmn_loader
    WITH CHECK (level = 'village' AND bmn.in_scope(area_code, (SELECT bmn.scope_areas())));
CREATE POLICY loader_village_update ON bmn.area FOR UPDATE TO bmn_loader
    USING (level = 'village' AND bmn.in_scope(area_code, (SELECT bmn.scope_areas())))
    WITH CHECK (level = 'village' AND bmn.in_scope(area_code, (SELECT bmn.scope_areas())));

-- Analysts see every finding (codes and values, no names); committees confirm theirs.
CREATE POLICY analyst_read ON bmn.finding FOR SELECT TO bmn_analyst USING (true);
CREATE POLICY committee_confirm ON bmn.finding FOR UPDATE TO bmn_committee
    USING (bmn.in_scope(village_code, (SELECT bmn.scope_areas())))
    WITH CHECK (bmn.in_scope(village_code, (SELECT bmn.scope_areas())));

-- What analysts read instead of the tables: no names, national IDs as keyed
-- pseudonyms, birth dates as years, coordinates to about a kilometre, no house codes.
CREATE VIEW bmn.household_deid AS
    SELECT h.survey_year, h.household_id, h.batch_id, h.village_code, h.lao_code,
           round(h.latitude::numeric, 2) AS latitude, round(h.longitude::numeric, 2) AS longitude,
           h.collector_id, h.interview_date, h.consent,
           h.income_main, h.income_secondary, h.income_other, h.income_own_production,
           h.expense_production, h.expense_consumption, h.expense_unnecessary, h.expense_debt,
           h.ind_01, h.ind_02, h.ind_03, h.ind_04, h.ind_05, h.ind_06, h.ind_07, h.ind_08,
           h.ind_09, h.ind_10, h.ind_11, h.ind_12, h.ind_13, h.ind_14, h.ind_15, h.ind_16,
           h.ind_17, h.ind_18, h.ind_19, h.ind_20, h.ind_21, h.ind_22, h.ind_23, h.ind_24,
           h.ind_25, h.ind_26, h.ind_27, h.ind_28, h.ind_29, h.ind_30, h.ind_31, h.ind_32,
           h.ind_33, h.ind_34, h.ind_35, h.ind_36, h.ind_37, h.ind_38
      FROM bmn.household h;
COMMENT ON VIEW bmn.household_deid IS 'Households de-identified for analysts: no house code or number, coordinates rounded to 0.01 degree';

CREATE VIEW bmn.member_deid AS
    SELECT m.survey_year, m.household_id, m.member_no, m.village_code,
           encode(bmn.hmac_sha256(k.key, m.national_id), 'hex') AS national_id_pseudonym,
           m.sex, extract(year FROM m.birth_date)::integer + 543 AS birth_year_be,
           m.relation, m.nationality, m.education, m.in_school, m.literate, m.occupation,
           m.income, m.health_status, m.self_care, m.welfare_card,
           m.ind_01, m.ind_02, m.ind_03, m.ind_04, m.ind_05, m.ind_06, m.ind_07, m.ind_08,
           m.ind_09, m.ind_10, m.ind_11, m.ind_12, m.ind_13, m.ind_14, m.ind_15, m.ind_16,
           m.ind_17, m.ind_18, m.ind_19, m.ind_20, m.ind_21, m.ind_22, m.ind_23, m.ind_24,
           m.ind_25, m.ind_26, m.ind_27, m.ind_28, m.ind_29, m.ind_30, m.ind_31, m.ind_32,
           m.ind_33, m.ind_34, m.ind_35, m.ind_36, m.ind_37, m.ind_38
      FROM bmn.member m CROSS JOIN bmn.pseudonym_key k;
COMMENT ON VIEW bmn.member_deid IS 'Members de-identified for analysts: no names, national IDs as HMAC-SHA256 pseudonyms (same ID, same pseudonym), birth years (BE) only';

CREATE VIEW bmn.registry_person_deid AS
    SELECT p.village_code, encode(bmn.hmac_sha256(k.key, p.national_id), 'hex') AS national_id_pseudonym,
           p.sex, extract(year FROM p.birth_date)::integer + 543 AS birth_year_be,
           p.nationality, p.status, p.batch_id
      FROM bmn.registry_person p CROSS JOIN bmn.pseudonym_key k;
COMMENT ON VIEW bmn.registry_person_deid IS 'Registered persons de-identified for analysts';
