// 835 (health care claim payment/advice) to input-layer rows: a claim_adjustment row per CAS
// triple, a payment row per paid claim, a remittance_claim row per CLP, payer and payee rows, and
// the per-claim summary that settles the status and paid amounts of 837 claims.
import { amount, cents, el, payerType, paymentMethod, put, x12Date } from './codes.ts';
import type { ClaimStatus, MapperContext, RemitLine, TransactionMapper } from './mapper.ts';
import type { Segment, X12Record } from './types.ts';

interface Adjustment {
  group: string;
  carc: string;
  amount: number;
  quantity: number | null;
}

interface ServiceLoop {
  order: number;
  ref6r: string | null;
  charge: number | null;
  paid: number | null;
  adjustments: Adjustment[];
  remarks: string[];
}

interface ClaimLoop {
  seg: Segment;
  claimId: string;
  statusCode: string;
  charge: number | null;
  paid: number | null;
  patientResponsibility: number | null;
  filingIndicator: string;
  adjustments: Adjustment[];
  remarks: string[];
  patientId: string;
  insuredId: string;
  services: ServiceLoop[];
  /** DTM*232 / 233 (claim statement period), else the span of the lines' DTM*472 / 150 / 151. */
  start: string | null;
  end: string | null;
  /** DTM*050: when the payer received the claim. */
  received: string | null;
  spanFromLines: boolean;
}

/** CLP02 codes read as "processed" (primary, secondary, tertiary; 19-21 also forwarded to another payer). */
const PROCESSED = new Set(['1', '2', '3', '19', '20', '21']);

/** Adjustments that do not mean the payer refused the service: patient share and prior-payer payment. */
function isDenialAdjustment(a: Adjustment): boolean {
  return a.group !== 'PR' && !(a.group === 'OA' && a.carc === '23');
}

function sum(list: Adjustment[], pick: (a: Adjustment) => boolean): number {
  let s = 0;
  for (const a of list) if (pick(a)) s += a.amount;
  return cents(s);
}

/** PR-1 (deductible), PR-2 (coinsurance), PR-3 (copayment) totals of a list of adjustments. */
function patientShare(list: Adjustment[]): [number, number, number] {
  const t: [number, number, number] = [0, 0, 0];
  for (const a of list) {
    if (a.group !== 'PR') continue;
    if (a.carc === '1') t[0] += a.amount;
    else if (a.carc === '2') t[1] += a.amount;
    else if (a.carc === '3') t[2] += a.amount;
  }
  return [cents(t[0]), cents(t[1]), cents(t[2])];
}

function lineDenied(s: ServiceLoop): boolean {
  return (
    (s.charge ?? 0) > 0 &&
    (s.paid ?? 0) === 0 &&
    sum(s.adjustments, (a) => a.group === 'PR') <= 0 &&
    s.adjustments.some(isDenialAdjustment)
  );
}

/**
 * CLP02 to claim_status: 1, 2, 3, 19, 20, 21 (processed) are `paid`, or `denied` when nothing was
 * paid, nothing is owed by the patient and a denial-type adjustment is present, or `partially_paid`
 * when money was paid but some charged line was denied; 4 and 23 are `denied`, 22 `reversed`,
 * 25 (predetermination, no payment) stays `pending`.
 */
export function remitStatus(claim: {
  statusCode: string;
  paid: number | null;
  patientResponsibility: number | null;
  adjustments: Adjustment[];
  services: ServiceLoop[];
}): ClaimStatus | null {
  const code = claim.statusCode;
  if (code === '4' || code === '23') return 'denied';
  if (code === '22') return 'reversed';
  if (code === '25') return 'pending';
  if (!PROCESSED.has(code)) return null;
  const paid = claim.paid ?? 0;
  if (paid === 0 && (claim.patientResponsibility ?? 0) === 0) {
    const denial =
      claim.adjustments.some(isDenialAdjustment) ||
      claim.services.some((s) => s.adjustments.some(isDenialAdjustment));
    if (denial) return 'denied';
  }
  if (paid > 0 && claim.services.some(lineDenied)) return 'partially_paid';
  return 'paid';
}

/**
 * Service-line numbers of a claim: REF*6R when every SVC has one that is a distinct number from
 * 1 to 999 (the 837 line item control number echoed back), otherwise the SVC order.
 */
function lineNumbers(services: ServiceLoop[]): number[] {
  const fromRef = services.map((s) => (s.ref6r && /^\d{1,4}$/.test(s.ref6r) ? Number(s.ref6r) : 0));
  const usable = fromRef.every((n) => n >= 1 && n <= 999) && new Set(fromRef).size === fromRef.length;
  return usable ? fromRef : services.map((s) => s.order);
}

