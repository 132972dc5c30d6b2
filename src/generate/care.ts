// Outpatient care of one member: primary-care, preventive and specialist visits with their labs,
// ED and urgent-care visits, imaging, endoscopy and surgery, infusions, dialysis, therapy and DME.
// Rates scale with age, chronic conditions and frailty; prior authorization, coding quality and
// modifier 25 are decided here so the denial mechanisms are visible on the claims.
import { ACUTE_REASONS, type AcuteReason, C, CONDITIONS, has } from './catalog/conditions.ts';
import { DX } from './catalog/diagnoses.ts';
import { MEDICAID, MEDICARE_ADVANTAGE, SELF_PAY } from './catalog/payers.ts';
import { dxSupports, UNSPECIFIED_DX } from './catalog/procedures.ts';
import { dayOf, yearOf } from './dates.ts';
import { spanAt } from './eligibility.ts';
import {
  addLine,
  addRevenueLine,
  type Claim,
  type CostShareKind,
  type EncounterType,
  isBusy,
  type MemberContext,
  newClaim,
  nextId,
} from './model.ts';
import { ageBand, ageOn, chronicCount } from './population.ts';
import type { Provider } from './providers.ts';
import { Choice, cumulative } from './rng.ts';

// ---------------------------------------------------------------- providers of a member

export function billingOf(mc: MemberContext, p: Provider): Provider {
  return p.billing >= 0 ? mc.book.providers.get(p.billing) : p;
}

function active(p: Provider | undefined, day: number): p is Provider {
  return p !== undefined && p.activeFrom <= day && day <= p.activeTo;
}

export function pcpFor(mc: MemberContext, day: number): Provider {
  if (active(mc.pcp, day)) return mc.pcp;
  const age = ageOn(mc.m, day);
  const u = mc.rng.next();
  const key =
    age < 18
      ? u < 0.6
        ? 'pediatrics'
        : 'family_medicine'
      : u < 0.45
        ? 'family_medicine'
        : u < 0.8
          ? 'internal_medicine'
          : 'nurse_practitioner';
  mc.pcp = mc.book.providers.pick(key, mc.m.zip.stateIndex, day, mc.rng);
  return mc.pcp;
}

export function specialist(mc: MemberContext, key: string, day: number): Provider {
  const known = mc.specialists.get(key);
  if (active(known, day)) return known;
  const p = mc.book.providers.pick(key, mc.m.zip.stateIndex, day, mc.rng);
  mc.specialists.set(key, p);
  return p;
}

export function homeHospital(mc: MemberContext, day: number): Provider {
  if (active(mc.hospital, day)) return mc.hospital;
  mc.hospital = mc.book.providers.pick('hospital', mc.m.zip.stateIndex, day, mc.rng);
  return mc.hospital;
}

// ---------------------------------------------------------------- diagnoses

/** The member's chronic diagnosis codes, heaviest conditions first. */
export function chronicDx(mc: MemberContext): string[] {
  return mc.chronic;
}

const BY_WEIGHT = [...CONDITIONS].sort((a, b) => b.weight - a.weight || a.bit - b.bit);

/** Computes the member's chronic diagnosis list once, for `chronicDx`. */
export function chronicCodes(conditions: number, codes: readonly string[]): string[] {
  const out: string[] = [];
  for (const c of BY_WEIGHT) if (has(conditions, c.bit)) out.push(codes[c.bit]!);
  return out;
}

/** Principal diagnosis followed by up to four chronic codes. */
export function dxList(mc: MemberContext, primary: string, max = 5): string[] {
  const out = [primary];
  for (const d of chronicDx(mc)) {
    if (out.length >= max) break;
    if (d !== primary) out.push(d);
  }
  return out;
}

export const MISMATCH_DX: readonly string[] = ['J069', 'R05', 'J029', 'H6690', 'K5900'];

/**
 * Coding quality of the billing provider: claims with procedures that need a specific diagnosis now
 * and then carry an unspecified one (CO-16 mechanism) or one that does not support the procedure (CO-11).
 */
export function codingNoise(mc: MemberContext, c: Claim): void {
  const { rng } = mc;
  const k = mc.book.cfg.knobs;
  const quality = c.billing.codingQuality;
  let specific = false;
  let ruled: Claim['lines'][number]['proc'];
  for (const l of c.lines) {
    if (l.proc?.specificDx) specific = true;
    if (l.proc?.dx) ruled = l.proc;
  }
  if (specific && rng.chance(k.unspecifiedDx * (1.6 - quality))) {
    c.dx[0] = UNSPECIFIED_DX[rng.int(UNSPECIFIED_DX.length)]!;
  } else if (ruled && rng.chance(k.mismatchedDx * (1.6 - quality))) {
    const options = MISMATCH_DX.filter((d) => !dxSupports(ruled!, d));
    if (options.length > 0) c.dx[0] = options[rng.int(options.length)]!;
  }
}

// ---------------------------------------------------------------- prior authorization

