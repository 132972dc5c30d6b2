-- description: One row per acute inpatient encounter with everything the readmission measures need: whether it is an index admission under the CMS Hospital-Wide Readmission logic as far as claims allow (and if not, the first rule that excludes it), its first readmission within 30 days (the next acute encounter of the person, obstetric and perinatal stays not counted) and whether that readmission is unplanned (CMS Planned Readmission Algorithm v4) and potentially preventable (proxy: an AHRQ PQI condition or no follow-up visit within 7 days), the diagnosis group, hospital, payer, spend and the risk features known at discharge. Rates count index_eligible rows; definitions in docs/marts/readmissions.md.
-- grain: encounter_id
-- materialized: table
-- column encounter_id: Acute encounter (intermediate.inpatient_stay).
-- column person_id: Person admitted.
-- column admission_date: First admission date of the encounter.
-- column discharge_date: Last discharge date of the encounter.
-- column discharge_month: First day of the discharge month (the month the index admission counts in).
-- column length_of_stay_days: Days from admission to discharge.
-- column facility_npi: Discharging hospital NPI.
-- column facility_name: Name of the discharging hospital (staging.provider); null when the NPI is not in provider.
-- column transferred: True when the encounter chains stays at two or more hospitals.
-- column payer: Payer of the discharging claim.
-- column plan: Plan of the discharging claim: what the plan filter keeps.
-- column payer_type: Line of business of that payer for the person (eligibility), else of the payer table.
-- column age_at_admission: Age in whole years at admission.
-- column gender: Gender of the person (latest eligibility span).
-- column adi_national_percentile: Area deprivation percentile of the person's ZIP code.
-- column principal_diagnosis_code: Principal diagnosis of the discharging claim.
-- column diagnosis_category: Three-character ICD-10-CM category of the principal diagnosis (e.g. I50); 'unknown' without one.
-- column diagnosis_category_description: Title of that category (codes.icd10cm header).
-- column diagnosis_chapter: ICD-10-CM chapter range of the principal diagnosis (e.g. I00-I99); 'ICD-9 (not grouped)' for ICD-9 claims, 'unknown' without a diagnosis.
-- column diagnosis_chapter_description: Title of the chapter.
-- column drg_code: DRG of the discharging claim.
-- column discharge_disposition_code: Discharge status of the discharging claim.
-- column planned: True when the encounter itself is a planned admission (CMS PR algorithm v4).
-- column planned_reason: Which planned rule applied.
-- column exclusion_category: Condition category excluding it as an index (psychiatric, rehabilitation, cancer_medical_treatment, obstetric_perinatal).
-- column index_eligible: True when the encounter counts as an index admission: adult, discharged alive, not against medical advice, not transferred out to an unseen hospital, no excluded condition category and 30 days of follow-up in the data.
-- column index_exclusion_reason: First rule that excludes it, in this order: under_18, died_in_hospital, left_against_medical_advice, transferred_out, the exclusion category, incomplete_follow_up; null when index_eligible.
-- column follow_up_complete: True when the data run at least 30 days past discharge and the person stays enrolled (any payer) through day 30 or death.
-- column first_follow_up_date: First follow-up visit (office, clinic, home, outpatient clinic) after the discharge date, within 30 days.
-- column follow_up_within_7d: True when that visit is within 7 days of discharge.
-- column readmission_encounter_id: The person's next acute encounter (not obstetric or perinatal) when it starts within 30 days of discharge.
-- column readmission_admission_date: Its admission date.
-- column days_to_readmission: Days from discharge to that admission (2 to 30: admissions on the day of or the day after discharge are part of the encounter).
-- column readmitted_30d: True when the encounter has a readmission within 30 days (all-cause).
-- column readmission_planned: True when that readmission is planned.
-- column unplanned_readmission_30d: True when the first readmission within 30 days is unplanned. As in the CMS measures, a planned first readmission means no unplanned outcome, whatever follows.
-- column readmission_pqi_measure: AHRQ PQI of the readmission's admitting diagnosis, when any.
-- column no_follow_up_before_readmission: True when no follow-up visit took place within 7 days of discharge and before the readmission.
-- column preventable_readmission: True when the unplanned readmission is potentially preventable (proxy): a PQI condition, or no follow-up visit within 7 days of discharge before it.
-- column readmission_paid: Paid amount of the readmission encounter (facility and professional), when readmitted.
-- column paid_amount: Paid amount of this encounter (facility and professional).
-- column chronic_condition_count: Distinct chronic condition categories diagnosed in the 365 days before admission through discharge.
-- column admissions_prior_12m: Acute encounters admitted in the 365 days before this admission.
-- column ed_visits_prior_6m: Days with an emergency department visit in the 182 days before this admission.
-- column ed_visits_prior_12m: Days with an emergency department visit in the 365 days before this admission.
-- column data_through: Last service date in the medical claims (the end of the data window).
-- test not_null: encounter_id, person_id, admission_date, discharge_date, discharge_month, planned, index_eligible, follow_up_complete, follow_up_within_7d, readmitted_30d, unplanned_readmission_30d, preventable_readmission, paid_amount, chronic_condition_count, admissions_prior_12m, ed_visits_prior_6m, ed_visits_prior_12m
-- test expression: index_eligible = (index_exclusion_reason IS NULL)
-- test expression: NOT unplanned_readmission_30d OR readmitted_30d
-- test expression: NOT preventable_readmission OR unplanned_readmission_30d
-- test expression: days_to_readmission BETWEEN 2 AND 30
-- test accepted_values: index_exclusion_reason in (under_18, died_in_hospital, left_against_medical_advice, transferred_out, psychiatric, rehabilitation, cancer_medical_treatment, obstetric_perinatal, incomplete_follow_up)

