-- description: Readmission measures by payer of the index admission, over all index admissions in the data.
-- grain: payer
-- materialized: table
-- column payer: Payer of the index admission's discharging claim.
-- column payer_type: Line of business (the most frequent among its index admissions).
-- column index_admissions: Index admissions (marts.readmission_stay.index_eligible).
-- column readmissions_all_cause: Index admissions followed by any readmission within 30 days.
-- column readmissions_unplanned: Index admissions whose first readmission within 30 days is unplanned.
-- column readmission_rate_all_cause: readmissions_all_cause / index_admissions.
-- column readmission_rate_unplanned: readmissions_unplanned / index_admissions.
-- column preventable_readmissions: Unplanned readmissions flagged potentially preventable (proxy).
-- column preventable_share: preventable_readmissions / readmissions_unplanned; null without unplanned readmissions.
-- column unplanned_readmission_paid: Paid amount of the unplanned readmissions.
-- column preventable_readmission_paid: Paid amount of the potentially preventable readmissions.
-- test not_null: index_admissions, readmissions_all_cause, readmissions_unplanned, preventable_readmissions, unplanned_readmission_paid, preventable_readmission_paid

SELECT
  payer,
  mode() WITHIN GROUP (ORDER BY payer_type) AS payer_type,
  count(*) AS index_admissions,
  count(*) FILTER (WHERE readmitted_30d) AS readmissions_all_cause,
  count(*) FILTER (WHERE unplanned_readmission_30d) AS readmissions_unplanned,
  count(*) FILTER (WHERE readmitted_30d) / count(*) AS readmission_rate_all_cause,
  count(*) FILTER (WHERE unplanned_readmission_30d) / count(*) AS readmission_rate_unplanned,
  count(*) FILTER (WHERE preventable_readmission) AS preventable_readmissions,
  count(*) FILTER (WHERE preventable_readmission) / nullif(count(*) FILTER (WHERE unplanned_readmission_30d), 0)
    AS preventable_share,
  coalesce(sum(readmission_paid) FILTER (WHERE unplanned_readmission_30d), 0) AS unplanned_readmission_paid,
  coalesce(sum(readmission_paid) FILTER (WHERE preventable_readmission), 0) AS preventable_readmission_paid
FROM marts.readmission_stay
WHERE index_eligible
GROUP BY payer
