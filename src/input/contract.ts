// The input-layer contract: every table claimlens reads, in load order. The single source of DDL,
// validation, the data dictionary and PHI classification.
import type { ColumnSpec, TableSpec } from './spec.ts';
import { area_deprivation } from './tables/area_deprivation.ts';
import { claim_adjustment } from './tables/claim_adjustment.ts';
import { eligibility } from './tables/eligibility.ts';
import { encounter } from './tables/encounter.ts';
import { finance_ledger } from './tables/finance_ledger.ts';
import { medical_claim } from './tables/medical_claim.ts';
import { payer } from './tables/payer.ts';
import { payment } from './tables/payment.ts';
import { pharmacy_claim } from './tables/pharmacy_claim.ts';
import { provider } from './tables/provider.ts';

export const INPUT_TABLES: readonly TableSpec[] = [
  payer,
  provider,
  area_deprivation,
  eligibility,
  medical_claim,
  pharmacy_claim,
  claim_adjustment,
  payment,
  encounter,
  finance_ledger,
];

export type InputTableName =
  | 'payer'
  | 'provider'
  | 'area_deprivation'
  | 'eligibility'
  | 'medical_claim'
  | 'pharmacy_claim'
  | 'claim_adjustment'
  | 'payment'
  | 'encounter'
  | 'finance_ledger';

/** The schema input tables live in; staging models read from it. */
export const INPUT_SCHEMA = 'input';

export function tableSpec(name: string): TableSpec {
  const spec = INPUT_TABLES.find((t) => t.name === name);
  if (!spec) throw new Error(`unknown input table ${name}`);
  return spec;
}

export function columnSpec(table: string, column: string): ColumnSpec {
  const col = tableSpec(table).columns.find((c) => c.name === column);
  if (!col) throw new Error(`unknown column ${table}.${column}`);
  return col;
}
