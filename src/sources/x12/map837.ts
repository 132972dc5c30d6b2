// 837P / 837I (professional and institutional claims) to medical_claim lines, with the payer and
// provider rows they reference. Tracks the HL hierarchy (billing provider, subscriber, patient)
// and the claim/line loops; coordination-of-benefits loops (2320-2330, 2430) are skipped.
import { amount, components, el, nm1Name, nm1Npi, payerType, period, put, x12Date } from './codes.ts';
import type { MapperContext, TransactionMapper } from './mapper.ts';
import { transactionKind } from './segments.ts';
import type { Segment, X12Record } from './types.ts';

type Area =
  | 'header'
  | 'billing'
  | 'subscriber'
  | 'patient'
  | 'claim'
  | 'cob'
  | 'line'
  | 'lineAdjudication'
  | 'other';

interface Party {
  npi: string | null;
  name: string;
  entity: string;
  taxonomy: string;
  tin: string;
  city: string;
  state: string;
  zip: string;
}

interface Subscriber {
  memberId: string;
  groupNumber: string;
  groupName: string;
  filingIndicator: string;
}

interface Patient {
  id: string;
  name: string;
  dob: string;
}

interface Code {
  code: string;
  poa?: string;
  date?: string | null;
}

interface Line {
  seg: Segment;
  kind: 'SV1' | 'SV2' | 'SV3' | null;
  hcpcs: string;
  modifiers: string[];
  charge: number | null;
  units: number | null;
  pos: string;
  revenue: string;
  dates: [string, string] | null;
  priorAuth: string;
  rendering: Party | null;
}

interface Claim {
  seg: Segment;
  claimId: string;
  facilityCode: string;
  facilityQualifier: string;
  frequency: string;
  statement: [string, string] | null;
  serviceDates: [string, string] | null;
  admission: string | null;
  priorAuth: string;
  principal: Code[];
  other: Code[];
  icd10: boolean | null;
  procedures: Code[];
  procedureIcd10: boolean | null;
  drg: string;
  admitType: string;
  admitSource: string;
  patientStatus: string;
  rendering: Party | null;
  attending: Party | null;
  facility: Party | null;
  lines: Line[];
}

const DX_PRINCIPAL = new Set(['ABK', 'BK']);
const DX_OTHER = new Set(['ABF', 'BF', 'ABN', 'BN']);
const PX_PRINCIPAL = new Set(['BBR', 'BR']);
const PX_OTHER = new Set(['BBQ', 'BQ']);
const HI_QUALIFIERS = new Set([
  ...DX_PRINCIPAL,
  ...DX_OTHER,
  ...PX_PRINCIPAL,
  ...PX_OTHER,
  'ABJ',
  'BJ',
  'APR',
  'PR',
  'DR',
  'BH',
  'BE',
  'BG',
  'BI',
  'TC',
]);
const MAX_CODES = 25;
/** UB-04 facility type (hospital, SNF, religious non-medical, ICF) with an inpatient or swing-bed classification. */
const INPATIENT_BILL = /^[1246][128]$/;

function party(seg: Segment): Party {
  return {
    npi: nm1Npi(seg),
    name: nm1Name(seg),
    entity: el(seg, 2),
    taxonomy: '',
    tin: '',
    city: '',
    state: '',
    zip: '',
  };
}

function newLine(seg: Segment): Line {
  return {
    seg,
    kind: null,
    hcpcs: '',
    modifiers: [],
    charge: null,
    units: null,
    pos: '',
    revenue: '',
    dates: null,
    priorAuth: '',
    rendering: null,
  };
}

export class Map837 implements TransactionMapper {
  private readonly ctx: MapperContext;
  private readonly kind: string;
  private area: Area = 'header';
  private submissionDate: string | null;
  private billing: Party | null = null;
  private subscriber: Subscriber | null = null;
  private payer: { name: string; id: string } | null = null;
  private patient: Patient | null = null;
  private claim: Claim | null = null;
  private line: Line | null = null;
  /** The NM1 party that following N4 / REF / PRV segments describe. */
  private current: Party | null = null;
  private billingTaxonomy = '';
  private warned = new Set<string>();

  constructor(ctx: MapperContext) {
    this.ctx = ctx;
    this.kind = transactionKind('837', el(ctx.st, 3) || ctx.group?.version || '');
    this.submissionDate = x12Date(ctx.group?.date ?? '');
  }

