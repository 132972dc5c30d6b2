-- description: Enrolled members' spend by month, service category and principal diagnosis category: one row per person, payer, plan, month, service category and three-character diagnosis category, with the ICD-10-CM chapter. Aggregates claim lines once so the cost service can describe any cohort (top conditions, service mix) for any period at query time without reading claim lines.
-- grain: person_id, payer, plan, month_start, service_category, diagnosis_category
-- materialized: table
-- column person_id: Person enrolled.
-- column payer: Payer of the claims (and of the enrollment).
-- column plan: Plan of the claims (and of the enrollment).
-- column month_start: First day of the month of service.
-- column service_category: Service category of the lines.
-- column diagnosis_category: First three characters of the principal diagnosis (the ICD-10-CM category, e.g. E11); 'none' for pharmacy fills and claims without a diagnosis.
-- column diagnosis_chapter: ICD-10-CM chapter range of the principal diagnosis (e.g. E00-E89), or 'no diagnosis', 'ICD-9 (not grouped)', 'unrecognized'.
-- column diagnosis_chapter_description: Short title of the chapter.
-- column claim_lines: Spend lines.
-- column paid: Paid amount.
-- column allowed: Allowed amount (lines reporting it).
-- test not_null: person_id, payer, plan, month_start, service_category, diagnosis_category, diagnosis_chapter, paid

SELECT
  person_id,
  payer,
  plan,
  service_month AS month_start,
  service_category,
  coalesce(left(principal_diagnosis_code, 3), 'none') AS diagnosis_category,
  min(diagnosis_chapter) AS diagnosis_chapter,
  min(diagnosis_chapter_description) AS diagnosis_chapter_description,
  count(*) AS claim_lines,
  sum(paid_amount) AS paid,
  sum(coalesce(allowed_amount, 0)) AS allowed
FROM intermediate.cost_claim_line
WHERE enrolled
GROUP BY person_id, payer, plan, service_month, service_category, coalesce(left(principal_diagnosis_code, 3), 'none')
