-- description: One row per payer with the share of billed charges it is expected to allow: the valuation shared by revenue at risk (denials), expected payment and net revenue (revenue cycle). The contract share (input.payer.contract_allowed_pct) when the payer has one, else the allowed / charge ratio the payer showed on the lines it paid, else 1 (the charge). Kept here once so every mart (denials, revenue cycle, the denial-prevention baseline of marts.program_denial_line) values a claim line alike. Definitions in docs/marts/denials.md.
-- grain: payer
-- materialized: table
-- column payer: Payer name (intermediate.payer_directory).
-- column payer_type: Line of business from input.payer; null for a payer seen only on claims.
-- column timely_filing_days: Timely-filing limit in days from input.payer; null when unknown.
-- column expected_rate: Share of billed charges the payer is expected to allow (0..1, or 1 for the charge basis).
-- column expected_basis: Where expected_rate comes from: contract (input.payer.contract_allowed_pct), observed (allowed / charge on the payer's paid and partially paid lines) or charge (neither is known).
-- test not_null: payer, expected_rate, expected_basis
-- test accepted_values: expected_basis in (contract, observed, charge)
-- test expression: expected_rate >= 0

-- A payer without contract terms is valued at what it allows on the lines it pays: a better guess
-- than the full charge, which overstates what any payer pays.
WITH observed AS (
  SELECT payer, sum(allowed_amount) / sum(charge_amount) AS rate
  FROM staging.medical_claim
  WHERE claim_status IN ('paid', 'partially_paid') AND allowed_amount IS NOT NULL
  GROUP BY payer
  HAVING sum(charge_amount) > 0
)

SELECT
  d.payer,
  d.payer_type,
  d.timely_filing_days,
  CAST(coalesce(d.contract_allowed_pct, o.rate, 1.0) AS DOUBLE PRECISION) AS expected_rate,
  CASE
    WHEN d.contract_allowed_pct IS NOT NULL THEN 'contract'
    WHEN o.rate IS NOT NULL THEN 'observed'
    ELSE 'charge'
  END AS expected_basis
FROM intermediate.payer_directory AS d
LEFT JOIN observed AS o ON o.payer = d.payer
