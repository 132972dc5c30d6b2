// Settles 837 claims with the 835 remittances read before them: the latest remittance gives the
// status and paid date, all remittances together (reversals included) give the net amounts, which
// are spread over the claim's lines. Keeps one small record per remitted claim (a few hundred
// bytes), so memory grows with the number of remitted claims, never with rows or file size.
import { cents } from './codes.ts';
import type { ClaimStatus, Remittance } from './mapper.ts';
import type { X12Record } from './types.ts';

/** Amounts in this order, per claim and per line. */
const METRICS = ['paid', 'deductible', 'coinsurance', 'copayment'] as const;
const COLUMNS = ['paid_amount', 'deductible_amount', 'coinsurance_amount', 'copayment_amount'] as const;
const STRIDE = 1 + METRICS.length;

interface Settled {
  latest: string;
  status: ClaimStatus;
  paymentDate: string | null;
  /** Lines the latest remittance denied (only kept when there are any). */
  denied: number[] | null;
  /** Flat [line, paid, deductible, coinsurance, copayment, line, ...]. */
  lines: number[];
  /** Claim-level amounts no line has taken yet, spread over the 837 lines by charge. */
  unassigned: number[];
}

/**
 * Splits `amount` in cents in proportion to `weights` (equal parts when they sum to 0); the
 * rounding remainder goes to the last line with a weight.
 */
function spread(amount: number, weights: number[]): number[] {
  const sumW = weights.reduce((a, b) => a + b, 0);
  const w = sumW !== 0 ? weights : weights.map(() => 1);
  const sw = sumW !== 0 ? sumW : weights.length;
  const shares = w.map((x) => cents((amount * x) / sw));
  let last = w.length - 1;
  while (last > 0 && w[last] === 0) last--;
  const diff = cents(amount - shares.reduce((a, b) => a + b, 0));
  shares[last] = cents(shares[last]! + diff);
  return shares;
}

export class RemittanceBook {
  private readonly claims = new Map<string, Settled>();

  get size(): number {
    return this.claims.size;
  }

  add(r: Remittance): void {
    let s = this.claims.get(r.claimId);
    const date = r.remitDate ?? '';
    if (!s) {
      s = {
        latest: date,
        status: r.status,
        paymentDate: r.paymentDate,
        denied: null,
        lines: [],
        unassigned: [0, 0, 0, 0],
      };
      this.claims.set(r.claimId, s);
    }
    // Later remittances win; on the same date the one read last (a correction after its reversal).
    if (date >= s.latest) {
      s.latest = date;
      s.status = r.status;
      s.paymentDate = r.paymentDate;
      const denied = r.lines.filter((l) => l.denied).map((l) => l.line);
      s.denied = denied.length > 0 ? denied : null;
    }
    const lines = s.lines;
    for (const l of r.lines) {
      let at = lines.length;
      for (let i = 0; i < lines.length; i += STRIDE) if (lines[i] === l.line) at = i;
      if (at === lines.length) lines.push(l.line, 0, 0, 0, 0);
      METRICS.forEach((m, k) => {
        lines[at + 1 + k] = cents(lines[at + 1 + k]! + l[m]);
      });
    }
    // What the lines do not explain (claim-level adjustments, or a claim-level reversal) goes to the
    // lines in proportion to what they already hold, so a reversal undoes the lines it reverses.
    METRICS.forEach((m, k) => {
      const rest = cents(r[m] - r.lines.reduce((t, l) => t + l[m], 0));
      if (rest === 0) return;
      const held: number[] = [];
      for (let i = 0; i < lines.length; i += STRIDE) held.push(lines[i + 1 + k]!);
      if (held.length === 0 || held.every((v) => v === 0)) {
        s.unassigned[k] = cents(s.unassigned[k]! + rest);
        return;
      }
      spread(rest, held).forEach((share, j) => {
        lines[j * STRIDE + 1 + k] = cents(lines[j * STRIDE + 1 + k]! + share);
      });
    });
  }

  /**
   * Writes status, paid date and amounts onto the lines of an 837 claim (rows numbered 1..n);
   * false when no remittance was read for it. A line gets its own 835 amounts when the 835 line
   * numbers match, and a share (by charge) of whatever the claim total leaves unexplained.
   */
  apply(claimId: string, rows: X12Record[]): boolean {
    const s = this.claims.get(claimId);
    if (!s) return false;
    const numbers = rows.map((r) => Number(r.claim_line_number));
    const weights = rows.map((r) => Math.max(0, Number(r.charge_amount ?? 0)));
    const values = rows.map(() => [0, 0, 0, 0]);
    const totals = [0, 0, 0, 0];
    METRICS.forEach((_, k) => {
      // Amounts of 835 lines that match no 837 line join the claim-level rest.
      let rest = s.unassigned[k]!;
      for (let j = 0; j < s.lines.length; j += STRIDE) {
        const v = s.lines[j + 1 + k]!;
        const i = numbers.indexOf(s.lines[j]!);
        if (i >= 0) values[i]![k] = v;
        else rest += v;
        totals[k] = cents(totals[k]! + v);
      }
      totals[k] = cents(totals[k]! + s.unassigned[k]!);
      rest = cents(rest);
      if (rest !== 0) {
        spread(rest, weights).forEach((share, i) => {
          values[i]![k] = cents(values[i]![k]! + share);
        });
      }
    });
    rows.forEach((row, i) => {
      const v = values[i]!;
      let status = s.status;
      if (status === 'partially_paid') status = s.denied?.includes(numbers[i]!) ? 'denied' : 'paid';
      row.claim_status = status;
      if (s.paymentDate) row.paid_date = s.paymentDate;
      COLUMNS.forEach((column, k) => {
        if (k === 0 || totals[k] !== 0) row[column] = v[k]!;
      });
      row.allowed_amount = cents(v[0]! + v[1]! + v[2]! + v[3]!);
    });
    return true;
  }
}