/** Requests an authorization for an elective service; the number when the provider obtained one. */
export function authorize(mc: MemberContext, billing: Provider): string {
  const k = mc.book.cfg.knobs;
  const p = Math.min(0.995, (k.authObtained * billing.authDiligence) / 0.9);
  if (!mc.rng.chance(p)) return '';
  return nextId(mc, 'auth', 'PA');
}

/** Marks claims that carry a prior-authorization line and gives them the event's authorization. */
export function applyAuth(mc: MemberContext, claims: Claim[]): void {
  let needs = false;
  for (const c of claims) for (const l of c.lines) if (l.proc?.pa) needs = true;
  if (!needs) return;
  const number = authorize(mc, claims[0]!.billing);
  for (const c of claims) {
    let has = false;
    for (const l of c.lines) if (l.proc?.pa) has = true;
    if (has) {
      c.authRequired = true;
      c.authNumber = number;
    }
  }
}

// ---------------------------------------------------------------- visit builders

function push(mc: MemberContext, c: Claim): Claim {
  mc.claims.push(c);
  return c;
}

const EM_LEVEL = new Choice<string>([
  ['99212', 8],
  ['99213', 50],
  ['99214', 35],
  ['99215', 7],
]);

interface OfficeOptions {
  em?: string;
  labs?: readonly string[];
  telehealth?: boolean;
  minor?: string;
  extra?: readonly string[];
  costShare?: CostShareKind;
  encounter?: EncounterType;
  pos?: string;
}

/** An office (or telehealth) visit: E/M, in-office or reference-lab tests, optional procedures. */
export function officeVisit(
  mc: MemberContext,
  day: number,
  provider: Provider,
  primaryDx: string,
  opts: OfficeOptions = {},
): Claim {
  const { rng } = mc;
  const billing = billingOf(mc, provider);
  const tele = opts.telehealth === true;
  const pos = opts.pos ?? (tele ? (rng.chance(0.6) ? '10' : '02') : '11');
  const c = newClaim(
    false,
    day,
    provider,
    billing,
    undefined,
    pos,
    dxList(mc, primaryDx),
    opts.costShare ?? 'pcp',
    opts.encounter ?? (tele ? 'telehealth' : 'office'),
  );
  let em = opts.em ?? (rng.chance(0.06) ? (rng.chance(0.5) ? '99203' : '99204') : EM_LEVEL.draw(rng));
  if (chronicCount(mc.m) >= 4 && em === '99213' && rng.chance(0.4)) em = '99214';
  const emLine = addLine(c, rng, em, 1, tele ? '95' : '');
  if (opts.minor) {
    addLine(c, rng, opts.minor);
    // Separately identifiable E/M on the day of a minor procedure needs modifier 25.
    const k = mc.book.cfg.knobs;
    if (rng.chance((k.modifier25 * (0.5 + 0.5 * billing.codingQuality)) / 0.9)) emLine.mod = '25';
  }
  for (const code of opts.extra ?? []) addLine(c, rng, code);
  const labs = opts.labs ?? [];
  if (labs.length > 0 && !tele) {
    if (rng.chance(0.55)) {
      addLine(c, rng, '36415');
      for (const code of labs) addLine(c, rng, code);
    } else {
      const lab = mc.book.providers.pick('laboratory', mc.m.zip.stateIndex, day, rng);
      const lc = newClaim(false, day, lab, lab, undefined, '81', c.dx.slice(), 'other', undefined);
      addLine(lc, rng, '36415');
      for (const code of labs) addLine(lc, rng, code);
      codingNoise(mc, lc);
      push(mc, lc);
    }
  }
  codingNoise(mc, c);
  applyAuth(mc, [c]);
  return push(mc, c);
}

function edLevel(severity: number, mc: MemberContext): string {
  const u = mc.rng.next();
  if (severity >= 3) return u < 0.7 ? '99285' : '99284';
  if (severity === 2) return u < 0.6 ? '99284' : u < 0.85 ? '99283' : '99285';
  return u < 0.75 ? '99283' : '99284';
}

