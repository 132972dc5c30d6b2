-- description: One row per medical claim line (reversed lines left out: they are voids) with its remittance history: the first adjudication (first 835 remittance, else the claim status), whether that first adjudication was a denial, the denial's CAS group, CARC, RARC and root cause, the final state (claim_status) and recovery, the valuation of the line (expected allowed and expected payment), and the contractual and patient-responsibility adjustments the revenue-cycle and patient marts build on. Definitions in docs/marts/denials.md.
-- grain: claim_id, claim_line_number
-- materialized: table
-- column claim_id: Claim identifier.
-- column claim_line_number: Line number within the claim.
-- column claim_type: professional or institutional.
-- column person_id: Person served.
-- column payer: Payer billed.
-- column plan: Plan billed.
-- column claim_start_date: First date of service of the claim.
-- column claim_end_date: Last date of service of the claim.
-- column service_month: First day of the month of claim_start_date.
-- column submission_date: Date the claim was first submitted; null when the source gives none.
-- column billed_date: submission_date, else claim_end_date: the date the line entered accounts receivable (aging starts here).
-- column hcpcs_code: CPT/HCPCS code of the line.
-- column service_category: Service category of the line (intermediate.service_category); other when the grouper has no row.
-- column claim_status: Current (final) status of the line: paid, partially_paid, denied or pending.
-- column paid_date: Date the payer paid or finally adjudicated the line.
-- column charge_amount: Billed charge of the line.
-- column paid_amount: Amount the payer paid for the line (final).
-- column allowed_amount: Allowed amount of the line (final); null when not reported.
-- column member_cost_share: coinsurance + copayment + deductible of the line (missing counted as 0).
-- column remit_count: Distinct remittance dates with a non-CR adjustment for the line (line-level or claim-level); 0 when the line has none.
-- column first_remit_date: Earliest such remittance date; null without remittance.
-- column last_remit_date: Latest such remittance date; null without remittance.
-- column first_remit_paid: Payment implied by the first remittance by 835 balancing: charge minus every adjustment of that remittance (claim-level ones pro-rated by charge); null without remittance.
-- column adjudicated: True when the line was adjudicated at least once: it has a remittance, or its status is paid, partially_paid or denied.
-- column adjudication_source: remittance (first adjudication read from claim_adjustment) or claim_status (no remittance: read from the status); null when not adjudicated.
-- column adjudication_date: Date of the first adjudication: first_remit_date, else paid_date, else billed_date; null when not adjudicated. Denial counts are attributed to periods by this date.
-- column adjudication_month: First day of the month of adjudication_date.
-- column initially_denied: True when the first adjudication was a denial: the first remittance carries a denial adjustment and pays 0, or, without remittance, the status is denied.
-- column has_denial_adjustment: True when any remittance of the line carries a denial adjustment (including partial denials of paid lines).
-- column denial_group_code: CAS group (CO, PI, OA) of the line's primary denial: the largest denial adjustment of the earliest remittance that has one; null without one.
-- column denial_carc_code: CARC of the primary denial; null without one.
-- column denial_rarc_code: RARC given with the primary denial; null when none.
-- column denial_root_cause: Root cause of the primary denial's CARC (codes.carc.root_cause; other for a CARC missing there); unknown for a line denied by status without remittance; null for a line with no denial.
-- column denial_preventable: True when that root cause is preventable at submission (codes.carc.preventable_at_submission); null when the cause is unknown or there is no denial.
-- column denial_amount: Sum of the denial adjustments of that remittance for the line; 0 without one.
-- column finally_denied: True when the final status is denied.
-- column recovered: True when the line was initially denied and its final status is paid or partially_paid (overturned on appeal or corrected).
-- column resolution_date: Date the payer side of the line closed: paid_date (else last remittance) for paid lines, last remittance (else paid_date) for denied lines, the adjudication date when neither is given; null while pending.
-- column expected_rate: Share of charges the payer is expected to allow (intermediate.rcm_expected_rate).
-- column expected_basis: contract, observed or charge (intermediate.rcm_expected_rate).
-- column expected_allowed: charge_amount x expected_rate: the net revenue the line is worth (payer plus patient share).
-- column expected_payment: greatest(charge_amount x expected_rate - member_cost_share, 0): what the payer is expected to pay.
-- column contractual_adjustment: Sum of the line's adjustments whose CARC root cause is contractual (CO-45 and kin; not PR), all remittances, signed; without remittance charge - allowed of a paid line.
-- column patient_responsibility: Sum of the line's PR adjustments over all remittances, signed; without remittance the member cost share of a paid line.
-- column patient_billed_date: Date the patient responsibility was established: the latest remittance carrying a PR adjustment, else paid_date, else billed_date; null without patient responsibility.
-- column duplicate_of_earlier: True when a line with the same person, claim start date, HCPCS and charge was submitted on an earlier day (reversed claims included); false when the line has no HCPCS.
-- column resubmission: True when the line looks like a resubmission: duplicate_of_earlier, or a replacement or void bill type (third digit 7 or 8).
-- column first_pass_paid: True when the line was paid (paid or partially_paid) on one remittance with no denial adjustment at all.
-- test not_null: claim_id, claim_line_number, person_id, payer, claim_status, charge_amount, paid_amount, remit_count, adjudicated, initially_denied, has_denial_adjustment, denial_amount, finally_denied, recovered, expected_rate, expected_basis, expected_allowed, expected_payment, contractual_adjustment, patient_responsibility, duplicate_of_earlier, resubmission, first_pass_paid
-- test accepted_values: adjudication_source in (remittance, claim_status)
-- test expression: NOT initially_denied OR adjudicated
-- test expression: NOT recovered OR initially_denied

