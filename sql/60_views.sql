-- The views analysts and committees query. Levels: village, tambon, lao, district,
-- province, country (area_code 'TH').

-- Completed years between a birth date and a day (the birthday itself counts);
-- -1 when born after that day.
CREATE FUNCTION bmn.age_years(birth_date date, on_date date) RETURNS integer
AS 'MODULE_PATHNAME', 'bmn_age_years_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION bmn.age_years(date, date) IS 'Completed years from birth_date to on_date, as the indicator rules count them (-1: born after it)';

-- Every area a village belongs to, the village itself included. bmn.area_indicators
-- (rollup_areas.c) derives the same in C for indicator_rollup; the rollup_levels
-- test keeps the two alike.
CREATE FUNCTION bmn.village_areas(village_code text, lao_code text,
    OUT level text, OUT area_code text)
RETURNS SETOF record
LANGUAGE sql IMMUTABLE PARALLEL SAFE ROWS 6
AS $$
    SELECT l, c FROM (VALUES ('village', village_code),
                             ('tambon', left(village_code, 6)),
                             ('lao', lao_code),
                             ('district', left(village_code, 4)),
                             ('province', left(village_code, 2)),
                             ('country', 'TH')) v(l, c)
     WHERE c IS NOT NULL
$$;

CREATE VIEW bmn.area_name AS
    SELECT area_code, level, name_th, name_en FROM bmn.area
    UNION ALL
    SELECT lao_code, 'lao', name_th, name_en FROM bmn.lao
    UNION ALL
    SELECT 'TH', 'country', 'ประเทศไทย', 'Thailand';
COMMENT ON VIEW bmn.area_name IS 'Names of areas at every level, LAOs and the country included';

CREATE VIEW bmn.household_indicator AS
    SELECT s.survey_year AS year, s.household_id, s.village_code, s.lao_code,
           i.indicator, i.indicator AS indicator_no, i.applicable, i.passed,
           i.persons_applicable, i.persons_passed
      FROM bmn.household_score s, bmn.score_indicators(s.score) i;
COMMENT ON VIEW bmn.household_indicator IS 'Per household and indicator that applies: passed or not (after bmn.refresh)';

-- The rows of indicator_rollup for one round, in C (rollup_areas.c): as a grouping
-- of the villages' rollups in SQL, the grouping and a function scan per area took
-- three times as long. It reads bmn.village_rollup as its owner, as the view did.
CREATE FUNCTION bmn.area_indicators(survey_year integer,
    OUT area_code text, OUT level text, OUT indicator integer,
    OUT households_applicable bigint, OUT households_passed bigint,
    OUT households_failed bigint, OUT persons_applicable bigint,
    OUT persons_passed bigint, OUT persons_failed bigint, OUT pct_passed numeric)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'bmn_area_indicators'
LANGUAGE C STABLE STRICT PARALLEL RESTRICTED ROWS 10000 SECURITY DEFINER
SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION bmn.area_indicators(integer) IS 'The rows of bmn.indicator_rollup for one survey round: villages summed into tambons, LAOs, districts, provinces and the country';

-- A round's rows come from one call: "WHERE year = ..." picks the round first.
CREATE VIEW bmn.indicator_rollup AS
    SELECT r.survey_year AS year, a.area_code, a.level,
           a.indicator, a.indicator AS indicator_no,
           a.households_applicable, a.households_passed, a.households_failed,
           a.persons_applicable, a.persons_passed, a.persons_failed,
           a.pct_passed
      FROM bmn.survey_round r, bmn.area_indicators(r.survey_year) a;
COMMENT ON VIEW bmn.indicator_rollup IS 'Households and persons applicable, passed and failed per indicator and area, at every level (after bmn.refresh)';

