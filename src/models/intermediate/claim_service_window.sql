-- description: The months the book's claims cover (its experience period): from the first to the last calendar month holding a medical claim's claim_start_date or a pharmacy fill's dispensing_date, any status. Member months outside it cannot carry spend, so the cost marts count enrollment only inside it (docs/marts/cost.md). Both months are null when the book has no claims.
-- grain: (one row)
-- materialized: table
-- column first_service_month: First day of the month of the earliest service date.
-- column last_service_month: First day of the month of the latest service date.

WITH service AS (
  SELECT min(claim_start_date) AS first_date, max(claim_start_date) AS last_date
  FROM staging.medical_claim
  UNION ALL
  SELECT min(dispensing_date), max(dispensing_date)
  FROM staging.pharmacy_claim
)

SELECT
  CAST(date_trunc('month', min(first_date)) AS DATE) AS first_service_month,
  CAST(date_trunc('month', max(last_date)) AS DATE) AS last_service_month
FROM service
