-- description: Adjudicated claim lines by month of first adjudication, payer, plan, member state, service category and denial cause (root cause and CARC of the primary denial; none for lines that were never denied): the counts and dollars every denial rate, revenue-at-risk, preventable-share, write-off and trend figure adds up from, for any whole-month period, payer, plan and state. Definitions in docs/marts/denials.md.
-- grain: adjudication_month, payer, plan, state, service_category, denial_root_cause, denial_carc_code
-- materialized: table
-- column adjudication_month: First day of the month of the lines' first adjudication (first remittance, else paid date, else billed date).
-- column payer: Payer billed.
-- column plan: Plan billed.
-- column state: Member's state of residence on the latest enrollment span (intermediate.rcm_person); (unknown) when not given or not in eligibility.
-- column service_category: Service category (intermediate.service_category).
-- column denial_root_cause: Root cause of the primary denial (codes.carc.root_cause; unknown for status-only denials); none for lines neither initially nor finally denied.
-- column denial_carc_code: CARC of the primary denial; unknown for status-only denials; none for lines neither initially nor finally denied.
-- column denial_preventable: True when the root cause is preventable at submission; false for none; null for unknown.
-- column adjudicated_lines: Lines first adjudicated in the month: the denominator of the denial rates by count.
-- column adjudicated_charges: Their billed charges: the denominator of the denial rate by dollars.
-- column initial_denied_lines: Lines whose first adjudication was a denial.
-- column initial_denied_charges: Their billed charges (denied dollars).
-- column revenue_at_risk: Their expected payment (charge x expected rate - member cost share, floored at 0): what the initial denials put at risk.
-- column preventable_lines: Initially denied lines whose root cause is preventable at submission.
-- column preventable_charges: Their billed charges.
-- column preventable_revenue_at_risk: Their expected payment.
-- column final_denied_lines: Lines whose final status is denied.
-- column write_off_charges: Billed charges of the finally denied lines (denied and never recovered).
-- column write_off_expected: Expected payment of the finally denied lines: the revenue written off.
-- column recovered_lines: Initially denied lines finally paid or partially paid.
-- column recovered_amount: Payer payments on them.
-- test not_null: adjudication_month, payer, plan, state, service_category, denial_root_cause, denial_carc_code, adjudicated_lines, adjudicated_charges, initial_denied_lines, initial_denied_charges, revenue_at_risk, preventable_lines, final_denied_lines, write_off_charges, write_off_expected, recovered_lines, recovered_amount
-- test expression: initial_denied_lines <= adjudicated_lines AND final_denied_lines <= adjudicated_lines

-- Plan and state are in the grain (not a line-level path) so that a plan or state filter is the same
-- cheap sum as a payer filter: a few times more rows, still far fewer than the lines.
WITH line AS (
  SELECT
    l.adjudication_month,
    l.payer,
    l.plan,
    coalesce(p.state, '(unknown)') AS state,
    l.service_category,
    CASE WHEN initially_denied OR finally_denied THEN denial_root_cause ELSE 'none' END AS denial_root_cause,
    CASE
      WHEN NOT (initially_denied OR finally_denied) THEN 'none'
      ELSE coalesce(denial_carc_code, 'unknown')
    END AS denial_carc_code,
    CASE WHEN initially_denied OR finally_denied THEN denial_preventable ELSE false END AS denial_preventable,
    initially_denied,
    finally_denied,
    recovered,
    charge_amount,
    paid_amount,
    expected_payment
  FROM intermediate.denial_remit_line AS l
  LEFT JOIN intermediate.rcm_person AS p ON p.person_id = l.person_id
  WHERE l.adjudicated
)

SELECT
  adjudication_month,
  payer,
  plan,
  state,
  service_category,
  denial_root_cause,
  denial_carc_code,
  bool_or(denial_preventable) AS denial_preventable,
  count(*) AS adjudicated_lines,
  sum(charge_amount) AS adjudicated_charges,
  count(*) FILTER (WHERE initially_denied) AS initial_denied_lines,
  coalesce(sum(charge_amount) FILTER (WHERE initially_denied), 0) AS initial_denied_charges,
  coalesce(sum(expected_payment) FILTER (WHERE initially_denied), 0) AS revenue_at_risk,
  count(*) FILTER (WHERE initially_denied AND denial_preventable) AS preventable_lines,
  coalesce(sum(charge_amount) FILTER (WHERE initially_denied AND denial_preventable), 0) AS preventable_charges,
  coalesce(sum(expected_payment) FILTER (WHERE initially_denied AND denial_preventable), 0)
    AS preventable_revenue_at_risk,
  count(*) FILTER (WHERE finally_denied) AS final_denied_lines,
  coalesce(sum(charge_amount) FILTER (WHERE finally_denied), 0) AS write_off_charges,
  coalesce(sum(expected_payment) FILTER (WHERE finally_denied), 0) AS write_off_expected,
  count(*) FILTER (WHERE recovered) AS recovered_lines,
  coalesce(sum(paid_amount) FILTER (WHERE recovered), 0) AS recovered_amount
FROM line
GROUP BY adjudication_month, payer, plan, state, service_category, denial_root_cause, denial_carc_code
