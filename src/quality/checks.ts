// The declarative list of data-quality checks run against the input layer: one source for the
// runner, the `claimlens quality` report, the quality marts and docs/quality.md.
import type { InputTableName } from '../input/contract.ts';
import { codes, codesetRule, type QualityCheck, rowRule, T } from './check.ts';
import { npiValidSql } from './npi.ts';

/** Institutional claim of an acute inpatient stay: NUBC type of bill 11x (hospital inpatient). */
export function inpatientBillTypeSql(alias: string): string {
  return `(${alias}.claim_type = 'institutional' AND right(${alias}.bill_type_code, 3) LIKE '11%')`;
}

/** Claims coded in ICD-10-CM; a missing code type is taken as ICD-10-CM (the norm since October 2015). */
const ICD10_SCOPE = `coalesce(r.diagnosis_code_type, 'icd-10-cm') = 'icd-10-cm'`;

/** ICD-10-CM codes compare without their dot, upper case (the code files list them that way). */
const icd = (e: string) => `upper(replace(trim(${e}), '.', ''))`;

const ENROLLED = `r.person_id IN (SELECT person_id FROM ${T.eligibility})`;

/** One query per diagnosis column (diagnosis_code_1..25), combined with UNION (distinct rows). */
const diagnosisColumns = (query: (column: string) => string) =>
  Array.from({ length: 25 }, (_, i) => query(`diagnosis_code_${i + 1}`)).join('\n  UNION\n  ');

const NPI_CHECKS: { id: string; table: InputTableName; column: string; what: string }[] = [
  { id: 'invalid_rendering_npi', table: 'medical_claim', column: 'rendering_npi', what: 'Rendering NPI' },
  { id: 'invalid_billing_npi', table: 'medical_claim', column: 'billing_npi', what: 'Billing NPI' },
  { id: 'invalid_facility_npi', table: 'medical_claim', column: 'facility_npi', what: 'Facility NPI' },
  {
    id: 'invalid_prescriber_npi',
    table: 'pharmacy_claim',
    column: 'prescribing_provider_npi',
    what: 'Prescriber NPI',
  },
  {
    id: 'invalid_pharmacy_npi',
    table: 'pharmacy_claim',
    column: 'dispensing_provider_npi',
    what: 'Dispensing pharmacy NPI',
  },
  { id: 'invalid_provider_npi', table: 'provider', column: 'npi', what: 'Provider NPI' },
  {
    id: 'invalid_encounter_facility_npi',
    table: 'encounter',
    column: 'facility_npi',
    what: 'Encounter facility NPI',
  },
  { id: 'invalid_attending_npi', table: 'encounter', column: 'attending_npi', what: 'Attending NPI' },
];

const NPI_SOURCE =
  'CMS, Requirements for NPI Check Digit (NPI final rule 69 FR 3434; ISO/IEC 7812 Luhn, prefix 80840)';

function npiChecks(): QualityCheck[] {
  return NPI_CHECKS.map(({ id, table, column, what }) => ({
    id,
    table,
    severity: 'error',
    category: 'structural',
    description: `${what} (${table}.${column}) fails the NPI check digit (Luhn over 80840 + first 9 digits).`,
    action: `Correct the NPI at the source (look it up in NPPES); a failed check digit is a keying error, so ${column} does not identify any provider.`,
    source: NPI_SOURCE,
    ...rowRule(table, `NOT ${npiValidSql(`r.${column}`)}`, `r.${column} IS NOT NULL`),
  }));
}

