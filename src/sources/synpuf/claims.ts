// DE-SynPUF claims to medical_claim lines. Inpatient and outpatient records are institutional claims
// with claim-level amounts and up to 45 HCPCS codes: each code becomes a line and the amounts go on the
// first line of the record (the others carry 0), a record without codes is one line. Carrier records
// are professional claims with 13 line slots (LINE_*_1..13): each slot in use becomes a line.
// Choices and the columns SynPUF lacks: docs/sources/synpuf.md.
import { ident } from '../../engine/duckdb.ts';
import { PART_A, PART_B } from './eligibility.ts';
import { amount, cmsDate, DRG, dataSource, HCPCS, matching, money, NPI, numberedCols, text } from './sql.ts';

export interface InstitutionalFile {
  kind: 'inpatient' | 'outpatient';
  /** Payer and plan the claims are billed to: Part A pays inpatient stays, Part B hospital outpatient care. */
  part: { payer: string; plan: string };
  /** Type of bill assigned by file (SynPUF has none): 111 hospital inpatient, 131 hospital outpatient. */
  billType: string;
  /** Columns summed into deductible_amount. */
  deductible: readonly string[];
  coinsurance: string;
  /** Diagnosis columns ICD9_DGNS_CD_1..n. */
  diagnoses: number;
  procedures: number;
  hcpcs: number;
}

export const INPATIENT: InstitutionalFile = {
  kind: 'inpatient',
  part: PART_A,
  billType: '111',
  deductible: ['NCH_BENE_IP_DDCTBL_AMT', 'NCH_BENE_BLOOD_DDCTBL_LBLTY_AM'],
  coinsurance: 'NCH_BENE_PTA_COINSRNC_LBLTY_AM',
  diagnoses: 10,
  procedures: 6,
  hcpcs: 45,
};

export const OUTPATIENT: InstitutionalFile = {
  kind: 'outpatient',
  part: PART_B,
  billType: '131',
  deductible: ['NCH_BENE_PTB_DDCTBL_AMT', 'NCH_BENE_BLOOD_DDCTBL_LBLTY_AM'],
  coinsurance: 'NCH_BENE_PTB_COINSRNC_AMT',
  diagnoses: 10,
  procedures: 6,
  hcpcs: 45,
};

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, k) => `${prefix}${k + 1}`);

/** Source columns an institutional file must have. */
export function institutionalColumns(f: InstitutionalFile): string[] {
  return [
    'DESYNPUF_ID',
    'CLM_ID',
    'SEGMENT',
    'CLM_FROM_DT',
    'CLM_THRU_DT',
    'PRVDR_NUM',
    'CLM_PMT_AMT',
    'NCH_PRMRY_PYR_CLM_PD_AMT',
    'AT_PHYSN_NPI',
    ...(f.kind === 'inpatient' ? ['CLM_ADMSN_DT', 'NCH_BENE_DSCHRG_DT', 'CLM_DRG_CD'] : []),
    ...f.deductible,
    f.coinsurance,
    ...names('ICD9_DGNS_CD_', f.diagnoses),
    ...names('ICD9_PRCDR_CD_', f.procedures),
    ...names('HCPCS_CD_', f.hcpcs),
  ];
}

/**
 * medical_claim lines of the institutional records in `table` (source columns plus `_file`, `_record`).
 * Line numbers run over the claim's segments in SEGMENT order, then over the record's HCPCS codes.
 */
