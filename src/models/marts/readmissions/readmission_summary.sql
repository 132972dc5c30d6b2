-- description: The headline readmission numbers over all index admissions in the data (one row): index admissions, 30-day readmissions all-cause and unplanned with their rates, potentially preventable readmissions (proxy) with their share of unplanned ones and their spend. Services compute the same for any period and payer from marts.readmission_stay.
-- grain: (one row)
-- materialized: table
-- column index_admissions: Index admissions (marts.readmission_stay.index_eligible).
-- column readmissions_all_cause: Index admissions followed by any readmission within 30 days.
-- column readmissions_unplanned: Index admissions whose first readmission within 30 days is unplanned.
-- column planned_readmissions: Index admissions whose first readmission is planned.
-- column readmission_rate_all_cause: readmissions_all_cause / index_admissions; null without index admissions.
-- column readmission_rate_unplanned: readmissions_unplanned / index_admissions.
-- column preventable_readmissions: Unplanned readmissions flagged potentially preventable (proxy).
-- column preventable_share: preventable_readmissions / readmissions_unplanned; null without unplanned readmissions.
-- column unplanned_readmission_paid: Paid amount of the unplanned readmissions.
-- column preventable_readmission_paid: Paid amount of the potentially preventable readmissions.
-- column index_paid: Paid amount of the index admissions.
-- column first_discharge_date: Earliest index discharge date.
-- column last_discharge_date: Latest index discharge date.
-- column data_through: Last service date in the medical claims.
-- test not_null: index_admissions, readmissions_all_cause, readmissions_unplanned, preventable_readmissions
-- test expression: readmissions_unplanned <= readmissions_all_cause AND preventable_readmissions <= readmissions_unplanned

SELECT
  count(*) AS index_admissions,
  count(*) FILTER (WHERE readmitted_30d) AS readmissions_all_cause,
  count(*) FILTER (WHERE unplanned_readmission_30d) AS readmissions_unplanned,
  count(*) FILTER (WHERE readmission_planned) AS planned_readmissions,
  count(*) FILTER (WHERE readmitted_30d) / nullif(count(*), 0) AS readmission_rate_all_cause,
  count(*) FILTER (WHERE unplanned_readmission_30d) / nullif(count(*), 0) AS readmission_rate_unplanned,
  count(*) FILTER (WHERE preventable_readmission) AS preventable_readmissions,
  count(*) FILTER (WHERE preventable_readmission) / nullif(count(*) FILTER (WHERE unplanned_readmission_30d), 0)
    AS preventable_share,
  coalesce(sum(readmission_paid) FILTER (WHERE unplanned_readmission_30d), 0) AS unplanned_readmission_paid,
  coalesce(sum(readmission_paid) FILTER (WHERE preventable_readmission), 0) AS preventable_readmission_paid,
  coalesce(sum(paid_amount), 0) AS index_paid,
  min(discharge_date) AS first_discharge_date,
  max(discharge_date) AS last_discharge_date,
  (SELECT max(data_through) FROM marts.readmission_stay) AS data_through
FROM marts.readmission_stay
WHERE index_eligible
