-- description: One row per acute inpatient facility claim (institutional, type of bill 11x, not reversed) with its header facts and the acute encounter it belongs to. A person's claims are chained into one encounter when a claim starts on or before the day after the latest discharge seen so far: interim bills of one stay, overlapping duplicates and transfers to another acute hospital (discharge and admission on the same or the next day, as in the CMS readmission measures' acute episode of care) become one encounter. Rules in docs/marts/readmissions.md.
-- grain: claim_id
-- materialized: table
-- column claim_id: Facility claim identifier.
-- column person_id: Person admitted.
-- column payer: Payer billed (from the lowest-numbered line).
-- column plan: Plan billed.
-- column facility_npi: Hospital NPI: the claim's facility_npi, else its billing_npi.
-- column admission_date: Admission date (claim start date when the claim has none).
-- column discharge_date: Discharge date (claim end date when the claim has none; never before the admission date).
-- column discharge_disposition_code: UB-04 patient discharge status of the claim.
-- column principal_diagnosis_code: Principal diagnosis (diagnosis_code_1 of the lowest line that has one), upper case without dot.
-- column diagnosis_code_type: icd-10-cm or icd-9-cm.
-- column drg_code: MS-DRG (or APR-DRG) on the claim.
-- column drg_code_type: DRG system of drg_code.
-- column paid_amount: Paid amount of all lines of the claim.
-- column encounter_id: Acute encounter (chain) the claim belongs to: 'IP' and 16 hex digits of an MD5 of the person and the encounter's first admission date.
-- column encounter_claim_order: Order of the claim in its encounter by admission date, discharge date and claim id (1 = first).
-- column encounter_claim_order_desc: The same order from the end (1 = the discharging claim).
-- column facility_segment: Number of the hospital segment within the encounter: it grows by one each time the facility changes between consecutive claims, so an encounter with segments 1 and 2 is a transfer.
-- test not_null: claim_id, person_id, admission_date, discharge_date, encounter_id, encounter_claim_order, facility_segment
-- test expression: discharge_date >= admission_date

-- Claims are the unit (header facts repeat on lines); the chaining uses the running maximum of
-- discharge dates so a long stay that spans a shorter one keeps later claims in the chain.
WITH line AS (
  SELECT *
  FROM staging.medical_claim
  WHERE claim_type = 'institutional'
    AND left(bill_type_code, 2) = '11'
    AND claim_status <> 'reversed'
),

claim AS (
  SELECT
    claim_id,
    min(person_id) AS person_id,
    arg_min(payer, claim_line_number) AS payer,
    arg_min(plan, claim_line_number) AS plan,
    coalesce(min(facility_npi), min(billing_npi)) AS facility_npi,
    min(coalesce(admission_date, claim_start_date)) AS admission_date,
    max(coalesce(discharge_date, claim_end_date, claim_start_date)) AS discharge_date,
    arg_min(discharge_disposition_code, claim_line_number) FILTER (WHERE discharge_disposition_code IS NOT NULL)
      AS discharge_disposition_code,
    arg_min(diagnosis_code_1, claim_line_number) FILTER (WHERE diagnosis_code_1 IS NOT NULL)
      AS principal_diagnosis_code,
    arg_min(diagnosis_code_type, claim_line_number) FILTER (WHERE diagnosis_code_type IS NOT NULL)
      AS diagnosis_code_type,
    arg_min(drg_code, claim_line_number) FILTER (WHERE drg_code IS NOT NULL) AS drg_code,
    arg_min(drg_code_type, claim_line_number) FILTER (WHERE drg_code_type IS NOT NULL) AS drg_code_type,
    coalesce(sum(paid_amount), 0) AS paid_amount
  FROM line
  GROUP BY claim_id
),

fixed AS (
  SELECT
    claim_id,
    person_id,
    payer,
    plan,
    facility_npi,
    admission_date,
    greatest(discharge_date, admission_date) AS discharge_date,
    discharge_disposition_code,
    principal_diagnosis_code,
    diagnosis_code_type,
    drg_code,
    drg_code_type,
    paid_amount
  FROM claim
),

ordered AS (
  SELECT
    *,
    max(discharge_date) OVER (
      PARTITION BY person_id ORDER BY admission_date, discharge_date, claim_id
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS previous_end
  FROM fixed
),

chained AS (
  SELECT
    *,
    sum(CASE WHEN previous_end IS NULL OR admission_date > previous_end + 1 THEN 1 ELSE 0 END) OVER (
      PARTITION BY person_id ORDER BY admission_date, discharge_date, claim_id
      ROWS UNBOUNDED PRECEDING
    ) AS encounter_number
  FROM ordered
),

encounter AS (
  SELECT
    *,
    'IP' || left(md5(person_id || '|' || CAST(min(admission_date) OVER (PARTITION BY person_id, encounter_number) AS VARCHAR)), 16)
      AS encounter_id,
    row_number() OVER (PARTITION BY person_id, encounter_number ORDER BY admission_date, discharge_date, claim_id)
      AS encounter_claim_order,
    row_number() OVER (
      PARTITION BY person_id, encounter_number ORDER BY discharge_date DESC, admission_date DESC, claim_id DESC
    ) AS encounter_claim_order_desc,
    CASE
      WHEN lag(claim_id) OVER segment_order IS NULL THEN true
      ELSE facility_npi IS DISTINCT FROM lag(facility_npi) OVER segment_order
    END AS facility_changed
  FROM chained
  WINDOW segment_order AS (PARTITION BY person_id, encounter_number ORDER BY admission_date, discharge_date, claim_id)
)

SELECT
  claim_id,
  person_id,
  payer,
  plan,
  facility_npi,
  admission_date,
  discharge_date,
  discharge_disposition_code,
  principal_diagnosis_code,
  diagnosis_code_type,
  drg_code,
  drg_code_type,
  paid_amount,
  encounter_id,
  encounter_claim_order,
  encounter_claim_order_desc,
  sum(CASE WHEN facility_changed THEN 1 ELSE 0 END) OVER (
    PARTITION BY encounter_id ORDER BY encounter_claim_order ROWS UNBOUNDED PRECEDING
  ) AS facility_segment
FROM encounter
