// claim_adjustment: remittance adjustments (X12 835 CAS segments), one row per adjustment reason
// per claim line and remittance.
import type { TableSpec } from '../spec.ts';

export const ADJUSTMENT_GROUP_CODES = ['CO', 'PR', 'OA', 'PI', 'CR'] as const;

export const claim_adjustment: TableSpec = {
  name: 'claim_adjustment',
  description: 'Remittance adjustments from 835 CAS segments: why a line was paid less than charged (contractual, patient responsibility, denial). One row per claim line, remittance and reason.',
  grain: ['claim_id', 'claim_line_number', 'remit_date', 'adjustment_sequence'],
  requiredFile: false,
  columns: [
    { name: 'claim_id', type: 'string', required: true, description: 'Claim the adjustment applies to; joins to medical_claim.claim_id.' },
    { name: 'claim_line_number', type: 'integer', required: true, min: 0, description: 'Line adjusted; 0 for a claim-level adjustment (835 loop 2100 CAS).' },
    { name: 'remit_date', type: 'date', required: true, description: 'Date of the remittance (835 BPR16 / DTM production date) carrying the adjustment.' },
    { name: 'adjustment_sequence', type: 'integer', required: true, min: 1, description: 'Order of the adjustment within the line and remittance.' },
    { name: 'payer', type: 'string', required: true, description: 'Payer that sent the remittance.' },
    { name: 'adjustment_group_code', type: 'string', required: true, allowed: ADJUSTMENT_GROUP_CODES, description: 'CAS01 group: CO contractual obligation, PR patient responsibility, OA other adjustment, PI payer-initiated reduction, CR correction or reversal.' },
    { name: 'carc_code', type: 'string', required: true, pattern: '^[A-Z]?[0-9]{1,3}$|^[A-Z][0-9A-Z]?$', patternText: 'a claim adjustment reason code such as 45, 197 or A1', codeset: 'carc', description: 'Claim Adjustment Reason Code (X12 CARC list).' },
    { name: 'rarc_code', type: 'string', pattern: '^[A-Z]{1,2}[0-9]{1,3}$', patternText: 'a remittance advice remark code such as N130 or MA04', codeset: 'rarc', description: 'Remittance Advice Remark Code (LQ segment), when given.' },
    { name: 'adjustment_amount', type: 'money', required: true, description: 'Amount adjusted (positive reduces payment; negative for reversals).' },
    { name: 'adjustment_quantity', type: 'number', description: 'Units adjusted, when given.' },
    { name: 'data_source', type: 'string', description: 'Name of the source system or file.' },
  ],
  foreignKeys: [{ columns: ['claim_id', 'claim_line_number'], references: { table: 'medical_claim', columns: ['claim_id', 'claim_line_number'] }, label: 'adjusts' }],
};
