-- description: One row per claim and payer with the amounts, line counts and dates the payer scorecard aggregates for any period: service-basis volume, charges and contractual variance, adjudication counts for the denial rate, and the payment date and days to pay. Reversed lines are left out (they are voids). Definitions in docs/marts/payers.md.
-- grain: claim_id, payer
-- materialized: table
-- column claim_id: Claim identifier.
-- column payer: Payer billed.
-- column plan: Plan billed (the first in name order when the claim's lines name two): what the plan filter keeps.
-- column person_id: Person the claim is for (the first when the lines name two).
-- column state: The person's state of residence on their latest enrollment span (intermediate.rcm_person); null when unknown or not in eligibility. What the state filter keeps.
-- column claim_start_date: First date of service of the claim; the date volume, charges, denials and variance are attributed to a period by.
-- column claim_end_date: Last date of service of the claim.
-- column submission_date: Earliest submission date on the claim's lines; null when the source gives none.
-- column paid_date: Latest paid_date among the claim's paid or partially paid lines: the date payments and days to pay are attributed to a period by; null when no line was paid.
-- column days_to_pay: paid_date minus submission_date (claim_end_date when submission_date is missing); null when unpaid or when the dates are inverted (a data-quality problem, not a fast payer).
-- column line_count: Claim lines that are not reversed.
-- column adjudicated_lines: Lines with a final decision: paid, partially_paid or denied (pending lines are not yet adjudicated).
-- column denied_lines: Lines with claim_status denied.
-- column charge_amount: Billed charges of the non-reversed lines.
-- column allowed_amount: Allowed amount of the non-reversed lines (missing counted as 0).
-- column paid_amount: Amount the payer paid on the non-reversed lines.
-- column expected_payment: Contractual expected payment of the paid and partially paid lines: per line greatest(charge x payer.contract_allowed_pct - coinsurance - copayment - deductible, 0); null when the payer has no contract_allowed_pct.
-- column expected_paid_amount: Amount paid on the same lines expected_payment covers (paid and partially paid lines of a payer with contract terms), so variance compares like with like; null when expected_payment is null.
-- test not_null: claim_id, payer, plan, person_id, claim_start_date, line_count, adjudicated_lines, denied_lines, charge_amount, paid_amount
-- test expression: expected_payment IS NULL OR expected_payment >= 0

-- Denied lines carry no expected payment: a denial is measured by the denial rate, and counting it
-- again as a 100% underpayment would double-count it in the variance.
-- Every row is one claim's: on a large book the model runs in passes over partitions of claim_id
-- (claimlens_partition, docs/models.md).
WITH line AS (
  SELECT
    c.claim_id,
    c.payer,
    c.plan,
    c.person_id,
    c.claim_start_date,
    c.claim_end_date,
    c.submission_date,
    c.claim_status,
    c.paid_date,
    c.charge_amount,
    coalesce(c.allowed_amount, 0) AS allowed_amount,
    c.paid_amount,
    c.claim_status IN ('paid', 'partially_paid') AS is_paid_status,
    CASE
      WHEN c.claim_status IN ('paid', 'partially_paid') AND d.contract_allowed_pct IS NOT NULL
        THEN greatest(
          c.charge_amount * d.contract_allowed_pct
            - coalesce(c.coinsurance_amount, 0)
            - coalesce(c.copayment_amount, 0)
            - coalesce(c.deductible_amount, 0),
          0
        )
    END AS expected_payment
  FROM staging.medical_claim AS c
  LEFT JOIN intermediate.payer_directory AS d ON d.payer = c.payer
  WHERE c.claim_status <> 'reversed' AND claimlens_partition(c.claim_id)
),

claim AS (
  SELECT
    claim_id,
    payer,
    min(plan) AS plan,
    min(person_id) AS person_id,
    min(claim_start_date) AS claim_start_date,
    max(claim_end_date) AS claim_end_date,
    min(submission_date) AS submission_date,
    max(CASE WHEN is_paid_status THEN paid_date END) AS paid_date,
    count(*) AS line_count,
    count(*) FILTER (WHERE claim_status IN ('paid', 'partially_paid', 'denied')) AS adjudicated_lines,
    count(*) FILTER (WHERE claim_status = 'denied') AS denied_lines,
    sum(charge_amount) AS charge_amount,
    sum(allowed_amount) AS allowed_amount,
    sum(paid_amount) AS paid_amount,
    -- Exact (DECIMAL) sum of the per-line doubles: a sum of doubles depends on row order, so any
    -- rounding of it to cents downstream could differ by a cent between engines or runs.
    sum(CAST(expected_payment AS DECIMAL(38, 6))) AS expected_payment,
    sum(CASE WHEN expected_payment IS NOT NULL THEN paid_amount END) AS expected_paid_amount
  FROM line
  GROUP BY claim_id, payer
)

SELECT
  c.claim_id,
  c.payer,
  c.plan,
  c.person_id,
  p.state,
  claim_start_date,
  claim_end_date,
  submission_date,
  paid_date,
  CASE
    WHEN paid_date >= coalesce(submission_date, claim_end_date)
      THEN paid_date - coalesce(submission_date, claim_end_date)
  END AS days_to_pay,
  line_count,
  adjudicated_lines,
  denied_lines,
  charge_amount,
  allowed_amount,
  paid_amount,
  expected_payment,
  expected_paid_amount
FROM claim AS c
LEFT JOIN intermediate.rcm_person AS p ON p.person_id = c.person_id
