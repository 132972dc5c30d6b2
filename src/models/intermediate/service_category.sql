-- description: Service category of every medical claim line (inpatient, outpatient, emergency_department, professional, ancillary, post_acute, other), following the approach of the Tuva Project service category grouper: institutional claims are grouped at claim level from bill type, DRG and revenue codes, professional lines at line level from place of service and HCPCS; the first matching rule wins. Pharmacy (pharmacy_claim) joins in intermediate.cost_claim_line. Rules and differences from Tuva in docs/marts/cost.md.
-- grain: claim_id, claim_line_number
-- materialized: table
-- column claim_id: Claim identifier (staging.medical_claim).
-- column claim_line_number: Line number within the claim.
-- column claim_type: professional or institutional.
-- column service_category: inpatient, outpatient, emergency_department, professional (office/clinic), ancillary (lab, radiology, DME, ambulance), post_acute (SNF, home health, hospice) or other (no usable setting signal).
-- column service_category_detail: Finer setting within the category: acute inpatient, inpatient professional, emergency department, outpatient surgery, outpatient hospital or clinic, urgent care, dialysis, office or clinic, lab, radiology, durable medical equipment, ambulance, skilled nursing, home health, hospice, other.
-- column category_rule: The rule that assigned the category (bill_type_inpatient, drg, ed_revenue_or_visit, pos_emergency_room, lab_code, ...; listed in docs/marts/cost.md), so an analyst can see why a line landed where it did.
-- test not_null: claim_id, claim_line_number, service_category, service_category_detail, category_rule
-- test accepted_values: service_category in (inpatient, outpatient, emergency_department, professional, ancillary, post_acute, other)

-- Bill type: the facility type is the first two digits of the three-digit type (a leading 0 of the
-- four-character form is dropped). CPT ranges only apply to five-digit numeric codes, so Category II
-- codes such as 8000F never pass as lab.
WITH line AS (
  SELECT
    claim_id,
    claim_line_number,
    claim_type,
    left(right(bill_type_code, 3), 2) AS bill_facility,
    place_of_service_code AS pos,
    revenue_center_code AS rev,
    hcpcs_code AS hcpcs,
    drg_code,
    coalesce(hcpcs_code ~ '^[0-9]{5}$', false) AS cpt_numeric
  FROM staging.medical_claim
),

-- Read three times (claim signals, institutional and professional lines): NOT MATERIALIZED keeps
-- DuckDB from holding every line's flags in memory; each reader scans again with its claim type.
flagged AS NOT MATERIALIZED (
  SELECT
    *,
    coalesce(hcpcs IN ('99281', '99282', '99283', '99284', '99285', 'G0380', 'G0381', 'G0382', 'G0383', 'G0384'), false)
      AS ed_visit_code,
    coalesce(rev BETWEEN '0450' AND '0459' OR rev = '0981', false) AS ed_revenue,
    coalesce(cpt_numeric AND hcpcs BETWEEN '10004' AND '69990', false) AS surgery_code,
    coalesce(rev LIKE '036%' OR rev LIKE '049%', false) AS surgery_revenue,
    coalesce(hcpcs BETWEEN 'A0021' AND 'A0999', false) AS ambulance_code,
    coalesce(left(hcpcs, 1) IN ('E', 'K', 'L'), false) AS dme_code,
    coalesce(cpt_numeric AND hcpcs BETWEEN '80000' AND '89999', false) AS lab_code,
    coalesce(cpt_numeric AND hcpcs BETWEEN '70000' AND '79999', false) AS radiology_code
  FROM line
),

-- Institutional claims are one setting: a signal on any line (an ED revenue code, a surgical
-- procedure) places the whole claim, as in Tuva's header-level categories.
claim_signal AS (
  SELECT
    claim_id,
    max(bill_facility) AS bill_facility,
    bool_or(drg_code IS NOT NULL) AS has_drg,
    bool_or(ed_revenue OR ed_visit_code) AS has_ed,
    bool_or(surgery_code OR surgery_revenue) AS has_surgery
  FROM flagged
  WHERE claim_type = 'institutional'
  GROUP BY claim_id
),

institutional AS (
  SELECT
    f.claim_id,
    f.claim_line_number,
    f.claim_type,
    CASE
      WHEN c.bill_facility IN ('18', '21', '22', '23', '28') THEN 'bill_type_snf'
      WHEN c.bill_facility IN ('31', '32', '33', '34') THEN 'bill_type_home_health'
      WHEN c.bill_facility IN ('81', '82') THEN 'bill_type_hospice'
      WHEN c.bill_facility IN ('11', '12', '15', '16', '17', '41', '42', '45', '46', '47', '48', '61', '62', '65', '66', '67', '68')
        THEN 'bill_type_inpatient'
      WHEN c.has_drg THEN 'drg'
      WHEN c.has_ed THEN 'ed_revenue_or_visit'
      WHEN c.bill_facility = '83' THEN 'bill_type_asc'
      WHEN c.has_surgery THEN 'surgery_procedure'
      WHEN c.bill_facility = '14' THEN 'bill_type_reference_lab'
      WHEN f.ambulance_code OR f.rev LIKE '054%' THEN 'ambulance_line'
      WHEN f.lab_code OR f.rev LIKE '030%' OR f.rev LIKE '031%' THEN 'lab_line'
      WHEN f.radiology_code OR f.rev LIKE '032%' OR f.rev LIKE '033%' OR f.rev LIKE '034%' OR f.rev LIKE '035%'
        OR f.rev LIKE '040%' OR f.rev LIKE '061%' THEN 'radiology_line'
      WHEN f.dme_code OR f.rev LIKE '029%' THEN 'dme_line'
      WHEN c.bill_facility = '72' THEN 'bill_type_dialysis'
      WHEN c.bill_facility IN ('13', '43', '71', '73', '74', '75', '76', '77', '79', '85', '89') THEN 'bill_type_outpatient'
      ELSE 'no_institutional_signal'
    END AS category_rule
  FROM flagged AS f
  JOIN claim_signal AS c ON c.claim_id = f.claim_id
  WHERE f.claim_type = 'institutional'
),

