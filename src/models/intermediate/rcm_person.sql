-- description: One row per person in eligibility with the attributes the revenue-cycle, patient and likelihood-to-pay marts need, taken from the person's latest enrollment span (latest enrollment_start_date, then latest end, then payer and plan): state and ZIP of residence, household size and income for financial-assistance screening, payer and line of business, birth date, and the area deprivation index of the ZIP. Missing household data stays missing (never filled from another span or guessed).
-- grain: person_id
-- materialized: table
-- column person_id: Person (eligibility.person_id).
-- column state: Two-letter state of residence on the latest span; null when not given.
-- column zip_code: Five-digit ZIP of residence on the latest span; null when not given.
-- column zip3: First three digits of zip_code; null when zip_code is null.
-- column guideline_region: HHS poverty-guideline region of the state: alaska (AK), hawaii (HI), contiguous (the 48 contiguous states and DC); null when the state is unknown, a territory or a military address, for which HHS publishes no guideline.
-- column household_size: Persons in the household on the latest span; null when unknown.
-- column household_income: Annual household income on the latest span, in dollars; null when unknown.
-- column payer: Payer of the latest span.
-- column payer_type: Line of business of the latest span (commercial, medicare, medicaid, ...).
-- column birth_date: Birth date (the earliest one given across spans, so a correction on one span does not split the person).
-- column adi_national_percentile: Area deprivation index national percentile (1 least, 100 most deprived) of the ZIP, from input.area_deprivation; null when the ZIP is not there.
-- test not_null: person_id, payer
-- test accepted_values: guideline_region in (contiguous, alaska, hawaii)

WITH ranked AS (
  SELECT
    *,
    row_number() OVER (
      PARTITION BY person_id
      ORDER BY enrollment_start_date DESC, enrollment_end_date DESC, payer, plan
    ) AS pick,
    min(birth_date) OVER (PARTITION BY person_id) AS first_birth_date
  FROM staging.eligibility
)

SELECT
  r.person_id,
  r.state,
  r.zip_code,
  left(r.zip_code, 3) AS zip3,
  CASE
    WHEN r.state = 'AK' THEN 'alaska'
    WHEN r.state = 'HI' THEN 'hawaii'
    WHEN r.state IN ('PR', 'GU', 'VI', 'AS', 'MP', 'FM', 'MH', 'PW', 'AA', 'AE', 'AP') THEN NULL
    WHEN r.state IS NOT NULL THEN 'contiguous'
  END AS guideline_region,
  r.household_size,
  r.household_income,
  r.payer,
  r.payer_type,
  r.first_birth_date AS birth_date,
  a.adi_national_percentile
FROM ranked AS r
LEFT JOIN staging.area_deprivation AS a ON a.zip_code = r.zip_code
WHERE r.pick = 1
