// What the loader reads of a CSV file itself, before and beside DuckDB's reader: the header line, and
// the blank lines DuckDB skips without a trace (needed to keep `_source_line` equal to the line in the file).
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { ClaimlensError } from '../errors.ts';

const CHUNK = 64 * 1024;
const MAX_HEADER_BYTES = 1024 * 1024;

const GZIP_HELP = 'not a valid gzip file: compress it again with gzip, or load it uncompressed as .csv';

function isGzip(path: string): boolean {
  return path.toLowerCase().endsWith('.gz');
}

/** The first bytes of a file, decompressed when it is gzip; enough to hold its first line. */
function headBytes(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    let raw = Buffer.alloc(0);
    for (;;) {
      const buf = Buffer.alloc(CHUNK);
      const n = readSync(fd, buf, 0, CHUNK, raw.length);
      raw = Buffer.concat([raw, buf.subarray(0, n)]);
      let text = raw;
      if (isGzip(path) && raw.length > 0) {
        try {
          // A sync flush decompresses the prefix we have without needing the end of the stream.
          text = gunzipSync(raw, { finishFlush: constants.Z_SYNC_FLUSH });
        } catch {
          throw new ClaimlensError('input_format', GZIP_HELP, { file: path });
        }
      }
      if (n === 0 || text.includes(0x0a) || text.length > MAX_HEADER_BYTES) return text;
    }
  } finally {
    closeSync(fd);
  }
}

/** Splits one CSV line into fields (RFC 4180 quoting with doubled quotes). */
export function splitCsvLine(line: string): string[] | undefined {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      out.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  if (quoted) return undefined;
  out.push(field);
  return out;
}

/**
 * The column names on line 1 of a CSV file, trimmed. Fails, naming the file, when the file is empty
 * or its first line holds no header.
 */
export function readCsvHeader(path: string): string[] {
  const head = headBytes(path);
  if (head.length === 0) {
    throw new ClaimlensError(
      'input_empty',
      'the file is empty: export it again with a header line and its rows, or remove it',
      { file: path, line: 1 },
    );
  }
  let end = head.indexOf(0x0a);
  if (end < 0) end = head.length;
  let line = head.subarray(0, end).toString('utf8');
  if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  line = line.replace(/\r$/, '');
  const fields = splitCsvLine(line);
  if (!fields || fields.every((f) => f.trim() === '')) {
    throw new ClaimlensError(
      'input_header',
      'line 1 holds no header: the first line must name the columns, separated by commas',
      { file: path, line: 1 },
    );
  }
  return fields.map((f) => f.trim());
}

