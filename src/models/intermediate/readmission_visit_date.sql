-- description: One row per person, date and kind of ambulatory contact that readmission models look for: follow_up (an office or clinic visit, a clinician's home visit, an outpatient hospital clinic claim, or an E/M or transitional care management code billed in an outpatient hospital: the post-discharge follow-up) and emergency_department (an ED visit, whether or not it led to an admission), from intermediate.service_category. Reversed lines are left out; denied ones count, since the visit happened.
-- grain: person_id, visit_date, visit_kind
-- materialized: table
-- column person_id: Person.
-- column visit_date: Line start date (claim start date when the line has none).
-- column visit_kind: follow_up or emergency_department.
-- test not_null: person_id, visit_date, visit_kind
-- test accepted_values: visit_kind in (follow_up, emergency_department)

SELECT DISTINCT
  m.person_id,
  coalesce(m.claim_line_start_date, m.claim_start_date) AS visit_date,
  CASE WHEN s.service_category = 'emergency_department' THEN 'emergency_department' ELSE 'follow_up' END AS visit_kind
FROM staging.medical_claim AS m
JOIN intermediate.service_category AS s
  ON s.claim_id = m.claim_id AND s.claim_line_number = m.claim_line_number
WHERE m.claim_status <> 'reversed'
  AND coalesce(m.claim_line_start_date, m.claim_start_date) IS NOT NULL
  AND (
    s.service_category IN ('professional', 'emergency_department')
    OR s.category_rule = 'pos_home'
    OR (s.service_category_detail = 'outpatient hospital or clinic' AND m.claim_type = 'institutional')
    OR (
      s.category_rule = 'pos_outpatient_hospital'
      AND (m.hcpcs_code BETWEEN '99202' AND '99215' OR m.hcpcs_code IN ('99495', '99496'))
    )
  )
