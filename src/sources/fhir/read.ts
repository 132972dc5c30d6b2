// Reading a FHIR R4 export: NDJSON bulk-export files (one resource per line, `Type.ndjson`,
// `Type_1.ndjson`, optionally gzipped) and JSON files holding a Bundle (searchset, collection,
// batch, transaction) or a single resource. Files are streamed line by line; every line is checked
// with JSON.parse, and a malformed line, a line of the wrong resource type or an empty file is a
// ClaimlensError naming the file and the record (line) number.
import {
  closeSync,
  createReadStream,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip, gunzipSync } from 'node:zlib';
import { sourceError } from '../staging.ts';

/** Resource types the adapter maps; others in a mixed file are counted and skipped. */
export const MAPPED_TYPES = [
  'ExplanationOfBenefit',
  'Patient',
  'Coverage',
  'Claim',
  'Organization',
  'Practitioner',
] as const;

/** Types whose presence in a file's first record makes the folder a FHIR export. */
const ANCHOR_TYPES = new Set(['ExplanationOfBenefit', 'Patient', 'Coverage', 'Claim']);

export type FhirResource = Record<string, unknown> & { resourceType: string; id?: string };

export interface FhirRecord {
  file: string;
  /** NDJSON: 1-based line number; Bundle: 1-based entry number. */
  record: number;
  resource: FhirResource;
  /** Bundle fullUrl → `Type/id`, for references inside a Bundle that use `urn:uuid:` full URLs. */
  aliases?: ReadonlyMap<string, string>;
}

const NDJSON = /\.(ndjson|jsonl)(\.gz)?$/i;
const JSONFILE = /\.json(\.gz)?$/i;
const HEAD_BYTES = 65536;
/** A Bundle is parsed whole: above this size the export should be NDJSON. */
const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

/** The resource type a bulk-export file name announces (`ExplanationOfBenefit_2.ndjson` → ExplanationOfBenefit). */
export function typeFromName(file: string): string | undefined {
  const base = file.split('/').pop() ?? file;
  const m = /^([A-Z][A-Za-z]+)(?:[-_.]\d+)*\.(?:ndjson|jsonl)(?:\.gz)?$/.exec(base);
  return m?.[1];
}

function head(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, buf.length, 0);
    if (path.toLowerCase().endsWith('.gz')) {
      try {
        // A truncated gzip stream: take what inflates.
        return gunzipSync(buf.subarray(0, n), { finishFlush: 2 }).toString('utf8');
      } catch {
        return '';
      }
    }
    return buf.toString('utf8', 0, n);
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** What a file looks like from its first bytes: the first resourceType, and whether it is a Bundle. */
function sniff(path: string): { first?: string; types: Set<string> } {
  const text = head(path).replace(/^\uFEFF/, '');
  const types = new Set<string>();
  for (const m of text.matchAll(/"resourceType"\s*:\s*"([A-Za-z]+)"/g)) types.add(m[1]!);
  const first = /"resourceType"\s*:\s*"([A-Za-z]+)"/.exec(text)?.[1];
  return { first, types };
}

/**
 * The FHIR files among a folder's entries (and one level of subfolders): NDJSON whose name or first
 * line names a mapped resource type, and JSON files holding a Bundle or a resource of those types.
 */
export function fhirFiles(dir: string, entries: readonly string[]): string[] {
  const found: string[] = [];
  const visit = (names: readonly string[], depth: number) => {
    for (const name of names) {
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory() && depth === 0) {
        visit(
          readdirSync(path)
            .filter((e) => !e.startsWith('.'))
            .sort()
            .map((e) => join(name, e)),
          depth + 1,
        );
        continue;
      }
      if (!stat?.isFile()) continue;
      if (NDJSON.test(name)) {
        const named = typeFromName(name);
        if (named && (MAPPED_TYPES as readonly string[]).includes(named)) found.push(name);
        else if (stat.size === 0) continue;
        else {
          const { first } = sniff(path);
          if (first && ANCHOR_TYPES.has(first)) found.push(name);
        }
      } else if (JSONFILE.test(name)) {
        const { first, types } = sniff(path);
        if (
          first === 'Bundle' ? [...types].some((t) => ANCHOR_TYPES.has(t)) : first && ANCHOR_TYPES.has(first)
        )
          found.push(name);
      }
    }
  };
  visit(entries, 0);
  return found;
}

function lines(path: string) {
  const raw = createReadStream(path);
  const input = path.toLowerCase().endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  return createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
}

