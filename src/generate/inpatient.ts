// Inpatient stays and what follows them: index admissions driven by age, chronic conditions and frailty;
// elective surgery and chemotherapy (planned); transfers (disposition 02 then an admission elsewhere);
// deaths in hospital (20); against medical advice (07); SNF and home health after discharge; the
// 7-day follow-up visit; and 30-day readmissions whose odds rise with age, chronic burden, area
// deprivation, frailty, leaving AMA and the absence of a follow-up visit (all visible in the data).

import {
  ambulance,
  authorize,
  billingOf,
  chronicDx,
  homeHospital,
  officeVisit,
  pcpFor,
  specialist,
} from './care.ts';
import { ADMIT, ADMIT_REASONS, type AdmitReason, C, CONDITIONS, has } from './catalog/conditions.ts';
import { DX } from './catalog/diagnoses.ts';
import { COMMERCIAL_A, COMMERCIAL_B, MEDICAID, MEDICARE_ADVANTAGE, SELF_PAY } from './catalog/payers.ts';
import { addLine, addRevenueLine, type Claim, type MemberContext, newClaim } from './model.ts';
import { ageBand, ageOn, chronicCount } from './population.ts';
import type { Provider } from './providers.ts';
import { cumulative, sigmoid } from './rng.ts';

interface Stay {
  reason: AdmitReason;
  admit: number;
  discharge: number;
  hospital: Provider;
  disposition: string;
  severity: number;
  /** The facility claim, still unwritten, so a transfer that cannot happen can be recorded as a discharge home. */
  claim: Claim;
}

const ADMIT_BASE = [0.012, 0.02, 0.035, 0.07, 0.12];
const SEVERITY_LOS = [1.45, 1.05, 0.8];
const SEVERITY_CHARGE = [1.6, 1.1, 0.85];

function overlaps(intervals: [number, number][], a: number, b: number): boolean {
  for (const [x, y] of intervals) if (a <= y && b >= x) return true;
  return false;
}

/** Plans every stay of the member (before outpatient care, which avoids the busy days). */
export function planInpatient(mc: MemberContext): void {
  const { m, rng, book } = mc;
  const k = book.cfg.knobs;
  const age = ageOn(m, mc.first);
  const band = ageBand(age);
  const stays: [number, number][] = [];
  const span = mc.last - mc.first + 1;
  if (span <= 0) return;
  const years = span / 365.25;

  // Which acute or condition-driven reason an unplanned admission has, for this member.
  const group = age < 18 ? 0 : age < 65 ? 1 : 2;
  const weights = ADMIT_REASONS.map((r) => {
    let w = r.acute[group];
    if (r.condition >= 0 && has(m.conditions, r.condition)) w += CONDITIONS[r.condition]!.admitRate * 25;
    if (r.elective) w = 0;
    return w;
  });
  const cum = cumulative(weights);
  const pickReason = (): AdmitReason => ADMIT_REASONS[rng.weighted(cum)]!;

  let rate = ADMIT_BASE[band]!;
  for (const c of CONDITIONS) if (has(m.conditions, c.bit)) rate += c.admitRate;
  rate *=
    m.frailty ** 0.9 * k.admissions * (m.track === MEDICAID ? 1.15 : 1) * (m.track === SELF_PAY ? 0.8 : 1);

  const starts: { day: number; reason: AdmitReason; planned: boolean }[] = [];
  for (let n = rng.poisson(rate * years); n > 0; n--)
    starts.push({ day: mc.first + rng.int(span), reason: pickReason(), planned: false });
  if (has(m.conditions, C.osteoarthritis!) && age >= 45) {
    for (let n = rng.poisson(0.03 * years * k.admissions); n > 0; n--)
      starts.push({
        day: mc.first + rng.int(span),
        reason: ADMIT_REASONS[ADMIT.knee_replacement!]!,
        planned: true,
      });
  }
  if (m.female && age >= 18 && age <= 42 && m.track !== MEDICARE_ADVANTAGE) {
    for (let n = rng.poisson(0.055 * years); n > 0; n--)
      starts.push({ day: mc.first + rng.int(span), reason: ADMIT_REASONS[ADMIT.delivery!]!, planned: false });
  }
  // Inpatient chemotherapy comes in courses of 3-6 cycles every 21 or 28 days (the usual regimens),
  // so each cycle after the first is a planned readmission within 30 days of the previous discharge:
  // the stays the CMS planned-readmission algorithm exists to exclude.
  if (has(m.conditions, C.lung_cancer!) || has(m.conditions, C.breast_cancer!)) {
    const coursesPerYear = has(m.conditions, C.lung_cancer!) ? 0.2 : 0.07;
    for (let n = rng.poisson(coursesPerYear * years); n > 0; n--) {
      const cycles = rng.range(3, 6);
      const interval = rng.chance(0.6) ? 21 : 28;
      const first = mc.first + rng.int(span);
      for (let c = 0; c < cycles && first + c * interval <= mc.last; c++)
        starts.push({
          day: first + c * interval,
          reason: ADMIT_REASONS[ADMIT.chemotherapy!]!,
          planned: true,
        });
    }
  }
  starts.sort((a, b) => a.day - b.day);

  // Some deaths happen in hospital: a terminal stay ending on the day of death.
  if (m.death >= 0 && m.death <= mc.last && rng.chance(age >= 65 ? 0.45 : 0.3)) {
    const options = [
      'sepsis',
      'pneumonia',
      has(m.conditions, C.chf!) ? 'heart_failure' : 'stroke',
      has(m.conditions, C.copd!) ? 'copd_exacerbation' : 'gi_bleed',
    ];
    const reason = ADMIT_REASONS[ADMIT[options[rng.int(options.length)]!]!]!;
    const los = rng.range(2, 12);
    const admit = Math.max(mc.first, m.death - los);
    if (!overlaps(stays, admit, m.death)) {
      const stay = buildStay(mc, reason, admit, { terminal: true, viaEd: true, planned: false });
      if (stay) stays.push([stay.admit, stay.discharge]);
    }
  }

  for (const s of starts) {
    const stay = buildStay(mc, s.reason, s.day, {
      viaEd: !s.planned && s.reason.key !== 'delivery' && rng.chance(0.72),
      planned: s.planned,
      stays,
    });
    if (!stay) continue;
    stays.push([stay.admit, stay.discharge]);
    afterDischarge(mc, stay, 0, stays, pickReason);
  }
}