/** Facility and physician claims of an emergency visit that does not end in admission. */
export function edVisit(mc: MemberContext, day: number, reason: AcuteReason, primaryDx: string): void {
  const { rng } = mc;
  const hospital = homeHospital(mc, day);
  const dx = dxList(mc, primaryDx);
  const level = edLevel(reason.severity, mc);
  const fac = newClaim(true, day, hospital, hospital, hospital, '', dx, 'ed', 'emergency');
  fac.billType = '131';
  const physician = mc.book.providers.pick('emergency_medicine', hospital.stateIndex, day, rng);
  const line = addLine(fac, rng, level, 1, '', day, '0450');
  line.charge = Math.round(line.charge * (level === '99285' ? 5 : level === '99284' ? 4 : 3));
  const d = primaryDx;
  if (reason.severity >= 2 || rng.chance(0.3)) {
    addLine(fac, rng, '80053');
    addLine(fac, rng, '85025');
  }
  if (d === DX.chestPain || d === 'R0602' || d === DX.syncope) {
    addLine(fac, rng, '84484');
    addLine(fac, rng, '93005');
    addLine(fac, rng, '71046');
  }
  if (d.startsWith('J') || d === 'R05' || d === 'U071') {
    if (rng.chance(0.5)) addLine(fac, rng, '71046');
  }
  if (d === DX.headache || d === DX.dizziness || d === DX.syncope || (d.startsWith('S') && rng.chance(0.2))) {
    if (rng.chance(0.45)) addLine(fac, rng, '70450');
  }
  if (d === DX.abdominalPain && rng.chance(0.35)) addLine(fac, rng, '74177');
  if (d === 'N390') {
    addLine(fac, rng, '81001');
    addLine(fac, rng, '87086');
    if (rng.chance(0.4)) addLine(fac, rng, 'J0696', 4);
  }
  if (d === 'L03115' && rng.chance(0.5)) addLine(fac, rng, 'J0696', 4);
  if ((d === 'R112' || d === DX.abdominalPain) && rng.chance(0.6)) addLine(fac, rng, 'J2405', 4);
  if ((d === DX.lowBackPain || d.startsWith('S') || d === DX.headache) && rng.chance(0.5))
    addLine(fac, rng, 'J1885', 2);
  if (reason.severity >= 2 && rng.chance(0.4)) addLine(fac, rng, 'J7030');
  addRevenueLine(fac, '0250', rng.lognormal(120, 0.6), 1, day, day);
  push(mc, fac);
  const prof = newClaim(
    false,
    day,
    physician,
    billingOf(mc, physician),
    hospital,
    '23',
    dx.slice(),
    'other',
    undefined,
  );
  addLine(prof, rng, level);
  push(mc, prof);
  if (ageOn(mc.m, day) >= 75 && reason.severity >= 2 && rng.chance(0.4))
    ambulance(mc, day, dx, reason.severity >= 3);
}

export function ambulance(mc: MemberContext, day: number, dx: string[], als: boolean): void {
  const amb = mc.book.providers.pick('ambulance', mc.m.zip.stateIndex, day, mc.rng);
  const c = newClaim(false, day, amb, amb, undefined, '41', dx.slice(0, 3), 'other', undefined);
  addLine(c, mc.rng, als ? 'A0427' : 'A0429');
  push(mc, c);
}

/** A hospital outpatient service: facility claim (bill type 131) and the professional claim. */
export function hospitalOutpatient(
  mc: MemberContext,
  day: number,
  codes: readonly string[],
  primaryDx: string,
  profKey: string,
  profCodes: readonly string[],
  profMod = '',
): Claim[] {
  const { rng } = mc;
  const hospital = homeHospital(mc, day);
  const dx = dxList(mc, primaryDx);
  const fac = newClaim(true, day, hospital, hospital, hospital, '', dx, 'specialist', 'outpatient');
  fac.billType = '131';
  for (const code of codes) addLine(fac, rng, code);
  const doc = profKey === '' ? undefined : mc.book.providers.pick(profKey, hospital.stateIndex, day, rng);
  const claims = [fac];
  if (doc) {
    const prof = newClaim(
      false,
      day,
      doc,
      billingOf(mc, doc),
      hospital,
      '22',
      dx.slice(),
      'other',
      undefined,
    );
    for (const code of profCodes) addLine(prof, rng, code, 1, profMod);
    claims.push(prof);
  }
  codingNoise(mc, fac);
  for (const c of claims.slice(1)) c.dx = fac.dx.slice();
  applyAuth(mc, claims);
  for (const c of claims) push(mc, c);
  return claims;
}

/** A procedure at an ambulatory surgery center: ASC facility fee and surgeon claims (POS 24). */
function ascProcedure(
  mc: MemberContext,
  day: number,
  code: string,
  primaryDx: string,
  surgeonKey: string,
  anesthesia: string,
): void {
  const { rng } = mc;
  const asc = mc.book.providers.pick('asc', mc.m.zip.stateIndex, day, rng);
  const surgeon = specialist(mc, surgeonKey, day);
  const dx = dxList(mc, primaryDx, 3);
  const fac = newClaim(false, day, asc, asc, asc, '24', dx, 'specialist', 'outpatient');
  const fl = addLine(fac, rng, code, 1, 'SG');
  fl.charge = Math.round(fl.charge * 1.4);
  const prof = newClaim(
    false,
    day,
    surgeon,
    billingOf(mc, surgeon),
    asc,
    '24',
    dx.slice(),
    'other',
    undefined,
  );
  addLine(prof, rng, code);
  const claims = [fac, prof];
  if (anesthesia) {
    const an = mc.book.providers.pick('anesthesiology', mc.m.zip.stateIndex, day, rng);
    const ac = newClaim(false, day, an, billingOf(mc, an), asc, '24', dx.slice(), 'other', undefined);
    addLine(ac, rng, anesthesia);
    claims.push(ac);
  }
  codingNoise(mc, fac);
  for (const c of claims.slice(1)) c.dx = fac.dx.slice();
  applyAuth(mc, claims);
  for (const c of claims) push(mc, c);
}

