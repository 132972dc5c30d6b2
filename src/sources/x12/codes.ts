// Value helpers and code maps shared by the 835 and 837 mappers: X12 dates and amounts, composite
// elements, claim filing indicator to payer type, BPR payment method to the contract's methods.
import type { Delimiters, Segment } from './types.ts';

/** Element n of a segment, trimmed ('' when absent). */
export function el(seg: Segment, n: number): string {
  const v = seg.elements[n];
  return v === undefined ? '' : v.trim();
}

const dateCache = new Map<string, string | null>();

/** CCYYMMDD (or CCYYMMDDHHMM) to YYYY-MM-DD; null when it is not a calendar date. */
export function x12Date(value: string): string | null {
  const v = value.trim();
  const hit = dateCache.get(v);
  if (hit !== undefined) return hit;
  const date = parseDate(v);
  // Files repeat a few thousand distinct dates; the cache is bounded all the same.
  if (dateCache.size > 10_000) dateCache.clear();
  dateCache.set(v, date);
  return date;
}

function parseDate(v: string): string | null {
  if (!/^\d{8}(\d{4})?$/.test(v)) return null;
  const y = Number(v.slice(0, 4));
  const m = Number(v.slice(4, 6));
  const d = Number(v.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`;
}

/** A DTP/DTM period: D8 (a date), RD8 (from-through), DT (date and time); null when unreadable. */
export function period(format: string, value: string): [string, string] | null {
  const f = format.trim();
  if (f === 'RD8') {
    const [a = '', b = ''] = value.split('-');
    const from = x12Date(a);
    const to = x12Date(b);
    return from && to ? [from, to] : null;
  }
  const d = x12Date(f === 'DT' ? value.trim().slice(0, 8) : value);
  return d ? [d, d] : null;
}

/** An X12 decimal (R type: optional sign, digits, optional point); null when empty or not a number. */
export function amount(value: string): number | null {
  const v = value.trim();
  const n = v.length;
  if (n === 0) return null;
  let i = v.charCodeAt(0) === 0x2d || v.charCodeAt(0) === 0x2b ? 1 : 0;
  let digits = 0;
  let point = false;
  for (; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x2e && !point) point = true;
    else return null;
  }
  return digits > 0 ? Number(v) : null;
}

/** Rounds to cents, so sums of X12 amounts compare exactly. */
export function cents(n: number): number {
  return Math.round(n * 100) / 100;
}

const FALLBACK_COMPONENT = /^[A-Z0-9]{1,3}([:>^|\\])/;

/**
 * Splits a composite element on the component separator. Some files declare one separator in
 * ISA16 and use another (`HC>99213` with ISA16 `:`): when the declared one is absent and the
 * element starts with a short qualifier followed by one of : > ^ | \, that character is used and
 * `tolerated` says so (the caller warns).
 */
export function components(value: string, d: Delimiters): { parts: string[]; tolerated: boolean } {
  if (value.includes(d.component))
    return { parts: value.split(d.component).map((p) => p.trim()), tolerated: false };
  const m = FALLBACK_COMPONENT.exec(value);
  if (m && m[1] !== d.element) return { parts: value.split(m[1]!).map((p) => p.trim()), tolerated: true };
  return { parts: [value.trim()], tolerated: false };
}

/** Claim filing indicator (835 CLP06, 837 SBR09) to the payer table's payer_type. */
export function payerType(filingIndicator: string): string {
  switch (filingIndicator.trim()) {
    case 'MA':
    case 'MB':
      return 'medicare';
    case '16':
      return 'medicare_advantage';
    case 'MC':
      return 'medicaid';
    case '09':
      return 'self_pay';
    case '12':
    case '13':
    case '14':
    case '15':
    case '17':
    case 'BL':
    case 'CI':
    case 'HM':
    case 'DS':
    case 'FI':
      return 'commercial';
    default:
      return 'other';
  }
}

/** BPR04 payment method to payment.payment_method. */
export function paymentMethod(bpr04: string): string | null {
  switch (bpr04.trim()) {
    case 'ACH':
    case 'FWT':
      return 'eft';
    case 'CHK':
      return 'check';
    case 'BOP':
    case 'NON':
      return 'other';
    default:
      return bpr04.trim() === '' ? null : 'other';
  }
}

/** NM1 name as one string: organizations as NM103, people as "FIRST MIDDLE LAST". */
export function nm1Name(seg: Segment): string {
  if (el(seg, 2) === '2') return el(seg, 3);
  return [el(seg, 4), el(seg, 5), el(seg, 3)].filter((p) => p !== '').join(' ');
}

/** NM109 when NM108 says it is an NPI (XX) and it has 10 digits. */
export function nm1Npi(seg: Segment): string | null {
  const id = el(seg, 9);
  return el(seg, 8) === 'XX' && /^\d{10}$/.test(id) ? id : null;
}

/** Puts only present values on a row (absent columns stay absent). */
export function put(
  row: Record<string, string | number>,
  column: string,
  value: string | number | null | undefined,
) {
  if (value === null || value === undefined || value === '') return;
  row[column] = value;
}
