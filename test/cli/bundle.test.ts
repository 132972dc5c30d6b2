import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundledCli, bundledWorker, fingerprint } from '../../bin/cli-bundle.js';

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

  it('bundles every worker entry, so workers started from the bundle do not load tsx', async () => {
    const main = (await bundledCli())!;
    const sources = readdirSync(join(REPO, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('-worker.ts'))
      .sort();
    expect(sources).toEqual(['generate/shard-worker.ts', 'ml/batch-worker.ts', 'ml/hist-worker.ts']);
    for (const source of sources) {
      const url = bundledWorker(main, new URL(`../../src/${source}`, import.meta.url));
      expect(url?.href).toBe(new URL(`workers/${source.replace(/\.ts$/, '.js')}`, main).href);
      expect(existsSync(url!)).toBe(true);
    }
    expect(bundledWorker(main, new URL('../../src/worker.ts', import.meta.url))).toBeUndefined();
  });

  it('generates the same book through bundled shard workers as through tsx', () => {
    // 10,000 members make two shards (5,000 at least each), the second on a worker thread.
    const files = (env: Record<string, string>) => {
      const out = join(dir, `book-${env.CLAIMLENS_TSX ?? 'bundle'}`);
      const args = ['--quiet', 'generate', '--members', '10000', '--seed', '4', '--out', out];
      const r = spawnSync(process.execPath, ['bin/claimlens.js', ...args], {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
    };
    const bundled = files({});
    const tsx = files({ CLAIMLENS_TSX: '1' });
    expect(Object.keys(bundled)).toHaveLength(10);
    expect(bundled).toEqual(tsx);
  });
});
