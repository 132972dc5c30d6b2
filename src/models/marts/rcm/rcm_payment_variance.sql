-- description: One row per paid medical claim (intermediate.payer_claim with a paid date) with what payer efficiency is judged on: days from submission to payment, and the contractual expected payment against the amount paid on the same lines. The source of days to pay (average, median, 90th percentile) and underpayment variance by payer for any window of payment dates; amounts as DOUBLE so the scans stay fast. Definitions in docs/marts/rcm.md.
-- grain: claim_id, payer
-- materialized: table
-- column claim_id: Claim identifier.
-- column payer: Payer billed.
-- column plan: Plan billed (intermediate.payer_claim).
-- column state: Member's state of residence on the latest enrollment span (intermediate.rcm_person); null when unknown.
-- column paid_date: Latest paid date of the claim's paid or partially paid lines.
-- column days_to_pay: paid_date - submission_date (claim_end_date without one); null when the dates are inverted.
-- column paid_amount: Amount the payer paid on the claim's non-reversed lines.
-- column expected_payment: Contractual expected payment of the paid and partially paid lines (charge x contract_allowed_pct - member cost share, floored at 0 per line); null when the payer has no contract terms.
-- column expected_paid_amount: Amount paid on the lines expected_payment covers; null when expected_payment is null.
-- column shortfall: expected_payment - expected_paid_amount: positive when the payer paid less than the contract implies; null without contract terms.
-- test not_null: claim_id, payer, paid_date, paid_amount

SELECT
  claim_id,
  payer,
  plan,
  state,
  paid_date,
  days_to_pay,
  CAST(paid_amount AS DOUBLE PRECISION) AS paid_amount,
  CAST(expected_payment AS DOUBLE PRECISION) AS expected_payment,
  CAST(expected_paid_amount AS DOUBLE PRECISION) AS expected_paid_amount,
  round(CAST(expected_payment AS DOUBLE PRECISION) - CAST(expected_paid_amount AS DOUBLE PRECISION), 2) AS shortfall
FROM intermediate.payer_claim
WHERE paid_date IS NOT NULL
