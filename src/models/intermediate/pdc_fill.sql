-- description: One row per pharmacy fill of a PQA proportion-of-days-covered (PDC) drug class (codes.ndc_drug_class.pdc_class: statins, RAS antagonists, non-insulin diabetes drugs) with its days of supply placed on the calendar the PQA way: within a member, class and calendar year, a fill of the same drug (same drug_name, whatever the NDC) dispensed before the previous supply of that drug ran out starts the day after it ends; fills of different drugs in the class are not shifted (their overlap is counted once in the PDC). Paid, partially paid or status-less fills with a positive days supply only.
-- grain: claim_id, claim_line_number
-- materialized: table
-- column claim_id: Pharmacy claim identifier.
-- column claim_line_number: Line of the claim.
-- column person_id: Member.
-- column pdc_class: statins, ras_antagonists or diabetes_non_insulin.
-- column drug_name: Generic drug (the same-drug unit for shifting).
-- column measurement_year: Calendar year of the dispensing date.
-- column dispensing_date: Date dispensed.
-- column days_supply: Days of supply dispensed.
-- column adjusted_start_date: First day the fill covers after shifting behind earlier fills of the same drug.
-- column adjusted_end_date: Last day it covers (adjusted_start_date + days_supply - 1), before truncation at the end of the treatment period.
-- column prescribing_provider_npi: Prescriber NPI.
-- column payer: Payer of the fill.
-- column plan: Plan of the fill.
-- test not_null: claim_id, claim_line_number, person_id, pdc_class, drug_name, measurement_year, dispensing_date, days_supply, adjusted_start_date, adjusted_end_date
-- test expression: adjusted_start_date >= dispensing_date
-- test expression: adjusted_end_date = adjusted_start_date + days_supply - 1

-- The shift is a running carry (each fill starts at max(its date, previous end + 1)), which has a
-- closed form: with C_i the cumulative supply through fill i and d_j the fill dates as day numbers,
-- end_i = max over j <= i of (d_j - C_{j-1}) + C_i - 1. A running max is a window function, so no
-- recursion is needed at any volume.
WITH fill AS (
  SELECT
    f.claim_id,
    f.claim_line_number,
    f.person_id,
    n.pdc_class,
    n.drug_name,
    year(f.dispensing_date) AS measurement_year,
    f.dispensing_date,
    f.days_supply,
    f.prescribing_provider_npi,
    f.payer,
    f.plan
  FROM staging.pharmacy_claim AS f
  JOIN codes.ndc_drug_class AS n ON n.ndc_code = f.ndc_code
  WHERE n.pdc_class IS NOT NULL
    AND f.days_supply > 0
    AND f.dispensing_date IS NOT NULL
    AND (f.claim_status IS NULL OR f.claim_status IN ('paid', 'partially_paid'))
),

cumulative AS (
  SELECT
    *,
    date_diff('day', DATE '1970-01-01', dispensing_date) AS fill_day,
    sum(days_supply) OVER same_drug AS supply_through
  FROM fill
  WINDOW same_drug AS (
    PARTITION BY person_id, pdc_class, measurement_year, drug_name
    ORDER BY dispensing_date, claim_id, claim_line_number
    ROWS UNBOUNDED PRECEDING
  )
),

carried AS (
  SELECT
    *,
    max(fill_day - (supply_through - days_supply)) OVER same_drug + supply_through - 1 AS end_day
  FROM cumulative
  WINDOW same_drug AS (
    PARTITION BY person_id, pdc_class, measurement_year, drug_name
    ORDER BY dispensing_date, claim_id, claim_line_number
    ROWS UNBOUNDED PRECEDING
  )
)

SELECT
  claim_id,
  claim_line_number,
  person_id,
  pdc_class,
  drug_name,
  measurement_year,
  dispensing_date,
  days_supply,
  CAST(DATE '1970-01-01' + CAST(end_day - days_supply + 1 AS INTEGER) AS DATE) AS adjusted_start_date,
  CAST(DATE '1970-01-01' + CAST(end_day AS INTEGER) AS DATE) AS adjusted_end_date,
  prescribing_provider_npi,
  payer,
  plan
FROM carried
