// The Synthea sample of ../shared/datasets (27 patients, Synthea v3.0.0; SOURCE.md there) and
// broken copies of it for the error tests.
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SYNTHEA_SAMPLE = '../shared/datasets/synthea-csv';

const made: string[] = [];

/** A temporary folder (removed by `cleanUp`). */
export function tempDir(prefix = 'synthea-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** A copy of the sample with `edit` applied to the text of `file` (lines without their ends). */
export function brokenCopy(file: string, edit: (lines: string[]) => string[]): string {
  const dir = join(tempDir(), 'synthea');
  cpSync(SYNTHEA_SAMPLE, dir, { recursive: true });
  // The shared samples are read-only; the copy must be writable (and removable).
  chmodSync(dir, 0o755);
  for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  writeFileSync(join(dir, file), edit(lines).join('\n'));
  return dir;
}

export function cleanUp(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}
