-- description: One row per acute inpatient encounter (intermediate.inpatient_claim chains: interim bills, overlapping claims and same- or next-day transfers between acute hospitals merged), with the discharging hospital's facts, the admitting reason and the paid amount of the facility claims and of the professional services billed during the stay.
-- grain: encounter_id
-- materialized: table
-- column encounter_id: Acute encounter identifier (intermediate.inpatient_claim).
-- column person_id: Person admitted.
-- column admission_date: First admission date of the encounter.
-- column discharge_date: Last discharge date of the encounter.
-- column length_of_stay_days: Days between admission and discharge (0 for a same-day stay).
-- column facility_npi: Discharging hospital: the facility of the encounter's last claim. CMS holds the hospital that discharges the patient to a non-acute setting responsible for the outcome of a transfer chain.
-- column admitting_facility_npi: Facility of the encounter's first claim.
-- column facility_count: Hospital segments in the encounter (1 without transfer).
-- column transferred: True when the encounter chains stays at two or more hospitals (a transfer).
-- column discharge_disposition_code: Discharge status of the discharging claim.
-- column principal_diagnosis_code: Principal diagnosis of the discharging claim (used for index exclusions and diagnosis groups).
-- column admit_principal_diagnosis_code: Principal diagnosis of the first claim: why the patient came in (used to classify a readmission).
-- column diagnosis_code_type: Diagnosis code system of the discharging claim (icd-10-cm or icd-9-cm).
-- column drg_code: DRG of the discharging claim.
-- column drg_code_type: DRG system of drg_code.
-- column payer: Payer of the discharging claim.
-- column plan: Plan of the discharging claim.
-- column claim_count: Facility claims in the encounter.
-- column facility_paid: Paid amount of the encounter's facility claims.
-- column professional_paid: Paid amount of the person's professional lines in an inpatient hospital (place of service 21) during the stay, plus emergency room (23) lines on the admission day.
-- column paid_amount: facility_paid + professional_paid.
-- test not_null: encounter_id, person_id, admission_date, discharge_date, length_of_stay_days, facility_count, transferred, claim_count, facility_paid, professional_paid, paid_amount
-- test expression: discharge_date >= admission_date

WITH encounter AS (
  SELECT
    encounter_id,
    min(person_id) AS person_id,
    min(admission_date) AS admission_date,
    max(discharge_date) AS discharge_date,
    max(facility_segment) AS facility_count,
    count(*) AS claim_count,
    sum(paid_amount) AS facility_paid
  FROM intermediate.inpatient_claim
  GROUP BY encounter_id
),

first_claim AS (
  SELECT encounter_id, facility_npi, principal_diagnosis_code
  FROM intermediate.inpatient_claim
  WHERE encounter_claim_order = 1
),

last_claim AS (
  SELECT *
  FROM intermediate.inpatient_claim
  WHERE encounter_claim_order_desc = 1
),

-- Professional services of the stay: the hospitalist's and surgeons' lines (POS 21) and the ED
-- physician on the day of admission (POS 23). They carry no link to the facility claim, so the
-- person and the dates are the link.
professional AS (
  SELECT
    e.encounter_id,
    sum(m.paid_amount) AS professional_paid
  FROM encounter AS e
  JOIN staging.medical_claim AS m
    ON m.person_id = e.person_id
    AND m.claim_type = 'professional'
    AND m.claim_status <> 'reversed'
    AND (
      (m.place_of_service_code = '21'
        AND coalesce(m.claim_line_start_date, m.claim_start_date) BETWEEN e.admission_date AND e.discharge_date)
      OR (m.place_of_service_code = '23' AND coalesce(m.claim_line_start_date, m.claim_start_date) = e.admission_date)
    )
  GROUP BY e.encounter_id
)

SELECT
  e.encounter_id,
  e.person_id,
  e.admission_date,
  e.discharge_date,
  date_diff('day', e.admission_date, e.discharge_date) AS length_of_stay_days,
  l.facility_npi,
  f.facility_npi AS admitting_facility_npi,
  e.facility_count,
  e.facility_count > 1 AS transferred,
  l.discharge_disposition_code,
  l.principal_diagnosis_code,
  f.principal_diagnosis_code AS admit_principal_diagnosis_code,
  l.diagnosis_code_type,
  l.drg_code,
  l.drg_code_type,
  l.payer,
  l.plan,
  e.claim_count,
  e.facility_paid,
  coalesce(p.professional_paid, 0) AS professional_paid,
  e.facility_paid + coalesce(p.professional_paid, 0) AS paid_amount
FROM encounter AS e
JOIN first_claim AS f ON f.encounter_id = e.encounter_id
JOIN last_claim AS l ON l.encounter_id = e.encounter_id
LEFT JOIN professional AS p ON p.encounter_id = e.encounter_id