const medicalClaimChecks: QualityCheck[] = [
  {
    id: 'claim_end_before_start',
    table: 'medical_claim',
    severity: 'error',
    category: 'logical',
    description: 'Claim end date (statement through) is before the claim start date (statement from).',
    action: 'Fix the statement period at the source; the dates are probably swapped or mistyped.',
    source: 'NUBC UB-04 FL6 statement covers period (from ≤ through); CMS-1500 item 24A dates of service',
    ...rowRule('medical_claim', 'r.claim_end_date < r.claim_start_date'),
  },
  {
    id: 'discharge_before_admission',
    table: 'medical_claim',
    severity: 'error',
    category: 'logical',
    description: 'Discharge date is before the admission date.',
    action: 'Fix the admission or discharge date; length of stay and readmission windows depend on both.',
    source: 'NUBC UB-04 FL12 admission date and FL6 through date of the discharge',
    ...rowRule(
      'medical_claim',
      'r.discharge_date < r.admission_date',
      'r.admission_date IS NOT NULL AND r.discharge_date IS NOT NULL',
    ),
  },
  {
    id: 'line_dates_outside_claim',
    table: 'medical_claim',
    severity: 'warning',
    category: 'logical',
    description:
      "Line service dates fall outside the claim's start and end dates, or the line ends before it starts.",
    action: 'Check the line dates against the claim header; lines must lie within the statement period.',
    source: 'NUBC UB-04 FL45 service date within FL6 statement period; CMS-1500 item 24A',
    ...rowRule(
      'medical_claim',
      `r.claim_line_start_date < r.claim_start_date OR r.claim_line_end_date > r.claim_end_date
        OR r.claim_line_end_date < r.claim_line_start_date`,
      'r.claim_line_start_date IS NOT NULL OR r.claim_line_end_date IS NOT NULL',
    ),
  },
  {
    id: 'paid_exceeds_allowed',
    table: 'medical_claim',
    needs: ['allowed_amounts'],
    severity: 'error',
    category: 'logical',
    description: 'Paid amount is greater than the allowed amount.',
    action:
      'The allowed amount is payer payment plus member cost sharing, so payment cannot exceed it: check which amount is mapped to which column.',
    source: 'Tuva Project input layer: allowed_amount = paid_amount + member cost sharing',
    ...rowRule('medical_claim', 'r.paid_amount > r.allowed_amount', 'r.allowed_amount IS NOT NULL'),
  },
  {
    id: 'allowed_exceeds_charge',
    table: 'medical_claim',
    needs: ['charge_amounts', 'allowed_amounts'],
    severity: 'warning',
    category: 'logical',
    description: 'Allowed amount is greater than the billed charge.',
    action:
      'Most contracts pay the lesser of charge and fee schedule; check the amount mapping or the contract terms.',
    source: 'Lesser-of-charge-or-fee-schedule payment rule (e.g. 42 CFR 414.21 for the Medicare PFS)',
    ...rowRule('medical_claim', 'r.allowed_amount > r.charge_amount', 'r.allowed_amount IS NOT NULL'),
  },
  {
    id: 'negative_paid_on_paid_line',
    table: 'medical_claim',
    severity: 'error',
    category: 'logical',
    description: 'A line with status paid or partially_paid has a negative paid amount.',
    action:
      'Negative payments are reversals or recoupments: give such lines status reversed, or fix the sign.',
    source: 'claimlens contract: claim_status and paid_amount (medical_claim)',
    ...rowRule('medical_claim', 'r.paid_amount < 0', `r.claim_status IN ('paid', 'partially_paid')`),
  },
  {
    id: 'denied_line_paid',
    table: 'medical_claim',
    severity: 'error',
    category: 'logical',
    description: 'A denied line has a paid amount above zero.',
    action:
      'Either the status or the amount is wrong; denial rates and revenue at risk count these lines twice.',
    source: 'claimlens contract: paid_amount is 0 when the line is denied',
    ...rowRule('medical_claim', 'r.paid_amount > 0', `r.claim_status = 'denied'`),
  },
  {
    id: 'paid_before_service',
    table: 'medical_claim',
    needs: ['paid_dates'],
    severity: 'error',
    category: 'logical',
    description: 'Paid date is before the claim start date.',
    action: 'A payer cannot pay for a service before it happened: check the paid date mapping.',
    source: 'Adjudication follows service (X12 835 remittance dates vs 837 service dates)',
    ...rowRule('medical_claim', 'r.paid_date < r.claim_start_date', 'r.paid_date IS NOT NULL'),
  },
  {
    id: 'submitted_before_service',
    table: 'medical_claim',
    needs: ['submission_dates'],
    severity: 'error',
    category: 'logical',
    description:
      'Submission date is before the claim end date (the claim was billed before its last service).',
    action: 'Check the submission date mapping; timely-filing measures use it.',
    source:
      'Claims are billed for services furnished (42 CFR 424.44 timely filing counts from the date of service)',
    ...rowRule('medical_claim', 'r.submission_date < r.claim_end_date', 'r.submission_date IS NOT NULL'),
  },
  {
    id: 'paid_before_submission',
    table: 'medical_claim',
    needs: ['paid_dates', 'submission_dates'],
    severity: 'error',
    category: 'logical',
    description: 'Paid date is before the submission date.',
    action: 'A claim is paid after it is submitted: check both date mappings; days to pay depends on them.',
    source: 'Claim lifecycle: 837 submission precedes 835 payment',
    ...rowRule(
      'medical_claim',
      'r.paid_date < r.submission_date',
      'r.paid_date IS NOT NULL AND r.submission_date IS NOT NULL',
    ),
  },
  {
    id: 'paid_line_without_paid_date',
    table: 'medical_claim',
    needs: ['paid_dates'],
    severity: 'warning',
    category: 'structural',
    description: 'A paid or partially paid line has no paid date.',
    action: 'Map the paid (remittance) date; ledger reconciliation and days to pay leave these lines out.',
    source: 'claimlens contract: paid_date (medical_claim)',
    ...rowRule('medical_claim', 'r.paid_date IS NULL', `r.claim_status IN ('paid', 'partially_paid')`),
  },
  {
    id: 'institutional_without_bill_type',
    table: 'medical_claim',
    severity: 'warning',
    category: 'structural',
    description: 'Institutional claim line without a type of bill.',
    action: 'Map UB-04 FL4 (837I CLM05); inpatient and outpatient settings cannot be told apart without it.',
    source: 'NUBC UB-04 FL4 type of bill (required)',
    ...rowRule('medical_claim', 'r.bill_type_code IS NULL', `r.claim_type = 'institutional'`),
  },
  {
    id: 'professional_without_place_of_service',
    table: 'medical_claim',
    severity: 'warning',
    category: 'structural',
    description: 'Professional claim line without a place of service.',
    action: 'Map CMS-1500 item 24B (837P SV105 or CLM05-1); the service setting is unknown without it.',
    source: 'CMS-1500 item 24B place of service (required)',
    ...rowRule('medical_claim', 'r.place_of_service_code IS NULL', `r.claim_type = 'professional'`),
  },
  {
    id: 'inpatient_without_admission_date',
    table: 'medical_claim',
    severity: 'warning',
    category: 'structural',
    description: 'Inpatient claim line (type of bill 11x) without an admission date.',
    action: 'Map UB-04 FL12; stays, readmissions and the EHR match use the admission date.',
    source: 'NUBC UB-04 FL12 admission date (required on inpatient claims)',
    ...rowRule('medical_claim', 'r.admission_date IS NULL', inpatientBillTypeSql('r')),
  },
  {
    id: 'header_inconsistent_across_lines',
    table: 'medical_claim',
    severity: 'error',
    category: 'logical',
    description: 'Lines of one claim disagree on header fields (person_id, payer or claim_type).',
    action:
      'Header fields repeat on every line; lines of different claims may share a claim_id: fix the claim ids.',
    source: 'Tuva Project input layer: header fields repeat on every line of a claim',
    ...rowRule(
      'medical_claim',
      // Claims with more than one distinct header (the three are required, never NULL): one
      // grouping by the header, then a count per claim, instead of three distinct-value sets per claim.
      `r.claim_id IN (
        SELECT claim_id
        FROM (SELECT DISTINCT claim_id, person_id, payer, claim_type FROM ${T.medical_claim}) AS h
        GROUP BY claim_id HAVING count(*) > 1)`,
    ),
  },
  {
    id: 'duplicate_claim_line',
    table: 'medical_claim',
    severity: 'warning',
    category: 'logical',
    description:
      'Lines repeated across different claims: same person, service date, HCPCS code, charge and billing NPI (likely duplicate submissions).',
    action:
      'Check whether the claims are resubmissions; if so keep one (mark the other reversed) so cost is not counted twice.',
    source: 'Exact-duplicate edit (CARC 18: exact duplicate claim/service)',
    failing: `WITH line AS NOT MATERIALIZED (
  SELECT r._source_file, r._source_line, r.claim_id, r.person_id,
         coalesce(r.claim_line_start_date, r.claim_start_date) AS service_date,
         r.hcpcs_code, r.charge_amount, r.billing_npi
  FROM ${T.medical_claim} AS r
  WHERE r.claim_status <> 'reversed' AND r.hcpcs_code IS NOT NULL
), dup AS (
  SELECT person_id, service_date, hcpcs_code, charge_amount, billing_npi
  FROM line
  GROUP BY person_id, service_date, hcpcs_code, charge_amount, billing_npi
  HAVING count(DISTINCT claim_id) > 1
)
SELECT line._source_file, line._source_line
FROM line JOIN dup
  ON line.person_id = dup.person_id AND line.service_date = dup.service_date
 AND line.hcpcs_code = dup.hcpcs_code AND line.charge_amount = dup.charge_amount
 AND line.billing_npi IS NOT DISTINCT FROM dup.billing_npi`,
    checked: `SELECT count(*) FROM ${T.medical_claim} AS r WHERE r.claim_status <> 'reversed' AND r.hcpcs_code IS NOT NULL`,
  },
  {
    id: 'claim_person_not_enrolled',
    table: 'medical_claim',
    severity: 'error',
    category: 'referential',
    description: 'Claim person_id has no eligibility row at all.',
    action:
      'Load the eligibility of this person, or fix the person_id crosswalk; PMPM and cohorts leave these claims out.',
    source: 'claimlens contract: medical_claim.person_id references eligibility.person_id',
    ...rowRule('medical_claim', `NOT (${ENROLLED})`),
  },
  {
    id: 'service_outside_eligibility',
    table: 'medical_claim',
    severity: 'warning',
    category: 'referential',
    description: 'Claim start date falls outside every enrollment span of the person with the claim payer.',
    action: 'Check retroactive enrollment changes and the payer names; claims outside coverage distort PMPM.',
    source: 'Tuva Project claims-eligibility consistency (member months vs claims)',
    ...rowRule(
      'medical_claim',
      `NOT EXISTS (
        SELECT 1 FROM ${T.eligibility} AS e
        WHERE e.person_id = r.person_id AND e.payer = r.payer
          AND r.claim_start_date BETWEEN e.enrollment_start_date AND e.enrollment_end_date)`,
      ENROLLED,
    ),
  },
  {
    id: 'birth_after_service',
    table: 'medical_claim',
    severity: 'error',
    category: 'logical',
    description: "Claim start date is before the person's birth date (the earliest one recorded).",
    action:
      'Fix the birth date in eligibility or the person_id of the claim (newborn claims under the mother?).',
    source: 'Logical: services follow birth',
    // No eligibility row of the person has a birth date on or before the service: the earliest
    // birth date is after it, or none is given. The join to the person's earliest birth date keeps
    // the check to enrolled persons, as the scope says.
    failing: `SELECT r._source_file, r._source_line
FROM ${T.medical_claim} AS r
JOIN (SELECT person_id, min(birth_date) AS birth_date FROM ${T.eligibility} GROUP BY person_id) AS e
  ON e.person_id = r.person_id
WHERE NOT coalesce(e.birth_date <= r.claim_start_date, false)`,
    checked: `SELECT count(*) FROM ${T.medical_claim} AS r WHERE ${ENROLLED}`,
  },
  {
    id: 'service_after_death',
    table: 'medical_claim',
    severity: 'error',
    category: 'logical',
    description: "Claim start date is after the person's death date (the latest one recorded).",
    action: 'Check the death date and the person_id; services after death are also a payment-integrity flag.',
    source: 'CMS payment integrity: services billed after the date of death (OIG reviews)',
    ...rowRule(
      'medical_claim',
      `NOT EXISTS (SELECT 1 FROM ${T.eligibility} AS e WHERE e.person_id = r.person_id AND e.death_date >= r.claim_start_date)`,
      `EXISTS (SELECT 1 FROM ${T.eligibility} AS e WHERE e.person_id = r.person_id AND e.death_date IS NOT NULL)`,
    ),
  },
  {
    id: 'claim_payer_unknown',
    table: 'medical_claim',
    severity: 'error',
    category: 'referential',
    description: 'Claim payer is not in the payer table.',
    action: 'Add the payer to payer.csv or map the payer name to the one used there.',
    source: 'claimlens contract: medical_claim.payer references payer.payer',
    references: ['payer'],
    ...rowRule('medical_claim', `NOT EXISTS (SELECT 1 FROM ${T.payer} AS p WHERE p.payer = r.payer)`),
  },
  {
    id: 'rendering_npi_unknown',
    table: 'medical_claim',
    severity: 'warning',
    category: 'referential',
    description: 'Rendering NPI is not in the provider table.',
    action: 'Add the provider (NPPES extract) so provider segments and specialties cover these lines.',
    source: 'claimlens contract: medical_claim.rendering_npi references provider.npi',
    references: ['provider'],
    ...rowRule(
      'medical_claim',
      `NOT EXISTS (SELECT 1 FROM ${T.provider} AS p WHERE p.npi = r.rendering_npi)`,
      'r.rendering_npi IS NOT NULL',
    ),
  },
  {
    id: 'adjustments_unbalanced',
    table: 'medical_claim',
    severity: 'warning',
    category: 'reconciliation',
    description:
      'Charge minus paid amount does not equal the sum of the line adjustments (835 service-line balancing).',
    action:
      'Some remittance adjustments are missing or mis-assigned to lines; denial and write-off dollars are off.',
    source: 'ASC X12 835 (005010X221A1) service line balancing: SVC02 − Σ CAS amounts = SVC03',
    references: ['claim_adjustment'],
    // The adjudicated lines with line-level adjustments, summed once for both counts (10M lines:
    // 2.2 s against 3.8-4.0 s aggregating the adjustments for each).
    shared: `line_adj AS (
  SELECT r._source_file, r._source_line, r.charge_amount - r.paid_amount <> adj.adjusted AS unbalanced
  FROM ${T.medical_claim} AS r
  JOIN (
    SELECT claim_id, claim_line_number, sum(adjustment_amount) AS adjusted
    FROM ${T.claim_adjustment} WHERE claim_line_number > 0
    GROUP BY claim_id, claim_line_number
  ) AS adj ON adj.claim_id = r.claim_id AND adj.claim_line_number = r.claim_line_number
  WHERE r.claim_status IN ('paid', 'partially_paid', 'denied')
)`,
    failing: 'SELECT _source_file, _source_line FROM line_adj WHERE unbalanced',
    checked: 'SELECT count(*) FROM line_adj',
  },
];