/** Share of myocardial infarctions (live discharge, no unplanned readmission) followed by a staged PCI. */
const STAGED_PCI_SHARE = 0.3;

interface StayOptions {
  hospital?: Provider;
  transferIn?: boolean;
  viaEd: boolean;
  planned: boolean;
  terminal?: boolean;
  stays?: [number, number][];
}

function buildStay(
  mc: MemberContext,
  reason: AdmitReason,
  admitDay: number,
  o: StayOptions,
): Stay | undefined {
  const { m, rng, book } = mc;
  const age = ageOn(m, admitDay);
  const chronic = chronicCount(m);
  const pMcc = Math.min(0.6, 0.15 + 0.05 * Math.min(chronic, 6) + (age >= 75 ? 0.1 : 0));
  const u = rng.next();
  const severity = reason.key === 'delivery' ? 2 : u < pMcc ? 0 : u < pMcc + 0.4 ? 1 : 2;
  let los = Math.max(1, Math.round(rng.lognormal(reason.los * SEVERITY_LOS[severity]!, 0.45)));
  let admit = admitDay;
  let discharge = admit + los;
  if (o.terminal) {
    discharge = m.death;
    admit = Math.max(mc.first, discharge - los);
    los = Math.max(1, discharge - admit);
  }
  if (discharge > mc.last) {
    discharge = mc.last;
    admit = Math.max(mc.first, discharge - los);
    los = discharge - admit;
    if (los < 1) return undefined;
  }
  if (o.stays && overlaps(o.stays, admit, discharge)) return undefined;
  for (const [a, b] of mc.busy) if (admit < b && discharge > a) return undefined;
  const hospital = o.hospital ?? homeHospital(mc, admit);
  const disposition = o.terminal ? '20' : chooseDisposition(mc, reason, hospital, age, discharge, o);
  mc.busy.push([admit, discharge]);

  // Facility claim (UB-04, bill type 111) with revenue-code lines.
  const dx = [...reason.dx];
  if (reason.key === 'chemotherapy')
    dx[1] = has(m.conditions, C.lung_cancer!)
      ? m.conditionCodes[C.lung_cancer!]!
      : m.conditionCodes[C.breast_cancer!]!;
  for (const d of chronicDx(mc)) if (dx.length < 5 && !dx.includes(d)) dx.push(d);
  const fac = newClaim(
    true,
    admit,
    pcpFor(mc, admit),
    hospital,
    hospital,
    '',
    dx.slice(0, 5),
    'inpatient',
    'inpatient',
  );
  const attending = book.providers.pick(
    rng.chance(0.7) ? 'hospitalist' : 'internal_medicine',
    hospital.stateIndex,
    admit,
    rng,
  );
  fac.rendering = attending;
  fac.billType = '111';
  fac.admit = admit;
  fac.discharge = discharge;
  fac.to = discharge;
  fac.admitType = o.planned || reason.elective ? '3' : o.viaEd ? '1' : '2';
  fac.admitSource = o.transferIn ? '4' : o.planned || reason.elective ? '2' : '1';
  fac.disposition = disposition;
  fac.drg = reason.drg[severity]!;
  const pf = hospital.priceFactor;
  const total =
    reason.charge * SEVERITY_CHARGE[severity]! * (los / reason.los) ** 0.5 * pf * rng.lognormal(1, 0.15);
  const icuDays = rng.chance(reason.icuShare * (severity === 0 ? 1.5 : 1))
    ? Math.min(los, rng.range(1, Math.max(1, Math.ceil(los / 2))))
    : 0;
  const roomRate = 2600 * pf;
  if (los - icuDays > 0)
    addRevenueLine(fac, '0120', roomRate * (los - icuDays), los - icuDays, admit, discharge);
  if (icuDays > 0) addRevenueLine(fac, '0200', 6000 * pf * icuDays, icuDays, admit, admit + icuDays);
  if (o.viaEd) {
    const ed = addLine(fac, rng, rng.chance(0.6) ? '99285' : '99284', 1, '', admit, '0450');
    ed.charge = Math.round(ed.charge * 5);
  }
  const rest = Math.max(total * 0.35, total - roomRate * los - 3400 * pf * icuDays);
  const surgical = reason.surgery !== undefined && reason.key !== 'delivery';
  const parts: [string, number][] = [
    ['0250', 25],
    ['0300', 18],
    ['0320', 7],
    ['0270', surgical ? 30 : 10],
    ['0420', reason.key === 'hip_fracture' || reason.key === 'stroke' || surgical ? 8 : 3],
  ];
  if (surgical) parts.push(['0360', 28], ['0370', 7], ['0710', 4]);
  if (reason.key === 'stroke' || reason.key === 'sepsis' || reason.key === 'gi_bleed')
    parts.push(['0350', 6]);
  if (reason.key.includes('copd') || reason.key === 'pneumonia' || reason.key === 'sepsis')
    parts.push(['0410', 6]);
  if (
    reason.key === 'ami' ||
    reason.key === 'heart_failure' ||
    reason.key === 'arrhythmia' ||
    reason.key === 'chest_pain'
  )
    parts.push(['0730', 2]);
  if (reason.key === 'chemotherapy') parts.push(['0335', 30]);
  let wsum = 0;
  for (const [, w] of parts) wsum += w;
  for (const [rev, w] of parts) addRevenueLine(fac, rev, (rest * w) / wsum, 1, admit, discharge);
  const claims: Claim[] = [fac];
  const stay: Stay = { reason, admit, discharge, hospital, disposition, severity, claim: fac };

  // Attending physician: admission, daily and discharge visits on one professional claim.
  const att = newClaim(
    false,
    admit,
    attending,
    billingOf(mc, attending),
    hospital,
    '21',
    fac.dx.slice(),
    'other',
    undefined,
  );
  addLine(att, rng, severity === 0 ? '99223' : '99222', 1, '', admit);
  for (let d = admit + 1; d < discharge; d++)
    addLine(att, rng, severity === 0 && rng.chance(0.5) ? '99233' : '99232', 1, '', d);
  addLine(att, rng, disposition === '20' ? '99233' : los > 3 ? '99239' : '99238', 1, '', discharge);
  claims.push(att);
  if (o.viaEd) {
    const edDoc = book.providers.pick('emergency_medicine', hospital.stateIndex, admit, rng);
    const edc = newClaim(
      false,
      admit,
      edDoc,
      billingOf(mc, edDoc),
      hospital,
      '23',
      fac.dx.slice(),
      'other',
      undefined,
    );
    addLine(edc, rng, '99285');
    claims.push(edc);
    if (age >= 75 && rng.chance(0.45)) ambulance(mc, admit, fac.dx, true);
  }
  if (reason.surgery) {
    const [code, anesthesia] = reason.surgery;
    const surgeonKey = reason.key === 'delivery' ? 'obstetrics' : 'orthopedics';
    const surgeon = specialist(mc, surgeonKey, admit);
    const day = reason.elective ? admit : Math.min(discharge, admit + 1);
    const sc = newClaim(
      false,
      day,
      surgeon,
      billingOf(mc, surgeon),
      hospital,
      '21',
      fac.dx.slice(0, 3),
      'other',
      undefined,
    );
    addLine(sc, rng, code);
    claims.push(sc);
    if (anesthesia) {
      const an = book.providers.pick('anesthesiology', hospital.stateIndex, day, rng);
      const ac = newClaim(
        false,
        day,
        an,
        billingOf(mc, an),
        hospital,
        '21',
        fac.dx.slice(0, 3),
        'other',
        undefined,
      );
      addLine(ac, rng, anesthesia, 1, 'AA');
      claims.push(ac);
    }
  }
  if ((reason.key === 'ami' || reason.key === 'heart_failure') && rng.chance(0.5)) {
    const cardio = specialist(mc, 'cardiology', admit);
    const cc = newClaim(
      false,
      admit,
      cardio,
      billingOf(mc, cardio),
      hospital,
      '21',
      fac.dx.slice(),
      'other',
      undefined,
    );
    addLine(cc, rng, '99223');
    claims.push(cc);
  }
  // Elective surgery and inpatient chemotherapy need prior authorization for the whole stay.
  if (reason.key === 'knee_replacement' || reason.key === 'chemotherapy') {
    const number = authorize(mc, hospital);
    for (const c of claims) {
      if (c === fac || c.lines.some((l) => l.proc?.pa)) {
        c.authRequired = true;
        c.authNumber = number;
      }
    }
    fac.authWholeClaim = true;
  }
  for (const c of claims) mc.claims.push(c);
  return stay;
}

