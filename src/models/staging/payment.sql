-- description: One row per payment (payer or patient), from input.payment: every input column with its name and type; plus payment_month.
-- grain: payment_id
-- materialized: view
-- columns: from input.payment
-- column payment_month: First day of the month of payment_date.

-- A view: the cleaning is cheap per row, and copying 10M+ claim lines into a table would double
-- the warehouse for it. Lineage columns (_source_file, ...) stay in the input layer.
SELECT
  payment_id,
  claim_id,
  person_id,
  payer,
  payment_source,
  payment_date,
  payment_amount,
  payment_method,
  trace_number,
  data_source,
  CAST(date_trunc('month', payment_date) AS DATE) AS payment_month
FROM input.payment
