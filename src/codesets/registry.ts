// The shipped reference code sets (data/codesets): one declaration per set with its provenance and
// typed columns, loaded into schema `codes` with DuckDB read_csv so codes stay text (leading zeros kept).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ident, literal, type Warehouse } from '../engine/duckdb.ts';
import { ClaimlensError } from '../errors.ts';

export const CODES_SCHEMA = 'codes';

/** What lookupCode answers for a code that is not in the set (or was retired before our source). */
export const UNKNOWN_CODE = 'retired/unknown';

export type CodesetColumnType = 'VARCHAR' | 'BOOLEAN' | 'INTEGER' | 'DATE';

export interface CodesetColumn {
  name: string;
  type: CodesetColumnType;
  description: string;
  /** Computed at load time from the file row (alias `f`) and the set's joins, instead of read from the file. */
  sql?: string;
}

export interface CodesetCheck {
  /** Returns the offending values; any row fails the load. */
  sql: string;
  message: string;
}

export interface Codeset {
  name: string;
  /** File name inside data/codesets. */
  file: string;
  description: string;
  source: string;
  version: string;
  license: string;
  columns: CodesetColumn[];
  /** Column lookupCode matches on; sets without one (poverty guidelines) are tables, not code lists. */
  key?: string;
  /** Column lookupCode returns; defaults to `description`. */
  label?: string;
  /** Brings a code as found on claims into the set's stored form (dots, leading zeros, case). */
  normalize?: (code: string) => string;
  /** Loaded only when its file exists; otherwise an empty table is created so models still compile. */
  optional?: boolean;
  /** SQL joined to the file rows (alias `f`) for computed columns; the joined sets must load first. */
  joins?: string;
  checks?: CodesetCheck[];
}

const col = (name: string, type: CodesetColumnType, description: string, sql?: string): CodesetColumn =>
  sql === undefined ? { name, type, description } : { name, type, description, sql };

const CODE = (description: string) => col('code', 'VARCHAR', description);
const DESCRIPTION = (description = 'Official description.') => col('description', 'VARCHAR', description);

const upperTrim = (code: string) => code.trim().toUpperCase();
const withoutDots = (code: string) => upperTrim(code).replaceAll('.', '');
const padDigits = (width: number) => (code: string) => {
  const c = code.trim();
  return /^\d+$/.test(c) && c.length < width ? c.padStart(width, '0') : c;
};
/** Claims sometimes carry type of bill as 4 characters with a leading 0 (`0111`); the set stores `111`. */
const billType = (code: string) => {
  const c = code.trim();
  return /^0\d{3}$/.test(c) ? c.slice(1) : c;
};
/** Remittance files and reports often prefix the group code (`CO-45`, `PR 1`); the set stores the reason only. */
const carc = (code: string) => upperTrim(code).replace(/^(CO|CR|OA|PI|PR)[-\s]+/, '');

/**
 * NDCs are printed 4-4-2, 5-3-2 or 5-4-1 with dashes; the 11-digit 5-4-2 form pads each segment,
 * so stripping the dashes alone would misalign a 10-digit code.
 */
const ndc11 = (code: string) => {
  const c = code.trim();
  const m = /^(\d{4,5})-(\d{3,4})-(\d{1,2})$/.exec(c);
  return m
    ? `${m[1].padStart(5, '0')}${m[2].padStart(4, '0')}${m[3].padStart(2, '0')}`
    : c.replace(/\D/g, '');
};

const TUVA =
  'Tuva Project dbt seeds (github.com/tuva-health/tuva), historic commits; see data/codesets/SOURCES.md';
const TUVA_LICENSE =
  'Apache-2.0 as redistributed by the Tuva Project; content is a CMS publication (public domain)';
const NUBC_LICENSE =
  'Apache-2.0 as redistributed by the Tuva Project; codes originate from the NUBC UB-04 manual (AHA copyright): review before redistributing commercially';