function chooseDisposition(
  mc: MemberContext,
  reason: AdmitReason,
  hospital: Provider,
  age: number,
  discharge: number,
  o: StayOptions,
): string {
  const { rng, m } = mc;
  if (reason.key === 'delivery') return '01';
  if (reason.key === 'knee_replacement') return rng.chance(0.55) ? '01' : rng.chance(0.8) ? '06' : '03';
  if (reason.key === 'chemotherapy') return '01';
  if (m.death > discharge && m.death - discharge <= 45 && rng.chance(0.6))
    return rng.chance(0.7) ? '50' : '51';
  const tertiary = hospital.beds >= 300;
  let pTransfer = o.transferIn || tertiary ? 0 : 0.035;
  if (!o.transferIn && !tertiary && (reason.key === 'ami' || reason.key === 'stroke')) pTransfer = 0.5;
  let pAma = 0.012;
  if (has(m.conditions, C.alcohol!)) pAma += 0.1;
  if (has(m.conditions, C.schizophrenia!)) pAma += 0.05;
  const senior = age >= 65;
  const pSnf =
    reason.key === 'hip_fracture' || reason.key === 'stroke'
      ? 0.35
      : senior
        ? 0.1 + (m.frailty > 1.5 ? 0.08 : 0)
        : 0.015;
  const pHh = senior ? 0.15 : 0.05;
  const pIrf = reason.key === 'hip_fracture' || reason.key === 'stroke' ? 0.1 : 0.004;
  const u = rng.next();
  let acc = pTransfer;
  if (u < acc) return '02';
  acc += pAma;
  if (u < acc) return '07';
  acc += pSnf;
  if (u < acc) return '03';
  acc += pHh;
  if (u < acc) return '06';
  acc += pIrf;
  if (u < acc) return '62';
  return '01';
}

