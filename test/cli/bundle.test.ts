import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledCli, fingerprint } from '../../bin/cli-bundle.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'claimlens-fp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the CLI start-up bundle', () => {
  it('takes a new fingerprint when a source file changes, appears or goes', () => {
    mkdirSync(join(dir, 'cli'));
    writeFileSync(join(dir, 'cli', 'main.ts'), 'export {};\n');
    writeFileSync(join(dir, 'a.ts'), 'export const a = 1;\n');
    const first = fingerprint(dir);
    expect(fingerprint(dir)).toBe(first);

    // Same size, new modification time (an editor saving, a checkout).
    utimesSync(join(dir, 'a.ts'), new Date(2030, 0, 1), new Date(2030, 0, 1));
    const touched = fingerprint(dir);
    expect(touched).not.toBe(first);

    writeFileSync(join(dir, 'cli', 'b.json'), '{}');
    const added = fingerprint(dir);
    expect(added).not.toBe(touched);

    rmSync(join(dir, 'cli', 'b.json'));
    expect(fingerprint(dir)).toBe(touched);
  });

  it('runs the current sources, and the same answers as the tsx path', async () => {
    const url = await bundledCli();
    expect(url).toMatch(/node_modules\/\.cache\/claimlens-cli\/[0-9a-f]{16}\/main\.js$/);
    // Every CLI test spawns bin/claimlens.js, so they all run the bundle (test/runner/cli.test.ts
    // builds with the models found next to the sources through import.meta.url); here the two
    // ways of starting must print the same thing.
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['bin/claimlens.js', 'kpi', '--help'], {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
    const bundled = run({});
    const tsx = run({ CLAIMLENS_TSX: '1' });
    expect(bundled.status).toBe(0);
    expect(bundled.stdout).toBe(tsx.stdout);
  });
});
