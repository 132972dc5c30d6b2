// The in-memory shape of one member's simulated care: claims with lines, built by the care and
// inpatient modules and consumed by adjudication. Objects live only while their member is processed.
import type { Procedure } from './catalog/procedures.ts';
import { procedure } from './catalog/procedures.ts';
import type { Span } from './eligibility.ts';
import type { Ledger } from './ledger.ts';
import type { GenerateConfig } from './options.ts';
import type { Member } from './population.ts';
import type { Provider, ProviderDirectory } from './providers.ts';
import type { Rng } from './rng.ts';
import type { TableWriter } from './writer.ts';

export type EncounterType =
  | 'inpatient'
  | 'emergency'
  | 'outpatient'
  | 'office'
  | 'telehealth'
  | 'home_health'
  | 'snf'
  | 'other';

/** Which cost-sharing rule applies to the claim. */
export type CostShareKind = 'pcp' | 'specialist' | 'ed' | 'urgent' | 'inpatient' | 'preventive' | 'other';

export interface Line {
  proc: Procedure | undefined;
  code: string;
  rev: string;
  units: number;
  /** Billed charge in cents. */
  charge: number;
  mod: string;
  from: number;
  to: number;
}

export interface Claim {
  inst: boolean;
  from: number;
  to: number;
  admit: number;
  discharge: number;
  admitSource: string;
  admitType: string;
  disposition: string;
  pos: string;
  billType: string;
  drg: string;
  dx: string[];
  rendering: Provider;
  billing: Provider;
  facility: Provider | undefined;
  lines: Line[];
  costShare: CostShareKind;
  /** Prior authorization: needed by a line done electively, and the number when obtained. */
  authRequired: boolean;
  authNumber: string;
  /** Missing authorization denies the whole claim (elective inpatient stays). */
  authWholeClaim: boolean;
  /** EHR encounter this claim stands for (one per visit; professional claims of a facility visit carry none). */
  encounter: EncounterType | undefined;
  /** Resubmission of another claim under a new id (the duplicate mechanism). */
  duplicate: boolean;
}

export interface Writers {
  eligibility: TableWriter;
  medical: TableWriter;
  pharmacy: TableWriter;
  adjustment: TableWriter;
  payment: TableWriter;
  encounter: TableWriter;
}

export interface Counters {
  claim: number;
  rx: number;
  encounter: number;
  payment: number;
  auth: number;
}

/** What a run shares across members. */
export interface BookContext {
  cfg: GenerateConfig;
  providers: ProviderDirectory;
  writers: Writers;
  ledger: Ledger;
}

/** One member's simulation state. */
export interface MemberContext {
  book: BookContext;
  m: Member;
  rng: Rng;
  spans: Span[];
  /** First and last day the member can receive services in the window. */
  first: number;
  last: number;
  pcp: Provider | undefined;
  specialists: Map<string, Provider>;
  hospital: Provider | undefined;
  claims: Claim[];
  /** Inpatient and SNF intervals, kept free of other visits. */
  busy: [number, number][];
  /** Deductible left, in cents, by payer and benefit year (key payer * 10000 + year). */
  deductibles: Map<number, number>;
  /** Days with a claim or an encounter (EHR-only encounters avoid them). */
  visitDays: Set<number>;
  /** EHR encounters written for the member. */
  encounters: number;
  /** The member's chronic diagnosis codes, heaviest condition first (computed once). */
  chronic: string[];
  /** Identifiers issued to the member so far, by kind (see nextId). */
  ids: Counters;
}

/**
 * The next identifier of a kind for the member: prefix, the member's number (1-based, 8 digits) and
 * the member's count of that kind (4 digits). Numbering within the member, not across the book, is
 * what lets shards of members be generated side by side and still write the same files.
 *
 * @example nextId(mc, 'claim', 'CLM') // 'CLM000001230007': member 123's 7th claim
 */
export function nextId(mc: MemberContext, kind: keyof Counters, prefix: string): string {
  const n = ++mc.ids[kind];
  return `${prefix}${String(mc.m.index + 1).padStart(8, '0')}${String(n).padStart(4, '0')}`;
}

export function isBusy(mc: MemberContext, day: number): boolean {
  for (const [a, b] of mc.busy) if (day >= a && day <= b) return true;
  return false;
}

/** An empty claim; callers add lines. */
export function newClaim(
  inst: boolean,
  from: number,
  rendering: Provider,
  billing: Provider,
  facility: Provider | undefined,
  pos: string,
  dx: string[],
  costShare: CostShareKind,
  encounter: EncounterType | undefined,
): Claim {
  return {
    inst,
    from,
    to: from,
    admit: -1,
    discharge: -1,
    admitSource: '',
    admitType: '',
    disposition: '',
    pos,
    billType: '',
    drg: '',
    dx,
    rendering,
    billing,
    facility,
    lines: [],
    costShare,
    authRequired: false,
    authNumber: '',
    authWholeClaim: false,
    encounter,
    duplicate: false,
  };
}

/** Adds a catalog procedure line; the charge follows the billing provider's chargemaster level. */
export function addLine(c: Claim, rng: Rng, code: string, units = 1, mod = '', day = c.from, rev = ''): Line {
  const proc = procedure(code);
  const charge = Math.round(proc.charge * units * c.billing.priceFactor * (0.94 + 0.12 * rng.next()) * 100);
  const line: Line = {
    proc,
    code,
    rev: c.inst ? rev || proc.rev || '' : '',
    units,
    charge,
    mod,
    from: day,
    to: day,
  };
  c.lines.push(line);
  if (day > c.to) c.to = day;
  return line;
}

/** Adds a revenue-code-only facility line (room and board, pharmacy, supplies) with a charge in dollars. */
export function addRevenueLine(
  c: Claim,
  rev: string,
  dollars: number,
  units: number,
  from: number,
  to: number,
): Line {
  const line: Line = {
    proc: undefined,
    code: '',
    rev,
    units,
    charge: Math.max(100, Math.round(dollars * 100)),
    mod: '',
    from,
    to,
  };
  c.lines.push(line);
  if (to > c.to) c.to = to;
  return line;
}