-- ICD-10-CM chapter ranges of the FY2021+ tabular list, compared on the three-character category.
WITH chapter AS (SELECT * FROM intermediate.icd10cm_chapter),

data_window AS (
  SELECT max(coalesce(claim_end_date, claim_start_date)) AS data_through
  FROM staging.medical_claim
),

payer_type AS (
  SELECT person_id, payer, min(payer_type) AS payer_type
  FROM staging.eligibility
  GROUP BY person_id, payer
),

stay AS (
  SELECT
    s.*,
    c.planned,
    c.planned_reason,
    c.exclusion_category,
    c.admit_obstetric_perinatal,
    c.age_at_admission,
    c.pqi_measure,
    p.gender,
    p.death_date,
    p.adi_national_percentile,
    w.data_through
  FROM intermediate.inpatient_stay AS s
  JOIN intermediate.readmission_classification AS c ON c.encounter_id = s.encounter_id
  LEFT JOIN intermediate.readmission_person AS p ON p.person_id = s.person_id
  CROSS JOIN data_window AS w
),

-- Readmission candidates: every acute encounter except obstetric and perinatal admissions, which
-- HEDIS PCR leaves out of the numerator and CMS never sees in Medicare FFS.
candidate AS (
  SELECT person_id, admission_date, encounter_id, planned, pqi_measure, paid_amount
  FROM stay
  WHERE NOT admit_obstetric_perinatal
),

-- Encounters of a person never overlap (the chain merges them), so the first candidate admitted
-- after the discharge date is the first readmission (ties, which the chain rules out, go to the
-- smaller encounter id so the pick is the same on every engine).
later_stay AS (
  SELECT
    s.encounter_id,
    r.encounter_id AS next_encounter_id,
    r.admission_date AS next_admission_date,
    r.planned AS next_planned,
    r.pqi_measure AS next_pqi_measure,
    r.paid_amount AS next_paid,
    row_number() OVER (PARTITION BY s.encounter_id ORDER BY r.admission_date, r.encounter_id) AS pick
  FROM stay AS s
  JOIN candidate AS r
    ON r.person_id = s.person_id AND r.admission_date > s.discharge_date
),

next_stay AS (
  SELECT
    s.encounter_id,
    l.next_encounter_id,
    l.next_admission_date,
    l.next_planned,
    l.next_pqi_measure,
    l.next_paid
  FROM stay AS s
  LEFT JOIN later_stay AS l ON l.encounter_id = s.encounter_id AND l.pick = 1
),

