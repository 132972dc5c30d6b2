-- description: Denial-prediction features: one row per medical claim line (reversed lines left out) at the moment it is submitted (event_date), with the label (1 when its first adjudication was a denial, 0 when not, null while not adjudicated) and f_ features that are all observable at submission: the claim's own fields, payer terms, eligibility spans, code sets, a documented list of services that usually need prior authorization, and history strictly before event_date. Nothing from the line's remittance or final status enters a feature. Feature definitions in docs/marts/denials.md.
-- grain: claim_id, claim_line_number
-- materialized: table
-- column claim_id: Claim identifier (key).
-- column claim_line_number: Line number within the claim (key).
-- column event_date: Prediction time: submission_date, else claim_start_date when the source gives no submission date.
-- column label: 1 when the line was initially denied (intermediate.denial_remit_line.initially_denied), 0 when its first adjudication was not a denial, null while it is not adjudicated.
-- column f_payer: Payer billed (text).
-- column f_payer_type: Payer's line of business from input.payer (text); null when unknown.
-- column f_claim_type: professional or institutional (text).
-- column f_service_category: Service category of the line (intermediate.service_category; text).
-- column f_hcpcs_code: CPT/HCPCS code of the line (text); null when none.
-- column f_place_of_service: Place of service code (text); null on institutional claims.
-- column f_charge_amount: Billed charge of the line in dollars.
-- column f_units: Units of service on the line; null when not given.
-- column f_claim_line_count: Lines on the claim.
-- column f_has_prior_auth: 1 when the claim carries a prior-authorization number, else 0.
-- column f_auth_required_service: 1 when the service is on the documented list of services that usually need prior authorization (advanced imaging, sleep studies, listed elective surgery and cardiac catheterization, J-code drugs, DME and power mobility, elective inpatient admissions; docs/marts/denials.md), else 0. A rule list, not a rate learned from the data, so it cannot leak outcomes.
-- column f_days_to_submission: submission_date - claim_end_date in days; null without a submission date.
-- column f_timely_filing_days: The payer's timely-filing limit in days (input.payer); null when unknown.
-- column f_timely_filing_exceeded: 1 when f_days_to_submission exceeds the limit, 0 when not, null when either is unknown.
-- column f_enrolled_on_service_date: 1 when an eligibility span of the person with the billed payer covers claim_start_date, else 0.
-- column f_dx_ends_in_9: 1 when the principal diagnosis is a 4- or 5-character ICD-10-CM code ending in 9 (often an unspecified or other subcode), else 0.
-- column f_dx_unspecified_text: 1 when the principal diagnosis's ICD-10-CM description (codes.icd10cm) contains 'unspecified', else 0 (0 for codes not in the list).
-- column f_principal_dx_unspecified: 1 when f_dx_ends_in_9 or f_dx_unspecified_text, else 0.
-- column f_duplicate_looking: 1 when a line with the same person, claim start date, HCPCS and charge was submitted on an earlier day, else 0.
-- column f_member_age: Member's age in whole years on claim_start_date; null without a birth date.
-- column f_prior_denials_180d: The member's initially denied lines whose denial was known (first adjudication date) in the 180 days before event_date, event_date itself excluded.
-- test not_null: claim_id, claim_line_number, event_date, f_payer, f_claim_type, f_service_category, f_charge_amount, f_claim_line_count, f_has_prior_auth, f_auth_required_service, f_enrolled_on_service_date, f_dx_ends_in_9, f_dx_unspecified_text, f_principal_dx_unspecified, f_duplicate_looking, f_prior_denials_180d
-- test accepted_values: label in (0, 1)

-- Services that payers commonly put behind prior authorization (radiology-benefit-manager imaging
-- lists, elective procedures, specialty drugs, DME). CPT ranges apply to five-digit numeric codes
-- only, HCPCS Level II ranges to a letter and four digits, so Category II codes never match.
-- Every row, window and lookup is one person's (a claim's lines are one person's): on a large book
-- the model runs in passes over partitions of person_id (claimlens_partition, docs/models.md).
WITH auth_rule (first_code, last_code, rule) AS (
  VALUES
    ('70450', '70498', 'CT head and neck'),
    ('71250', '71275', 'CT chest'),
    ('72125', '72133', 'CT spine'),
    ('72191', '72194', 'CT pelvis'),
    ('73200', '73206', 'CT upper extremity'),
    ('73700', '73706', 'CT lower extremity'),
    ('74150', '74178', 'CT abdomen and pelvis'),
    ('74261', '74263', 'CT colonography'),
    ('75571', '75574', 'cardiac CT'),
    ('70336', '70336', 'MR temporomandibular joint'),
    ('70540', '70559', 'MR head, neck and brain'),
    ('71550', '71555', 'MR chest'),
    ('72141', '72159', 'MR spine'),
    ('72195', '72198', 'MR pelvis'),
    ('73218', '73225', 'MR upper extremity'),
    ('73718', '73725', 'MR lower extremity'),
    ('74181', '74185', 'MR abdomen'),
    ('75557', '75565', 'cardiac MR'),
    ('77046', '77049', 'MR breast'),
    ('78451', '78454', 'nuclear myocardial perfusion'),
    ('78459', '78459', 'cardiac PET'),
    ('78491', '78492', 'cardiac PET'),
    ('78608', '78609', 'brain PET'),
    ('78811', '78816', 'PET and PET/CT'),
    ('95807', '95811', 'attended sleep studies'),
    ('22551', '22612', 'spinal fusion'),
    ('22630', '22633', 'spinal fusion'),
    ('63030', '63048', 'laminectomy and decompression'),
    ('27130', '27130', 'total hip arthroplasty'),
    ('27447', '27447', 'total knee arthroplasty'),
    ('23472', '23472', 'total shoulder arthroplasty'),
    ('29826', '29828', 'shoulder arthroscopy'),
    ('29880', '29881', 'knee arthroscopy with meniscectomy'),
    ('43644', '43645', 'bariatric bypass'),
    ('43770', '43775', 'bariatric banding and sleeve'),
    ('66982', '66984', 'cataract extraction'),
    ('19301', '19307', 'mastectomy'),
    ('93451', '93464', 'cardiac catheterization'),
    ('J0000', 'J9999', 'J-code drugs'),
    ('E0100', 'E8002', 'durable medical equipment'),
    ('K0001', 'K0899', 'wheelchairs and power mobility'),
    ('L5000', 'L9900', 'prostheses')
),