export function institutionalSql(table: string, f: InstitutionalFile): string {
  const hcpcs = numberedCols('HCPCS_CD_', f.hcpcs).join(', ');
  const first = (expr: string) => `CASE WHEN _k = 1 THEN ${expr} ELSE '0' END`;
  const components = ['CLM_PMT_AMT', 'NCH_PRMRY_PYR_CLM_PD_AMT', ...f.deductible, f.coinsurance]
    .map((c) => `coalesce(${amount(c)}, 0)`)
    .join(' + ');
  const inpatient = f.kind === 'inpatient';
  const diagnoses = names('ICD9_DGNS_CD_', f.diagnoses)
    .map((c, i) => `${text(c)} AS diagnosis_code_${i + 1}`)
    .join(',\n      ');
  const procedures = names('ICD9_PRCDR_CD_', f.procedures)
    .map((c, i) => `${text(c)} AS procedure_code_${i + 1}`)
    .join(',\n      ');
  const anyProcedure = names('ICD9_PRCDR_CD_', f.procedures)
    .map((c) => `${text(c)} IS NOT NULL`)
    .join(' OR ');
  return `
    WITH code AS (
      SELECT _file, _record, pos, code FROM (
        SELECT _file, _record, unnest(range(1, ${f.hcpcs + 1})) AS pos, unnest([${hcpcs}]) AS code
        FROM ${ident(table)}
      ) WHERE nullif(trim(code), '') IS NOT NULL
    ),
    ranked AS (
      SELECT _file, _record, code AS _hcpcs, row_number() OVER (PARTITION BY _file, _record ORDER BY pos) AS _k
      FROM code
    ),
    line AS (
      SELECT s.*, r._hcpcs, coalesce(r._k, 1) AS _k
      FROM ${ident(table)} AS s
      LEFT JOIN ranked AS r USING (_file, _record)
    )
    SELECT
      ${text('CLM_ID')} AS claim_id,
      row_number() OVER (
        PARTITION BY ${text('CLM_ID')} ORDER BY TRY_CAST(${text('SEGMENT')} AS INTEGER), _file, _record, _k
      ) AS claim_line_number,
      'institutional' AS claim_type,
      ${text('DESYNPUF_ID')} AS person_id,
      ${text('DESYNPUF_ID')} AS member_id,
      '${f.part.payer}' AS payer,
      '${f.part.plan}' AS plan,
      ${cmsDate('CLM_FROM_DT')} AS claim_start_date,
      ${cmsDate('CLM_THRU_DT')} AS claim_end_date,
      ${inpatient ? cmsDate('CLM_ADMSN_DT') : 'NULL'} AS admission_date,
      ${inpatient ? cmsDate('NCH_BENE_DSCHRG_DT') : 'NULL'} AS discharge_date,
      '${f.billType}' AS bill_type_code,
      ${inpatient ? `CASE WHEN ${matching(ident('CLM_DRG_CD'), DRG)} IS NOT NULL THEN 'ms-drg' END` : 'NULL'} AS drg_code_type,
      ${inpatient ? matching(ident('CLM_DRG_CD'), DRG) : 'NULL'} AS drg_code,
      ${matching('_hcpcs', HCPCS)} AS hcpcs_code,
      ${matching(ident('AT_PHYSN_NPI'), NPI)} AS rendering_npi,
      ${text('PRVDR_NUM')} AS billing_tin,
      ${first(text('CLM_PMT_AMT'))} AS paid_amount,
      ${first(money(components))} AS allowed_amount,
      '0' AS charge_amount,
      ${first(text(f.coinsurance))} AS coinsurance_amount,
      ${first(money(f.deductible.map((c) => `coalesce(${amount(c)}, 0)`).join(' + ')))} AS deductible_amount,
      'icd-9-cm' AS diagnosis_code_type,
      ${diagnoses},
      CASE WHEN ${anyProcedure} THEN 'icd-9-pcs' END AS procedure_code_type,
      ${procedures},
      'paid' AS claim_status,
      ${dataSource()} AS data_source,
      _file,
      _record
    FROM line
    ORDER BY _file, _record, _k`;
}

