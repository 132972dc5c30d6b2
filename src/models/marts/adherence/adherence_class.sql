-- description: PDC adherence per PQA drug class and measurement year: members measured, mean and median PDC and the share adherent (PDC >= 0.80), from marts.adherence_member_class.
-- grain: pdc_class, measurement_year
-- materialized: table
-- column pdc_class: statins, ras_antagonists or diabetes_non_insulin.
-- column measurement_year: Calendar year.
-- column members_with_fills: Members with at least one fill of the class in the year.
-- column members_measured: Members in the PQA denominator (marts.adherence_member_class.measured).
-- column adherent_members: Measured members with PDC >= 0.80.
-- column adherent_rate: adherent_members / members_measured; null without measured members.
-- column mean_pdc: Mean PDC of the measured members.
-- column median_pdc: Median PDC of the measured members.
-- column mean_gap_days: Mean days without medication on hand in the treatment period, measured members.
-- test not_null: members_with_fills, members_measured, adherent_members

SELECT
  pdc_class,
  measurement_year,
  count(*) AS members_with_fills,
  count(*) FILTER (WHERE measured) AS members_measured,
  count(*) FILTER (WHERE adherent) AS adherent_members,
  count(*) FILTER (WHERE adherent) / nullif(count(*) FILTER (WHERE measured), 0) AS adherent_rate,
  avg(pdc) FILTER (WHERE measured) AS mean_pdc,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY pdc) FILTER (WHERE measured) AS median_pdc,
  avg(gap_days) FILTER (WHERE measured) AS mean_gap_days
FROM marts.adherence_member_class
GROUP BY pdc_class, measurement_year