function dmeClaim(
  mc: MemberContext,
  day: number,
  code: string,
  units: number,
  primaryDx: string,
  months = 1,
): void {
  const { rng } = mc;
  const supplier = mc.book.providers.pick('dme', mc.m.zip.stateIndex, day, rng);
  const claims: Claim[] = [];
  for (let i = 0; i < months; i++) {
    const d = day + i * 30;
    if (d > mc.last) break;
    const c = newClaim(
      false,
      d,
      supplier,
      supplier,
      undefined,
      '12',
      dxList(mc, primaryDx, 3),
      'other',
      undefined,
    );
    addLine(c, rng, code, units, months > 1 ? 'RR' : 'NU');
    claims.push(c);
  }
  if (claims.length === 0) return;
  codingNoise(mc, claims[0]!);
  for (const c of claims.slice(1)) c.dx = claims[0]!.dx.slice();
  applyAuth(mc, claims);
  for (const c of claims) push(mc, c);
}

// ---------------------------------------------------------------- the member's outpatient year

const ACUTE_CUM = [0, 1, 2].map((g) =>
  cumulative(ACUTE_REASONS.map((r) => (g === 0 ? r.child : g === 1 ? r.adult : r.senior))),
);

function acuteReason(mc: MemberContext, age: number): AcuteReason {
  const g = age < 18 ? 0 : age < 65 ? 1 : 2;
  return ACUTE_REASONS[mc.rng.weighted(ACUTE_CUM[g]!)]!;
}

/** Draws `rate` events per year over the member's time and calls `make` for each kept day. */
function events(mc: MemberContext, ratePerYear: number, make: (day: number) => void): void {
  const { rng } = mc;
  const days = mc.last - mc.first + 1;
  if (days <= 0 || ratePerYear <= 0) return;
  const n = rng.poisson((ratePerYear * days) / 365.25);
  for (let i = 0; i < n; i++) {
    const day = mc.first + rng.int(days);
    if (isBusy(mc, day)) continue;
    // Without coverage people use less care; what they do use is billed to the last known payer.
    if (!spanAt(mc.spans, day) && !rng.chance(0.35)) continue;
    make(day);
  }
}

const PCP_BASE = [1.5, 1.4, 2, 2.8, 3.2];
const ED_BASE = [0.3, 0.28, 0.3, 0.38, 0.55];