const X12_OPENEMR =
  'Code list maintained by X12 (published free of charge); extracted from OpenEMR (GPL-3.0) src/Billing/BillingUtilities.php';

/** Every shipped code set; the array order is the load order (computed columns need their joins first). */
export const CODESETS: readonly Codeset[] = [
  {
    name: 'icd10cm',
    file: 'icd10cm.csv.gz',
    description:
      'ICD-10-CM diagnosis codes (without the dot), including category headers that are not billable.',
    source:
      'CDC/NCHS-CMS ICD-10-CM order file (icd10cm-order-Jan-2021.txt) from the simple_icd_10_cm 1.2.0 wheel, github.com/StefanoTrv/simple_icd_10_CM commit 79ed12a',
    version: 'FY2021 (October 2020 release with the January 2021 update, U071 included)',
    license: 'Public domain (US government work); packaged by simple_icd_10_CM under MIT',
    key: 'code',
    normalize: withoutDots,
    columns: [
      CODE('ICD-10-CM code without the dot, e.g. E119.'),
      DESCRIPTION('Long description.'),
      col(
        'billable',
        'BOOLEAN',
        'True when the code is valid on claims (a leaf code); false for category headers such as E11.',
      ),
      col('short_description', 'VARCHAR', 'Abbreviated description (at most 60 characters).'),
    ],
  },
  {
    name: 'icd9cm_dx',
    file: 'icd9cm_dx.csv',
    description: 'ICD-9-CM diagnosis codes (without the dot), as used by CMS DE-SynPUF claims.',
    source:
      'CMS ICD-9-CM v32 master descriptions (CMS32_DESC_LONG_DX / SHORT_DX) via github.com/nickibeaks/cms_SynPUF commit 7caddd9',
    version: 'Version 32 (FY2015, final ICD-9-CM release)',
    license: 'Public domain (US government work)',
    key: 'code',
    normalize: withoutDots,
    columns: [
      CODE('ICD-9-CM diagnosis code without the dot, e.g. 4280 (428.0) or V5861.'),
      DESCRIPTION('Long description.'),
      col('short_description', 'VARCHAR', 'Abbreviated description.'),
    ],
  },
  {
    name: 'icd9cm_pcs',
    file: 'icd9cm_pcs.csv',
    description: 'ICD-9-CM volume 3 procedure codes (without the dot), as used by CMS DE-SynPUF claims.',
    source:
      'CMS ICD-9-CM v32 master descriptions (CMS32_DESC_LONG_SG / SHORT_SG) via github.com/nickibeaks/cms_SynPUF commit 7caddd9',
    version: 'Version 32 (FY2015, final ICD-9-CM release)',
    license: 'Public domain (US government work)',
    key: 'code',
    normalize: withoutDots,
    columns: [
      CODE('ICD-9-CM procedure code without the dot, e.g. 3722.'),
      DESCRIPTION('Long description.'),
      col('short_description', 'VARCHAR', 'Abbreviated description.'),
    ],
  },
  {
    name: 'place_of_service',
    file: 'place_of_service.csv',
    description: 'CMS place of service codes for professional claims.',
    source: `${TUVA}: terminology__place_of_service.csv at commit 31cd028`,
    version: 'Tuva seed of 2023-04-27',
    license: TUVA_LICENSE,
    key: 'code',
    normalize: padDigits(2),
    columns: [
      CODE('Two-digit place of service code, e.g. 11 (office), 21 (inpatient hospital).'),
      DESCRIPTION(),
    ],
  },
  {
    name: 'bill_type',
    file: 'bill_type.csv',
    description:
      'UB-04 type of bill: facility type, bill classification and frequency, three digits as on claims.',
    source: `${TUVA}: terminology__bill_type.csv at commit 31cd028`,
    version: 'Tuva seed of 2023-04-27',
    license: NUBC_LICENSE,
    key: 'code',
    normalize: billType,
    columns: [
      CODE('Three-digit type of bill, e.g. 111 (hospital inpatient, admit through discharge).'),
      DESCRIPTION(),
      col('deprecated', 'BOOLEAN', 'True when the type of bill is no longer valid.'),
      col('deprecated_date', 'DATE', 'Date the type of bill stopped being valid.'),
    ],
  },
  {
    name: 'revenue_center',
    file: 'revenue_center.csv',
    description: 'UB-04 revenue codes (four digits with the leading zero).',
    source: `${TUVA}: terminology__revenue_center.csv at commit 31cd028`,
    version: 'Tuva seed of 2023-04-27',
    license: NUBC_LICENSE,
    key: 'code',
    normalize: padDigits(4),
    columns: [CODE('Four-digit revenue code, e.g. 0450 (emergency room).'), DESCRIPTION()],
  },
  {
    name: 'ms_drg',
    file: 'ms_drg.csv',
    description: 'Medicare severity diagnosis-related groups with their major diagnostic category.',
    source: `${TUVA}: terminology__ms_drg.csv at commit 296f4dc`,
    version: 'Tuva seed of 2024-01-02 (current MS-DRGs plus 40 deprecated ones)',
    license: TUVA_LICENSE,
    key: 'code',
    normalize: padDigits(3),
    columns: [
      CODE('Three-digit MS-DRG, e.g. 291.'),
      DESCRIPTION(),
      col(
        'mdc_code',
        'VARCHAR',
        'Two-digit major diagnostic category (codes.mdc); null for pre-MDC and ungroupable DRGs.',
      ),
      col('medical_surgical', 'VARCHAR', 'medical or surgical; null where the source leaves it blank.'),
      col('deprecated', 'BOOLEAN', 'True when the DRG is no longer in the grouper.'),
      col('deprecated_date', 'DATE', 'Date the DRG was retired.'),
    ],
  },
  {
    name: 'mdc',
    file: 'mdc.csv',
    description: 'Major diagnostic categories (MDC 01-25) of the MS-DRG system.',
    source: `${TUVA}: terminology__mdc.csv at commit 296f4dc`,
    version: 'Tuva seed of 2024-01-02',
    license: TUVA_LICENSE,
    key: 'code',
    normalize: padDigits(2),
    columns: [CODE('Two-digit MDC, e.g. 05 (circulatory system).'), DESCRIPTION()],
  },
  {
    name: 'discharge_disposition',
    file: 'discharge_disposition.csv',
    description: 'UB-04 patient discharge status codes.',
    source: `${TUVA}: terminology__discharge_disposition.csv at commit 296f4dc`,
    version: 'Tuva seed of 2024-01-02',
    license: NUBC_LICENSE,
    key: 'code',
    normalize: padDigits(2),
    columns: [CODE('Two-digit discharge status, e.g. 01 (home/self-care), 20 (expired).'), DESCRIPTION()],
  },
  {
    name: 'hcpcs_level2',
    file: 'hcpcs_level2.csv',
    description:
      'HCPCS Level II codes (supplies, drugs, services not in CPT) and their two-character modifiers.',
    source: `${TUVA}: terminology__hcpcs_level_2.csv at commit 31cd028`,
    version: 'Tuva seed of 2023-04-27',
    license: TUVA_LICENSE,
    key: 'code',
    normalize: upperTrim,
    columns: [
      CODE('Five-character HCPCS code (e.g. J1100) or two-character modifier (e.g. A1).'),
      DESCRIPTION('Long description.'),
      col('short_description', 'VARCHAR', 'Abbreviated description.'),
      col('kind', 'VARCHAR', 'procedure or modifier.'),
    ],
  },
  {
    name: 'ccsr_category',
    file: 'ccsr_category.csv',
    description:
      'AHRQ Clinical Classifications Software Refined (DXCCSR) diagnosis categories with their body system.',
    source: `${TUVA}: data/ccsr_descriptions.csv at commit b84d114 and ccsr__dxccsr_v2023_1_body_systems.csv at commit 81e54b8`,
    version: 'DXCCSR categories as of 2021 (544) with the v2023.1 body-system names',
    license: 'Apache-2.0 as redistributed by the Tuva Project; CCSR is a free AHRQ/HCUP tool',
    key: 'code',
    normalize: upperTrim,
    columns: [
      CODE('CCSR category, e.g. CIR019 (heart failure).'),
      DESCRIPTION(),
      col(
        'body_system',
        'VARCHAR',
        'Three-letter body system (the first three letters of the category); null for the default-only codes.',
      ),
      col('body_system_description', 'VARCHAR', 'Name of the body system.'),
    ],
  },
  {
    name: 'denial_root_cause',
    file: 'denial_root_cause.csv',
    description:
      'Root-cause categories that CARCs map to, and whether each is preventable before submission.',
    source: 'claimlens (docs/codesets.md explains each category)',
    version: 'claimlens 1',
    license: 'Apache-2.0 (claimlens)',
    key: 'code',
    columns: [
      CODE('Root-cause category, e.g. authorization.'),
      DESCRIPTION(),
      col(
        'preventable_at_submission',
        'BOOLEAN',
        'True when front-end work (eligibility checks, authorization, coding review, filing discipline) prevents it.',
      ),
    ],
  },
  {
    name: 'carc_root_cause',
    file: 'carc_root_cause.csv',
    description: 'Editable mapping of every CARC to a denial root-cause category, with the reason.',
    source: 'claimlens, curated from the X12 CARC descriptions (docs/codesets.md)',
    version: 'claimlens 1',
    license: 'Apache-2.0 (claimlens)',
    key: 'carc_code',
    label: 'root_cause',
    normalize: carc,
    columns: [
      col('carc_code', 'VARCHAR', 'Claim adjustment reason code.'),
      col('root_cause', 'VARCHAR', 'Category in codes.denial_root_cause.'),
      col('rationale', 'VARCHAR', 'Why the code belongs to the category.'),
    ],
    checks: [
      {
        sql: `SELECT DISTINCT root_cause AS value FROM ${CODES_SCHEMA}.carc_root_cause
              WHERE root_cause NOT IN (SELECT code FROM ${CODES_SCHEMA}.denial_root_cause)`,
        message: 'root_cause values that are not in denial_root_cause.csv',
      },
    ],
  },
  {
    name: 'carc',
    file: 'carc.csv',
    description:
      'X12 claim adjustment reason codes (835 CAS), active and retired, with their denial root cause.',
    source: `${X12_OPENEMR} at commit 88e29bd (active codes); retired codes from the 2016 X12 list copied in github.com/ashuang/pymltc medltc/claim_adjustment_reason_codes.py at commit 13f941d`,
    version: 'Active list as of about 2022 (291 codes through 305 and P29) plus 110 retired codes',
    license: X12_OPENEMR,
    key: 'code',
    normalize: carc,
    joins: `LEFT JOIN ${CODES_SCHEMA}.carc_root_cause m ON m.carc_code = f.code
            LEFT JOIN ${CODES_SCHEMA}.denial_root_cause d ON d.code = coalesce(m.root_cause, 'other')`,
    columns: [
      CODE('Claim adjustment reason code, e.g. 45, 197, A1, P12.'),
      DESCRIPTION('X12 description, including its usage notes.'),
      col('status', 'VARCHAR', 'active or retired.'),
      col('stop_date', 'DATE', 'Date a retired code stopped being valid, when the source gives it.'),
      col('notes', 'VARCHAR', 'X12 note on a retired code, often its replacement (e.g. Use code 96).'),
      col(
        'root_cause',
        'VARCHAR',
        'Denial root cause from carc_root_cause.csv; other when unmapped.',
        "coalesce(m.root_cause, 'other')",
      ),
      col(
        'preventable_at_submission',
        'BOOLEAN',
        'True for root causes preventable before submission (denial_root_cause.csv).',
        'coalesce(d.preventable_at_submission, false)',
      ),
    ],
  },
  {
    name: 'rarc',
    file: 'rarc.csv',
    description: 'X12 remittance advice remark codes (835 LQ and MIA/MOA), active codes only.',
    source: `${X12_OPENEMR} (REMITTANCE_ADVICE_REMARK_CODES) at commit 88e29bd`,
    version: 'Active list as of about 2022 (M1 through N885); retired remark codes are not included',
    license: X12_OPENEMR,
    key: 'code',
    normalize: upperTrim,
    columns: [
      CODE('Remark code, e.g. N130, MA04, M15.'),
      DESCRIPTION('X12 description; Alert: marks informational remarks.'),
    ],
  },
  {
    name: 'clp02_claim_status',
    file: 'clp02_claim_status.csv',
    description: 'Claim status codes of the 835 CLP02 element (processed as primary, denied, reversal...).',
    source: `${X12_OPENEMR} (CLAIM_STATUS_CODES_CLP02) at commit 88e29bd`,
    version: 'OpenEMR list as of about 2022 (17 codes)',
    license: X12_OPENEMR,
    key: 'code',
    normalize: (c) => c.trim(),
    columns: [CODE('Claim status code, e.g. 1, 4 (denied), 22 (reversal).'), DESCRIPTION()],
  },
  {
    name: 'poverty_guidelines',
    file: 'poverty_guidelines.csv',
    description:
      'HHS poverty guidelines (100% of the federal poverty level) by year, region and household size 1-8; add additional_person_amount per person above 8.',
    source:
      'HHS Annual Update of the HHS Poverty Guidelines: 88 FR 3424 (2023-01-19), 89 FR 2961 (2024-01-17), 90 FR 5917 (2025-01-17)',
    version: '2023, 2024, 2025',
    license: 'Public domain (US government work)',
    columns: [
      col('year', 'INTEGER', 'Guideline year.'),
      col('region', 'VARCHAR', 'contiguous (48 states and DC), alaska or hawaii.'),
      col('household_size', 'INTEGER', 'Persons in the household, 1 to 8.'),
      col('guideline_amount', 'INTEGER', 'Annual income at 100% of the guideline, in dollars.'),
      col(
        'additional_person_amount',
        'INTEGER',
        'Amount added for each person above 8 (and between sizes), in dollars.',
      ),
    ],
  },
  {
    name: 'restricted_zip3',
    file: 'restricted_zip3.csv',
    description:
      'Three-digit ZIP codes whose areas had 20,000 or fewer people (Census 2000); HIPAA Safe Harbor reports them as 000.',
    source:
      'HHS OCR, Guidance Regarding Methods for De-identification of PHI (2012), section 3.1 (ZIP codes), and 67 FR 53182, 53233-53234 (2002-08-14)',
    version: 'Census 2000 (the list HHS publishes; no newer one has been issued)',
    license: 'Public domain (US government work)',
    key: 'code',
    normalize: (c) => c.trim().slice(0, 3),
    columns: [CODE('Three-digit ZIP prefix, e.g. 036.'), DESCRIPTION('Why the prefix is restricted.')],
  },
  {
    name: 'ndc_drug_class',
    file: 'ndc_drug_class.csv',
    description: 'NDC products with the drug class used for PQA proportion-of-days-covered (PDC) adherence.',
    source: 'See data/codesets/ndc_drug_class.SOURCE.md',
    version: 'See data/codesets/ndc_drug_class.SOURCE.md',
    license: 'See data/codesets/ndc_drug_class.SOURCE.md',
    key: 'ndc_code',
    label: 'drug_name',
    normalize: ndc11,
    optional: true,
    columns: [
      col('ndc_code', 'VARCHAR', 'National Drug Code, 11 digits without dashes.'),
      col('drug_name', 'VARCHAR', 'Drug name.'),
      col('strength', 'VARCHAR', 'Strength.'),
      col('drug_class', 'VARCHAR', 'Therapeutic class.'),
      col(
        'pdc_class',
        'VARCHAR',
        'PQA PDC measure class (e.g. statins, RAS antagonists, diabetes all class).',
      ),
    ],
  },
  {
    name: 'readmission_planned',
    file: 'readmission_planned.csv',
    description:
      'CMS Planned Readmission Algorithm v4 value sets as ICD-10 code prefixes and MS-DRG proxies: always planned procedures (PR.1) and diagnoses (PR.2), potentially planned procedures (PR.3, a documented subset) and acute principal diagnoses (PR.4, an approximation of the acute CCS categories).',
    source:
      'claimlens, curated from the CMS Planned Readmission Algorithm v4 CCS categories as redistributed by the Tuva Project (data/always_planned_px.csv, always_planned_dx.csv, potentially_planned_px_ccs.csv, acute_diagnoses_ccs.csv at commit 4d02577); see data/codesets/SOURCES.md and docs/marts/readmissions.md',
    version: 'claimlens 1 (PR algorithm v4 categories)',
    license:
      'Apache-2.0 (claimlens); CCS categories are a free AHRQ/HCUP tool, the algorithm a CMS publication',
    columns: [
      col(
        'rule',
        'VARCHAR',
        'always_planned_procedure, always_planned_diagnosis, potentially_planned_procedure or acute_diagnosis.',
      ),
      col(
        'code_type',
        'VARCHAR',
        'icd10pcs, icd10cm or ms_drg (a DRG proxy for claims without ICD-10-PCS codes).',
      ),
      col('code_prefix', 'VARCHAR', 'Code prefix without dots; a claim code matches when it starts with it.'),
      col('ccs_category', 'VARCHAR', 'AHRQ CCS category the prefix stands for.'),
      DESCRIPTION('What the prefix covers.'),
    ],
    checks: [
      {
        sql: `SELECT code_type || ':' || code_prefix AS value FROM codes.readmission_planned GROUP BY code_type, code_prefix HAVING count(*) > 1`,
        message: 'each code_type and code_prefix must appear once',
      },
    ],
  },
  {
    name: 'readmission_exclusion_dx',
    file: 'readmission_exclusion_dx.csv',
    description:
      'Principal diagnoses that exclude an index admission (CMS Hospital-Wide Readmission condition categories: primary psychiatric, rehabilitation, medical treatment of cancer) plus obstetric and perinatal stays (HEDIS PCR), as ICD-10-CM prefixes.',
    source:
      'claimlens, curated from the CMS HWR exclusion CCS categories as redistributed by the Tuva Project (data/exclusion_categories.csv at commit 4d02577); obstetric rows from the NCQA HEDIS Plan All-Cause Readmissions exclusion',
    version: 'claimlens 1',
    license: 'Apache-2.0 (claimlens)',
    key: 'code_prefix',
    normalize: withoutDots,
    columns: [
      col('code_prefix', 'VARCHAR', 'ICD-10-CM prefix without dots.'),
      col(
        'category',
        'VARCHAR',
        'psychiatric, rehabilitation, cancer_medical_treatment or obstetric_perinatal.',
      ),
      col('ccs_category', 'VARCHAR', 'AHRQ CCS category (empty for the HEDIS obstetric rows).'),
      DESCRIPTION('What the prefix covers.'),
    ],
  },
  {
    name: 'readmission_chronic_condition',
    file: 'readmission_chronic_condition.csv',
    description:
      'Chronic condition categories (after the CMS Chronic Conditions Data Warehouse list) as ICD-10-CM prefixes, for the comorbidity burden of readmission risk models and scores.',
    source: 'claimlens, after the CMS Chronic Conditions Data Warehouse condition categories; see SOURCES.md',
    version: 'claimlens 1',
    license: 'Apache-2.0 (claimlens)',
    key: 'code_prefix',
    normalize: withoutDots,
    columns: [
      col('code_prefix', 'VARCHAR', 'ICD-10-CM prefix without dots (at least 3 characters).'),
      col('condition', 'VARCHAR', 'Chronic condition category, e.g. heart_failure.'),
      DESCRIPTION('What the prefix covers.'),
    ],
    checks: [
      {
        sql: `SELECT code_prefix AS value FROM codes.readmission_chronic_condition WHERE length(code_prefix) < 3`,
        message: 'prefixes must have at least 3 characters (the models join on the 3-character category)',
      },
    ],
  },
  {
    name: 'pqi_condition',
    file: 'pqi_condition.csv',
    description:
      'AHRQ Prevention Quality Indicator (ambulatory care sensitive condition) principal diagnoses as ICD-10-CM prefixes, with the age range of each indicator.',
    source:
      'AHRQ Quality Indicators, PQI technical specifications and SAS QI v2025 PQI_AREA_FORMATS.SAS (github.com/AHRQ/AHRQ-Quality-Indicators commit 3fdecd1); PQI 10 dehydration from the retired indicator; see SOURCES.md',
    version: 'AHRQ PQI v2025 (verified rows), earlier specifications for the others',
    license: 'Public domain (US government work)',
    columns: [
      col('code_prefix', 'VARCHAR', 'ICD-10-CM prefix without dots; the principal diagnosis starts with it.'),
      col('pqi_measure', 'VARCHAR', 'PQI number, e.g. 08.'),
      col('pqi_name', 'VARCHAR', 'PQI name.'),
      col('min_age', 'INTEGER', 'Youngest age (years at admission) the indicator counts.'),
      col('max_age', 'INTEGER', 'Oldest age counted; empty for no upper limit.'),
      col(
        'verified',
        'BOOLEAN',
        'True when the row was checked against the AHRQ SAS QI v2025 format library; false when transcribed from the published technical specifications.',
      ),
      DESCRIPTION('What the prefix covers.'),
    ],
    checks: [
      {
        sql: `SELECT pqi_measure || ':' || code_prefix AS value FROM codes.pqi_condition GROUP BY pqi_measure, code_prefix HAVING count(*) > 1`,
        message: 'each pqi_measure and code_prefix must appear once',
      },
    ],
  },
];

