// Submission, adjudication and remittance of a member's claims, in service-date order: which payer is
// billed, when the claim is submitted and paid, which lines are denied and why (observable rules plus
// noise), appeals, reversals, cost sharing against the plan's deductible and copays, and the rows of
// medical_claim, claim_adjustment (835 CAS), payer payments and EHR encounters that follow.

import { TRUNCATED_DX } from './catalog/icd.ts';
import { PAYERS, type Payer, SELF_PAY } from './catalog/payers.ts';
import { dxSupports, GENERAL_EXAM_DX, UNSPECIFIED_DX } from './catalog/procedures.ts';
import { iso, yearOf } from './dates.ts';
import type { Span } from './eligibility.ts';
import { type Claim, type Line, type MemberContext, nextId } from './model.ts';
import { billPatient, nextPaymentId } from './patient.ts';
import type { Rng } from './rng.ts';

export const MEDICAL_COLUMNS = [
  'claim_id',
  'claim_line_number',
  'claim_type',
  'person_id',
  'member_id',
  'payer',
  'plan',
  'claim_start_date',
  'claim_end_date',
  'claim_line_start_date',
  'claim_line_end_date',
  'admission_date',
  'discharge_date',
  'admit_source_code',
  'admit_type_code',
  'discharge_disposition_code',
  'place_of_service_code',
  'bill_type_code',
  'drg_code_type',
  'drg_code',
  'revenue_center_code',
  'service_unit_quantity',
  'hcpcs_code',
  'hcpcs_modifier_1',
  'rendering_npi',
  'billing_npi',
  'billing_tin',
  'facility_npi',
  'paid_date',
  'paid_amount',
  'allowed_amount',
  'charge_amount',
  'coinsurance_amount',
  'copayment_amount',
  'deductible_amount',
  'diagnosis_code_type',
  'diagnosis_code_1',
  'diagnosis_code_2',
  'diagnosis_code_3',
  'diagnosis_code_4',
  'diagnosis_code_5',
  'in_network_flag',
  'claim_status',
  'submission_date',
  'prior_authorization_number',
] as const;

export const ADJUSTMENT_COLUMNS = [
  'claim_id',
  'claim_line_number',
  'remit_date',
  'adjustment_sequence',
  'payer',
  'adjustment_group_code',
  'carc_code',
  'rarc_code',
  'adjustment_amount',
] as const;

export const ENCOUNTER_COLUMNS = [
  'encounter_id',
  'person_id',
  'encounter_type',
  'encounter_start_date',
  'encounter_end_date',
  'facility_npi',
  'attending_npi',
  'primary_diagnosis_code',
  'discharge_disposition_code',
] as const;

interface Denial {
  group: string;
  carc: string;
  rarc: string;
  /** Chance the provider appeals or corrects and resubmits, and chance the payer then pays. */
  appeal: number;
  overturn: number;
}

const D = {
  duplicate: { group: 'OA', carc: '18', rarc: '', appeal: 0, overturn: 0 },
  timely: { group: 'CO', carc: '29', rarc: '', appeal: 0.12, overturn: 0.15 },
  afterCoverage: { group: 'CO', carc: '27', rarc: 'N30', appeal: 0.15, overturn: 0.4 },
  beforeCoverage: { group: 'CO', carc: '26', rarc: 'N30', appeal: 0.15, overturn: 0.4 },
  noAuth: { group: 'CO', carc: '197', rarc: 'M62', appeal: 0.5, overturn: 0.6 },
  nonCovered: { group: 'CO', carc: '96', rarc: 'N130', appeal: 0.1, overturn: 0.1 },
  notInPlan: { group: 'CO', carc: '204', rarc: 'N130', appeal: 0.1, overturn: 0.1 },
  unspecifiedDx: { group: 'CO', carc: '16', rarc: 'M76', appeal: 0.65, overturn: 0.8 },
  invalidDx: { group: 'CO', carc: '16', rarc: 'M76', appeal: 0.7, overturn: 0.85 },
  mismatchedDx: { group: 'CO', carc: '11', rarc: '', appeal: 0.55, overturn: 0.7 },
  necessity: { group: 'CO', carc: '50', rarc: 'N115', appeal: 0.35, overturn: 0.45 },
  bundled: { group: 'CO', carc: '97', rarc: 'M15', appeal: 0.25, overturn: 0.3 },
  noiseInfo: { group: 'CO', carc: '16', rarc: 'MA130', appeal: 0.55, overturn: 0.85 },
  noiseRecords: { group: 'CO', carc: '252', rarc: 'M127', appeal: 0.6, overturn: 0.8 },
  notCredentialed: { group: 'CO', carc: 'B7', rarc: 'N570', appeal: 0.3, overturn: 0.5 },
} as const satisfies Record<string, Denial>;