/** Plans all outpatient claims of the member. */
export function planOutpatient(mc: MemberContext): void {
  const { m, rng, book } = mc;
  const k = book.cfg.knobs;
  const age = ageOn(m, mc.first);
  const band = ageBand(age);
  let weight = 0;
  for (const c of CONDITIONS) if (has(m.conditions, c.bit)) weight += c.weight;
  const mult = m.frailty * (1 + weight);
  const util = k.utilization;
  const chronic = chronicDx(mc);
  const payer = m.track;
  const adiFactor = 1 + 0.8 * ((m.zip.adi - 50) / 100);

  // Primary care: chronic follow-up or acute problems.
  const pcpRate = (age < 2 ? 1 : PCP_BASE[band]!) * mult ** 0.6 * util * (payer === SELF_PAY ? 0.5 : 1);
  events(mc, pcpRate, (day) => {
    const pcp = pcpFor(mc, day);
    const tele = rng.chance(0.12);
    if (chronic.length > 0 && rng.chance(0.6)) {
      const primary = chronic[rng.int(Math.min(3, chronic.length))]!;
      const labs: string[] = [];
      if (has(m.conditions, C.diabetes!)) labs.push('83036', '80053');
      else if (has(m.conditions, C.hypertension!) || has(m.conditions, C.ckd!))
        labs.push(rng.chance(0.5) ? '80048' : '80053');
      if (has(m.conditions, C.hyperlipidemia!) && rng.chance(0.4)) labs.push('80061');
      if (has(m.conditions, C.hypothyroid!) && rng.chance(0.3)) labs.push('84443');
      if (has(m.conditions, C.chf!) && rng.chance(0.25)) labs.push('83880');
      if (has(m.conditions, C.afib!) && rng.chance(0.3)) labs.push('85610');
      if (has(m.conditions, C.diabetes!) && rng.chance(0.3)) labs.push('82043');
      const extra =
        (has(m.conditions, C.hypertension!) || has(m.conditions, C.cad!)) && rng.chance(0.08)
          ? ['93000']
          : [];
      const minor = has(m.conditions, C.osteoarthritis!) && rng.chance(0.08) ? '20610' : undefined;
      officeVisit(mc, day, pcp, primary, {
        labs: rng.chance(0.6) ? labs : [],
        telehealth: tele,
        extra,
        ...(minor ? { minor } : {}),
      });
    } else {
      const r = acuteReason(mc, age);
      const labs =
        r.dx === 'N390' ? ['81001', '87086'] : r.dx === 'J029' ? ['87880'] : rng.chance(0.1) ? ['85025'] : [];
      const extra =
        (r.dx === 'J209' || r.dx === 'R05') && rng.chance(0.2)
          ? ['71046']
          : r.dx === DX.lowBackPain && rng.chance(0.2)
            ? ['72100']
            : [];
      const minor = rng.chance(0.03) ? '69210' : undefined;
      officeVisit(mc, day, pcp, r.dx, {
        labs,
        telehealth: tele && extra.length === 0,
        extra,
        ...(minor ? { minor } : {}),
      });
      if (r.dx === DX.lowBackPain && rng.chance(0.06)) {
        hospitalOutpatient(
          mc,
          Math.min(mc.last, day + rng.range(7, 30)),
          ['72148'],
          DX.lowBackPain,
          'radiology',
          ['72148'],
          '26',
        );
      }
      if (r.dx === DX.lowBackPain && rng.chance(0.12))
        therapyEpisode(mc, day + rng.range(3, 14), DX.lowBackPain);
    }
  });

  // Preventive care once a year for most, monthly-ish well-child visits for infants.
  const preventiveRate =
    age < 2
      ? 4
      : age < 18
        ? 0.75
        : payer === MEDICARE_ADVANTAGE
          ? 0.62
          : payer === MEDICAID
            ? 0.4
            : payer === SELF_PAY
              ? 0.08
              : 0.5;
  events(mc, preventiveRate * util, (day) => {
    const pcp = pcpFor(mc, day);
    const a = ageOn(m, day);
    const code =
      a < 1
        ? '99391'
        : a < 5
          ? '99392'
          : a < 12
            ? '99393'
            : a < 18
              ? '99394'
              : payer === MEDICARE_ADVANTAGE
                ? rng.chance(0.1)
                  ? 'G0438'
                  : 'G0439'
                : a < 40
                  ? '99395'
                  : a < 65
                    ? '99396'
                    : '99397';
    const dx = a < 18 ? DX.childExam : rng.chance(0.8) ? DX.generalExam : DX.generalExamAbnormal;
    const labs = a >= 18 ? ['80061', '80053', '85025'] : [];
    if (a >= 18 && (has(m.conditions, C.diabetes!) || has(m.conditions, C.obesity!))) labs.push('83036');
    // Vitamin D or an echo ordered on a wellness exam has no diagnosis that makes it necessary (CO-50).
    if (a >= 18 && rng.chance(0.1)) labs.push('82306');
    const extra: string[] = [];
    if (a >= 1 && a <= 6 && rng.chance(0.3)) extra.push('90707', '90471');
    if (a >= 11 && a <= 13 && rng.chance(0.4)) extra.push('90715', '90471');
    if (a >= 40 && rng.chance(0.015)) extra.push('93306');
    const c = officeVisit(mc, day, pcp, dx, { em: code, labs, extra, costShare: 'preventive' });
    c.dx = [dx, ...c.dx.slice(1)];
  });

  // Flu shots in the fall (mid-September to December).
  const fluRate = age >= 65 ? 0.55 : 0.35;
  for (let y = yearOf(mc.first); y <= yearOf(mc.last); y++) {
    if (!rng.chance(fluRate * util)) continue;
    const day = dayOf(y, 9, 15) + rng.int(90);
    if (day < mc.first || day > mc.last || isBusy(mc, day)) continue;
    const pcp = pcpFor(mc, day);
    const c = newClaim(
      false,
      day,
      pcp,
      billingOf(mc, pcp),
      undefined,
      '11',
      [DX.vaccination],
      'preventive',
      'office',
    );
    addLine(c, rng, '90686');
    addLine(c, rng, payer === MEDICARE_ADVANTAGE ? 'G0008' : '90471');
    push(mc, c);
  }

  // Specialists for chronic conditions.
  for (const cond of CONDITIONS) {
    if (!has(m.conditions, cond.bit) || !cond.specialty || cond.specialistVisits <= 0) continue;
    const key =
      cond.specialty === 'psychology' && (has(m.conditions, C.schizophrenia!) || rng.chance(0.2))
        ? 'psychiatry'
        : cond.specialty;
    const code = m.conditionCodes[cond.bit]!;
    events(mc, cond.specialistVisits * m.frailty ** 0.5 * util, (day) =>
      specialistVisit(mc, day, key, cond.bit, code),
    );
  }

  // Emergency and urgent care.
  const edRate =
    ED_BASE[band]! *
    mult ** 0.8 *
    adiFactor *
    (payer === MEDICAID ? 1.7 : payer === SELF_PAY ? 1.3 : 1) *
    util;
  events(mc, edRate, (day) => {
    const r = acuteReason(mc, ageOn(m, day));
    let dx = r.dx;
    const exac = [C.copd!, C.asthma!, C.chf!].filter((b) => has(m.conditions, b));
    if (exac.length > 0 && rng.chance(0.3)) dx = m.conditionCodes[exac[rng.int(exac.length)]!]!;
    edVisit(mc, day, r, dx);
  });
  events(mc, 0.16 * util * (age < 65 ? 1 : 0.6), (day) => {
    const r = acuteReason(mc, ageOn(m, day));
    const doc = mc.book.providers.pick('family_medicine', m.zip.stateIndex, day, rng);
    const labs = r.dx === 'J029' ? ['87880'] : r.dx === 'N390' ? ['81001'] : [];
    const extra = r.dx.startsWith('S') && rng.chance(0.5) ? ['73562'] : [];
    officeVisit(mc, day, doc, r.dx, {
      labs,
      extra,
      pos: '20',
      costShare: 'urgent',
      em: rng.chance(0.6) ? '99213' : '99214',
    });
  });

  // Screening and imaging.
  if (m.female && age >= 40 && age <= 74) {
    events(mc, 0.55 * util, (day) =>
      hospitalOutpatient(mc, day, ['77067'], DX.mammogramScreening, 'radiology', ['77067'], '26'),
    );
  }
  if (age >= 45 && age <= 75) {
    events(mc, 0.08 * util, (day) => {
      if (rng.chance(0.55))
        ascProcedure(mc, day, 'G0121', DX.colonScreening, 'gastroenterology', rng.chance(0.5) ? '00812' : '');
      else
        hospitalOutpatient(
          mc,
          day,
          [rng.chance(0.5) ? '45378' : '45380'],
          rng.pick([DX.diverticulosis, DX.giBleed, DX.abdominalPain]),
          'gastroenterology',
          ['45380'],
        );
    });
  }
  if (age >= 30)
    events(mc, 0.02 * util * mult ** 0.5, (day) =>
      hospitalOutpatient(mc, day, ['43239'], rng.pick([DX.reflux, DX.abdominalPain]), 'gastroenterology', [
        '43239',
      ]),
    );
  if (m.female && age >= 65) {
    events(mc, 0.22 * util, (day) =>
      hospitalOutpatient(
        mc,
        day,
        ['77080'],
        rng.chance(0.7) ? DX.osteoporosisScreening : DX.osteoporosis,
        'radiology',
        ['77080'],
        '26',
      ),
    );
  }
  events(mc, 0.03 * mult ** 0.8 * util, (day) => {
    const pick = rng.next();
    if (pick < 0.4) hospitalOutpatient(mc, day, ['74177'], DX.abdominalPain, 'radiology', ['74177'], '26');
    else if (pick < 0.7) hospitalOutpatient(mc, day, ['70553'], DX.headache, 'radiology', ['70553'], '26');
    else hospitalOutpatient(mc, day, ['71260'], 'R05', 'radiology', ['71260'], '26');
  });
  if (age >= 18) {
    events(mc, 0.05 * util, (day) => {
      const derm = specialist(mc, 'dermatology', day);
      const minor = rng.chance(0.5) ? '11102' : '17110';
      officeVisit(mc, day, derm, minor === '11102' ? rng.pick([DX.seborrheicKeratosis, DX.nevus]) : DX.wart, {
        minor,
        costShare: 'specialist',
      });
    });
  }
  if (age >= 65) {
    events(mc, 0.02 * util, (day) => ascProcedure(mc, day, '66984', DX.cataract, 'ophthalmology', '00142'));
  }
  if (age >= 18)
    events(mc, 0.02 * util, (day) =>
      officeVisit(mc, day, specialist(mc, 'physical_therapy', day), DX.lowBackPain, {
        em: '97161',
        extra: ['98940'],
        costShare: 'specialist',
      }),
    );
  if (age >= 25)
    events(mc, 0.012 * util, (day) =>
      officeVisit(mc, day, specialist(mc, 'physical_therapy', day), DX.lowBackPain, {
        em: '97161',
        extra: ['97810'],
        costShare: 'specialist',
      }),
    );
  if (age >= 50)
    events(mc, 0.002 * util, (day) =>
      ascProcedure(mc, day, '15823', DX.eyelidDermatochalasis, 'ophthalmology', ''),
    );

  // Condition-specific programs.
  if (has(m.conditions, C.sleep_apnea!) && rng.chance(0.35)) {
    const day = mc.first + rng.int(Math.max(1, mc.last - mc.first - 60));
    if (!isBusy(mc, day)) {
      hospitalOutpatient(mc, day, ['95810'], 'G4733', 'pulmonology', ['95810'], '26');
      if (rng.chance(0.8)) dmeClaim(mc, day + rng.range(10, 40), 'E0601', 1, 'G4733');
    }
  }
  if ((has(m.conditions, C.copd!) || has(m.conditions, C.chf!)) && m.frailty > 1.6 && rng.chance(0.5)) {
    const day = mc.first + rng.int(Math.max(1, mc.last - mc.first));
    dmeClaim(mc, day, 'E1390', 1, has(m.conditions, C.copd!) ? 'J449' : 'I509', rng.range(3, 12));
  }
  if (has(m.conditions, C.diabetes!) && rng.chance(0.3)) {
    events(mc, 4, (day) => dmeClaim(mc, day, 'A4253', 2, m.conditionCodes[C.diabetes!]!));
  }
  if (age >= 75 && m.frailty > 1.5 && rng.chance(0.2)) {
    const day = mc.first + rng.int(Math.max(1, mc.last - mc.first));
    dmeClaim(
      mc,
      day,
      rng.chance(0.5) ? 'E0143' : rng.chance(0.5) ? 'K0001' : 'E0260',
      1,
      has(m.conditions, C.dementia!) ? m.conditionCodes[C.dementia!]! : DX.unsteadyGait,
    );
  }
  if (has(m.conditions, C.osteoarthritis!)) {
    events(mc, 0.12 * util, (day) =>
      hospitalOutpatient(
        mc,
        day,
        ['73721'],
        m.conditionCodes[C.osteoarthritis!]!,
        'radiology',
        ['73721'],
        '26',
      ),
    );
    events(mc, 0.015 * util, (day) =>
      ascProcedure(mc, day, '29881', m.conditionCodes[C.osteoarthritis!]!, 'orthopedics', '01402'),
    );
    events(mc, 0.1 * util, (day) => therapyEpisode(mc, day, m.conditionCodes[C.osteoarthritis!]!));
  }
  if (has(m.conditions, C.cad!)) {
    events(mc, 0.25 * util, (day) =>
      officeVisit(mc, day, specialist(mc, 'cardiology', day), 'I2510', {
        extra: ['93015'],
        costShare: 'specialist',
      }),
    );
    events(mc, 0.12 * util, (day) =>
      hospitalOutpatient(mc, day, ['78452'], 'I2510', 'cardiology', ['78452'], '26'),
    );
    events(mc, 0.03 * util, (day) =>
      hospitalOutpatient(mc, day, ['93458'], 'I2510', 'cardiology', ['93458']),
    );
  }
  if (has(m.conditions, C.chf!)) {
    events(mc, 0.8 * util, (day) =>
      officeVisit(mc, day, specialist(mc, 'cardiology', day), m.conditionCodes[C.chf!]!, {
        extra: ['93306'],
        costShare: 'specialist',
      }),
    );
  }
  if (has(m.conditions, C.breast_cancer!) || has(m.conditions, C.lung_cancer!)) cancerCare(mc);
  if (has(m.conditions, C.autoimmune!) && rng.chance(0.55)) biologicInfusions(mc);
  if (has(m.conditions, C.esrd!)) dialysis(mc);
  if (m.female && age >= 18 && age <= 42 && payer !== MEDICARE_ADVANTAGE) {
    events(mc, 0.5 * util, (day) =>
      hospitalOutpatient(mc, day, ['76805'], DX.pregnancySupervision, 'obstetrics', ['76805'], '26'),
    );
  }
}

