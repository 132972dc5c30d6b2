-- description: One row per readmission event: an index admission (marts.readmission_stay, index_eligible) whose person was readmitted within 30 days, with the readmission's diagnosis, whether it was planned or potentially preventable and what it cost. The event-level spend behind the preventable-spend KPIs.
-- grain: index_encounter_id
-- materialized: table
-- column index_encounter_id: The index admission.
-- column readmission_encounter_id: The first readmission within 30 days.
-- column person_id: Person.
-- column index_discharge_date: Discharge date of the index admission.
-- column readmission_admission_date: Admission date of the readmission.
-- column days_to_readmission: Days from index discharge to readmission.
-- column index_facility_npi: Hospital that discharged the index admission.
-- column readmission_facility_npi: Hospital of the readmission.
-- column payer: Payer of the index admission.
-- column index_diagnosis_category: Three-character category of the index principal diagnosis.
-- column readmission_principal_diagnosis_code: Admitting principal diagnosis of the readmission.
-- column readmission_diagnosis_category: Its three-character category.
-- column readmission_diagnosis_category_description: Title of that category.
-- column planned: True when the readmission is planned (not counted as unplanned).
-- column planned_reason: Planned rule that applied.
-- column unplanned: True when the readmission counts as unplanned.
-- column pqi_measure: AHRQ PQI of the readmission diagnosis, when any.
-- column no_follow_up_before_readmission: True when no follow-up visit took place within 7 days of discharge and before the readmission.
-- column preventable: True when unplanned and (a PQI condition or no follow-up): the potentially preventable proxy.
-- column readmission_paid: Paid amount of the readmission encounter.
-- column preventable_paid: readmission_paid when preventable, else 0.
-- test not_null: index_encounter_id, readmission_encounter_id, person_id, planned, unplanned, preventable, readmission_paid, preventable_paid
-- test expression: preventable_paid <= readmission_paid

SELECT
  i.encounter_id AS index_encounter_id,
  i.readmission_encounter_id,
  i.person_id,
  i.discharge_date AS index_discharge_date,
  i.readmission_admission_date,
  i.days_to_readmission,
  i.facility_npi AS index_facility_npi,
  r.facility_npi AS readmission_facility_npi,
  i.payer,
  i.diagnosis_category AS index_diagnosis_category,
  s.admit_principal_diagnosis_code AS readmission_principal_diagnosis_code,
  coalesce(left(s.admit_principal_diagnosis_code, 3), 'unknown') AS readmission_diagnosis_category,
  d.description AS readmission_diagnosis_category_description,
  i.readmission_planned AS planned,
  r.planned_reason,
  i.unplanned_readmission_30d AS unplanned,
  i.readmission_pqi_measure AS pqi_measure,
  i.no_follow_up_before_readmission,
  i.preventable_readmission AS preventable,
  i.readmission_paid,
  CASE WHEN i.preventable_readmission THEN i.readmission_paid ELSE 0 END AS preventable_paid
FROM marts.readmission_stay AS i
JOIN marts.readmission_stay AS r ON r.encounter_id = i.readmission_encounter_id
JOIN intermediate.inpatient_stay AS s ON s.encounter_id = i.readmission_encounter_id
LEFT JOIN codes.icd10cm AS d ON d.code = left(s.admit_principal_diagnosis_code, 3)
WHERE i.index_eligible AND i.readmitted_30d
