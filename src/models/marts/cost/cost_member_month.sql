-- description: Member spend by month: one row per member month (intermediate.member_month) with the medical and pharmacy spend, paid and allowed, of claims billed to that payer and plan with service in that month; months without claims carry zeros, so the rows are the denominator and the numerator of PMPM and the member-level base of concentration and cohorts.
-- grain: person_id, payer, plan, month_start
-- materialized: table
-- column person_id: Person enrolled.
-- column member_id: Payer-issued member identifier.
-- column payer: Payer of the enrollment.
-- column payer_type: Line of business of the payer.
-- column plan: Plan of the enrollment.
-- column month_start: First day of the month.
-- column enrolled_days: Days of the month the person was enrolled with this payer and plan.
-- column days_in_month: Calendar days of the month.
-- column medical_paid: Paid amount of medical claim lines of the month.
-- column pharmacy_paid: Paid amount of pharmacy fills of the month.
-- column paid: medical_paid + pharmacy_paid.
-- column medical_allowed: Allowed amount of medical claim lines of the month (lines reporting it).
-- column pharmacy_allowed: Allowed amount of pharmacy fills of the month (fills reporting it).
-- column allowed: medical_allowed + pharmacy_allowed.
-- column claim_lines: Spend lines (medical lines and pharmacy fills) of the month.
-- column person_month: 1 on exactly one row per person and month (the first payer and plan by name), else 0: summed, it counts distinct member months across payers without a DISTINCT.
-- column person_payer_month: 1 on exactly one row per person, payer and month (the first plan by name), else 0: distinct member months within a payer.
-- test not_null: person_id, payer, plan, month_start, paid, allowed, claim_lines
-- test expression: paid = medical_paid + pharmacy_paid
-- test expression: person_payer_month >= person_month

-- Every row and window is one person's: on a large book the model runs in passes over partitions of
-- person_id (claimlens_partition, docs/models.md).
WITH spend AS (
  SELECT
    person_id,
    payer,
    plan,
    service_month,
    sum(CASE WHEN claim_source = 'medical' THEN paid_amount ELSE 0 END) AS medical_paid,
    sum(CASE WHEN claim_source = 'pharmacy' THEN paid_amount ELSE 0 END) AS pharmacy_paid,
    sum(CASE WHEN claim_source = 'medical' THEN coalesce(allowed_amount, 0) ELSE 0 END) AS medical_allowed,
    sum(CASE WHEN claim_source = 'pharmacy' THEN coalesce(allowed_amount, 0) ELSE 0 END) AS pharmacy_allowed,
    count(*) AS claim_lines
  FROM intermediate.cost_claim_line
  WHERE enrolled AND claimlens_partition(person_id)
  GROUP BY person_id, payer, plan, service_month
)

SELECT
  mm.person_id,
  mm.member_id,
  mm.payer,
  mm.payer_type,
  mm.plan,
  mm.month_start,
  mm.enrolled_days,
  mm.days_in_month,
  coalesce(s.medical_paid, 0) AS medical_paid,
  coalesce(s.pharmacy_paid, 0) AS pharmacy_paid,
  coalesce(s.medical_paid, 0) + coalesce(s.pharmacy_paid, 0) AS paid,
  coalesce(s.medical_allowed, 0) AS medical_allowed,
  coalesce(s.pharmacy_allowed, 0) AS pharmacy_allowed,
  coalesce(s.medical_allowed, 0) + coalesce(s.pharmacy_allowed, 0) AS allowed,
  coalesce(s.claim_lines, 0) AS claim_lines,
  -- One window for both flags (the person's month in payer, plan order): its first row counts the
  -- person month, and the first row of each payer the person-payer month. Two windows partitioned
  -- differently sorted the 1.5M member months twice.
  CAST(row_number() OVER person_month = 1 AS INTEGER) AS person_month,
  CAST(coalesce(lag(mm.payer) OVER person_month <> mm.payer, true) AS INTEGER) AS person_payer_month
FROM intermediate.member_month AS mm
LEFT JOIN spend AS s
  ON s.person_id = mm.person_id
  AND s.payer = mm.payer
  AND s.plan = mm.plan
  AND s.service_month = mm.month_start
WHERE claimlens_partition(mm.person_id)
WINDOW person_month AS (PARTITION BY mm.person_id, mm.month_start ORDER BY mm.payer, mm.plan)