function specialistVisit(mc: MemberContext, day: number, key: string, bit: number, code: string): void {
  const { rng } = mc;
  const doc = specialist(mc, key, day);
  if (key === 'psychology' || key === 'psychiatry') {
    const em =
      key === 'psychology' ? (rng.chance(0.55) ? '90837' : '90834') : rng.chance(0.1) ? '90791' : '99214';
    officeVisit(mc, day, doc, code, { em, telehealth: rng.chance(0.5), costShare: 'specialist' });
    return;
  }
  const labs: string[] = [];
  const extra: string[] = [];
  let minor: string | undefined;
  if (bit === C.diabetes) labs.push('83036');
  if (bit === C.ckd) labs.push('80053', '85025');
  if (bit === C.autoimmune) labs.push('85025');
  if (bit === C.breast_cancer || bit === C.lung_cancer) labs.push('85025', '80053');
  if ((bit === C.chf || bit === C.cad || bit === C.afib) && rng.chance(0.4)) extra.push('93000');
  if (bit === C.osteoarthritis) {
    if (rng.chance(0.3)) extra.push('73562');
    if (rng.chance(0.4)) minor = '20610';
  }
  officeVisit(mc, day, doc, code, {
    labs,
    extra,
    costShare: 'specialist',
    telehealth: rng.chance(0.06) && extra.length === 0 && !minor,
    ...(minor ? { minor } : {}),
  });
}

