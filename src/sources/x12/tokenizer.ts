// Streaming X12 tokenizer: reads a file in chunks, takes the delimiters from each ISA segment and
// yields segments with their number and byte offset in batches, so a 1 GB file is never in memory.
import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { ClaimlensError } from '../../errors.ts';
import type { Delimiters, Segment } from './types.ts';

/** ISA is fixed-length: 16 elements of these widths, 106 characters with the terminator. */
const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1] as const;
const ISA_LENGTH = 106;
/** A "segment" longer than this means the terminator declared in ISA is not the one the file uses. */
export const MAX_SEGMENT_BYTES = 1 << 20;
const DEFAULT_CHUNK = 64 * 1024;

export interface TokenizeOptions {
  /** Byte offset to start reading at (default 0). */
  start?: number;
  /** Segment number of the first segment read (default 1). */
  ordinal?: number;
  /** Delimiters in force at `start` when it is inside an interchange. */
  delimiters?: Delimiters;
  chunkSize?: number;
  /**
   * Split only envelope segments (ISA, GS, ST, SE, GE, IEA) into elements; others carry just
   * their id. For checks that need nothing else, such as the reader's look-ahead.
   */
  idsOnly?: boolean;
}

const ENVELOPE = new Set(['ISA', 'GS', 'ST', 'SE', 'GE', 'IEA']);

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function show(c: string): string {
  return JSON.stringify(c);
}

/**
 * Reads the delimiters from a 106-character ISA segment and splits it into elements.
 * Throws a ClaimlensError saying which element is malformed when the ISA is not fixed-length.
 */
export function parseIsa(
  text: string,
  file: string,
  ordinal = 1,
): { delimiters: Delimiters; elements: string[] } {
  const fail = (what: string): never => {
    throw new ClaimlensError('input_format', `segment ${ordinal} (ISA): ${what}`, { file, line: ordinal });
  };
  if (!text.startsWith('ISA')) fail('the interchange does not start with an ISA segment');
  if (text.length < ISA_LENGTH)
    fail(`the file ends inside the ISA segment (${text.length} of 106 characters)`);
  const sep = text[3]!;
  const sepCode = sep.charCodeAt(0);
  if (isAlnum(sepCode) || isBlank(sepCode) || sepCode > 0x7e) {
    fail(`character 4 of ISA (${show(sep)}) cannot be the element separator`);
  }
  const elements = ['ISA'];
  let pos = 4;
  for (let i = 0; i < ISA_WIDTHS.length; i++) {
    const width = ISA_WIDTHS[i]!;
    const name = `ISA${String(i + 1).padStart(2, '0')}`;
    if (i < ISA_WIDTHS.length - 1 && text[pos + width] !== sep) {
      const next = text.indexOf(sep, pos);
      const found = next < 0 ? 'no element separator after it' : `${next - pos} characters`;
      fail(`${name} must be ${width} characters (ISA is fixed-length, 106 characters), found ${found}`);
    }
    elements.push(text.slice(pos, pos + width));
    pos += width + 1;
  }
  const component = text[104]!;
  const segment = text[105]!;
  const compCode = component.charCodeAt(0);
  const segCode = segment.charCodeAt(0);
  if (isAlnum(compCode) || isBlank(compCode) || compCode > 0x7e || component === sep) {
    fail(`ISA16 (${show(component)}) cannot be the component separator`);
  }
  if (isAlnum(segCode) || segCode > 0x7e || segment === sep || segment === component || segment === ' ') {
    fail(`the character after ISA16 (${show(segment)}) cannot be the segment terminator`);
  }
  // 4010 uses ISA11 as the standards identifier ("U"); from 5010 on it is the repetition separator.
  const isa11 = elements[11]!;
  const isa12 = elements[12]!;
  const r = isa11.charCodeAt(0);
  const repetition =
    isa12 >= '00501' && !isAlnum(r) && !isBlank(r) && r <= 0x7e && ![sep, component, segment].includes(isa11)
      ? isa11
      : null;
  return { delimiters: { element: sep, component, repetition, segment }, elements };
}

/**
 * Push-style tokenizer: feed chunks, get the complete segments they close. Keeps only the tail of
 * the last chunk (an unfinished segment) between calls.
 */
export class Tokenizer {
  private readonly file: string;
  private rest: Buffer = Buffer.alloc(0);
  /** File offset of rest[0]. */
  private base: number;
  private ordinal: number;
  private delimiters: Delimiters | null;
  private term = -1;
  private sawFirst: boolean;
  private readonly idsOnly: boolean;

  constructor(file: string, options: TokenizeOptions = {}) {
    this.file = file;
    this.base = options.start ?? 0;
    this.ordinal = (options.ordinal ?? 1) - 1;
    this.delimiters = options.delimiters ?? null;
    if (this.delimiters) this.term = this.delimiters.segment.charCodeAt(0);
    this.sawFirst = this.delimiters !== null;
    this.idsOnly = options.idsOnly ?? false;
  }

  push(chunk: Buffer): Segment[] {
    const data = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    return this.scan(data, false);
  }

