// FHIR resources to flat rows. Each resource is read once, in export order, and flattened into the
// scratch tables of FLAT_TABLES (all text): ExplanationOfBenefit items become medical or pharmacy
// lines with their amounts, dates, codes and status already decided; references to Patient, Coverage,
// Organization, Practitioner and Claim stay keys (`Type/id`) that sql.ts resolves with joins, so a
// large export is streamed and never held in memory.
import {
  type AmountKind,
  amountKind,
  cents,
  codeIn,
  codesOf,
  codings,
  fhirDate,
  isDenialCategory,
  ndc11,
  networkFlag,
  PATIENT_CARCS,
  payerTypeOf,
  SYSTEMS,
  stateCode,
  supportingInfoKind,
  zip5,
} from './codes.ts';
import type { FhirRecord, FhirResource } from './read.ts';

const DIAGNOSES = 25;

const PROCEDURES = 25;
const MODIFIERS = 5;

/** The adjudicated amounts and paid date of a medical line and of a fill (same contract names). */
const AMOUNT_COLUMNS = [
  'paid_date',
  'paid_amount',
  'allowed_amount',
  'charge_amount',
  'coinsurance_amount',
  'copayment_amount',
  'deductible_amount',
];

const range = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}_${i + 1}`);

/** Columns of the scratch tables; `_`-prefixed ones are keys and provenance that sql.ts resolves or drops. */
export const FLAT_TABLES = {
  fx_patient: [
    '_key',
    'person_id',
    '_member_id',
    'social_security_number',
    'gender',
    'race',
    'birth_date',
    'death_date',
    'death_flag',
    'first_name',
    'last_name',
    'address',
    'city',
    'state',
    'zip_code',
    'phone',
    '_file',
    '_record',
  ],
  fx_coverage: [
    '_key',
    '_patient_key',
    '_member_id',
    'subscriber_id',
    'subscriber_relation',
    '_payor_key',
    '_payor_name',
    'plan',
    '_payer_type',
    'enrollment_start_date',
    'enrollment_end_date',
    '_file',
    '_record',
  ],
  fx_party: ['_key', '_kind', 'name', 'npi', 'ident', 'city', 'state', 'zip', 'is_payer', 'payer_type'],
  fx_claim: ['_key', 'created'],
  fx_eob: [
    'claim_id',
    '_patient_key',
    '_coverage_key',
    '_insurer_key',
    '_insurer_name',
    '_claim_key',
    '_known_through',
    '_file',
    '_record',
  ],
  fx_line: [
    'claim_id',
    'claim_line_number',
    'claim_type',
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
    ...range(MODIFIERS, 'hcpcs_modifier'),
    'rendering_npi',
    '_rendering_key',
    'billing_npi',
    '_billing_key',
    'facility_npi',
    '_facility_key',
    ...AMOUNT_COLUMNS,
    'diagnosis_code_type',
    ...range(DIAGNOSES, 'diagnosis_code'),
    ...range(DIAGNOSES, 'diagnosis_poa'),
    'procedure_code_type',
    ...range(PROCEDURES, 'procedure_code'),
    ...range(PROCEDURES, 'procedure_date'),
    'in_network_flag',
    'claim_status',
    'submission_date',
    'prior_authorization_number',
    '_file',
    '_record',
  ],
  fx_rx: [
    'claim_id',
    'claim_line_number',
    'prescribing_provider_npi',
    '_prescribing_key',
    'dispensing_provider_npi',
    '_dispensing_key',
    'dispensing_date',
    'ndc_code',
    'quantity',
    'days_supply',
    'refills',
    ...AMOUNT_COLUMNS,
    'in_network_flag',
    'claim_status',
    '_file',
    '_record',
  ],
  fx_adj: [
    'claim_id',
    'claim_line_number',
    'remit_date',
    'adjustment_sequence',
    'adjustment_group_code',
    'carc_code',
    'rarc_code',
    'adjustment_amount',
    '_file',
    '_record',
  ],
  fx_payment: [
    'payment_id',
    'claim_id',
    'payment_source',
    'payment_date',
    'payment_amount',
    'trace_number',
    '_file',
    '_record',
  ],
} as const;

export type FlatTable = keyof typeof FLAT_TABLES;
export type FlatRow = Record<string, string | undefined>;
export type Emit = (table: FlatTable, row: FlatRow) => void | Promise<void>;

/** Counts the adapter's report and its gaps are decided from. */
export interface MapStats {
  resources: Record<string, number>;
  skippedTypes: Record<string, number>;
  eobs: { medical: number; pharmacy: number; skipped: number };
  lines: number;
  rxLines: number;
  rxWithoutNdc: number;
  rxWithoutDaysSupply: number;
  linesWithIcd10: number;
  linesWithOtherDiagnosis: number;
  otherDiagnosisSystems: Record<string, number>;
  linesWithProcedureCode: number;
  linesWithCharge: number;
  linesWithAllowed: number;
  eobsWithPaymentDate: number;
  /** EOBs paid after their last day of service (payment.date > billablePeriod.end). */
  eobsPaidAfterService: number;
  /** Lines denied, and lines or headers with a denial slice or reason. */
  deniedLines: number;
  denialMarkers: number;
  eobsWithClaimRef: number;
  /** Medical EOBs with a claim received date (CARIN supportingInfo clmrecvddate). */
  eobsWithReceived: number;
  carcAdjustments: number;
  pharmacyAdjustmentsSkipped: number;
  payerPayments: number;
  patientPayments: number;
  preAuth: number;
  npis: number;
  coverageWithoutEnd: number;
  /** Patient, Coverage, Organization, Practitioner and Claim resources without an id (cannot be referenced). */
  withoutId: number;
  examples: Record<string, string>;
}

export function emptyStats(): MapStats {
  return {
    resources: {},
    skippedTypes: {},
    eobs: { medical: 0, pharmacy: 0, skipped: 0 },
    lines: 0,
    rxLines: 0,
    rxWithoutNdc: 0,
    rxWithoutDaysSupply: 0,
    linesWithIcd10: 0,
    linesWithOtherDiagnosis: 0,
    otherDiagnosisSystems: {},
    linesWithProcedureCode: 0,
    linesWithCharge: 0,
    linesWithAllowed: 0,
    eobsWithPaymentDate: 0,
    eobsPaidAfterService: 0,
    deniedLines: 0,
    denialMarkers: 0,
    eobsWithClaimRef: 0,
    eobsWithReceived: 0,
    carcAdjustments: 0,
    pharmacyAdjustmentsSkipped: 0,
    payerPayments: 0,
    patientPayments: 0,
    preAuth: 0,
    npis: 0,
    coverageWithoutEnd: 0,
    withoutId: 0,
    examples: {},
  };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x) => x && typeof x === 'object') : []);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
const numOf = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const text = (n: number | undefined): string | undefined => (n === undefined ? undefined : String(cents(n)));

/** `Type/id` of a reference (Bundle full URLs resolved through the Bundle's aliases). */
export function refKey(ref: unknown, aliases?: ReadonlyMap<string, string>): string | undefined {
  const r = str(obj(ref).reference);
  if (!r) return undefined;
  const alias = aliases?.get(r);
  if (alias) return alias;
  const m = /([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(r);
  return m ? `${m[1]}/${m[2]}` : r;
}

/** An NPI given on a reference itself (`identifier` with the us-npi system), as BB2.0 does. */
function inlineNpi(ref: unknown): string | undefined {
  const id = obj(obj(ref).identifier);
  return (SYSTEMS.npi as readonly string[]).includes(String(id.system)) ? validNpi(id.value) : undefined;
}

function validNpi(v: unknown): string | undefined {
  const s = str(v);
  return s && /^\d{10}$/.test(s) ? s : undefined;
}

function identifierOf(resource: Json, systems: readonly string[]): string | undefined {
  return str(
    arr(resource.identifier).find((i) => (systems as readonly string[]).includes(String(i.system)))?.value,
  );
}

/** An identifier whose type is one of the v2-0203 codes (MB member number, MC Medicare, ...). */
function identifierTyped(resource: Json, codes: string[]): string | undefined {
  return str(arr(resource.identifier).find((i) => codesOf(i.type).some((c) => codes.includes(c)))?.value);
}

function period(v: unknown): { start?: string; end?: string } {
  const p = obj(v);
  return { start: fhirDate(p.start), end: fhirDate(p.end) };
}

export class FhirMapper {
  readonly stats = emptyStats();
  private readonly emit: Emit;

  constructor(emit: Emit) {
    this.emit = emit;
  }

  private example(key: string, rec: FhirRecord): void {
    this.stats.examples[key] ??= `${rec.file} record ${rec.record}`;
  }

  async resource(rec: FhirRecord): Promise<void> {
    const r = rec.resource;
    this.stats.resources[r.resourceType] = (this.stats.resources[r.resourceType] ?? 0) + 1;
    switch (r.resourceType) {
      case 'Patient':
        return this.patient(rec, r);
      case 'Coverage':
        return this.coverage(rec, r);
      case 'Organization':
      case 'Practitioner':
        return str(r.id) ? this.party(r) : this.noId(rec);
      case 'Claim':
        return str(r.id) ? this.claim(r) : this.noId(rec);
      case 'ExplanationOfBenefit':
        return this.eob(rec, r);
      default:
        this.stats.skippedTypes[r.resourceType] = (this.stats.skippedTypes[r.resourceType] ?? 0) + 1;
    }
  }

  private noId(rec: FhirRecord): void {
    this.stats.withoutId++;
    this.example('without_id', rec);
  }

  private async patient(rec: FhirRecord, p: FhirResource): Promise<void> {
    const id = str(p.id);
    if (!id) {
      this.stats.withoutId++;
      this.example('without_id', rec);
      return;
    }
    const name = arr(p.name).find((n) => n.use === 'official') ?? arr(p.name)[0] ?? {};
    const given = Array.isArray(name.given) ? str(name.given[0]) : undefined;
    const address = arr(p.address).find((a) => a.use === 'home') ?? arr(p.address)[0] ?? {};
    const lines = Array.isArray(address.line)
      ? address.line.filter((l) => typeof l === 'string').join(', ')
      : undefined;
    const race = arr(p.extension).find((e) => String(e.url).endsWith('us-core-race'));
    const raceText =
      str(arr(race?.extension).find((e) => e.url === 'text')?.valueString) ??
      str(obj(arr(race?.extension).find((e) => e.url === 'ombCategory')?.valueCoding).display);
    const phone = arr(p.telecom).find((t) => t.system === 'phone');
    const deathDate = fhirDate(p.deceasedDateTime);
    const gender = str(p.gender);
    await this.emit('fx_patient', {
      _key: `Patient/${id}`,
      person_id: id,
      _member_id: identifierTyped(p, ['MB', 'MC', 'UMB', 'MA']),
      social_security_number: identifierOf(p, SYSTEMS.ssn),
      gender: gender === 'male' || gender === 'female' ? gender : 'unknown',
      race: raceText,
      birth_date: fhirDate(p.birthDate),
      death_date: deathDate,
      death_flag:
        deathDate || p.deceasedBoolean === true ? 'true' : p.deceasedBoolean === false ? 'false' : undefined,
      first_name: given,
      last_name: str(name.family),
      address: lines || undefined,
      city: str(address.city),
      state: stateCode(address.state),
      zip_code: zip5(address.postalCode),
      phone: str(phone?.value),
      _file: rec.file,
      _record: String(rec.record),
    });
  }

  private async coverage(rec: FhirRecord, c: FhirResource): Promise<void> {
    const id = str(c.id);
    if (!id) return this.noId(rec);
    const payor = arr(c.payor)[0];
    const classes = arr(c.class);
    const classOf = (code: string) => classes.find((k) => codesOf(k.type).includes(code));
    const plan = classOf('plan') ?? classOf('group') ?? classOf('subgroup');
    const p = period(c.period);
    if (!p.end) this.stats.coverageWithoutEnd++;
    const relation = codesOf(c.relationship)[0];
    await this.emit('fx_coverage', {
      _key: `Coverage/${id}`,
      _patient_key: refKey(c.beneficiary, rec.aliases),
      // subscriberId is the subscriber's: the member's own id only when the member is the subscriber.
      _member_id:
        identifierTyped(c, ['MB', 'MC', 'UMB', 'MA']) ??
        (relation === undefined || relation === 'self' ? str(c.subscriberId) : undefined),
      subscriber_id: str(c.subscriberId),
      subscriber_relation: relation
        ? ['self', 'spouse', 'child'].includes(relation)
          ? relation
          : 'other'
        : undefined,
      _payor_key: refKey(payor, rec.aliases),
      _payor_name: str(payor?.display) ?? str(obj(payor?.identifier).value),
      plan: str(plan?.name) ?? str(plan?.value) ?? str(obj(c.type).text) ?? str(codings(c.type)[0]?.display),
      _payer_type: payerTypeOf(c.type, [
        str(payor?.display) ?? '',
        ...classes.flatMap((k) => [str(k.name) ?? '', str(k.value) ?? '']),
      ]),
      enrollment_start_date: p.start,
      enrollment_end_date: p.end,
      _file: rec.file,
      _record: String(rec.record),
    });
  }

  private async party(r: FhirResource): Promise<void> {
    const id = str(r.id);
    if (!id) return;
    const npi = validNpi(identifierOf(r, SYSTEMS.npi));
    if (npi) this.stats.npis++;
    const address = arr(r.address)[0] ?? {};
    let name: string | undefined;
    if (r.resourceType === 'Organization') name = str(r.name);
    else {
      const n = arr(r.name)[0] ?? {};
      name =
        str(n.text) ??
        ([...(Array.isArray(n.given) ? n.given : []), n.family]
          .filter((x) => typeof x === 'string')
          .join(' ') ||
          undefined);
    }
    const isPayer = codesOf(arr(r.type)[0]).includes('pay');
    await this.emit('fx_party', {
      _key: `${r.resourceType}/${id}`,
      _kind: r.resourceType,
      name,
      npi,
      ident: str(arr(r.identifier)[0]?.value),
      city: str(address.city),
      state: stateCode(address.state),
      zip: zip5(address.postalCode),
      is_payer: isPayer ? 'true' : 'false',
      payer_type: isPayer ? payerTypeOf(undefined, [name ?? '']) : undefined,
    });
  }

  private async claim(r: FhirResource): Promise<void> {
    const id = str(r.id);
    if (!id) return;
    await this.emit('fx_claim', { _key: `Claim/${id}`, created: fhirDate(r.created) });
  }

  private async eob(rec: FhirRecord, e: FhirResource): Promise<void> {
    const id = str(e.id) ?? identifierTyped(e, ['uc']);
    const status = str(e.status);
    if (!id) {
      this.stats.eobs.skipped++;
      this.example('eob_without_id', rec);
      return;
    }
    if (status === 'entered-in-error' || status === 'draft') {
      this.stats.eobs.skipped++;
      this.example(`eob_${status}`, rec);
      return;
    }
    const a = rec.aliases;
    const kind = claimKind(e);
    const insurance = arr(e.insurance).find((i) => i.focal === true) ?? arr(e.insurance)[0];
    const claimKey = refKey(e.claim, a);
    if (claimKey) this.stats.eobsWithClaimRef++;
    await this.emit('fx_eob', {
      claim_id: id,
      _patient_key: refKey(e.patient, a),
      _coverage_key: refKey(insurance?.coverage, a),
      _insurer_key: refKey(e.insurer, a),
      _insurer_name: str(obj(e.insurer).display) ?? str(obj(obj(e.insurer).identifier).value),
      _claim_key: claimKey,
      // The latest date this EOB knows (written, paid, served): the export was taken no earlier.
      _known_through: [fhirDate(e.created), fhirDate(obj(e.payment).date), period(e.billablePeriod).end]
        .filter((d): d is string => !!d)
        .sort()
        .pop(),
      _file: rec.file,
      _record: String(rec.record),
    });

    const billable = period(e.billablePeriod);
    const payment = obj(e.payment);
    const info = supportingInfo(e);
    // payment.date; BB2.0 gives none but its weekly processing date (nch_wkly_proc_dt).
    const paymentDate = fhirDate(payment.date) ?? info.processed;
    if (paymentDate) this.stats.eobsWithPaymentDate++;
    if (paymentDate && billable.end && paymentDate > billable.end) this.stats.eobsPaidAfterService++;
    const outcome = str(e.outcome);
    const careTeam = new Map(arr(e.careTeam).map((c) => [numOf(c.sequence), c]));
    const headerRole = (roles: string[]) =>
      arr(e.careTeam).find((c) => codesOf(c.role).some((r) => roles.includes(r)))?.provider;
    const preAuth =
      str(Array.isArray(e.preAuthRef) ? e.preAuthRef[0] : undefined) ??
      str(Array.isArray(insurance?.preAuthRef) ? insurance.preAuthRef[0] : undefined);
    if (preAuth) this.stats.preAuth++;
    const network =
      networkOf(arr(e.adjudication)) ?? networkOf(arr(e.item).flatMap((i) => arr(i.adjudication)));

    let items = arr(e.item);
    // An EOB without items (header totals only) is one line carrying the totals.
    if (items.length === 0) items = [{ sequence: 1, adjudication: arr(e.total), _fromTotal: true }];

    const base = { _file: rec.file, _record: String(rec.record) };
    const lines: { seq: number; amounts: Amounts; status: string; reasons: Reason[] }[] = [];

    if (kind === 'pharmacy') {
      this.stats.eobs.pharmacy++;
      const prescriber = headerRole(['prescribing']);
      for (const item of items) {
        const seq = numOf(item.sequence) ?? lines.length + 1;
        const amounts = amountsOf(arr(item.adjudication));
        const lineStatus = statusOf(status, outcome, amounts);
        lines.push({ seq, amounts, status: lineStatus, reasons: amounts.reasons });
        this.stats.rxLines++;
        const ndc = ndc11(codeIn(item.productOrService, SYSTEMS.ndc));
        if (!ndc) {
          this.stats.rxWithoutNdc++;
          this.example('rx_without_ndc', rec);
          continue;
        }
        const days = info.days_supply ?? numText(obj(item.quantity), 'days');
        if (!days) {
          this.stats.rxWithoutDaysSupply++;
          this.example('rx_without_days_supply', rec);
        }
        await this.emit('fx_rx', {
          claim_id: id,
          claim_line_number: String(seq),
          prescribing_provider_npi: inlineNpi(prescriber),
          _prescribing_key: refKey(prescriber, a),
          dispensing_provider_npi: inlineNpi(e.provider),
          _dispensing_key: refKey(e.provider, a),
          dispensing_date: fhirDate(item.servicedDate) ?? period(item.servicedPeriod).start ?? billable.start,
          ndc_code: ndc,
          quantity: text(numOf(obj(item.quantity).value)),
          days_supply: days,
          refills: info.refills,
          paid_date: lineStatus === 'pending' ? undefined : paymentDate,
          ...amountColumns(amounts),
          in_network_flag: flag(networkOf(arr(item.adjudication)) ?? network),
          claim_status: lineStatus,
          ...base,
        });
      }
      if (lines.some((l) => l.reasons.length > 0)) this.stats.pharmacyAdjustmentsSkipped++;
    } else {
      this.stats.eobs.medical++;
      const dx = diagnoses(e);
      if (dx.other.length > 0) {
        for (const s of dx.other)
          this.stats.otherDiagnosisSystems[s] = (this.stats.otherDiagnosisSystems[s] ?? 0) + 1;
      }
      const px = procedures(e);
      // STU1-style DRG: diagnosis.packageCode (CARIN STU2 moved it to supportingInfo drg).
      const packaged = arr(e.diagnosis)
        .map((d) => codesOf(d.packageCode)[0])
        .find((c) => c && /^\d{1,3}$/.test(c));
      if (!info.drg && packaged) {
        info.drg = packaged.padStart(3, '0');
        info.drg_type = 'ms-drg';
      }
      if (info.received) this.stats.eobsWithReceived++;
      const inpatient = isInpatient(e);
      const billingKey = refKey(e.provider, a);
      const facility = e.facility ?? (kind === 'institutional' ? e.provider : undefined);
      const headerRendering =
        headerRole(['rendering', 'performing', 'primary']) ?? headerRole(['attending', 'operating']);
      for (const item of items) {
        const seq = numOf(item.sequence) ?? lines.length + 1;
        const amounts = amountsOf(arr(item.adjudication));
        const lineStatus = statusOf(status, outcome, amounts);
        lines.push({ seq, amounts, status: lineStatus, reasons: amounts.reasons });
        this.stats.lines++;
        if (lineStatus === 'denied') this.stats.deniedLines++;
        if (amounts.denial || amounts.reasons.length > 0) this.stats.denialMarkers++;
        if (dx.codes.length > 0) this.stats.linesWithIcd10++;
        else if (dx.other.length > 0) this.stats.linesWithOtherDiagnosis++;
        if (amounts.charge !== undefined) this.stats.linesWithCharge++;
        if (amounts.allowed !== undefined) this.stats.linesWithAllowed++;
        const hcpcs = codeIn(item.productOrService, SYSTEMS.cptHcpcs)?.toUpperCase();
        const hcpcsCode = hcpcs && /^[A-Z0-9]{5}$/.test(hcpcs) ? hcpcs : undefined;
        if (hcpcsCode) this.stats.linesWithProcedureCode++;
        const modifiers = arr(item.modifier)
          .flatMap((m) => codesOf(m))
          .slice(0, MODIFIERS);
        const teamSeqs = Array.isArray(item.careTeamSequence) ? item.careTeamSequence : [];
        const lineTeam = teamSeqs.map((s) => careTeam.get(numOf(s))).filter((c): c is Json => !!c);
        const rendering =
          lineTeam.find((c) =>
            codesOf(c.role).some((r) => ['rendering', 'performing', 'primary'].includes(r)),
          )?.provider ??
          lineTeam[0]?.provider ??
          headerRendering;
        const serviced = period(item.servicedPeriod);
        const lineStart = fhirDate(item.servicedDate) ?? serviced.start;
        const lineEnd = fhirDate(item.servicedDate) ?? serviced.end ?? lineStart;
        const revenue = codeIn(item.revenue, SYSTEMS.revenue) ?? codesOf(item.revenue)[0];
        const pos = codesOf(item.locationCodeableConcept)[0] ?? info.pos;
        const row: FlatRow = {
          claim_id: id,
          claim_line_number: String(seq),
          claim_type: kind,
          claim_start_date: billable.start ?? lineStart,
          claim_end_date: billable.end ?? billable.start ?? lineEnd,
          claim_line_start_date: lineStart,
          claim_line_end_date: lineEnd,
          admission_date: inpatient ? info.admission?.start : undefined,
          discharge_date: inpatient ? info.admission?.end : undefined,
          admit_source_code: info.admit_source,
          admit_type_code: info.admit_type,
          discharge_disposition_code: info.discharge ? info.discharge.padStart(2, '0') : undefined,
          place_of_service_code:
            kind === 'professional' && pos && /^\d{1,2}$/.test(pos) ? pos.padStart(2, '0') : undefined,
          bill_type_code: kind === 'institutional' ? info.bill_type : undefined,
          drg_code_type: info.drg ? info.drg_type : undefined,
          drg_code: info.drg,
          revenue_center_code: revenue && /^\d{3,4}$/.test(revenue) ? revenue.padStart(4, '0') : undefined,
          service_unit_quantity: text(numOf(obj(item.quantity).value)),
          hcpcs_code: hcpcsCode,
          rendering_npi: inlineNpi(rendering),
          _rendering_key: refKey(rendering, a),
          billing_npi: inlineNpi(e.provider),
          _billing_key: billingKey,
          facility_npi: kind === 'institutional' ? inlineNpi(facility) : undefined,
          _facility_key: kind === 'institutional' ? refKey(facility, a) : undefined,
          paid_date: lineStatus === 'pending' ? undefined : paymentDate,
          ...amountColumns(amounts),
          diagnosis_code_type: dx.type,
          procedure_code_type: px.type,
          in_network_flag: flag(networkOf(arr(item.adjudication)) ?? network),
          claim_status: lineStatus,
          submission_date: info.received,
          prior_authorization_number: preAuth,
          ...base,
        };
        modifiers.forEach((m, i) => {
          row[`hcpcs_modifier_${i + 1}`] = m.toUpperCase();
        });
        // No ICD diagnosis (SNOMED CT only): diagnosis_code_1 stays empty; the icd10_diagnoses gap waives it.
        dx.codes.slice(0, DIAGNOSES).forEach((d, i) => {
          row[`diagnosis_code_${i + 1}`] = d.code;
          row[`diagnosis_poa_${i + 1}`] = d.poa;
        });
        px.codes.slice(0, PROCEDURES).forEach((p, i) => {
          row[`procedure_code_${i + 1}`] = p.code;
          row[`procedure_date_${i + 1}`] = p.date;
        });
        await this.emit('fx_line', row);
      }
      // Adjustment reasons (CARCs): header adjudication is line 0, item adjudication its sequence.
      const remitDate = paymentDate ?? fhirDate(e.created);
      const header = amountsOf(arr(e.adjudication));
      const groups: { seq: number; amounts: Amounts; status: string; reasons: Reason[] }[] = [
        { seq: 0, amounts: header, status: 'paid', reasons: header.reasons },
        ...lines,
      ];
      for (const g of groups) {
        let n = 0;
        for (const reason of g.reasons) {
          n++;
          const amount =
            reason.amount ??
            (g.seq > 0 ? Math.max(0, (g.amounts.charge ?? 0) - (g.amounts.paid ?? 0)) : undefined);
          this.stats.carcAdjustments++;
          await this.emit('fx_adj', {
            claim_id: id,
            claim_line_number: String(g.seq),
            remit_date: remitDate,
            adjustment_sequence: String(n),
            adjustment_group_code: PATIENT_CARCS.has(reason.carc) ? 'PR' : 'CO',
            carc_code: reason.carc,
            rarc_code: reason.rarc,
            adjustment_amount: text(amount),
            ...base,
          });
        }
      }
    }

    // Payments: the payer's (payment.amount, else the lines' paid), and the patient's (paidbypatient,
    // paid at the point of service per CARIN, dated the first day of service). Medical claims only:
    // payment.claim_id refers to medical claims.
    if (kind === 'pharmacy') return;
    const linesPaid = lines.reduce((s, l) => s + (l.amounts.paid ?? 0), 0);
    const payerPaid = numOf(obj(payment.amount).value) ?? (linesPaid !== 0 ? linesPaid : undefined);
    if (payerPaid !== undefined && payerPaid !== 0 && paymentDate) {
      this.stats.payerPayments++;
      await this.emit('fx_payment', {
        payment_id: `${id}:payer`,
        claim_id: id,
        payment_source: 'payer',
        payment_date: paymentDate,
        payment_amount: text(payerPaid),
        trace_number: str(obj(payment.identifier).value),
        ...base,
      });
    }
    const patientPaid = lines.reduce((s, l) => s + (l.amounts.patient_paid ?? 0), 0);
    const patientDate = billable.start ?? paymentDate;
    if (patientPaid !== 0 && patientDate) {
      this.stats.patientPayments++;
      await this.emit('fx_payment', {
        payment_id: `${id}:patient`,
        claim_id: id,
        payment_source: 'patient',
        payment_date: patientDate,
        payment_amount: text(patientPaid),
        ...base,
      });
    }
  }
}

function flag(b: boolean | undefined): string | undefined {
  return b === undefined ? undefined : String(b);
}

function numText(q: Json, unit: string): string | undefined {
  const v = numOf(q.value);
  return v !== undefined &&
    String(q.unit ?? q.code ?? '')
      .toLowerCase()
      .startsWith(unit)
    ? String(Math.round(v))
    : undefined;
}

/** professional, institutional or pharmacy, from EOB.type (HL7 claim-type, or the BB2.0 eob-type). */
export function claimKind(e: Json): 'professional' | 'institutional' | 'pharmacy' {
  const codes = codesOf(e.type).map((c) => c.toLowerCase());
  if (codes.includes('pharmacy') || codes.includes('pde')) return 'pharmacy';
  if (codes.some((c) => ['institutional', 'inpatient', 'outpatient', 'snf', 'hha', 'hospice'].includes(c)))
    return 'institutional';
  const profile = JSON.stringify(obj(e.meta).profile ?? '');
  if (/Pharmacy/.test(profile)) return 'pharmacy';
  if (/Institutional/.test(profile)) return 'institutional';
  return 'professional';
}

function isInpatient(e: Json): boolean {
  const codes = [...codesOf(e.subType), ...codesOf(e.type)].map((c) => c.toLowerCase());
  return (
    codes.includes('inpatient') ||
    codes.includes('snf') ||
    /Inpatient/.test(JSON.stringify(obj(e.meta).profile ?? ''))
  );
}

interface Reason {
  carc: string;
  rarc?: string;
  amount?: number;
}

type Amounts = Partial<Record<AmountKind, number>> & { reasons: Reason[]; denial: boolean };

/** Sums the adjudication slices of an item (or header) by kind, and collects its CARC reasons. */
function amountsOf(list: Json[]): Amounts {
  const out: Amounts = { reasons: [], denial: false };
  let benefit: number | undefined;
  for (const adj of list) {
    const kind = amountKind(adj.category);
    const value = numOf(obj(adj.amount).value);
    if (isDenialCategory(adj.category)) out.denial = true;
    const carc = codeIn(adj.reason, SYSTEMS.carc);
    if (carc) {
      const rarc = codings(adj.reason).find((c) =>
        /remittance-advice-remark-codes/.test(String(c.system)),
      )?.code;
      out.reasons.push({ carc: carc.toUpperCase(), rarc, amount: value });
    }
    if (value === undefined || kind === undefined) continue;
    if (kind === 'benefit') benefit = (benefit ?? 0) + value;
    else out[kind] = (out[kind] ?? 0) + value;
  }
  if (out.paid === undefined && benefit !== undefined) out.paid = benefit;
  if (out.paid_to_patient !== undefined) out.paid = (out.paid ?? 0) + out.paid_to_patient;
  if ((out.denied ?? 0) > 0) out.denial = true;
  return out;
}

function amountColumns(a: Amounts): FlatRow {
  return {
    paid_amount: text(a.paid ?? 0),
    allowed_amount: text(a.allowed),
    charge_amount: text(a.charge),
    coinsurance_amount: text(a.coinsurance),
    copayment_amount: text(a.copayment),
    deductible_amount: text(a.deductible),
  };
}

/**
 * Line status: cancelled EOBs are reversed, queued ones pending; otherwise a line is denied when the
 * payer paid nothing on a charged line and a denial slice or a non-patient CARC says why (or the
 * outcome is error), and paid otherwise (including lines the patient owes in full).
 */
function statusOf(status: string | undefined, outcome: string | undefined, a: Amounts): string {
  if (status === 'cancelled') return 'reversed';
  if (outcome === 'queued') return 'pending';
  const paid = a.paid ?? 0;
  const denialReason = a.denial || a.reasons.some((r) => !PATIENT_CARCS.has(r.carc));
  if (paid === 0 && (a.charge ?? 0) > 0 && (denialReason || outcome === 'error')) return 'denied';
  return 'paid';
}

function networkOf(list: Json[]): boolean | undefined {
  for (const adj of list) {
    const f = networkFlag(adj.category) ?? networkFlag(adj.reason);
    if (f !== undefined) return f;
  }
  return undefined;
}

interface Info {
  admission?: { start?: string; end?: string };
  admit_source?: string;
  admit_type?: string;
  discharge?: string;
  bill_type?: string;
  drg?: string;
  drg_type?: string;
  days_supply?: string;
  refills?: string;
  pos?: string;
  received?: string;
  processed?: string;
}

function supportingInfo(e: Json): Info {
  const info: Info = {};
  for (const s of arr(e.supportingInfo)) {
    const kind = supportingInfoKind(s.category);
    if (!kind) continue;
    const code = codesOf(s.code)[0];
    const q = numOf(obj(s.valueQuantity).value);
    switch (kind) {
      case 'admission_period':
        info.admission = period(s.timingPeriod);
        break;
      case 'admit_source':
        info.admit_source = code;
        break;
      case 'admit_type':
        info.admit_type = code;
        break;
      case 'discharge':
        info.discharge = code && /^\d{1,2}$/.test(code) ? code : undefined;
        break;
      case 'bill_type': {
        const c = code ?? '';
        info.bill_type = /^0?\d{3}$/.test(c) ? c : undefined;
        break;
      }
      case 'drg': {
        const c = code ?? '';
        const apr = codings(s.code).some((x) => SYSTEMS.aprDrg.includes(String(x.system) as never));
        if (/^\d{1,3}$/.test(c)) {
          info.drg = c.padStart(3, '0');
          info.drg_type = apr ? 'apr-drg' : 'ms-drg';
        }
        break;
      }
      case 'days_supply':
        if (q !== undefined && q > 0) info.days_supply = String(Math.round(q));
        break;
      case 'received':
        info.received = fhirDate(s.timingDate) ?? period(s.timingPeriod).start;
        break;
      case 'processed':
        info.processed = fhirDate(s.timingDate) ?? period(s.timingPeriod).start;
        break;
      case 'refills':
        if (q !== undefined && q >= 0) info.refills = String(Math.round(q));
        break;
    }
  }
  return info;
}

/** ICD diagnoses in claim order (principal first, then by sequence), and the systems of the others. */
function diagnoses(e: Json): { codes: { code: string; poa?: string }[]; type?: string; other: string[] } {
  const list = arr(e.diagnosis)
    .map((d, i) => ({
      d,
      seq: numOf(d.sequence) ?? i + 1,
      principal: arr(d.type).some((t) => codesOf(t).includes('principal')),
    }))
    .sort((x, y) => Number(y.principal) - Number(x.principal) || x.seq - y.seq);
  const codes: { code: string; poa?: string }[] = [];
  const other: string[] = [];
  let type: string | undefined;
  for (const { d } of list) {
    const cc = d.diagnosisCodeableConcept;
    const icd10 = codeIn(cc, SYSTEMS.icd10cm);
    const icd9 = icd10 ? undefined : codeIn(cc, SYSTEMS.icd9cm);
    const code = icd10 ?? icd9;
    if (!code) {
      const system = codings(cc)[0]?.system;
      if (system || codings(cc).length > 0) other.push(system ?? '(no system)');
      continue;
    }
    type ??= icd10 ? 'icd-10-cm' : 'icd-9-cm';
    const poa = codesOf(d.onAdmission)[0]?.toUpperCase();
    codes.push({
      code: code.toUpperCase(),
      poa: poa && ['Y', 'N', 'U', 'W', '1'].includes(poa) ? poa : undefined,
    });
  }
  return { codes, type, other: [...new Set(other)] };
}

function procedures(e: Json): { codes: { code: string; date?: string }[]; type?: string } {
  const codes: { code: string; date?: string }[] = [];
  let type: string | undefined;
  const list = arr(e.procedure).sort((x, y) => (numOf(x.sequence) ?? 0) - (numOf(y.sequence) ?? 0));
  for (const p of list) {
    const pcs = codeIn(p.procedureCodeableConcept, SYSTEMS.icd10pcs);
    const icd9 = pcs ? undefined : codeIn(p.procedureCodeableConcept, SYSTEMS.icd9pcs);
    const code = pcs ?? icd9;
    if (!code) continue;
    type ??= pcs ? 'icd-10-pcs' : 'icd-9-pcs';
    codes.push({ code: code.toUpperCase(), date: fhirDate(p.date) });
  }
  return { codes, type };
}