/** Physical therapy: an evaluation then weekly visits with timed units. */
function therapyEpisode(mc: MemberContext, start: number, dx: string): void {
  const { rng } = mc;
  if (start > mc.last) return;
  const pt = specialist(mc, 'physical_therapy', start);
  const visits = rng.range(4, 10);
  for (let v = 0; v < visits; v++) {
    const day = start + v * rng.range(5, 9);
    if (day > mc.last || isBusy(mc, day)) break;
    const c = newClaim(
      false,
      day,
      pt,
      billingOf(mc, pt),
      undefined,
      '11',
      dxList(mc, dx, 3),
      'specialist',
      'office',
    );
    if (v === 0) addLine(c, rng, '97161');
    addLine(c, rng, '97110', rng.range(2, 4));
    if (rng.chance(0.6)) addLine(c, rng, '97140', rng.range(1, 2));
    mc.claims.push(c);
  }
}

/** Chemotherapy courses: infusion every 21 days, with growth factor, oncology visits and CT scans. */
function cancerCare(mc: MemberContext): void {
  const { rng, m } = mc;
  const lung = has(m.conditions, C.lung_cancer!);
  const dx = lung ? m.conditionCodes[C.lung_cancer!]! : m.conditionCodes[C.breast_cancer!]!;
  if (!rng.chance(lung ? 0.75 : 0.5)) return;
  const span = mc.last - mc.first;
  let day = mc.first + rng.int(Math.max(1, span - 120));
  const cycles = rng.range(4, 8);
  const onc = specialist(mc, 'oncology', day);
  for (let i = 0; i < cycles; i++, day += 21 + rng.range(0, 3)) {
    if (day > mc.last || isBusy(mc, day)) continue;
    const drug = lung ? ['J9271', 200] : ['J9035', rng.range(40, 70)];
    if (rng.chance(0.55)) {
      const c = newClaim(
        false,
        day,
        onc,
        billingOf(mc, onc),
        undefined,
        '11',
        [DX.chemotherapy, dx],
        'specialist',
        'office',
      );
      addLine(c, rng, '99214');
      addLine(c, rng, '96413');
      addLine(c, rng, '96415');
      addLine(c, rng, drug[0] as string, drug[1] as number);
      addLine(c, rng, 'J1100', 10);
      addLine(c, rng, 'J2405', 8);
      applyAuth(mc, [c]);
      mc.claims.push(c);
    } else {
      const claims = hospitalOutpatient(
        mc,
        day,
        ['96413', '96415', 'J1100', 'J2405'],
        DX.chemotherapy,
        '',
        [],
      );
      const fac = claims[0]!;
      fac.dx = [DX.chemotherapy, dx];
      addLine(fac, rng, drug[0] as string, drug[1] as number, '', day, '0636');
      applyAuth(mc, [fac]);
    }
    if (rng.chance(0.4) && day + 1 <= mc.last) {
      const g = newClaim(
        false,
        day + 1,
        onc,
        billingOf(mc, onc),
        undefined,
        '11',
        [dx],
        'specialist',
        'office',
      );
      addLine(g, rng, 'J2505');
      applyAuth(mc, [g]);
      mc.claims.push(g);
    }
    if (i % 3 === 2)
      hospitalOutpatient(
        mc,
        Math.min(mc.last, day + 7),
        [lung ? '71260' : '74177'],
        dx,
        'radiology',
        [lung ? '71260' : '74177'],
        '26',
      );
  }
}

