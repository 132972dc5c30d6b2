-- description: High-cost cohorts by calendar year, all payers: one row per person and year with member months, paid and allowed spend, spend rank and cost tier (top 1%, 1-5%, 5-20%, rest), and whether the person was also in the top 5% the year before (persistence). The care-management target list; custom periods and single payers are computed by the cost service with the same rules.
-- grain: person_id, year
-- materialized: table
-- column person_id: Person enrolled in the year.
-- column year: Calendar year.
-- column member_months: Months of the year with enrollment with any payer.
-- column paid: Paid spend of the year (enrolled months, all payers).
-- column allowed: Allowed spend of the year.
-- column spend_rank: Rank by paid, 1 = highest; ties broken by person_id so ranks are stable.
-- column members_in_year: Persons enrolled in the year, zero-spend members included: the denominator of the tiers.
-- column share_of_year_paid: paid / total paid of the year.
-- column cost_tier: top_1pct (rank <= ceil(1% of members)), top_1_5pct (<= ceil(5%)), top_5_20pct (<= ceil(20%)) or rest; members without positive spend are always rest.
-- column top5: True for the top 5% (top_1pct or top_1_5pct).
-- column top5_prior_year: Whether the person was in the top 5% the year before; null when not enrolled that year.
-- test not_null: person_id, year, member_months, paid, spend_rank, cost_tier, top5
-- test accepted_values: cost_tier in (top_1pct, top_1_5pct, top_5_20pct, rest)

WITH member AS (
  SELECT
    person_id,
    CAST(extract(year FROM month_start) AS INTEGER) AS year,
    count(DISTINCT month_start) AS member_months,
    sum(paid) AS paid,
    sum(allowed) AS allowed
  FROM marts.cost_member_month
  GROUP BY person_id, CAST(extract(year FROM month_start) AS INTEGER)
),

ranked AS (
  SELECT
    *,
    row_number() OVER (PARTITION BY year ORDER BY paid DESC, person_id) AS spend_rank,
    count(*) OVER (PARTITION BY year) AS members_in_year,
    sum(paid) OVER (PARTITION BY year) AS year_paid
  FROM member
),

-- Tier cut-offs are whole members: ceil(p% of members), as integer arithmetic so 5% of 20 is exactly 1.
tiered AS (
  SELECT
    *,
    CASE
      WHEN paid <= 0 THEN 'rest'
      WHEN spend_rank <= floor((members_in_year * 1 + 99) / 100) THEN 'top_1pct'
      WHEN spend_rank <= floor((members_in_year * 5 + 99) / 100) THEN 'top_1_5pct'
      WHEN spend_rank <= floor((members_in_year * 20 + 99) / 100) THEN 'top_5_20pct'
      ELSE 'rest'
    END AS cost_tier
  FROM ranked
)

SELECT
  t.person_id,
  t.year,
  t.member_months,
  t.paid,
  t.allowed,
  t.spend_rank,
  t.members_in_year,
  CASE WHEN t.year_paid <> 0 THEN t.paid / t.year_paid END AS share_of_year_paid,
  t.cost_tier,
  t.cost_tier IN ('top_1pct', 'top_1_5pct') AS top5,
  p.cost_tier IN ('top_1pct', 'top_1_5pct') AS top5_prior_year
FROM tiered AS t
LEFT JOIN tiered AS p
  ON p.person_id = t.person_id
  AND p.year = t.year - 1
