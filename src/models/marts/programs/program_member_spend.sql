-- description: Paid amount per member, payer, plan and calendar month, medical and pharmacy together: the spend baseline the care-management savings model ranks members on (high-cost cohort = top members by paid in the baseline window). Definitions in docs/marts/programs.md.
-- grain: person_id, payer, plan, month
-- materialized: table
-- column person_id: Person the services were for.
-- column payer: Payer billed.
-- column plan: Plan billed: what the plan filter keeps.
-- column month: First day of the calendar month of service (claim_start_date; dispensing_date for pharmacy).
-- column medical_paid: Amount paid on non-reversed medical claim lines.
-- column pharmacy_paid: Amount paid on non-reversed pharmacy fills.
-- column paid: medical_paid + pharmacy_paid.
-- column last_service_date: Last date of service in the month (the default as-of date of the savings model is the latest).
-- test not_null: person_id, payer, plan, month, medical_paid, pharmacy_paid, paid, last_service_date

WITH spend AS (
  SELECT
    person_id,
    payer,
    plan,
    claim_start_date AS service_date,
    CAST(date_trunc('month', claim_start_date) AS DATE) AS month,
    paid_amount AS medical_paid,
    0 AS pharmacy_paid
  FROM staging.medical_claim
  WHERE claim_status <> 'reversed'
  UNION ALL
  SELECT
    person_id,
    payer,
    plan,
    dispensing_date AS service_date,
    CAST(date_trunc('month', dispensing_date) AS DATE) AS month,
    0 AS medical_paid,
    paid_amount AS pharmacy_paid
  FROM staging.pharmacy_claim
  WHERE coalesce(claim_status, '') <> 'reversed'
)

SELECT
  person_id,
  payer,
  plan,
  month,
  sum(medical_paid) AS medical_paid,
  sum(pharmacy_paid) AS pharmacy_paid,
  sum(medical_paid) + sum(pharmacy_paid) AS paid,
  max(service_date) AS last_service_date
FROM spend
GROUP BY person_id, payer, plan, month
