-- description: Member months from eligibility: one row per person, payer, plan and calendar month in which the person was enrolled on at least one day (the Tuva Project core.member_months convention), for the months the claims cover (intermediate.claim_service_window; every eligibility month when the book has no claims). Enrollment before the first or after the last month of claims has no spend to count, and counting it would understate PMPM. Overlapping or repeated spans of the same person, payer and plan are merged first, so a month is never counted twice; partial months count as whole member months, with the enrolled days kept for prorating and the first-of-month flag for the alternative convention.
-- grain: person_id, payer, plan, month_start
-- materialized: table
-- column person_id: Person enrolled (eligibility.person_id).
-- column member_id: Payer-issued member identifier (the smallest one when spans of the month carry several).
-- column payer: Payer of the enrollment.
-- column payer_type: Line of business of the payer (commercial, medicare, medicaid, ...).
-- column plan: Plan of the enrollment.
-- column month_start: First day of the calendar month.
-- column enrolled_days: Days of the month covered by the person's merged spans with this payer and plan (1 to days_in_month).
-- column days_in_month: Calendar days of the month.
-- column enrolled_first_of_month: True when the person was enrolled on the first day of the month, for analysts who count member months by the first-of-month convention instead.
-- test not_null: person_id, payer, plan, month_start, enrolled_days

-- Spans are merged as gaps and islands: a span opens a new island unless it starts on or before the
-- day after the latest end seen so far for the same person, payer and plan.
-- Every window and group is one person's: on a large book the model runs in passes over partitions
-- of person_id (claimlens_partition, docs/models.md).
WITH span AS (
  SELECT
    person_id,
    member_id,
    payer,
    payer_type,
    plan,
    enrollment_start_date AS span_start,
    enrollment_end_date AS span_end
  FROM staging.eligibility
  WHERE enrollment_end_date >= enrollment_start_date AND claimlens_partition(person_id)
),

ordered AS (
  SELECT
    *,
    max(span_end) OVER (
      PARTITION BY person_id, payer, plan
      ORDER BY span_start, span_end
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS previous_end
  FROM span
),

island AS (
  SELECT
    *,
    sum(CASE WHEN previous_end IS NULL OR span_start > previous_end + 1 THEN 1 ELSE 0 END) OVER (
      PARTITION BY person_id, payer, plan
      ORDER BY span_start, span_end
      ROWS UNBOUNDED PRECEDING
    ) AS island_number
  FROM ordered
),

merged AS (
  SELECT
    person_id,
    payer,
    plan,
    island_number,
    min(member_id) AS member_id,
    min(payer_type) AS payer_type,
    min(span_start) AS span_start,
    max(span_end) AS span_end
  FROM island
  GROUP BY person_id, payer, plan, island_number
),

-- The part of each merged span inside the months the claims cover (the whole span without claims).
clipped AS (
  SELECT
    m.*,
    greatest(m.span_start, coalesce(w.first_service_month, m.span_start)) AS clip_start,
    least(m.span_end, coalesce(w.last_service_month, m.span_end)) AS clip_end
  FROM merged AS m
  CROSS JOIN intermediate.claim_service_window AS w
),

-- One row per calendar month a clipped span touches: month offsets 0..n from its first month (none
-- for a span wholly outside the claims' months, whose n is negative).
merged_month AS (
  SELECT
    m.person_id,
    m.payer,
    m.plan,
    m.member_id,
    m.payer_type,
    m.span_start,
    m.span_end,
    CAST(CAST(date_trunc('month', m.clip_start) AS DATE) + g.n * INTERVAL '1 month' AS DATE) AS month_start
  FROM clipped AS m
  CROSS JOIN LATERAL generate_series(
    0,
    CAST(
      (extract(year FROM m.clip_end) - extract(year FROM m.clip_start)) * 12
      + extract(month FROM m.clip_end) - extract(month FROM m.clip_start) AS INTEGER
    )
  ) AS g(n)
),

bounded AS (
  SELECT
    *,
    CAST(month_start + INTERVAL '1 month' AS DATE) - 1 AS month_end
  FROM merged_month
)

SELECT
  person_id,
  min(member_id) AS member_id,
  payer,
  min(payer_type) AS payer_type,
  plan,
  month_start,
  CAST(sum(least(span_end, month_end) - greatest(span_start, month_start) + 1) AS INTEGER) AS enrolled_days,
  CAST(max(month_end) - month_start + 1 AS INTEGER) AS days_in_month,
  bool_or(span_start <= month_start) AS enrolled_first_of_month
FROM bounded
GROUP BY person_id, payer, plan, month_start
