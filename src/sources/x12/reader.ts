// Reads X12 files and directories into input-layer rows with a report. A transaction's rows are
// held until its SE proves it sound; when a transaction grows past BUFFER_LIMIT outputs, a second
// read from its ST checks it ahead, so even a 1 GB single-transaction 835 streams in bounded memory.
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ClaimlensError } from '../../errors.ts';
import { el } from './codes.ts';
import {
  type EnvelopeHandler,
  EnvelopeWalker,
  type OpenTransaction,
  TransactionChecker,
} from './envelope.ts';
import { Map835 } from './map835.ts';
import { Map837 } from './map837.ts';
import type { MapperContext, MapperOutput, TransactionMapper } from './mapper.ts';
import { RemittanceBook } from './remittances.ts';
import { transactionKind } from './segments.ts';
import { segmentBatches } from './tokenizer.ts';
import {
  emptyReport,
  type Segment,
  X12_TABLES,
  type X12FileReport,
  type X12Options,
  type X12Record,
  type X12Report,
  type X12Row,
  type X12Table,
} from './types.ts';

/** Outputs a transaction may hold back before it is checked ahead (look-ahead read from its ST). */
export const BUFFER_LIMIT = 5000;
const MAX_WARNINGS = 200;
const BREAKS_TRANSACTION = new Set(['ISA', 'ST', 'GS', 'GE', 'IEA']);

/** Rows in batches (one per chunk read), iterable once; `report` is complete once the iteration ends. */
export interface X12Stream extends AsyncIterable<X12Row[]> {
  readonly report: X12Report;
}

export interface X12Result {
  tables: Record<X12Table, X12Record[]>;
  report: X12Report;
}

interface OpenState {
  tx: OpenTransaction;
  kind: string;
  mapper: TransactionMapper | null;
  mode: 'buffer' | 'pass' | 'discard' | 'skip';
  buffer: MapperOutput[];
}

/** What is shared by all files of one read: the report, de-duplication and the remittance book. */
class Run {
  readonly report = emptyReport();
  readonly book = new RemittanceBook();
  /** Whether 835 summaries are kept: only when 837 files are still to be read. */
  collectRemittances = false;
  readonly payers = new Set<string>();
  readonly providers = new Set<string>();
  readonly options: X12Options;

  constructor(options: X12Options) {
    this.options = options;
  }

  warn(file: string, segment: number, message: string): void {
    this.report.warningCount++;
    if (this.report.warnings.length < MAX_WARNINGS) this.report.warnings.push({ file, segment, message });
  }
}

/** One file of a run: the envelope handler that turns transactions into rows. */
class FileReader implements EnvelopeHandler {
  private readonly run: Run;
  private readonly file: string;
  private readonly fileReport: X12FileReport;
  private state: OpenState | null = null;
  out: X12Row[] = [];
  needLookahead = false;

  constructor(run: Run, file: string, fileReport: X12FileReport) {
    this.run = run;
    this.file = file;
    this.fileReport = fileReport;
  }

  transactionStart(tx: OpenTransaction): void {
    const setId = tx.checker.setId;
    const version = el(tx.checker.start, 3) || tx.group?.version || '';
    const state: OpenState = {
      tx,
      kind: transactionKind(setId, version),
      mapper: null,
      mode: 'skip',
      buffer: [],
    };
    if (setId === '835' || setId === '837') {
      const ctx: MapperContext = {
        file: this.file,
        dataSource: `x12:${basename(this.file)}`,
        st: tx.checker.start,
        group: tx.group,
        interchange: tx.interchange,
        emit: (o) => this.accept(o),
      };
      state.mapper = setId === '835' ? new Map835(ctx) : new Map837(ctx);
      state.mode = 'buffer';
    }
    this.state = state;
  }

  transactionSegment(seg: Segment): void {
    const s = this.state;
    if (s?.mapper && (s.mode === 'buffer' || s.mode === 'pass')) s.mapper.segment(seg);
  }

  transactionEnd(tx: OpenTransaction): void {
    const s = this.state;
    if (!s) return;
    // The mapper flushes its open loops into the buffer before the verdict is applied.
    if (s.mode === 'buffer' || s.mode === 'pass') s.mapper?.end();
    this.state = null;
    this.needLookahead = false;
    const c = tx.checker;
    for (const w of c.warnings) this.run.warn(this.file, w.segment, w.message);
    const where = {
      file: this.file,
      segment: c.start.ordinal,
      transactionSet: c.setId,
      controlNumber: c.control,
    };
    if (s.mode === 'skip') {
      this.run.report.skipped.push({
        ...where,
        reason: `transaction set ${c.setId || '(empty ST01)'} is not read by claimlens`,
      });
      this.fileReport.skipped++;
      return;
    }
    if (c.ok) {
      for (const o of s.buffer) this.deliver(o);
      s.buffer = [];
      this.run.report.transactions[s.kind] = (this.run.report.transactions[s.kind] ?? 0) + 1;
      this.fileReport.transactions++;
      return;
    }
    s.buffer = [];
    this.run.report.quarantined.push({ ...where, reason: c.reason() });
    this.fileReport.quarantined++;
    if (s.mode === 'pass') {
      // Only if the file changed between the look-ahead and this read.
      this.run.warn(
        this.file,
        c.start.ordinal,
        `segment ${c.start.ordinal}: transaction was checked sound ahead but failed; its rows were already produced`,
      );
    }
  }

