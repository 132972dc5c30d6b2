-- description: One row per EHR encounter, from input.encounter: every input column with its name and type; codes trimmed, primary diagnosis upper-cased without dots.
-- grain: encounter_id
-- materialized: view
-- columns: from input.encounter

-- A view: the cleaning is cheap per row, and copying 10M+ claim lines into a table would double
-- the warehouse for it. Lineage columns (_source_file, ...) stay in the input layer.
SELECT
  encounter_id,
  person_id,
  encounter_type,
  encounter_start_date,
  encounter_end_date,
  nullif(trim(facility_npi), '') AS facility_npi,
  nullif(trim(attending_npi), '') AS attending_npi,
  nullif(upper(replace(trim(primary_diagnosis_code), '.', '')), '') AS primary_diagnosis_code,
  nullif(trim(discharge_disposition_code), '') AS discharge_disposition_code,
  data_source
FROM input.encounter
