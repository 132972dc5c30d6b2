-- description: Medical claim lines (reversed lines left out) that look like a duplicate submission: a line with the same person, claim start date, HCPCS and charge was submitted on an earlier day (submission_date, else claim_end_date; reversed claims included, since they were sent too). Same-day lines cannot be ordered, so they are never each other's duplicate, and a line without HCPCS never is one. Only the duplicates are rows; intermediate.denial_remit_line reads its duplicate_of_earlier flag here. Definitions in docs/marts/denials.md.
-- grain: claim_id, claim_line_number
-- materialized: table
-- column claim_id: Claim identifier.
-- column claim_line_number: Line number within the claim.
-- column person_id: Person served.
-- column first_billed_date: Earliest day a line of the same person, start date, HCPCS and charge was submitted.
-- column billed_date: submission_date, else claim_end_date, of this line.
-- test not_null: claim_id, claim_line_number, person_id, first_billed_date, billed_date
-- test expression: first_billed_date < billed_date

-- Knowable at submission, so the window runs over every line of the person before reversed lines
-- are left out. Every window partition is one person's: on a large book the model runs in passes
-- over partitions of person_id (claimlens_partition, docs/models.md).
SELECT claim_id, claim_line_number, person_id, first_billed_date, billed_date
FROM (
  SELECT
    claim_id,
    claim_line_number,
    person_id,
    claim_status,
    coalesce(submission_date, claim_end_date) AS billed_date,
    min(coalesce(submission_date, claim_end_date)) OVER (
      PARTITION BY person_id, claim_start_date, hcpcs_code, charge_amount
    ) AS first_billed_date
  FROM staging.medical_claim
  WHERE hcpcs_code IS NOT NULL AND claimlens_partition(person_id)
) AS w
WHERE first_billed_date < billed_date AND claim_status <> 'reversed'