  envelopeError(err: ClaimlensError): void {
    if (this.run.options.strict) throw err;
    this.run.report.errors.push(err);
  }

  warning(segment: number, message: string): void {
    this.run.warn(this.file, segment, message);
  }

  private accept(o: MapperOutput): void {
    const s = this.state;
    if (!s) return;
    if (s.mode === 'pass') this.deliver(o);
    else if (s.mode === 'buffer') {
      s.buffer.push(o);
      if (s.buffer.length > BUFFER_LIMIT) this.needLookahead = true;
    }
  }

  private push(table: X12Table, row: X12Record): void {
    this.out.push({ table, row });
    this.run.report.rows[table]++;
  }

  private deliver(o: MapperOutput): void {
    const run = this.run;
    const report = run.report;
    switch (o.kind) {
      case 'row': {
        if (o.table === 'payer') {
          const key = String(o.row.payer);
          if (run.payers.has(key)) return;
          run.payers.add(key);
        } else if (o.table === 'provider') {
          const key = String(o.row.npi);
          if (run.providers.has(key)) return;
          run.providers.add(key);
        } else if (o.table === 'claim_adjustment') report.adjustments++;
        else if (o.table === 'payment') report.payments++;
        this.push(o.table, o.row);
        return;
      }
      case 'claim':
        if (run.book.size > 0 && run.book.apply(o.claimId, o.lines)) report.claimsWithRemittance++;
        report.claims++;
        report.serviceLines += o.lines.length;
        for (const row of o.lines) this.push('medical_claim', row);
        return;
      case 'remit':
        if (run.collectRemittances) run.book.add(o.remit);
        report.remittanceClaims++;
        report.remittanceLines += o.remit.lines.length;
        return;
      case 'skip':
        report.skipped.push(o.problem);
        return;
      case 'warning':
        run.warn(this.file, o.segment, o.message);
        return;
    }
  }

  /**
   * The open transaction holds too much to wait for its SE: read it ahead from its ST with the
   * same checks; if sound, release what is held and pass the rest straight through, else drop it.
   */
  async lookahead(): Promise<void> {
    this.needLookahead = false;
    const s = this.state;
    if (s?.mode !== 'buffer') return;
    const st = s.tx.checker.start;
    const checker = new TransactionChecker(st, this.run.options.countMismatch ?? 'quarantine');
    let closed = false;
    outer: for await (const batch of segmentBatches(this.file, {
      start: st.offset,
      ordinal: st.ordinal,
      delimiters: st.delimiters,
      chunkSize: this.run.options.chunkSize,
      idsOnly: true,
    })) {
      for (const seg of batch) {
        if (seg.ordinal === st.ordinal) continue;
        if (BREAKS_TRANSACTION.has(seg.id)) {
          checker.abort(`segment ${seg.ordinal}: ${seg.id} before SE`);
          closed = true;
          break outer;
        }
        if (checker.push(seg)) {
          closed = true;
          break outer;
        }
      }
    }
    if (!closed) checker.abort('the file ends before the SE');
    if (checker.ok) {
      s.mode = 'pass';
      for (const o of s.buffer) this.deliver(o);
    } else {
      s.mode = 'discard';
    }
    s.buffer = [];
  }
}

async function* readOne(run: Run, file: string, fileReport: X12FileReport): AsyncGenerator<X12Row[]> {
  const reader = new FileReader(run, file, fileReport);
  const walker = new EnvelopeWalker(file, reader, run.options.countMismatch ?? 'quarantine');
  try {
    for await (const batch of segmentBatches(file, { chunkSize: run.options.chunkSize })) {
      for (const seg of batch) {
        walker.push(seg);
        if (reader.needLookahead) await reader.lookahead();
      }
      if (reader.out.length > 0) {
        const rows = reader.out;
        reader.out = [];
        yield rows;
      }
    }
    if (walker.segments === 0) {
      throw new ClaimlensError('input_empty', 'the file is empty: an X12 file starts with an ISA segment', {
        file,
      });
    }
    walker.end();
    if (reader.out.length > 0) yield reader.out;
  } finally {
    fileReport.interchanges = walker.interchanges;
  }
}

