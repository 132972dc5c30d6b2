-- description: Adjudicated claim lines by month of first adjudication, payer, plan, member state and HCPCS/CPT code, with their initial and final denials: the source of the top denied services for any whole-month period, payer, plan and state. Definitions in docs/marts/denials.md.
-- grain: adjudication_month, payer, plan, state, hcpcs_code
-- materialized: table
-- column adjudication_month: First day of the month of the lines' first adjudication.
-- column payer: Payer billed.
-- column plan: Plan billed.
-- column state: Member's state of residence on the latest enrollment span (intermediate.rcm_person); (unknown) when not given or not in eligibility.
-- column hcpcs_code: CPT/HCPCS code of the lines; (none) for lines without one (for example institutional room-and-board lines).
-- column adjudicated_lines: Lines first adjudicated in the month.
-- column adjudicated_charges: Their billed charges.
-- column initial_denied_lines: Lines whose first adjudication was a denial.
-- column initial_denied_charges: Their billed charges.
-- column revenue_at_risk: Their expected payment.
-- column final_denied_lines: Lines whose final status is denied.
-- column write_off_charges: Billed charges of the finally denied lines.
-- test not_null: adjudication_month, payer, plan, state, hcpcs_code, adjudicated_lines, adjudicated_charges, initial_denied_lines, initial_denied_charges, revenue_at_risk, final_denied_lines, write_off_charges

SELECT
  l.adjudication_month,
  l.payer,
  l.plan,
  coalesce(p.state, '(unknown)') AS state,
  coalesce(l.hcpcs_code, '(none)') AS hcpcs_code,
  count(*) AS adjudicated_lines,
  sum(charge_amount) AS adjudicated_charges,
  count(*) FILTER (WHERE initially_denied) AS initial_denied_lines,
  coalesce(sum(charge_amount) FILTER (WHERE initially_denied), 0) AS initial_denied_charges,
  coalesce(sum(expected_payment) FILTER (WHERE initially_denied), 0) AS revenue_at_risk,
  count(*) FILTER (WHERE finally_denied) AS final_denied_lines,
  coalesce(sum(charge_amount) FILTER (WHERE finally_denied), 0) AS write_off_charges
FROM intermediate.denial_remit_line AS l
LEFT JOIN intermediate.rcm_person AS p ON p.person_id = l.person_id
WHERE l.adjudicated
GROUP BY l.adjudication_month, l.payer, l.plan, coalesce(p.state, '(unknown)'), coalesce(l.hcpcs_code, '(none)')