  /** Flushes the tail; an unterminated segment comes back flagged `incomplete`. */
  end(): Segment[] {
    const data = this.rest;
    this.rest = Buffer.alloc(0);
    return this.scan(data, true);
  }

  private fatal(what: string, ordinal: number): never {
    throw new ClaimlensError('input_format', `segment ${ordinal}: ${what}`, {
      file: this.file,
      line: ordinal,
    });
  }

  private scan(data: Buffer, final: boolean): Segment[] {
    const out: Segment[] = [];
    const len = data.length;
    // Pure-ASCII chunks (the usual case) are decoded once; others segment by segment as UTF-8.
    const text = isAscii(data) ? data.toString('latin1') : null;
    let pos = 0;
    if (this.base === 0 && len >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) pos = 3;
    for (;;) {
      while (pos < len && isBlank(data[pos]!)) pos++;
      if (pos >= len) break;
      if (data[pos] === 0x49 && (len - pos < 4 ? !final : data[pos + 1] === 0x53 && data[pos + 2] === 0x41)) {
        // A possible ISA: needs its 106 characters before it can be read.
        if (len - pos < 4) break;
        if (!isAlnum(data[pos + 3]!)) {
          if (len - pos < ISA_LENGTH && !final) break;
          const text = data.toString('latin1', pos, Math.min(len, pos + ISA_LENGTH));
          const { delimiters, elements } = parseIsa(text, this.file, this.ordinal + 1);
          this.delimiters = delimiters;
          this.term = delimiters.segment.charCodeAt(0);
          this.sawFirst = true;
          out.push({ id: 'ISA', elements, ordinal: ++this.ordinal, offset: this.base + pos, delimiters });
          pos += ISA_LENGTH;
          continue;
        }
      }
      const delimiters = this.delimiters;
      if (!delimiters || !this.sawFirst) {
        const preview = data.toString('utf8', pos, Math.min(len, pos + 40));
        this.fatal(
          `the file does not start with an ISA segment (it starts with ${show(preview)}); X12 files need the ISA/GS envelope that declares their delimiters`,
          this.ordinal + 1,
        );
      }
      const idx = data.indexOf(this.term, pos);
      if (idx < 0) {
        if (len - pos > MAX_SEGMENT_BYTES) {
          this.fatal(
            `no segment terminator ${show(delimiters.segment)} (declared after ISA16) within ${MAX_SEGMENT_BYTES} bytes: the file uses other delimiters than its ISA declares`,
            this.ordinal + 1,
          );
        }
        if (!final) break;
        out.push(this.segment(data, text, pos, len, delimiters, true));
        pos = len;
        break;
      }
      if (idx - pos > MAX_SEGMENT_BYTES) {
        this.fatal(
          `segment longer than ${MAX_SEGMENT_BYTES} bytes: the file uses other delimiters than its ISA declares`,
          this.ordinal + 1,
        );
      }
      let end = idx;
      while (end > pos && (data[end - 1] === 0x0d || data[end - 1] === 0x0a)) end--;
      if (end > pos) out.push(this.segment(data, text, pos, end, delimiters, false));
      pos = idx + 1;
    }
    this.rest = pos >= len ? Buffer.alloc(0) : Buffer.from(data.subarray(pos));
    this.base += pos;
    return out;
  }

  private segment(
    data: Buffer,
    text: string | null,
    start: number,
    end: number,
    delimiters: Delimiters,
    incomplete: boolean,
  ): Segment {
    const raw = text === null ? data.toString('utf8', start, end) : text.slice(start, end);
    let elements: string[];
    if (this.idsOnly) {
      const cut = raw.indexOf(delimiters.element);
      const id = cut < 0 ? raw : raw.slice(0, cut);
      elements = ENVELOPE.has(id) ? raw.split(delimiters.element) : [id];
    } else {
      elements = raw.split(delimiters.element);
    }
    const seg: Segment = {
      id: elements[0]!,
      elements,
      ordinal: ++this.ordinal,
      offset: this.base + start,
      delimiters,
    };
    if (incomplete) seg.incomplete = true;
    return seg;
  }
}

/** Segments of a file in batches (one per chunk read): the fast path for readers. */
export async function* segmentBatches(
  file: string,
  options: TokenizeOptions = {},
): AsyncGenerator<Segment[]> {
  const stream = createReadStream(file, {
    start: options.start ?? 0,
    highWaterMark: options.chunkSize ?? DEFAULT_CHUNK,
  });
  const tokenizer = new Tokenizer(file, options);
  try {
    for await (const chunk of stream) {
      const batch = tokenizer.push(chunk as Buffer);
      if (batch.length > 0) yield batch;
    }
    const last = tokenizer.end();
    if (last.length > 0) yield last;
  } finally {
    stream.destroy();
  }
}

/**
 * The segments of an X12 file, one at a time, each with its number and byte offset.
 *
 * @example
 * for await (const seg of readSegments('remit.835')) if (seg.id === 'CLP') console.log(seg.elements[1]);
 */
export async function* readSegments(file: string, options: TokenizeOptions = {}): AsyncGenerator<Segment> {
  for await (const batch of segmentBatches(file, options)) yield* batch;
}
