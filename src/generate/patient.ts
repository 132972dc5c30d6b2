// Patient balances and patient payments. Whether and how much a patient pays depends on household
// income against the HHS poverty guideline, area deprivation, balance size and payer type; unpaid
// balances go to bad debt 120 days after the statement (when that falls before the cut-off).
import { MEDICAID, MEDICARE_ADVANTAGE, SELF_PAY } from './catalog/payers.ts';
import { iso } from './dates.ts';
import { type MemberContext, nextId } from './model.ts';
import { Choice, sigmoid } from './rng.ts';
import { money } from './writer.ts';

export const PAYMENT_COLUMNS = [
  'payment_id',
  'claim_id',
  'person_id',
  'payer',
  'payment_source',
  'payment_date',
  'payment_amount',
  'payment_method',
  'trace_number',
] as const;

/** 2024 HHS poverty guideline, 48 contiguous states: $15,060 plus $5,380 per extra person. */
export function povertyLine(householdSize: number): number {
  return 15060 + 5380 * (Math.max(1, householdSize) - 1);
}

const METHODS = new Choice<string>([
  ['card', 55],
  ['check', 25],
  ['eft', 10],
  ['cash', 5],
  ['other', 5],
]);

export function nextPaymentId(mc: MemberContext): string {
  return nextId(mc, 'payment', 'PMT');
}

/** Probability the patient pays a statement (documented in docs/generator.md). */
export function payLikelihood(
  incomeToPoverty: number,
  adi: number,
  balanceDollars: number,
  payer: number,
): number {
  const typeEffect =
    payer === SELF_PAY ? -1.3 : payer === MEDICAID ? -0.3 : payer === MEDICARE_ADVANTAGE ? 0.4 : 0.3;
  const logit =
    1.1 +
    0.8 * Math.log(Math.max(0.1, incomeToPoverty) / 2) -
    1.0 * ((adi - 50) / 50) -
    0.5 * Math.log(Math.max(1, balanceDollars) / 100) +
    typeEffect;
  return sigmoid(logit);
}

/** Bills the patient's share of a claim and writes the payments received before the cut-off. */
export function billPatient(
  mc: MemberContext,
  claimId: string,
  payer: number,
  balance: number,
  statement: number,
): void {
  if (balance <= 0) return;
  const { m, rng, book } = mc;
  const cutoff = book.cfg.cutoff;
  const ledger = book.ledger;
  const ratio = m.income / povertyLine(m.householdSize);
  const p = payLikelihood(ratio, m.zip.adi, balance / 100, payer);
  let toPay = 0;
  let installments = 1;
  if (rng.chance(p)) {
    if (rng.chance(0.7)) toPay = balance;
    else {
      toPay = Math.round(balance * rng.uniform(0.2, 0.8));
      installments = rng.range(1, 3);
    }
  } else if (rng.chance(0.12)) {
    toPay = Math.round(balance * rng.uniform(0.1, 0.3));
  }
  let paid = 0;
  let day = statement + Math.max(3, Math.round(rng.lognormal(20, 0.5)));
  for (let i = 0; i < installments && paid < toPay; i++) {
    const amount = i === installments - 1 ? toPay - paid : Math.round(toPay / installments);
    if (amount <= 0 || day > cutoff) break;
    // A few patient payments land on account without being applied to the claim.
    const applied = rng.chance(0.99) ? claimId : '';
    book.writers.payment.row(
      `${nextPaymentId(mc)},${applied},${m.personId},,patient,${iso(day)},${money(amount)},${METHODS.draw(rng)},`,
    );
    ledger.add(ledger.patientPaid, day, payer, amount);
    paid += amount;
    day += 30 + rng.range(-3, 5);
  }
  const writeOff = statement + 120;
  if (paid < balance && writeOff <= cutoff) ledger.add(ledger.badDebt, writeOff, payer, balance - paid);
}