/** Post-discharge course: transfer, post-acute care, follow-up visit, possible readmission. */
function afterDischarge(
  mc: MemberContext,
  stay: Stay,
  depth: number,
  stays: [number, number][],
  pickReason: () => AdmitReason,
): void {
  const { m, rng, book } = mc;
  const k = book.cfg.knobs;
  const d = stay.disposition;
  if (d === '20' || d === '50' || d === '51') return;
  if (d === '02') {
    // Transfer: admitted the same or next day at a tertiary center; that stay is the episode's discharge.
    const day = stay.discharge + (rng.chance(0.6) ? 0 : 1);
    let hospital = book.providers.pick('tertiary', stay.hospital.stateIndex, day, rng);
    for (let t = 0; t < 8 && hospital.index === stay.hospital.index; t++)
      hospital = book.providers.pick(t < 4 ? 'tertiary' : 'hospital', -1, day, rng);
    const next = buildStay(mc, stay.reason, day, {
      hospital,
      transferIn: true,
      viaEd: false,
      planned: false,
    });
    if (next && hospital.index !== stay.hospital.index) {
      stays.push([next.admit, next.discharge]);
      afterDischarge(mc, next, depth, stays, pickReason);
    } else {
      // No bed elsewhere before the member's time ends: the stay ends as a routine discharge.
      stay.claim.disposition = '01';
    }
    return;
  }
  const age = ageOn(m, stay.discharge);
  const chronic = chronicCount(m);
  const adi = (m.zip.adi - 50) / 50;
  const ama = d === '07' ? 1 : 0;
  const payerTrack = m.track;
  const pFollow = sigmoid(
    0.5 +
      (payerTrack === MEDICARE_ADVANTAGE ? 0.5 : 0) +
      (payerTrack === COMMERCIAL_A || payerTrack === COMMERCIAL_B ? 0.25 : 0) -
      1.1 * adi -
      (payerTrack === SELF_PAY ? 1.2 : 0) -
      0.7 * ama +
      (chronic >= 3 ? 0.3 : 0),
  );
  let followDay = rng.chance(pFollow) ? stay.discharge + rng.range(2, 7) : -1;
  let lateDay = followDay < 0 && rng.chance(0.5) ? stay.discharge + rng.range(9, 25) : -1;
  const logit =
    k.readmitIntercept +
    stay.reason.readmitRisk +
    0.02 * (age - 65) +
    0.16 * Math.min(chronic, 6) +
    0.8 * adi +
    (followDay < 0 ? k.noFollowupEffect : 0) +
    0.5 * Math.log(m.frailty) +
    0.9 * ama +
    (d === '03' ? 0.3 : 0) +
    (payerTrack === MEDICAID ? 0.25 : 0) +
    (stay.severity === 0 ? 0.35 : 0);
  let readmitDay = -1;
  if (depth < 3 && rng.chance(sigmoid(logit)))
    readmitDay = stay.discharge + 1 + Math.floor(29 * rng.next() ** 1.7);
  if (readmitDay > mc.last) readmitDay = -1;
  if (readmitDay >= 0 && followDay >= readmitDay) followDay = -1;
  if (readmitDay >= 0 && lateDay >= readmitDay) lateDay = -1;

  const until = readmitDay >= 0 ? readmitDay : mc.last;
  if (d === '03') skilledNursing(mc, stay, until);
  if (d === '06') homeHealth(mc, stay, until);
  for (const day of [followDay, lateDay]) {
    if (day < 0 || day > mc.last) continue;
    let busy = false;
    for (const [a, b] of mc.busy) if (day >= a && day <= b) busy = true;
    if (busy) continue;
    const cardio = stay.reason.key === 'heart_failure' && rng.chance(0.3);
    const doc = cardio ? specialist(mc, 'cardiology', day) : pcpFor(mc, day);
    const em =
      day <= stay.discharge + 7
        ? rng.chance(0.55)
          ? '99495'
          : rng.chance(0.35)
            ? '99496'
            : '99214'
        : rng.chance(0.6)
          ? '99214'
          : '99213';
    officeVisit(mc, day, doc, stay.reason.dx[0]!, {
      em,
      telehealth: rng.chance(0.15),
      costShare: cardio ? 'specialist' : 'pcp',
    });
  }
  // After a myocardial infarction a share of patients come back for a staged PCI of the remaining
  // lesions within weeks: a planned readmission, which readmission measures must not count.
  if (readmitDay < 0 && stay.reason.key === 'ami' && depth < 3 && rng.chance(STAGED_PCI_SHARE)) {
    const day = stay.discharge + rng.range(10, 28);
    const staged =
      day <= mc.last
        ? buildStay(mc, ADMIT_REASONS[ADMIT.staged_pci!]!, day, {
            hospital: stay.hospital,
            viaEd: false,
            planned: true,
            stays,
          })
        : undefined;
    if (staged) {
      stays.push([staged.admit, staged.discharge]);
      afterDischarge(mc, staged, depth + 1, stays, pickReason);
    }
    return;
  }
  if (readmitDay < 0) return;
  const same = !stay.reason.planned && stay.reason.key !== 'delivery' && rng.chance(0.55);
  const reason = same ? stay.reason : pickReason();
  const hospital = rng.chance(0.8) ? stay.hospital : undefined;
  const next = buildStay(mc, reason, readmitDay, {
    ...(hospital ? { hospital } : {}),
    viaEd: rng.chance(0.75),
    planned: false,
    stays,
  });
  if (!next) return;
  stays.push([next.admit, next.discharge]);
  afterDischarge(mc, next, depth + 1, stays, pickReason);
}