-- The lines as denial_remit_line has them (reversed lines left out) with the few submitted fields
-- it does not carry. Starting from denial_remit_line rather than joining it to the staging lines
-- keeps the wide side of the join out of its hash table. Read once, by the final select: the
-- lookups below read the narrow `scored` instead, because DuckDB materializes a CTE read more than
-- once with every column in memory (this join's 25 columns: GBs at 10M lines).
line AS (
  SELECT
    d.claim_id,
    d.claim_line_number,
    d.person_id,
    d.payer,
    d.claim_type,
    d.claim_start_date,
    d.claim_end_date,
    d.submission_date,
    coalesce(d.submission_date, d.claim_start_date) AS event_date,
    d.hcpcs_code,
    m.place_of_service_code,
    m.bill_type_code,
    m.admit_type_code,
    d.charge_amount,
    m.service_unit_quantity,
    m.prior_authorization_number,
    m.diagnosis_code_1,
    m.diagnosis_code_type,
    d.adjudicated,
    d.initially_denied,
    d.service_category,
    d.duplicate_of_earlier,
    c.claim_line_count
  FROM intermediate.denial_remit_line AS d
  JOIN (
    SELECT
      claim_id, claim_line_number, place_of_service_code, bill_type_code, admit_type_code,
      service_unit_quantity, prior_authorization_number, diagnosis_code_1, diagnosis_code_type
    FROM staging.medical_claim
    WHERE claimlens_partition(person_id)
  ) AS m ON m.claim_id = d.claim_id AND m.claim_line_number = d.claim_line_number
  -- A grouped count joined by claim: as a window over the join it sorted every line.
  JOIN (
    SELECT claim_id, count(*) AS claim_line_count
    FROM intermediate.denial_remit_line
    WHERE claimlens_partition(person_id)
    GROUP BY claim_id
  ) AS c ON c.claim_id = d.claim_id
  WHERE claimlens_partition(d.person_id)
),

-- The lines' own columns the lookups need, scanned again by each (NOT MATERIALIZED).
scored AS NOT MATERIALIZED (
  SELECT
    claim_id,
    claim_line_number,
    person_id,
    payer,
    claim_start_date,
    coalesce(submission_date, claim_start_date) AS event_date,
    hcpcs_code,
    coalesce(hcpcs_code ~ '^[0-9]{5}$', false) OR coalesce(hcpcs_code ~ '^[A-Z][0-9]{4}$', false) AS rule_shaped
  FROM intermediate.denial_remit_line
  WHERE claimlens_partition(person_id)
),

auth AS (
  SELECT DISTINCT l.claim_id, l.claim_line_number
  FROM scored AS l
  JOIN auth_rule AS r
    ON l.hcpcs_code BETWEEN r.first_code AND r.last_code
    AND l.rule_shaped
    AND left(l.hcpcs_code, 1) = left(r.first_code, 1)
),

-- The denials a member had per day, dated when they became known (first adjudication), merged
-- with the days the member's lines are scored on, so a window over person-days counts the denials of
-- the 180 days before each day. Lines of one person and day share the count: windowing person-days
-- instead of lines sorts about half the rows (1M book: 532,015 person-days against 1,017,985 lines
-- and denials; the model at 10M: 14.9 s against 16.2 s).
person_day AS (
  SELECT person_id, d, sum(denials) AS denials
  FROM (
    SELECT person_id, adjudication_date AS d, 1 AS denials
    FROM intermediate.denial_remit_line
    WHERE initially_denied AND claimlens_partition(person_id)
    UNION ALL
    SELECT person_id, event_date, 0
    FROM scored
  ) AS e
  GROUP BY person_id, d
),

prior_denials AS (
  SELECT
    person_id,
    d,
    sum(denials) OVER (
      PARTITION BY person_id
      ORDER BY d
      RANGE BETWEEN INTERVAL '180 days' PRECEDING AND INTERVAL '1 day' PRECEDING
    ) AS prior_denials
  FROM person_day
),

person AS (
  SELECT person_id, min(birth_date) AS birth_date
  FROM staging.eligibility
  WHERE claimlens_partition(person_id)
  GROUP BY person_id
),

-- Lines whose service date falls in an enrollment span with their payer. A join rather than an
-- EXISTS in the select list, which PostgreSQL would run once per line.
enrolled AS (
  SELECT DISTINCT l.claim_id, l.claim_line_number
  FROM scored AS l
  JOIN staging.eligibility AS e
    ON e.person_id = l.person_id
    AND e.payer = l.payer
    AND l.claim_start_date BETWEEN e.enrollment_start_date AND e.enrollment_end_date
)

SELECT
  l.claim_id,
  l.claim_line_number,
  l.event_date,
  CASE WHEN l.adjudicated THEN CAST(l.initially_denied AS INTEGER) END AS label,
  l.payer AS f_payer,
  r.payer_type AS f_payer_type,
  l.claim_type AS f_claim_type,
  l.service_category AS f_service_category,
  l.hcpcs_code AS f_hcpcs_code,
  l.place_of_service_code AS f_place_of_service,
  CAST(l.charge_amount AS DOUBLE PRECISION) AS f_charge_amount,
  l.service_unit_quantity AS f_units,
  CAST(l.claim_line_count AS INTEGER) AS f_claim_line_count,
  CASE WHEN l.prior_authorization_number IS NOT NULL AND trim(l.prior_authorization_number) <> '' THEN 1 ELSE 0 END
    AS f_has_prior_auth,
  CASE
    WHEN a.claim_id IS NOT NULL THEN 1
    WHEN l.claim_type = 'institutional' AND left(l.bill_type_code, 2) = '11' AND l.admit_type_code = '3' THEN 1
    ELSE 0
  END AS f_auth_required_service,
  l.submission_date - l.claim_end_date AS f_days_to_submission,
  r.timely_filing_days AS f_timely_filing_days,
  CASE
    WHEN l.submission_date IS NOT NULL AND r.timely_filing_days IS NOT NULL
      THEN CAST(l.submission_date - l.claim_end_date > r.timely_filing_days AS INTEGER)
  END AS f_timely_filing_exceeded,
  CASE WHEN en.claim_id IS NOT NULL THEN 1 ELSE 0 END AS f_enrolled_on_service_date,
  CASE
    WHEN coalesce(l.diagnosis_code_type, 'icd-10-cm') = 'icd-10-cm' AND length(l.diagnosis_code_1) IN (4, 5)
      AND right(l.diagnosis_code_1, 1) = '9' THEN 1
    ELSE 0
  END AS f_dx_ends_in_9,
  CASE WHEN lower(x.description) LIKE '%unspecified%' THEN 1 ELSE 0 END AS f_dx_unspecified_text,
  CASE
    WHEN (coalesce(l.diagnosis_code_type, 'icd-10-cm') = 'icd-10-cm' AND length(l.diagnosis_code_1) IN (4, 5)
      AND right(l.diagnosis_code_1, 1) = '9') OR lower(x.description) LIKE '%unspecified%' THEN 1
    ELSE 0
  END AS f_principal_dx_unspecified,
  CAST(l.duplicate_of_earlier AS INTEGER) AS f_duplicate_looking,
  CASE
    WHEN p.birth_date IS NOT NULL THEN CAST(
      extract(year FROM l.claim_start_date) - extract(year FROM p.birth_date)
        - CASE
          WHEN extract(month FROM l.claim_start_date) * 100 + extract(day FROM l.claim_start_date)
            < extract(month FROM p.birth_date) * 100 + extract(day FROM p.birth_date) THEN 1
          ELSE 0
        END
      AS INTEGER)
  END AS f_member_age,
  CAST(coalesce(pd.prior_denials, 0) AS INTEGER) AS f_prior_denials_180d
FROM line AS l
JOIN intermediate.rcm_expected_rate AS r ON r.payer = l.payer
LEFT JOIN auth AS a ON a.claim_id = l.claim_id AND a.claim_line_number = l.claim_line_number
LEFT JOIN prior_denials AS pd ON pd.person_id = l.person_id AND pd.d = l.event_date
-- The code-system test sits inside the join key: an extra condition beside it makes the engine
-- fall back to a nested-loop join.
LEFT JOIN codes.icd10cm AS x
  ON x.code = CASE WHEN coalesce(l.diagnosis_code_type, 'icd-10-cm') = 'icd-10-cm' THEN l.diagnosis_code_1 END
LEFT JOIN person AS p ON p.person_id = l.person_id
LEFT JOIN enrolled AS en ON en.claim_id = l.claim_id AND en.claim_line_number = l.claim_line_number
