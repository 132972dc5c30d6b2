// Enrollment spans: monthly disenrollment hazards per payer, then leaving the book, a lapse and return
// (Medicaid churn), or a switch to another payer; Medicare entitlement at 65; mid-month starts/ends;
// spans cut at death. Writes eligibility.csv rows (demographics repeat on every span).
import { MEDICAID, MEDICARE_ADVANTAGE, PAYERS, SELF_PAY } from './catalog/payers.ts';
import { addMonths, dayOfMonthKey, firstOfMonth, iso, lastOfMonth } from './dates.ts';
import type { GenerateConfig } from './options.ts';
import { type Member, medicareMonthKey } from './population.ts';
import type { Rng } from './rng.ts';
import { money, q, type TableWriter } from './writer.ts';

export interface Span {
  payer: number;
  plan: number;
  start: number;
  end: number;
  memberId: string;
  subscriberId: string;
}

/** Monthly probability of leaving the current coverage, by payer index. */
const MONTHLY_EXIT = [0.012, 0.016, 0.007, 0.022, 0.02];

export function memberIdFor(m: Member, payer: number): string {
  return `${PAYERS[payer]!.payerId.slice(0, 3)}${String(m.index + 1).padStart(9, '0')}`;
}

function planFor(payer: number, m: Member, rng: Rng, ageAtStart: number): number {
  const plans = PAYERS[payer]!.plans;
  if (payer === MEDICAID) return ageAtStart < 19 ? 1 : 0; // CHIP for children
  let total = 0;
  for (const p of plans) total += p.weight;
  let x = rng.next() * total;
  for (let i = 0; i < plans.length; i++) {
    x -= plans[i]!.weight;
    if (x < 0) return i;
  }
  return m.index % plans.length;
}

/** A start day: usually the first of a month, sometimes mid-month. */
function startDay(day: number, rng: Rng): number {
  return rng.chance(0.85) ? firstOfMonth(day) : day;
}

function otherPayer(current: number, ageYears: number, rng: Rng): number {
  if (ageYears >= 65) return MEDICARE_ADVANTAGE;
  if (current === MEDICAID) return rng.chance(0.6) ? 0 : 1;
  if (current === 0) return rng.chance(0.6) ? 1 : MEDICAID;
  if (current === 1) return rng.chance(0.6) ? 0 : MEDICAID;
  return rng.chance(0.5) ? 0 : MEDICAID;
}

/**
 * Builds the member's spans. `template` (the subscriber's spans) makes dependents mirror their
 * subscriber's coverage, with their own member ids.
 */
