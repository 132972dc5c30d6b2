-- description: One row per person and HHS poverty-guideline year (every year in codes.poverty_guidelines) with the person's household income as a percent of the federal poverty guideline (FPL) for their household size and region: the single place the financial-assistance screen (patients service) and the likelihood-to-pay features (marts.ml_pay_features) take FPL from. Members without household income, household size or a guideline region get a null percent and a reason, never a guess. Definitions in docs/marts/patients.md.
-- grain: person_id, guideline_year
-- materialized: table
-- column person_id: Person (intermediate.rcm_person).
-- column guideline_year: HHS poverty-guideline year.
-- column guideline_region: contiguous, alaska or hawaii (from the state of residence); null when unknown.
-- column household_size: Persons in the household; null when unknown.
-- column household_income: Annual household income in dollars; null when unknown.
-- column guideline_amount: 100% of the poverty guideline for the household size and region: the published amount for sizes 1-8, plus additional_person_amount for each person above 8; null when size or region is unknown.
-- column fpl_pct: household_income / guideline_amount x 100 (2 decimals); null when income, size or region is unknown.
-- column unknown_reason: Why fpl_pct is null: no household income, no household size, or no guideline region (state unknown or a territory); null when fpl_pct is known.
-- test not_null: person_id, guideline_year
-- test accepted_values: unknown_reason in (no household income, no household size, no guideline region)
-- test expression: (fpl_pct IS NULL) = (unknown_reason IS NOT NULL)

WITH years AS (
  SELECT DISTINCT year FROM codes.poverty_guidelines
),

person_year AS (
  SELECT p.person_id, y.year AS guideline_year, p.guideline_region, p.household_size, p.household_income
  FROM intermediate.rcm_person AS p
  CROSS JOIN years AS y
),

-- HHS publishes sizes 1-8; each person above 8 adds additional_person_amount.
priced AS (
  SELECT
    py.*,
    CASE
      WHEN py.household_size IS NULL OR py.guideline_region IS NULL THEN NULL
      ELSE g.guideline_amount + greatest(py.household_size - 8, 0) * g.additional_person_amount
    END AS guideline_amount
  FROM person_year AS py
  LEFT JOIN codes.poverty_guidelines AS g
    ON g.year = py.guideline_year
    AND g.region = py.guideline_region
    AND g.household_size = least(py.household_size, 8)
)

SELECT
  person_id,
  guideline_year,
  guideline_region,
  household_size,
  household_income,
  guideline_amount,
  CASE
    WHEN household_income IS NOT NULL AND guideline_amount > 0
      THEN round(100 * CAST(household_income AS DOUBLE PRECISION) / guideline_amount, 2)
  END AS fpl_pct,
  CASE
    WHEN household_income IS NULL THEN 'no household income'
    WHEN household_size IS NULL THEN 'no household size'
    WHEN guideline_region IS NULL OR guideline_amount IS NULL THEN 'no guideline region'
  END AS unknown_reason
FROM priced
