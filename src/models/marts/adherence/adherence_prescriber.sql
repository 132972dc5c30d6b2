-- description: PDC adherence per prescriber of the members' index prescriptions (the prescriber who started the year's therapy), PQA drug class and measurement year, with the prescriber's name and specialty from staging.provider.
-- grain: prescriber_npi, pdc_class, measurement_year
-- materialized: table
-- column prescriber_npi: Prescriber NPI of the index prescriptions ('unknown' when the fill has none).
-- column prescriber_name: Prescriber name; null when the NPI is not in provider.
-- column specialty: Prescriber specialty.
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
  coalesce(m.prescriber_npi, 'unknown') AS prescriber_npi,
  min(p.provider_name) AS prescriber_name,
  min(p.specialty) AS specialty,
  m.pdc_class,
  m.measurement_year,
  count(*) AS members_with_fills,
  count(*) FILTER (WHERE measured) AS members_measured,
  count(*) FILTER (WHERE adherent) AS adherent_members,
  count(*) FILTER (WHERE adherent) / nullif(count(*) FILTER (WHERE measured), 0) AS adherent_rate,
  avg(pdc) FILTER (WHERE measured) AS mean_pdc,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY pdc) FILTER (WHERE measured) AS median_pdc,
  avg(gap_days) FILTER (WHERE measured) AS mean_gap_days
FROM marts.adherence_member_class AS m
LEFT JOIN staging.provider AS p ON p.npi = m.prescriber_npi
GROUP BY coalesce(m.prescriber_npi, 'unknown'), m.pdc_class, m.measurement_year
