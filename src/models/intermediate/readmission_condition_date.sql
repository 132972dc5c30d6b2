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
  SELECT DISTINCT m.person_id, coalesce(m.claim_line_start_date, m.claim_start_date) AS service_date, u.code
  FROM staging.medical_claim AS m
  CROSS JOIN LATERAL (VALUES
      (m.diagnosis_code_1), (m.diagnosis_code_2), (m.diagnosis_code_3), (m.diagnosis_code_4), (m.diagnosis_code_5),
      (m.diagnosis_code_6), (m.diagnosis_code_7), (m.diagnosis_code_8), (m.diagnosis_code_9), (m.diagnosis_code_10),
      (m.diagnosis_code_11), (m.diagnosis_code_12), (m.diagnosis_code_13), (m.diagnosis_code_14), (m.diagnosis_code_15),
      (m.diagnosis_code_16), (m.diagnosis_code_17), (m.diagnosis_code_18), (m.diagnosis_code_19), (m.diagnosis_code_20),
      (m.diagnosis_code_21), (m.diagnosis_code_22), (m.diagnosis_code_23), (m.diagnosis_code_24), (m.diagnosis_code_25)
  ) AS u(code)
  WHERE m.claim_status <> 'reversed' AND coalesce(m.diagnosis_code_type, 'icd-10-cm') = 'icd-10-cm'
    AND u.code IS NOT NULL
    AND coalesce(m.claim_line_start_date, m.claim_start_date) IS NOT NULL
)

SELECT DISTINCT c.person_id, v.condition, c.service_date
FROM code AS c
JOIN codes.readmission_chronic_condition AS v
  ON left(v.code_prefix, 3) = left(c.code, 3) AND starts_with(c.code, v.code_prefix)