-- Which adjustments are denials: CAS groups CO, PI and OA with a CARC whose root cause is a denial
-- category (not contractual, not patient responsibility). PR is the patient's whatever the CARC, and
-- CR rows correct earlier remittances rather than adjudicate. CARC 23 (prior payer's adjudication,
-- COB accounting) and 133 (disposition pending) pay 0 without denying anything, so they are not
-- denials although their root cause is other.
--
-- Memory: a CTE read more than once is materialized by DuckDB (every column, uncompressed, several GB
-- at 10M lines), so the CTEs read twice are NOT MATERIALIZED (cheap scans, computed again) and the
-- wide line and the per-line aggregates are each read once, streaming into the final joins.
--
-- Every row is one claim's line: on a large book the model runs in passes over partitions of claim_id
-- (claimlens_partition, docs/models.md). The duplicate flag needs a window over the person's lines,
-- so it is read from intermediate.duplicate_claim_line, which runs in partitions of person_id.
WITH line AS (
  SELECT
    m.claim_id,
    m.claim_line_number,
    m.claim_type,
    m.person_id,
    m.payer,
    m.plan,
    m.claim_start_date,
    m.claim_end_date,
    m.service_month,
    m.submission_date,
    coalesce(m.submission_date, m.claim_end_date) AS billed_date,
    m.hcpcs_code,
    m.claim_status,
    m.paid_date,
    m.charge_amount,
    m.paid_amount,
    m.allowed_amount,
    coalesce(m.coinsurance_amount, 0) + coalesce(m.copayment_amount, 0) + coalesce(m.deductible_amount, 0)
      AS member_cost_share,
    m.bill_type_code
  FROM staging.medical_claim AS m
  WHERE claimlens_partition(m.claim_id)
),

-- The lines adjustments are spread over: reversed lines are voids.
line_charge AS NOT MATERIALIZED (
  SELECT claim_id, claim_line_number, charge_amount
  FROM staging.medical_claim
  WHERE claim_status <> 'reversed' AND claimlens_partition(claim_id)
),

adj AS NOT MATERIALIZED (
  SELECT
    a.claim_id,
    a.claim_line_number,
    a.remit_date,
    a.adjustment_sequence,
    a.adjustment_group_code AS group_code,
    a.carc_code,
    a.rarc_code,
    a.adjustment_amount,
    coalesce(c.root_cause, 'other') AS root_cause,
    c.preventable_at_submission AS preventable,
    a.adjustment_group_code IN ('CO', 'PI', 'OA')
      AND coalesce(c.root_cause, 'other') NOT IN ('contractual', 'patient_responsibility')
      AND a.carc_code NOT IN ('23', '133') AS is_denial
  FROM staging.claim_adjustment AS a
  LEFT JOIN codes.carc AS c ON c.code = a.carc_code
  WHERE a.adjustment_group_code <> 'CR' AND claimlens_partition(a.claim_id)
),

-- Line-level adjustments belong to their line; claim-level ones (line 0, 835 loop 2100) to every
-- line of the claim, their amount split by the line's share of the claim's charge (equally when the
-- claim charged nothing). Claim totals are only needed for claims that have such adjustments.
claim_total AS (
  SELECT claim_id, sum(charge_amount) AS claim_charge, count(*) AS claim_lines
  FROM line_charge
  WHERE claim_id IN (SELECT claim_id FROM adj WHERE claim_line_number = 0)
  GROUP BY claim_id
),

