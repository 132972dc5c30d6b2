// Options of the generator turned once into a normalized configuration: the window, the cut-off and
// every mechanism knob with its default (docs/generator.md describes each one).
import { resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { addMonths, firstOfMonth, iso, parseYearMonthEnd } from './dates.ts';

export type OutputFormat = 'csv' | 'parquet';

export interface GenerateOptions {
  /** Number of distinct persons in the book. */
  members: number;
  /** Threads simulating members (default: one per core up to 4, see shardCount); the files do not depend on it. */
  shards?: number;
  /** Seed of every random stream: same seed and options give byte-identical files. */
  seed: number;
  /** Output folder (created when missing). */
  out: string;
  /** Months of service dates (default 24). */
  months?: number;
  /** Last month of service dates as YYYY-MM (default 2025-12). */
  end?: string;
  format?: OutputFormat;
  /** Mechanism knobs; anything left out keeps its default. */
  knobs?: Partial<Knobs>;
}

/** Every tunable mechanism rate; the defaults are the documented behaviour. */
export interface Knobs {
  /** Days after the window end at which the data is cut (claims paid later are pending). */
  runOutDays: number;
  /** Multiplier on all outpatient utilization rates. */
  utilization: number;
  /** Multiplier on inpatient admission rates. */
  admissions: number;
  /** Log-scale spread of the latent frailty that drives utilization (heavier tail when larger). */
  frailtySigma: number;
  /** Share of members who join the book during the window. */
  newEntrantShare: number;
  /** Share of members whose household size and income are known. */
  householdKnownShare: number;
  /** Share of claims submitted very late (60-420 days), the timely-filing mechanism. */
  lateSubmissionShare: number;
  /** Share of claims the provider submits twice under a new claim id (duplicate mechanism). */
  duplicateShare: number;
  /** Probability a provider obtains prior authorization for a service that needs one (scaled by provider diligence). */
  authObtained: number;
  /** Probability a claim with a procedure that needs a specific diagnosis carries an unspecified one. */
  unspecifiedDx: number;
  /** Probability a claim's principal diagnosis is truncated to its non-billable category (CO-16). */
  truncatedDx: number;
  /** Probability a procedure claim carries a diagnosis that does not support the procedure. */
  mismatchedDx: number;
  /** Probability modifier 25 is put on an E/M billed with a minor procedure. */
  modifier25: number;
  /** Multiplier on appeal rates of denied claims. */
  appeals: number;
  /** Intercept of the 30-day readmission log-odds (raise to get more readmissions). */
  readmitIntercept: number;
  /** Added to the readmission log-odds when no follow-up visit happens within 7 days. */
  noFollowupEffect: number;
  /** Share of visit claims with no EHR encounter, and of EHR encounters with no claim. */
  claimOnlyEncounterShare: number;
  ehrOnlyEncounterShare: number;
  /** Mean and spread of the monthly finance-ledger variance against claims paid. */
  ledgerVarianceMean: number;
  ledgerVarianceSpread: number;
  /** Share of billing organizations with a credentialing gap at one payer (CO-B7 on most of their claims there). */
  credentialGapShare: number;
  /** Data-quality anomaly rates. */
  invalidNpiShare: number;
  paidOverAllowedShare: number;
  paidDuplicateShare: number;
  outsideEligibilityPaidShare: number;
}

export const DEFAULT_KNOBS: Readonly<Knobs> = {
  runOutDays: 90,
  utilization: 1,
  admissions: 1,
  frailtySigma: 0.7,
  newEntrantShare: 0.16,
  householdKnownShare: 0.7,
  lateSubmissionShare: 0.06,
  duplicateShare: 0.025,
  authObtained: 0.82,
  truncatedDx: 0.05,
  unspecifiedDx: 0.1,
  mismatchedDx: 0.04,
  modifier25: 0.78,
  appeals: 1,
  readmitIntercept: -3.45,
  noFollowupEffect: 0.75,
  claimOnlyEncounterShare: 0.007,
  ehrOnlyEncounterShare: 0.006,
  ledgerVarianceMean: 0.012,
  ledgerVarianceSpread: 0.012,
  credentialGapShare: 0.025,
  invalidNpiShare: 0.004,
  paidOverAllowedShare: 0.0005,
  paidDuplicateShare: 0.08,
  outsideEligibilityPaidShare: 0.05,
};

export interface GenerateConfig {
  members: number;
  seed: number;
  out: string;
  months: number;
  format: OutputFormat;
  /** First and last service day (day numbers) and the data cut-off day. */
  windowStart: number;
  windowEnd: number;
  cutoff: number;
  knobs: Knobs;
}

export const DEFAULT_MONTHS = 24;
export const DEFAULT_END = '2025-12';
export const MAX_MEMBERS = 50_000_000;

/** Validates loose options once; a UsageError names every problem. */
export function normalizeOptions(options: GenerateOptions): GenerateConfig {
  const problems: string[] = [];
  const members = options.members;
  if (!Number.isInteger(members) || members < 1 || members > MAX_MEMBERS) {
    problems.push(`--members must be a whole number from 1 to ${MAX_MEMBERS}, got ${members}`);
  }
  const seed = options.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    problems.push(`--seed must be a whole number from 0 to 4294967295, got ${seed}`);
  }
  const months = options.months ?? DEFAULT_MONTHS;
  if (!Number.isInteger(months) || months < 1 || months > 120) {
    problems.push(`--months must be a whole number from 1 to 120, got ${months}`);
  }
  const endText = options.end ?? DEFAULT_END;
  const windowEnd = parseYearMonthEnd(endText);
  if (windowEnd === undefined)
    problems.push(`--end must be a month as YYYY-MM (2010-2095), got '${endText}'`);
  const format = options.format ?? 'csv';
  if (format !== 'csv' && format !== 'parquet')
    problems.push(`--format must be csv or parquet, got '${format}'`);
  if (!options.out) problems.push('--out DIR is required');
  const knobs = { ...DEFAULT_KNOBS, ...(options.knobs ?? {}) };
  for (const [k, v] of Object.entries(knobs)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`knob ${k} must be a number`);
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  const end = windowEnd!;
  const windowStart = addMonths(firstOfMonth(end), -(months - 1));
  return {
    members,
    seed,
    out: resolve(options.out),
    months,
    format,
    windowStart,
    windowEnd: end,
    cutoff: end + knobs.runOutDays,
    knobs,
  };
}

/** The window as text, for reports. */
export function describeWindow(cfg: GenerateConfig): { start: string; end: string; cutoff: string } {
  return { start: iso(cfg.windowStart), end: iso(cfg.windowEnd), cutoff: iso(cfg.cutoff) };
}
