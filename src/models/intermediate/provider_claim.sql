-- description: One row per provider role, provider NPI and claim: the claim-level activity that provider recency, frequency and monetary value (RFM) are computed from at any as-of date. A claim counts for its rendering NPI and for its billing NPI (medical claims) and for its prescriber (pharmacy claims); reversed lines are left out. Definitions in docs/marts/providers.md.
-- grain: provider_role, npi, claim_id
-- materialized: table
-- column provider_role: rendering (medical_claim.rendering_npi), billing (medical_claim.billing_npi) or prescribing (pharmacy_claim.prescribing_provider_npi).
-- column npi: The provider's NPI in that role.
-- column claim_id: Claim identifier (medical or pharmacy claim).
-- column payer: Payer billed on the claim.
-- column service_date: First date of service of the claim (claim_start_date; dispensing_date for pharmacy): the date recency and the trailing 12-month window use.
-- column line_count: Non-reversed lines of the claim with this provider in this role.
-- column charge_amount: Billed charges of those lines (null for pharmacy fills without a charge).
-- column paid_amount: Amount the payer paid on those lines: the provider's monetary value.
-- test not_null: provider_role, npi, claim_id, service_date, paid_amount
-- test accepted_values: provider_role in (rendering, billing, prescribing)

WITH medical AS (
  SELECT claim_id, payer, claim_start_date, rendering_npi, billing_npi, charge_amount, paid_amount
  FROM staging.medical_claim
  WHERE claim_status <> 'reversed'
),

pharmacy AS (
  SELECT claim_id, payer, dispensing_date, prescribing_provider_npi, charge_amount, paid_amount
  FROM staging.pharmacy_claim
  WHERE coalesce(claim_status, '') <> 'reversed' AND prescribing_provider_npi IS NOT NULL
)

SELECT
  'rendering' AS provider_role,
  rendering_npi AS npi,
  claim_id,
  min(payer) AS payer,
  min(claim_start_date) AS service_date,
  count(*) AS line_count,
  sum(charge_amount) AS charge_amount,
  sum(paid_amount) AS paid_amount
FROM medical
WHERE rendering_npi IS NOT NULL
GROUP BY rendering_npi, claim_id

UNION ALL

SELECT
  'billing' AS provider_role,
  billing_npi AS npi,
  claim_id,
  min(payer) AS payer,
  min(claim_start_date) AS service_date,
  count(*) AS line_count,
  sum(charge_amount) AS charge_amount,
  sum(paid_amount) AS paid_amount
FROM medical
WHERE billing_npi IS NOT NULL
GROUP BY billing_npi, claim_id

UNION ALL

SELECT
  'prescribing' AS provider_role,
  prescribing_provider_npi AS npi,
  claim_id,
  min(payer) AS payer,
  min(dispensing_date) AS service_date,
  count(*) AS line_count,
  sum(charge_amount) AS charge_amount,
  sum(paid_amount) AS paid_amount
FROM pharmacy
GROUP BY prescribing_provider_npi, claim_id
