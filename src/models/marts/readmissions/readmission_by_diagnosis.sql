-- description: Readmission measures by the principal diagnosis of the index admission, grouped by ICD-10-CM chapter and three-character category with their titles: which diagnoses drive (preventable) readmissions and their spend. All index admissions in the data; services filter by period and payer from marts.readmission_stay.
-- grain: diagnosis_category
-- materialized: table
-- column diagnosis_chapter: ICD-10-CM chapter range of the index principal diagnosis.
-- column diagnosis_chapter_description: Title of the chapter.
-- column diagnosis_category: Three-character ICD-10-CM category (or 'ICD-9', 'unknown').
-- column diagnosis_category_description: Title of the category.
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
  min(diagnosis_chapter) AS diagnosis_chapter,
  min(diagnosis_chapter_description) AS diagnosis_chapter_description,
  diagnosis_category,
  min(diagnosis_category_description) AS diagnosis_category_description,
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
GROUP BY diagnosis_category