export function buildSpans(cfg: GenerateConfig, m: Member, rng: Rng, template?: readonly Span[]): Span[] {
  const spans: Span[] = [];
  const ws = cfg.windowStart;
  const we = cfg.windowEnd;
  if (template) {
    for (const t of template)
      spans.push({ ...t, memberId: memberIdFor(m, t.payer), subscriberId: t.memberId });
    return truncateAtDeath(spans, m);
  }
  const windowDays = we - ws + 1;
  const entrant = rng.chance(cfg.knobs.newEntrantShare);
  let start = entrant ? startDay(ws + rng.int(windowDays - 20), rng) : firstOfMonth(ws - rng.int(365 * 6));
  if (start < m.birth) start = m.birth;
  let payer = m.track;
  const medicareKey = medicareMonthKey(m);
  for (let guard = 0; guard < 20; guard++) {
    const ageStart = Math.floor((start - m.birth) / 365.25);
    let end: number;
    if (payer === SELF_PAY) {
      end = rng.chance(0.12) ? lastOfMonth(ws + rng.int(windowDays)) : we;
    } else {
      let months = 0;
      while (months < 400 && !rng.chance(MONTHLY_EXIT[payer]!)) months++;
      end = lastOfMonth(addMonths(start, months));
      if (rng.chance(0.15)) end = firstOfMonth(end) + rng.int(27);
    }
    // Medicare entitlement from the month of the 65th birthday: commercial and Medicaid coverage ends.
    let ageIn = false;
    if (payer !== MEDICARE_ADVANTAGE && payer !== SELF_PAY) {
      const d65 = dayOfMonthKey(medicareKey);
      if (d65 > start && d65 <= end) {
        end = d65 - 1;
        ageIn = true;
      }
    }
    if (end < start) end = start;
    const ongoing = end >= we;
    if (end >= ws)
      spans.push({
        payer,
        plan: planFor(payer, m, rng, ageStart),
        start,
        end: Math.min(end, we),
        memberId: memberIdFor(m, payer),
        subscriberId: '',
      });
    if (ongoing) break;
    if (ageIn) {
      payer = MEDICARE_ADVANTAGE;
      start = end + 1;
      continue;
    }
    if (payer === SELF_PAY) break;
    const u = rng.next();
    const leave = 0.42;
    const lapseReturn = payer === MEDICAID ? 0.45 : 0.25;
    if (u < leave) break;
    const ageNow = Math.floor((end - m.birth) / 365.25);
    if (u < leave + lapseReturn) {
      start = firstOfMonth(addMonths(end, 1 + rng.range(1, 4)));
    } else {
      payer = otherPayer(payer, ageNow, rng);
      start = rng.chance(0.6) ? end + 1 : firstOfMonth(addMonths(end, 1 + rng.range(1, 3)));
    }
    if (start > we) break;
  }
  if (spans.length === 0) {
    spans.push({
      payer: m.track,
      plan: planFor(m.track, m, rng, 30),
      start: ws,
      end: we,
      memberId: memberIdFor(m, m.track),
      subscriberId: '',
    });
  }
  return truncateAtDeath(spans, m);
}

/** Coverage ends with the month of death; nothing starts after it. */
function truncateAtDeath(spans: Span[], m: Member): Span[] {
  if (m.death < 0) return spans;
  const last = lastOfMonth(m.death);
  const out = spans.filter((s) => s.start <= m.death);
  for (const s of out) if (s.end > last) s.end = last;
  if (out.length === 0 && spans.length > 0) {
    // Died before the first span would have started: keep a short span ending at death for the record.
    const s = spans[0]!;
    out.push({ ...s, start: Math.min(s.start, m.death), end: last });
  }
  return out;
}

/** The span covering a day, or undefined in a lapse. */
export function spanAt(spans: readonly Span[], day: number): Span | undefined {
  for (const s of spans) if (s.start <= day && day <= s.end) return s;
  return undefined;
}

export const ELIGIBILITY_COLUMNS = [
  'person_id',
  'member_id',
  'subscriber_id',
  'gender',
  'race',
  'birth_date',
  'death_date',
  'death_flag',
  'enrollment_start_date',
  'enrollment_end_date',
  'payer',
  'payer_type',
  'plan',
  'original_reason_entitlement_code',
  'medicare_status_code',
  'first_name',
  'last_name',
  'social_security_number',
  'subscriber_relation',
  'address',
  'city',
  'state',
  'zip_code',
  'phone',
  'household_size',
  'household_income',
] as const;

export function writeEligibility(w: TableWriter, m: Member, spans: readonly Span[]): void {
  const death = m.death >= 0 ? iso(m.death) : '';
  const flag = m.death >= 0 ? 'true' : 'false';
  const hh = m.incomeKnown ? `${m.householdSize},${money(m.income * 100)}` : ',';
  for (const s of spans) {
    const p = PAYERS[s.payer]!;
    const ageAtStart = Math.floor((s.start - m.birth) / 365.25);
    const medicare = s.payer === MEDICARE_ADVANTAGE ? (ageAtStart < 65 ? '1,20' : '0,10') : ',';
    w.row(
      `${m.personId},${s.memberId},${s.subscriberId || s.memberId},${m.female ? 'female' : 'male'},${m.race},${iso(m.birth)},${death},${flag},${iso(s.start)},${iso(s.end)},${p.name},${p.type},${q(p.plans[s.plan]!.name)},${medicare},${m.firstName},${m.lastName},${m.ssn},${m.relation},${m.address},${m.zip.city},${m.zip.state},${m.zip.zip},${m.phone},${hh}`,
    );
  }
}
