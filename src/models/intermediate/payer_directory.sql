-- description: Every payer a payer view lists: payers declared in input.payer plus payers that appear only on claims, so a payer with no contract row or no activity is never silently missing.
-- grain: payer
-- materialized: table
-- column payer: Payer name as used on claims (medical_claim.payer) and in input.payer.
-- column payer_type: Line of business from input.payer (commercial, medicare, ...); null for a payer seen only on claims.
-- column contract_allowed_pct: Contracted allowed amount as a share of billed charges (0..1) from input.payer; null when the payer has no contract terms, and then no expected payment or variance is computed for it.
-- column timely_filing_days: Timely-filing limit in days from input.payer; null when unknown.
-- column declared: True when the payer has a row in input.payer; false when it appears only on claims.
-- test not_null: payer, declared

-- Payers of claims are listed even without a contract row: a scorecard that drops them would hide
-- exactly the payers whose terms nobody loaded.
WITH names AS (
  SELECT payer FROM staging.payer
  UNION
  SELECT DISTINCT payer FROM staging.medical_claim
)

SELECT
  n.payer,
  p.payer_type,
  p.contract_allowed_pct,
  p.timely_filing_days,
  p.payer IS NOT NULL AS declared
FROM names AS n
LEFT JOIN staging.payer AS p ON p.payer = n.payer