/** Biologic infusions every 8 weeks (infliximab) for autoimmune disease. */
function biologicInfusions(mc: MemberContext): void {
  const { rng, m } = mc;
  const dx = m.conditionCodes[C.autoimmune!]!;
  let day = mc.first + rng.int(56);
  const doc = specialist(mc, 'rheumatology', day);
  let auth = '';
  let first = true;
  for (; day <= mc.last; day += 56 + rng.range(-3, 5)) {
    if (isBusy(mc, day)) continue;
    const c = newClaim(
      false,
      day,
      doc,
      billingOf(mc, doc),
      undefined,
      '11',
      dxList(mc, dx, 3),
      'specialist',
      'office',
    );
    addLine(c, rng, '96365');
    addLine(c, rng, 'J1745', rng.range(40, 60));
    if (first) {
      applyAuth(mc, [c]);
      auth = c.authNumber;
      first = false;
    } else {
      c.authRequired = true;
      c.authNumber = auth;
    }
    mc.claims.push(c);
  }
}

/** Outpatient dialysis: a monthly facility claim (bill type 721) with one line per session. */
function dialysis(mc: MemberContext): void {
  const { rng } = mc;
  const center = mc.book.providers.pick('dialysis', mc.m.zip.stateIndex, mc.first, rng);
  const neph = specialist(mc, 'nephrology', mc.first);
  for (let month = mc.first; month <= mc.last; month += 30) {
    const c = newClaim(
      true,
      month,
      center,
      center,
      center,
      '',
      ['N186', DX.dialysisDependence],
      'other',
      'outpatient',
    );
    c.billType = '721';
    for (let s = 0; s < 13; s++) {
      const day = month + Math.floor(s * 2.3);
      if (day > mc.last || isBusy(mc, day)) continue;
      addLine(c, rng, '90935', 1, '', day, '0821');
    }
    if (c.lines.length === 0) continue;
    addLine(c, rng, 'J0885', 10, '', c.lines[0]!.from, '0636');
    mc.claims.push(c);
    const p = newClaim(
      false,
      month,
      neph,
      billingOf(mc, neph),
      undefined,
      '11',
      ['N186'],
      'specialist',
      undefined,
    );
    addLine(p, rng, '90960');
    mc.claims.push(p);
  }
}