const medicalCodesetChecks: QualityCheck[] = [
  {
    id: 'unknown_icd10cm',
    table: 'medical_claim',
    needs: ['icd10_diagnoses'],
    severity: 'warning',
    category: 'codeset',
    description: 'A diagnosis code (any of diagnosis_code_1..25) is not an ICD-10-CM code.',
    action:
      'Check the code version (ICD-9 codes need diagnosis_code_type icd-9-cm) and typos; grouping drops unknown codes.',
    source: 'CDC/CMS ICD-10-CM code files (order file)',
    codesets: ['icd10cm'],
    // The code set is compared with the distinct codes of each diagnosis column (a few thousand)
    // instead of every diagnosis of every line, and only lines holding an unknown code are looked up
    // (on a clean book none: the joins then have nothing to probe). One scan per column: a LATERAL
    // VALUES list of 25 columns became a join on all 25.
    failing: `WITH unknown AS (
  SELECT u.code FROM (${diagnosisColumns((c) => `SELECT ${icd(`r.${c}`)} AS code FROM ${T.medical_claim} AS r WHERE r.${c} IS NOT NULL AND ${ICD10_SCOPE}`)}) AS u
  WHERE NOT EXISTS (SELECT 1 FROM ${codes('icd10cm')} AS c WHERE ${icd('c.code')} = u.code)
), bad AS (
  ${diagnosisColumns((c) => `SELECT r.claim_id, r.claim_line_number FROM ${T.medical_claim} AS r JOIN unknown AS u ON u.code = ${icd(`r.${c}`)} WHERE ${ICD10_SCOPE}`)}
)
SELECT r._source_file, r._source_line
FROM ${T.medical_claim} AS r
JOIN bad ON bad.claim_id = r.claim_id AND bad.claim_line_number = r.claim_line_number`,
    checked: `SELECT count(*) FROM ${T.medical_claim} AS r WHERE r.diagnosis_code_1 IS NOT NULL AND ${ICD10_SCOPE}`,
  },
  {
    id: 'nonbillable_principal_diagnosis',
    table: 'medical_claim',
    needs: ['icd10_diagnoses'],
    severity: 'warning',
    category: 'codeset',
    description: 'Principal diagnosis is an ICD-10-CM header (non-billable) code, not a complete code.',
    action: 'Code to the highest specificity; payers reject header codes and risk models lose detail.',
    source: 'CMS ICD-10-CM order file: header codes (flag 0) are not valid for HIPAA-covered transactions',
    codesets: ['icd10cm'],
    ...rowRule(
      'medical_claim',
      `EXISTS (SELECT 1 FROM ${codes('icd10cm')} AS c
               WHERE ${icd('c.code')} = ${icd('r.diagnosis_code_1')}
                 AND lower(CAST(c.billable AS VARCHAR)) IN ('false', '0', 'f', 'n', 'no'))`,
      `r.diagnosis_code_1 IS NOT NULL AND ${ICD10_SCOPE}`,
    ),
  },
  {
    id: 'unknown_place_of_service',
    table: 'medical_claim',
    severity: 'warning',
    category: 'codeset',
    description: 'Place of service code is not in the CMS place of service code set.',
    action: 'Map the source setting codes to CMS place of service codes.',
    source: 'CMS Place of Service Code Set',
    ...codesetRule('medical_claim', 'place_of_service_code', 'place_of_service'),
  },
  {
    id: 'unknown_bill_type',
    table: 'medical_claim',
    severity: 'warning',
    category: 'codeset',
    description: 'Type of bill is not a NUBC type of bill (compared on its last 3 digits).',
    action: 'Check the type of bill mapping (facility type, classification, frequency).',
    source: 'NUBC UB-04 FL4 type of bill codes',
    ...codesetRule('medical_claim', 'bill_type_code', 'bill_type', {
      normalize: (e) => `right(trim(${e}), 3)`,
    }),
  },
  {
    id: 'unknown_revenue_center',
    table: 'medical_claim',
    severity: 'warning',
    category: 'codeset',
    description: 'Revenue code is not a NUBC revenue code.',
    action: 'Check the revenue code mapping (4 digits with the leading zero).',
    source: 'NUBC UB-04 FL42 revenue codes',
    ...codesetRule('medical_claim', 'revenue_center_code', 'revenue_center'),
  },
  {
    id: 'unknown_ms_drg',
    table: 'medical_claim',
    severity: 'warning',
    category: 'codeset',
    description: 'DRG code of an MS-DRG claim is not an MS-DRG.',
    action: 'Check drg_code_type (APR-DRGs are not checked) and the grouper version.',
    source: 'CMS MS-DRG definitions',
    ...codesetRule('medical_claim', 'drg_code', 'ms_drg', {
      scope: `coalesce(r.drg_code_type, 'ms-drg') = 'ms-drg'`,
    }),
  },
  {
    id: 'unknown_discharge_disposition',
    table: 'medical_claim',
    severity: 'warning',
    category: 'codeset',
    description: 'Discharge disposition is not a NUBC patient discharge status code.',
    action: 'Map the source discharge codes to UB-04 FL17 patient discharge status.',
    source: 'NUBC UB-04 FL17 patient discharge status',
    ...codesetRule('medical_claim', 'discharge_disposition_code', 'discharge_disposition'),
  },
  {
    id: 'unknown_hcpcs_level2',
    table: 'medical_claim',
    severity: 'warning',
    category: 'codeset',
    description: 'HCPCS Level II code (a letter and 4 digits) is not in the HCPCS Level II code set.',
    action:
      'Check for retired or mistyped codes. CPT (5-digit) codes are not checked: the CPT list is licensed by the AMA.',
    source: 'CMS HCPCS Level II quarterly code file',
    ...codesetRule('medical_claim', 'hcpcs_code', 'hcpcs_level2', {
      scope: `upper(r.hcpcs_code) SIMILAR TO '[A-Z][0-9]{4}'`,
    }),
  },
];

