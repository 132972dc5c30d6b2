-- description: One row per person, claim and date with what the patient was billed (patient responsibility after insurance) and what the patient paid: the patient account ledger. Summing it up to an as-of date gives each person's billed, paid and open balance on that date. Payments not applied to a claim are kept under claim_id (on account). Definitions in docs/marts/patients.md.
-- grain: person_id, claim_id, event_date
-- materialized: table
-- column person_id: Person whose account it is.
-- column claim_id: Claim billed or paid toward; (on account) for patient payments with no claim.
-- column event_date: Date of the billing or payment.
-- column payer: Payer of the claim; null for payments on account or toward a claim not in medical_claim.
-- column plan: Plan of the claim; null for payments on account or toward a claim not in medical_claim. What the plan filter keeps.
-- column billed_amount: Patient responsibility of the claim, on the date the last of its lines' patient share was established (PR adjustments after insurance, or the member cost share of lines without remittance, e.g. self-pay); reversed lines left out.
-- column paid_amount: Patient payments received that day (negative for refunds).
-- column payments: Number of patient payments received that day.
-- test not_null: person_id, claim_id, event_date, billed_amount, paid_amount, payments

WITH claim_payer AS (
  SELECT claim_id, min(payer) AS payer, min(plan) AS plan
  FROM staging.medical_claim
  GROUP BY claim_id
),

-- One statement per claim, dated when its last line's patient share was established (as
-- marts.rcm_claim_event dates it), so each claim is billed once.
billed AS (
  SELECT
    min(person_id) AS person_id,
    claim_id,
    max(patient_billed_date) AS event_date,
    sum(patient_responsibility) AS billed_amount,
    CAST(0 AS DECIMAL(18, 2)) AS paid_amount,
    0 AS payments
  FROM intermediate.denial_remit_line
  WHERE patient_billed_date IS NOT NULL
  GROUP BY claim_id
),

paid AS (
  SELECT
    person_id,
    coalesce(claim_id, '(on account)') AS claim_id,
    payment_date AS event_date,
    0 AS billed_amount,
    sum(payment_amount) AS paid_amount,
    count(*) AS payments
  FROM staging.payment
  WHERE payment_source = 'patient'
  GROUP BY person_id, coalesce(claim_id, '(on account)'), payment_date
),

event AS (
  SELECT * FROM billed
  UNION ALL
  SELECT * FROM paid
)

SELECT
  e.person_id,
  e.claim_id,
  e.event_date,
  c.payer,
  c.plan,
  round(sum(e.billed_amount), 2) AS billed_amount,
  CAST(sum(e.paid_amount) AS DECIMAL(18, 2)) AS paid_amount,
  CAST(sum(e.payments) AS INTEGER) AS payments
FROM event AS e
LEFT JOIN claim_payer AS c ON c.claim_id = e.claim_id
GROUP BY e.person_id, e.claim_id, e.event_date, c.payer, c.plan