CREATE VIEW bmn.population_report AS
    WITH hh AS (
        SELECT h.survey_year, h.household_id, h.village_code, h.lao_code,
               count(m.member_no) AS persons,
               count(*) FILTER (WHERE m.sex = 1) AS male,
               count(*) FILTER (WHERE m.sex = 2) AS female,
               count(*) FILTER (WHERE bmn.age_years(m.birth_date, h.interview_date) BETWEEN 0 AND 5) AS age_0_5,
               count(*) FILTER (WHERE bmn.age_years(m.birth_date, h.interview_date) BETWEEN 6 AND 14) AS age_6_14,
               count(*) FILTER (WHERE bmn.age_years(m.birth_date, h.interview_date) BETWEEN 15 AND 59) AS age_15_59,
               count(*) FILTER (WHERE bmn.age_years(m.birth_date, h.interview_date) >= 60) AS age_60_plus,
               count(*) FILTER (WHERE m.nationality = 'TH') AS thai,
               count(*) FILTER (WHERE m.nationality <> 'TH') AS foreigners
          FROM bmn.household h
          LEFT JOIN bmn.member m USING (survey_year, household_id)
         GROUP BY h.survey_year, h.household_id
    )
    SELECT hh.survey_year AS year, a.area_code, a.level, n.name_th, n.name_en,
           count(*) AS households, sum(persons)::bigint AS persons,
           sum(male)::bigint AS male, sum(female)::bigint AS female,
           sum(age_0_5)::bigint AS age_0_5, sum(age_6_14)::bigint AS age_6_14,
           sum(age_15_59)::bigint AS age_15_59, sum(age_60_plus)::bigint AS age_60_plus,
           sum(thai)::bigint AS thai, sum(foreigners)::bigint AS foreigners
      FROM hh
     CROSS JOIN LATERAL bmn.village_areas(hh.village_code, hh.lao_code) a
      LEFT JOIN bmn.area_name n ON n.area_code = a.area_code AND n.level = a.level
     GROUP BY hh.survey_year, a.area_code, a.level, n.name_th, n.name_en;
COMMENT ON VIEW bmn.population_report IS 'Households and persons per area: by sex, age group (0-5, 6-14, 15-59, 60+), Thai and foreign';

CREATE VIEW bmn.anomalies AS
    SELECT f.survey_year AS year, f.check_code, c.severity, c.level AS check_level,
           f.entity, f.village_code, left(f.village_code, 6) AS tambon_code,
           left(f.village_code, 4) AS district_code, left(f.village_code, 2) AS province_code,
           f.lao_code, f.household_id, f.member_no, f.collector_id,
           f.details, f.finding_id, f.found_at
      FROM bmn.finding f JOIN bmn.check_rule c USING (check_code)
     WHERE f.status = 'open';
COMMENT ON VIEW bmn.anomalies IS 'One row per open finding: the check, its severity, the household, member, village or collector it concerns with its areas, and the values that triggered it';

-- Per area and check, as CSPro's edit summaries: open findings (count), confirmed
-- ones, and the denominator they are out of: households for household checks,
-- persons for member checks, villages for village checks, collectors (who
-- collected in the area) for collector checks. Over the refreshed households;
-- everything is counted per village and LAO first, then summed up the levels.
CREATE VIEW bmn.anomaly_summary AS
    WITH per_village AS (
        SELECT s.survey_year, s.village_code, s.lao_code, count(*) AS households,
               sum(bmn.score_persons(s.score)) AS persons
          FROM bmn.household_score s
         GROUP BY s.survey_year, s.village_code, s.lao_code
    ), base AS (
        SELECT v.survey_year, a.level, a.area_code, sum(v.households)::bigint AS households,
               sum(v.persons)::bigint AS persons, count(DISTINCT v.village_code) AS villages
          FROM per_village v
         CROSS JOIN LATERAL bmn.village_areas(v.village_code, v.lao_code) a
         GROUP BY v.survey_year, a.level, a.area_code
    ), collectors AS (
        SELECT c.survey_year, a.level, a.area_code, count(DISTINCT c.collector_id) AS collectors
          FROM (SELECT DISTINCT h.survey_year, h.village_code, h.lao_code, h.collector_id
                  FROM bmn.household h) c
         CROSS JOIN LATERAL bmn.village_areas(c.village_code, c.lao_code) a
         GROUP BY c.survey_year, a.level, a.area_code
    ), found_village AS (
        SELECT f.survey_year, f.village_code, f.lao_code, f.check_code,
               count(*) FILTER (WHERE f.status = 'open') AS open_count,
               count(*) FILTER (WHERE f.status = 'confirmed') AS confirmed
          FROM bmn.finding f
         GROUP BY f.survey_year, f.village_code, f.lao_code, f.check_code
    ), found AS (
        SELECT f.survey_year, a.level, a.area_code, f.check_code,
               sum(f.open_count)::bigint AS open_count, sum(f.confirmed)::bigint AS confirmed
          FROM found_village f
         CROSS JOIN LATERAL bmn.village_areas(f.village_code, f.lao_code) a
         GROUP BY f.survey_year, a.level, a.area_code, f.check_code
    )
    SELECT f.survey_year AS year, f.area_code, f.level, f.check_code, c.severity,
           f.open_count AS count, f.confirmed, d.denominator,
           c.level AS check_level,
           round(100.0 * f.open_count / nullif(d.denominator, 0), 2) AS pct
      FROM found f
      JOIN bmn.check_rule c ON c.check_code = f.check_code
      LEFT JOIN base b ON (b.survey_year, b.level, b.area_code) = (f.survey_year, f.level, f.area_code)
      LEFT JOIN collectors k ON (k.survey_year, k.level, k.area_code) = (f.survey_year, f.level, f.area_code)
     CROSS JOIN LATERAL (SELECT CASE c.level WHEN 'household' THEN b.households
                                             WHEN 'member' THEN b.persons
                                             WHEN 'village' THEN b.villages
                                             ELSE k.collectors END AS denominator) d;