/** SNF stay after discharge (bill type 211); ends early when the member is readmitted. */
function skilledNursing(mc: MemberContext, stay: Stay, until: number): void {
  const { rng, book } = mc;
  const start = stay.discharge;
  const los = Math.min(
    100,
    Math.max(
      3,
      Math.round(
        rng.lognormal(stay.reason.key === 'hip_fracture' || stay.reason.key === 'stroke' ? 22 : 15, 0.5),
      ),
    ),
  );
  const end = Math.min(start + los, until, mc.last);
  if (end - start < 2) return;
  const snf = book.providers.pick('snf', mc.m.zip.stateIndex, start, rng);
  const dx = [
    stay.reason.dx[0]!,
    stay.reason.surgery ? DX.surgicalAftercare : DX.aftercare,
    ...chronicDx(mc).slice(0, 3),
  ];
  const c = newClaim(true, start, pcpFor(mc, start), snf, snf, '', dx, 'other', 'snf');
  c.billType = '211';
  c.admit = start;
  c.discharge = end;
  c.admitType = '3';
  c.admitSource = '4';
  c.disposition = end === until && until < mc.last ? '02' : '01';
  const days = end - start;
  const pf = snf.priceFactor;
  addRevenueLine(c, '0120', 780 * pf * days, days, start, end);
  addRevenueLine(c, '0420', 85 * pf * days * 2, days * 2, start, end);
  addRevenueLine(c, '0430', 80 * pf * days, days, start, end);
  addRevenueLine(c, '0250', 45 * pf * days, 1, start, end);
  mc.busy.push([start, end]);
  mc.claims.push(c);
}

