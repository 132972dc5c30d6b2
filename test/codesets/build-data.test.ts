// The shipped code-set files must be exactly what the build makes from ../shared, and documented.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildCodesets } from '../../src/codesets/build-data.ts';
import { CODESETS, codesetsDir } from '../../src/codesets/registry.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = join(ROOT, '..', 'shared', 'datasets', 'code-sets');

/** Compares content, not gzip bytes, which may differ between zlib versions. */
function content(path: string): string {
  const raw = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

describe('build-data', () => {
  it.skipIf(!existsSync(SHARED))('rebuilds the shipped files identically from ../shared', () => {
    const out = mkdtempSync(join(tmpdir(), 'claimlens-build-'));
    try {
      const outputs = buildCodesets(SHARED, out, codesetsDir());
      expect(outputs.length).toBe(16);
      for (const o of outputs) {
        expect(content(join(out, o.file)), o.file).toBe(content(join(codesetsDir(), o.file)));
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('gzips only the file over 5 MB', () => {
    const gz = CODESETS.filter((c) => c.file.endsWith('.gz')).map((c) => c.name);
    expect(gz).toEqual(['icd10cm']);
    expect(content(join(codesetsDir(), 'icd10cm.csv.gz')).length).toBeGreaterThan(5 * 1024 * 1024);
  });

  it('documents every code set in docs/codesets.md and every shipped file in SOURCES.md', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'codesets.md'), 'utf8');
    const sources = readFileSync(join(codesetsDir(), 'SOURCES.md'), 'utf8');
    for (const spec of CODESETS) {
      expect(docs, spec.name).toContain(`\`${spec.name}\``);
      if (spec.name !== 'ndc_drug_class') expect(sources, spec.file).toContain(`\`${spec.file}\``);
    }
  });
});
