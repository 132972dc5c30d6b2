// The canonical input files of `claimlens load`: which parts of the load directory feed each input
// table, and with which reader (csv, parquet). Source exports (Synthea, SynPUF, FHIR, X12) are
// recognized and mapped by src/sources/ into such files first.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ClaimlensError, UsageError } from '../errors.ts';
import { INPUT_TABLES } from './contract.ts';

/** One file (or other unit) that yields rows of one input table. */
export interface SourcePart {
  /** Name kept in `_source_file`, the quarantine and the load log: the path relative to the load directory. */
  sourceFile: string;
  /** Absolute path of the part. */
  path: string;
  /** Name of the reader that turns the part into rows (see readers.ts). */
  reader: string;
}

/** What an adapter found for one input table. */
export interface AdapterClaim {
  table: string;
  /** Directory entry the claim comes from (a file or a folder), for messages. */
  entry: string;
  parts: SourcePart[];
  /** Entries inside a claimed folder that are not read. */
  ignored: IgnoredEntry[];
}

export interface IgnoredEntry {
  name: string;
  reason: string;
}

export interface InputAdapter {
  /** Names this adapter answers to in `--format`. */
  readonly formats: readonly string[];
  /** Claims the entries of `dir` this adapter reads, limited to the requested formats. */
  detect(dir: string, entries: readonly string[], formats: ReadonlySet<string>): AdapterClaim[];
}

const adapters: InputAdapter[] = [];

/** Adds a reader of canonical files (csv and parquet register below). */
export function registerAdapter(adapter: InputAdapter): void {
  adapters.push(adapter);
}

/** Every format name `--format` accepts, `auto` first. */
export function knownFormats(): string[] {
  return ['auto', ...adapters.flatMap((a) => a.formats)];
}

/** The input of one table in a load: its parts in load order. */
export interface TableInput {
  table: string;
  entry: string;
  parts: SourcePart[];
}

export interface DetectedInput {
  tables: TableInput[];
  ignored: IgnoredEntry[];
}

/**
 * Lists what a load directory holds for each input table. Fails when the directory is missing, the
 * format unknown, or two entries feed the same table.
 */
export function detectInput(dir: string, format = 'auto'): DetectedInput {
  const known = knownFormats();
  if (!known.includes(format)) {
    throw new UsageError(`unknown format '${format}': use one of ${known.join(', ')}`);
  }
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    entries = readdirSync(dir).sort();
  } catch {
    throw new ClaimlensError(
      'input_missing',
      'not a readable directory: pass the folder that holds the input files (eligibility.csv, medical_claim.csv, ...)',
      { file: dir },
    );
  }
  const formats = new Set(format === 'auto' ? known.slice(1) : [format]);
  const claims = adapters
    .filter((a) => a.formats.some((f) => formats.has(f)))
    .flatMap((a) => a.detect(dir, entries, formats));
  const byTable = new Map<string, AdapterClaim[]>();
  for (const claim of claims) byTable.set(claim.table, [...(byTable.get(claim.table) ?? []), claim]);
  const tables: TableInput[] = [];
  for (const spec of INPUT_TABLES) {
    const found = byTable.get(spec.name) ?? [];
    if (found.length > 1) {
      throw new ClaimlensError(
        'input_format',
        `${found.map((c) => c.entry).join(' and ')} all hold table ${spec.name}: keep one of them in ${dir}`,
        { file: join(dir, found[0]!.entry) },
      );
    }
    const claim = found[0];
    if (claim) tables.push({ table: spec.name, entry: claim.entry, parts: claim.parts });
  }
  const claimed = new Set(claims.map((c) => c.entry));
  const ignored = [
    ...entries
      .filter((e) => !claimed.has(e) && !e.startsWith('.'))
      .map((name) => ({ name, reason: ignoredReason(name) })),
    ...claims.flatMap((c) => c.ignored),
  ];
  return { tables, ignored };
}

function ignoredReason(name: string): string {
  const stem = name.toLowerCase().split('.')[0]!;
  if (INPUT_TABLES.some((t) => t.name === stem)) return 'not in a format this load reads';
  return 'not an input table name';
}

/** File name endings of the built-in readers, longest first so `.csv.gz` wins over `.gz`. */
const FILE_KINDS: { suffix: string; reader: 'csv' | 'parquet' }[] = [
  { suffix: '.csv.gz', reader: 'csv' },
  { suffix: '.csv', reader: 'csv' },
  { suffix: '.parquet', reader: 'parquet' },
];

function kindOf(
  name: string,
  formats: ReadonlySet<string>,
): { stem: string; reader: 'csv' | 'parquet' } | undefined {
  const lower = name.toLowerCase();
  const kind = FILE_KINDS.find((k) => lower.endsWith(k.suffix) && formats.has(k.reader));
  return kind ? { stem: lower.slice(0, -kind.suffix.length), reader: kind.reader } : undefined;
}

/**
 * The built-in file adapter: `<table>.csv`, `<table>.csv.gz`, `<table>.parquet`, or a folder `<table>/`
 * of such files, each file a part with its own `_source_file`.
 */
export const fileAdapter: InputAdapter = {
  formats: ['csv', 'parquet'],
  detect(dir, entries, formats) {
    const tables = new Set(INPUT_TABLES.map((t) => t.name));
    const claims: AdapterClaim[] = [];
    for (const entry of entries) {
      const path = join(dir, entry);
      const stat = statSync(path);
      if (stat.isDirectory()) {
        const table = entry.toLowerCase();
        if (!tables.has(table)) continue;
        const parts: SourcePart[] = [];
        const ignored: IgnoredEntry[] = [];
        for (const name of readdirSync(path).sort()) {
          if (name.startsWith('.')) continue;
          const kind = kindOf(name, formats);
          if (kind && statSync(join(path, name)).isFile()) {
            parts.push({ sourceFile: `${entry}/${name}`, path: join(path, name), reader: kind.reader });
          } else {
            ignored.push({ name: `${entry}/${name}`, reason: 'not a csv, csv.gz or parquet part' });
          }
        }
        if (parts.length > 0) claims.push({ table, entry, parts, ignored });
        continue;
      }
      const kind = kindOf(entry, formats);
      if (kind && tables.has(kind.stem)) {
        claims.push({
          table: kind.stem,
          entry,
          parts: [{ sourceFile: entry, path, reader: kind.reader }],
          ignored: [],
        });
      }
    }
    return claims;
  },
};

registerAdapter(fileAdapter);
