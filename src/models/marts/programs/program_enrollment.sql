-- description: Enrollment spans of members, the population the high-cost cohort is a top share of: members enrolled at any time in the baseline window count even when they have no claims (with 0 paid), as Pareto shares of all members require.
-- grain: person_id, payer, plan, enrollment_start_date
-- materialized: view
-- column person_id: Person enrolled.
-- column payer: Payer of the span.
-- column plan: Plan of the span.
-- column enrollment_start_date: First day of the span.
-- column enrollment_end_date: Last day of the span (inclusive).
-- test not_null: person_id, payer, enrollment_start_date, enrollment_end_date

SELECT person_id, payer, plan, enrollment_start_date, enrollment_end_date
FROM staging.eligibility
