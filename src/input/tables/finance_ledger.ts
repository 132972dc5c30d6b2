// finance_ledger: monthly booked amounts by payer from the general ledger, for reconciliation.
import type { TableSpec } from '../spec.ts';

export const finance_ledger: TableSpec = {
  name: 'finance_ledger',
  description: 'Finance general-ledger totals by month and payer: what finance booked, to reconcile against claims (paid amounts by paid month).',
  grain: ['ledger_month', 'payer'],
  requiredFile: false,
  columns: [
    { name: 'ledger_month', type: 'date', required: true, description: 'First day of the accounting month.' },
    { name: 'payer', type: 'string', required: true, description: 'Payer the amounts were booked against.' },
    { name: 'gross_charges', type: 'money', description: 'Gross charges booked in the month.' },
    { name: 'payer_payments', type: 'money', required: true, description: 'Payer payments booked in the month (cash basis).' },
    { name: 'patient_payments', type: 'money', description: 'Patient payments booked in the month.' },
    { name: 'contractual_adjustments', type: 'money', description: 'Contractual allowances booked in the month.' },
    { name: 'bad_debt', type: 'money', description: 'Bad-debt write-offs booked in the month.' },
    { name: 'revenue_cycle_cost', type: 'money', description: 'Cost of the revenue-cycle function in the month (billing, collections), for cost to collect.' },
    { name: 'data_source', type: 'string', description: 'Name of the ledger or extract.' },
  ],
  foreignKeys: [{ columns: ['payer'], references: { table: 'payer', columns: ['payer'] }, label: 'booked for' }],
};
