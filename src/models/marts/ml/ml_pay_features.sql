-- description: Likelihood-to-pay features: one row per person billed a patient balance, at the person's latest patient billing on or before the end of the data (event_date), with the label (1 when the patient paid at least half of the balance due within 120 days of that billing, 0 when not, null when the 120 days run past the end of the data) and f_ features observable at billing: the balance, household income and size, percent of the poverty guideline, area deprivation, payer type, age, payment history and visits strictly before event_date (the bill of event_date itself is part of the balance). Feature definitions in docs/marts/patients.md.
-- grain: person_id
-- materialized: table
-- column person_id: Person (key).
-- column event_date: Prediction time: the person's latest patient billing date on or before the end of the data (intermediate.rcm_data_end).
-- column label: 1 when patient payments dated from event_date through event_date + 120 days add up to at least 50% of f_balance, 0 when not, null when event_date + 120 days is after the end of the data.
-- column f_balance: Balance due right after the billing: everything billed to the patient through event_date minus patient payments before event_date, in dollars.
-- column f_bill_amount: Amount billed on event_date.
-- column f_household_income: Annual household income in dollars (latest eligibility span); null when unknown.
-- column f_household_size: Persons in the household; null when unknown.
-- column f_fpl_pct: Household income as a percent of the HHS poverty guideline of event_date's year (the nearest published year outside 2023-2025) for the household size and region (intermediate.rcm_person_fpl); null when unknown.
-- column f_adi_national_percentile: Area deprivation index national percentile of the member's ZIP; null when unknown.
-- column f_payer_type: Line of business of the payer of the claims billed on event_date (text); null when unknown.
-- column f_age: Age in whole years on event_date; null without a birth date.
-- column f_prior_bills: Billing dates before event_date.
-- column f_prior_billed_amount: Amount billed before event_date.
-- column f_prior_payments: Patient payments before event_date.
-- column f_prior_paid_amount: Amount the patient paid before event_date.
-- column f_prior_paid_share: f_prior_paid_amount / f_prior_billed_amount; null without earlier bills.
-- column f_days_since_last_payment: Days from the latest payment before event_date to event_date; null when the patient never paid before.
-- column f_visits_365d: Distinct dates of service of the person's medical claims in the 365 days up to event_date.
-- test not_null: person_id, event_date, f_balance, f_bill_amount, f_prior_bills, f_prior_billed_amount, f_prior_payments, f_prior_paid_amount, f_visits_365d
-- test accepted_values: label in (0, 1)
-- test expression: f_balance > 0

WITH data_end AS (
  SELECT data_end_date FROM intermediate.rcm_data_end
),

daily AS (
  SELECT
    person_id,
    event_date,
    sum(billed_amount) AS billed,
    sum(paid_amount) AS paid,
    sum(payments) AS payments,
    min(payer) FILTER (WHERE billed_amount <> 0) AS billed_payer
  FROM marts.patient_ledger
  GROUP BY person_id, event_date
),

event AS (
  SELECT person_id, max(event_date) AS event_date
  FROM daily
  WHERE billed > 0 AND event_date <= (SELECT data_end_date FROM data_end)
  GROUP BY person_id
),

history AS (
  SELECT
    e.person_id,
    e.event_date,
    coalesce(sum(d.billed) FILTER (WHERE d.event_date <= e.event_date), 0) AS billed_through,
    coalesce(sum(d.billed) FILTER (WHERE d.event_date = e.event_date), 0) AS bill_amount,
    min(d.billed_payer) FILTER (WHERE d.event_date = e.event_date) AS billed_payer,
    count(*) FILTER (WHERE d.event_date < e.event_date AND d.billed > 0) AS prior_bills,
    coalesce(sum(d.billed) FILTER (WHERE d.event_date < e.event_date), 0) AS prior_billed,
    coalesce(sum(d.payments) FILTER (WHERE d.event_date < e.event_date), 0) AS prior_payments,
    coalesce(sum(d.paid) FILTER (WHERE d.event_date < e.event_date), 0) AS prior_paid,
    max(d.event_date) FILTER (WHERE d.event_date < e.event_date AND d.payments > 0) AS last_payment_before,
    coalesce(sum(d.paid) FILTER (WHERE d.event_date BETWEEN e.event_date AND e.event_date + 120), 0) AS paid_in_window
  FROM event AS e
  JOIN daily AS d ON d.person_id = e.person_id
  GROUP BY e.person_id, e.event_date
),

visits AS (
  SELECT e.person_id, count(DISTINCT m.claim_start_date) AS visits
  FROM event AS e
  JOIN staging.medical_claim AS m
    ON m.person_id = e.person_id
    AND m.claim_start_date > e.event_date - 365
    AND m.claim_start_date <= e.event_date
  WHERE m.claim_status <> 'reversed'
  GROUP BY e.person_id
),

-- The guideline of the billing year; outside the published years, the nearest one.
dated AS (
  SELECT
    h.*,
    least(greatest(CAST(extract(year FROM h.event_date) AS INTEGER), g.first_year), g.last_year) AS guideline_year
  FROM history AS h
  CROSS JOIN (
    SELECT min(guideline_year) AS first_year, max(guideline_year) AS last_year FROM intermediate.rcm_person_fpl
  ) AS g
)

SELECT
  h.person_id,
  h.event_date,
  CASE
    WHEN h.event_date + 120 > (SELECT data_end_date FROM data_end) THEN NULL
    WHEN h.paid_in_window >= 0.5 * (h.billed_through - h.prior_paid) THEN 1
    ELSE 0
  END AS label,
  round(h.billed_through - h.prior_paid, 2) AS f_balance,
  round(h.bill_amount, 2) AS f_bill_amount,
  CAST(p.household_income AS DOUBLE PRECISION) AS f_household_income,
  p.household_size AS f_household_size,
  f.fpl_pct AS f_fpl_pct,
  p.adi_national_percentile AS f_adi_national_percentile,
  r.payer_type AS f_payer_type,
  CASE
    WHEN p.birth_date IS NOT NULL THEN CAST(
      extract(year FROM h.event_date) - extract(year FROM p.birth_date)
        - CASE
          WHEN extract(month FROM h.event_date) * 100 + extract(day FROM h.event_date)
            < extract(month FROM p.birth_date) * 100 + extract(day FROM p.birth_date) THEN 1
          ELSE 0
        END
      AS INTEGER)
  END AS f_age,
  CAST(h.prior_bills AS INTEGER) AS f_prior_bills,
  round(h.prior_billed, 2) AS f_prior_billed_amount,
  CAST(h.prior_payments AS INTEGER) AS f_prior_payments,
  round(CAST(h.prior_paid AS DOUBLE PRECISION), 2) AS f_prior_paid_amount,
  CASE WHEN h.prior_billed > 0 THEN round(CAST(h.prior_paid AS DOUBLE PRECISION) / h.prior_billed, 4) END AS f_prior_paid_share,
  h.event_date - h.last_payment_before AS f_days_since_last_payment,
  CAST(coalesce(v.visits, 0) AS INTEGER) AS f_visits_365d
FROM dated AS h
LEFT JOIN intermediate.rcm_person AS p ON p.person_id = h.person_id
LEFT JOIN intermediate.rcm_person_fpl AS f ON f.person_id = h.person_id AND f.guideline_year = h.guideline_year
LEFT JOIN intermediate.rcm_expected_rate AS r ON r.payer = h.billed_payer
LEFT JOIN visits AS v ON v.person_id = h.person_id
WHERE h.billed_through - h.prior_paid > 0
