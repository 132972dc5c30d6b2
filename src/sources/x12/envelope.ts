// Envelope validation: walks ISA/GS/ST..SE/GE/IEA, checks control numbers and counts, and tells
// its handler where each transaction starts and ends and whether it is sound. Push-style and
// synchronous so the reader decides what to buffer; the same TransactionChecker judges a
// transaction here and in the reader's look-ahead, so both always agree.
import { ClaimlensError } from '../../errors.ts';
import { KNOWN_SEGMENTS, SEGMENT_ID } from './segments.ts';
import type { Segment } from './types.ts';

export type CountMismatch = 'quarantine' | 'warn';

/** Judges one ST..SE transaction: segment ids, SE01 count, SE02 control number, truncation. */
export class TransactionChecker {
  readonly setId: string;
  readonly control: string;
  readonly start: Segment;
  private readonly known: ReadonlySet<string> | null;
  private readonly countMismatch: CountMismatch;
  private count = 1;
  private readonly problems: string[] = [];
  readonly warnings: { segment: number; message: string }[] = [];

  constructor(st: Segment, countMismatch: CountMismatch) {
    this.start = st;
    this.setId = (st.elements[1] ?? '').trim();
    this.control = (st.elements[2] ?? '').trim();
    this.known = KNOWN_SEGMENTS[this.setId] ?? null;
    this.countMismatch = countMismatch;
    if (st.incomplete)
      this.problem(`segment ${st.ordinal}: the file ends inside the ST segment (truncated file)`);
  }

  private problem(message: string): void {
    if (this.problems.length < 20) this.problems.push(message);
  }

  /** Judges a segment of the transaction; true when it is the SE that closes it. */
  push(seg: Segment): boolean {
    this.count++;
    if (seg.incomplete) {
      this.problem(
        `segment ${seg.ordinal}: the file ends inside this segment, without a terminator (truncated file)`,
      );
    }
    if (seg.id === 'SE') {
      const se01 = (seg.elements[1] ?? '').trim();
      const se02 = (seg.elements[2] ?? '').trim();
      if (se02 !== this.control) {
        this.problem(
          `segment ${seg.ordinal}: SE02 control number ${JSON.stringify(se02)} does not match ST02 ${JSON.stringify(this.control)}`,
        );
      }
      if (se01 !== String(this.count)) {
        const message = `segment ${seg.ordinal}: SE01 says ${JSON.stringify(se01)} segments, the transaction has ${this.count}`;
        if (this.countMismatch === 'warn') this.warnings.push({ segment: seg.ordinal, message });
        else this.problem(message);
      }
      return true;
    }
    if (this.known?.has(seg.id)) return false;
    if (!SEGMENT_ID.test(seg.id)) {
      this.problem(
        `segment ${seg.ordinal}: invalid segment identifier ${JSON.stringify(seg.id.slice(0, 20))}`,
      );
    } else if (this.known) {
      this.problem(`segment ${seg.ordinal}: unknown segment ${seg.id} in a ${this.setId} transaction`);
    }
    return false;
  }

  /** The transaction ended without its SE. */
  abort(reason: string): void {
    this.problem(reason);
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  /** The first problem, and how many more there are. */
  reason(): string {
    const more = this.problems.length - 1;
    return more > 0
      ? `${this.problems[0]} (and ${more} more problem${more > 1 ? 's' : ''})`
      : (this.problems[0] ?? '');
  }
}

export interface GroupInfo {
  functionalId: string;
  control: string;
  /** GS08 version / release / industry identifier. */
  version: string;
  /** GS04 as CCYYMMDD. */
  date: string;
}

export interface InterchangeInfo {
  control: string;
  version: string;
}

export interface OpenTransaction {
  checker: TransactionChecker;
  group: GroupInfo | null;
  interchange: InterchangeInfo | null;
}

export interface EnvelopeHandler {
  transactionStart(tx: OpenTransaction): void;
  transactionSegment(seg: Segment, tx: OpenTransaction): void;
  transactionEnd(tx: OpenTransaction): void;
  envelopeError(err: ClaimlensError): void;
  warning(segment: number, message: string): void;
}

const AFTER_ISA = new Set(['GS', 'IEA', 'TA1']);
const BREAKS_TRANSACTION = new Set(['ST', 'GS', 'GE', 'IEA']);

/** Walks the envelopes of one file; call push for every segment in order, then end. */
export class EnvelopeWalker {
  private readonly file: string;
  private readonly handler: EnvelopeHandler;
  private readonly countMismatch: CountMismatch;
  private interchange: (InterchangeInfo & { groups: number; ordinal: number }) | null = null;
  private group: (GroupInfo & { transactions: number; ordinal: number }) | null = null;
  private tx: OpenTransaction | null = null;
  private afterIsa = false;
  private strayReported = false;
  interchanges = 0;
  segments = 0;