  private warn(segment: number, message: string, once?: string): void {
    if (once) {
      if (this.warned.has(once)) return;
      this.warned.add(once);
    }
    this.ctx.emit({ kind: 'warning', segment, message });
  }

  private parts(seg: Segment, n: number): string[] {
    const { parts, tolerated } = components(seg.elements[n] ?? '', seg.delimiters);
    if (tolerated) {
      this.warn(
        seg.ordinal,
        `segment ${seg.ordinal}: composite ${JSON.stringify(el(seg, n))} does not use the component separator ${JSON.stringify(seg.delimiters.component)} declared in ISA16; read with the separator it uses`,
        'component',
      );
    }
    return parts;
  }

  segment(seg: Segment): void {
    switch (seg.id) {
      case 'BHT': {
        const d = x12Date(el(seg, 4));
        if (d) this.submissionDate = d;
        return;
      }
      case 'HL':
        this.hl(seg);
        return;
      case 'SBR':
        if (this.area === 'subscriber' && this.subscriber) {
          this.subscriber.groupNumber = el(seg, 3);
          this.subscriber.groupName = el(seg, 4);
          this.subscriber.filingIndicator = el(seg, 9);
        } else if (this.area === 'claim' || this.area === 'line' || this.area === 'cob') {
          this.area = 'cob';
          this.current = null;
        }
        return;
      case 'NM1':
        this.nm1(seg);
        return;
      case 'N4':
        if (this.current && this.area === 'billing') {
          this.current.city = el(seg, 1);
          this.current.state = el(seg, 2);
          this.current.zip = el(seg, 3).slice(0, 5);
        }
        return;
      case 'REF':
        this.ref(seg);
        return;
      case 'PRV':
        // PRV*BI of the billing provider comes before its NM1*85; the others follow their NM1.
        if (this.area === 'billing' && !this.billing) this.billingTaxonomy = el(seg, 3);
        else if (this.current && (this.area === 'billing' || this.area === 'claim' || this.area === 'line')) {
          this.current.taxonomy = el(seg, 3);
        }
        return;
      case 'DMG':
        if (this.area === 'patient' && this.patient) this.patient.dob = x12Date(el(seg, 2)) ?? '';
        return;
      case 'CLM':
        this.closeClaim();
        this.openClaim(seg);
        return;
      case 'DTP':
        this.dtp(seg);
        return;
      case 'HI':
        if (this.claim && this.area === 'claim') this.hi(seg, this.claim);
        return;
      case 'CL1':
        if (this.claim && this.area === 'claim') {
          this.claim.admitType = el(seg, 1);
          this.claim.admitSource = el(seg, 2);
          this.claim.patientStatus = el(seg, 3);
        }
        return;
      case 'LX':
        if (!this.claim) {
          this.warn(seg.ordinal, `segment ${seg.ordinal}: LX outside a claim (no CLM before it), ignored`);
          return;
        }
        this.line = newLine(seg);
        this.claim.lines.push(this.line);
        this.area = 'line';
        this.current = null;
        return;
      case 'SV1':
      case 'SV2':
      case 'SV3':
        if (this.area === 'line' && this.line) this.service(seg, this.line);
        return;
      case 'SVD':
        if (this.area === 'line') this.area = 'lineAdjudication';
        return;
    }
  }

  private hl(seg: Segment): void {
    this.closeClaim();
    this.current = null;
    switch (el(seg, 3)) {
      case '20':
        this.area = 'billing';
        this.billing = null;
        this.billingTaxonomy = '';
        this.subscriber = null;
        this.payer = null;
        this.patient = null;
        return;
      case '22':
        this.area = 'subscriber';
        this.subscriber = { memberId: '', groupNumber: '', groupName: '', filingIndicator: '' };
        this.payer = null;
        this.patient = null;
        return;
      case '23':
        this.area = 'patient';
        this.patient = { id: '', name: '', dob: '' };
        return;
      default:
        this.area = 'other';
    }
  }

