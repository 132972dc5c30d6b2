-- description: One row per provider role, provider NPI and claim: the claim-level activity that provider recency, frequency and monetary value (RFM) are computed from at any as-of date. A claim counts for its rendering NPI and for its billing NPI (medical claims) and for its prescriber (pharmacy claims); reversed lines are left out. Definitions in docs/marts/providers.md.
-- grain: provider_role, npi, claim_id
-- materialized: table
-- column provider_role: rendering (medical_claim.rendering_npi), billing (medical_claim.billing_npi) or prescribing (pharmacy_claim.prescribing_provider_npi).
-- column npi: The provider's NPI in that role.
-- column claim_id: Claim identifier (medical or pharmacy claim).
-- column payer: Payer billed on the claim.
-- column plan: Plan billed on the claim: what the plan filter keeps.
-- column state: State of residence of the member the claim is for (latest enrollment span, intermediate.rcm_person); null when unknown. What the state filter keeps (not the provider's practice state).
-- column service_date: First date of service of the claim (claim_start_date; dispensing_date for pharmacy): the date recency and the trailing 12-month window use.
-- column line_count: Non-reversed lines of the claim with this provider in this role.
-- column charge_amount: Billed charges of those lines (null for pharmacy fills without a charge).
-- column paid_amount: Amount the payer paid on those lines: the provider's monetary value.
-- test not_null: provider_role, npi, claim_id, service_date, paid_amount
-- test accepted_values: provider_role in (rendering, billing, prescribing)

-- Each line once per role it names a provider in: rendering and billing on medical lines,
-- prescribing on pharmacy fills. One scan per role (a LATERAL VALUES list of the two NPIs was
-- planned as a join of the lines back to themselves on both NPIs).
-- Every row is one claim's: on a large book the model runs in passes over partitions of claim_id
-- (claimlens_partition, docs/models.md).
WITH role_line AS (
  SELECT 'rendering' AS provider_role, rendering_npi AS npi, claim_id, payer, plan, person_id,
         claim_start_date AS service_date, charge_amount, paid_amount
  FROM staging.medical_claim
  WHERE claim_status <> 'reversed' AND claimlens_partition(claim_id)

  UNION ALL

  SELECT 'billing', billing_npi, claim_id, payer, plan, person_id, claim_start_date, charge_amount, paid_amount
  FROM staging.medical_claim
  WHERE claim_status <> 'reversed' AND claimlens_partition(claim_id)

  UNION ALL

  SELECT 'prescribing', prescribing_provider_npi, claim_id, payer, plan, person_id,
         dispensing_date, charge_amount, paid_amount
  FROM staging.pharmacy_claim
  WHERE coalesce(claim_status, '') <> 'reversed' AND claimlens_partition(claim_id)
),

claim_rows AS (
  SELECT
    provider_role,
    npi,
    claim_id,
    min(payer) AS payer,
    min(plan) AS plan,
    min(person_id) AS person_id,
    min(service_date) AS service_date,
    count(*) AS line_count,
    sum(charge_amount) AS charge_amount,
    sum(paid_amount) AS paid_amount
  FROM role_line
  WHERE npi IS NOT NULL
  GROUP BY provider_role, npi, claim_id
)

SELECT
  c.provider_role,
  c.npi,
  c.claim_id,
  c.payer,
  c.plan,
  p.state,
  c.service_date,
  c.line_count,
  c.charge_amount,
  c.paid_amount
FROM claim_rows AS c
LEFT JOIN intermediate.rcm_person AS p ON p.person_id = c.person_id
