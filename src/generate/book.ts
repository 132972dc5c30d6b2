// The generator's service: builds a synthetic book (one file per input table) member by member,
// streaming rows to disk so memory stays flat, and reports counts and timing. `claimlens generate`,
// `demo` and `bench` all call generateBook.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ADJUSTMENT_COLUMNS, adjudicateMember, ENCOUNTER_COLUMNS, MEDICAL_COLUMNS } from './adjudication.ts';
import { chronicCodes, chronicDx, pcpFor, planOutpatient } from './care.ts';
import { buildZips, type Zip } from './catalog/geography.ts';
import { PAYERS } from './catalog/payers.ts';
import { iso } from './dates.ts';
import { buildSpans, ELIGIBILITY_COLUMNS, type Span, writeEligibility } from './eligibility.ts';
import { planInpatient } from './inpatient.ts';
import { Ledger, writeLedger } from './ledger.ts';
import type { BookContext, MemberContext, Writers } from './model.ts';
import { describeWindow, type GenerateOptions, normalizeOptions } from './options.ts';
import { convertToParquet } from './parquet.ts';
import { PAYMENT_COLUMNS } from './patient.ts';
import { PHARMACY_COLUMNS, planPharmacy } from './pharmacy.ts';
import { type Household, makeMember } from './population.ts';
import { buildProviders, writeProviders } from './providers.ts';
import { Rng } from './rng.ts';
import { TableWriter } from './writer.ts';

export interface GenerateProgress {
  membersDone: number;
  members: number;
  medicalClaimLines: number;
  elapsedMs: number;
}

export interface GenerateReport {
  out: string;
  format: 'csv' | 'parquet';
  seed: number;
  members: number;
  months: number;
  window: { start: string; end: string; cutoff: string };
  /** Rows written per input table. */
  tables: Record<string, number>;
  medicalClaimLines: number;
  /** Medical claim lines per member over the window. */
  linesPerMember: number;
  files: string[];
  elapsedMs: number;
}

function writeStatic(dir: string, zips: readonly Zip[]): { payer: number; area_deprivation: number } {
  const p = new TableWriter(dir, 'payer', [
    'payer',
    'payer_id',
    'payer_type',
    'contract_allowed_pct',
    'timely_filing_days',
    'data_source',
  ]);
  for (const x of PAYERS)
    p.row(
      `${x.name},${x.payerId},${x.type},${x.allowedPct},${x.timelyFilingDays > 0 ? x.timelyFilingDays : ''},claimlens synthetic`,
    );
  p.close();
  const a = new TableWriter(dir, 'area_deprivation', [
    'zip_code',
    'state',
    'adi_national_percentile',
    'data_source',
  ]);
  const sorted = [...zips].sort((x, y) => (x.zip < y.zip ? -1 : 1));
  for (const z of sorted)
    a.row(`${z.zip},${z.state},${z.adi},claimlens synthetic (not the Neighborhood Atlas)`);
  a.close();
  return { payer: p.rows, area_deprivation: a.rows };
}

/** EHR-only encounters: a small documented share of EHR visits on days without any claim. */
function ehrOnlyEncounters(mc: MemberContext): void {
  const { rng, book } = mc;
  const share = book.cfg.knobs.ehrOnlyEncounterShare;
  let n = 0;
  for (let i = 0; i < mc.encounters; i++) if (rng.chance(share)) n++;
  if (mc.last < mc.first) return;
  for (let j = 0; j < n; j++) {
    let day = -1;
    for (let t = 0; t < 10; t++) {
      const d = mc.first + rng.int(mc.last - mc.first + 1);
      if (!mc.visitDays.has(d)) {
        day = d;
        break;
      }
    }
    if (day < 0) continue;
    mc.visitDays.add(day);
    const pcp = pcpFor(mc, day);
    const facility = pcp.billing >= 0 ? book.providers.get(pcp.billing) : pcp;
    book.ids.encounter++;
    book.writers.encounter.row(
      `E${String(book.ids.encounter).padStart(10, '0')},${mc.m.personId},office,${iso(day)},${iso(day)},${facility.npi},${pcp.npi},${chronicDx(mc)[0] ?? 'Z0000'},`,
    );
  }
}

/**
 * Generates a synthetic book of claims, pharmacy, eligibility, remittance, payments, EHR encounters,
 * providers, payers, area deprivation and the finance ledger.
 *
 * @example
 * const report = await generateBook({ members: 10_000, seed: 7, out: 'data/synthetic' });
 * console.log(report.medicalClaimLines, report.elapsedMs);
 */
