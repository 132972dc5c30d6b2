// Pharmacy fills for chronic members: maintenance drugs chosen from their conditions, 30- or 90-day
// supplies, on-time or early refills for adherent fills and gaps for the others (member adherence
// plus a per-class shift), discontinuation, switches within a class, and fills only while insured.

import { pcpFor, specialist } from './care.ts';
import { C, has } from './catalog/conditions.ts';
import { type Drug, drugs, GROUP_CHOICES } from './catalog/drugs.ts';
import { PAYERS, SELF_PAY } from './catalog/payers.ts';
import { iso } from './dates.ts';
import { spanAt } from './eligibility.ts';
import { type MemberContext, nextId } from './model.ts';
import { ageOn } from './population.ts';
import type { Provider } from './providers.ts';
import { Choice } from './rng.ts';
import { money } from './writer.ts';

export const PHARMACY_COLUMNS = [
  'claim_id',
  'claim_line_number',
  'person_id',
  'member_id',
  'payer',
  'plan',
  'prescribing_provider_npi',
  'dispensing_provider_npi',
  'dispensing_date',
  'ndc_code',
  'quantity',
  'days_supply',
  'refills',
  'paid_date',
  'paid_amount',
  'allowed_amount',
  'charge_amount',
  'copayment_amount',
  'in_network_flag',
  'claim_status',
] as const;

const DISPENSING_FEE = 1.75;
const GROUP_PICK = Object.fromEntries(
  Object.entries(GROUP_CHOICES).map(([g, list]) => [g, new Choice(list)]),
);

interface Therapy {
  drug: Drug;
  prescriberKey: string;
}

function drugOf(group: string, mc: MemberContext): Drug {
  const all = drugs();
  const pick = GROUP_PICK[group];
  const name = pick ? pick.draw(mc.rng) : group;
  return all.get(name)!;
}

/** The maintenance regimen implied by the member's conditions. */
function regimen(mc: MemberContext): Therapy[] {
  const { m, rng } = mc;
  const out: Therapy[] = [];
  const c = m.conditions;
  const age = ageOn(m, mc.first);
  const add = (group: string, p: number, key = 'pcp') => {
    if (rng.chance(p)) out.push({ drug: drugOf(group, mc), prescriberKey: key });
  };
  if (has(c, C.hyperlipidemia!) || has(c, C.cad!) || (has(c, C.diabetes!) && age >= 40))
    add('statins', has(c, C.cad!) ? 0.85 : 0.72, has(c, C.cad!) && rng.chance(0.3) ? 'cardiology' : 'pcp');
  if (has(c, C.hypertension!) || has(c, C.chf!) || (has(c, C.diabetes!) && has(c, C.ckd!)))
    add('ras_antagonists', 0.68);
  if (has(c, C.hypertension!)) add('amlodipine', 0.32);
  if (has(c, C.diabetes!) && !has(c, C.esrd!)) {
    const endo = rng.chance(0.3) ? 'endocrinology' : 'pcp';
    add('metformin', 0.8, endo);
    add('glipizide', 0.22, endo);
    add('sitagliptin', 0.14, endo);
    add('empagliflozin', 0.16, endo);
    add('insulin glargine', 0.2, endo);
  }
  if (has(c, C.hypothyroid!)) add('levothyroxine', 0.95);
  if (has(c, C.depression!) || has(c, C.anxiety!))
    add('sertraline', has(c, C.depression!) ? 0.5 : 0.3, rng.chance(0.25) ? 'psychiatry' : 'pcp');
  if (has(c, C.asthma!) || has(c, C.copd!)) add('albuterol', 0.7);
  return out;
}

/** Writes the member's pharmacy claims. */
export function planPharmacy(mc: MemberContext): void {
  const therapies = regimen(mc);
  if (therapies.length === 0) return;
  const { m, rng, book } = mc;
  const w = book.writers.pharmacy;
  const retail = book.providers.pick('pharmacy', m.zip.stateIndex, mc.first, rng);
  const mail = book.providers.pick('mail_pharmacy', m.zip.stateIndex, mc.first, rng);
  for (const t of therapies) {
    let drug = t.drug;
    let ndc = drug.ndcs[rng.int(drug.ndcs.length)]!;
    const adherence = Math.max(0.05, Math.min(0.99, m.adherence + drug.adherenceShift));
    // Ongoing therapy fills early in the window; new starts begin at a random day.
    let day = rng.chance(0.72) ? mc.first + rng.int(30) : mc.first + rng.int(Math.max(1, mc.last - mc.first));
    let refill = rng.chance(0.72) ? rng.int(6) : 0;
    let prescriber: Provider | undefined;
    let ninety = -1;
    for (let guard = 0; guard < 400 && day <= mc.last; guard++) {
      const span = spanAt(mc.spans, day);
      if (!span || span.payer === SELF_PAY) {
        // Uninsured stretches leave no claims: the member pays cash or goes without.
        day += 30;
        continue;
      }
      const payer = PAYERS[span.payer]!;
      if (ninety < 0) ninety = rng.chance(payer.ninetyDayShare) ? 1 : 0;
      const ds = drug.fixedDays ?? (ninety === 1 ? 90 : 30);
      const qty = Math.max(1, Math.round(ds * drug.unitsPerDay));
      if (!prescriber || prescriber.activeTo < day) {
        prescriber = t.prescriberKey === 'pcp' ? pcpFor(mc, day) : specialist(mc, t.prescriberKey, day);
      }
      const pharmacy = ds === 90 && rng.chance(0.5) ? mail : retail;
      const allowed = Math.round((qty * drug.unitCost + DISPENSING_FEE) * 100);
      const charge = Math.round(allowed * (drug.brand ? 1.15 : 2.2));
      const copay = Math.min(
        allowed,
        Math.round((drug.brand ? payer.rxCopayBrand : payer.rxCopayGeneric) * (ds >= 90 ? 2.5 : 1) * 100),
      );
      // A few fills are reversed (never picked up): no supply, the member comes back a week later.
      const reversed = rng.chance(0.01);
      w.row(
        `${nextId(mc, 'rx', 'RX')},1,${m.personId},${span.memberId},${payer.name},${payer.plans[span.plan]!.name},${prescriber.npi},${pharmacy.npi},${iso(day)},${ndc},${qty},${ds},${refill},${iso(day)},${money(reversed ? 0 : allowed - copay)},${money(allowed)},${money(charge)},${money(reversed ? 0 : copay)},true,${reversed ? 'reversed' : 'paid'}`,
      );
      if (reversed) {
        day += 7;
        continue;
      }
      refill = refill >= 11 ? 0 : refill + 1;
      if (drug.asNeeded) {
        day += ds + Math.round(rng.exponential(70));
        continue;
      }
      if (rng.chance(adherence)) day += Math.round(ds * rng.uniform(0.84, 1));
      else day += ds + Math.round(rng.exponential(ds * 0.45 + 12));
      if (rng.chance((1 - adherence) * 0.05)) break;
      if (GROUP_PICK[drug.group] && rng.chance(0.015)) {
        const next = drugOf(drug.group, mc);
        if (next.name !== drug.name) {
          drug = next;
          ndc = drug.ndcs[rng.int(drug.ndcs.length)]!;
          refill = 0;
        }
      } else if (rng.chance(0.08)) {
        ndc = drug.ndcs[rng.int(drug.ndcs.length)]!;
      }
    }
  }
}