follow_up AS (
  SELECT s.encounter_id, min(v.visit_date) AS first_follow_up_date
  FROM stay AS s
  JOIN intermediate.readmission_visit_date AS v
    ON v.person_id = s.person_id
    AND v.visit_kind = 'follow_up'
    AND v.visit_date > s.discharge_date
    AND v.visit_date <= s.discharge_date + 30
  GROUP BY s.encounter_id
),

enrolled AS (
  SELECT DISTINCT s.encounter_id
  FROM stay AS s
  JOIN intermediate.readmission_enrollment_span AS e
    ON e.person_id = s.person_id
    AND e.span_start <= s.discharge_date
    AND e.span_end >= least(s.discharge_date + 30, coalesce(s.death_date, s.discharge_date + 30))
),

chronic AS (
  SELECT s.encounter_id, count(DISTINCT d.condition) AS chronic_condition_count
  FROM stay AS s
  JOIN intermediate.readmission_condition_date AS d
    ON d.person_id = s.person_id
    AND d.service_date BETWEEN s.admission_date - 365 AND s.discharge_date
  GROUP BY s.encounter_id
),

prior_admission AS (
  SELECT s.encounter_id, count(*) AS admissions_prior_12m
  FROM stay AS s
  JOIN intermediate.inpatient_stay AS p
    ON p.person_id = s.person_id
    AND p.admission_date >= s.admission_date - 365
    AND p.admission_date < s.admission_date
  GROUP BY s.encounter_id
),

prior_ed AS (
  SELECT
    s.encounter_id,
    count(*) FILTER (WHERE v.visit_date >= s.admission_date - 182) AS ed_visits_prior_6m,
    count(*) AS ed_visits_prior_12m
  FROM stay AS s
  JOIN intermediate.readmission_visit_date AS v
    ON v.person_id = s.person_id
    AND v.visit_kind = 'emergency_department'
    AND v.visit_date >= s.admission_date - 365
    AND v.visit_date < s.admission_date
  GROUP BY s.encounter_id
),

assembled AS (
  SELECT
    s.*,
    n.next_encounter_id,
    n.next_admission_date,
    n.next_planned,
    n.next_pqi_measure,
    n.next_paid,
    coalesce(date_diff('day', s.discharge_date, n.next_admission_date) <= 30, false) AS readmitted_30d,
    f.first_follow_up_date,
    coalesce(f.first_follow_up_date <= s.discharge_date + 7, false) AS follow_up_within_7d,
    s.discharge_date + 30 <= s.data_through AND en.encounter_id IS NOT NULL AS follow_up_complete,
    CASE
      WHEN s.age_at_admission < 18 THEN 'under_18'
      WHEN s.discharge_disposition_code IN ('20', '40', '41', '42') THEN 'died_in_hospital'
      WHEN s.discharge_disposition_code = '07' THEN 'left_against_medical_advice'
      WHEN s.discharge_disposition_code IN ('02', '05', '66', '82', '85', '94') THEN 'transferred_out'
      WHEN s.exclusion_category IS NOT NULL THEN s.exclusion_category
      WHEN NOT (s.discharge_date + 30 <= s.data_through AND en.encounter_id IS NOT NULL) THEN 'incomplete_follow_up'
    END AS index_exclusion_reason,
    coalesce(ch.chronic_condition_count, 0) AS chronic_condition_count,
    coalesce(pa.admissions_prior_12m, 0) AS admissions_prior_12m,
    coalesce(pe.ed_visits_prior_6m, 0) AS ed_visits_prior_6m,
    coalesce(pe.ed_visits_prior_12m, 0) AS ed_visits_prior_12m
  FROM stay AS s
  JOIN next_stay AS n ON n.encounter_id = s.encounter_id
  LEFT JOIN follow_up AS f ON f.encounter_id = s.encounter_id
  LEFT JOIN enrolled AS en ON en.encounter_id = s.encounter_id
  LEFT JOIN chronic AS ch ON ch.encounter_id = s.encounter_id
  LEFT JOIN prior_admission AS pa ON pa.encounter_id = s.encounter_id
  LEFT JOIN prior_ed AS pe ON pe.encounter_id = s.encounter_id
)