/** The data/codesets folder of this package, found from this module's location rather than the cwd. */
export function codesetsDir(): string {
  return fileURLToPath(new URL('../../data/codesets/', import.meta.url));
}

export function getCodeset(name: string): Codeset {
  const spec = CODESETS.find((c) => c.name === name);
  if (!spec) throw new Error(`unknown code set ${name}; known: ${CODESETS.map((c) => c.name).join(', ')}`);
  return spec;
}

export interface LoadedCodeset {
  name: string;
  rows: number;
  /** False for an optional set whose file is absent (its table is created empty). */
  loaded: boolean;
}

function readCsvSql(path: string, spec: Codeset): string {
  const fileColumns = spec.columns.filter((c) => c.sql === undefined);
  const types = fileColumns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ');
  // auto_detect off: explicit types keep codes as text and a malformed file fails instead of being guessed.
  return `read_csv(${literal(path)}, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, columns = {${types}})`;
}

function createSql(spec: Codeset, path: string): string {
  const table = `${ident(CODES_SCHEMA)}.${ident(spec.name)}`;
  const select = spec.columns
    .map((c) => (c.sql === undefined ? `f.${ident(c.name)}` : `${c.sql} AS ${ident(c.name)}`))
    .join(', ');
  return `CREATE OR REPLACE TABLE ${table} AS SELECT ${select} FROM ${readCsvSql(path, spec)} AS f ${spec.joins ?? ''}`;
}

