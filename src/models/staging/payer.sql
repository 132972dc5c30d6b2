-- description: One row per payer, from input.payer: every input column with its name and type.
-- grain: payer
-- materialized: view
-- columns: from input.payer

-- A view: the cleaning is cheap per row, and copying 10M+ claim lines into a table would double
-- the warehouse for it. Lineage columns (_source_file, ...) stay in the input layer.
SELECT
  payer,
  payer_id,
  payer_type,
  contract_allowed_pct,
  timely_filing_days,
  data_source
FROM input.payer
