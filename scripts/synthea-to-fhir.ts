// Turns the Synthea v3.0 CSV sample (../shared/datasets/synthea-csv) into a small FHIR R4 bulk export
// in CARIN Blue Button shape, the fixture test/fixtures/fhir-synthea: Patient, Coverage, Organization,
// Practitioner and ExplanationOfBenefit NDJSON. Only what Synthea records is written: its SNOMED-CT
// diagnoses and procedures keep their SNOMED system (no ICD-10 is made up), its RxNorm drugs stay
// RxNorm (no NDC), its providers have no NPI, and it records no allowed amounts, so none are written.
// test/fixtures/fhir-synthea/SOURCE.md says what each resource is made of.
//
// Usage: npx tsx scripts/synthea-to-fhir.ts [SYNTHEA_DIR] [OUT_DIR]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SRC = process.argv[2] ?? '../shared/datasets/synthea-csv';
const OUT = process.argv[3] ?? 'test/fixtures/fhir-synthea';
/** Patients taken: the first FIRST_PATIENTS of patients.csv, plus every later one with an inpatient stay and at most MAX_ENCOUNTERS encounters. */
const FIRST_PATIENTS = 8;
const MAX_ENCOUNTERS = 25;

type Row = Record<string, string>;
type Json = Record<string, unknown>;