/** Source columns a carrier file must have. */
export const CARRIER_COLUMNS = [
  'DESYNPUF_ID',
  'CLM_ID',
  'CLM_FROM_DT',
  'CLM_THRU_DT',
  ...names('ICD9_DGNS_CD_', 8),
  ...names('PRF_PHYSN_NPI_', 13),
  ...names('TAX_NUM_', 13),
  ...names('HCPCS_CD_', 13),
  ...names('LINE_NCH_PMT_AMT_', 13),
  ...names('LINE_BENE_PTB_DDCTBL_AMT_', 13),
  ...names('LINE_COINSRNC_AMT_', 13),
  ...names('LINE_ALOWD_CHRG_AMT_', 13),
  ...names('LINE_PRCSG_IND_CD_', 13),
];

/**
 * Line processing indicators (LINE_PRCSG_IND_CD) of lines Medicare allowed: A allowed, R reprocessed
 * (adjustment), S secondary payer. Every other code (B benefits exhausted, C non-covered, N medically
 * unnecessary, M duplicate, Z bundled, the MSP cost-avoided codes, ...) is a line Medicare did not pay.
 */
export const ALLOWED_PROCESSING = ['A', 'R', 'S'] as const;

/** The carrier line slots in use of a record: HCPCS, NPI or processing indicator given, or an amount other than 0. */
export function carrierSql(table: string): string {
  const slots = (prefix: string) => `unnest([${numberedCols(prefix, 13).join(', ')}])`;
  const diagnoses = names('ICD9_DGNS_CD_', 8)
    .map((c, i) => `${text(c)} AS diagnosis_code_${i + 1}`)
    .join(',\n      ');
  const nonzero = (c: string) => `coalesce(${amount(c)}, 0) <> 0`;
  return `
    WITH slot AS (
      SELECT
        *,
        unnest(range(1, 14)) AS _n,
        ${slots('PRF_PHYSN_NPI_')} AS _npi,
        ${slots('TAX_NUM_')} AS _tin,
        ${slots('HCPCS_CD_')} AS _hcpcs,
        ${slots('LINE_NCH_PMT_AMT_')} AS _paid,
        ${slots('LINE_BENE_PTB_DDCTBL_AMT_')} AS _deductible,
        ${slots('LINE_COINSRNC_AMT_')} AS _coinsurance,
        ${slots('LINE_ALOWD_CHRG_AMT_')} AS _allowed,
        ${slots('LINE_PRCSG_IND_CD_')} AS _processing
      FROM ${ident(table)}
    ),
    line AS (
      SELECT * FROM slot
      WHERE ${text('_hcpcs')} IS NOT NULL OR ${text('_npi')} IS NOT NULL OR ${text('_processing')} IS NOT NULL
        OR ${nonzero('_paid')} OR ${nonzero('_allowed')} OR ${nonzero('_deductible')} OR ${nonzero('_coinsurance')}
    )
    SELECT
      ${text('CLM_ID')} AS claim_id,
      _n AS claim_line_number,
      'professional' AS claim_type,
      ${text('DESYNPUF_ID')} AS person_id,
      ${text('DESYNPUF_ID')} AS member_id,
      '${PART_B.payer}' AS payer,
      '${PART_B.plan}' AS plan,
      ${cmsDate('CLM_FROM_DT')} AS claim_start_date,
      ${cmsDate('CLM_THRU_DT')} AS claim_end_date,
      ${matching('_hcpcs', HCPCS)} AS hcpcs_code,
      ${matching('_npi', NPI)} AS rendering_npi,
      ${text('_tin')} AS billing_tin,
      coalesce(${text('_paid')}, '0') AS paid_amount,
      ${text('_allowed')} AS allowed_amount,
      '0' AS charge_amount,
      ${text('_coinsurance')} AS coinsurance_amount,
      ${text('_deductible')} AS deductible_amount,
      'icd-9-cm' AS diagnosis_code_type,
      ${diagnoses},
      CASE WHEN ${text('_processing')} IS NULL OR upper(${text('_processing')}) IN (${ALLOWED_PROCESSING.map((c) => `'${c}'`).join(', ')})
        THEN 'paid' ELSE 'denied' END AS claim_status,
      ${dataSource()} AS data_source,
      _file,
      _record
    FROM line
    ORDER BY _file, _record, _n`;
}
