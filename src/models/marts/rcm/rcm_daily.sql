-- description: One row per day and payer with what was billed (claims, charges, net revenue) and the cash received (payer and patient payments): the daily series behind days in A/R (average daily net revenue over a trailing window), cash collection as a share of net revenue and cost to collect. Definitions in docs/marts/rcm.md.
-- grain: day, payer
-- materialized: table
-- column day: Calendar day.
-- column payer: Payer of the claims billed or paid; for patient payments the payer of the claim they were applied to, (on account) for patient payments not applied to a claim.
-- column claims: Medical claims billed that day (by billed_date: submission date, else claim end date); reversed lines left out.
-- column charges: Their billed charges.
-- column net_revenue: Their expected allowed amount (charge x expected rate): net patient service revenue recognized at billing.
-- column payer_cash: Payer payments received that day: input.payment rows with payment_source payer (recoupments negative); when the book has no payer payment rows, the paid_amount of claim lines by paid_date.
-- column patient_cash: Patient payments received that day (input.payment, payment_source patient), applied to a claim or on account.
-- column payer_cash_source: payment (input.payment) or claim_line (paid_amount by paid_date, because input.payment has no payer rows).
-- test not_null: day, payer, claims, charges, net_revenue, payer_cash, patient_cash, payer_cash_source
-- test accepted_values: payer_cash_source in (payment, claim_line)

WITH claim_payer AS (
  SELECT claim_id, min(payer) AS payer
  FROM staging.medical_claim
  GROUP BY claim_id
),

source AS (
  SELECT CASE WHEN count(*) > 0 THEN 'payment' ELSE 'claim_line' END AS payer_cash_source
  FROM staging.payment
  WHERE payment_source = 'payer'
),

billed AS (
  SELECT
    billed_date AS day,
    payer,
    count(DISTINCT claim_id) AS claims,
    sum(charge_amount) AS charges,
    sum(expected_allowed) AS net_revenue
  FROM intermediate.denial_remit_line
  GROUP BY billed_date, payer
),

payer_payment AS (
  SELECT p.payment_date AS day, coalesce(p.payer, c.payer, '(unknown)') AS payer, sum(p.payment_amount) AS payer_cash
  FROM staging.payment AS p
  LEFT JOIN claim_payer AS c ON c.claim_id = p.claim_id
  WHERE p.payment_source = 'payer'
  GROUP BY 1, 2
  UNION ALL
  SELECT paid_date, payer, sum(paid_amount)
  FROM intermediate.denial_remit_line
  WHERE paid_date IS NOT NULL AND (SELECT payer_cash_source FROM source) = 'claim_line'
  GROUP BY 1, 2
),

patient_payment AS (
  SELECT
    p.payment_date AS day,
    coalesce(c.payer, '(on account)') AS payer,
    sum(p.payment_amount) AS patient_cash
  FROM staging.payment AS p
  LEFT JOIN claim_payer AS c ON c.claim_id = p.claim_id
  WHERE p.payment_source = 'patient'
  GROUP BY 1, 2
),

keys AS (
  SELECT day, payer FROM billed
  UNION
  SELECT day, payer FROM payer_payment
  UNION
  SELECT day, payer FROM patient_payment
)

SELECT
  k.day,
  k.payer,
  CAST(coalesce(b.claims, 0) AS INTEGER) AS claims,
  CAST(coalesce(b.charges, 0) AS DECIMAL(18, 2)) AS charges,
  round(coalesce(b.net_revenue, 0), 2) AS net_revenue,
  CAST(coalesce(pp.payer_cash, 0) AS DECIMAL(18, 2)) AS payer_cash,
  CAST(coalesce(pt.patient_cash, 0) AS DECIMAL(18, 2)) AS patient_cash,
  (SELECT payer_cash_source FROM source) AS payer_cash_source
FROM keys AS k
LEFT JOIN billed AS b ON b.day = k.day AND b.payer = k.payer
LEFT JOIN (SELECT day, payer, sum(payer_cash) AS payer_cash FROM payer_payment GROUP BY 1, 2) AS pp
  ON pp.day = k.day AND pp.payer = k.payer
LEFT JOIN patient_payment AS pt ON pt.day = k.day AND pt.payer = k.payer