/** Synthea's CSVs have no quoted fields (checked: no `"` in any of them), so a split is exact. */
function readCsv(file: string): Row[] {
  const text = readFileSync(join(SRC, file), 'utf8').replace(/\r/g, '');
  const [head, ...lines] = text.split('\n').filter((l) => l !== '');
  if (!head) throw new Error(`${file} is empty`);
  if (text.includes('"')) throw new Error(`${file} has quoted fields: this converter splits on commas only`);
  const cols = head.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

const SYS = {
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  subType: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBInstitutionalClaimSubType',
  adjudication: 'http://terminology.hl7.org/CodeSystem/adjudication',
  c4bbAdjudication: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication',
  payeeType: 'http://terminology.hl7.org/CodeSystem/payeetype',
  dxType: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimDiagnosisType',
  careTeamRole: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBClaimCareTeamRole',
  snomed: 'http://snomed.info/sct',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  pos: 'https://www.cms.gov/Medicare/Coding/place-of-service-codes/Place_of_Service_Code_Set',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  c4bbIdentifierType: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType',
  sopt: 'https://nahdo.org/sopt',
  coverageClass: 'http://terminology.hl7.org/CodeSystem/coverage-class',
  relationship: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  race: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
  ethnicity: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity',
  omb: 'urn:oid:2.16.840.1.113883.6.238',
  ssn: 'http://hl7.org/fhir/sid/us-ssn',
  syntheaId: 'https://github.com/synthetichealth/synthea',
  supportingInfo: 'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType',
  typeOfBill: 'https://www.nubc.org/CodeSystem/TypeOfBill',
};
const PROFILE = 'http://hl7.org/fhir/us/carin-bb/StructureDefinition/';

const money = (n: number) => ({ value: Math.round(n * 100) / 100, currency: 'USD' });
const num = (s: string | undefined) => (s ? Number(s) : 0);
const day = (ts: string) => ts.slice(0, 10);
const coding = (system: string, code: string, display?: string) => ({
  coding: [{ system, code, ...(display ? { display } : {}) }],
  ...(display ? { text: display } : {}),
});
const adj = (system: string, code: string, amount: number) => ({
  category: coding(system, code),
  amount: money(amount),
});

// Source of Payment Typology (PHDSC/NAHDO) for Synthea's payer names: 1 Medicare, 2 Medicaid,
// 14 dual eligible, 5 private insurance, 6 Blue Cross Blue Shield, 81 self-pay.
function sopt(name: string): [string, string] {
  if (name === 'Medicare') return ['1', 'MEDICARE'];
  if (name === 'Medicaid') return ['2', 'MEDICAID'];
  if (name === 'Dual Eligible') return ['14', 'Dual Eligibility Medicare/Medicaid Organization'];
  if (name === 'NO_INSURANCE') return ['81', 'Self-pay'];
  if (name === 'Blue Cross Blue Shield') return ['6', 'BLUE CROSS/BLUE SHIELD'];
  return ['5', 'PRIVATE HEALTH INSURANCE'];
}

const RACE: Record<string, [string, string]> = {
  white: ['2106-3', 'White'],
  black: ['2054-5', 'Black or African American'],
  asian: ['2028-9', 'Asian'],
  native: ['1002-5', 'American Indian or Alaska Native'],
  hawaiian: ['2076-8', 'Native Hawaiian or Other Pacific Islander'],
};

/** CMS place of service derived from Synthea's encounter class (professional claims only). */
const POS: Record<string, [string, string]> = {
  wellness: ['11', 'Office'],
  ambulatory: ['11', 'Office'],
  urgentcare: ['20', 'Urgent Care Facility'],
  emergency: ['23', 'Emergency Room - Hospital'],
  outpatient: ['22', 'On Campus-Outpatient Hospital'],
  inpatient: ['21', 'Inpatient Hospital'],
};

const patients = readCsv('patients.csv');
const encounters = readCsv('encounters.csv');
const encounterById = new Map(encounters.map((e) => [e.Id!, e]));
const claims = readCsv('claims.csv');
const transactions = readCsv('claims_transactions.csv');
const transitions = readCsv('payer_transitions.csv');
const payers = new Map(readCsv('payers.csv').map((p) => [p.Id!, p]));
const organizations = new Map(readCsv('organizations.csv').map((o) => [o.Id!, o]));
const providers = new Map(readCsv('providers.csv').map((p) => [p.Id!, p]));
const rxnormCodes = new Set(readCsv('medications.csv').map((m) => m.CODE!));
const cvxCodes = new Set(readCsv('immunizations.csv').map((m) => m.CODE!));

// --- patient selection
const encountersOf = new Map<string, Row[]>();
for (const e of encounters) encountersOf.set(e.PATIENT!, [...(encountersOf.get(e.PATIENT!) ?? []), e]);
const chosen = new Set(
  patients
    .filter((p, i) => {
      const list = encountersOf.get(p.Id!) ?? [];
      return (
        i < FIRST_PATIENTS ||
        (list.some((e) => e.ENCOUNTERCLASS === 'inpatient') && list.length <= MAX_ENCOUNTERS)
      );
    })
    .map((p) => p.Id!),
);

const out: Record<string, Json[]> = {
  Patient: [],
  Coverage: [],
  Organization: [],
  Practitioner: [],
  ExplanationOfBenefit: [],
};
const usedOrgs = new Set<string>();
const usedPractitioners = new Set<string>();

// --- Patient
for (const p of patients.filter((p) => chosen.has(p.Id!))) {
  const race = RACE[p.RACE!];
  const extension: Json[] = [
    {
      url: SYS.race,
      extension: [
        ...(race
          ? [{ url: 'ombCategory', valueCoding: { system: SYS.omb, code: race[0], display: race[1] } }]
          : []),
        { url: 'text', valueString: p.RACE },
      ],
    },
    {
      url: SYS.ethnicity,
      extension: [{ url: 'text', valueString: p.ETHNICITY }],
    },
  ];
  out.Patient!.push({
    resourceType: 'Patient',
    id: p.Id,
    meta: { profile: [`${PROFILE}C4BB-Patient`] },
    extension,
    identifier: [
      { type: coding(SYS.identifierType, 'MR', 'Medical record number'), system: SYS.syntheaId, value: p.Id },
      ...(p.SSN ? [{ type: coding(SYS.identifierType, 'SS'), system: SYS.ssn, value: p.SSN }] : []),
    ],
    name: [{ use: 'official', family: p.LAST, given: [p.FIRST] }],
    gender: p.GENDER === 'M' ? 'male' : p.GENDER === 'F' ? 'female' : 'unknown',
    birthDate: p.BIRTHDATE,
    ...(p.DEATHDATE ? { deceasedDateTime: p.DEATHDATE } : { deceasedBoolean: false }),
    address: [
      {
        line: [p.ADDRESS],
        city: p.CITY,
        state: p.STATE,
        ...(p.ZIP ? { postalCode: p.ZIP } : {}),
        country: 'US',
      },
    ],
  });
}

// --- Coverage: one per payer_transitions row (Synthea gives a new member id per plan year).
const RELATION: Record<string, string> = { Self: 'self', Spouse: 'spouse', Guardian: 'child' };
const coverages: { id: string; patient: string; payer: string; start: string; end: string }[] = [];
for (const t of transitions.filter((t) => chosen.has(t.PATIENT!))) {
  const payer = payers.get(t.PAYER!);
  if (!payer) throw new Error(`payer_transitions: unknown payer ${t.PAYER}`);
  const id = `${t.MEMBERID}.${day(t.START_YEAR!).replace(/-/g, '')}`;
  const [code, display] = sopt(payer.NAME!);
  usedOrgs.add(payer.Id!);
  coverages.push({ id, patient: t.PATIENT!, payer: t.PAYER!, start: t.START_YEAR!, end: t.END_YEAR! });
  out.Coverage!.push({
    resourceType: 'Coverage',
    id,
    meta: { profile: [`${PROFILE}C4BB-Coverage`] },
    identifier: [{ type: coding(SYS.identifierType, 'MB', 'Member Number'), value: t.MEMBERID }],
    status: 'active',
    type: coding(SYS.sopt, code, display),
    subscriberId: t.MEMBERID,
    beneficiary: { reference: `Patient/${t.PATIENT}` },
    ...(RELATION[t.OWNERSHIP!] ? { relationship: coding(SYS.relationship, RELATION[t.OWNERSHIP!]!) } : {}),
    period: { start: day(t.START_YEAR!), end: day(t.END_YEAR!) },
    payor: [{ reference: `Organization/${payer.Id}`, display: payer.NAME }],
    class: [{ type: coding(SYS.coverageClass, 'plan'), value: payer.Id, name: payer.NAME }],
  });
}

/** The coverage of the claim's primary payer in force at the service date, if Synthea recorded one. */
function coverageFor(patient: string, payer: string, at: string): string | undefined {
  return coverages.find((c) => c.patient === patient && c.payer === payer && c.start <= at && at < c.end)?.id;
}

// --- claim lines: a CHARGE row and the rows after it (payments, transfers) until the next CHARGE.
interface Line {
  charge: Row;
  payerPaid: number;
  secondaryPaid: number;
  patientPaid: number;
  payerPaidOn: string | null;
}
const linesOf = new Map<string, Line[]>();
{
  const claimById = new Map(claims.map((c) => [c.Id!, c]));
  /** Claims whose primary payer is none (0) or Synthea's NO_INSURANCE: every payment is the patient's. */
  const uninsured = (claimId: string) => {
    const primary = claimById.get(claimId)?.PRIMARYPATIENTINSURANCEID ?? '0';
    return primary === '0' || payers.get(primary)?.NAME === 'NO_INSURANCE';
  };
  let current: Line | undefined;
  let holder = '1';
  // CHARGEID is Synthea's running transaction number: in its order each charge is followed by its
  // own payments and transfers (the file itself is not in that order).
  const ordered = [...transactions].sort(
    (a, b) => a.CLAIMID!.localeCompare(b.CLAIMID!) || Number(a.CHARGEID) - Number(b.CHARGEID),
  );
  for (const t of ordered) {
    if (t.TYPE === 'CHARGE') {
      current = { charge: t, payerPaid: 0, secondaryPaid: 0, patientPaid: 0, payerPaidOn: null };
      // The CHARGE's TRANSFERTYPE says who holds the balance first: 1 the primary payer, p the patient.
      holder = t.TRANSFERTYPE || '1';
      linesOf.set(t.CLAIMID!, [...(linesOf.get(t.CLAIMID!) ?? []), current]);
    } else if (!current || current.charge.CLAIMID !== t.CLAIMID) {
      throw new Error(`claims_transactions ${t.ID}: ${t.TYPE} before any CHARGE of its claim`);
    } else if (t.TYPE === 'TRANSFERIN') {
      holder = t.TRANSFERTYPE || holder; // '2' secondary payer, 'p' patient
    } else if (t.TYPE === 'PAYMENT') {
      // The patient's when paid as a COPAY, while the patient holds the balance, or when the claim
      // has no insurer (the same rule as the Synthea adapter, docs/sources/synthea.md); else the
      // holding payer's.
      const amount = num(t.PAYMENTS);
      if (t.METHOD === 'COPAY' || holder === 'p' || uninsured(t.CLAIMID!)) current.patientPaid += amount;
      else if (holder === '2') current.secondaryPaid += amount;
      else {
        current.payerPaid += amount;
        // Synthea dates a payment with the service dates of its charge (no payment date of its own): FROMDATE.
        current.payerPaidOn = day(t.FROMDATE!);
      }
    }
  }
}

let droppedSecondary = 0;
let droppedSecondaryClaims = 0;
const lineAdjudication = (l: Line) => [
  adj(SYS.adjudication, 'submitted', num(l.charge.AMOUNT)),
  adj(SYS.c4bbAdjudication, 'paidtoprovider', l.payerPaid),
  adj(SYS.c4bbAdjudication, 'paidbypatient', l.patientPaid),
];

function productOrService(code: string, note: string) {
  if (rxnormCodes.has(code)) return coding(SYS.rxnorm, code, note);
  if (cvxCodes.has(code)) return coding(SYS.cvx, code, note);
  return coding(SYS.snomed, code, note);
}

function total(lines: Line[]) {
  const sum = (f: (l: Line) => number) => lines.reduce((s, l) => s + f(l), 0);
  return [
    adj(
      SYS.adjudication,
      'submitted',
      sum((l) => num(l.charge.AMOUNT)),
    ),
    adj(
      SYS.c4bbAdjudication,
      'paidtoprovider',
      sum((l) => l.payerPaid),
    ),
    adj(
      SYS.c4bbAdjudication,
      'paidbypatient',
      sum((l) => l.patientPaid),
    ),
  ];
}

/**
 * CARIN supporting info of an institutional claim, derived from the Synthea encounter (the same
 * derivation as the Synthea adapter, src/sources/synthea/codes.ts billTypeSql): type of bill 0111
 * for an inpatient stay, 0131 for facility-billed outpatient visits; and, for a stay, the admission
 * period (the encounter's start and stop). Synthea records no discharge status, DRG or point of origin.
 */
function institutionalInfo(enc: Row, inpatient: boolean) {
  return [
    {
      sequence: 1,
      category: coding(SYS.supportingInfo, 'typeofbill'),
      code: coding(SYS.typeOfBill, inpatient ? '0111' : '0131'),
    },
    ...(inpatient
      ? [
          {
            sequence: 2,
            category: coding(SYS.supportingInfo, 'admissionperiod'),
            timingPeriod: { start: day(enc.START!), end: day(enc.STOP!) },
          },
        ]
      : []),
  ];
}

function practitioner(id: string) {
  usedPractitioners.add(id);
  return { reference: `Practitioner/${id}`, display: providers.get(id)?.NAME };
}

for (const c of claims.filter((c) => chosen.has(c.PATIENTID!))) {
  const enc = encounterById.get(c.APPOINTMENTID!);
  if (!enc) throw new Error(`claims ${c.Id}: no encounter ${c.APPOINTMENTID}`);
  const all = linesOf.get(c.Id!) ?? [];
  if (all.length === 0) continue;
  // PRIMARYPATIENTINSURANCEID 0: no insurance; the encounter's payer is then Synthea's NO_INSURANCE.
  const payerId = c.PRIMARYPATIENTINSURANCEID === '0' ? enc.PAYER! : c.PRIMARYPATIENTINSURANCEID!;
  const payer = payers.get(payerId);
  if (!payer) throw new Error(`claims ${c.Id}: unknown primary payer ${payerId}`);
  usedOrgs.add(payer.Id!);
  const secondary = all.reduce((s, l) => s + l.secondaryPaid, 0);
  if (secondary > 0) {
    droppedSecondary += secondary;
    droppedSecondaryClaims++;
  }
  const institutional = c.HEALTHCARECLAIMTYPEID1 === '2';
  const inpatient = institutional && enc.ENCOUNTERCLASS === 'inpatient';
  const diagnoses = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => c[`DIAGNOSIS${i}`]).filter((d): d is string => !!d);
  const organization = enc.ORGANIZATION!;
  usedOrgs.add(organization);
  const provider = c.PROVIDERID!;
  const queued = c.STATUS1 !== 'CLOSED';
  const medical = all.filter((l) => !rxnormCodes.has(l.charge.PROCEDURECODE!));
  const drugs = all.filter((l) => rxnormCodes.has(l.charge.PROCEDURECODE!));
  const coverage = coverageFor(c.PATIENTID!, payer.Id!, c.SERVICEDATE!);
  const insurance = [
    {
      focal: true,
      coverage: coverage ? { reference: `Coverage/${coverage}` } : { display: payer.NAME },
    },
  ];
  const common = (lines: Line[]) => {
    const paidOn = lines
      .map((l) => l.payerPaidOn)
      .filter((d): d is string => !!d)
      .sort();
    const paid = lines.reduce((s, l) => s + l.payerPaid, 0);
    return {
      status: 'active',
      use: 'claim',
      patient: { reference: `Patient/${c.PATIENTID}` },
      billablePeriod: { start: day(enc.START!), end: day(enc.STOP!) },
      created: c.LASTBILLEDDATE1 || c.SERVICEDATE,
      insurer: { reference: `Organization/${payer.Id}`, display: payer.NAME },
      outcome: queued ? 'queued' : 'complete',
      insurance,
      total: total(lines),
      ...(paid > 0 && paidOn.length > 0
        ? {
            payment: {
              type: coding(
                'http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBPayerBenefitPaymentStatus',
                'payment',
              ),
              date: paidOn[paidOn.length - 1],
              amount: money(paid),
            },
          }
        : {}),
    };
  };
  if (medical.length > 0) {
    const profile = inpatient
      ? 'C4BB-ExplanationOfBenefit-Inpatient-Institutional'
      : institutional
        ? 'C4BB-ExplanationOfBenefit-Outpatient-Institutional'
        : 'C4BB-ExplanationOfBenefit-Professional-NonClinician';
    const pos = POS[enc.ENCOUNTERCLASS!];
    out.ExplanationOfBenefit!.push({
      resourceType: 'ExplanationOfBenefit',
      id: c.Id,
      meta: { profile: [PROFILE + profile] },
      identifier: [
        { type: coding(SYS.c4bbIdentifierType, 'uc', 'Unique Claim ID'), system: SYS.syntheaId, value: c.Id },
      ],
      ...common(medical),
      type: coding(SYS.claimType, institutional ? 'institutional' : 'professional'),
      ...(institutional ? { subType: coding(SYS.subType, inpatient ? 'inpatient' : 'outpatient') } : {}),
      provider: institutional
        ? { reference: `Organization/${organization}`, display: organizations.get(organization)?.NAME }
        : practitioner(provider),
      ...(institutional
        ? {
            facility: {
              reference: `Organization/${organization}`,
              display: organizations.get(organization)?.NAME,
            },
          }
        : {}),
      careTeam: [
        {
          sequence: 1,
          provider: practitioner(provider),
          role: coding(SYS.careTeamRole, institutional ? 'attending' : 'rendering'),
        },
      ],
      ...(institutional ? { supportingInfo: institutionalInfo(enc, inpatient) } : {}),
      diagnosis: diagnoses.map((d, i) => ({
        sequence: i + 1,
        diagnosisCodeableConcept: coding(SYS.snomed, d),
        type: [coding(SYS.dxType, i === 0 ? 'principal' : 'secondary')],
      })),
      item: medical.map((l, i) => ({
        sequence: i + 1,
        careTeamSequence: [1],
        diagnosisSequence: [1, 2, 3, 4]
          .map((k) => Number(l.charge[`DIAGNOSISREF${k}`] || 0))
          .filter((k) => k > 0 && k <= diagnoses.length),
        productOrService: productOrService(l.charge.PROCEDURECODE!, l.charge.NOTES!),
        servicedPeriod: { start: day(l.charge.FROMDATE!), end: day(l.charge.TODATE!) },
        ...(!institutional && pos ? { locationCodeableConcept: coding(SYS.pos, pos[0], pos[1]) } : {}),
        quantity: { value: num(l.charge.UNITS) || 1 },
        net: money(num(l.charge.AMOUNT)),
        adjudication: lineAdjudication(l),
      })),
    });
  }
  if (drugs.length > 0) {
    out.ExplanationOfBenefit!.push({
      resourceType: 'ExplanationOfBenefit',
      id: `${c.Id}-rx`,
      meta: { profile: [`${PROFILE}C4BB-ExplanationOfBenefit-Pharmacy`] },
      identifier: [
        {
          type: coding(SYS.c4bbIdentifierType, 'uc', 'Unique Claim ID'),
          system: SYS.syntheaId,
          value: `${c.Id}-rx`,
        },
      ],
      ...common(drugs),
      type: coding(SYS.claimType, 'pharmacy'),
      provider: { reference: `Organization/${organization}`, display: organizations.get(organization)?.NAME },
      careTeam: [
        { sequence: 1, provider: practitioner(provider), role: coding(SYS.careTeamRole, 'prescribing') },
      ],
      item: drugs.map((l, i) => ({
        sequence: i + 1,
        productOrService: productOrService(l.charge.PROCEDURECODE!, l.charge.NOTES!),
        servicedDate: day(l.charge.FROMDATE!),
        quantity: { value: num(l.charge.UNITS) || 1 },
        net: money(num(l.charge.AMOUNT)),
        adjudication: lineAdjudication(l),
      })),
    });
  }
}

