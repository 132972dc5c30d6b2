// Value translations of the Synthea adapter, each a SQL CASE over a Synthea column: payer names to
// lines of business, encounter classes to encounter types, places of service and bill types, state
// names to USPS codes. Every translation is of a fact Synthea records (docs/sources/synthea.md); a
// value without a translation maps to NULL or to the contract's 'other', never to a guess.
import { literal } from '../../engine/duckdb.ts';

function caseOf(expr: string, pairs: Record<string, string>, otherwise = 'NULL'): string {
  const whens = Object.entries(pairs)
    .map(([from, to]) => `WHEN ${literal(from)} THEN ${literal(to)}`)
    .join(' ');
  return `(CASE ${expr} ${whens} ELSE ${otherwise} END)`;
}

/** Name of the Synthea payer that stands for "no insurance" (claims carry insurance id 0 for it). */
export const NO_INSURANCE = 'NO_INSURANCE';

/**
 * Line of business of a Synthea payer, from its name: Synthea's government payers are named
 * Medicare, Medicaid and Dual Eligible (Medicare is primary for dual eligibles), the uninsured are
 * NO_INSURANCE, and every other payer is a private insurer.
 */
export function payerTypeSql(name: string): string {
  return caseOf(
    `upper(trim(${name}))`,
    { MEDICARE: 'medicare', MEDICAID: 'medicaid', 'DUAL ELIGIBLE': 'medicare', [NO_INSURANCE]: 'self_pay' },
    `'commercial'`,
  );
}

/** Synthea ENCOUNTERCLASS to encounter.encounter_type. */
export function encounterTypeSql(cls: string): string {
  return caseOf(
    `lower(trim(${cls}))`,
    {
      inpatient: 'inpatient',
      emergency: 'emergency',
      outpatient: 'outpatient',
      urgentcare: 'outpatient',
      ambulatory: 'office',
      wellness: 'office',
      virtual: 'telehealth',
      home: 'home_health',
      snf: 'snf',
    },
    `'other'`,
  );
}

/**
 * CMS place of service of a professional claim, from the class of its encounter: 11 office, 20
 * urgent care, 21 inpatient hospital, 22 on-campus outpatient hospital, 23 emergency room, 02
 * telehealth, 12 home, 31 skilled nursing facility, 34 hospice.
 */
export function placeOfServiceSql(cls: string): string {
  return caseOf(`lower(trim(${cls}))`, {
    ambulatory: '11',
    wellness: '11',
    urgentcare: '20',
    inpatient: '21',
    outpatient: '22',
    emergency: '23',
    virtual: '02',
    home: '12',
    snf: '31',
    hospice: '34',
  });
}

/**
 * NUBC type of bill of an institutional claim, from the class of its encounter: 111 hospital
 * inpatient, 131 hospital outpatient (emergency, outpatient, urgent care, ambulatory and wellness
 * visits billed by the facility), 211 skilled nursing, 321 home health, 811 hospice. The frequency
 * digit is 1 (admit through discharge): Synthea bills one claim per encounter, never interim or
 * replacement claims.
 */
export function billTypeSql(cls: string): string {
  return caseOf(`lower(trim(${cls}))`, {
    inpatient: '111',
    emergency: '131',
    outpatient: '131',
    urgentcare: '131',
    ambulatory: '131',
    wellness: '131',
    snf: '211',
    home: '321',
    hospice: '811',
  });
}

/** Synthea payment METHOD to payment.payment_method; COPAY says what was paid, not how, so it has none. */
export function paymentMethodSql(method: string): string {
  const m = `upper(trim(${method}))`;
  return `(CASE WHEN ${m} = 'COPAY' OR ${m} IS NULL THEN NULL ELSE ${caseOf(m, { CASH: 'cash', CHECK: 'check', ECHECK: 'eft', CC: 'card' }, `'other'`)} END)`;
}

/** payer_transitions OWNERSHIP (who owns the policy) to eligibility.subscriber_relation. */
export function subscriberRelationSql(ownership: string): string {
  return caseOf(`lower(trim(${ownership}))`, { self: 'self', spouse: 'spouse', guardian: 'child' });
}

/** Synthea GENDER (M/F) to eligibility.gender. */
export function genderSql(gender: string): string {
  return caseOf(`upper(trim(${gender}))`, { M: 'male', F: 'female' }, `'unknown'`);
}

/** USPS codes of the states, DC and territories by name (Synthea writes full state names). */
const STATES: Record<string, string> = {
  Alabama: 'AL',
  Alaska: 'AK',
  Arizona: 'AZ',
  Arkansas: 'AR',
  California: 'CA',
  Colorado: 'CO',
  Connecticut: 'CT',
  Delaware: 'DE',
  'District of Columbia': 'DC',
  Florida: 'FL',
  Georgia: 'GA',
  Hawaii: 'HI',
  Idaho: 'ID',
  Illinois: 'IL',
  Indiana: 'IN',
  Iowa: 'IA',
  Kansas: 'KS',
  Kentucky: 'KY',
  Louisiana: 'LA',
  Maine: 'ME',
  Maryland: 'MD',
  Massachusetts: 'MA',
  Michigan: 'MI',
  Minnesota: 'MN',
  Mississippi: 'MS',
  Missouri: 'MO',
  Montana: 'MT',
  Nebraska: 'NE',
  Nevada: 'NV',
  'New Hampshire': 'NH',
  'New Jersey': 'NJ',
  'New Mexico': 'NM',
  'New York': 'NY',
  'North Carolina': 'NC',
  'North Dakota': 'ND',
  Ohio: 'OH',
  Oklahoma: 'OK',
  Oregon: 'OR',
  Pennsylvania: 'PA',
  'Rhode Island': 'RI',
  'South Carolina': 'SC',
  'South Dakota': 'SD',
  Tennessee: 'TN',
  Texas: 'TX',
  Utah: 'UT',
  Vermont: 'VT',
  Virginia: 'VA',
  Washington: 'WA',
  'West Virginia': 'WV',
  Wisconsin: 'WI',
  Wyoming: 'WY',
  'Puerto Rico': 'PR',
  Guam: 'GU',
  'U.S. Virgin Islands': 'VI',
  'American Samoa': 'AS',
  'Northern Mariana Islands': 'MP',
};

/** USPS code of a state given by name or already as a code; NULL when it is neither. */
export function stateCodeSql(state: string): string {
  const upperNames = Object.fromEntries(Object.entries(STATES).map(([k, v]) => [k.toUpperCase(), v]));
  const s = `upper(trim(${state}))`;
  return `(CASE WHEN regexp_full_match(${s}, '[A-Z]{2}') THEN ${s} ELSE ${caseOf(s, upperNames)} END)`;
}