const pharmacyChecks: QualityCheck[] = [
  {
    id: 'days_supply_over_90',
    table: 'pharmacy_claim',
    severity: 'warning',
    category: 'logical',
    description: 'Days supply is above 90.',
    action:
      'Check the days supply (quantity keyed as days?); adherence (PDC) spreads fills over days supply.',
    source:
      'Benefit-design convention: extended (retail and mail-order) supplies are usually capped at 90 days; not a standard limit',
    ...rowRule('pharmacy_claim', 'r.days_supply > 90'),
  },
  {
    id: 'dispensing_after_death',
    table: 'pharmacy_claim',
    severity: 'error',
    category: 'logical',
    description: "Dispensing date is after the person's death date (the latest one recorded).",
    action: 'Check the death date and person_id; fills after death are a payment-integrity flag.',
    source: 'CMS payment integrity: Part D prescription drug events after the date of death (OIG reviews)',
    ...rowRule(
      'pharmacy_claim',
      `NOT EXISTS (SELECT 1 FROM ${T.eligibility} AS e WHERE e.person_id = r.person_id AND e.death_date >= r.dispensing_date)`,
      `EXISTS (SELECT 1 FROM ${T.eligibility} AS e WHERE e.person_id = r.person_id AND e.death_date IS NOT NULL)`,
    ),
  },
  {
    id: 'pharmacy_paid_before_dispensing',
    table: 'pharmacy_claim',
    severity: 'error',
    category: 'logical',
    description: 'Paid date is before the dispensing date.',
    action: 'Check the paid date mapping.',
    source: 'Adjudication follows dispensing (NCPDP claim lifecycle)',
    ...rowRule('pharmacy_claim', 'r.paid_date < r.dispensing_date', 'r.paid_date IS NOT NULL'),
  },
  {
    id: 'pharmacy_person_not_enrolled',
    table: 'pharmacy_claim',
    severity: 'error',
    category: 'referential',
    description: 'Pharmacy claim person_id has no eligibility row at all.',
    action: 'Load the eligibility of this person, or fix the person_id crosswalk.',
    source: 'claimlens contract: pharmacy_claim.person_id references eligibility.person_id',
    ...rowRule('pharmacy_claim', `NOT (${ENROLLED})`),
  },
];

