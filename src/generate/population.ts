// Members: payer group, age and sex mix per payer, households (commercial families share a subscriber,
// ZIP and income), residence ZIP tilted by payer toward richer or poorer areas, chronic conditions by
// age/sex prevalence, a latent frailty, medication adherence, and mortality.
import { C, CONDITIONS, countConditions, has } from './catalog/conditions.ts';
import type { Zip } from './catalog/geography.ts';
import { FEMALE_NAMES, LAST_NAMES, MALE_NAMES, RACES, STREET_SUFFIXES, STREETS } from './catalog/names.ts';
import { COMMERCIAL_A, COMMERCIAL_B, MEDICAID, MEDICARE_ADVANTAGE, SELF_PAY } from './catalog/payers.ts';
import { ageAt, dayOf, monthKey, yearOf } from './dates.ts';
import type { GenerateConfig } from './options.ts';
import { Choice, type Rng, sigmoid } from './rng.ts';

export type Relation = 'self' | 'spouse' | 'child';

export interface Member {
  index: number;
  personId: string;
  female: boolean;
  birth: number;
  race: string;
  zip: Zip;
  /** Payer group the member starts in (index into PAYERS). */
  track: number;
  relation: Relation;
  /** Index of the subscriber (self for subscribers). */
  subscriber: number;
  householdSize: number;
  /** Latent annual household income in dollars (always simulated, published only when known). */
  income: number;
  incomeKnown: boolean;
  /** Chronic-condition bit mask (catalog/conditions.ts) and the ICD code billed for each. */
  conditions: number;
  conditionCodes: string[];
  /** Mean-one log-normal utilization multiplier. */
  frailty: number;
  /** Probability of refilling on time (pharmacy). */
  adherence: number;
  /** Day of death, or -1. */
  death: number;
  firstName: string;
  lastName: string;
  address: string;
  phone: string;
  ssn: string;
}

const TRACKS = new Choice<number>([
  [COMMERCIAL_A, 30],
  [COMMERCIAL_B, 20],
  [MEDICARE_ADVANTAGE, 17],
  [MEDICAID, 25],
  [SELF_PAY, 8],
]);
const RACE = new Choice(RACES);

/** Age band index used by prevalence tables: 0-17, 18-44, 45-64, 65-74, 75+. */
export function ageBand(age: number): number {
  return age < 18 ? 0 : age < 45 ? 1 : age < 65 ? 2 : age < 75 ? 3 : 4;
}

/** Annual mortality by age (rounded US life-table values) before frailty and disease multipliers. */
function baseMortality(age: number): number {
  if (age < 1) return 0.005;
  if (age < 45) return 0.0012;
  if (age < 65) return 0.006;
  if (age < 75) return 0.018;
  if (age < 85) return 0.045;
  return 0.13;
}

function ageForTrack(track: number, rng: Rng): number {
  const u = rng.next();
  switch (track) {
    case MEDICARE_ADVANTAGE:
      if (u < 0.08) return rng.range(45, 64); // under-65 entitlement (disability, ESRD)
      if (u < 0.55) return rng.range(65, 74);
      if (u < 0.87) return rng.range(75, 84);
      return rng.range(85, 99);
    case MEDICAID:
      if (u < 0.45) return rng.range(0, 18);
      if (u < 0.95) return rng.range(19, 64);
      return rng.range(65, 90);
    case SELF_PAY:
      return u < 0.1 ? rng.range(0, 17) : rng.range(19, 64);
    default:
      if (u < 0.2) return rng.range(0, 25);
      if (u < 0.95) return rng.range(26, 64);
      return rng.range(65, 74);
  }
}

/** Picks a ZIP tilted by payer: commercial toward low deprivation, Medicaid and self-pay toward high. */
function zipForTrack(zips: readonly Zip[], track: number, rng: Rng): Zip {
  const n = zips.length;
  const u = rng.next();
  const tilt =
    track === COMMERCIAL_A || track === COMMERCIAL_B
      ? 1.6
      : track === MEDICAID
        ? -1.7
        : track === SELF_PAY
          ? -1.3
          : 1;
  const x = tilt >= 1 ? u ** tilt : 1 - u ** -tilt;
  return zips[Math.min(n - 1, Math.floor(x * n))]!;
}

function incomeFor(track: number, adi: number, size: number, rng: Rng): number {
  const median = [98000, 80000, 42000, 23000, 31000][track]!;
  const adj = Math.exp(-0.6 * ((adi - 50) / 50)) * (1 + 0.08 * (size - 1));
  return Math.round(rng.lognormal(median * adj, 0.55) / 100) * 100;
}

/** Household being emitted over consecutive member indices (commercial families). */
export interface Household {
  subscriber: Member;
  pending: Relation[];
  spouseAge: number;
}

