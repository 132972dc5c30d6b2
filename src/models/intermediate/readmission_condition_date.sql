-- description: One row per person, chronic condition category and date on which a medical claim line carried a diagnosis of it (any of diagnosis_code_1..25, ICD-10-CM, reversed lines left out), from codes.readmission_chronic_condition. The comorbidity burden of readmission risk models and scores counts the distinct conditions in a window.
-- grain: person_id, condition, service_date
-- materialized: table
-- column person_id: Person.
-- column condition: Chronic condition category (codes.readmission_chronic_condition.condition).
-- column service_date: Line start date (claim start date when the line has none).
-- test not_null: person_id, condition, service_date

-- Distinct codes per person and day first, then an equi-join on the 3-character category (every
-- prefix in the set has at least 3 characters) with the prefix test on top: this keeps the join
-- linear in claim lines instead of lines x prefixes.
WITH code AS (
  SELECT DISTINCT person_id, service_date, code
  FROM (
    UNPIVOT (
      SELECT person_id, coalesce(claim_line_start_date, claim_start_date) AS service_date, COLUMNS('^diagnosis_code_[0-9]+$')
      FROM staging.medical_claim
      WHERE claim_status <> 'reversed' AND coalesce(diagnosis_code_type, 'icd-10-cm') = 'icd-10-cm'
    )
    ON COLUMNS('^diagnosis_code_[0-9]+$') INTO NAME position VALUE code
  )
  WHERE service_date IS NOT NULL
)

SELECT DISTINCT c.person_id, v.condition, c.service_date
FROM code AS c
JOIN codes.readmission_chronic_condition AS v
  ON left(v.code_prefix, 3) = left(c.code, 3) AND starts_with(c.code, v.code_prefix)
