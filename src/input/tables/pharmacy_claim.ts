// pharmacy_claim: one row per prescription fill line (NCPDP), Tuva input-layer names.
import type { TableSpec } from '../spec.ts';
import { NPI_PATTERN } from '../spec.ts';
import { CLAIM_STATUSES } from './medical_claim.ts';

export const pharmacy_claim: TableSpec = {
  name: 'pharmacy_claim',
  description: 'Retail and mail-order pharmacy claims: one row per fill line.',
  grain: ['claim_id', 'claim_line_number'],
  requiredFile: false,
  columns: [
    { name: 'claim_id', type: 'string', required: true, description: 'Pharmacy claim identifier.' },
    { name: 'claim_line_number', type: 'integer', required: true, min: 1, description: 'Line number within the claim.' },
    { name: 'person_id', type: 'string', required: true, phi: 'identifier', description: 'Person the drug was dispensed for.' },
    { name: 'member_id', type: 'string', required: true, phi: 'identifier', description: 'Payer-issued member identifier.' },
    { name: 'payer', type: 'string', required: true, description: 'Payer billed.' },
    { name: 'plan', type: 'string', required: true, description: 'Plan billed.' },
    { name: 'prescribing_provider_npi', type: 'string', pattern: NPI_PATTERN, patternText: '10 digits', description: 'NPI of the prescriber.' },
    { name: 'dispensing_provider_npi', type: 'string', pattern: NPI_PATTERN, patternText: '10 digits', description: 'NPI of the dispensing pharmacy.' },
    { name: 'dispensing_date', type: 'date', required: true, phi: 'date', description: 'Date the fill was dispensed.' },
    { name: 'ndc_code', type: 'string', required: true, pattern: '^[0-9]{11}$', patternText: '11 digits (NDC 5-4-2 without dashes)', description: 'National Drug Code, 11-digit 5-4-2 form.' },
    { name: 'quantity', type: 'number', min: 0, description: 'Quantity dispensed.' },
    { name: 'days_supply', type: 'integer', required: true, min: 1, max: 365, description: 'Days the fill is meant to last.' },
    { name: 'refills', type: 'integer', min: 0, description: 'Refill number (0 for a new prescription).' },
    { name: 'paid_date', type: 'date', description: 'Date the payer paid the fill.' },
    { name: 'paid_amount', type: 'money', required: true, description: 'Amount paid by the payer.' },
    { name: 'allowed_amount', type: 'money', description: 'Allowed amount (payer payment plus member cost sharing).' },
    { name: 'charge_amount', type: 'money', description: 'Billed (submitted) amount.' },
    { name: 'coinsurance_amount', type: 'money', description: 'Member coinsurance.' },
    { name: 'copayment_amount', type: 'money', description: 'Member copayment.' },
    { name: 'deductible_amount', type: 'money', description: 'Member deductible applied.' },
    { name: 'in_network_flag', type: 'boolean', description: 'True when the pharmacy is in network.' },
    { name: 'claim_status', type: 'string', allowed: CLAIM_STATUSES, extension: true, description: 'Adjudication status of the fill.' },
    { name: 'data_source', type: 'string', description: 'Name of the source system or extract.' },
  ],
  foreignKeys: [
    { columns: ['person_id'], references: { table: 'eligibility', columns: ['person_id'] }, label: 'for member' },
    { columns: ['prescribing_provider_npi'], references: { table: 'provider', columns: ['npi'] }, label: 'prescribed by' },
  ],
};
