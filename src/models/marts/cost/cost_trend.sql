-- description: Cost trend by payer and month with year-over-year change: member months, paid and allowed spend and PMPM of each month next to the same month a year earlier. Months are those with enrollment; all-payer trends and custom periods are computed by the cost service with the same definitions.
-- grain: payer, month_start
-- materialized: table
-- column payer: Payer.
-- column month_start: First day of the month.
-- column member_months: Persons enrolled with the payer in the month (a person in two plans of the payer counts once).
-- column paid: Paid spend of the month.
-- column allowed: Allowed spend of the month.
-- column pmpm_paid: paid / member_months.
-- column pmpm_allowed: allowed / member_months.
-- column prior_year_member_months: member_months of the same month one year earlier; null when there was no enrollment then.
-- column prior_year_paid: paid of the same month one year earlier.
-- column prior_year_pmpm_paid: pmpm_paid of the same month one year earlier.
-- column paid_yoy_change: paid / prior_year_paid - 1; null without a positive prior-year value.
-- column pmpm_paid_yoy_change: pmpm_paid / prior_year_pmpm_paid - 1; null without a positive prior-year value.
-- test not_null: payer, month_start, member_months, paid, pmpm_paid

WITH monthly AS (
  SELECT
    payer,
    month_start,
    count(DISTINCT person_id) AS member_months,
    sum(paid) AS paid,
    sum(allowed) AS allowed
  FROM marts.cost_member_month
  GROUP BY payer, month_start
)

SELECT
  m.payer,
  m.month_start,
  m.member_months,
  m.paid,
  m.allowed,
  m.paid / m.member_months AS pmpm_paid,
  m.allowed / m.member_months AS pmpm_allowed,
  p.member_months AS prior_year_member_months,
  p.paid AS prior_year_paid,
  p.paid / p.member_months AS prior_year_pmpm_paid,
  CASE WHEN p.paid > 0 THEN m.paid / p.paid - 1 END AS paid_yoy_change,
  CASE WHEN p.paid > 0 THEN (m.paid / m.member_months) / (p.paid / p.member_months) - 1 END AS pmpm_paid_yoy_change
FROM monthly AS m
LEFT JOIN monthly AS p
  ON p.payer = m.payer
  AND p.month_start = CAST(m.month_start - INTERVAL '1 year' AS DATE)
