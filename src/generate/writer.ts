// Streaming CSV output: one writer per input table, header derived from the contract, rows built as
// text and flushed with fs.writeSync in blocks of a few MB so memory stays flat whatever the size.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tableSpec } from '../input/contract.ts';
import { DATE_BYTES, dateOffset } from './dates.ts';

const FLUSH_AT = 4 * 1024 * 1024;

/**
 * The columns a table's file carries: the contract's columns, in contract order, restricted to the
 * ones the generator fills. Fails when a required column would be missing or a name is unknown, so
 * the contract stays the single source of column names and order.
 */
export function contractColumns(table: string, populated: readonly string[]): string[] {
  const spec = tableSpec(table);
  const wanted = new Set(populated);
  const known = new Set(spec.columns.map((c) => c.name));
  for (const name of wanted) if (!known.has(name)) throw new Error(`${table}.${name} is not in the contract`);
  for (const c of spec.columns) {
    if (c.required && !wanted.has(c.name)) throw new Error(`${table}.${c.name} is required by the contract`);
  }
  const ordered = spec.columns.filter((c) => wanted.has(c.name)).map((c) => c.name);
  // Row builders concatenate fields in the order they list them; it must be the contract's order.
  if (ordered.join(',') !== populated.join(',')) {
    throw new Error(`${table}: columns must follow contract order: ${ordered.join(',')}`);
  }
  return ordered;
}

/** RFC 4180 quoting, only when the value needs it. */
export function q(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (ch === 44 || ch === 34 || ch === 10 || ch === 13) return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}

/** Cents to a decimal string with 2 places ('-12.05'). */
export function money(cents: number): string {
  if (cents < 0) return `-${money(-cents)}`;
  const whole = Math.floor(cents / 100);
  const rest = cents - whole * 100;
  return rest < 10 ? `${whole}.0${rest}` : `${whole}.${rest}`;
}

/**
 * A table file written row by row. Low-volume tables pass whole rows to `row`; the hot tables encode
 * fields straight into the byte buffer (`begin`, `s`, `c`, `int`, `money`, `date`, `end`), which
 * avoids building and flattening millions of string ropes. All text is ASCII by construction.
 */
export class TableWriter {
  readonly table: string;
  readonly columns: readonly string[];
  readonly path: string;
  rows = 0;
  private readonly buf = Buffer.allocUnsafe(FLUSH_AT);
  private pos = 0;
  private fd: number;

  constructor(dir: string, table: string, populated: readonly string[]) {
    this.table = table;
    this.columns = contractColumns(table, populated);
    this.path = join(dir, `${table}.csv`);
    this.fd = openSync(this.path, 'w');
    this.row(this.columns.join(','));
    this.rows = 0;
  }

  /** Appends one row (fields already joined with commas, no trailing newline). */
  row(line: string): void {
    this.begin(line.length + 1);
    this.s(line);
    this.end();
  }

  /** Starts a row of at most `maxBytes` bytes. */
  begin(maxBytes: number): void {
    if (this.pos + maxBytes > this.buf.length) this.drain();
    if (maxBytes > this.buf.length) throw new Error(`row of ${maxBytes} bytes is too long`);
  }

  /** Text (ASCII). */
  s(text: string): void {
    // Long segments go through the native copy; short ones are cheaper to copy here.
    if (text.length > 40) {
      this.pos += this.buf.write(text, this.pos, 'latin1');
      return;
    }
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < text.length; i++) buf[p++] = text.charCodeAt(i);
    this.pos = p;
  }

  /** A comma. */
  c(): void {
    this.buf[this.pos++] = 44;
  }

  /** A non-negative integer. */
  int(n: number): void {
    const buf = this.buf;
    if (n < 10) {
      buf[this.pos++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    for (let x = n; digits > 0; digits--) {
      const q = Math.floor(x / 10);
      buf[--p] = 48 + (x - q * 10);
      x = q;
    }
  }

  /** Cents as a decimal with 2 places. */
  money(cents: number): void {
    let c = cents;
    if (c < 0) {
      this.buf[this.pos++] = 45;
      c = -c;
    }
    const whole = Math.floor(c / 100);
    const rest = c - whole * 100;
    this.int(whole);
    const buf = this.buf;
    buf[this.pos++] = 46;
    buf[this.pos++] = 48 + Math.floor(rest / 10);
    buf[this.pos++] = 48 + (rest % 10);
  }

  /** A day as YYYY-MM-DD. */
  date(day: number): void {
    const o = dateOffset(day);
    const buf = this.buf;
    const p = this.pos;
    for (let k = 0; k < 10; k++) buf[p + k] = DATE_BYTES[o + k]!;
    this.pos = p + 10;
  }

  /** Ends the row. */
  end(): void {
    this.buf[this.pos++] = 10;
    this.rows++;
  }

  private drain(): void {
    if (this.pos === 0) return;
    writeSync(this.fd, this.buf, 0, this.pos);
    this.pos = 0;
  }

  flush(): void {
    this.drain();
  }

  close(): void {
    this.drain();
    closeSync(this.fd);
  }
}
