-- description: One row per acute encounter with its classification under the CMS Planned Readmission Algorithm v4 (as far as claims and the shipped value sets allow), the index exclusion condition category of its principal diagnosis (CMS Hospital-Wide Readmission categories plus obstetric and perinatal stays as in HEDIS PCR) and the AHRQ PQI ambulatory care sensitive condition of the diagnosis it was admitted for. Value sets: codes.readmission_planned, codes.readmission_exclusion_dx, codes.pqi_condition; rules and departures in docs/marts/readmissions.md.
-- grain: encounter_id
-- materialized: table
-- column encounter_id: Acute encounter (intermediate.inpatient_stay).
-- column always_planned_procedure: PR.1: a claim of the encounter has an always planned procedure (transplant: ICD-10-PCS prefix, or an MS-DRG proxy).
-- column always_planned_diagnosis: PR.2: the admitting principal diagnosis is maintenance chemotherapy/radiotherapy or rehabilitation.
-- column potentially_planned_procedure: PR.3: a claim has a potentially planned procedure (ICD-10-PCS prefix; the MS-DRG proxy only when the encounter carries no ICD-10-PCS code).
-- column acute_principal_diagnosis: PR.4: the admitting principal diagnosis is acute or a complication of care.
-- column planned: always_planned_procedure or always_planned_diagnosis or (potentially_planned_procedure and not acute_principal_diagnosis).
-- column planned_reason: always_planned_procedure, always_planned_diagnosis or potentially_planned_procedure; null when unplanned.
-- column exclusion_category: Index exclusion category of the (discharging) principal diagnosis: psychiatric, rehabilitation, cancer_medical_treatment (only when the DRG is not surgical) or obstetric_perinatal; null for none.
-- column admit_obstetric_perinatal: True when the admitting principal diagnosis is obstetric or perinatal: such a stay is not counted as a readmission (HEDIS PCR).
-- column age_at_admission: Age in whole years on the admission date; null without a birth date.
-- column pqi_measure: AHRQ PQI number (e.g. 08) of the admitting principal diagnosis, with the indicator's age range applied; null when it is not an ambulatory care sensitive condition. Where two apply the lower number wins.
-- test not_null: encounter_id, always_planned_procedure, always_planned_diagnosis, potentially_planned_procedure, acute_principal_diagnosis, planned, admit_obstetric_perinatal
-- test accepted_values: planned_reason in (always_planned_procedure, always_planned_diagnosis, potentially_planned_procedure)
-- test accepted_values: exclusion_category in (psychiatric, rehabilitation, cancer_medical_treatment, obstetric_perinatal)

-- Value sets are prefixes: a code matches a row when it starts with the row's prefix. ICD-9 coded
-- claims (DE-SynPUF) are not classified: the sets are ICD-10 only.
WITH stay AS (
  SELECT
    s.encounter_id,
    s.admission_date,
    s.drg_code,
    s.drg_code_type,
    CASE WHEN coalesce(s.diagnosis_code_type, 'icd-10-cm') = 'icd-10-cm' THEN s.principal_diagnosis_code END
      AS principal_dx,
    CASE WHEN coalesce(s.diagnosis_code_type, 'icd-10-cm') = 'icd-10-cm' THEN s.admit_principal_diagnosis_code END
      AS admit_dx,
    p.birth_date
  FROM intermediate.inpatient_stay AS s
  LEFT JOIN intermediate.readmission_person AS p ON p.person_id = s.person_id
),

procedure_code AS (
  SELECT DISTINCT c.encounter_id, u.code
  FROM staging.medical_claim AS m
  CROSS JOIN LATERAL (VALUES
      (m.procedure_code_1), (m.procedure_code_2), (m.procedure_code_3), (m.procedure_code_4), (m.procedure_code_5),
      (m.procedure_code_6), (m.procedure_code_7), (m.procedure_code_8), (m.procedure_code_9), (m.procedure_code_10),
      (m.procedure_code_11), (m.procedure_code_12), (m.procedure_code_13), (m.procedure_code_14), (m.procedure_code_15),
      (m.procedure_code_16), (m.procedure_code_17), (m.procedure_code_18), (m.procedure_code_19), (m.procedure_code_20),
      (m.procedure_code_21), (m.procedure_code_22), (m.procedure_code_23), (m.procedure_code_24), (m.procedure_code_25)
  ) AS u(code)
  JOIN intermediate.inpatient_claim AS c ON c.claim_id = m.claim_id
  WHERE m.claim_type = 'institutional' AND left(m.bill_type_code, 2) = '11'
    AND u.code IS NOT NULL
    AND coalesce(m.procedure_code_type, 'icd-10-pcs') = 'icd-10-pcs'
),

procedure_rule AS (
  SELECT p.encounter_id, v.rule
  FROM procedure_code AS p
  JOIN codes.readmission_planned AS v
    ON v.code_type = 'icd10pcs' AND starts_with(p.code, v.code_prefix)
),