-- Professional lines follow the setting they were rendered in; ambulance and DME first because they
-- are the same service wherever they are delivered, lab and radiology only outside facilities (a
-- radiologist's read in the ED is ED spend).
professional AS (
  SELECT
    claim_id,
    claim_line_number,
    claim_type,
    CASE
      WHEN ambulance_code OR pos IN ('41', '42') THEN 'ambulance'
      WHEN dme_code THEN 'dme_code'
      WHEN pos IN ('21', '51', '61') THEN 'pos_inpatient'
      WHEN pos = '23' THEN 'pos_emergency_room'
      WHEN ed_visit_code THEN 'ed_visit_code'
      WHEN pos IN ('31', '32', '33') THEN 'pos_nursing_facility'
      WHEN pos = '12' THEN 'pos_home'
      WHEN pos = '34' THEN 'pos_hospice'
      WHEN pos IN ('19', '22') THEN 'pos_outpatient_hospital'
      WHEN pos = '24' THEN 'pos_asc'
      WHEN pos = '20' THEN 'pos_urgent_care'
      WHEN pos = '65' THEN 'pos_dialysis'
      WHEN pos = '81' THEN 'pos_independent_lab'
      WHEN lab_code THEN 'lab_code'
      WHEN radiology_code THEN 'radiology_code'
      WHEN pos IN ('02', '10', '11', '15', '17', '49', '50', '53', '71', '72') THEN 'pos_office_or_clinic'
      WHEN cpt_numeric AND (hcpcs BETWEEN '99202' AND '99215' OR hcpcs BETWEEN '99381' AND '99429')
        THEN 'office_visit_code'
      ELSE 'no_professional_signal'
    END AS category_rule
  FROM flagged
  WHERE claim_type = 'professional'
),

-- One row per rule: the category and detail it assigns.
rule_map (category_rule, service_category, service_category_detail) AS (
  VALUES
    ('bill_type_snf', 'post_acute', 'skilled nursing'),
    ('bill_type_home_health', 'post_acute', 'home health'),
    ('bill_type_hospice', 'post_acute', 'hospice'),
    ('bill_type_inpatient', 'inpatient', 'acute inpatient'),
    ('drg', 'inpatient', 'acute inpatient'),
    ('ed_revenue_or_visit', 'emergency_department', 'emergency department'),
    ('bill_type_asc', 'outpatient', 'outpatient surgery'),
    ('surgery_procedure', 'outpatient', 'outpatient surgery'),
    ('bill_type_reference_lab', 'ancillary', 'lab'),
    ('ambulance_line', 'ancillary', 'ambulance'),
    ('lab_line', 'ancillary', 'lab'),
    ('radiology_line', 'ancillary', 'radiology'),
    ('dme_line', 'ancillary', 'durable medical equipment'),
    ('bill_type_dialysis', 'outpatient', 'dialysis'),
    ('bill_type_outpatient', 'outpatient', 'outpatient hospital or clinic'),
    ('no_institutional_signal', 'other', 'other'),
    ('ambulance', 'ancillary', 'ambulance'),
    ('dme_code', 'ancillary', 'durable medical equipment'),
    ('pos_inpatient', 'inpatient', 'inpatient professional'),
    ('pos_emergency_room', 'emergency_department', 'emergency department'),
    ('ed_visit_code', 'emergency_department', 'emergency department'),
    ('pos_nursing_facility', 'post_acute', 'skilled nursing'),
    ('pos_home', 'post_acute', 'home health'),
    ('pos_hospice', 'post_acute', 'hospice'),
    ('pos_outpatient_hospital', 'outpatient', 'outpatient hospital or clinic'),
    ('pos_asc', 'outpatient', 'outpatient surgery'),
    ('pos_urgent_care', 'outpatient', 'urgent care'),
    ('pos_dialysis', 'outpatient', 'dialysis'),
    ('pos_independent_lab', 'ancillary', 'lab'),
    ('lab_code', 'ancillary', 'lab'),
    ('radiology_code', 'ancillary', 'radiology'),
    ('pos_office_or_clinic', 'professional', 'office or clinic'),
    ('office_visit_code', 'professional', 'office or clinic'),
    ('no_professional_signal', 'other', 'other')
),

assigned AS (
  SELECT * FROM institutional
  UNION ALL
  SELECT * FROM professional
)

SELECT
  a.claim_id,
  a.claim_line_number,
  a.claim_type,
  r.service_category,
  r.service_category_detail,
  a.category_rule
FROM assigned AS a
JOIN rule_map AS r ON r.category_rule = a.category_rule
