-- description: One row per remittance adjustment (X12 835 CAS) of a claim line, from input.claim_adjustment: every input column with its name and type; group, CARC and RARC codes trimmed and upper-cased.
-- grain: claim_id, claim_line_number, remit_date, adjustment_sequence
-- materialized: view
-- columns: from input.claim_adjustment

-- A view: the cleaning is cheap per row, and copying 10M+ claim lines into a table would double
-- the warehouse for it. Lineage columns (_source_file, ...) stay in the input layer.
SELECT
  claim_id,
  claim_line_number,
  remit_date,
  adjustment_sequence,
  payer,
  nullif(upper(trim(adjustment_group_code)), '') AS adjustment_group_code,
  nullif(upper(trim(carc_code)), '') AS carc_code,
  nullif(upper(trim(rarc_code)), '') AS rarc_code,
  adjustment_amount,
  adjustment_quantity,
  data_source
FROM input.claim_adjustment