SELECT
  a.encounter_id,
  a.person_id,
  a.admission_date,
  a.discharge_date,
  CAST(date_trunc('month', a.discharge_date) AS DATE) AS discharge_month,
  a.length_of_stay_days,
  a.facility_npi,
  pr.provider_name AS facility_name,
  a.transferred,
  a.payer,
  a.plan,
  coalesce(pt.payer_type, py.payer_type) AS payer_type,
  a.age_at_admission,
  a.gender,
  a.adi_national_percentile,
  a.principal_diagnosis_code,
  CASE
    WHEN a.principal_diagnosis_code IS NULL THEN 'unknown'
    WHEN a.diagnosis_code_type = 'icd-9-cm' THEN 'ICD-9'
    ELSE left(a.principal_diagnosis_code, 3)
  END AS diagnosis_category,
  coalesce(i.description, CASE WHEN a.diagnosis_code_type = 'icd-9-cm' THEN 'ICD-9-CM diagnosis, not grouped' END)
    AS diagnosis_category_description,
  CASE
    WHEN a.principal_diagnosis_code IS NULL THEN 'unknown'
    WHEN a.diagnosis_code_type = 'icd-9-cm' THEN 'ICD-9 (not grouped)'
    ELSE coalesce(ch.diagnosis_chapter, 'unrecognized')
  END AS diagnosis_chapter,
  CASE
    WHEN a.principal_diagnosis_code IS NULL THEN 'No principal diagnosis'
    WHEN a.diagnosis_code_type = 'icd-9-cm' THEN 'ICD-9-CM diagnosis, not grouped'
    ELSE coalesce(ch.diagnosis_chapter_description, 'Code outside the ICD-10-CM chapters')
  END AS diagnosis_chapter_description,
  a.drg_code,
  a.discharge_disposition_code,
  a.planned,
  a.planned_reason,
  a.exclusion_category,
  a.index_exclusion_reason IS NULL AS index_eligible,
  a.index_exclusion_reason,
  a.follow_up_complete,
  a.first_follow_up_date,
  a.follow_up_within_7d,
  CASE WHEN a.readmitted_30d THEN a.next_encounter_id END AS readmission_encounter_id,
  CASE WHEN a.readmitted_30d THEN a.next_admission_date END AS readmission_admission_date,
  CASE WHEN a.readmitted_30d THEN date_diff('day', a.discharge_date, a.next_admission_date) END
    AS days_to_readmission,
  a.readmitted_30d,
  CASE WHEN a.readmitted_30d THEN a.next_planned END AS readmission_planned,
  a.readmitted_30d AND NOT a.next_planned AS unplanned_readmission_30d,
  CASE WHEN a.readmitted_30d THEN a.next_pqi_measure END AS readmission_pqi_measure,
  CASE
    WHEN a.readmitted_30d THEN a.first_follow_up_date IS NULL
      OR a.first_follow_up_date > a.discharge_date + 7
      OR a.first_follow_up_date >= a.next_admission_date
  END AS no_follow_up_before_readmission,
  a.readmitted_30d AND NOT a.next_planned AND (
    a.next_pqi_measure IS NOT NULL
    OR a.first_follow_up_date IS NULL
    OR a.first_follow_up_date > a.discharge_date + 7
    OR a.first_follow_up_date >= a.next_admission_date
  ) AS preventable_readmission,
  CASE WHEN a.readmitted_30d THEN a.next_paid END AS readmission_paid,
  a.paid_amount,
  a.chronic_condition_count,
  a.admissions_prior_12m,
  a.ed_visits_prior_6m,
  a.ed_visits_prior_12m,
  a.data_through
FROM assembled AS a
LEFT JOIN chapter AS ch
  ON a.diagnosis_code_type IS DISTINCT FROM 'icd-9-cm'
  AND left(a.principal_diagnosis_code, 3) BETWEEN ch.chapter_first AND ch.chapter_last
-- An equi-join on the category (the ICD-9 case folded into the key) keeps this a hash join.
LEFT JOIN codes.icd10cm AS i
  ON i.code = CASE WHEN a.diagnosis_code_type = 'icd-9-cm' THEN NULL ELSE left(a.principal_diagnosis_code, 3) END
LEFT JOIN staging.provider AS pr ON pr.npi = a.facility_npi
LEFT JOIN payer_type AS pt ON pt.person_id = a.person_id AND pt.payer = a.payer
LEFT JOIN staging.payer AS py ON py.payer = a.payer
