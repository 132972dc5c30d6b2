-- description: One row per day, payer, plan and member state with what was billed (claims, charges, net revenue) and the cash received (payer and patient payments): the daily series behind days in A/R (average daily net revenue over a trailing window), cash collection as a share of net revenue and cost to collect. Definitions in docs/marts/rcm.md.
-- grain: day, payer, plan, state
-- materialized: table
-- column day: Calendar day.
-- column payer: Payer of the claims billed or paid; for patient payments the payer of the claim they were applied to, (on account) for patient payments not applied to a claim.
-- column plan: Plan of the claims billed or paid (for payments, of the claim they were applied to); (on account) for patient payments not applied to a claim, (unknown) for payer payments naming no claim in medical_claim.
-- column state: State of residence of the member (latest enrollment span, intermediate.rcm_person) the claims or payments are for; (unknown) when not given or not in eligibility.
-- column claims: Medical claims billed that day (by billed_date: submission date, else claim end date); reversed lines left out.
-- column charges: Their billed charges.
-- column net_revenue: Their expected allowed amount (charge x expected rate): net patient service revenue recognized at billing.
-- column payer_cash: Payer payments received that day: input.payment rows with payment_source payer (recoupments negative); when the book has no payer payment rows, the paid_amount of claim lines by paid_date.
-- column patient_cash: Patient payments received that day (input.payment, payment_source patient), applied to a claim or on account.
-- column payer_cash_source: payment (input.payment) or claim_line (paid_amount by paid_date, because input.payment has no payer rows).
-- test not_null: day, payer, plan, state, claims, charges, net_revenue, payer_cash, patient_cash, payer_cash_source
-- test accepted_values: payer_cash_source in (payment, claim_line)

-- Plan and state are in the grain so the plan and state filters narrow days in A/R, cash
-- collection and cost to collect by a sum over this small table (days x payers x plans x states).
-- A claim has one plan and one member, so claims billed stay additive across plans and states.
WITH claim_payer AS (
  SELECT claim_id, min(payer) AS payer, min(plan) AS plan
  FROM staging.medical_claim
  GROUP BY claim_id
),

person_state AS (
  SELECT person_id, state FROM intermediate.rcm_person
),

source AS (
  SELECT CASE WHEN count(*) > 0 THEN 'payment' ELSE 'claim_line' END AS payer_cash_source
  FROM staging.payment
  WHERE payment_source = 'payer'
),

billed AS (
  SELECT
    l.billed_date AS day,
    l.payer,
    l.plan,
    coalesce(s.state, '(unknown)') AS state,
    count(DISTINCT l.claim_id) AS claims,
    sum(l.charge_amount) AS charges,
    sum(l.expected_allowed) AS net_revenue
  FROM intermediate.denial_remit_line AS l
  LEFT JOIN person_state AS s ON s.person_id = l.person_id
  GROUP BY 1, 2, 3, 4
),

payer_payment AS (
  SELECT
    p.payment_date AS day,
    coalesce(p.payer, c.payer, '(unknown)') AS payer,
    coalesce(c.plan, '(unknown)') AS plan,
    coalesce(s.state, '(unknown)') AS state,
    sum(p.payment_amount) AS payer_cash
  FROM staging.payment AS p
  LEFT JOIN claim_payer AS c ON c.claim_id = p.claim_id
  LEFT JOIN person_state AS s ON s.person_id = p.person_id
  WHERE p.payment_source = 'payer'
  GROUP BY 1, 2, 3, 4
  UNION ALL
  SELECT l.paid_date, l.payer, l.plan, coalesce(s.state, '(unknown)'), sum(l.paid_amount)
  FROM intermediate.denial_remit_line AS l
  LEFT JOIN person_state AS s ON s.person_id = l.person_id
  WHERE l.paid_date IS NOT NULL AND (SELECT payer_cash_source FROM source) = 'claim_line'
  GROUP BY 1, 2, 3, 4
),

patient_payment AS (
  SELECT
    p.payment_date AS day,
    coalesce(c.payer, '(on account)') AS payer,
    coalesce(c.plan, '(on account)') AS plan,
    coalesce(s.state, '(unknown)') AS state,
    sum(p.payment_amount) AS patient_cash
  FROM staging.payment AS p
  LEFT JOIN claim_payer AS c ON c.claim_id = p.claim_id
  LEFT JOIN person_state AS s ON s.person_id = p.person_id
  WHERE p.payment_source = 'patient'
  GROUP BY 1, 2, 3, 4
),

keys AS (
  SELECT day, payer, plan, state FROM billed
  UNION
  SELECT day, payer, plan, state FROM payer_payment
  UNION
  SELECT day, payer, plan, state FROM patient_payment
)

SELECT
  k.day,
  k.payer,
  k.plan,
  k.state,
  CAST(coalesce(b.claims, 0) AS INTEGER) AS claims,
  CAST(coalesce(b.charges, 0) AS DECIMAL(18, 2)) AS charges,
  round(coalesce(b.net_revenue, 0), 2) AS net_revenue,
  CAST(coalesce(pp.payer_cash, 0) AS DECIMAL(18, 2)) AS payer_cash,
  CAST(coalesce(pt.patient_cash, 0) AS DECIMAL(18, 2)) AS patient_cash,
  (SELECT payer_cash_source FROM source) AS payer_cash_source
FROM keys AS k
LEFT JOIN billed AS b ON b.day = k.day AND b.payer = k.payer AND b.plan = k.plan AND b.state = k.state
LEFT JOIN (
  SELECT day, payer, plan, state, sum(payer_cash) AS payer_cash FROM payer_payment GROUP BY 1, 2, 3, 4
) AS pp
  ON pp.day = k.day AND pp.payer = k.payer AND pp.plan = k.plan AND pp.state = k.state
LEFT JOIN patient_payment AS pt
  ON pt.day = k.day AND pt.payer = k.payer AND pt.plan = k.plan AND pt.state = k.state