COMMENT ON VIEW bmn.anomaly_summary IS 'Per area (every level) and check: open findings (count), confirmed ones, the denominator (households, persons, villages or collectors) and count as a percentage of it';

-- How clean each area is: the refreshed households, those with an open error or
-- warning on themselves or their members (confirmed findings no longer count),
-- and the open errors anywhere in the area.
CREATE VIEW bmn.confidence AS
    WITH households AS (
        SELECT s.survey_year, s.village_code, coalesce(s.lao_code, '') AS lao, count(*) AS households
          FROM bmn.household_score s
         GROUP BY 1, 2, 3
    ), open_findings AS (
        SELECT f.survey_year, f.village_code, coalesce(f.lao_code, '') AS lao,
               count(DISTINCT f.household_id) FILTER (WHERE f.entity IN ('household', 'member'))
                   AS flagged,
               count(*) FILTER (WHERE c.severity = 'error') AS open_errors
          FROM bmn.finding f JOIN bmn.check_rule c USING (check_code)
         WHERE f.status = 'open' AND c.severity IN ('error', 'warning')
         GROUP BY 1, 2, 3
    ), per_village AS (
        SELECT coalesce(h.survey_year, o.survey_year) AS survey_year,
               coalesce(h.village_code, o.village_code) AS village_code,
               coalesce(h.lao, o.lao) AS lao,
               coalesce(h.households, 0) AS households, coalesce(o.flagged, 0) AS flagged,
               coalesce(o.open_errors, 0) AS open_errors
          FROM households h
          FULL JOIN open_findings o USING (survey_year, village_code, lao)
    ), per_area AS (
        SELECT v.survey_year, a.level, a.area_code, sum(v.households)::bigint AS households,
               sum(v.flagged)::bigint AS households_with_findings,
               sum(v.open_errors)::bigint AS open_errors
          FROM per_village v
         CROSS JOIN LATERAL bmn.village_areas(v.village_code, nullif(v.lao, '')) a
         GROUP BY v.survey_year, a.level, a.area_code
    )
    SELECT p.survey_year AS year, p.area_code, p.level, p.households,
           p.households_with_findings, p.open_errors,
           round(100.0 * (p.households - p.households_with_findings) / p.households, 2)
               AS confidence_pct,
           (100.0 * (p.households - p.households_with_findings) / p.households
               >= coalesce((r.settings->>'confidence_min_pct')::numeric, 95)
            AND p.open_errors = 0) AS certifiable
      FROM per_area p
      JOIN bmn.survey_round r USING (survey_year)
     WHERE p.households > 0;
COMMENT ON VIEW bmn.confidence IS 'Per area: households, households with open error or warning findings, open errors, confidence_pct, certifiable (confidence at least the round''s confidence_min_pct, 95 by default, and no open error)';

-- Collection against the registry, as the provinces follow it: per village,
-- tambon, district, province and the country, the target (registered houses), the households
-- collected, the percentage, and the rank among the areas of the same parent
-- (1 = highest percentage; the provinces rank within the country). Registry
-- villages with nothing collected yet are listed in the provinces a round has
-- data in.
CREATE VIEW bmn.collection_progress AS
    WITH target AS (
        SELECT rh.village_code, count(*) AS houses FROM bmn.registry_house rh GROUP BY 1
    ), collected AS (
        SELECT h.survey_year, h.village_code, count(*) AS households
          FROM bmn.household h GROUP BY 1, 2
    ), villages AS (
        SELECT c.survey_year, c.village_code, coalesce(t.houses, 0) AS target, c.households
          FROM collected c LEFT JOIN target t USING (village_code)
        UNION ALL
        SELECT p.survey_year, t.village_code, t.houses, 0
          FROM target t
          JOIN (SELECT DISTINCT survey_year, left(village_code, 2) AS province FROM collected) p
            ON left(t.village_code, 2) = p.province
         WHERE NOT EXISTS (SELECT FROM collected c
                            WHERE c.survey_year = p.survey_year AND c.village_code = t.village_code)
    ), areas AS (
        SELECT v.survey_year, x.level, x.area_code, x.parent_code,
               sum(v.target)::bigint AS target_households, sum(v.households)::bigint AS collected
          FROM villages v
         CROSS JOIN LATERAL (VALUES ('village', v.village_code, left(v.village_code, 6)),
                                    ('tambon', left(v.village_code, 6), left(v.village_code, 4)),
                                    ('district', left(v.village_code, 4), left(v.village_code, 2)),
                                    ('province', left(v.village_code, 2), 'TH'),
                                    ('country', 'TH', NULL))
               x(level, area_code, parent_code)
         GROUP BY v.survey_year, x.level, x.area_code, x.parent_code
    ), pct AS (
        SELECT a.*, round(100.0 * a.collected / nullif(a.target_households, 0), 2) AS pct
          FROM areas a
    )
    SELECT p.survey_year AS year, p.area_code, p.level, n.name_th, n.name_en, p.parent_code,
           p.target_households, p.collected, p.pct,
           rank() OVER (PARTITION BY p.survey_year, p.level, p.parent_code
                        ORDER BY p.pct DESC NULLS LAST) AS rank
      FROM pct p
      LEFT JOIN bmn.area_name n ON n.area_code = p.area_code AND n.level = p.level;
