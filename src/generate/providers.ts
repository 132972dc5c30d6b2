// The provider universe: clinicians grouped into billing practices, hospitals, post-acute and ancillary
// organizations, each with a valid NPI (Luhn check digit over the 80840 prefix), a heavy-tailed volume
// weight, an activity window (some stop billing midway) and billing habits that drive denials.

import { CITIES, STATES, type Zip } from './catalog/geography.ts';
import { FEMALE_NAMES, LAST_NAMES, MALE_NAMES, ORG_WORDS } from './catalog/names.ts';
import {
  INDIVIDUAL_KINDS,
  MULTI_SPECIALTY_CLINIC_TAXONOMY,
  ORG_KINDS,
  PRIMARY_CARE_CLINIC_TAXONOMY,
  type ProviderType,
} from './catalog/specialties.ts';
import type { GenerateConfig } from './options.ts';
import { Rng } from './rng.ts';
import { q, TableWriter } from './writer.ts';

/**
 * NPI check digit: the Luhn algorithm over the 9-digit base prefixed with 80840 (the NPI's ISO
 * issuer prefix), as specified by CMS ("Requirements for NPI check digit", 2005).
 */
export function npiCheckDigit(base9: string): number {
  // Luhn from the right of "80840" + base9 + check: base digits at odd positions from the check are doubled.
  let sum = 24; // contribution of the 80840 prefix, fixed by the CMS specification
  for (let i = 0; i < 9; i++) {
    let d = base9.charCodeAt(8 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidNpi(npi: string): boolean {
  return /^[0-9]{10}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === npi.charCodeAt(9) - 48;
}

export interface Provider {
  index: number;
  npi: string;
  individual: boolean;
  name: string;
  type: ProviderType;
  specialty: string;
  taxonomy: string;
  /** Specialty or organization key (see catalog/specialties.ts). */
  key: string;
  tin: string;
  city: string;
  state: string;
  stateIndex: number;
  zip: string;
  beds: number;
  /** Relative share of volume (Pareto: a few providers see most patients). */
  weight: number;
  /** First and last day the provider bills. */
  activeFrom: number;
  activeTo: number;
  /** Billing entity for individuals (a practice or the provider itself). */
  billing: number;
  /** Billing habits of the billing entity. */
  codingQuality: number;
  authDiligence: number;
  lagMedian: number;
  lateShare: number;
  inNetworkRate: number;
  /** Chargemaster level relative to the catalog's typical charge. */
  priceFactor: number;
  /** Payer index at which the billing entity is not credentialed (-1 for none). */
  credentialGap: number;
}

interface Pool {
  idx: Int32Array;
  cum: Float64Array;
}

/** Providers and the weighted pools members draw from. */
export class ProviderDirectory {
  readonly list: Provider[] = [];
  private readonly pools = new Map<string, Pool>();

  add(p: Omit<Provider, 'index'>): Provider {
    const full = { ...p, index: this.list.length };
    this.list.push(full);
    return full;
  }

  /** Builds the draw pools, per key and state and per key overall. */
  index(): void {
    const groups = new Map<string, number[]>();
    const put = (k: string, i: number) => {
      const g = groups.get(k);
      if (g) g.push(i);
      else groups.set(k, [i]);
    };
    for (const p of this.list) {
      put(`${p.key}|${p.stateIndex}`, p.index);
      put(`${p.key}|*`, p.index);
      if (p.key === 'hospital' && p.beds >= 300) {
        put(`tertiary|${p.stateIndex}`, p.index);
        put('tertiary|*', p.index);
      }
    }
    for (const [k, ids] of groups) {
      const cum = new Float64Array(ids.length);
      let s = 0;
      for (let i = 0; i < ids.length; i++) {
        s += this.list[ids[i]!]!.weight;
        cum[i] = s;
      }
      this.pools.set(k, { idx: Int32Array.from(ids), cum });
    }
  }

  /** A provider of `key`, preferably in the state, active on `day`, drawn by volume weight. */
  pick(key: string, stateIndex: number, day: number, rng: Rng): Provider {
    const local = this.pools.get(`${key}|${stateIndex}`);
    const found = local ? this.drawActive(local, day, rng) : undefined;
    if (found) return found;
    const any = this.pools.get(`${key}|*`);
    if (!any) throw new Error(`no provider of kind ${key}`);
    return this.drawActive(any, day, rng) ?? this.list[any.idx[0]!]!;
  }

  private drawActive(pool: Pool, day: number, rng: Rng): Provider | undefined {
    for (let t = 0; t < 6; t++) {
      const p = this.list[pool.idx[rng.weighted(pool.cum)]!]!;
      if (p.activeFrom <= day && day <= p.activeTo) return p;
    }
    const n = pool.idx.length;
    const start = rng.int(n);
    for (let k = 0; k < n; k++) {
      const p = this.list[pool.idx[(start + k) % n]!]!;
      if (p.activeFrom <= day && day <= p.activeTo) return p;
    }
    return undefined;
  }

  get(i: number): Provider {
    return this.list[i]!;
  }
}

const FAR_PAST = -100000;
const FAR_FUTURE = 100000;

/** Creates the provider universe sized for the book. */
export function buildProviders(cfg: GenerateConfig, zips: readonly Zip[]): ProviderDirectory {
  const rng = new Rng(cfg.seed, 0x9a0b1d);
  const dir = new ProviderDirectory();
  const usedNpi = new Set<string>();
  const k = cfg.members / 1000;
  const window = cfg.windowEnd - cfg.windowStart;
  const zipsByState = STATES.map((_, s) => zips.filter((z) => z.stateIndex === s));
  const stateWeights = STATES.map((st) =>
    CITIES.filter((c) => c.state === st).reduce((a, c) => a + c.weight, 0),
  );
  const stateCum: number[] = [];
  stateWeights.reduce((a, w, i) => {
    stateCum[i] = a + w;
    return a + w;
  }, 0);

  const npi = (individual: boolean): string => {
    for (;;) {
      const base = `${individual ? '1' : rng.chance(0.5) ? '1' : '2'}${String(rng.int(100000000)).padStart(8, '0')}`;
      const check = npiCheckDigit(base);
      // A documented sliver of NPIs carries a wrong check digit: a data-quality anomaly to catch.
      const digit = rng.chance(cfg.knobs.invalidNpiShare) ? (check + 1 + rng.int(9)) % 10 : check;
      const full = `${base}${digit}`;
      if (!usedNpi.has(full)) {
        usedNpi.add(full);
        return full;
      }
    }
  };
  const tin = (): string => `${rng.range(10, 99)}${String(rng.int(10000000)).padStart(7, '0')}`;
  const place = (stateIndex: number) => {
    const list = zipsByState[stateIndex]!;
    return list[rng.int(list.length)]!;
  };
  const activity = (always: boolean, startShare: number, stopShare: number): [number, number] => {
    if (always) return [FAR_PAST, FAR_FUTURE];
    const from = rng.chance(startShare) ? cfg.windowStart + rng.int(window) : FAR_PAST;
    const to = rng.chance(stopShare)
      ? Math.max(from + 60, cfg.windowStart + 30 + rng.int(window))
      : FAR_FUTURE;
    return [from, to];
  };
  const habits = () => ({
    codingQuality: Math.min(1, 0.55 + 0.45 * rng.next() ** 0.6),
    authDiligence: Math.min(1, 0.7 + 0.3 * rng.next() ** 0.5),
    lagMedian: rng.lognormal(9, 0.5),
    lateShare: rng.next() < 0.15 ? rng.uniform(0.05, 0.18) : rng.uniform(0, 0.025),
    inNetworkRate: rng.chance(0.1) ? rng.uniform(0.5, 0.85) : 1,
    priceFactor: rng.lognormal(1, 0.18),
    credentialGap: rng.chance(cfg.knobs.credentialGapShare) ? rng.int(4) : -1,
  });

  // Organizations first: their first instance in each state is always active so every draw succeeds.
  for (const kind of ORG_KINDS) {
    const count = Math.max(kind.min, Math.min(kind.max, Math.round(cfg.members / kind.membersPer)));
    for (let i = 0; i < count; i++) {
      const stateIndex =
        kind.key === 'mail_pharmacy' ? i % STATES.length : i < STATES.length ? i : rng.weighted(stateCum);
      const z = place(stateIndex);
      const first = i < STATES.length;
      const beds =
        kind.key === 'hospital'
          ? Math.round(Math.min(1200, Math.max(25, rng.lognormal(170, 0.75))))
          : kind.key === 'snf'
            ? rng.range(60, 180)
            : 0;
      const [from, to] = activity(first || kind.key === 'hospital', 0.04, 0.04);
      const word = rng.pick(ORG_WORDS);
      const name =
        kind.key === 'hospital'
          ? `${word} ${z.city} ${beds >= 300 ? 'Medical Center' : 'Community Hospital'}`
          : kind.key === 'pharmacy'
            ? `${word} Pharmacy #${100 + i}`
            : kind.key === 'mail_pharmacy'
              ? `${word} Mail Order Pharmacy`
              : `${word} ${kind.label} of ${z.city}`;
      dir.add({
        npi: npi(false),
        individual: false,
        name,
        type: kind.type,
        specialty: kind.label,
        taxonomy: kind.taxonomy,
        key: kind.key,
        tin: tin(),
        city: z.city,
        state: z.state,
        stateIndex,
        zip: z.zip,
        beds,
        weight: kind.key === 'hospital' ? beds : rng.pareto(1.3),
        activeFrom: from,
        activeTo: to,
        billing: -1,
        ...habits(),
      });
    }
  }
  // The largest hospital of each state is a tertiary center (transfer destination) whatever its draw.
  for (let s = 0; s < STATES.length; s++) {
    const hs = dir.list.filter((p) => p.key === 'hospital' && p.stateIndex === s);
    const top = hs.reduce((a, b) => (b.beds > a.beds ? b : a), hs[0]!);
    if (top.beds < 300) top.beds = 300 + rng.int(500);
    top.name = `${top.name.split(' ')[0]} ${top.city} Medical Center`;
    top.weight = top.beds;
  }

  // Individuals, grouped into practices that bill for them.
  for (const kind of INDIVIDUAL_KINDS) {
    const count = Math.max(kind.min, Math.round(k * kind.perThousand));
    let practice: Provider | undefined;
    let practiceLeft = 0;
    for (let i = 0; i < count; i++) {
      const stateIndex = i < STATES.length ? i : rng.weighted(stateCum);
      if (!practice || practiceLeft <= 0 || practice.stateIndex !== stateIndex) {
        const z = place(stateIndex);
        const [from, to] = activity(true, 0, 0);
        practice = dir.add({
          npi: npi(false),
          individual: false,
          name: `${rng.pick(ORG_WORDS)} ${kind.specialty} ${kind.primaryCare ? 'Primary Care' : 'Associates'}`,
          type: 'clinic',
          specialty: kind.specialty,
          taxonomy:
            kind.primaryCare || kind.key === 'pediatrics'
              ? PRIMARY_CARE_CLINIC_TAXONOMY
              : MULTI_SPECIALTY_CLINIC_TAXONOMY,
          key: `practice_${kind.key}`,
          tin: tin(),
          city: z.city,
          state: z.state,
          stateIndex,
          zip: z.zip,
          beds: 0,
          weight: 1,
          activeFrom: from,
          activeTo: to,
          billing: -1,
          ...habits(),
        });
        practiceLeft = Math.max(1, Math.round(rng.pareto(1.2) * 2));
      }
      practiceLeft--;
      const female = rng.chance(0.45);
      const first = rng.pick(female ? FEMALE_NAMES : MALE_NAMES);
      const last = rng.pick(LAST_NAMES);
      const suffix =
        kind.type === 'nurse_practitioner'
          ? 'NP'
          : kind.key === 'physical_therapy'
            ? 'PT'
            : kind.key === 'psychology'
              ? 'PhD'
              : 'MD';
      const [from, to] = activity(i < STATES.length, 0.08, 0.12);
      dir.add({
        npi: npi(true),
        individual: true,
        name: `${first} ${last} ${suffix}`,
        type: kind.type,
        specialty: kind.specialty,
        taxonomy: kind.taxonomy,
        key: kind.key,
        tin: practice.tin,
        city: practice.city,
        state: practice.state,
        stateIndex,
        zip: practice.zip,
        beds: 0,
        weight: rng.pareto(1.15),
        activeFrom: from,
        activeTo: to,
        billing: practice.index,
        codingQuality: practice.codingQuality,
        authDiligence: practice.authDiligence,
        lagMedian: practice.lagMedian,
        lateShare: practice.lateShare,
        inNetworkRate: practice.inNetworkRate,
        priceFactor: practice.priceFactor,
        credentialGap: practice.credentialGap,
      });
    }
  }
  dir.index();
  return dir;
}

export const PROVIDER_COLUMNS = [
  'npi',
  'entity_type',
  'provider_name',
  'provider_type',
  'specialty',
  'taxonomy_code',
  'tin',
  'practice_city',
  'practice_state',
  'practice_zip_code',
  'bed_count',
  'data_source',
] as const;

export function writeProviders(dir: string, providers: ProviderDirectory): number {
  const w = new TableWriter(dir, 'provider', PROVIDER_COLUMNS);
  for (const p of providers.list) {
    w.row(
      `${p.npi},${p.individual ? 'individual' : 'organization'},${q(p.name)},${p.type},${q(p.specialty)},${p.taxonomy},${p.tin},${p.city},${p.state},${p.zip},${p.beds > 0 ? p.beds : ''},claimlens synthetic`,
    );
  }
  w.close();
  return w.rows;
}
