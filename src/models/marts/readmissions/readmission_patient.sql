-- description: One row per patient discharged alive from an acute hospital stay in the 12 months before the end of the data (data_through), with the inputs of the transparent readmission risk score as of that date: age, area deprivation, chronic burden and utilization in the prior 12 months. The readmissions service turns them into points, a 0-100 score, a tier and the top drivers with the point table in the configuration (readmissions.riskScore).
-- grain: person_id
-- materialized: table
-- column person_id: Patient.
-- column as_of_date: Date the profile describes (the end of the data window).
-- column age: Age in whole years on as_of_date.
-- column gender: Gender.
-- column adi_national_percentile: Area deprivation percentile of the patient's ZIP code; null when unknown.
-- column chronic_condition_count: Distinct chronic condition categories diagnosed in the 365 days up to as_of_date.
-- column admissions_12m: Acute encounters admitted in the 365 days up to as_of_date.
-- column ed_visits_12m: Days with an emergency department visit in the 365 days up to as_of_date.
-- column index_admissions_12m: Index admissions discharged in the 365 days up to as_of_date.
-- column unplanned_readmissions_12m: Of them, those followed by an unplanned readmission within 30 days.
-- column last_discharge_date: Latest discharge date.
-- column last_facility_npi: Hospital of the latest discharge.
-- column payer: Payer of the latest discharge.
-- column plan: Plan of the latest discharge: what the plan filter keeps.
-- column payer_type: Line of business of that payer.
-- test not_null: person_id, as_of_date, chronic_condition_count, admissions_12m, ed_visits_12m, index_admissions_12m, unplanned_readmissions_12m, last_discharge_date

WITH as_of AS (
  SELECT max(data_through) AS as_of_date FROM marts.readmission_stay
),

recent AS (
  SELECT s.*, a.as_of_date
  FROM marts.readmission_stay AS s
  CROSS JOIN as_of AS a
  WHERE s.discharge_date > a.as_of_date - 365 AND s.discharge_date <= a.as_of_date
),

-- Patients alive at the end: the discharge was not a death and no death date is known up to then.
patient AS (
  SELECT
    r.person_id,
    min(r.as_of_date) AS as_of_date,
    max(r.discharge_date) AS last_discharge_date,
    arg_max(r.facility_npi, r.discharge_date) AS last_facility_npi,
    arg_max(r.payer, r.discharge_date) AS payer,
    arg_max(r.plan, r.discharge_date) AS plan,
    arg_max(r.payer_type, r.discharge_date) AS payer_type,
    count(*) AS admissions_12m,
    count(*) FILTER (WHERE r.index_eligible) AS index_admissions_12m,
    count(*) FILTER (WHERE r.index_eligible AND r.unplanned_readmission_30d) AS unplanned_readmissions_12m,
    coalesce(bool_or(r.index_exclusion_reason = 'died_in_hospital'), false) AS died_in_hospital
  FROM recent AS r
  GROUP BY r.person_id
),

chronic AS (
  SELECT p.person_id, count(DISTINCT d.condition) AS chronic_condition_count
  FROM patient AS p
  JOIN intermediate.readmission_condition_date AS d
    ON d.person_id = p.person_id AND d.service_date > p.as_of_date - 365 AND d.service_date <= p.as_of_date
  GROUP BY p.person_id
),

ed AS (
  SELECT p.person_id, count(*) AS ed_visits_12m
  FROM patient AS p
  JOIN intermediate.readmission_visit_date AS v
    ON v.person_id = p.person_id
    AND v.visit_kind = 'emergency_department'
    AND v.visit_date > p.as_of_date - 365
    AND v.visit_date <= p.as_of_date
  GROUP BY p.person_id
)

SELECT
  p.person_id,
  p.as_of_date,
  year(p.as_of_date) - year(d.birth_date)
    - CASE WHEN strftime(p.as_of_date, '%m%d') < strftime(d.birth_date, '%m%d') THEN 1 ELSE 0 END AS age,
  d.gender,
  d.adi_national_percentile,
  coalesce(c.chronic_condition_count, 0) AS chronic_condition_count,
  p.admissions_12m,
  coalesce(e.ed_visits_12m, 0) AS ed_visits_12m,
  p.index_admissions_12m,
  p.unplanned_readmissions_12m,
  p.last_discharge_date,
  p.last_facility_npi,
  p.payer,
  p.plan,
  p.payer_type
FROM patient AS p
LEFT JOIN intermediate.readmission_person AS d ON d.person_id = p.person_id
LEFT JOIN chronic AS c ON c.person_id = p.person_id
LEFT JOIN ed AS e ON e.person_id = p.person_id
WHERE NOT p.died_in_hospital AND (d.death_date IS NULL OR d.death_date > p.as_of_date)