/** Creates member `index`; continues `household` when dependents are pending. */
export function makeMember(
  cfg: GenerateConfig,
  zips: readonly Zip[],
  index: number,
  rng: Rng,
  household: Household | undefined,
): { member: Member; household: Household | undefined } {
  const ref = cfg.windowStart;
  const refYear = yearOf(ref);
  let track: number;
  let age: number;
  let relation: Relation = 'self';
  let zip: Zip;
  let size: number;
  let income: number;
  let incomeKnown: boolean;
  let subscriber = index;
  let next: Household | undefined;
  let newFamily: { pending: Relation[]; spouseAge: number } | undefined;
  const dependent = household?.pending.shift();
  if (household && dependent) {
    const s = household.subscriber;
    track = s.track;
    relation = dependent;
    age = dependent === 'spouse' ? Math.max(20, household.spouseAge) : rng.range(0, 24);
    zip = s.zip;
    size = s.householdSize;
    income = s.income;
    incomeKnown = s.incomeKnown;
    subscriber = s.index;
    next = household.pending.length > 0 ? household : undefined;
  } else {
    track = TRACKS.draw(rng);
    age = ageForTrack(track, rng);
    zip = zipForTrack(zips, track, rng);
    const family =
      (track === COMMERCIAL_A || track === COMMERCIAL_B) && age >= 26 && age <= 60 && rng.chance(0.5);
    const pending: Relation[] = [];
    if (family) {
      if (rng.chance(0.6)) pending.push('spouse');
      const kids = rng.weighted([0.35, 0.6, 0.85, 1]);
      for (let k = 0; k < kids; k++) pending.push('child');
    }
    size = family
      ? 1 + pending.length + (rng.chance(0.1) ? 1 : 0)
      : track === MEDICAID && age < 19
        ? rng.range(2, 6)
        : rng.weighted([0.3, 0.6, 0.75, 0.88, 0.96, 1]) + 1;
    income = incomeFor(track, zip.adi, size, rng);
    incomeKnown = rng.chance(cfg.knobs.householdKnownShare);
    if (pending.length > 0) newFamily = { pending, spouseAge: age + rng.range(-4, 4) };
  }
  const female =
    relation === 'spouse' ? rng.chance(0.8) : rng.chance(track === MEDICARE_ADVANTAGE ? 0.56 : 0.51);
  const birthYear = refYear - age - 1;
  const birth = dayOf(birthYear, 1, 1) + rng.int(365);

  // Latent frailty: standard normal z; conditions lean on it so sick members use more care.
  const z = rng.normal();
  const sigma = cfg.knobs.frailtySigma;
  const frailty = Math.exp(sigma * z - (sigma * sigma) / 2);
  const band = ageBand(age);
  let mask = 0;
  for (const c of CONDITIONS) {
    let p = c.prevalence[band];
    if (p <= 0) continue;
    if (female) p *= c.female;
    if (track === MEDICAID) p *= c.medicaid;
    if (c.bit === 15 && !female) continue; // breast cancer: women only in this catalog
    if (has(mask, C.diabetes!) && (c.bit === C.hypertension || c.bit === C.hyperlipidemia)) p *= 1.5;
    if (has(mask, C.diabetes!) && c.bit === C.ckd) p *= 2;
    if (has(mask, C.chf!) && (c.bit === C.afib || c.bit === C.ckd)) p *= 1.8;
    p *= 1 + 0.35 * ((zip.adi - 50) / 50);
    const logit = Math.log(Math.min(0.95, p) / (1 - Math.min(0.95, p))) + 0.55 * z - 0.12;
    if (rng.chance(sigmoid(logit))) mask |= 1 << c.bit;
  }
  const conditionCodes = CONDITIONS.map((c) => c.codes[rng.int(c.codes.length)]!);
  if (has(mask, C.diabetes!) && has(mask, C.ckd!)) conditionCodes[C.diabetes!] = 'E1122';

  // Death during the window: life-table base, raised by frailty and serious disease.
  let mort = baseMortality(age) * (0.4 + 0.6 * frailty);
  if (has(mask, C.lung_cancer!)) mort *= 6;
  if (has(mask, C.esrd!)) mort *= 4;
  if (has(mask, C.chf!)) mort *= 2.2;
  if (has(mask, C.dementia!)) mort *= 2.2;
  if (has(mask, C.copd!)) mort *= 1.6;
  mort = Math.min(0.6, mort);
  const years = (cfg.windowEnd - cfg.windowStart + 1) / 365.25;
  let death = -1;
  if (rng.chance(1 - (1 - mort) ** years))
    death = cfg.windowStart + rng.int(cfg.windowEnd - cfg.windowStart + 1);

  const adherence = Math.max(
    0.2,
    Math.min(
      0.99,
      0.76 + 0.13 * rng.normal() - (track === MEDICAID ? 0.06 : 0) - 0.08 * ((zip.adi - 50) / 50),
    ),
  );
  const lastName = dependent && household ? household.subscriber.lastName : rng.pick(LAST_NAMES);
  const member: Member = {
    index,
    personId: `P${String(index + 1).padStart(9, '0')}`,
    female,
    birth,
    race: RACE.draw(rng),
    zip,
    track,
    relation,
    subscriber,
    householdSize: size,
    income,
    incomeKnown,
    conditions: mask,
    conditionCodes,
    frailty,
    adherence,
    death,
    firstName: rng.pick(female ? FEMALE_NAMES : MALE_NAMES),
    lastName,
    address:
      dependent && household
        ? household.subscriber.address
        : `${rng.range(10, 9999)} ${rng.pick(STREETS)} ${rng.pick(STREET_SUFFIXES)}`,
    phone:
      dependent && household
        ? household.subscriber.phone
        : `${rng.range(200, 989)}-555-${String(rng.int(10000)).padStart(4, '0')}`,
    // Area numbers 900-999 are never issued as Social Security numbers: safe synthetic values.
    ssn: `9${String(rng.int(100)).padStart(2, '0')}-${String(rng.range(1, 99)).padStart(2, '0')}-${String(rng.range(1, 9999)).padStart(4, '0')}`,
  };
  if (newFamily) next = { subscriber: member, ...newFamily };
  return { member, household: next };
}

export function ageOn(m: Member, day: number): number {
  return ageAt(m.birth, day);
}

export function chronicCount(m: Member): number {
  return countConditions(m.conditions);
}

/** Members who turn 65 have a first-of-month Medicare entitlement: the month key of that month. */
export function medicareMonthKey(m: Member): number {
  return monthKey(m.birth) + 65 * 12;
}
