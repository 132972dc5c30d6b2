-- description: One row per person with a patient bill or a patient payment: the account at the end of the data (billed after insurance, paid, open balance, payment history) and the inputs of financial-assistance screening (household size and income, state and the HHS poverty-guideline region it uses). The screening itself (percent of the poverty guideline, policy tier) is computed by the patients service for the as-of year and the configured tiers. Definitions in docs/marts/patients.md.
-- grain: person_id
-- materialized: table
-- column person_id: Person.
-- column payer: Payer of the person's latest enrollment span (intermediate.rcm_person); null for a person not in eligibility.
-- column payer_type: Line of business of that payer.
-- column state: State of residence (latest span); null when unknown.
-- column zip3: First three digits of the ZIP of residence; null when unknown.
-- column guideline_region: HHS poverty-guideline region of the state (intermediate.rcm_person): alaska, hawaii or contiguous; null when the state is unknown or has no HHS guideline (territories).
-- column household_size: Persons in the household (latest span); null when unknown.
-- column household_income: Annual household income in dollars (latest span); null when unknown.
-- column adi_national_percentile: Area deprivation index national percentile of the ZIP; null when unknown.
-- column birth_date: Birth date; null for a person not in eligibility.
-- column claims_billed: Claims with patient responsibility billed to the person.
-- column billed_amount: Patient responsibility billed, all dates.
-- column paid_amount: Patient payments received, all dates (applied to claims and on account).
-- column open_balance: billed_amount - paid_amount (negative: a credit balance).
-- column first_billed_date: First date the person was billed; null when never billed.
-- column last_billed_date: Last date the person was billed; null when never billed.
-- column payments: Number of patient payments.
-- column last_payment_date: Date of the latest patient payment; null when none.
-- test not_null: person_id, claims_billed, billed_amount, paid_amount, open_balance, payments
-- test accepted_values: guideline_region in (contiguous, alaska, hawaii)

WITH account AS (
  SELECT
    person_id,
    count(DISTINCT CASE WHEN billed_amount <> 0 THEN claim_id END) AS claims_billed,
    sum(billed_amount) AS billed_amount,
    sum(paid_amount) AS paid_amount,
    min(CASE WHEN billed_amount <> 0 THEN event_date END) AS first_billed_date,
    max(CASE WHEN billed_amount <> 0 THEN event_date END) AS last_billed_date,
    sum(payments) AS payments,
    max(CASE WHEN payments > 0 THEN event_date END) AS last_payment_date
  FROM marts.patient_ledger
  GROUP BY person_id
)

SELECT
  a.person_id,
  p.payer,
  p.payer_type,
  p.state,
  p.zip3,
  p.guideline_region,
  p.household_size,
  p.household_income,
  p.adi_national_percentile,
  p.birth_date,
  CAST(a.claims_billed AS INTEGER) AS claims_billed,
  round(a.billed_amount, 2) AS billed_amount,
  CAST(a.paid_amount AS DECIMAL(18, 2)) AS paid_amount,
  round(a.billed_amount - a.paid_amount, 2) AS open_balance,
  a.first_billed_date,
  a.last_billed_date,
  CAST(a.payments AS INTEGER) AS payments,
  a.last_payment_date
FROM account AS a
LEFT JOIN intermediate.rcm_person AS p ON p.person_id = a.person_id
