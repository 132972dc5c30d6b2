-- description: One row per medical claim and date on which something happened to its receivable: billing (charges, net revenue, the payer receivable opening at expected payment), payer resolution (the receivable closing, payment, contractual and denial write-offs), patient billing and patient payments applied to the claim. Summing the rows up to an as-of date gives the claim's state on that date, so A/R, aging, bad debt, collection and write-off rates for any as-of date and any billing period are one scan. Reversed lines are left out. Definitions in docs/marts/rcm.md.
-- grain: claim_id, event_date
-- materialized: table
-- column claim_id: Claim identifier.
-- column event_date: Date of the events summed in the row.
-- column payer: Payer billed on the claim.
-- column state: Member's state of residence (intermediate.rcm_person); null when unknown.
-- column zip3: First three digits of the member's ZIP; null when unknown.
-- column billed_date: Claim's billing date (earliest submission date of its lines, else claim end date): the cohort key of billing-period metrics and the start of A/R aging.
-- column adjudicated_date: Date the last line of the claim was first adjudicated; null while a line was never adjudicated.
-- column patient_billed_date: Latest date patient responsibility was established on a line of the claim; null without patient responsibility.
-- column claims: 1 on the billing row (event_date = billed_date), else 0: counts claims.
-- column claim_lines: Lines of the claim, on the billing row.
-- column initially_denied_lines: Lines whose first adjudication was a denial, on the billing row.
-- column clean_claim: 1 on the billing row of a clean claim: every line paid on one remittance with no denial adjustment, and no line looks like a resubmission; else 0.
-- column charges: Billed charges, on the billing row.
-- column expected_allowed: Net revenue: charge x expected rate (intermediate.rcm_expected_rate), on the billing row.
-- column expected_payment: Expected payer payment (charge x expected rate - member cost share, floored at 0), on the billing row.
-- column payer_open: Change of the payer receivable valued at expected payment: + expected payment on the billing row, - the expected payment of each line on the date its payer side closed (paid, or finally denied).
-- column payer_paid: Payer payments of lines paid that day (medical_claim.paid_amount by paid_date, else the resolution date).
-- column contractual: Contractual adjustments (CARC root cause contractual) of lines closed that day.
-- column denial_write_off: Charges of finally denied lines, on the date of their last denial remittance.
-- column patient_billed: Patient responsibility of the claim (PR adjustments, or member cost share of lines without remittance), on patient_billed_date: the patient is billed once per claim, when the last line's share is known.
-- column patient_paid: Patient payments applied to the claim that day (input.payment, payment_source patient).
-- test not_null: claim_id, event_date, payer, billed_date, claims, claim_lines, initially_denied_lines, clean_claim, charges, expected_allowed, expected_payment, payer_open, payer_paid, contractual, denial_write_off, patient_billed, patient_paid

-- NOT MATERIALIZED: read three times, the CTE would otherwise be materialized by DuckDB with every
-- column in memory; scanning the table again is cheaper.
-- Every row belongs to one claim: on a large book the model runs in passes over partitions of claim_id
-- (claimlens_partition, docs/models.md); the patient payments follow the partition's claims.
WITH line AS NOT MATERIALIZED (
  SELECT * FROM intermediate.denial_remit_line WHERE claimlens_partition(claim_id)
),

claim AS (
  SELECT
    claim_id,
    min(payer) AS payer,
    min(person_id) AS person_id,
    min(billed_date) AS billed_date,
    CASE WHEN bool_and(adjudicated) THEN max(adjudication_date) END AS adjudicated_date,
    max(patient_billed_date) AS patient_billed_date,
    sum(patient_responsibility) AS patient_billed,
    count(*) AS claim_lines,
    count(*) FILTER (WHERE initially_denied) AS initially_denied_lines,
    CASE WHEN bool_and(first_pass_paid) AND NOT bool_or(resubmission) THEN 1 ELSE 0 END AS clean_claim,
    sum(charge_amount) AS charges,
    sum(expected_allowed) AS expected_allowed,
    sum(expected_payment) AS expected_payment
  FROM line
  GROUP BY claim_id
),

