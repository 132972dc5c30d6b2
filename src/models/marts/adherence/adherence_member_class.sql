-- description: Proportion of days covered (PDC) per member, PQA drug class and calendar measurement year, following the Pharmacy Quality Alliance PDC specification: the treatment period runs from the index prescription start date (first fill of the class in the year) to the end of the year, or to death or disenrollment when earlier; days covered are the days in it on which any drug of the class is on hand (fills of the same drug shifted behind each other in intermediate.pdc_fill, overlap between different drugs counted once, supply past the period end truncated); adherent when PDC >= 0.80. Every member with a fill of the class appears; measured says whether they are in the PQA denominator and exclusion_reason why not.
-- grain: person_id, pdc_class, measurement_year
-- materialized: table
-- column person_id: Member.
-- column pdc_class: statins, ras_antagonists or diabetes_non_insulin.
-- column measurement_year: Calendar year measured.
-- column index_prescription_start_date: First fill of the class in the year (IPSD).
-- column treatment_end_date: Last day of the treatment period: 31 December, or the death date or the end of the enrollment that covers the IPSD when earlier (the year end when the member has no enrollment covering the IPSD).
-- column treatment_days: Days from IPSD through treatment_end_date, both included.
-- column covered_days: Days of the treatment period with the class on hand, each day once.
-- column gap_days: treatment_days - covered_days: days without medication on hand.
-- column pdc: covered_days / treatment_days.
-- column adherent: True when pdc >= 0.80 (the PQA threshold for these classes); null when not measured.
-- column fills: Fills of the class in the year.
-- column fill_dates: Distinct dispensing dates of those fills.
-- column drugs: Distinct drugs (drug_name) of the class filled.
-- column prescriber_npi: Prescriber of the index prescription (the earliest fill; ties by claim id): the member is attributed to the prescriber who started the year's therapy.
-- column payer: Payer of the index prescription.
-- column plan: Plan of the index prescription (the same fill as payer): what the plan filter keeps.
-- column payer_type: Line of business of that payer for the member (eligibility).
-- column measured: True when the member is in the PQA denominator: at least two fills on different dates, a treatment period of at least 91 days, age 18 or over at the start of the year, and no exclusion.
-- column exclusion_reason: Why not measured: fewer_than_two_fill_dates, treatment_period_under_91_days, under_18, hospice, esrd, insulin (diabetes class only); null when measured.
-- test not_null: person_id, pdc_class, measurement_year, index_prescription_start_date, treatment_end_date, treatment_days, covered_days, gap_days, pdc, fills, fill_dates, drugs, measured
-- test expression: covered_days <= treatment_days AND pdc BETWEEN 0 AND 1
-- test expression: measured = (exclusion_reason IS NULL)
-- test accepted_values: exclusion_reason in (fewer_than_two_fill_dates, treatment_period_under_91_days, under_18, hospice, esrd, insulin)

-- Prescriber and payer of the member's first fill that names one (by date, claim, line).
WITH first_prescriber AS (
  SELECT person_id, pdc_class, measurement_year, prescribing_provider_npi
  FROM (
    SELECT
      person_id,
      pdc_class,
      measurement_year,
      prescribing_provider_npi,
      row_number() OVER (
        PARTITION BY person_id, pdc_class, measurement_year ORDER BY dispensing_date, claim_id, claim_line_number
      ) AS pick
    FROM intermediate.pdc_fill
    WHERE prescribing_provider_npi IS NOT NULL
  ) AS f
  WHERE pick = 1
),

first_payer AS (
  SELECT person_id, pdc_class, measurement_year, payer, plan
  FROM (
    SELECT
      person_id,
      pdc_class,
      measurement_year,
      payer,
      plan,
      row_number() OVER (
        PARTITION BY person_id, pdc_class, measurement_year ORDER BY dispensing_date, claim_id, claim_line_number
      ) AS pick
    FROM intermediate.pdc_fill
    WHERE payer IS NOT NULL
  ) AS f
  WHERE pick = 1
),

member AS (
  SELECT
    f.person_id,
    f.pdc_class,
    f.measurement_year,
    min(f.dispensing_date) AS index_prescription_start_date,
    count(*) AS fills,
    count(DISTINCT f.dispensing_date) AS fill_dates,
    count(DISTINCT f.drug_name) AS drugs,
    min(pr.prescribing_provider_npi) AS prescriber_npi,
    min(pa.payer) AS payer,
    min(pa.plan) AS plan
  FROM intermediate.pdc_fill AS f
  LEFT JOIN first_prescriber AS pr
    ON pr.person_id = f.person_id AND pr.pdc_class = f.pdc_class AND pr.measurement_year = f.measurement_year
  LEFT JOIN first_payer AS pa
    ON pa.person_id = f.person_id AND pa.pdc_class = f.pdc_class AND pa.measurement_year = f.measurement_year
  GROUP BY f.person_id, f.pdc_class, f.measurement_year
),

enrollment_end AS (
  SELECT m.person_id, m.pdc_class, m.measurement_year, max(e.span_end) AS span_end
  FROM member AS m
  JOIN intermediate.readmission_enrollment_span AS e
    ON e.person_id = m.person_id
    AND e.span_start <= m.index_prescription_start_date
    AND e.span_end >= m.index_prescription_start_date
  GROUP BY m.person_id, m.pdc_class, m.measurement_year
),