function emptyTableSql(spec: Codeset): string {
  const cols = spec.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
  return `CREATE OR REPLACE TABLE ${ident(CODES_SCHEMA)}.${ident(spec.name)} (${cols})`;
}

async function comment(wh: Warehouse, spec: Codeset): Promise<void> {
  const table = `${ident(CODES_SCHEMA)}.${ident(spec.name)}`;
  await wh.run(`COMMENT ON TABLE ${table} IS ${literal(`${spec.description} Source: ${spec.source}.`)}`);
  for (const c of spec.columns) {
    await wh.run(`COMMENT ON COLUMN ${table}.${ident(c.name)} IS ${literal(c.description)}`);
  }
}

async function verify(wh: Warehouse, spec: Codeset, path: string): Promise<void> {
  if (spec.key) {
    const dup = await wh.all<{ value: string }>(
      `SELECT ${ident(spec.key)} AS value FROM ${ident(CODES_SCHEMA)}.${ident(spec.name)}
       GROUP BY 1 HAVING count(*) > 1 OR ${ident(spec.key)} IS NULL ORDER BY 1 LIMIT 5`,
    );
    if (dup.length > 0) {
      throw new ClaimlensError(
        'input_format',
        `code set ${spec.name}: ${spec.key} must be unique and present; fix ${dup.map((d) => d.value ?? '(empty)').join(', ')}`,
        { file: path, column: spec.key },
      );
    }
  }
  for (const check of spec.checks ?? []) {
    const bad = await wh.all<{ value: string }>(check.sql);
    if (bad.length > 0) {
      throw new ClaimlensError(
        'input_format',
        `code set ${spec.name}: ${check.message}: ${bad.map((b) => b.value).join(', ')}`,
        { file: path },
      );
    }
  }
}

