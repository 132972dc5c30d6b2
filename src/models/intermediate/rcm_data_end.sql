-- description: The date the data runs to: the latest remittance or payment date (the default as-of date of the revenue-cycle and patient views, and the end of the feature marts' observation window), else the latest paid date, else the latest submission or claim end date when the book has no remittances or payments.
-- grain: (one row)
-- materialized: table
-- column data_end_date: Latest remittance (claim_adjustment.remit_date) or payment (payment.payment_date) date; falls back to the latest medical_claim paid_date, then the latest submission (or claim end) date.
-- column data_end_source: Which of them gave data_end_date: remittance_or_payment, paid_date or submission_date.

WITH dates AS (
  SELECT
    (SELECT max(remit_date) FROM staging.claim_adjustment) AS remit_date,
    (SELECT max(payment_date) FROM staging.payment) AS payment_date,
    (SELECT max(paid_date) FROM staging.medical_claim) AS paid_date,
    (SELECT max(coalesce(submission_date, claim_end_date)) FROM staging.medical_claim) AS billed_date
)

SELECT
  coalesce(greatest(remit_date, payment_date), remit_date, payment_date, paid_date, billed_date) AS data_end_date,
  CASE
    WHEN remit_date IS NOT NULL OR payment_date IS NOT NULL THEN 'remittance_or_payment'
    WHEN paid_date IS NOT NULL THEN 'paid_date'
    ELSE 'submission_date'
  END AS data_end_source
FROM dates