const eligibilityChecks: QualityCheck[] = [
  {
    id: 'enrollment_end_before_start',
    table: 'eligibility',
    severity: 'error',
    category: 'logical',
    description: 'Enrollment end date is before the enrollment start date.',
    action: 'Fix the span dates; member months come from them.',
    source: 'Tuva Project input layer: enrollment spans (start ≤ end)',
    ...rowRule('eligibility', 'r.enrollment_end_date < r.enrollment_start_date'),
  },
  {
    id: 'overlapping_enrollment',
    table: 'eligibility',
    severity: 'warning',
    category: 'logical',
    description: 'Enrollment span overlaps another span of the same person and payer.',
    action: 'Merge or close the overlapping spans; overlaps count member months twice.',
    source: 'Tuva Project member months: one coverage per person, payer and month',
    ...rowRule(
      'eligibility',
      `EXISTS (
        SELECT 1 FROM ${T.eligibility} AS o
        WHERE o.person_id = r.person_id AND o.payer = r.payer
          AND (o.plan <> r.plan OR o.enrollment_start_date <> r.enrollment_start_date)
          AND o.enrollment_end_date >= o.enrollment_start_date
          AND o.enrollment_start_date <= r.enrollment_end_date AND o.enrollment_end_date >= r.enrollment_start_date)`,
      'r.enrollment_end_date >= r.enrollment_start_date',
    ),
  },
  {
    id: 'age_over_115',
    table: 'eligibility',
    severity: 'warning',
    category: 'logical',
    description: 'Member is older than 115 years at the start of the enrollment span.',
    action: 'Check the birth date (placeholder dates such as 1900-01-01 are common).',
    source:
      'Plausibility: the oldest verified human age is 122 years; above 115 is most likely a placeholder birth date',
    ...rowRule('eligibility', `r.birth_date + INTERVAL '116 years' <= r.enrollment_start_date`),
  },
  {
    id: 'death_before_birth',
    table: 'eligibility',
    severity: 'error',
    category: 'logical',
    description: 'Death date is before the birth date.',
    action: 'Fix the birth or death date.',
    source: 'Logical: death follows birth',
    ...rowRule('eligibility', 'r.death_date < r.birth_date', 'r.death_date IS NOT NULL'),
  },
  {
    id: 'demographics_inconsistent',
    table: 'eligibility',
    severity: 'warning',
    category: 'logical',
    description: 'Spans of one person disagree on birth date, gender or death date.',
    action: 'Fix the person crosswalk or the demographics; age and death checks use the most lenient value.',
    source: 'Tuva Project input layer: demographics repeat on each span of a person',
    ...rowRule(
      'eligibility',
      `r.person_id IN (
        SELECT person_id FROM ${T.eligibility} GROUP BY person_id
        HAVING count(DISTINCT birth_date) > 1 OR count(DISTINCT gender) > 1 OR count(DISTINCT death_date) > 1)`,
    ),
  },
  {
    id: 'eligibility_payer_unknown',
    table: 'eligibility',
    severity: 'error',
    category: 'referential',
    description: 'Eligibility payer is not in the payer table.',
    action: 'Add the payer to payer.csv or map the payer name to the one used there.',
    source: 'claimlens contract: eligibility.payer references payer.payer',
    references: ['payer'],
    ...rowRule('eligibility', `NOT EXISTS (SELECT 1 FROM ${T.payer} AS p WHERE p.payer = r.payer)`),
  },
];