-- Any claim's MS-DRG counts (a transplant billed by the first hospital of a transfer chain too).
drg_rule AS (
  SELECT DISTINCT c.encounter_id, v.rule
  FROM intermediate.inpatient_claim AS c
  JOIN codes.readmission_planned AS v
    ON v.code_type = 'ms_drg' AND c.drg_code = v.code_prefix AND coalesce(c.drg_code_type, 'ms-drg') = 'ms-drg'
),

flags AS (
  SELECT
    s.encounter_id,
    EXISTS (
      SELECT 1 FROM procedure_rule AS r WHERE r.encounter_id = s.encounter_id AND r.rule = 'always_planned_procedure'
    ) OR EXISTS (
      SELECT 1 FROM drg_rule AS r WHERE r.encounter_id = s.encounter_id AND r.rule = 'always_planned_procedure'
    ) AS always_planned_procedure,
    EXISTS (
      SELECT 1 FROM codes.readmission_planned AS v
      WHERE v.rule = 'always_planned_diagnosis' AND v.code_type = 'icd10cm' AND starts_with(s.admit_dx, v.code_prefix)
    ) AS always_planned_diagnosis,
    EXISTS (
      SELECT 1 FROM procedure_rule AS r
      WHERE r.encounter_id = s.encounter_id AND r.rule = 'potentially_planned_procedure'
    ) OR (
      NOT EXISTS (SELECT 1 FROM procedure_code AS p WHERE p.encounter_id = s.encounter_id)
      AND EXISTS (
        SELECT 1 FROM drg_rule AS r
        WHERE r.encounter_id = s.encounter_id AND r.rule = 'potentially_planned_procedure'
      )
    ) AS potentially_planned_procedure,
    EXISTS (
      SELECT 1 FROM codes.readmission_planned AS v
      WHERE v.rule = 'acute_diagnosis' AND v.code_type = 'icd10cm' AND starts_with(s.admit_dx, v.code_prefix)
    ) AS acute_principal_diagnosis
  FROM stay AS s
),

-- The longest matching prefix decides, so a specific row can refine a broad one.
exclusion AS (
  SELECT s.encounter_id, arg_max(x.category, length(x.code_prefix)) AS category
  FROM stay AS s
  JOIN codes.readmission_exclusion_dx AS x ON starts_with(s.principal_dx, x.code_prefix)
  LEFT JOIN codes.ms_drg AS d ON d.code = s.drg_code AND coalesce(s.drg_code_type, 'ms-drg') = 'ms-drg'
  WHERE x.category <> 'cancer_medical_treatment' OR coalesce(d.medical_surgical, 'medical') <> 'surgical'
  GROUP BY s.encounter_id
),

admit_obstetric AS (
  SELECT DISTINCT s.encounter_id
  FROM stay AS s
  JOIN codes.readmission_exclusion_dx AS x
    ON x.category = 'obstetric_perinatal' AND starts_with(s.admit_dx, x.code_prefix)
),

aged AS (
  SELECT
    encounter_id,
    admit_dx,
    year(admission_date) - year(birth_date)
      - CASE WHEN strftime(admission_date, '%m%d') < strftime(birth_date, '%m%d') THEN 1 ELSE 0 END
      AS age_at_admission
  FROM stay
),

pqi AS (
  SELECT a.encounter_id, min(q.pqi_measure) AS pqi_measure
  FROM aged AS a
  JOIN codes.pqi_condition AS q
    ON starts_with(a.admit_dx, q.code_prefix)
    AND a.age_at_admission >= coalesce(q.min_age, 0)
    AND a.age_at_admission <= coalesce(q.max_age, 200)
  GROUP BY a.encounter_id
)

SELECT
  f.encounter_id,
  f.always_planned_procedure,
  f.always_planned_diagnosis,
  f.potentially_planned_procedure,
  f.acute_principal_diagnosis,
  f.always_planned_procedure OR f.always_planned_diagnosis
    OR (f.potentially_planned_procedure AND NOT f.acute_principal_diagnosis) AS planned,
  CASE
    WHEN f.always_planned_procedure THEN 'always_planned_procedure'
    WHEN f.always_planned_diagnosis THEN 'always_planned_diagnosis'
    WHEN f.potentially_planned_procedure AND NOT f.acute_principal_diagnosis THEN 'potentially_planned_procedure'
  END AS planned_reason,
  x.category AS exclusion_category,
  o.encounter_id IS NOT NULL AS admit_obstetric_perinatal,
  a.age_at_admission,
  q.pqi_measure
FROM flags AS f
JOIN aged AS a ON a.encounter_id = f.encounter_id
LEFT JOIN exclusion AS x ON x.encounter_id = f.encounter_id
LEFT JOIN admit_obstetric AS o ON o.encounter_id = f.encounter_id
LEFT JOIN pqi AS q ON q.encounter_id = f.encounter_id