/**
 * Creates schema `codes` with one table per code set from the shipped files.
 * Callers that must not leave a half-loaded warehouse run this inside withStagedWarehouse.
 */
export async function loadCodesets(wh: Warehouse, options: { dir?: string } = {}): Promise<LoadedCodeset[]> {
  const dir = options.dir ?? codesetsDir();
  await wh.run(`CREATE SCHEMA IF NOT EXISTS ${ident(CODES_SCHEMA)}`);
  const loaded: LoadedCodeset[] = [];
  for (const spec of CODESETS) {
    const path = join(dir, spec.file);
    if (!existsSync(path)) {
      if (!spec.optional) {
        throw new ClaimlensError(
          'input_missing',
          `shipped code set file is missing: reinstall claimlens or run the code-set build`,
          {
            file: path,
          },
        );
      }
      await wh.run(emptyTableSql(spec));
      await comment(wh, spec);
      loaded.push({ name: spec.name, rows: 0, loaded: false });
      continue;
    }
    try {
      await wh.run(createSql(spec, path));
    } catch (err) {
      throw new ClaimlensError(
        'input_format',
        `code set ${spec.name} does not load: ${(err as Error).message}`,
        {
          file: path,
        },
      );
    }
    await verify(wh, spec, path);
    await comment(wh, spec);
    const n = await wh.one<{ n: number }>(
      `SELECT count(*) AS n FROM ${ident(CODES_SCHEMA)}.${ident(spec.name)}`,
    );
    loaded.push({ name: spec.name, rows: n?.n ?? 0, loaded: true });
  }
  return loaded;
}

/** Brings a code into the stored form of a set (e.g. `E11.9` -> `E119`, `0111` -> `111`, `CO-45` -> `45`). */
export function normalizeCode(codeset: string, code: string): string {
  const spec = getCodeset(codeset);
  return spec.normalize ? spec.normalize(code) : code.trim();
}

/** The description of a code, or `retired/unknown` when the set does not have it. */
export async function lookupCode(wh: Warehouse, codeset: string, code: string): Promise<string> {
  const spec = getCodeset(codeset);
  if (!spec.key) throw new Error(`code set ${codeset} is a table without a code column; query it with SQL`);
  if (!(await wh.tableExists(CODES_SCHEMA, spec.name))) {
    throw new ClaimlensError(
      'warehouse',
      `code sets are not loaded in this warehouse: run \`claimlens load\` first`,
    );
  }
  const row = await wh.one<{ label: string | null }>(
    `SELECT ${ident(spec.label ?? 'description')} AS label FROM ${ident(CODES_SCHEMA)}.${ident(spec.name)}
     WHERE ${ident(spec.key)} = ? LIMIT 1`,
    [normalizeCode(codeset, code)],
  );
  return row?.label ?? UNKNOWN_CODE;
}
