-- description: One row per claim line and CARC the payer adjusted it with (835 CAS), with the line's charge and the payment it was worth: the baseline the denial-prevention savings model filters to preventable CARCs and a window at query time (the preventable list is configuration). Claim-level adjustments (line 0) apply to every line of the claim; corrections (group CR) and reversed lines are left out. Definitions in docs/marts/programs.md.
-- grain: claim_id, claim_line_number, carc_code
-- materialized: table
-- column claim_id: Claim identifier.
-- column claim_line_number: Line adjusted.
-- column carc_code: Claim Adjustment Reason Code of the adjustment.
-- column payer: Payer billed on the line.
-- column plan: Plan billed on the line: what the plan filter keeps.
-- column state: State of residence of the member (latest enrollment span, intermediate.rcm_person); null when unknown. What the state filter keeps.
-- column first_remit_date: Earliest remittance carrying this CARC for the line: the date the denial is attributed to a window by.
-- column adjustment_amount: Sum of the adjustment amounts with this CARC on the line (line-level adjustments only; a claim-level amount is not split across lines).
-- column claim_status: Current status of the line (denied, paid after appeal, ...).
-- column charge_amount: Billed charge of the line.
-- column expected_rate: Share of charges the payer is expected to pay (intermediate.rcm_expected_rate): payer.contract_allowed_pct, else the payer's observed allowed / charge on paid lines, else 1 (charge).
-- column expected_basis: Where expected_rate comes from: contract, observed or charge.
-- column expected_payment: charge_amount x expected_rate: the payment the line would have brought without the denial.
-- test not_null: claim_id, claim_line_number, carc_code, payer, first_remit_date, charge_amount, expected_rate, expected_basis, expected_payment
-- test accepted_values: expected_basis in (contract, observed, charge)

-- A CTE read twice is materialized by DuckDB with every column in memory: `adj` and `line_key`
-- are plain scans, cheaper to read again (NOT MATERIALIZED), and the wide `line` is read once.
-- Every row is one claim's: on a large book the model runs in passes over partitions of claim_id
-- (claimlens_partition, docs/models.md).
WITH adj AS NOT MATERIALIZED (
  SELECT claim_id, claim_line_number, carc_code, remit_date, adjustment_amount
  FROM staging.claim_adjustment
  WHERE adjustment_group_code <> 'CR' AND claimlens_partition(claim_id)
),

-- The member's state joins the lines here, where the optimizer sees a claim-line table against a
-- person table; joined after the aggregate below, its underestimated row count made the hit rows
-- the hash table's side (1.27M rows hashed to look up 36,659 persons: 0.40 s of 1.38 s at 1M).
line AS (
  SELECT m.claim_id, m.claim_line_number, m.payer, m.plan, p.state, m.claim_status, m.charge_amount
  FROM staging.medical_claim AS m
  LEFT JOIN intermediate.rcm_person AS p ON p.person_id = m.person_id
  WHERE m.claim_status <> 'reversed' AND claimlens_partition(m.claim_id)
),

line_key AS NOT MATERIALIZED (
  SELECT claim_id, claim_line_number
  FROM staging.medical_claim
  WHERE claim_status <> 'reversed' AND claimlens_partition(claim_id)
),

-- Adjustments are summed per line and CARC before the claim lines' wide columns join them, so the
-- aggregate carries only keys, dates and amounts. A claim-level adjustment (line 0) dates the CARC
-- on every line of the claim without adding to any line's amount.
line_hit AS (
  SELECT claim_id, claim_line_number, carc_code, min(remit_date) AS remit_date, sum(adjustment_amount) AS amount
  FROM adj
  WHERE claim_line_number <> 0
  GROUP BY claim_id, claim_line_number, carc_code
),

claim_hit AS (
  SELECT claim_id, carc_code, min(remit_date) AS remit_date
  FROM adj
  WHERE claim_line_number = 0
  GROUP BY claim_id, carc_code
),

hit_key AS (
  SELECT claim_id, claim_line_number, carc_code, remit_date, amount FROM line_hit
  UNION ALL
  SELECT l.claim_id, l.claim_line_number, c.carc_code, c.remit_date, NULL AS amount
  FROM claim_hit AS c
  JOIN line_key AS l ON l.claim_id = c.claim_id
),

hit AS (
  SELECT
    k.claim_id,
    k.claim_line_number,
    k.carc_code,
    l.payer,
    l.plan,
    l.state,
    k.first_remit_date,
    k.adjustment_amount,
    l.claim_status,
    l.charge_amount
  FROM (
    SELECT claim_id, claim_line_number, carc_code, min(remit_date) AS first_remit_date, sum(amount) AS adjustment_amount
    FROM hit_key
    GROUP BY claim_id, claim_line_number, carc_code
  ) AS k
  JOIN line AS l ON l.claim_id = k.claim_id AND l.claim_line_number = k.claim_line_number
)

SELECT
  h.claim_id,
  h.claim_line_number,
  h.carc_code,
  h.payer,
  h.plan,
  h.state,
  h.first_remit_date,
  h.adjustment_amount,
  h.claim_status,
  h.charge_amount,
  r.expected_rate,
  r.expected_basis,
  round(h.charge_amount * r.expected_rate, 2) AS expected_payment
FROM hit AS h
JOIN intermediate.rcm_expected_rate AS r ON r.payer = h.payer
