// payer: payers with their contract terms, the basis of expected payment and timely-filing checks.
import type { TableSpec } from '../spec.ts';

export const payer: TableSpec = {
  name: 'payer',
  description: 'Payers and the contract terms needed to judge their behaviour: expected allowed amount as a share of charges and the timely-filing limit.',
  grain: ['payer'],
  requiredFile: false,
  columns: [
    { name: 'payer', type: 'string', required: true, description: 'Payer name as used in claims and eligibility.' },
    { name: 'payer_id', type: 'string', description: 'Payer identifier used in X12 (NM109 of loop 1000A / 2010BB).' },
    { name: 'payer_type', type: 'string', required: true, allowed: ['commercial', 'medicare', 'medicare_advantage', 'medicaid', 'self_pay', 'other'], description: 'Line of business.' },
    { name: 'contract_allowed_pct', type: 'number', min: 0, max: 1, extension: true, description: 'Contracted allowed amount as a share of billed charges (percent-of-charges contract); expected allowed = charge x this share.' },
    { name: 'timely_filing_days', type: 'integer', min: 1, max: 1095, extension: true, description: 'Days after the date of service within which a claim must be submitted.' },
    { name: 'data_source', type: 'string', description: 'Name of the source.' },
  ],
};
