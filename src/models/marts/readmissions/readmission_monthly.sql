-- description: Monthly trend of the readmission measures by discharge month of the index admission, with the unplanned rate of the same month a year earlier.
-- grain: discharge_month
-- materialized: table
-- column discharge_month: First day of the month the index admissions were discharged in.
-- column index_admissions: Index admissions (marts.readmission_stay.index_eligible).
-- column readmissions_all_cause: Index admissions followed by any readmission within 30 days.
-- column readmissions_unplanned: Index admissions whose first readmission within 30 days is unplanned.
-- column readmission_rate_all_cause: readmissions_all_cause / index_admissions.
-- column readmission_rate_unplanned: readmissions_unplanned / index_admissions.
-- column preventable_readmissions: Unplanned readmissions flagged potentially preventable (proxy).
-- column preventable_share: preventable_readmissions / readmissions_unplanned; null without unplanned readmissions.
-- column unplanned_readmission_paid: Paid amount of the unplanned readmissions.
-- column preventable_readmission_paid: Paid amount of the potentially preventable readmissions.
-- column prior_year_readmission_rate_unplanned: Unplanned rate of the same month one year earlier; null when that month has no index admissions.
-- test not_null: index_admissions, readmissions_all_cause, readmissions_unplanned, preventable_readmissions, unplanned_readmission_paid, preventable_readmission_paid

WITH month AS (
  SELECT
    discharge_month,
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
  GROUP BY discharge_month
)

SELECT m.*, p.readmission_rate_unplanned AS prior_year_readmission_rate_unplanned
FROM month AS m
LEFT JOIN month AS p ON p.discharge_month = m.discharge_month - INTERVAL '1 year'
