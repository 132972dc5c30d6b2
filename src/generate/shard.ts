// Members of a book in shards: each shard simulates a contiguous range of members into its own
// files with its own ledger totals. Random streams, identifiers and ledger amounts all belong to a
// member, so shards generated side by side and joined in member order write the same book as one pass.
import { ADJUSTMENT_COLUMNS, adjudicateMember, ENCOUNTER_COLUMNS, MEDICAL_COLUMNS } from './adjudication.ts';
import { chronicCodes, chronicDx, pcpFor, planOutpatient } from './care.ts';
import { buildZips, type Zip } from './catalog/geography.ts';
import { iso } from './dates.ts';
import { buildSpans, ELIGIBILITY_COLUMNS, type Span, writeEligibility } from './eligibility.ts';
import { planInpatient } from './inpatient.ts';
import { Ledger, type LedgerTotals } from './ledger.ts';
import { type BookContext, type MemberContext, nextId, type Writers } from './model.ts';
import type { GenerateConfig } from './options.ts';
import { PAYMENT_COLUMNS } from './patient.ts';
import { PHARMACY_COLUMNS, planPharmacy } from './pharmacy.ts';
import { type Household, makeMember } from './population.ts';
import { buildProviders, type ProviderDirectory } from './providers.ts';
import { Rng } from './rng.ts';
import { TableWriter } from './writer.ts';

/** The tables written member by member, in the order they are joined. */
export const MEMBER_TABLES = [
  'eligibility',
  'medical_claim',
  'pharmacy_claim',
  'claim_adjustment',
  'payment',
  'encounter',
] as const;

export interface ShardJob {
  cfg: GenerateConfig;
  /** Members [from, to) (0-based indexes). */
  from: number;
  to: number;
  /** Directory the shard's files go to (`<table>.csv`, each with its header). */
  dir: string;
  /**
   * Int32 counters shared with the thread that reports progress: members done at `2 * slot`,
   * medical claim lines written at `2 * slot + 1`.
   */
  progress?: SharedArrayBuffer;
  slot: number;
}

export interface ShardResult {
  /** Rows written per table of MEMBER_TABLES. */
  tables: Record<string, number>;
  ledger: LedgerTotals;
}

/** ZIP codes and providers every shard draws from: the same for a seed, whichever thread builds them. */
export interface BookBasics {
  zips: Zip[];
  providers: ProviderDirectory;
}

export function bookBasics(cfg: GenerateConfig): BookBasics {
  const zips = buildZips(cfg.seed);
  return { zips, providers: buildProviders(cfg, zips) };
}

/** Simulates the shard's members into its directory and returns its row counts and ledger totals. */
export function runShard(
  job: ShardJob,
  basics: BookBasics = bookBasics(job.cfg),
  onMember?: () => void,
): ShardResult {
  const { cfg } = job;
  const { zips, providers } = basics;
  const counters = job.progress ? new Int32Array(job.progress) : undefined;
  const writers: Writers = {
    eligibility: new TableWriter(job.dir, 'eligibility', ELIGIBILITY_COLUMNS),
    medical: new TableWriter(job.dir, 'medical_claim', MEDICAL_COLUMNS),
    pharmacy: new TableWriter(job.dir, 'pharmacy_claim', PHARMACY_COLUMNS),
    adjustment: new TableWriter(job.dir, 'claim_adjustment', ADJUSTMENT_COLUMNS),
    payment: new TableWriter(job.dir, 'payment', PAYMENT_COLUMNS),
    encounter: new TableWriter(job.dir, 'encounter', ENCOUNTER_COLUMNS),
  };
  const ledger = new Ledger(cfg);
  const book: BookContext = { cfg, providers, writers, ledger };
  let household: Household | undefined;
  let householdSpans: Span[] | undefined;
  try {
    for (let i = 0; i < job.to; i++) {
      const rng = new Rng(cfg.seed, i + 1);
      const made = makeMember(cfg, zips, i, rng, household);
      const m = made.member;
      const dependent = m.relation !== 'self' && householdSpans !== undefined;
      const spans = dependent ? buildSpans(cfg, m, rng, householdSpans) : buildSpans(cfg, m, rng);
      if (m.relation === 'self') householdSpans = made.household ? spans : undefined;
      household = made.household;
      // Members before the shard are replayed only this far: dependents continue their household.
      if (i < job.from) continue;
      simulateMember(book, m, spans, rng);
      if (counters) {
        Atomics.store(counters, 2 * job.slot, i + 1 - job.from);
        Atomics.store(counters, 2 * job.slot + 1, writers.medical.rows);
      }
      onMember?.();
    }
  } finally {
    for (const w of Object.values(writers)) w.close();
  }
  const tables: Record<string, number> = {};
  for (const w of Object.values(writers)) tables[w.table] = w.rows;
  return { tables, ledger: ledger.totals() };
}

function simulateMember(book: BookContext, m: MemberContext['m'], spans: Span[], rng: Rng): void {
  const { cfg, writers } = book;
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
    ids: { claim: 0, rx: 0, encounter: 0, payment: 0, auth: 0 },
  };
  if (last >= first) {
    planInpatient(mc);
    planOutpatient(mc);
    adjudicateMember(mc);
    ehrOnlyEncounters(mc);
    planPharmacy(mc);
  }
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
    book.writers.encounter.row(
      `${nextId(mc, 'encounter', 'E')},${mc.m.personId},office,${iso(day)},${iso(day)},${facility.npi},${pcp.npi},${chronicDx(mc)[0] ?? 'Z0000'},`,
    );
  }
}
