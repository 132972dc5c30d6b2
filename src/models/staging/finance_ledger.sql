-- description: One row per ledger month and payer, from input.finance_ledger: every input column with its name and type.
-- grain: ledger_month, payer
-- materialized: view
-- columns: from input.finance_ledger

-- A view: the cleaning is cheap per row, and copying 10M+ claim lines into a table would double
-- the warehouse for it. Lineage columns (_source_file, ...) stay in the input layer.
SELECT
  ledger_month,
  payer,
  gross_charges,
  payer_payments,
  patient_payments,
  contractual_adjustments,
  bad_debt,
  revenue_cycle_cost,
  data_source
FROM input.finance_ledger