export class Map835 implements TransactionMapper {
  private readonly ctx: MapperContext;
  private paymentDate: string | null = null;
  private productionDate: string | null = null;
  private method: string | null = null;
  private trace = '';
  private payerName = '';
  private payerId = '';
  private payeeName = '';
  private payeeNpi = '';
  private n1 = '';
  private claim: ClaimLoop | null = null;
  private service: ServiceLoop | null = null;
  private partiesEmitted = false;
  private firstFilingIndicator = '';
  /** Sequence counters of the previous claim, continued when the next CLP repeats its id (reversal + correction). */
  private previous: { claimId: string; sequences: Map<number, number>; occurrences: number } | null = null;
  private warned = new Set<string>();

  constructor(ctx: MapperContext) {
    this.ctx = ctx;
  }

  private warn(segment: number, message: string, once?: string): void {
    if (once) {
      if (this.warned.has(once)) return;
      this.warned.add(once);
    }
    this.ctx.emit({ kind: 'warning', segment, message });
  }

  private row(
    table: 'claim_adjustment' | 'payment' | 'payer' | 'provider' | 'remittance_claim',
    row: X12Record,
  ) {
    this.ctx.emit({ kind: 'row', table, row });
  }

  private get remitDate(): string | null {
    return this.productionDate ?? this.paymentDate;
  }

  segment(seg: Segment): void {
    switch (seg.id) {
      case 'BPR':
        this.paymentDate = x12Date(el(seg, 16));
        this.method = paymentMethod(el(seg, 4));
        return;
      case 'TRN':
        if (!this.trace) this.trace = el(seg, 2);
        return;
      case 'DTM':
        this.dtm(seg);
        return;
      case 'N1':
        this.n1 = el(seg, 1);
        if (this.n1 === 'PR') {
          this.payerName = el(seg, 2);
          if (el(seg, 4)) this.payerId = el(seg, 4);
        } else if (this.n1 === 'PE') {
          this.payeeName = el(seg, 2);
          if (el(seg, 3) === 'XX' && /^\d{10}$/.test(el(seg, 4))) this.payeeNpi = el(seg, 4);
        }
        return;
      case 'REF':
        if (this.service && el(seg, 1) === '6R') this.service.ref6r = el(seg, 2);
        else if (!this.claim && this.n1 === 'PR' && el(seg, 1) === '2U' && !this.payerId)
          this.payerId = el(seg, 2);
        return;
      case 'LX':
      case 'TS3':
      case 'TS2':
      case 'PLB':
        this.closeClaim();
        return;
      case 'CLP':
        this.closeClaim();
        this.openClaim(seg);
        return;
      case 'CAS':
        this.cas(seg);
        return;
      case 'NM1':
        if (!this.claim) return;
        if (el(seg, 1) === 'QC') this.claim.patientId = el(seg, 9);
        else if (el(seg, 1) === 'IL') this.claim.insuredId = el(seg, 9);
        return;
      case 'MOA':
        if (this.claim && !this.service)
          for (let i = 3; i <= 7; i++) if (el(seg, i)) this.claim.remarks.push(el(seg, i));
        return;
      case 'MIA':
        if (this.claim && !this.service) {
          for (const i of [5, 20, 21, 22, 23]) if (el(seg, i)) this.claim.remarks.push(el(seg, i));
        }
        return;
      case 'SVC': {
        if (!this.claim) {
          this.warn(seg.ordinal, `segment ${seg.ordinal}: SVC outside a CLP loop, ignored`);
          return;
        }
        this.service = {
          order: this.claim.services.length + 1,
          ref6r: null,
          charge: amount(el(seg, 2)),
          paid: amount(el(seg, 3)),
          adjustments: [],
          remarks: [],
        };
        this.claim.services.push(this.service);
        return;
      }
      case 'LQ':
        if (this.service && el(seg, 1) === 'HE' && el(seg, 2)) this.service.remarks.push(el(seg, 2));
        return;
    }
  }

  private dtm(seg: Segment): void {
    const q = el(seg, 1);
    const d = x12Date(el(seg, 2));
    const claim = this.claim;
    if (!claim) {
      if (q === '405') this.productionDate = d;
      return;
    }
    if (!d) return;
    if (this.service) {
      // Line dates widen the claim's span only when the claim gives no statement period.
      if ((q === '472' || q === '150') && (!claim.start || (claim.spanFromLines && d < claim.start))) {
        claim.start = d;
        claim.spanFromLines = true;
      }
      if ((q === '472' || q === '151') && (!claim.end || (claim.spanFromLines && d > claim.end))) {
        claim.end = d;
        claim.spanFromLines = true;
      }
    } else if (q === '232') {
      claim.start = d;
      claim.spanFromLines = false;
    } else if (q === '233') {
      claim.end = d;
      claim.spanFromLines = false;
    } else if (q === '050') {
      claim.received = d;
    }
  }

