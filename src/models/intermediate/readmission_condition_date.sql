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
--
-- The 25 diagnosis columns are unpivoted by one scan per column (UNION ALL): as a LATERAL VALUES
-- list DuckDB joined the lines back on all 25 columns, 60% of this model's time.
WITH dx_line AS NOT MATERIALIZED (
  SELECT
    person_id,
    coalesce(claim_line_start_date, claim_start_date) AS service_date,
    diagnosis_code_1, diagnosis_code_2, diagnosis_code_3, diagnosis_code_4, diagnosis_code_5,
    diagnosis_code_6, diagnosis_code_7, diagnosis_code_8, diagnosis_code_9, diagnosis_code_10,
    diagnosis_code_11, diagnosis_code_12, diagnosis_code_13, diagnosis_code_14, diagnosis_code_15,
    diagnosis_code_16, diagnosis_code_17, diagnosis_code_18, diagnosis_code_19, diagnosis_code_20,
    diagnosis_code_21, diagnosis_code_22, diagnosis_code_23, diagnosis_code_24, diagnosis_code_25
  FROM staging.medical_claim
  WHERE claim_status <> 'reversed' AND coalesce(diagnosis_code_type, 'icd-10-cm') = 'icd-10-cm'
    AND coalesce(claim_line_start_date, claim_start_date) IS NOT NULL
),

code AS (
  SELECT DISTINCT person_id, service_date, code
  FROM (
  SELECT person_id, service_date, diagnosis_code_1 FROM dx_line WHERE diagnosis_code_1 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_2 FROM dx_line WHERE diagnosis_code_2 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_3 FROM dx_line WHERE diagnosis_code_3 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_4 FROM dx_line WHERE diagnosis_code_4 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_5 FROM dx_line WHERE diagnosis_code_5 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_6 FROM dx_line WHERE diagnosis_code_6 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_7 FROM dx_line WHERE diagnosis_code_7 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_8 FROM dx_line WHERE diagnosis_code_8 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_9 FROM dx_line WHERE diagnosis_code_9 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_10 FROM dx_line WHERE diagnosis_code_10 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_11 FROM dx_line WHERE diagnosis_code_11 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_12 FROM dx_line WHERE diagnosis_code_12 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_13 FROM dx_line WHERE diagnosis_code_13 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_14 FROM dx_line WHERE diagnosis_code_14 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_15 FROM dx_line WHERE diagnosis_code_15 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_16 FROM dx_line WHERE diagnosis_code_16 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_17 FROM dx_line WHERE diagnosis_code_17 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_18 FROM dx_line WHERE diagnosis_code_18 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_19 FROM dx_line WHERE diagnosis_code_19 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_20 FROM dx_line WHERE diagnosis_code_20 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_21 FROM dx_line WHERE diagnosis_code_21 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_22 FROM dx_line WHERE diagnosis_code_22 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_23 FROM dx_line WHERE diagnosis_code_23 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_24 FROM dx_line WHERE diagnosis_code_24 IS NOT NULL
  UNION ALL
  SELECT person_id, service_date, diagnosis_code_25 FROM dx_line WHERE diagnosis_code_25 IS NOT NULL
  ) AS u(person_id, service_date, code)
)

SELECT DISTINCT c.person_id, v.condition, c.service_date
FROM code AS c
JOIN codes.readmission_chronic_condition AS v
  ON left(v.code_prefix, 3) = left(c.code, 3) AND starts_with(c.code, v.code_prefix)