export async function generateBook(
  options: GenerateOptions,
  onProgress?: (p: GenerateProgress) => void,
): Promise<GenerateReport> {
  const t0 = performance.now();
  const cfg = normalizeOptions(options);
  mkdirSync(cfg.out, { recursive: true });
  const csvDir = cfg.format === 'csv' ? cfg.out : mkdtempSync(join(cfg.out, '.claimlens-csv-'));
  try {
    const zips = buildZips(cfg.seed);
    const providers = buildProviders(cfg, zips);
    const tables: Record<string, number> = {
      ...writeStatic(csvDir, zips),
      provider: writeProviders(csvDir, providers),
    };
    const writers: Writers = {
      eligibility: new TableWriter(csvDir, 'eligibility', ELIGIBILITY_COLUMNS),
      medical: new TableWriter(csvDir, 'medical_claim', MEDICAL_COLUMNS),
      pharmacy: new TableWriter(csvDir, 'pharmacy_claim', PHARMACY_COLUMNS),
      adjustment: new TableWriter(csvDir, 'claim_adjustment', ADJUSTMENT_COLUMNS),
      payment: new TableWriter(csvDir, 'payment', PAYMENT_COLUMNS),
      encounter: new TableWriter(csvDir, 'encounter', ENCOUNTER_COLUMNS),
    };
    const ledger = new Ledger(cfg);
    const book: BookContext = {
      cfg,
      providers,
      writers,
      ledger,
      ids: { claim: 0, rx: 0, encounter: 0, payment: 0, auth: 0 },
    };
    const step = Math.max(1, Math.ceil(cfg.members / 10));
    let household: Household | undefined;
    let householdSpans: Span[] | undefined;
    for (let i = 0; i < cfg.members; i++) {
      const rng = new Rng(cfg.seed, i + 1);
      const made = makeMember(cfg, zips, i, rng, household);
      const m = made.member;
      const dependent = m.relation !== 'self' && householdSpans !== undefined;
      const spans = dependent ? buildSpans(cfg, m, rng, householdSpans) : buildSpans(cfg, m, rng);
      if (m.relation === 'self') householdSpans = made.household ? spans : undefined;
      household = made.household;
      writeEligibility(writers.eligibility, m, spans);
      const lastSpan = spans.reduce((a, s) => (s.end > a.end ? s : a), spans[0]!);
      const firstSpan = spans.reduce((a, s) => (s.start < a.start ? s : a), spans[0]!);
      // Providers keep billing the old payer for a while after coverage ends, and a few services
      // happen just before coverage starts: both show up as eligibility denials.
      let last =
        lastSpan.end < cfg.windowEnd && rng.chance(0.5) ? lastSpan.end + rng.range(10, 45) : lastSpan.end;
      let first =
        firstSpan.start > cfg.windowStart && rng.chance(0.2)
          ? firstSpan.start - rng.range(5, 25)
          : firstSpan.start;
      first = Math.max(first, cfg.windowStart, m.birth);
      last = Math.min(last, cfg.windowEnd);
      if (m.death >= 0) last = Math.min(last, m.death);
      const mc: MemberContext = {
        book,
        m,
        rng,
        spans,
        first,
        last,
        pcp: undefined,
        specialists: new Map(),
        hospital: undefined,
        claims: [],
        busy: [],
        deductibles: new Map(),
        visitDays: new Set(),
        encounters: 0,
        chronic: chronicCodes(m.conditions, m.conditionCodes),
      };
      if (last >= first) {
        planInpatient(mc);
        planOutpatient(mc);
        adjudicateMember(mc);
        ehrOnlyEncounters(mc);
        planPharmacy(mc);
      }
      if (onProgress && ((i + 1) % step === 0 || i + 1 === cfg.members)) {
        onProgress({
          membersDone: i + 1,
          members: cfg.members,
          medicalClaimLines: writers.medical.rows,
          elapsedMs: performance.now() - t0,
        });
      }
    }
    for (const w of Object.values(writers)) {
      w.close();
      tables[w.table] = w.rows;
    }
    tables.finance_ledger = writeLedger(csvDir, cfg, ledger);
    const names = [
      'payer',
      'provider',
      'area_deprivation',
      'eligibility',
      'medical_claim',
      'pharmacy_claim',
      'claim_adjustment',
      'payment',
      'encounter',
      'finance_ledger',
    ];
    let files: string[];
    if (cfg.format === 'parquet') files = await convertToParquet(csvDir, cfg.out, names);
    else files = names.map((n) => join(cfg.out, `${n}.csv`));
    const claimLines = tables.medical_claim ?? 0;
    return {
      out: cfg.out,
      format: cfg.format,
      seed: cfg.seed,
      members: cfg.members,
      months: cfg.months,
      window: describeWindow(cfg),
      tables,
      medicalClaimLines: claimLines,
      linesPerMember: claimLines / cfg.members,
      files,
      elapsedMs: performance.now() - t0,
    };
  } finally {
    if (csvDir !== cfg.out) rmSync(csvDir, { recursive: true, force: true });
  }
}