COMMENT ON VIEW bmn.collection_progress IS 'Per village, tambon, district, province and country: target households (registry houses), collected, pct, and rank within the parent area by pct (1 = best)';

-- Income per person is a household's total income divided by its members; the
-- median is over households. Expenditure: the households that gave any.
CREATE VIEW bmn.income_report AS
    WITH hh AS (
        SELECT h.survey_year, h.household_id, h.village_code, h.lao_code,
               h.income_main + h.income_secondary + h.income_other + h.income_own_production
                   AS income,
               h.income_main, h.income_secondary, h.income_other, h.income_own_production,
               CASE WHEN num_nonnulls(h.expense_production, h.expense_consumption,
                                      h.expense_unnecessary, h.expense_debt) > 0
                    THEN coalesce(h.expense_production, 0) + coalesce(h.expense_consumption, 0)
                       + coalesce(h.expense_unnecessary, 0) + coalesce(h.expense_debt, 0)
               END AS expense,
               (SELECT count(*) FROM bmn.member m
                 WHERE m.survey_year = h.survey_year AND m.household_id = h.household_id)
                   AS persons
          FROM bmn.household h
    )
    SELECT hh.survey_year AS year, a.area_code, a.level,
           count(*) AS households, sum(hh.persons)::bigint AS persons,
           round(sum(hh.income) / nullif(sum(hh.persons), 0), 2) AS mean_income_per_person,
           round((percentile_cont(0.5) WITHIN GROUP (ORDER BY hh.income / nullif(hh.persons, 0)))::numeric, 2)
               AS median_income_per_person,
           round(avg(hh.income), 2) AS mean_income_per_household,
           round(avg(hh.income_main), 2) AS mean_income_main,
           round(avg(hh.income_secondary), 2) AS mean_income_secondary,
           round(avg(hh.income_other), 2) AS mean_income_other,
           round(avg(hh.income_own_production), 2) AS mean_income_own_production,
           round(avg(hh.expense), 2) AS mean_expense_per_household,
           count(hh.expense) AS households_with_expense
      FROM hh CROSS JOIN LATERAL bmn.village_areas(hh.village_code, hh.lao_code) a
     GROUP BY hh.survey_year, a.area_code, a.level;
COMMENT ON VIEW bmn.income_report IS 'Per area: mean and median income per person (baht/year), income by source and mean expenditure per household';

-- Households failing the income indicator of their round's set (22 in 2017-2021,
-- 29 in 2023-2027: the indicator whose rule is income_avg).
CREATE VIEW bmn.low_income_households AS
    SELECT s.survey_year AS year, s.household_id, s.village_code,
           left(s.village_code, 6) AS tambon_code, left(s.village_code, 4) AS district_code,
           left(s.village_code, 2) AS province_code, s.lao_code,
           h.house_no, h.collector_id, i.indicator_no AS indicator,
           bmn.score_persons(s.score) AS persons,
           h.income_main + h.income_secondary + h.income_other + h.income_own_production
               AS income_total,
           round((h.income_main + h.income_secondary + h.income_other + h.income_own_production)
                 / bmn.score_persons(s.score), 2) AS income_avg,
           (r.settings->>'income_threshold')::numeric AS income_threshold
      FROM bmn.household_score s
      JOIN bmn.survey_round r USING (survey_year)
      JOIN bmn.indicator i ON i.set_code = r.set_code AND i.rule = 'income_avg'
      JOIN bmn.household h USING (survey_year, household_id)
     WHERE bmn.score_passed(s.score, i.indicator_no) = false;
COMMENT ON VIEW bmn.low_income_households IS 'Households failing the income indicator (22 or 29), with their area and average income per member';