const NOISE: readonly Denial[] = [D.noiseInfo, D.noiseInfo, D.noiseRecords];

function lineDenial(c: Claim, line: Line, payer: Payer, hasMinor: boolean, rng: Rng): Denial | undefined {
  const proc = line.proc;
  if (c.authRequired && !c.authNumber && (c.authWholeClaim || proc?.pa) && rng.next() < payer.authStrictness)
    return D.noAuth;
  const dx1 = c.dx[0]!;
  if (dx1.length === 3 && TRUNCATED_DX.has(dx1) && rng.next() < 0.9) return D.invalidDx;
  if (!proc) return undefined;
  if (proc.noncovered?.includes(payer.index) && rng.next() < 0.92)
    return rng.next() < 0.7 ? D.nonCovered : D.notInPlan;
  if (proc.specificDx && UNSPECIFIED_DX.includes(dx1) && rng.next() < 0.85) return D.unspecifiedDx;
  if (proc.dx && !dxSupports(proc, dx1) && rng.next() < 0.8) return D.mismatchedDx;
  if (proc.necessity && GENERAL_EXAM_DX.includes(dx1) && rng.next() < 0.75) return D.necessity;
  if (proc.em && hasMinor && line.mod !== '25' && rng.next() < 0.85) return D.bundled;
  return undefined;
}

// Appeal decisions are per denial reason within a claim (a provider works a reason once); reused buffers.
const APPEAL_KEYS: Denial[] = [];
const APPEAL_DAYS: number[] = [];

function appealRemit(mc: MemberContext, d: Denial, remit1: number, payer: Payer): number {
  const i = APPEAL_KEYS.indexOf(d);
  if (i >= 0) return APPEAL_DAYS[i]!;
  const { rng } = mc;
  let day = -1;
  if (rng.chance(Math.min(1, d.appeal * mc.book.cfg.knobs.appeals)) && rng.chance(d.overturn)) {
    day =
      remit1 +
      Math.round(rng.lognormal(22, 0.4)) +
      Math.max(5, Math.round(rng.lognormal(payer.daysToPayMedian * 1.3, 0.4)));
  }
  APPEAL_KEYS.push(d);
  APPEAL_DAYS.push(day);
  return day;
}

function findPayerSpan(spans: readonly Span[], day: number): { span: Span; outside: 0 | 26 | 27 } {
  let prev: Span | undefined;
  let next: Span | undefined;
  for (const s of spans) {
    if (s.start <= day && day <= s.end) return { span: s, outside: 0 };
    if (s.end < day && (!prev || s.end > prev.end)) prev = s;
    if (s.start > day && (!next || s.start < next.start)) next = s;
  }
  if (prev) return { span: prev, outside: 27 };
  return { span: next!, outside: 26 };
}

/** Writes the EHR encounter a claim stands for (EHR records exist whether or not the claim is billed). */
function emitEncounter(mc: MemberContext, c: Claim): void {
  if (!c.encounter || c.duplicate) return;
  mc.visitDays.add(c.from);
  // A small documented share of visits never reaches the EHR extract (claim without encounter).
  if (mc.rng.chance(mc.book.cfg.knobs.claimOnlyEncounterShare)) return;
  const encounterId = nextId(mc, 'encounter', 'E');
  mc.encounters++;
  const facility = c.facility ?? c.billing;
  const stay = c.encounter === 'inpatient' || c.encounter === 'snf';
  const w = mc.book.writers.encounter;
  w.begin(200);
  w.s(encounterId);
  w.c();
  w.s(mc.m.personId);
  w.c();
  w.s(c.encounter);
  w.c();
  w.date(c.from);
  w.c();
  w.date(c.to);
  w.c();
  w.s(facility.npi);
  w.c();
  w.s(c.rendering.npi);
  w.c();
  w.s(c.dx[0]!);
  w.c();
  if (stay) w.s(c.disposition);
  w.end();
}

