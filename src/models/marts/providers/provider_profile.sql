-- description: One row per provider role and NPI: who the provider is (from input.provider when known) and its lifetime activity. The segment view (claimlens kpi providers) adds recency, frequency, monetary and segment at an as-of date from intermediate.provider_claim.
-- grain: provider_role, npi
-- materialized: table
-- column provider_role: rendering, billing or prescribing (see intermediate.provider_claim).
-- column npi: National Provider Identifier.
-- column provider_name: Name from input.provider; null when the NPI is not in the provider file.
-- column entity_type: individual or organization (NPPES entity type); null when unknown.
-- column provider_type: Kind of provider (physician, hospital, ...); null when unknown.
-- column specialty: Primary specialty; null when unknown.
-- column practice_state: Practice state (USPS code); null when unknown.
-- column first_service_date: First date of service of any claim of the provider in this role.
-- column last_service_date: Last date of service of any claim of the provider in this role.
-- column lifetime_claims: Distinct claims of the provider in this role, all dates.
-- column lifetime_paid: Amount paid on those claims, all dates.
-- test not_null: provider_role, npi, first_service_date, last_service_date, lifetime_claims, lifetime_paid

WITH activity AS (
  SELECT
    provider_role,
    npi,
    min(service_date) AS first_service_date,
    max(service_date) AS last_service_date,
    count(*) AS lifetime_claims,
    sum(paid_amount) AS lifetime_paid
  FROM intermediate.provider_claim
  GROUP BY provider_role, npi
)

SELECT
  a.provider_role,
  a.npi,
  p.provider_name,
  p.entity_type,
  p.provider_type,
  p.specialty,
  p.practice_state,
  a.first_service_date,
  a.last_service_date,
  a.lifetime_claims,
  a.lifetime_paid
FROM activity AS a
LEFT JOIN staging.provider AS p ON p.npi = a.npi