  private openClaim(seg: Segment): void {
    const claimId = el(seg, 1);
    if (!claimId) this.warn(seg.ordinal, `segment ${seg.ordinal}: CLP01 (patient control number) is empty`);
    this.claim = {
      seg,
      claimId,
      statusCode: el(seg, 2),
      charge: amount(el(seg, 3)),
      paid: amount(el(seg, 4)),
      patientResponsibility: amount(el(seg, 5)),
      filingIndicator: el(seg, 6),
      adjustments: [],
      remarks: [],
      patientId: '',
      insuredId: '',
      services: [],
      start: null,
      end: null,
      received: null,
      spanFromLines: false,
    };
    if (!this.firstFilingIndicator) this.firstFilingIndicator = el(seg, 6);
    this.service = null;
  }

  private cas(seg: Segment): void {
    const target = this.service?.adjustments ?? this.claim?.adjustments;
    if (!target) {
      this.warn(seg.ordinal, `segment ${seg.ordinal}: CAS outside a CLP loop, ignored`);
      return;
    }
    const group = el(seg, 1);
    // Up to six (reason, amount, quantity) triples follow the group code.
    for (let i = 2; i <= 17; i += 3) {
      const carc = el(seg, i);
      const value = amount(el(seg, i + 1));
      if (!carc && value === null) continue;
      if (!carc || value === null) {
        this.warn(
          seg.ordinal,
          `segment ${seg.ordinal}: CAS triple ${(i + 1) / 3} lacks its reason code or amount, ignored`,
        );
        continue;
      }
      target.push({ group, carc, amount: value, quantity: amount(el(seg, i + 2)) });
    }
  }

  private emitParties(): void {
    if (this.partiesEmitted) return;
    this.partiesEmitted = true;
    const ds = this.ctx.dataSource;
    if (this.payerName) {
      const payer: X12Record = { payer: this.payerName };
      put(payer, 'payer_id', this.payerId);
      payer.payer_type = payerType(this.firstFilingIndicator);
      payer.data_source = ds;
      this.row('payer', payer);
    } else {
      this.warn(
        this.ctx.st.ordinal,
        `segment ${this.ctx.st.ordinal}: no N1*PR payer name in this 835; rows have no payer`,
      );
    }
    if (this.payeeNpi) {
      this.row('provider', {
        npi: this.payeeNpi,
        entity_type: 'organization',
        provider_name: this.payeeName,
        data_source: ds,
      });
    }
  }