line_adj AS NOT MATERIALIZED (
  SELECT
    a.claim_id,
    a.claim_line_number,
    a.remit_date,
    a.adjustment_sequence,
    a.group_code,
    a.carc_code,
    a.rarc_code,
    a.root_cause,
    a.preventable,
    a.is_denial,
    false AS claim_level,
    CAST(a.adjustment_amount AS DOUBLE PRECISION) AS amount
  FROM adj AS a
  JOIN line_charge AS l ON l.claim_id = a.claim_id AND l.claim_line_number = a.claim_line_number
  UNION ALL
  SELECT
    l.claim_id,
    l.claim_line_number,
    a.remit_date,
    a.adjustment_sequence,
    a.group_code,
    a.carc_code,
    a.rarc_code,
    a.root_cause,
    a.preventable,
    a.is_denial,
    true AS claim_level,
    CAST(a.adjustment_amount AS DOUBLE PRECISION)
      * CASE WHEN t.claim_charge > 0 THEN CAST(l.charge_amount AS DOUBLE PRECISION) / CAST(t.claim_charge AS DOUBLE PRECISION) ELSE 1.0 / t.claim_lines END
      AS amount
  FROM adj AS a
  JOIN line_charge AS l ON l.claim_id = a.claim_id
  JOIN claim_total AS t ON t.claim_id = a.claim_id
  WHERE a.claim_line_number = 0
),

line_remit AS (
  SELECT
    claim_id,
    claim_line_number,
    remit_date,
    sum(amount) AS adjusted,
    bool_or(is_denial) AS has_denial,
    sum(CASE WHEN is_denial THEN amount ELSE 0 END) AS denial_amount,
    sum(CASE WHEN root_cause = 'contractual' AND group_code <> 'PR' THEN amount ELSE 0 END) AS contractual,
    sum(CASE WHEN group_code = 'PR' THEN amount ELSE 0 END) AS patient_resp,
    bool_or(group_code = 'PR') AS has_pr
  FROM line_adj
  GROUP BY claim_id, claim_line_number, remit_date
),

-- The first remittance's values are taken with arg_min over the line's remittance dates (one row
-- per date in line_remit, so no tie) instead of joining line_remit back twice. arg_min skips NULL
-- values, and none of these is NULL: amounts, group codes and CARCs are required inputs.
first_remit AS (
  SELECT
    claim_id,
    claim_line_number,
    count(*) AS remit_count,
    min(remit_date) AS first_remit_date,
    max(remit_date) AS last_remit_date,
    bool_or(has_denial) AS has_denial_adjustment,
    sum(contractual) AS contractual,
    sum(patient_resp) AS patient_resp,
    max(CASE WHEN has_pr THEN remit_date END) AS patient_resp_date,
    arg_min(adjusted, remit_date) AS first_adjusted,
    arg_min(has_denial, remit_date) AS first_has_denial,
    arg_min(CASE WHEN has_denial THEN denial_amount END, CASE WHEN has_denial THEN remit_date END) AS first_denial_amount
  FROM line_remit
  GROUP BY claim_id, claim_line_number
),

-- The primary denial: the largest denial adjustment of the earliest remittance that has one
-- (line-level before claim-level, then CAS order), so each denied line counts under one CARC. Read
-- from the denial adjustments alone (the filter reaches the scan of claim_adjustment), a small share
-- of the rows.
primary_denial AS (
  SELECT
    claim_id,
    claim_line_number,
    group_code,
    carc_code,
    rarc_code,
    root_cause,
    preventable,
    row_number() OVER (
      PARTITION BY claim_id, claim_line_number
      ORDER BY remit_date, amount DESC, claim_level, adjustment_sequence, carc_code
    ) AS pick
  FROM line_adj
  WHERE is_denial
),

