-- description: PMPM by payer, plan, month and service category: paid and allowed spend of enrolled members' claims divided by the member months of the payer, plan and month (the Tuva Project financial_pmpm measure). Every category appears for every month with enrollment, with zeros when it had no spend, so rows sum to the plan-month total; spend outside enrollment is in marts.cost_spend_outside_enrollment.
-- grain: payer, plan, month_start, service_category
-- materialized: table
-- column payer: Payer.
-- column plan: Plan.
-- column month_start: First day of the month.
-- column service_category: inpatient, outpatient, emergency_department, professional, ancillary, post_acute, pharmacy or other.
-- column member_months: Member months of the payer, plan and month (the same on every category row).
-- column claim_lines: Spend lines of the category.
-- column paid: Paid amount of the category.
-- column allowed: Allowed amount of the category (lines reporting it).
-- column pmpm_paid: paid / member_months.
-- column pmpm_allowed: allowed / member_months.
-- test not_null: payer, plan, month_start, service_category, member_months, paid, pmpm_paid

WITH category (service_category) AS (
  VALUES ('inpatient'), ('outpatient'), ('emergency_department'), ('professional'), ('ancillary'),
    ('post_acute'), ('pharmacy'), ('other')
),

denominator AS (
  SELECT payer, plan, month_start, count(*) AS member_months
  FROM intermediate.member_month
  GROUP BY payer, plan, month_start
),

numerator AS (
  SELECT
    payer,
    plan,
    service_month AS month_start,
    service_category,
    count(*) AS claim_lines,
    sum(paid_amount) AS paid,
    sum(coalesce(allowed_amount, 0)) AS allowed
  FROM intermediate.cost_claim_line
  WHERE enrolled
  GROUP BY payer, plan, service_month, service_category
)

SELECT
  d.payer,
  d.plan,
  d.month_start,
  c.service_category,
  d.member_months,
  coalesce(n.claim_lines, 0) AS claim_lines,
  coalesce(n.paid, 0) AS paid,
  coalesce(n.allowed, 0) AS allowed,
  coalesce(n.paid, 0) / d.member_months AS pmpm_paid,
  coalesce(n.allowed, 0) / d.member_months AS pmpm_allowed
FROM denominator AS d
CROSS JOIN category AS c
LEFT JOIN numerator AS n
  ON n.payer = d.payer
  AND n.plan = d.plan
  AND n.month_start = d.month_start
  AND n.service_category = c.service_category