/** Adjudicates and writes all of the member's claims, in service order. */
export function adjudicateMember(mc: MemberContext): void {
  const claims = mc.claims;
  const order = claims.map((_, i) => i).sort((a, b) => claims[a]!.from - claims[b]!.from || a - b);
  const k = mc.book.cfg.knobs;
  for (const i of order) {
    const c = claims[i]!;
    const lag = processClaim(mc, c, -1);
    // The provider sometimes resubmits the same service under a new claim id before the first is paid.
    if (lag >= 0 && c.admit < 0 && mc.rng.chance(k.duplicateShare)) {
      const dup: Claim = { ...c, duplicate: true, lines: c.lines.map((l) => ({ ...l })), dx: c.dx.slice() };
      processClaim(mc, dup, lag);
    }
  }
}

interface LineOutcome {
  status: string;
  paidDate: number;
  paid: number;
  allowed: number;
  coins: number;
  copay: number;
  ded: number;
  denial: Denial | undefined;
  denialRemit: number;
  cutUnits: number;
}

/**
 * One claim through the payer. Returns the submission lag (days), or -1 when the claim was not
 * submitted before the cut-off (then no claim row exists).
 */
function processClaim(mc: MemberContext, c: Claim, originalLag: number): number {
  const { rng, book } = mc;
  const { cfg, ledger } = book;
  const k = cfg.knobs;
  emitEncounter(mc, c);
  // Billing error: the principal diagnosis is cut to its non-billable 3-character category.
  const dx0 = c.dx[0]!;
  if (!c.duplicate && dx0.length > 3 && rng.chance(k.truncatedDx * (1.6 - c.billing.codingQuality)))
    c.dx[0] = dx0.slice(0, 3);
  const { span, outside } = findPayerSpan(mc.spans, c.from);
  const payerIdx = span.payer;
  const payer = PAYERS[payerIdx]!;
  const plan = payer.plans[span.plan]!;
  const billing = c.billing;
  const lateP = (billing.lateShare * k.lateSubmissionShare) / 0.03;
  const lag =
    originalLag >= 0
      ? originalLag + rng.range(20, 45)
      : rng.chance(lateP)
        ? rng.range(60, 420)
        : Math.max(1, Math.round(rng.lognormal(billing.lagMedian * (c.inst ? 1.4 : 1), 0.6)));
  const submission = c.to + lag;
  if (submission > cfg.cutoff) return -1;
  const claimId = nextId(mc, 'claim', 'CLM');
  let totalCharge = 0;
  for (const l of c.lines) totalCharge += l.charge;
  ledger.add(ledger.charges, submission, payerIdx, totalCharge);
  ledger.add(ledger.claims, submission, payerIdx, 1);
  const inNetwork = rng.chance(billing.inNetworkRate);
  const n = c.lines.length;
  const out: LineOutcome[] = new Array(n);

  if (payerIdx === SELF_PAY) {
    // Uninsured: the self-pay discount sets the price and the patient owes all of it.
    let balance = 0;
    for (let i = 0; i < n; i++) {
      const allowed = Math.round(c.lines[i]!.charge * payer.allowedPct);
      balance += allowed;
      out[i] = {
        status: 'paid',
        paidDate: submission,
        paid: 0,
        allowed,
        coins: allowed,
        copay: 0,
        ded: 0,
        denial: undefined,
        denialRemit: -1,
        cutUnits: 0,
      };
    }
    writeLines(mc, c, claimId, span, out, submission, inNetwork);
    billPatient(mc, claimId, payerIdx, balance, submission + rng.range(3, 10));
    return lag;
  }

  const remit1 =
    submission + Math.max(2, Math.round(rng.lognormal(payer.daysToPayMedian, payer.daysToPaySigma)));
  const pending = remit1 > cfg.cutoff;
  let claimDenial: Denial | undefined;
  if (!pending) {
    if (c.duplicate) {
      if (!rng.chance(k.paidDuplicateShare)) claimDenial = D.duplicate;
    } else if (payer.timelyFilingDays > 0 && lag > payer.timelyFilingDays && rng.chance(0.97))
      claimDenial = D.timely;
    else if (outside !== 0 && !rng.chance(k.outsideEligibilityPaidShare))
      claimDenial = outside === 27 ? D.afterCoverage : D.beforeCoverage;
    else if (billing.credentialGap === payerIdx && rng.chance(0.45)) claimDenial = D.notCredentialed;
    else if (rng.chance(payer.noiseDenialRate)) claimDenial = NOISE[rng.int(NOISE.length)]!;
  }
  let hasMinor = false;
  for (const l of c.lines) if (l.proc?.minor) hasMinor = true;
  APPEAL_KEYS.length = 0;
  APPEAL_DAYS.length = 0;
  const underpay = !pending && rng.chance(payer.underpaymentShare) ? rng.uniform(0.8, 0.97) : 1;
  const year = yearOf(c.from);
  const dedKey = payerIdx * 10000 + year;
  let dedLeft = mc.deductibles.get(dedKey) ?? plan.deductible * 100;
  let copayLeft = copayFor(c, plan);
  const hasCopay = copayLeft > 0;
  let anyDenied = false;
  let remitPaid1 = 0;
  let remitPaid2 = 0;
  let remit2Day = -1;
  let patientShare = 0;
  for (let i = 0; i < n; i++) {
    const line = c.lines[i]!;
    if (pending) {
      out[i] = {
        status: 'pending',
        paidDate: -1,
        paid: 0,
        allowed: -1,
        coins: 0,
        copay: 0,
        ded: 0,
        denial: undefined,
        denialRemit: -1,
        cutUnits: 0,
      };
      continue;
    }
    const denial = claimDenial ?? lineDenial(c, line, payer, hasMinor, rng);
    let payDay = remit1;
    if (denial) {
      anyDenied = true;
      const second = appealRemit(mc, denial, remit1, payer);
      if (second < 0 || second > cfg.cutoff) {
        out[i] = {
          status: 'denied',
          paidDate: remit1,
          paid: 0,
          allowed: 0,
          coins: 0,
          copay: 0,
          ded: 0,
          denial,
          denialRemit: remit1,
          cutUnits: 0,
        };
        continue;
      }
      payDay = second;
    }
    // Therapy billed for many timed units is sometimes cut to fewer units (CO-151): partially paid.
    const cutUnits = line.code === '97110' && line.units >= 3 && rng.chance(0.3) ? 1 : 0;
    const unitShare = cutUnits > 0 ? (line.units - cutUnits) / line.units : 1;
    const allowed = Math.round(line.charge * payer.allowedPct * underpay * unitShare);
    let copay = 0;
    let ded = 0;
    let coins = 0;
    if (c.costShare !== 'preventive') {
      if (
        copayLeft > 0 &&
        (line.proc?.em || line.rev === '0120' || c.costShare === 'ed' || c.costShare === 'inpatient')
      ) {
        copay = Math.min(copayLeft, allowed);
        copayLeft -= copay;
      }
      if (!hasCopay) {
        ded = Math.min(dedLeft, allowed - copay);
        dedLeft -= ded;
        if (coinsuranceApplies(c, line, payer))
          coins = Math.round((allowed - copay - ded) * plan.coinsurance);
      }
    }
    let paid = allowed - copay - ded - coins;
    // Data-quality anomaly: a payer pays more than it allowed.
    if (paid > 0 && rng.chance(k.paidOverAllowedShare)) paid = allowed + rng.range(100, 5000);
    out[i] = {
      status: cutUnits > 0 ? 'partially_paid' : 'paid',
      paidDate: payDay,
      paid,
      allowed,
      coins,
      copay,
      ded,
      denial,
      denialRemit: denial ? remit1 : -1,
      cutUnits,
    };
    patientShare += copay + ded + coins;
    if (payDay === remit1) remitPaid1 += paid;
    else {
      remitPaid2 += paid;
      remit2Day = payDay;
    }
  }
  mc.deductibles.set(dedKey, dedLeft);
  if (!pending && anyDenied) ledger.add(ledger.denials, remit1, payerIdx, 1);

  // Coordination-of-benefits recoupment: a paid claim is later reversed and the money taken back.
  let reversal = -1;
  if (!pending && !anyDenied && remitPaid1 > 0 && rng.chance(payer.reversalShare)) {
    reversal = remit1 + rng.range(30, 150);
    if (reversal > cfg.cutoff) reversal = -1;
  }
  const pname = payer.name;
  for (let i = 0; i < n; i++) {
    const o = out[i]!;
    if (o.status === 'pending') continue;
    const line = c.lines[i]!;
    const ln = i + 1;
    if (o.denial) {
      adjustment(
        mc,
        claimId,
        ln,
        o.denialRemit,
        1,
        pname,
        o.denial.group,
        o.denial.carc,
        o.denial.rarc,
        line.charge,
      );
    }
    if (o.status === 'denied') continue;
    const rd = o.paidDate;
    let seq = 1;
    let contractual = line.charge - o.allowed;
    if (o.cutUnits > 0) {
      const cut = Math.round((line.charge * o.cutUnits) / line.units);
      adjustment(mc, claimId, ln, rd, seq++, pname, 'CO', '151', '', cut);
      contractual -= cut;
    }
    if (contractual > 0) {
      adjustment(mc, claimId, ln, rd, seq++, pname, 'CO', '45', '', contractual);
      ledger.add(ledger.contractual, o.paidDate, payerIdx, contractual);
    }
    if (o.ded > 0) adjustment(mc, claimId, ln, rd, seq++, pname, 'PR', '1', '', o.ded);
    if (o.coins > 0) adjustment(mc, claimId, ln, rd, seq++, pname, 'PR', '2', '', o.coins);
    if (o.copay > 0) adjustment(mc, claimId, ln, rd, seq++, pname, 'PR', '3', '', o.copay);
    if (reversal >= 0 && o.paid > 0) {
      adjustment(mc, claimId, ln, reversal, 1, pname, 'CR', '22', '', o.paid);
      o.status = 'reversed';
      o.paidDate = reversal;
      o.paid = 0;
    }
  }
  // Payer payments: one per remittance that paid money, and the recoupment.
  const check = rng.chance(payer.checkShare);
  if (remitPaid1 > 0) payerPayment(mc, claimId, payer, check, remit1, remitPaid1);
  if (remitPaid2 > 0) payerPayment(mc, claimId, payer, check, remit2Day, remitPaid2);
  if (reversal >= 0) payerPayment(mc, claimId, payer, check, reversal, -remitPaid1);
  for (let i = 0; i < n; i++) {
    const o = out[i]!;
    if (o.paidDate >= 0 && o.paid !== 0) ledger.add(ledger.payerPaid, o.paidDate, payerIdx, o.paid);
  }
  writeLines(mc, c, claimId, span, out, submission, inNetwork);
  if (patientShare > 0 && reversal < 0) {
    const last = remit2Day > 0 ? remit2Day : remit1;
    billPatient(mc, claimId, payerIdx, patientShare, last + rng.range(5, 20));
  }
  return lag;
}

