-- description: Payer scorecard by calendar month, for trend charts: service-basis volume, charges, contractual variance and denial rate by the month of claim_start_date, and payments and days to pay by the month of paid_date. Arbitrary periods (quarters, custom ranges) are computed by the payers service from intermediate.payer_claim, since medians do not add up across months. Definitions in docs/marts/payers.md.
-- grain: payer, month
-- materialized: table
-- column payer: Payer billed.
-- column month: First day of the calendar month.
-- column claims: Claims whose first date of service falls in the month.
-- column charges: Billed charges of those claims.
-- column allowed: Allowed amount of those claims.
-- column expected_payment: Contractual expected payment of their paid lines (null when the payer has no contract terms).
-- column expected_paid_amount: Amount paid on the lines expected_payment covers.
-- column net_variance: expected_payment - expected_paid_amount: positive when the payer paid less than the contract implies.
-- column variance_pct: net_variance as a percent of expected_payment (percent points, 2 decimals); null without an expected payment.
-- column adjudicated_lines: Paid, partially paid or denied lines of the month's claims.
-- column denied_lines: Denied lines of the month's claims.
-- column denial_rate_pct: denied_lines as a percent of adjudicated_lines (percent points, 2 decimals); null when nothing was adjudicated.
-- column payments: Amount paid on claims whose paid_date falls in the month (cash basis).
-- column paid_claims: Claims with a days-to-pay value whose paid_date falls in the month.
-- column avg_days_to_pay: Mean days from submission (or claim end) to payment of those claims, 1 decimal.
-- column median_days_to_pay: Median (continuous) days to pay of those claims, 1 decimal.
-- test not_null: payer, month, claims, charges, payments, adjudicated_lines, denied_lines

WITH service AS (
  SELECT
    payer,
    CAST(date_trunc('month', claim_start_date) AS DATE) AS month,
    count(*) AS claims,
    sum(charge_amount) AS charges,
    sum(allowed_amount) AS allowed,
    sum(expected_payment) AS expected_payment,
    sum(expected_paid_amount) AS expected_paid_amount,
    sum(adjudicated_lines) AS adjudicated_lines,
    sum(denied_lines) AS denied_lines
  FROM intermediate.payer_claim
  GROUP BY 1, 2
),

cash AS (
  SELECT
    payer,
    CAST(date_trunc('month', paid_date) AS DATE) AS month,
    sum(paid_amount) AS payments,
    count(days_to_pay) AS paid_claims,
    avg(days_to_pay) AS avg_days_to_pay,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY days_to_pay) AS median_days_to_pay
  FROM intermediate.payer_claim
  WHERE paid_date IS NOT NULL
  GROUP BY 1, 2
)

SELECT
  coalesce(s.payer, c.payer) AS payer,
  coalesce(s.month, c.month) AS month,
  coalesce(s.claims, 0) AS claims,
  coalesce(s.charges, 0) AS charges,
  coalesce(s.allowed, 0) AS allowed,
  round(s.expected_payment, 2) AS expected_payment,
  s.expected_paid_amount,
  round(s.expected_payment - s.expected_paid_amount, 2) AS net_variance,
  CASE
    WHEN s.expected_payment > 0
      THEN round(100 * (s.expected_payment - s.expected_paid_amount) / s.expected_payment, 2)
  END AS variance_pct,
  coalesce(s.adjudicated_lines, 0) AS adjudicated_lines,
  coalesce(s.denied_lines, 0) AS denied_lines,
  CASE WHEN s.adjudicated_lines > 0 THEN round(100.0 * s.denied_lines / s.adjudicated_lines, 2) END AS denial_rate_pct,
  coalesce(c.payments, 0) AS payments,
  coalesce(c.paid_claims, 0) AS paid_claims,
  round(c.avg_days_to_pay, 1) AS avg_days_to_pay,
  round(c.median_days_to_pay, 1) AS median_days_to_pay
FROM service AS s
FULL OUTER JOIN cash AS c ON c.payer = s.payer AND c.month = s.month
