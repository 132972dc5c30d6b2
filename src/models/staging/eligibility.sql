-- description: One row per member enrollment span (person, payer, plan, start date), from input.eligibility: every input column with its name and type; codes trimmed.
-- grain: person_id, payer, plan, enrollment_start_date
-- materialized: view
-- columns: from input.eligibility

-- A view: the cleaning is cheap per row, and copying 10M+ claim lines into a table would double
-- the warehouse for it. Lineage columns (_source_file, ...) stay in the input layer.
SELECT
  person_id,
  member_id,
  subscriber_id,
  gender,
  race,
  birth_date,
  death_date,
  death_flag,
  enrollment_start_date,
  enrollment_end_date,
  payer,
  payer_type,
  plan,
  nullif(trim(original_reason_entitlement_code), '') AS original_reason_entitlement_code,
  nullif(trim(dual_status_code), '') AS dual_status_code,
  nullif(trim(medicare_status_code), '') AS medicare_status_code,
  first_name,
  last_name,
  social_security_number,
  subscriber_relation,
  address,
  city,
  state,
  nullif(trim(zip_code), '') AS zip_code,
  phone,
  email,
  household_size,
  household_income,
  data_source
FROM input.eligibility
