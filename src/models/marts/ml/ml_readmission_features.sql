-- description: Feature mart for the readmission model: one row per index discharge (marts.readmission_stay rows that pass every index rule except, possibly, the 30-day follow-up), with the label and features known on the discharge date only. label is 1 when the first readmission within 30 days is unplanned, 0 when there is none or it is planned, and null when the 30 days are not observed (follow-up incomplete: score, do not train).
-- grain: encounter_id
-- materialized: table
-- column encounter_id: Index stay (marts.readmission_stay).
-- column person_id: Patient (for grouped cross-validation).
-- column event_date: Discharge date: the prediction time.
-- column label: 1 unplanned readmission within 30 days, 0 none (or planned), null when follow-up is incomplete.
-- column f_age: Age in years at admission.
-- column f_sex: Gender (male, female, unknown).
-- column f_length_of_stay_days: Days from admission to discharge.
-- column f_principal_dx_chapter: ICD-10-CM chapter of the principal diagnosis.
-- column f_principal_dx_category: Three-character ICD-10-CM category of the principal diagnosis.
-- column f_drg_code: DRG of the discharging claim.
-- column f_discharge_disposition: Discharge status code.
-- column f_planned_admission: 1 when the index admission itself was planned.
-- column f_transferred: 1 when the stay chained two or more hospitals.
-- column f_chronic_condition_count: Distinct chronic condition categories in the 365 days before admission through discharge.
-- column f_admissions_prior_12m: Acute admissions in the 365 days before admission.
-- column f_ed_visits_prior_6m: Emergency department visit days in the 182 days before admission.
-- column f_adi_percentile: Area deprivation national percentile of the ZIP code; null when unknown.
-- column f_payer_type: Line of business of the payer.
-- column f_pdc_below_80_prior_year: 1 when the patient was measured for PDC adherence in the calendar year before discharge and had PDC below 0.80 in any class, 0 when measured and adherent in every class, null when not measured.
-- test not_null: encounter_id, person_id, event_date, f_length_of_stay_days, f_planned_admission, f_transferred, f_chronic_condition_count, f_admissions_prior_12m, f_ed_visits_prior_6m
-- test accepted_values: label in (0, 1)

WITH prior_pdc AS (
  SELECT person_id, measurement_year, max(CASE WHEN pdc < 0.8 THEN 1 ELSE 0 END) AS below_80
  FROM marts.adherence_member_class
  WHERE measured
  GROUP BY person_id, measurement_year
)

SELECT
  s.encounter_id,
  s.person_id,
  s.discharge_date AS event_date,
  CASE WHEN s.index_eligible THEN CAST(s.unplanned_readmission_30d AS INTEGER) END AS label,
  s.age_at_admission AS f_age,
  s.gender AS f_sex,
  s.length_of_stay_days AS f_length_of_stay_days,
  s.diagnosis_chapter AS f_principal_dx_chapter,
  s.diagnosis_category AS f_principal_dx_category,
  s.drg_code AS f_drg_code,
  s.discharge_disposition_code AS f_discharge_disposition,
  CAST(s.planned AS INTEGER) AS f_planned_admission,
  CAST(s.transferred AS INTEGER) AS f_transferred,
  s.chronic_condition_count AS f_chronic_condition_count,
  s.admissions_prior_12m AS f_admissions_prior_12m,
  s.ed_visits_prior_6m AS f_ed_visits_prior_6m,
  s.adi_national_percentile AS f_adi_percentile,
  s.payer_type AS f_payer_type,
  p.below_80 AS f_pdc_below_80_prior_year
FROM marts.readmission_stay AS s
LEFT JOIN prior_pdc AS p ON p.person_id = s.person_id AND p.measurement_year = year(s.discharge_date) - 1
WHERE s.index_eligible OR s.index_exclusion_reason = 'incomplete_follow_up'