// --- Organizations (payers and care sites referenced) and Practitioners (no NPI: Synthea has none).
for (const id of [...usedOrgs].sort()) {
  const payer = payers.get(id);
  const org = organizations.get(id);
  if (payer) {
    out.Organization!.push({
      resourceType: 'Organization',
      id,
      meta: { profile: [`${PROFILE}C4BB-Organization`] },
      identifier: [{ system: SYS.syntheaId, value: id }],
      active: true,
      type: [coding('http://terminology.hl7.org/CodeSystem/organization-type', 'pay', 'Payer')],
      name: payer.NAME,
      address: [
        { line: [payer.ADDRESS], city: payer.CITY, state: payer.STATE_HEADQUARTERED, postalCode: payer.ZIP },
      ],
    });
  } else if (org) {
    out.Organization!.push({
      resourceType: 'Organization',
      id,
      meta: { profile: [`${PROFILE}C4BB-Organization`] },
      identifier: [{ system: SYS.syntheaId, value: id }],
      active: true,
      type: [
        coding('http://terminology.hl7.org/CodeSystem/organization-type', 'prov', 'Healthcare Provider'),
      ],
      name: org.NAME,
      address: [{ line: [org.ADDRESS], city: org.CITY, state: org.STATE, postalCode: org.ZIP }],
    });
  }
}
for (const id of [...usedPractitioners].sort()) {
  const p = providers.get(id);
  if (!p) continue;
  const [given, family] = (p.NAME ?? '').split(' ');
  out.Practitioner!.push({
    resourceType: 'Practitioner',
    id,
    meta: { profile: [`${PROFILE}C4BB-Practitioner`] },
    identifier: [{ system: SYS.syntheaId, value: id }],
    name: [{ family, given: [given] }],
    gender: p.GENDER === 'M' ? 'male' : p.GENDER === 'F' ? 'female' : 'unknown',
    address: [{ line: [p.ADDRESS], city: p.CITY, state: p.STATE, postalCode: p.ZIP }],
  });
}

mkdirSync(OUT, { recursive: true });
for (const [type, list] of Object.entries(out)) {
  writeFileSync(join(OUT, `${type}.ndjson`), `${list.map((r) => JSON.stringify(r)).join('\n')}\n`);
  console.log(`${type}.ndjson: ${list.length} resources`);
}
console.log(
  `patients chosen: ${chosen.size}; secondary-payer payments not exported: ${droppedSecondaryClaims} claims, ${droppedSecondary.toFixed(2)}`,
);