  private closeClaim(): void {
    const claim = this.claim;
    this.claim = null;
    this.service = null;
    if (!claim) return;
    this.emitParties();
    const seg = claim.seg;
    const ds = this.ctx.dataSource;
    const remitDate = this.remitDate;
    if (!remitDate) {
      this.warn(
        seg.ordinal,
        `segment ${seg.ordinal}: no remittance date (DTM*405 or BPR16); adjustments lack remit_date`,
        'remit-date',
      );
    }
    const same = this.previous && this.previous.claimId === claim.claimId ? this.previous : null;
    const sequences = same?.sequences ?? new Map<number, number>();
    const occurrence = (same?.occurrences ?? 0) + 1;
    this.previous = { claimId: claim.claimId, sequences, occurrences: occurrence };

    const numbers = lineNumbers(claim.services);
    this.adjustmentRows(claim.claimId, 0, claim.adjustments, claim.remarks, sequences, remitDate);
    for (let i = 0; i < claim.services.length; i++) {
      const s = claim.services[i]!;
      this.adjustmentRows(claim.claimId, numbers[i]!, s.adjustments, s.remarks, sequences, remitDate);
    }

    const personId = claim.patientId || claim.insuredId;
    const traceKey = this.trace || `${this.ctx.interchange?.control ?? ''}-${el(this.ctx.st, 2)}`;
    if (claim.paid !== null && claim.paid !== 0) {
      const payment: X12Record = {
        payment_id: `${traceKey}:${claim.claimId}${occurrence > 1 ? `:${occurrence}` : ''}`,
        claim_id: claim.claimId,
      };
      put(payment, 'person_id', personId);
      put(payment, 'payer', this.payerName);
      payment.payment_source = 'payer';
      put(payment, 'payment_date', this.paymentDate ?? remitDate);
      payment.payment_amount = claim.paid;
      put(payment, 'payment_method', this.method);
      put(payment, 'trace_number', this.trace);
      payment.data_source = ds;
      this.row('payment', payment);
    }

    let status = remitStatus(claim);
    if (status === null) {
      this.warn(
        seg.ordinal,
        `segment ${seg.ordinal}: unknown CLP02 claim status ${JSON.stringify(claim.statusCode)}; read as pending`,
      );
      status = 'pending';
    }
    const remittance: X12Record = { claim_id: claim.claimId };
    put(remittance, 'remit_date', remitDate);
    put(remittance, 'payment_date', this.paymentDate ?? remitDate);
    put(remittance, 'payer', this.payerName);
    put(remittance, 'payer_id', this.payerId);
    remittance.claim_status = status;
    put(remittance, 'claim_status_code', claim.statusCode);
    put(remittance, 'charge_amount', claim.charge);
    put(remittance, 'paid_amount', claim.paid);
    put(remittance, 'patient_responsibility_amount', claim.patientResponsibility);
    put(remittance, 'claim_filing_indicator', claim.filingIndicator);
    put(remittance, 'payer_claim_control_number', el(seg, 7));
    put(remittance, 'facility_type_code', el(seg, 8));
    put(remittance, 'claim_frequency_code', el(seg, 9));
    put(remittance, 'service_start_date', claim.start);
    put(remittance, 'service_end_date', claim.end ?? claim.start);
    put(remittance, 'claim_received_date', claim.received);
    put(remittance, 'person_id', personId);
    put(remittance, 'trace_number', this.trace);
    remittance.data_source = ds;
    this.row('remittance_claim', remittance);

    this.balance(claim);
    const lines: RemitLine[] = [];
    const share = patientShare(claim.adjustments);
    for (let i = 0; i < claim.services.length; i++) {
      const s = claim.services[i]!;
      const [deductible, coinsurance, copayment] = patientShare(s.adjustments);
      share[0] += deductible;
      share[1] += coinsurance;
      share[2] += copayment;
      lines.push({
        line: numbers[i]!,
        paid: s.paid ?? 0,
        deductible,
        coinsurance,
        copayment,
        denied: lineDenied(s),
      });
    }
    this.ctx.emit({
      kind: 'remit',
      remit: {
        claimId: claim.claimId,
        remitDate,
        paymentDate: this.paymentDate ?? remitDate,
        status,
        paid: claim.paid ?? 0,
        deductible: cents(share[0]),
        coinsurance: cents(share[1]),
        copayment: cents(share[2]),
        lines,
      },
    });
  }

  private adjustmentRows(
    claimId: string,
    line: number,
    adjustments: Adjustment[],
    remarks: string[],
    sequences: Map<number, number>,
    remitDate: string | null,
  ): void {
    for (const a of adjustments) {
      const seq = (sequences.get(line) ?? 0) + 1;
      sequences.set(line, seq);
      const row: X12Record = { claim_id: claimId, claim_line_number: line };
      put(row, 'remit_date', remitDate);
      row.adjustment_sequence = seq;
      put(row, 'payer', this.payerName);
      row.adjustment_group_code = a.group;
      row.carc_code = a.carc;
      put(row, 'rarc_code', remarks[0]);
      row.adjustment_amount = a.amount;
      put(row, 'adjustment_quantity', a.quantity);
      row.data_source = this.ctx.dataSource;
      this.row('claim_adjustment', row);
    }
  }

  /** 835 balancing: charge - adjustments = paid, for the claim and each service line. */
  private balance(claim: ClaimLoop): void {
    const n = claim.seg.ordinal;
    if (claim.charge !== null && claim.paid !== null) {
      const adjusted = cents(
        claim.charge -
          sum(claim.adjustments, () => true) -
          claim.services.reduce((t, s) => t + sum(s.adjustments, () => true), 0),
      );
      if (adjusted !== cents(claim.paid)) {
        this.warn(
          n,
          `segment ${n}: claim ${claim.claimId} does not balance: CLP03 ${claim.charge} - adjustments = ${adjusted}, CLP04 is ${claim.paid}`,
        );
      }
    }
    for (const s of claim.services) {
      if (s.charge === null || s.paid === null) continue;
      const adjusted = cents(s.charge - sum(s.adjustments, () => true));
      if (adjusted !== cents(s.paid)) {
        this.warn(
          n,
          `segment ${n}: claim ${claim.claimId} service line ${s.order} does not balance: SVC02 ${s.charge} - adjustments = ${adjusted}, SVC03 is ${s.paid}`,
        );
      }
    }
  }

  end(): void {
    this.closeClaim();
    this.emitParties();
  }
}
