import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { header, inputWarehouse, writeModels } from './helpers.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function claimlens(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/claimlens.js', ...args], { cwd: REPO, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('claimlens build and sql', () => {
  it('builds with progress on stderr, then queries read-only', async () => {
    const path = await inputWarehouse();
    const models = writeModels({
      'staging/s.sql': `${header('S', 'id', ['-- column id: Id', '-- column k: Key'])}\nSELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(id, k)`,
    });
    const build = claimlens('-w', path, 'build', '--models', models);
    expect(build.stderr).toMatch(/1\/1 staging\.s +table +2 rows +\d+\.\d\ds/);
    expect(build.stdout).toMatch(
      new RegExp(`^built 1 models \\(1 tables, 0 views\\) in \\d+\\.\\ds into ${path}\\n$`),
    );
    expect(build.code).toBe(0);

    const table = claimlens('-w', path, 'sql', 'SELECT id, k FROM staging.s ORDER BY id', '--limit', '1');
    expect(table.stdout).toBe('id  k\n--  -\n 1  a\n');
    expect(table.stderr).toContain('(first 1 rows shown; --limit N for more, --limit 0 for all)');
    expect(table.code).toBe(0);

    const json = claimlens('-w', path, 'sql', 'SELECT k FROM staging.s ORDER BY id', '--json');
    expect(JSON.parse(json.stdout)).toEqual([{ k: 'a' }, { k: 'b' }]);

    const write = claimlens('-w', path, 'sql', 'DROP TABLE staging.s');
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/^claimlens: claimlens sql only reads the warehouse/);

    expect(claimlens('-w', path, 'sql', 'SELECT 1', '--limit', 'many').code).toBe(2);
  });
});
