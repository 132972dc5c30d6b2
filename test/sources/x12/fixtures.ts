// Paths to the shared X12 samples and small helpers to build broken variants of them in a temp dir.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DATA = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../../shared/datasets/x12-edi',
);

export function sample(relative: string): string {
  return join(DATA, relative);
}

export function readSample(relative: string): string {
  return readFileSync(sample(relative), 'latin1');
}

/** A temp directory removed by the returned cleanup. */
export function tempDir(): {
  dir: string;
  write: (name: string, text: string) => string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'claimlens-x12-'));
  return {
    dir,
    write: (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text, 'latin1');
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Segments of a `~`-terminated sample without whitespace, to edit and join back. */
export function segmentsOf(text: string): string[] {
  return text
    .split('~')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function join12(segments: string[]): string {
  return `${segments.join('~\n')}~\n`;
}

/** Sums money without float noise. */
export function total(values: (string | number | undefined)[]): number {
  return Math.round(values.reduce<number>((t, v) => t + Number(v ?? 0), 0) * 100) / 100;
}
