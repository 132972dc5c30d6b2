// The source formats `claimlens load --format` knows besides the canonical input files, and the
// recognition of a folder for `--format auto`.
import { readdirSync, statSync } from 'node:fs';
import { ClaimlensError, UsageError } from '../errors.ts';
import type { SourceAdapter, SourceDetection } from './adapter.ts';

const adapters: SourceAdapter[] = [];

/** Adds a source adapter; each adapter module calls this at import time (see sources/index.ts). */
export function registerSource(adapter: SourceAdapter): void {
  if (adapters.some((a) => a.format === adapter.format)) return;
  adapters.push(adapter);
}

export function sourceAdapters(): readonly SourceAdapter[] {
  return adapters;
}

/** The canonical input files (csv, csv.gz, parquet named after the input tables) and their aliases. */
export const CANONICAL_FORMATS = ['canonical', 'csv', 'parquet'] as const;

/** Every name `--format` accepts. */
export function sourceFormats(): string[] {
  return ['auto', ...CANONICAL_FORMATS, ...adapters.map((a) => a.format)];
}

export function findSource(format: string): SourceAdapter | undefined {
  return adapters.find((a) => a.format === format);
}

export type Recognition =
  | { kind: 'canonical'; summary: string }
  | { kind: 'source'; adapter: SourceAdapter; detection: SourceDetection };

function entriesOf(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    return readdirSync(dir)
      .filter((e) => !e.startsWith('.'))
      .sort();
  } catch {
    throw new ClaimlensError(
      'input_missing',
      'not a readable directory: pass the folder that holds the input files',
      { file: dir },
    );
  }
}

/**
 * Says which format a folder is in. With `auto`, the first source adapter that recognizes the folder
 * wins (two recognizing it is an error naming both); a folder no adapter recognizes is read as
 * canonical input files. With a named format, that adapter must recognize the folder.
 */
export function recognize(dir: string, format = 'auto'): Recognition {
  const known = sourceFormats();
  if (!known.includes(format))
    throw new UsageError(`unknown format '${format}': use one of ${known.join(', ')}`);
  const entries = entriesOf(dir);
  if ((CANONICAL_FORMATS as readonly string[]).includes(format)) {
    return { kind: 'canonical', summary: 'canonical input files' };
  }
  const candidates = format === 'auto' ? adapters : adapters.filter((a) => a.format === format);
  const found = candidates.flatMap((adapter) => {
    const detection = adapter.detect(dir, entries);
    return detection ? [{ adapter, detection }] : [];
  });
  if (found.length > 1) {
    throw new ClaimlensError(
      'input_format',
      `the folder looks like ${found.map((f) => f.adapter.title).join(' and like ')}: pass --format to choose`,
      { file: dir },
    );
  }
  const hit = found[0];
  if (hit) return { kind: 'source', ...hit };
  if (format !== 'auto') {
    const adapter = findSource(format)!;
    throw new ClaimlensError(
      'input_format',
      `no ${adapter.title} files here (see ${adapter.docs} for the files it reads)`,
      { file: dir },
    );
  }
  return { kind: 'canonical', summary: 'canonical input files (no other source format recognized)' };
}
