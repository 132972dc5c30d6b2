-- description: One row per person in eligibility with the demographics the readmission and adherence models need: birth date, gender, death date and the area deprivation percentile of the ZIP code, taken from the person's latest enrollment span.
-- grain: person_id
-- materialized: table
-- column person_id: Person (eligibility.person_id).
-- column birth_date: Date of birth (latest span).
-- column gender: male, female or unknown (latest span).
-- column death_date: Date of death when any span reports one (the latest reported).
-- column zip_code: ZIP code of residence (latest span that has one).
-- column adi_national_percentile: Area deprivation national percentile of the ZIP code (1 least, 100 most deprived); null when the ZIP is not in area_deprivation.
-- test not_null: person_id

WITH person AS (
  SELECT
    person_id,
    arg_max(birth_date, enrollment_end_date) AS birth_date,
    arg_max(gender, enrollment_end_date) AS gender,
    max(death_date) AS death_date,
    arg_max(zip_code, enrollment_end_date) FILTER (WHERE zip_code IS NOT NULL) AS zip_code
  FROM staging.eligibility
  GROUP BY person_id
)

SELECT
  p.person_id,
  p.birth_date,
  p.gender,
  p.death_date,
  p.zip_code,
  a.adi_national_percentile
FROM person AS p
LEFT JOIN staging.area_deprivation AS a ON a.zip_code = p.zip_code