const otherChecks: QualityCheck[] = [
  {
    id: 'encounter_end_before_start',
    table: 'encounter',
    severity: 'error',
    category: 'logical',
    description: 'Encounter end date is before its start date.',
    action: 'Fix the encounter dates in the EHR extract.',
    source: 'Logical: an encounter ends after it starts',
    ...rowRule(
      'encounter',
      'r.encounter_end_date < r.encounter_start_date',
      'r.encounter_end_date IS NOT NULL',
    ),
  },
  {
    id: 'unknown_icd10cm_encounter',
    table: 'encounter',
    needs: ['icd10_diagnoses'],
    severity: 'warning',
    category: 'codeset',
    description: 'Encounter primary diagnosis is not an ICD-10-CM code.',
    action: 'Check the EHR diagnosis export (SNOMED or ICD-9 codes need mapping to ICD-10-CM).',
    source: 'CDC/CMS ICD-10-CM code files (order file)',
    ...codesetRule('encounter', 'primary_diagnosis_code', 'icd10cm', { normalize: icd }),
  },
  {
    id: 'adjustment_unknown_claim_line',
    table: 'claim_adjustment',
    severity: 'error',
    category: 'referential',
    description: 'Adjustment refers to a claim line (or, for line 0, a claim) that is not in medical_claim.',
    action:
      'Load the claims the remittances are for, or fix the claim ids (835 CLP01 is the provider claim id).',
    source: 'claimlens contract: claim_adjustment (claim_id, claim_line_number) references medical_claim',
    // A left join on the line and a lookup of the claim for line 0: the correlated NOT EXISTS with an
    // OR in it joined every adjustment to every line of its claim. A line matches at most one row
    // (the load keeps medical_claim unique on its grain), and a matched row is not failing anyway.
    failing: `SELECT r._source_file, r._source_line
FROM ${T.claim_adjustment} AS r
LEFT JOIN ${T.medical_claim} AS m ON m.claim_id = r.claim_id AND m.claim_line_number = r.claim_line_number
WHERE m.claim_id IS NULL
  AND (r.claim_line_number <> 0 OR r.claim_id NOT IN (SELECT c.claim_id FROM ${T.medical_claim} AS c))`,
    checked: `SELECT count(*) FROM ${T.claim_adjustment} AS r`,
  },
  {
    id: 'unknown_carc',
    table: 'claim_adjustment',
    severity: 'warning',
    category: 'codeset',
    description: 'Claim adjustment reason code is not in the CARC list (active or retired).',
    action:
      'Check the code (group code prefixes such as CO-45 belong in adjustment_group_code); denial root causes miss it.',
    source: 'X12 Claim Adjustment Reason Codes (CARC) list',
    ...codesetRule('claim_adjustment', 'carc_code', 'carc'),
  },
  {
    id: 'retired_carc',
    table: 'claim_adjustment',
    severity: 'info',
    category: 'codeset',
    description:
      'Claim adjustment reason code was retired before the remittance date (or its stop date is unknown).',
    action:
      'Old remittances legitimately carry retired codes; on recent ones, ask the payer which active code applies.',
    source: 'X12 Claim Adjustment Reason Codes (CARC) list: stop dates of retired codes',
    codesets: ['carc'],
    ...rowRule(
      'claim_adjustment',
      `EXISTS (SELECT 1 FROM ${codes('carc')} AS c
               WHERE upper(trim(c.code)) = upper(trim(r.carc_code)) AND c.status = 'retired'
                 AND (c.stop_date IS NULL OR c.stop_date < r.remit_date))`,
      'r.carc_code IS NOT NULL',
    ),
  },
  {
    id: 'payment_unknown_claim',
    table: 'payment',
    severity: 'error',
    category: 'referential',
    description: 'Payment refers to a claim_id that is not in medical_claim.',
    action:
      'Load the claims the payments are for, or fix the claim ids; collection rates leave these payments out.',
    source: 'claimlens contract: payment.claim_id references medical_claim.claim_id',
    ...rowRule(
      'payment',
      // NOT IN over a required column (never NULL): a hash lookup, where the correlated NOT EXISTS
      // was planned as a join of every claim id against itself.
      `r.claim_id NOT IN (SELECT m.claim_id FROM ${T.medical_claim} AS m)`,
      'r.claim_id IS NOT NULL',
    ),
  },
  {
    id: 'payer_payments_differ_from_paid',
    table: 'payment',
    severity: 'warning',
    category: 'reconciliation',
    unit: 'claim',
    description: "A claim's payer payments do not add up to its paid amount (lines not reversed).",
    action:
      'Payments and claim paid amounts come from different feeds: look for missing remittances or recoupments.',
    source:
      'Payment-posting reconciliation: payer payments received for a claim (835 CLP04) equal the paid amount of its lines',
    failing: `WITH pay AS (
  SELECT r.claim_id, r._source_file, r._source_line,
         sum(r.payment_amount) OVER (PARTITION BY r.claim_id) AS received,
         row_number() OVER (PARTITION BY r.claim_id ORDER BY r._source_file, r._source_line) AS k
  FROM ${T.payment} AS r
  WHERE r.payment_source = 'payer' AND r.claim_id IS NOT NULL
), paid AS (
  SELECT claim_id, sum(CASE WHEN claim_status <> 'reversed' THEN paid_amount ELSE 0 END) AS paid
  FROM ${T.medical_claim} GROUP BY claim_id
)
SELECT pay._source_file, pay._source_line
FROM pay JOIN paid ON paid.claim_id = pay.claim_id
WHERE pay.k = 1 AND pay.received <> paid.paid`,
    checked: `SELECT count(DISTINCT r.claim_id) FROM ${T.payment} AS r
WHERE r.payment_source = 'payer' AND r.claim_id IN (SELECT m.claim_id FROM ${T.medical_claim} AS m)`,
  },
  {
    id: 'ledger_payer_unknown',
    table: 'finance_ledger',
    severity: 'warning',
    category: 'referential',
    description: 'Ledger payer is not in the payer table.',
    action: 'Map the ledger payer names to the payer table; reconciliation by payer misses these rows.',
    source: 'claimlens contract: finance_ledger.payer references payer.payer',
    references: ['payer'],
    ...rowRule('finance_ledger', `NOT EXISTS (SELECT 1 FROM ${T.payer} AS p WHERE p.payer = r.payer)`),
  },
];

/** Every check, in report order: medical claims first, then the other tables, NPI check digits last. */
export const QUALITY_CHECKS: readonly QualityCheck[] = [
  ...medicalClaimChecks,
  ...medicalCodesetChecks,
  ...pharmacyChecks,
  ...eligibilityChecks,
  ...otherChecks,
  ...npiChecks(),
];

export function qualityCheck(id: string): QualityCheck {
  const check = QUALITY_CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`unknown quality check ${id}`);
  return check;
}
