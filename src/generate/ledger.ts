// The finance general ledger: monthly totals per payer accumulated while claims are adjudicated, then
// booked with a small month-to-month variance against claims paid (timing, unapplied cash, manual
// postings) so reconciliation has something real to find. Plus revenue-cycle cost for cost to collect.
import { PAYERS } from './catalog/payers.ts';
import { dayOfMonthKey, iso, monthKey } from './dates.ts';
import type { GenerateConfig } from './options.ts';
import { Rng } from './rng.ts';
import { money, TableWriter } from './writer.ts';

/** Dollars of revenue-cycle cost per claim submitted, per denial worked, and as a share of cash. */
const COST_PER_CLAIM = 4.5;
const COST_PER_DENIAL = 22;
const COST_SHARE_OF_CASH = 0.012;

export class Ledger {
  readonly firstMonth: number;
  readonly months: number;
  private readonly np = PAYERS.length;
  readonly charges: Float64Array;
  readonly payerPaid: Float64Array;
  readonly patientPaid: Float64Array;
  readonly contractual: Float64Array;
  readonly badDebt: Float64Array;
  readonly claims: Float64Array;
  readonly denials: Float64Array;

  constructor(cfg: GenerateConfig) {
    this.firstMonth = monthKey(cfg.windowStart);
    this.months = monthKey(cfg.cutoff) - this.firstMonth + 1;
    const n = this.months * this.np;
    this.charges = new Float64Array(n);
    this.payerPaid = new Float64Array(n);
    this.patientPaid = new Float64Array(n);
    this.contractual = new Float64Array(n);
    this.badDebt = new Float64Array(n);
    this.claims = new Float64Array(n);
    this.denials = new Float64Array(n);
  }

  /** Cell of a day and payer, or -1 outside the ledger months. */
  cell(day: number, payer: number): number {
    const m = monthKey(day) - this.firstMonth;
    if (m < 0 || m >= this.months) return -1;
    return m * this.np + payer;
  }

  add(arr: Float64Array, day: number, payer: number, cents: number): void {
    const c = this.cell(day, payer);
    if (c >= 0) arr[c]! += cents;
  }

  /** The totals, to send from a shard's worker. */
  totals(): LedgerTotals {
    const { charges, payerPaid, patientPaid, contractual, badDebt, claims, denials } = this;
    return { charges, payerPaid, patientPaid, contractual, badDebt, claims, denials };
  }

  /**
   * Adds another shard's totals. Every amount is a whole number of cents (or a count) far below
   * 2^53, so the sums are exact and the ledger does not depend on how members were sharded.
   */
  addTotals(other: LedgerTotals): void {
    for (const key of Object.keys(other) as (keyof LedgerTotals)[]) {
      const mine = this[key];
      const theirs = other[key];
      for (let i = 0; i < mine.length; i++) mine[i]! += theirs[i]!;
    }
  }
}

export type LedgerTotals = Pick<
  Ledger,
  'charges' | 'payerPaid' | 'patientPaid' | 'contractual' | 'badDebt' | 'claims' | 'denials'
>;

export const LEDGER_COLUMNS = [
  'ledger_month',
  'payer',
  'gross_charges',
  'payer_payments',
  'patient_payments',
  'contractual_adjustments',
  'bad_debt',
  'revenue_cycle_cost',
] as const;

/**
 * Writes finance_ledger.csv. Payer payments = claims paid in the month x (1 + v), where v mixes a
 * month effect (uniform +-spread) and a payer effect around `ledgerVarianceMean`.
 */
export function writeLedger(dir: string, cfg: GenerateConfig, ledger: Ledger): number {
  const rng = new Rng(cfg.seed, 0x1ed9e5);
  const { ledgerVarianceMean: mean, ledgerVarianceSpread: spread } = cfg.knobs;
  const payerShift = PAYERS.map(() => (rng.next() - 0.5) * spread * 0.5);
  const w = new TableWriter(dir, 'finance_ledger', LEDGER_COLUMNS);
  const np = PAYERS.length;
  for (let m = 0; m < ledger.months; m++) {
    const monthShift = (rng.next() * 2 - 1) * spread;
    const day = dayOfMonthKey(ledger.firstMonth + m);
    for (let p = 0; p < np; p++) {
      const i = m * np + p;
      const v = mean + monthShift + payerShift[p]!;
      const booked = Math.round(ledger.payerPaid[i]! * (1 + v));
      const cash = booked + ledger.patientPaid[i]!;
      const cost = Math.round(
        (ledger.claims[i]! * COST_PER_CLAIM + ledger.denials[i]! * COST_PER_DENIAL) * 100 +
          cash * COST_SHARE_OF_CASH,
      );
      w.row(
        `${iso(day)},${PAYERS[p]!.name},${money(Math.round(ledger.charges[i]!))},${money(booked)},${money(Math.round(ledger.patientPaid[i]!))},${money(Math.round(ledger.contractual[i]!))},${money(Math.round(ledger.badDebt[i]!))},${money(cost)}`,
      );
    }
  }
  w.close();
  return w.rows;
}
