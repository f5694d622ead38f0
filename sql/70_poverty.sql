-- Poverty targeting as TPMAP does it: an indicator failed is a deprivation in the
-- dimension it is mapped to; the poor are deprived in at least one dimension; the
-- target poor are poor and hold the state welfare card.
--
-- Deprivation is a household's: a household fails a member-level indicator when any
-- applicable member fails it, and every member of a deprived household counts as
-- deprived in that dimension (the score keeps counts, not which member failed).

CREATE TABLE bmn.poverty_dimension (
    set_code     text NOT NULL REFERENCES bmn.indicator_set (set_code),
    indicator_no integer NOT NULL,
    dimension    text NOT NULL CHECK (dimension IN ('health', 'living', 'education',
                                                    'income', 'access')),
    builtin      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (set_code, indicator_no),
    FOREIGN KEY (set_code, indicator_no) REFERENCES bmn.indicator (set_code, indicator_no)
);
COMMENT ON TABLE bmn.poverty_dimension IS 'Which indicator counts in which poverty dimension (editable; 2017-2021: the 2018 TPMAP mapping)';

INSERT INTO bmn.poverty_dimension (set_code, indicator_no, dimension, builtin)
SELECT '2017-2021', n, d, true
  FROM (VALUES (1, 'health'), (4, 'health'), (5, 'health'), (7, 'health'),
               (8, 'living'), (9, 'living'), (10, 'living'), (11, 'living'),
               (15, 'education'), (16, 'education'), (17, 'education'), (19, 'education'),
               (20, 'income'), (21, 'income'), (22, 'income'),
               (27, 'access'), (28, 'access')) v(n, d);
-- No official mapping of the 2023-2027 set is public here: the same indicators
-- under their new numbers, to be edited when the official one is known.
INSERT INTO bmn.poverty_dimension (set_code, indicator_no, dimension, builtin)
SELECT '2023-2027', n, d, true
  FROM (VALUES (2, 'health'), (6, 'health'), (8, 'health'), (9, 'health'),
               (13, 'living'), (14, 'living'), (18, 'living'),
               (22, 'education'), (23, 'education'), (24, 'education'), (25, 'education'),
               (27, 'income'), (28, 'income'), (29, 'income'),
               (34, 'access'), (35, 'access')) v(n, d);

CREATE VIEW bmn.household_poverty AS
    SELECT s.survey_year AS year, s.household_id, s.village_code, s.lao_code,
           min(bmn.score_persons(s.score)) AS persons,
           array_agg(DISTINCT d.dimension ORDER BY d.dimension) AS dimensions,
           array_agg(d.indicator_no ORDER BY d.indicator_no) AS failed_indicators
      FROM bmn.household_score s
      JOIN bmn.survey_round r USING (survey_year)
      JOIN bmn.poverty_dimension d ON d.set_code = r.set_code
     WHERE bmn.score_passed(s.score, d.indicator_no) = false
     GROUP BY s.survey_year, s.household_id, s.village_code, s.lao_code;
COMMENT ON VIEW bmn.household_poverty IS 'Households deprived in at least one dimension, with the dimensions and the failed indicators';

CREATE VIEW bmn.person_poverty AS
    SELECT p.year, m.household_id, m.member_no, p.village_code, p.lao_code, p.dimensions,
           coalesce(m.welfare_card, false) AS welfare_card,
           coalesce(m.welfare_card, false) AS target_poor
      FROM bmn.household_poverty p
      JOIN bmn.member m ON m.survey_year = p.year AND m.household_id = p.household_id;
COMMENT ON VIEW bmn.person_poverty IS 'Persons deprived in at least one dimension; target_poor when they also hold the welfare card';

CREATE VIEW bmn.poverty_report AS
    WITH people AS (
        SELECT s.survey_year, s.village_code, s.lao_code, m.member_no,
               coalesce(m.welfare_card, false) AS card, p.dimensions
          FROM bmn.household_score s
          JOIN bmn.member m USING (survey_year, household_id)
          LEFT JOIN bmn.household_poverty p
                 ON p.year = s.survey_year AND p.household_id = s.household_id
    )
    SELECT x.survey_year AS year, a.area_code, a.level,
           count(*) AS persons,
           count(*) FILTER (WHERE x.dimensions IS NOT NULL) AS poor,
           count(*) FILTER (WHERE x.dimensions IS NOT NULL AND x.card) AS target_poor,
           round(100.0 * count(*) FILTER (WHERE x.dimensions IS NOT NULL AND x.card)
                 / count(*), 2) AS pct_target_poor,
           count(*) FILTER (WHERE 'health' = ANY (x.dimensions)) AS health,
           count(*) FILTER (WHERE 'living' = ANY (x.dimensions)) AS living,
           count(*) FILTER (WHERE 'education' = ANY (x.dimensions)) AS education,
           count(*) FILTER (WHERE 'income' = ANY (x.dimensions)) AS income,
           count(*) FILTER (WHERE 'access' = ANY (x.dimensions)) AS access
      FROM people x CROSS JOIN LATERAL bmn.village_areas(x.village_code, x.lao_code) a
     GROUP BY x.survey_year, a.area_code, a.level;
COMMENT ON VIEW bmn.poverty_report IS 'Per area: persons, the poor (deprived in at least one dimension), the target poor (poor with a welfare card), and persons deprived per dimension';