/** A payer payment row: EFT batches share a trace number per payer and day; checks get their own. */
function payerPayment(
  mc: MemberContext,
  claimId: string,
  payer: Payer,
  check: boolean,
  day: number,
  amount: number,
): void {
  const { rng } = mc;
  const id = nextPaymentId(mc);
  // Checks post a few days after the remittance; none is still in the mail at the cut-off.
  const posted = check ? Math.min(day + rng.range(3, 8), Math.max(day, mc.book.cfg.cutoff)) : day;
  const w = mc.book.writers.payment;
  w.begin(id.length + claimId.length + payer.name.length + 120);
  w.s(id);
  w.c();
  w.s(claimId);
  w.c();
  w.s(mc.m.personId);
  w.c();
  w.s(payer.name);
  w.s(',payer,');
  w.date(posted);
  w.c();
  w.money(amount);
  w.s(check ? ',check,' : ',eft,');
  w.s(payer.payerId);
  if (check) {
    w.s('CHK');
    w.s(id.slice(3));
  } else {
    // EFT batches: one trace number per payer and remittance day (835 TRN02).
    w.date(day);
  }
  w.end();
}

/** Copay owed on the claim in cents (0 when the plan uses deductible and coinsurance instead). */
function copayFor(c: Claim, plan: Payer['plans'][number]): number {
  let dollars = 0;
  switch (c.costShare) {
    case 'pcp':
      dollars = plan.copayPcp;
      break;
    case 'specialist':
      dollars = plan.copaySpecialist;
      break;
    case 'urgent':
      dollars = plan.copayUrgent;
      break;
    case 'ed':
      dollars = c.inst ? plan.copayEd : 0;
      break;
    case 'inpatient':
      dollars =
        c.inst && c.billType === '111'
          ? plan.copayInpatientDay * Math.min(5, Math.max(1, c.discharge - c.admit))
          : 0;
      break;
    default:
      dollars = 0;
  }
  return dollars * 100;
}

