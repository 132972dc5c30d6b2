-- description: Continuous enrollment of each person with any payer: overlapping or adjacent eligibility spans merged into islands. Readmission follow-up (30 days after discharge) and the PDC treatment period (until disenrollment) are measured against these.
-- grain: person_id, span_start
-- materialized: table
-- column person_id: Person enrolled.
-- column span_start: First day of the continuous enrollment.
-- column span_end: Last day of the continuous enrollment (inclusive).
-- test not_null: person_id, span_start, span_end
-- test expression: span_end >= span_start

-- Any payer counts: a member who moves from one plan to another on the next day stays followed.
WITH span AS (
  -- DISTINCT: spans with equal dates (one per payer or plan, e.g. Medicare Parts A and B over the
  -- same year) are one span of coverage; left as ties, the two windows below could order them
  -- differently and split one island into two with the same start.
  SELECT DISTINCT person_id, enrollment_start_date AS span_start, enrollment_end_date AS span_end
  FROM staging.eligibility
  WHERE enrollment_end_date >= enrollment_start_date
),

ordered AS (
  SELECT
    *,
    max(span_end) OVER (
      PARTITION BY person_id ORDER BY span_start, span_end
      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS previous_end
  FROM span
),

island AS (
  SELECT
    *,
    sum(CASE WHEN previous_end IS NULL OR span_start > previous_end + 1 THEN 1 ELSE 0 END) OVER (
      PARTITION BY person_id ORDER BY span_start, span_end ROWS UNBOUNDED PRECEDING
    ) AS island_number
  FROM ordered
)

SELECT person_id, min(span_start) AS span_start, max(span_end) AS span_end
FROM island
GROUP BY person_id, island_number