  private nm1(seg: Segment): void {
    const entity = el(seg, 1);
    this.current = null;
    switch (this.area) {
      case 'billing':
        if (entity === '85') {
          this.billing = party(seg);
          this.billing.taxonomy = this.billingTaxonomy;
          this.current = this.billing;
        }
        return;
      case 'subscriber':
        if (entity === 'IL' && this.subscriber) {
          this.subscriber.memberId = el(seg, 9);
        } else if (entity === 'PR') {
          this.payer = { name: el(seg, 3), id: el(seg, 9) };
        }
        return;
      case 'patient':
        if (entity === 'QC' && this.patient) {
          this.patient.id = el(seg, 9);
          this.patient.name = nm1Name(seg);
        }
        return;
      case 'claim':
        if (!this.claim) return;
        if (entity === '82') this.current = this.claim.rendering = party(seg);
        else if (entity === '71') this.current = this.claim.attending = party(seg);
        else if (entity === '77') this.current = this.claim.facility = party(seg);
        return;
      case 'line':
        if (entity === '82' && this.line) this.current = this.line.rendering = party(seg);
        return;
    }
  }

  private ref(seg: Segment): void {
    const q = el(seg, 1);
    if (this.area === 'billing' && this.current === this.billing && this.billing && q === 'EI') {
      this.billing.tin = el(seg, 2);
    } else if (this.area === 'claim' && this.claim && q === 'G1') {
      this.claim.priorAuth = el(seg, 2);
    } else if (this.area === 'line' && this.line && q === 'G1') {
      this.line.priorAuth = el(seg, 2);
    }
  }

  private dtp(seg: Segment): void {
    const q = el(seg, 1);
    const p = period(el(seg, 2), el(seg, 3));
    if (this.area === 'claim' && this.claim) {
      if (q === '434') this.claim.statement = p;
      else if (q === '435') this.claim.admission = p ? p[0] : null;
      else if (q === '472') this.claim.serviceDates = p;
      else return;
    } else if (this.area === 'line' && this.line && q === '472') {
      this.line.dates = p;
    } else {
      return;
    }
    if (!p)
      this.warn(
        seg.ordinal,
        `segment ${seg.ordinal}: unreadable date ${JSON.stringify(el(seg, 3))} (format ${el(seg, 2)})`,
      );
  }

  private openClaim(seg: Segment): void {
    if (!this.subscriber)
      this.warn(seg.ordinal, `segment ${seg.ordinal}: CLM outside a subscriber loop (HL*22)`);
    const clm05 = this.parts(seg, 5);
    this.claim = {
      seg,
      claimId: el(seg, 1),
      facilityCode: clm05[0] ?? '',
      facilityQualifier: clm05[1] ?? '',
      frequency: clm05[2] ?? '',
      statement: null,
      serviceDates: null,
      admission: null,
      priorAuth: '',
      principal: [],
      other: [],
      icd10: null,
      procedures: [],
      procedureIcd10: null,
      drg: '',
      admitType: '',
      admitSource: '',
      patientStatus: '',
      rendering: null,
      attending: null,
      facility: null,
      lines: [],
    };
    this.line = null;
    this.current = null;
    this.area = 'claim';
  }

  private hi(seg: Segment, claim: Claim): void {
    const n = seg.elements.length;
    for (let i = 1; i < n; i++) {
      let parts = this.parts(seg, i);
      if (parts.length === 1 && parts[0] === '') continue;
      // Tolerate "HI*BK*8901*BF*87200": a bare qualifier followed by a bare code.
      if (parts.length === 1 && HI_QUALIFIERS.has(parts[0]!) && i + 1 < n) {
        const next = this.parts(seg, i + 1);
        if (next.length === 1 && next[0] && !HI_QUALIFIERS.has(next[0])) {
          this.warn(
            seg.ordinal,
            `segment ${seg.ordinal}: HI qualifier and code in separate elements; read as one`,
            'hi-split',
          );
          parts = [parts[0]!, next[0]];
          i++;
        }
      }
      const [qualifier = '', code = ''] = parts;
      if (!code) continue;
      if (DX_PRINCIPAL.has(qualifier) || DX_OTHER.has(qualifier)) {
        const entry: Code = { code };
        if (parts[8]) entry.poa = parts[8];
        (DX_PRINCIPAL.has(qualifier) ? claim.principal : claim.other).push(entry);
        claim.icd10 ??= qualifier.startsWith('A');
      } else if (PX_PRINCIPAL.has(qualifier) || PX_OTHER.has(qualifier)) {
        const entry: Code = { code, date: parts[2] === 'D8' ? x12Date(parts[3] ?? '') : null };
        if (PX_PRINCIPAL.has(qualifier)) claim.procedures.unshift(entry);
        else claim.procedures.push(entry);
        claim.procedureIcd10 ??= qualifier.startsWith('BB');
      } else if (qualifier === 'DR') {
        claim.drg = code;
      }
    }
  }

