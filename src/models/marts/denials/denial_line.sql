-- description: One row per claim line that was initially or finally denied: the denial worklist and drill-down, with the primary denial's CAS group, CARC (and its X12 description), RARC, root cause and whether it was preventable at submission, the revenue it put at risk (expected payment), whether it was recovered (paid after appeal or correction) and what was written off. Definitions in docs/marts/denials.md.
-- grain: claim_id, claim_line_number
-- materialized: table
-- column claim_id: Claim identifier.
-- column claim_line_number: Line number within the claim.
-- column person_id: Person served.
-- column payer: Payer billed.
-- column service_category: Service category of the line (intermediate.service_category).
-- column hcpcs_code: CPT/HCPCS code of the line.
-- column claim_start_date: First date of service of the claim.
-- column billed_date: Submission date (else claim end date).
-- column adjudication_date: Date of the first adjudication (first remittance, else paid date, else billed date).
-- column adjudication_month: First day of the month of adjudication_date: the month the denial is counted in.
-- column denial_group_code: CAS group of the primary denial (CO, PI, OA); null for a status-only denial.
-- column denial_carc_code: CARC of the primary denial; null for a status-only denial.
-- column carc_description: X12 description of the CARC (codes.carc); null when the code is not in the list.
-- column denial_rarc_code: RARC given with the primary denial.
-- column denial_root_cause: Root cause of the CARC (codes.carc.root_cause), unknown for a status-only denial.
-- column denial_preventable: True when the root cause is preventable at submission; null when unknown.
-- column claim_status: Final status of the line.
-- column initially_denied: True when the first adjudication was a denial.
-- column finally_denied: True when the final status is denied.
-- column recovered: True when initially denied and finally paid or partially paid.
-- column charge_amount: Billed charge of the line: the denied dollars of an initial denial.
-- column denial_amount: Denial adjustments of the primary denial's remittance for the line (0 for a status-only denial).
-- column expected_basis: How the line is valued: contract, observed or charge (intermediate.rcm_expected_rate).
-- column expected_payment: Payment the line was worth: greatest(charge x expected rate - member cost share, 0); the revenue an initial denial puts at risk.
-- column recovered_amount: Payer payment of a recovered line; 0 otherwise.
-- column write_off_charge: Charge of a finally denied line (denied and never recovered); 0 otherwise.
-- column write_off_expected: Expected payment of a finally denied line: the revenue written off; 0 otherwise.
-- column resolution_date: Date the line's payer side closed (payment after appeal, or the last denial remittance).
-- column days_to_resolution: resolution_date - adjudication_date: days from the initial denial to payment (recovered) or to the last remittance (still denied); null when unknown.
-- test not_null: claim_id, claim_line_number, payer, service_category, adjudication_date, adjudication_month, denial_root_cause, claim_status, initially_denied, finally_denied, recovered, charge_amount, expected_payment, recovered_amount, write_off_charge, write_off_expected
-- test expression: initially_denied OR finally_denied

SELECT
  d.claim_id,
  d.claim_line_number,
  d.person_id,
  d.payer,
  d.service_category,
  d.hcpcs_code,
  d.claim_start_date,
  d.billed_date,
  d.adjudication_date,
  d.adjudication_month,
  d.denial_group_code,
  d.denial_carc_code,
  c.description AS carc_description,
  d.denial_rarc_code,
  d.denial_root_cause,
  d.denial_preventable,
  d.claim_status,
  d.initially_denied,
  d.finally_denied,
  d.recovered,
  d.charge_amount,
  d.denial_amount,
  d.expected_basis,
  d.expected_payment,
  CASE WHEN d.recovered THEN d.paid_amount ELSE 0 END AS recovered_amount,
  CASE WHEN d.finally_denied THEN d.charge_amount ELSE 0 END AS write_off_charge,
  CASE WHEN d.finally_denied THEN d.expected_payment ELSE 0 END AS write_off_expected,
  d.resolution_date,
  CASE WHEN d.resolution_date >= d.adjudication_date THEN d.resolution_date - d.adjudication_date END
    AS days_to_resolution
FROM intermediate.denial_remit_line AS d
LEFT JOIN codes.carc AS c ON c.code = d.denial_carc_code
WHERE d.adjudicated AND (d.initially_denied OR d.finally_denied)
