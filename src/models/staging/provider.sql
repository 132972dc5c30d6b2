-- description: One row per provider NPI, from input.provider: every input column with its name and type; NPI, taxonomy and ZIP codes trimmed.
-- grain: npi
-- materialized: view
-- columns: from input.provider

-- A view: the cleaning is cheap per row, and copying 10M+ claim lines into a table would double
-- the warehouse for it. Lineage columns (_source_file, ...) stay in the input layer.
SELECT
  nullif(trim(npi), '') AS npi,
  entity_type,
  provider_name,
  provider_type,
  specialty,
  nullif(trim(taxonomy_code), '') AS taxonomy_code,
  tin,
  practice_city,
  practice_state,
  nullif(trim(practice_zip_code), '') AS practice_zip_code,
  bed_count,
  data_source
FROM input.provider