function describeJsonError(err: unknown): string {
  return String((err as Error).message ?? err).split('\n')[0]!;
}

function checkResource(
  file: string,
  record: number | undefined,
  value: unknown,
  where: string,
): FhirResource {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw sourceError(file, `${where} is not a JSON object: expected one FHIR resource`, record);
  }
  const type = (value as Record<string, unknown>).resourceType;
  if (typeof type !== 'string' || type === '') {
    throw sourceError(file, `${where} has no resourceType: expected a FHIR resource`, record);
  }
  return value as FhirResource;
}

/**
 * Streams the records of one NDJSON file. A file named after a resource type must hold only that
 * type. Blank lines are skipped; a file without any record is an error.
 */
export async function* readNdjson(dir: string, file: string): AsyncGenerator<FhirRecord> {
  const expected = typeFromName(file);
  let line = 0;
  let records = 0;
  const reader = lines(join(dir, file));
  try {
    for await (const text of reader) {
      line++;
      const trimmed = line === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
      if (trimmed === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch (err) {
        throw sourceError(
          file,
          `record ${line} is not valid JSON (${describeJsonError(err)}): NDJSON needs one complete resource per line`,
          line,
        );
      }
      const resource = checkResource(file, line, value, `record ${line}`);
      if (expected && resource.resourceType !== expected) {
        throw sourceError(
          file,
          `record ${line} is a ${resource.resourceType}, but the file name says it holds ${expected} resources`,
          line,
        );
      }
      records++;
      yield { file, record: line, resource };
    }
  } catch (err) {
    if (
      (err as { code?: string }).code === 'Z_DATA_ERROR' ||
      (err as { code?: string }).code === 'Z_BUF_ERROR'
    ) {
      throw sourceError(
        file,
        `the gzip stream is corrupt after line ${line}: ${describeJsonError(err)}`,
        line + 1,
      );
    }
    throw err;
  } finally {
    reader.close();
  }
  if (records === 0) throw sourceError(file, 'the file is empty: expected one FHIR resource per line', 1);
}

/** Line number of a character offset, for JSON.parse errors that give a position. */
function lineAt(text: string, position: number): number {
  let n = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** The records of a JSON file: the entries of a Bundle (record = entry number), or one resource. */
export function readJsonFile(dir: string, file: string): FhirRecord[] {
  const path = join(dir, file);
  const size = statSync(path).size;
  if (size > MAX_BUNDLE_BYTES) {
    throw sourceError(file, `the Bundle is ${Math.round(size / 1e6)} MB: export large data sets as NDJSON`);
  }
  const buf = readFileSync(path);
  const text = (file.toLowerCase().endsWith('.gz') ? gunzipSync(buf) : buf)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (text.trim() === '') throw sourceError(file, 'the file is empty: expected a FHIR Bundle or resource', 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const msg = describeJsonError(err);
    const pos = /position (\d+)/.exec(msg);
    const at = pos ? lineAt(text, Number(pos[1])) : undefined;
    throw sourceError(file, `not valid JSON (${msg})`, at);
  }
  const top = checkResource(file, undefined, value, 'the file');
  if (top.resourceType !== 'Bundle') return [{ file, record: 1, resource: top }];
  const entries = (top as { entry?: unknown }).entry;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw sourceError(
      file,
      'the Bundle has no entries: expected ExplanationOfBenefit, Patient or Coverage resources',
    );
  }
  const records: FhirRecord[] = [];
  const aliases = new Map<string, string>();
  entries.forEach((entry, i) => {
    const resource = (entry as { resource?: unknown } | null)?.resource;
    if (resource === undefined) throw sourceError(file, `Bundle entry ${i + 1} has no resource`);
    const r = checkResource(file, undefined, resource, `Bundle entry ${i + 1}`);
    const fullUrl = (entry as { fullUrl?: unknown }).fullUrl;
    if (typeof fullUrl === 'string' && r.id) aliases.set(fullUrl, `${r.resourceType}/${r.id}`);
    records.push({ file, record: i + 1, resource: r, aliases });
  });
  return records;
}

/** Every record of the export, file by file (NDJSON streamed). */
export async function* readExport(dir: string, files: readonly string[]): AsyncGenerator<FhirRecord> {
  for (const file of files) {
    if (NDJSON.test(file)) yield* readNdjson(dir, file);
    else yield* readJsonFile(dir, file);
  }
}