joined AS (
  SELECT
    l.*,
    d.claim_id IS NOT NULL AS duplicate_of_earlier,
    d.claim_id IS NOT NULL OR coalesce(right(l.bill_type_code, 1) IN ('7', '8'), false) AS resubmission,
    f.claim_id IS NOT NULL AS has_remit,
    coalesce(f.remit_count, 0) AS remit_count,
    f.first_remit_date,
    f.last_remit_date,
    round(l.charge_amount - f.first_adjusted, 2) AS first_remit_paid,
    coalesce(f.has_denial_adjustment, false) AS has_denial_adjustment,
    coalesce(f.first_has_denial, false) AS first_has_denial,
    coalesce(f.first_denial_amount, 0) AS first_denial_amount,
    f.contractual,
    f.patient_resp,
    f.patient_resp_date,
    p.group_code AS denial_group_code,
    p.carc_code AS denial_carc_code,
    p.rarc_code AS denial_rarc_code,
    p.root_cause AS denial_root_cause,
    p.preventable AS denial_preventable,
    coalesce(s.service_category, 'other') AS service_category,
    r.expected_rate,
    r.expected_basis
  FROM line AS l
  LEFT JOIN first_remit AS f ON f.claim_id = l.claim_id AND f.claim_line_number = l.claim_line_number
  LEFT JOIN primary_denial AS p
    ON p.claim_id = l.claim_id AND p.claim_line_number = l.claim_line_number AND p.pick = 1
  LEFT JOIN (
    SELECT claim_id, claim_line_number, service_category
    FROM intermediate.service_category
    WHERE claimlens_partition(claim_id)
  ) AS s
    ON s.claim_id = l.claim_id AND s.claim_line_number = l.claim_line_number
  LEFT JOIN (
    SELECT claim_id, claim_line_number
    FROM intermediate.duplicate_claim_line
    WHERE claimlens_partition(claim_id)
  ) AS d
    ON d.claim_id = l.claim_id AND d.claim_line_number = l.claim_line_number
  JOIN intermediate.rcm_expected_rate AS r ON r.payer = l.payer
  WHERE l.claim_status <> 'reversed'
),

state AS (
  SELECT
    *,
    has_remit OR claim_status IN ('paid', 'partially_paid', 'denied') AS adjudicated,
    CASE
      WHEN has_remit THEN first_has_denial AND first_remit_paid <= 0
      ELSE claim_status = 'denied'
    END AS initially_denied
  FROM joined
),

valued AS (
  SELECT
    *,
    CASE
      WHEN has_remit THEN round(coalesce(patient_resp, 0), 2)
      WHEN claim_status IN ('paid', 'partially_paid') THEN member_cost_share
      ELSE 0
    END AS patient_responsibility
  FROM state
)

SELECT
  claim_id,
  claim_line_number,
  claim_type,
  person_id,
  payer,
  plan,
  claim_start_date,
  claim_end_date,
  service_month,
  submission_date,
  billed_date,
  hcpcs_code,
  service_category,
  claim_status,
  paid_date,
  charge_amount,
  paid_amount,
  allowed_amount,
  member_cost_share,
  remit_count,
  first_remit_date,
  last_remit_date,
  first_remit_paid,
  adjudicated,
  CASE WHEN has_remit THEN 'remittance' WHEN adjudicated THEN 'claim_status' END AS adjudication_source,
  CASE
    WHEN has_remit THEN first_remit_date
    WHEN adjudicated THEN coalesce(paid_date, billed_date)
  END AS adjudication_date,
  CAST(date_trunc('month', CASE
    WHEN has_remit THEN first_remit_date
    WHEN adjudicated THEN coalesce(paid_date, billed_date)
  END) AS DATE) AS adjudication_month,
  initially_denied,
  has_denial_adjustment,
  denial_group_code,
  denial_carc_code,
  denial_rarc_code,
  CASE
    WHEN denial_carc_code IS NOT NULL THEN denial_root_cause
    WHEN initially_denied OR claim_status = 'denied' THEN 'unknown'
  END AS denial_root_cause,
  CASE WHEN denial_carc_code IS NOT NULL THEN coalesce(denial_preventable, false) END AS denial_preventable,
  round(first_denial_amount, 2) AS denial_amount,
  claim_status = 'denied' AS finally_denied,
  initially_denied AND claim_status IN ('paid', 'partially_paid') AS recovered,
  CASE
    WHEN claim_status IN ('paid', 'partially_paid')
      THEN coalesce(paid_date, last_remit_date, first_remit_date, billed_date)
    WHEN claim_status = 'denied' THEN coalesce(last_remit_date, paid_date, billed_date)
  END AS resolution_date,
  expected_rate,
  expected_basis,
  round(charge_amount * expected_rate, 2) AS expected_allowed,
  round(greatest(charge_amount * expected_rate - member_cost_share, 0), 2) AS expected_payment,
  CASE
    WHEN has_remit THEN round(coalesce(contractual, 0), 2)
    WHEN claim_status IN ('paid', 'partially_paid') AND allowed_amount IS NOT NULL
      THEN greatest(charge_amount - allowed_amount, 0)
    ELSE 0
  END AS contractual_adjustment,
  patient_responsibility,
  CASE
    WHEN patient_responsibility <> 0 THEN coalesce(patient_resp_date, paid_date, billed_date)
  END AS patient_billed_date,
  duplicate_of_earlier,
  resubmission,
  claim_status IN ('paid', 'partially_paid') AND remit_count <= 1 AND NOT has_denial_adjustment
    AND NOT initially_denied AS first_pass_paid
FROM valued
