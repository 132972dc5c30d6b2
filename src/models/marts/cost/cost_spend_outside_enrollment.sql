-- description: Spend without enrollment: claims whose person had no member month with the claim's payer and plan in the service month, by payer, plan, month and service category. This spend has no PMPM denominator, so it is kept out of PMPM, concentration and cohorts and reported here instead of being dropped (it usually means late eligibility files, retro-terminations or payer/plan names that differ between claims and eligibility).
-- grain: payer, plan, service_month, service_category
-- materialized: table
-- column payer: Payer billed.
-- column plan: Plan billed.
-- column service_month: First day of the month of service.
-- column service_category: Service category of the lines.
-- column persons: Distinct persons with such lines.
-- column claim_lines: Spend lines without enrollment.
-- column paid: Their paid amount.
-- column allowed: Their allowed amount (lines reporting it).
-- test not_null: payer, plan, service_month, service_category, claim_lines, paid

SELECT
  payer,
  plan,
  service_month,
  service_category,
  count(DISTINCT person_id) AS persons,
  count(*) AS claim_lines,
  sum(paid_amount) AS paid,
  sum(coalesce(allowed_amount, 0)) AS allowed
FROM intermediate.cost_claim_line
WHERE NOT enrolled
GROUP BY payer, plan, service_month, service_category
