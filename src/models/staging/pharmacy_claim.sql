-- description: One row per pharmacy claim line, from input.pharmacy_claim: every input column with its name and type; NDC and NPI codes trimmed; plus dispensing_month.
-- grain: claim_id, claim_line_number
-- materialized: view
-- columns: from input.pharmacy_claim
-- column dispensing_month: First day of the month of dispensing_date.

-- A view: the cleaning is cheap per row, and copying 10M+ claim lines into a table would double
-- the warehouse for it. Lineage columns (_source_file, ...) stay in the input layer.
SELECT
  claim_id,
  claim_line_number,
  person_id,
  member_id,
  payer,
  plan,
  nullif(trim(prescribing_provider_npi), '') AS prescribing_provider_npi,
  nullif(trim(dispensing_provider_npi), '') AS dispensing_provider_npi,
  dispensing_date,
  nullif(trim(ndc_code), '') AS ndc_code,
  quantity,
  days_supply,
  refills,
  paid_date,
  paid_amount,
  allowed_amount,
  charge_amount,
  coinsurance_amount,
  copayment_amount,
  deductible_amount,
  in_network_flag,
  claim_status,
  data_source,
  CAST(date_trunc('month', dispensing_date) AS DATE) AS dispensing_month
FROM input.pharmacy_claim
