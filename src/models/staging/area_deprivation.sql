-- description: One row per ZIP code with its Area Deprivation Index, from input.area_deprivation: every input column with its name and type; ZIP code trimmed.
-- grain: zip_code
-- materialized: view
-- columns: from input.area_deprivation

-- A view: the cleaning is cheap per row, and copying 10M+ claim lines into a table would double
-- the warehouse for it. Lineage columns (_source_file, ...) stay in the input layer.
SELECT
  nullif(trim(zip_code), '') AS zip_code,
  state,
  adi_national_percentile,
  data_source
FROM input.area_deprivation
