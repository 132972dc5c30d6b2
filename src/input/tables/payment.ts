// payment: money received against claims, from payers (835 payments) and from patients.
import type { TableSpec } from '../spec.ts';

export const payment: TableSpec = {
  name: 'payment',
  description: 'Payments received: payer payments per claim (835 CLP04 / BPR) and patient payments toward balances.',
  grain: ['payment_id'],
  requiredFile: false,
  columns: [
    { name: 'payment_id', type: 'string', required: true, description: 'Unique payment identifier.' },
    { name: 'claim_id', type: 'string', description: 'Claim the payment applies to; blank for an unapplied patient payment on account.' },
    { name: 'person_id', type: 'string', required: true, phi: 'identifier', description: 'Person whose account received the payment.' },
    { name: 'payer', type: 'string', description: 'Payer that paid; blank for patient payments.' },
    { name: 'payment_source', type: 'string', required: true, allowed: ['payer', 'patient'], description: 'Who paid: the payer or the patient.' },
    { name: 'payment_date', type: 'date', required: true, description: 'Date the payment was received (posted).' },
    { name: 'payment_amount', type: 'money', required: true, description: 'Amount received; negative for refunds and recoupments.' },
    { name: 'payment_method', type: 'string', allowed: ['eft', 'check', 'card', 'cash', 'other'], description: 'How the payment arrived.' },
    { name: 'trace_number', type: 'string', description: 'EFT trace or check number (835 TRN02).' },
    { name: 'data_source', type: 'string', description: 'Name of the source system or file.' },
  ],
  foreignKeys: [
    { columns: ['claim_id'], references: { table: 'medical_claim', columns: ['claim_id'] }, label: 'pays' },
    { columns: ['person_id'], references: { table: 'eligibility', columns: ['person_id'] }, label: 'account of' },
  ],
};