function coinsuranceApplies(c: Claim, line: Line, payer: Payer): boolean {
  if (payer.type === 'commercial') return true;
  if (payer.type === 'medicare_advantage') {
    const code = line.code;
    return (
      c.costShare === 'other' &&
      (code.startsWith('J') || code.startsWith('E') || code.startsWith('K') || code.startsWith('A4'))
    );
  }
  return false;
}

function writeLines(
  mc: MemberContext,
  c: Claim,
  claimId: string,
  span: Span,
  out: LineOutcome[],
  submission: number,
  inNetwork: boolean,
): void {
  const w = mc.book.writers.medical;
  const payer = PAYERS[span.payer]!;
  const plan = payer.plans[span.plan]!.name;
  // Header fields repeat on every line: encode them once per claim as text segments.
  const a = `,${c.inst ? 'institutional' : 'professional'},${mc.m.personId},${span.memberId},${payer.name},${plan},${iso(c.from)},${iso(c.to)},`;
  const inpatient = c.admit >= 0;
  const b = `,${inpatient ? iso(c.admit) : ''},${inpatient ? iso(c.discharge) : ''},${c.admitSource},${c.admitType},${c.disposition},${c.inst ? '' : c.pos},${c.billType},${c.drg ? 'ms-drg' : ''},${c.drg},`;
  const cc = `,${c.rendering.npi},${c.billing.npi},${c.billing.tin},${c.facility ? c.facility.npi : ''},`;
  const dx = c.dx;
  const d = `,icd-10-cm,${dx[0]},${dx[1] ?? ''},${dx[2] ?? ''},${dx[3] ?? ''},${dx[4] ?? ''},${inNetwork ? 'true' : 'false'},`;
  const e = `,${iso(submission)},${c.authNumber}`;
  const room = claimId.length + a.length + b.length + cc.length + d.length + e.length + 200;
  for (let i = 0; i < c.lines.length; i++) {
    const l = c.lines[i]!;
    const o = out[i]!;
    w.begin(room);
    w.s(claimId);
    w.c();
    w.int(i + 1);
    w.s(a);
    w.date(l.from);
    w.c();
    w.date(l.to);
    w.s(b);
    w.s(l.rev);
    w.c();
    w.int(l.units);
    w.c();
    w.s(l.code);
    w.c();
    w.s(l.mod);
    w.s(cc);
    if (o.paidDate >= 0) w.date(o.paidDate);
    w.c();
    w.money(o.paid);
    w.c();
    if (o.allowed >= 0) w.money(o.allowed);
    w.c();
    w.money(l.charge);
    w.c();
    w.money(o.coins);
    w.c();
    w.money(o.copay);
    w.c();
    w.money(o.ded);
    w.s(d);
    w.s(o.status);
    w.s(e);
    w.end();
  }
}

/** One claim_adjustment row (835 CAS). */
function adjustment(
  mc: MemberContext,
  claimId: string,
  line: number,
  remit: number,
  seq: number,
  payer: string,
  group: string,
  carc: string,
  rarc: string,
  cents: number,
): void {
  const w = mc.book.writers.adjustment;
  w.begin(claimId.length + payer.length + 80);
  w.s(claimId);
  w.c();
  w.int(line);
  w.c();
  w.date(remit);
  w.c();
  w.int(seq);
  w.c();
  w.s(payer);
  w.c();
  w.s(group);
  w.c();
  w.s(carc);
  w.c();
  w.s(rarc);
  w.c();
  w.money(cents);
  w.end();
}