-- Only the amounts that several events of a claim can add to on one date are summed; the claim's
-- own figures (line counts, charges, expected amounts) belong to its billing event and join back
-- from claim on the billing date (never null: claim_end_date is required). Summing them too made 13
-- aggregate states per claim and date, the largest part of this model (1.4 s of the query at 1M
-- lines).
event AS (
  SELECT claim_id, billed_date AS event_date, expected_payment AS payer_open, 0 AS payer_paid,
    0 AS contractual, 0 AS denial_write_off, 0 AS patient_billed, 0 AS patient_paid
  FROM claim
  UNION ALL
  -- The line's resolution, with its payment when the payment falls on the same date (most lines):
  -- one row instead of two, a quarter fewer rows for the aggregate below.
  SELECT
    claim_id,
    resolution_date,
    -expected_payment,
    CASE WHEN coalesce(paid_date, resolution_date) = resolution_date THEN paid_amount ELSE 0 END,
    contractual_adjustment,
    CASE WHEN finally_denied THEN charge_amount ELSE 0 END,
    0,
    0
  FROM line
  WHERE resolution_date IS NOT NULL
  UNION ALL
  -- Payments on another date than the resolution (or of lines without one).
  SELECT claim_id, coalesce(paid_date, resolution_date), 0, paid_amount, 0, 0, 0, 0
  FROM line
  WHERE paid_amount <> 0 AND coalesce(paid_date, resolution_date) IS NOT NULL
    AND (resolution_date IS NULL OR paid_date <> resolution_date)
  UNION ALL
  SELECT claim_id, patient_billed_date, 0, 0, 0, 0, patient_billed, 0
  FROM claim
  WHERE patient_billed_date IS NOT NULL
  UNION ALL
  SELECT p.claim_id, p.payment_date, 0, 0, 0, 0, 0, p.payment_amount
  FROM staging.payment AS p
  WHERE p.payment_source = 'patient' AND p.claim_id IN (SELECT claim_id FROM claim)
),

summed AS (
  SELECT
    claim_id,
    event_date,
    sum(payer_open) AS payer_open,
    sum(payer_paid) AS payer_paid,
    sum(contractual) AS contractual,
    sum(denial_write_off) AS denial_write_off,
    sum(patient_billed) AS patient_billed,
    sum(patient_paid) AS patient_paid
  FROM event
  GROUP BY claim_id, event_date
)

SELECT
  s.claim_id,
  s.event_date,
  c.payer,
  p.state,
  p.zip3,
  c.billed_date,
  c.adjudicated_date,
  c.patient_billed_date,
  CASE WHEN s.event_date = c.billed_date THEN 1 ELSE 0 END AS claims,
  CAST(CASE WHEN s.event_date = c.billed_date THEN c.claim_lines ELSE 0 END AS INTEGER) AS claim_lines,
  CAST(CASE WHEN s.event_date = c.billed_date THEN c.initially_denied_lines ELSE 0 END AS INTEGER)
    AS initially_denied_lines,
  CASE WHEN s.event_date = c.billed_date THEN c.clean_claim ELSE 0 END AS clean_claim,
  CAST(CASE WHEN s.event_date = c.billed_date THEN c.charges ELSE 0 END AS DECIMAL(18, 2)) AS charges,
  round(CASE WHEN s.event_date = c.billed_date THEN c.expected_allowed ELSE 0 END, 2) AS expected_allowed,
  round(CASE WHEN s.event_date = c.billed_date THEN c.expected_payment ELSE 0 END, 2) AS expected_payment,
  round(s.payer_open, 2) AS payer_open,
  CAST(s.payer_paid AS DECIMAL(18, 2)) AS payer_paid,
  round(s.contractual, 2) AS contractual,
  CAST(s.denial_write_off AS DECIMAL(18, 2)) AS denial_write_off,
  round(s.patient_billed, 2) AS patient_billed,
  CAST(s.patient_paid AS DECIMAL(18, 2)) AS patient_paid
FROM summed AS s
JOIN claim AS c ON c.claim_id = s.claim_id
LEFT JOIN intermediate.rcm_person AS p ON p.person_id = c.person_id
