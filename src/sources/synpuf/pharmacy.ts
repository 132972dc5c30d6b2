// Prescription drug events (Part D) to pharmacy_claim: one fill per PDE_ID. TOT_RX_CST_AMT is the
// total drug cost (ingredient, dispensing fee, tax) that plan and patient share: the allowed amount;
// PTNT_PAY_AMT is what the beneficiary paid, so the plan's payment is the difference. A value that is
// not a number passes through to paid_amount, where the loader rejects the record.
import { ident } from '../../engine/duckdb.ts';
import { PART_D } from './eligibility.ts';
import { amount, cmsDate, dataSource, money, text } from './sql.ts';

export const PDE_COLUMNS = [
  'DESYNPUF_ID',
  'PDE_ID',
  'SRVC_DT',
  'PROD_SRVC_ID',
  'QTY_DSPNSD_NUM',
  'DAYS_SUPLY_NUM',
  'PTNT_PAY_AMT',
  'TOT_RX_CST_AMT',
] as const;

export function pharmacySql(table: string): string {
  return `
    SELECT
      ${text('PDE_ID')} AS claim_id,
      1 AS claim_line_number,
      ${text('DESYNPUF_ID')} AS person_id,
      ${text('DESYNPUF_ID')} AS member_id,
      '${PART_D.payer}' AS payer,
      '${PART_D.plan}' AS plan,
      ${cmsDate('SRVC_DT')} AS dispensing_date,
      ${text('PROD_SRVC_ID')} AS ndc_code,
      ${text('QTY_DSPNSD_NUM')} AS quantity,
      ${text('DAYS_SUPLY_NUM')} AS days_supply,
      CASE
        WHEN ${text('TOT_RX_CST_AMT')} IS NOT NULL AND ${amount('TOT_RX_CST_AMT')} IS NULL THEN ${text('TOT_RX_CST_AMT')}
        WHEN ${text('PTNT_PAY_AMT')} IS NOT NULL AND ${amount('PTNT_PAY_AMT')} IS NULL THEN ${text('PTNT_PAY_AMT')}
        ELSE ${money(`${amount('TOT_RX_CST_AMT')} - coalesce(${amount('PTNT_PAY_AMT')}, 0)`)}
      END AS paid_amount,
      ${text('TOT_RX_CST_AMT')} AS allowed_amount,
      'paid' AS claim_status,
      ${dataSource()} AS data_source,
      _file,
      _record
    FROM ${ident(table)}
    ORDER BY _file, _record`;
}
