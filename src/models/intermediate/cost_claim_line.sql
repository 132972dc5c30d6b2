-- description: Spend lines of the cost marts: paid and partially paid medical claim lines with their service category, and pharmacy fills (category pharmacy), with the service month, the principal diagnosis grouped by ICD-10-CM chapter and whether the person was enrolled with the claim's payer and plan that month. Denied, pending and reversed lines are not spend and are left out here (they stay in staging for the denial marts).
-- grain: claim_source, claim_id, claim_line_number
-- materialized: table
-- column claim_source: medical (medical_claim) or pharmacy (pharmacy_claim).
-- column claim_id: Claim identifier in its source table.
-- column claim_line_number: Line number within the claim.
-- column person_id: Person served.
-- column payer: Payer billed.
-- column plan: Plan billed.
-- column service_date: Date the spend is counted on: the claim start date of medical claims (the admission date of a stay, so a stay is not split across months) and the dispensing date of pharmacy fills.
-- column service_month: First day of the month of service_date (staging.medical_claim.service_month for medical lines).
-- column service_category: Service category (intermediate.service_category), or pharmacy for pharmacy fills.
-- column service_category_detail: Finer setting within the category (retail and mail pharmacy for fills).
-- column principal_diagnosis_code: Principal (first-listed) diagnosis of the claim, upper case without dot; null for pharmacy fills.
-- column diagnosis_chapter: ICD-10-CM chapter range of the principal diagnosis (e.g. I00-I99); 'no diagnosis' for pharmacy fills, 'ICD-9 (not grouped)' for ICD-9 claims, 'unrecognized' for codes outside every chapter.
-- column diagnosis_chapter_description: Title of the ICD-10-CM chapter (short form).
-- column paid_amount: Amount the payer paid for the line.
-- column allowed_amount: Allowed amount of the line; null when the source does not report it.
-- column enrolled: True when the person has a member month with the claim's payer and plan in the service month (intermediate.member_month); spend without one is reported apart, never silently dropped.
-- test not_null: claim_source, claim_id, claim_line_number, person_id, payer, plan, service_date, service_month, service_category, diagnosis_chapter, paid_amount, enrolled

-- Every row is one person's line: on a large book the model runs in passes over partitions of
-- person_id (claimlens_partition, docs/models.md); service categories join the partition's lines.
WITH medical AS (
  SELECT
    'medical' AS claim_source,
    m.claim_id,
    m.claim_line_number,
    m.person_id,
    m.payer,
    m.plan,
    m.claim_start_date AS service_date,
    m.service_month,
    s.service_category,
    s.service_category_detail,
    m.diagnosis_code_1 AS principal_diagnosis_code,
    m.diagnosis_code_type,
    m.paid_amount,
    m.allowed_amount
  FROM staging.medical_claim AS m
  JOIN intermediate.service_category AS s
    ON s.claim_id = m.claim_id AND s.claim_line_number = m.claim_line_number
  WHERE m.claim_status IN ('paid', 'partially_paid') AND claimlens_partition(m.person_id)
),

-- A pharmacy feed without a status reports adjudicated fills only, so a missing status is spend.
pharmacy AS (
  SELECT
    'pharmacy' AS claim_source,
    claim_id,
    claim_line_number,
    person_id,
    payer,
    plan,
    dispensing_date AS service_date,
    CAST(date_trunc('month', dispensing_date) AS DATE) AS service_month,
    'pharmacy' AS service_category,
    'retail and mail pharmacy' AS service_category_detail,
    CAST(NULL AS VARCHAR) AS principal_diagnosis_code,
    CAST(NULL AS VARCHAR) AS diagnosis_code_type,
    paid_amount,
    allowed_amount
  FROM staging.pharmacy_claim
  WHERE (claim_status IS NULL OR claim_status IN ('paid', 'partially_paid')) AND claimlens_partition(person_id)
),

line AS (
  SELECT * FROM medical
  UNION ALL
  SELECT * FROM pharmacy
),

-- ICD-10-CM chapter ranges of the FY2021+ tabular list, compared on the three-character category.
-- The range comparison runs once per distinct category (about a thousand) and the lines join on
-- equality: a range join of every line against the chapters was a nested loop, a quarter of this
-- model's time. The categories come from every medical line (a superset of the spend lines' ones,
-- which only adds lookup rows): read from `medical`, that CTE would be read twice, and DuckDB would
-- materialize all its columns in memory (the model alone at 10M lines: a 4.3 GB peak against 5.8).
category_chapter AS (
  SELECT k.category, c.diagnosis_chapter, c.diagnosis_chapter_description
  FROM (SELECT DISTINCT left(diagnosis_code_1, 3) AS category FROM staging.medical_claim) AS k
  JOIN intermediate.icd10cm_chapter AS c ON k.category BETWEEN c.chapter_first AND c.chapter_last
)

SELECT
  l.claim_source,
  l.claim_id,
  l.claim_line_number,
  l.person_id,
  l.payer,
  l.plan,
  l.service_date,
  l.service_month,
  l.service_category,
  l.service_category_detail,
  l.principal_diagnosis_code,
  CASE
    WHEN l.claim_source = 'pharmacy' OR l.principal_diagnosis_code IS NULL THEN 'no diagnosis'
    WHEN l.diagnosis_code_type = 'icd-9-cm' THEN 'ICD-9 (not grouped)'
    ELSE coalesce(c.diagnosis_chapter, 'unrecognized')
  END AS diagnosis_chapter,
  CASE
    WHEN l.claim_source = 'pharmacy' OR l.principal_diagnosis_code IS NULL THEN 'No principal diagnosis'
    WHEN l.diagnosis_code_type = 'icd-9-cm' THEN 'ICD-9-CM diagnosis, not grouped'
    ELSE coalesce(c.diagnosis_chapter_description, 'Code outside the ICD-10-CM chapters')
  END AS diagnosis_chapter_description,
  l.paid_amount,
  l.allowed_amount,
  mm.person_id IS NOT NULL AS enrolled
FROM line AS l
-- Equality only, so it is a hash join (pharmacy lines have no diagnosis, so they match nothing).
LEFT JOIN category_chapter AS c ON c.category = left(l.principal_diagnosis_code, 3)
LEFT JOIN (
  SELECT person_id, payer, plan, month_start
  FROM intermediate.member_month
  WHERE claimlens_partition(person_id)
) AS mm
  ON mm.person_id = l.person_id
  AND mm.payer = l.payer
  AND mm.plan = l.plan
  AND mm.month_start = l.service_month