  private service(seg: Segment, line: Line): void {
    line.kind = seg.id as Line['kind'];
    if (seg.id === 'SV1') {
      const proc = this.parts(seg, 1);
      if (proc[0] === 'HC') {
        line.hcpcs = proc[1] ?? '';
        line.modifiers = proc.slice(2, 6).filter((m) => m !== '');
      }
      line.charge = amount(el(seg, 2));
      line.units = amount(el(seg, 4));
      line.pos = el(seg, 5);
    } else if (seg.id === 'SV2') {
      const rev = el(seg, 1);
      line.revenue = /^\d{3}$/.test(rev) ? `0${rev}` : rev;
      const proc = this.parts(seg, 2);
      if (proc[0] === 'HC') {
        line.hcpcs = proc[1] ?? '';
        line.modifiers = proc.slice(2, 6).filter((m) => m !== '');
      }
      line.charge = amount(el(seg, 3));
      line.units = amount(el(seg, 5));
    }
  }

  private closeClaim(): void {
    const claim = this.claim;
    this.claim = null;
    this.line = null;
    if (!claim) return;
    const seg = claim.seg;
    const skip = (reason: string) =>
      this.ctx.emit({
        kind: 'skip',
        problem: {
          file: this.ctx.file,
          segment: seg.ordinal,
          transactionSet: '837',
          controlNumber: el(this.ctx.st, 2),
          claimId: claim.claimId,
          reason,
        },
      });
    if (claim.lines.some((l) => l.kind === 'SV3')) {
      skip('dental claim (SV3 lines): dental claims are not part of medical_claim');
      return;
    }
    const lines = claim.lines.filter((l) => l.kind !== null);
    if (lines.length < claim.lines.length) {
      this.warn(
        seg.ordinal,
        `segment ${seg.ordinal}: claim ${claim.claimId} has LX loops without SV1/SV2; those lines are skipped`,
      );
    }
    if (lines.length === 0) {
      skip('claim has no service lines (LX with SV1 or SV2)');
      return;
    }
    const institutional =
      lines.some((l) => l.kind === 'SV2') ||
      claim.facilityQualifier === 'A' ||
      (claim.facilityQualifier === '' && this.kind === '837I' && !lines.some((l) => l.kind === 'SV1'));
    const ds = this.ctx.dataSource;
    const sub = this.subscriber;
    const memberId = sub?.memberId ?? '';
    const patient = this.patient;
    let personId = memberId;
    if (patient) {
      personId =
        patient.id || (memberId ? `${memberId}:dep:${patient.dob || patient.name.toUpperCase()}` : '');
    }
    const payerName = this.payer?.name ?? '';
    if (!payerName)
      this.warn(seg.ordinal, `segment ${seg.ordinal}: claim ${claim.claimId} has no payer (2010BB NM1*PR)`);

    // Parties referenced by the claim, for the payer and provider tables.
    if (this.payer?.name) {
      const payer: X12Record = { payer: this.payer.name };
      put(payer, 'payer_id', this.payer.id);
      payer.payer_type = payerType(sub?.filingIndicator ?? '');
      payer.data_source = ds;
      this.ctx.emit({ kind: 'row', table: 'payer', row: payer });
    }
    const facility = institutional ? (claim.facility?.npi ? claim.facility : this.billing) : null;
    for (const p of [
      this.billing,
      claim.rendering,
      claim.attending,
      facility,
      ...lines.map((l) => l.rendering),
    ]) {
      if (!p?.npi) continue;
      const row: X12Record = {
        npi: p.npi,
        entity_type: p.entity === '1' ? 'individual' : 'organization',
        provider_name: p.name,
      };
      put(row, 'taxonomy_code', p.taxonomy);
      put(row, 'tin', p.tin);
      put(row, 'practice_city', p.city);
      put(row, 'practice_state', p.state);
      put(row, 'practice_zip_code', p.zip);
      row.data_source = ds;
      this.ctx.emit({ kind: 'row', table: 'provider', row });
    }

    let start = claim.statement?.[0] ?? claim.serviceDates?.[0] ?? null;
    let end = claim.statement?.[1] ?? claim.serviceDates?.[1] ?? null;
    if (!start) {
      for (const l of lines) {
        if (!l.dates) continue;
        if (!start || l.dates[0] < start) start = l.dates[0];
        if (!end || l.dates[1] > end) end = l.dates[1];
      }
    }
    const seen = new Set<string>();
    const diagnoses = [...claim.principal, ...claim.other].filter(
      (d) => !seen.has(d.code) && seen.add(d.code),
    );
    if (diagnoses.length > MAX_CODES) {
      this.warn(
        seg.ordinal,
        `segment ${seg.ordinal}: claim ${claim.claimId} has ${diagnoses.length} diagnoses; the first ${MAX_CODES} are kept`,
      );
    }
    const header: X12Record = { claim_id: claim.claimId };
    header.claim_type = institutional ? 'institutional' : 'professional';
    put(header, 'person_id', personId);
    put(header, 'member_id', memberId);
    put(header, 'payer', payerName);
    put(header, 'plan', sub ? sub.groupName || sub.groupNumber || sub.filingIndicator : '');
    put(header, 'claim_start_date', start);
    put(header, 'claim_end_date', end);
    if (institutional) {
      put(header, 'admission_date', claim.admission);
      // On an inpatient bill whose stay has ended, the statement through date is the discharge date.
      if (INPATIENT_BILL.test(claim.facilityCode) && claim.patientStatus && claim.patientStatus !== '30') {
        put(header, 'discharge_date', end);
      }
      put(header, 'admit_source_code', claim.admitSource);
      put(header, 'admit_type_code', claim.admitType);
      put(header, 'discharge_disposition_code', claim.patientStatus);
      if (claim.facilityCode) put(header, 'bill_type_code', `${claim.facilityCode}${claim.frequency}`);
      if (claim.drg) {
        header.drg_code_type = 'ms-drg';
        header.drg_code = claim.drg;
      }
    }
    put(header, 'billing_npi', this.billing?.npi);
    put(header, 'billing_tin', this.billing?.tin);
    if (facility) put(header, 'facility_npi', facility.npi);
    if (claim.icd10 !== null) header.diagnosis_code_type = claim.icd10 ? 'icd-10-cm' : 'icd-9-cm';
    diagnoses.slice(0, MAX_CODES).forEach((d, i) => {
      header[`diagnosis_code_${i + 1}`] = d.code;
      if (institutional) put(header, `diagnosis_poa_${i + 1}`, d.poa);
    });
    if (institutional && claim.procedures.length > 0) {
      header.procedure_code_type = claim.procedureIcd10 ? 'icd-10-pcs' : 'icd-9-pcs';
      claim.procedures.slice(0, MAX_CODES).forEach((p, i) => {
        header[`procedure_code_${i + 1}`] = p.code;
        put(header, `procedure_date_${i + 1}`, p.date);
      });
    }
    const rows = lines.map((l, i) => {
      const row: X12Record = { ...header, claim_line_number: i + 1 };
      put(row, 'claim_line_start_date', l.dates?.[0]);
      put(row, 'claim_line_end_date', l.dates?.[1]);
      if (institutional) put(row, 'revenue_center_code', l.revenue);
      else put(row, 'place_of_service_code', l.pos || claim.facilityCode);
      put(row, 'service_unit_quantity', l.units);
      put(row, 'hcpcs_code', l.hcpcs);
      l.modifiers.slice(0, 4).forEach((m, k) => {
        row[`hcpcs_modifier_${k + 1}`] = m;
      });
      const rendering =
        l.rendering?.npi ?? claim.rendering?.npi ?? (institutional ? claim.attending?.npi : null);
      put(row, 'rendering_npi', rendering);
      row.paid_amount = 0;
      put(row, 'charge_amount', l.charge);
      row.claim_status = 'pending';
      put(row, 'submission_date', this.submissionDate);
      put(row, 'prior_authorization_number', l.priorAuth || claim.priorAuth);
      row.data_source = ds;
      return row;
    });
    this.ctx.emit({ kind: 'claim', claimId: claim.claimId, lines: rows });
  }

  end(): void {
    this.closeClaim();
  }
}