function fileReport(file: string, bytes: number): X12FileReport {
  return { file, bytes, interchanges: 0, transactions: 0, quarantined: 0, skipped: 0 };
}

function stream(generate: (run: Run) => AsyncGenerator<X12Row[]>, options: X12Options): X12Stream {
  const run = new Run(options);
  let used = false;
  return {
    report: run.report,
    [Symbol.asyncIterator]: () => {
      if (used) throw new Error('an X12Stream can be iterated only once');
      used = true;
      return generate(run);
    },
  };
}

/**
 * Streams the rows of one X12 file. Throws a ClaimlensError when the file is not readable as X12
 * (no or malformed ISA, delimiters that do not fit); malformed transactions are quarantined and
 * envelope errors reported in `report` (thrown with `strict`).
 *
 * @example
 * const s = openX12File('remit.835');
 * for await (const rows of s) for (const { table, row } of rows) write(table, row);
 * console.log(s.report.quarantined);
 */
export function openX12File(file: string, options: X12Options = {}): X12Stream {
  return stream(async function* (run) {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) throw new ClaimlensError('input_missing', `no X12 file at ${file}`, { file });
    const fr = fileReport(file, info.size);
    run.report.files.push(fr);
    yield* readOne(run, file, fr);
  }, options);
}

const SNIFF_BYTES = 64 * 1024;

/** Reads the head of a file: is it X12 (ISA first), could it be X12 without envelope, does it hold an 835. */
async function sniff(file: string): Promise<{ x12: boolean; envelopeless: boolean; remittance: boolean }> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    const head = buf
      .toString('latin1', 0, bytesRead)
      .replace(/^\u00ef\u00bb\u00bf/, '')
      .trimStart();
    const x12 = /^ISA[^A-Za-z0-9\s]/.test(head);
    const envelopeless = !x12 && /^(GS|ST)[^A-Za-z0-9\s]/.test(head);
    const sep = head[3] ?? '*';
    return { x12, envelopeless, remittance: head.includes(`ST${sep}835${sep}`) };
  } finally {
    await handle.close();
  }
}

/**
 * Streams the rows of every X12 file under a directory (recursively, hidden files skipped). Files
 * holding 835s are read first so their statuses and payments settle the 837 claims read after
 * them. Files that are not X12 are listed in `report.skippedFiles`; files unreadable as X12 are
 * reported in `report.errors` (thrown with `strict`).
 */
export function openX12Directory(dir: string, options: X12Options = {}): X12Stream {
  return stream(async function* (run) {
    const info = await stat(dir).catch(() => null);
    if (!info?.isDirectory())
      throw new ClaimlensError('input_missing', `no directory at ${dir}`, { file: dir });
    const names = (await readdir(dir, { recursive: true })).map(String).sort();
    const remittances: string[] = [];
    const others: string[] = [];
    for (const name of names) {
      if (name.split(/[\\/]/).some((part) => part.startsWith('.'))) continue;
      const file = join(dir, name);
      if (!(await stat(file)).isFile()) continue;
      const kind = await sniff(file);
      if (!kind.x12 && !kind.envelopeless) {
        run.report.skippedFiles.push({ file, reason: 'not an X12 file (it does not start with ISA)' });
        continue;
      }
      (kind.remittance ? remittances : others).push(file);
    }
    run.collectRemittances =
      options.applyRemittances !== false && remittances.length > 0 && others.length > 0;
    for (const file of [...remittances, ...others]) {
      const fr = fileReport(file, (await stat(file)).size);
      run.report.files.push(fr);
      try {
        yield* readOne(run, file, fr);
      } catch (err) {
        if (!(err instanceof ClaimlensError) || options.strict) throw err;
        run.report.errors.push(err);
        fr.error = err.describe();
      }
    }
  }, options);
}

async function collect(s: X12Stream): Promise<X12Result> {
  const tables = Object.fromEntries(X12_TABLES.map((t) => [t, [] as X12Record[]])) as Record<
    X12Table,
    X12Record[]
  >;
  for await (const rows of s) for (const { table, row } of rows) tables[table].push(row);
  return { tables, report: s.report };
}

/** Reads one X12 file into arrays of rows per table (small files; use openX12File for large ones). */
export function readX12File(file: string, options: X12Options = {}): Promise<X12Result> {
  return collect(openX12File(file, options));
}

/** Reads every X12 file under a directory into arrays of rows per table, 835s first. */
export function readX12Directory(dir: string, options: X12Options = {}): Promise<X12Result> {
  return collect(openX12Directory(dir, options));
}