period AS (
  SELECT
    m.*,
    greatest(
      m.index_prescription_start_date,
      least(
        make_date(m.measurement_year, 12, 31),
        coalesce(p.death_date, make_date(m.measurement_year, 12, 31)),
        coalesce(e.span_end, make_date(m.measurement_year, 12, 31))
      )
    ) AS treatment_end_date,
    p.birth_date
  FROM member AS m
  LEFT JOIN intermediate.readmission_person AS p ON p.person_id = m.person_id
  LEFT JOIN enrollment_end AS e
    ON e.person_id = m.person_id AND e.pdc_class = m.pdc_class AND e.measurement_year = m.measurement_year
),

-- Supply inside the treatment period; intervals of different drugs are merged as gaps and islands
-- so a day covered by two drugs counts once.
interval AS (
  SELECT
    f.person_id,
    f.pdc_class,
    f.measurement_year,
    f.adjusted_start_date AS covered_from,
    least(f.adjusted_end_date, p.treatment_end_date) AS covered_to
  FROM intermediate.pdc_fill AS f
  JOIN period AS p
    ON p.person_id = f.person_id AND p.pdc_class = f.pdc_class AND p.measurement_year = f.measurement_year
  WHERE f.adjusted_start_date <= p.treatment_end_date
),

ordered AS (
  SELECT
    *,
    max(covered_to) OVER (
      PARTITION BY person_id, pdc_class, measurement_year ORDER BY covered_from, covered_to
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS previous_to
  FROM interval
),

island AS (
  SELECT
    *,
    sum(CASE WHEN previous_to IS NULL OR covered_from > previous_to + 1 THEN 1 ELSE 0 END) OVER (
      PARTITION BY person_id, pdc_class, measurement_year ORDER BY covered_from, covered_to ROWS UNBOUNDED PRECEDING
    ) AS island_number
  FROM ordered
),

covered AS (
  SELECT person_id, pdc_class, measurement_year, sum(days) AS covered_days
  FROM (
    SELECT
      person_id,
      pdc_class,
      measurement_year,
      date_diff('day', min(covered_from), max(covered_to)) + 1 AS days
    FROM island
    GROUP BY person_id, pdc_class, measurement_year, island_number
  ) AS island_days
  GROUP BY person_id, pdc_class, measurement_year
),

hospice AS (
  SELECT DISTINCT person_id, year(claim_start_date) AS measurement_year
  FROM staging.medical_claim
  WHERE claim_status <> 'reversed'
    AND (left(bill_type_code, 2) IN ('81', '82') OR place_of_service_code = '34')
),

-- ESRD (N18.6, Z99.2) is a category of the chronic condition set, already unpivoted once.
esrd AS (
  SELECT DISTINCT person_id, year(service_date) AS measurement_year
  FROM intermediate.readmission_condition_date
  WHERE condition = 'end_stage_renal_disease'
),

insulin AS (
  SELECT DISTINCT f.person_id, year(f.dispensing_date) AS measurement_year
  FROM staging.pharmacy_claim AS f
  JOIN codes.ndc_drug_class AS n ON n.ndc_code = f.ndc_code
  WHERE n.drug_class ILIKE '%insulin%' AND (f.claim_status IS NULL OR f.claim_status IN ('paid', 'partially_paid'))
),

payer_type AS (
  SELECT person_id, payer, min(payer_type) AS payer_type
  FROM staging.eligibility
  GROUP BY person_id, payer
),

measured AS (
  SELECT
    p.*,
    date_diff('day', p.index_prescription_start_date, p.treatment_end_date) + 1 AS treatment_days,
    coalesce(c.covered_days, 0) AS covered_days,
    CASE
      WHEN p.fill_dates < 2 THEN 'fewer_than_two_fill_dates'
      WHEN date_diff('day', p.index_prescription_start_date, p.treatment_end_date) + 1 < 91
        THEN 'treatment_period_under_91_days'
      WHEN p.birth_date > make_date(p.measurement_year - 18, 1, 1) THEN 'under_18'
      WHEN h.person_id IS NOT NULL THEN 'hospice'
      WHEN e.person_id IS NOT NULL THEN 'esrd'
      WHEN p.pdc_class = 'diabetes_non_insulin' AND i.person_id IS NOT NULL THEN 'insulin'
    END AS exclusion_reason
  FROM period AS p
  LEFT JOIN covered AS c
    ON c.person_id = p.person_id AND c.pdc_class = p.pdc_class AND c.measurement_year = p.measurement_year
  LEFT JOIN hospice AS h ON h.person_id = p.person_id AND h.measurement_year = p.measurement_year
  LEFT JOIN esrd AS e ON e.person_id = p.person_id AND e.measurement_year = p.measurement_year
  LEFT JOIN insulin AS i ON i.person_id = p.person_id AND i.measurement_year = p.measurement_year
)

SELECT
  m.person_id,
  m.pdc_class,
  m.measurement_year,
  m.index_prescription_start_date,
  m.treatment_end_date,
  m.treatment_days,
  m.covered_days,
  m.treatment_days - m.covered_days AS gap_days,
  m.covered_days / m.treatment_days AS pdc,
  CASE WHEN m.exclusion_reason IS NULL THEN m.covered_days / m.treatment_days >= 0.8 END AS adherent,
  m.fills,
  m.fill_dates,
  m.drugs,
  m.prescriber_npi,
  m.payer,
  m.plan,
  t.payer_type,
  m.exclusion_reason IS NULL AS measured,
  m.exclusion_reason
FROM measured AS m
LEFT JOIN payer_type AS t ON t.person_id = m.person_id AND t.payer = m.payer
