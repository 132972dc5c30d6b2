// What a transaction mapper receives and produces. Mappers push everything (rows, claims, the
// remittance summaries that settle 837 statuses, warnings) through `emit`, so the reader can hold a
// transaction's output until its SE proves the transaction sound, or drop it when quarantined.
import type { GroupInfo, InterchangeInfo } from './envelope.ts';
import type { Segment, X12Problem, X12Record, X12Table } from './types.ts';

export type ClaimStatus = 'paid' | 'partially_paid' | 'denied' | 'pending' | 'reversed';

/** One 835 service line as far as 837 claim lines need it. */
export interface RemitLine {
  /** Line number (REF*6R when it is a usable line number, otherwise SVC order). */
  line: number;
  paid: number;
  deductible: number;
  coinsurance: number;
  copayment: number;
  /** Charged, paid nothing, no patient responsibility, and a non-contractual adjustment. */
  denied: boolean;
}

/** One 835 CLP loop as far as 837 claims need it. */
export interface Remittance {
  claimId: string;
  remitDate: string | null;
  paymentDate: string | null;
  status: ClaimStatus;
  /** CLP04. */
  paid: number;
  /** PR-1 / PR-2 / PR-3 over the claim and its lines. */
  deductible: number;
  coinsurance: number;
  copayment: number;
  lines: RemitLine[];
}

export type MapperOutput =
  | { kind: 'row'; table: X12Table; row: X12Record }
  | { kind: 'claim'; claimId: string; lines: X12Record[] }
  | { kind: 'remit'; remit: Remittance }
  | { kind: 'skip'; problem: X12Problem }
  | { kind: 'warning'; segment: number; message: string };

export interface MapperContext {
  /** File path, for messages. */
  file: string;
  /** data_source value of every row: `x12:<file name>`. */
  dataSource: string;
  st: Segment;
  group: GroupInfo | null;
  interchange: InterchangeInfo | null;
  emit(out: MapperOutput): void;
}

export interface TransactionMapper {
  segment(seg: Segment): void;
  /** Called after the SE (or when the transaction is cut short): flush the open loops. */
  end(): void;
}