/** A 30-day home health period (bill type 329) with nursing, therapy and aide visits. */
function homeHealth(mc: MemberContext, stay: Stay, until: number): void {
  const { rng, book } = mc;
  const start = stay.discharge + rng.range(1, 3);
  const end = Math.min(start + 29, until - 1, mc.last);
  if (end - start < 5) return;
  const agency = book.providers.pick('home_health', mc.m.zip.stateIndex, start, rng);
  const dx = [
    stay.reason.dx[0]!,
    stay.reason.surgery ? DX.surgicalAftercare : DX.aftercare,
    ...chronicDx(mc).slice(0, 3),
  ];
  const c = newClaim(true, start, pcpFor(mc, start), agency, agency, '', dx, 'other', 'home_health');
  c.billType = '329';
  const therapy = stay.reason.surgery !== undefined || stay.reason.key === 'stroke';
  for (let day = start; day <= end; day += rng.range(3, 5)) addLine(c, rng, 'G0299', 1, '', day, '0551');
  if (therapy)
    for (let day = start + 1; day <= end; day += rng.range(2, 4))
      addLine(c, rng, 'G0151', 1, '', day, '0421');
  if (rng.chance(0.4))
    for (let day = start + 2; day <= end; day += 7) addLine(c, rng, 'G0156', 1, '', day, '0571');
  c.lines.sort((a, b) => a.from - b.from);
  c.to = end;
  mc.claims.push(c);
}