  constructor(file: string, handler: EnvelopeHandler, countMismatch: CountMismatch) {
    this.file = file;
    this.handler = handler;
    this.countMismatch = countMismatch;
  }

  private error(seg: { ordinal: number; id: string }, what: string): void {
    this.handler.envelopeError(
      new ClaimlensError('input_format', `segment ${seg.ordinal} (${seg.id}): ${what}`, {
        file: this.file,
        line: seg.ordinal,
      }),
    );
  }

  private count(seg: Segment, what: string, said: string, actual: number): void {
    if (said === String(actual)) return;
    const message = `${what} says ${JSON.stringify(said)}, found ${actual}`;
    if (this.countMismatch === 'warn')
      this.handler.warning(seg.ordinal, `segment ${seg.ordinal} (${seg.id}): ${message}`);
    else this.error(seg, message);
  }

  push(seg: Segment): void {
    this.segments++;
    const tx = this.tx;
    if (tx && seg.id !== 'ISA' && !BREAKS_TRANSACTION.has(seg.id)) {
      if (tx.checker.push(seg)) {
        this.tx = null;
        this.handler.transactionEnd(tx);
      } else {
        this.handler.transactionSegment(seg, tx);
      }
      return;
    }
    if (tx) {
      tx.checker.abort(
        `segment ${seg.ordinal}: ${seg.id} comes before the SE of transaction ${tx.checker.setId} ${JSON.stringify(tx.checker.control)}`,
      );
      this.tx = null;
      this.handler.transactionEnd(tx);
    }
    if (this.afterIsa) {
      this.afterIsa = false;
      // GS has exactly eight elements: the first segment after ISA proves the delimiters.
      const problem = !AFTER_ISA.has(seg.id)
        ? `expected GS after ISA, found ${JSON.stringify(seg.elements.join(seg.delimiters.element).slice(0, 40))}`
        : seg.id === 'GS' && seg.elements.length !== 9
          ? `GS has ${seg.elements.length - 1} elements instead of 8`
          : null;
      if (problem) {
        const d = seg.delimiters;
        throw new ClaimlensError(
          'input_format',
          `segment ${seg.ordinal}: ${problem}; the file does not use the delimiters its ISA declares (element ${JSON.stringify(d.element)}, component ${JSON.stringify(d.component)}, terminator ${JSON.stringify(d.segment)})`,
          { file: this.file, line: seg.ordinal },
        );
      }
    }
    // A final IEA without its terminator is common and harmless; anything else unterminated is truncation.
    if (seg.incomplete && seg.id !== 'IEA') {
      this.error(seg, 'the file ends inside this segment, without a terminator (truncated file)');
      return;
    }
    switch (seg.id) {
      case 'ISA': {
        if (this.interchange) this.closeInterchange(seg, `ISA at segment ${seg.ordinal} before the IEA`);
        this.interchange = {
          control: (seg.elements[13] ?? '').trim(),
          version: (seg.elements[12] ?? '').trim(),
          groups: 0,
          ordinal: seg.ordinal,
        };
        this.interchanges++;
        this.afterIsa = true;
        this.strayReported = false;
        return;
      }
      case 'GS': {
        if (!this.interchange) this.error(seg, 'GS outside an interchange (no ISA before it)');
        if (this.group) this.error(seg, `functional group ${JSON.stringify(this.group.control)} has no GE`);
        if (this.interchange) this.interchange.groups++;
        this.group = {
          functionalId: (seg.elements[1] ?? '').trim(),
          control: (seg.elements[6] ?? '').trim(),
          version: (seg.elements[8] ?? '').trim(),
          date: (seg.elements[4] ?? '').trim(),
          transactions: 0,
          ordinal: seg.ordinal,
        };
        this.strayReported = false;
        return;
      }
      case 'ST': {
        if (!this.group) this.error(seg, 'ST outside a functional group (no GS before it)');
        else this.group.transactions++;
        const group = this.group;
        const interchange = this.interchange;
        const open: OpenTransaction = {
          checker: new TransactionChecker(seg, this.countMismatch),
          group: group
            ? {
                functionalId: group.functionalId,
                control: group.control,
                version: group.version,
                date: group.date,
              }
            : null,
          interchange: interchange ? { control: interchange.control, version: interchange.version } : null,
        };
        this.tx = open;
        this.strayReported = false;
        this.handler.transactionStart(open);
        return;
      }
      case 'GE': {
        if (!this.group) {
          this.error(seg, 'GE without a GS');
          return;
        }
        this.count(
          seg,
          'GE01 (number of transactions)',
          (seg.elements[1] ?? '').trim(),
          this.group.transactions,
        );
        const ge02 = (seg.elements[2] ?? '').trim();
        if (ge02 !== this.group.control) {
          this.error(
            seg,
            `GE02 control number ${JSON.stringify(ge02)} does not match GS06 ${JSON.stringify(this.group.control)}`,
          );
        }
        this.group = null;
        return;
      }
      case 'IEA': {
        if (!this.interchange) {
          this.error(seg, 'IEA without an ISA');
          return;
        }
        if (this.group) {
          this.error(seg, `functional group ${JSON.stringify(this.group.control)} has no GE`);
          this.group = null;
        }
        this.count(
          seg,
          'IEA01 (number of functional groups)',
          (seg.elements[1] ?? '').trim(),
          this.interchange.groups,
        );
        const iea02 = (seg.elements[2] ?? '').trim();
        if (iea02 !== this.interchange.control) {
          this.error(
            seg,
            `IEA02 control number ${JSON.stringify(iea02)} does not match ISA13 ${JSON.stringify(this.interchange.control)}`,
          );
        }
        this.interchange = null;
        return;
      }
      case 'TA1':
        if (this.interchange && !this.group) return;
        break;
      case 'SE':
        this.error(seg, 'SE without an ST');
        return;
    }
    if (!this.strayReported) {
      this.strayReported = true;
      const where = this.interchange
        ? 'outside a transaction (ST..SE)'
        : 'after the IEA, outside any interchange';
      this.error(seg, `segment ${seg.id} ${where}`);
    }
  }

  private closeInterchange(seg: { ordinal: number; id: string }, why: string): void {
    if (this.group)
      this.error(seg, `functional group ${JSON.stringify(this.group.control)} has no GE (${why})`);
    this.group = null;
    if (this.interchange) {
      this.error(seg, `interchange ${JSON.stringify(this.interchange.control)} has no IEA (${why})`);
    }
    this.interchange = null;
  }

  /** End of file: whatever is still open was truncated. */
  end(): void {
    const last = { ordinal: this.segments, id: 'end of file' };
    if (this.tx) {
      this.tx.checker.abort(
        `the file ends before the SE of transaction ${this.tx.checker.setId} ${JSON.stringify(this.tx.checker.control)} (truncated file)`,
      );
      const tx = this.tx;
      this.tx = null;
      this.handler.transactionEnd(tx);
    }
    if (this.interchange || this.group) this.closeInterchange(last, 'the file ends early; truncated file?');
  }
}