/** What a scan of the data lines found. */
export interface CsvBodyScan {
  /** Line numbers of empty lines (DuckDB skips them in files with more than one column, so they take no row). */
  blankLines: number[];
  /**
   * Whether some field may start or end with a space or tab. When false no value needs trimming, which
   * saves DuckDB a string function per value (machine-written extracts rarely pad their fields).
   */
  mayNeedTrim: boolean;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const QUOTE = 0x22;

/** A space or tab next to a field boundary (comma, quote, line end) can be leading or trailing whitespace. */
function touchesBoundary(before: number, after: number): boolean {
  return (
    before === COMMA ||
    before === QUOTE ||
    before === LF ||
    after === COMMA ||
    after === QUOTE ||
    after === LF ||
    after === CR ||
    after === -1
  );
}

/**
 * Visits a file (decompressed when gzip) chunk by chunk, each with the first byte after it (-1 at the
 * end). Plain files are read synchronously into two reused buffers: half the CPU of a stream.
 */
async function forEachChunk(
  path: string,
  chunkSize: number,
  visit: (chunk: Buffer, next: number) => void,
): Promise<void> {
  if (isGzip(path)) {
    const stream = createReadStream(path, { highWaterMark: chunkSize }).pipe(createGunzip({ chunkSize }));
    let held: Buffer | undefined;
    try {
      for await (const data of stream) {
        const chunk = data as Buffer;
        if (chunk.length === 0) continue;
        if (held) visit(held, chunk[0]!);
        held = chunk;
      }
    } catch (err) {
      throw new ClaimlensError('input_format', `${GZIP_HELP} (${(err as Error).message})`, { file: path });
    }
    if (held) visit(held, -1);
    return;
  }
  const fd = openSync(path, 'r');
  try {
    let held = Buffer.alloc(chunkSize);
    let spare = Buffer.alloc(chunkSize);
    let heldLength = readSync(fd, held, 0, chunkSize, null);
    while (heldLength > 0) {
      const length = readSync(fd, spare, 0, chunkSize, null);
      visit(held.subarray(0, heldLength), length > 0 ? spare[0]! : -1);
      [held, spare] = [spare, held];
      heldLength = length;
    }
  } finally {
    closeSync(fd);
  }
}

const BLANK_LF = Buffer.from('\n\n');
const BLANK_CRLF = Buffer.from('\n\r\n');

/**
 * Scans the lines after the header with byte searches, not a JavaScript loop per byte or per line:
 * whether any field may need trimming (conservative: quoted text like "a, b" also says yes), and
 * the blank lines. Lines are only counted, in a second pass, when the file has a blank line.
 */
export async function scanCsvBody(path: string, chunkSize = 4 << 20): Promise<CsvBodyScan> {
  let mayNeedTrim = false;
  let hasBlank = false;
  let inHeader = true;
  // The two bytes before the current chunk, so patterns split across chunks are still seen.
  let prev1 = -1;
  let prev2 = -1;
  await forEachChunk(path, chunkSize, (chunk, next) => {
    // Whitespace on the header line is trimmed when the header is read; only data lines count.
    let dataStart = 0;
    if (inHeader) {
      const end = chunk.indexOf(LF);
      dataStart = end < 0 ? chunk.length : end + 1;
      inHeader = end < 0;
    }
    for (const ws of [SPACE, TAB]) {
      let at = mayNeedTrim ? -1 : chunk.indexOf(ws, dataStart);
      while (at >= 0) {
        const before = at > 0 ? chunk[at - 1]! : prev1;
        const after = at + 1 < chunk.length ? chunk[at + 1]! : next;
        if (touchesBoundary(before, after)) {
          mayNeedTrim = true;
          break;
        }
        at = chunk.indexOf(ws, at + 1);
      }
    }
    if (!hasBlank) {
      const seam = Buffer.from([prev2, prev1, ...chunk.subarray(0, 2)].filter((b) => b >= 0));
      hasBlank = [chunk, seam].some((b) => b.includes(BLANK_LF) || b.includes(BLANK_CRLF));
    }
    prev2 = chunk.length >= 2 ? chunk[chunk.length - 2]! : prev1;
    prev1 = chunk[chunk.length - 1]!;
  });
  const blankLines = hasBlank ? await blankLineNumbers(path, chunkSize) : [];
  return { blankLines, mayNeedTrim };
}

/** Line numbers of the empty lines after the header; one indexOf per line, so only run when there are some. */
async function blankLineNumbers(path: string, chunkSize: number): Promise<number[]> {
  const blanks: number[] = [];
  let newlines = 0;
  let prev1 = -1;
  let prev2 = -1;
  await forEachChunk(path, chunkSize, (chunk) => {
    let pos = chunk.indexOf(LF);
    while (pos >= 0) {
      const b1 = pos >= 1 ? chunk[pos - 1]! : prev1;
      const b2 = pos >= 2 ? chunk[pos - 2]! : pos === 1 ? prev1 : prev2;
      // This newline ends line `newlines + 1`; the line is blank when the newline before it ends it at once.
      if (newlines > 0 && (b1 === LF || (b1 === CR && b2 === LF))) blanks.push(newlines + 1);
      newlines++;
      pos = chunk.indexOf(LF, pos + 1);
    }
    prev2 = chunk.length >= 2 ? chunk[chunk.length - 2]! : prev1;
    prev1 = chunk[chunk.length - 1]!;
  });
  return blanks;
}
