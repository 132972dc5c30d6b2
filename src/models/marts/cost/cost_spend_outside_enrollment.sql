-- description: Spend without enrollment: claims whose person had no member month with the claim's payer and plan in the service month, by payer, plan, member state, month and service category. This spend has no PMPM denominator, so it is kept out of PMPM, concentration and cohorts and reported here instead of being dropped (it usually means late eligibility files, retro-terminations or payer/plan names that differ between claims and eligibility).
-- grain: payer, plan, state, service_month, service_category
-- materialized: table
-- column payer: Payer billed.
-- column plan: Plan billed.
-- column state: Member's state of residence on the latest enrollment span (intermediate.rcm_person); (unknown) when not given or not in eligibility. Lets the state filter narrow this spend like the rest of the cost domain.
-- column service_month: First day of the month of service.
-- column service_category: Service category of the lines.
-- column persons: Distinct persons with such lines.
-- column claim_lines: Spend lines without enrollment.
-- column paid: Their paid amount.
-- column allowed: Their allowed amount (lines reporting it).
-- test not_null: payer, plan, state, service_month, service_category, claim_lines, paid

SELECT
  l.payer,
  l.plan,
  coalesce(p.state, '(unknown)') AS state,
  l.service_month,
  l.service_category,
  count(DISTINCT l.person_id) AS persons,
  count(*) AS claim_lines,
  sum(l.paid_amount) AS paid,
  sum(coalesce(l.allowed_amount, 0)) AS allowed
FROM intermediate.cost_claim_line AS l
LEFT JOIN intermediate.rcm_person AS p ON p.person_id = l.person_id
WHERE NOT l.enrolled
GROUP BY l.payer, l.plan, coalesce(p.state, '(unknown)'), l.service_month, l.service_category
