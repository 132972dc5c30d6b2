// The governance commands end to end, in a project folder of their own: init (key file 0600, never
// overwritten), a missing or exposed key failing loudly, token create, export and audit verify.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Authenticator } from '../../src/governance/auth.ts';
import { authConfigSchema } from '../../src/governance/config.ts';
import { loadKey } from '../../src/governance/key.ts';
import { loadPolicy } from '../../src/governance/policy.ts';
import { type CliRun, runCli } from '../helpers/cli.ts';
import { testWarehouse } from '../helpers/warehouse.ts';

let project: string;
let home: string;
let warehouse: string;

beforeAll(async () => {
  home = process.cwd();
  project = mkdtempSync(join(tmpdir(), 'claimlens-project-'));
  warehouse = join(project, 'claimlens.duckdb');
  const wh = await testWarehouse(
    { payer: [{ payer: 'Acme', payer_type: 'commercial' }] },
    { path: warehouse },
  );
  await wh.close();
  process.chdir(project);
});

afterAll(() => {
  process.chdir(home);
  rmSync(project, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

function run(...args: string[]): Promise<CliRun> {
  return runCli(args);
}

describe('governance commands', () => {
  it('init creates a 0600 key of 32 random bytes and refuses to overwrite it', async () => {
    const first = await run('init');
    expect(first.code).toBe(0);
    const key = join(project, '.claimlens', 'key');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readFileSync(key, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(readFileSync(join(project, '.claimlens', '.gitignore'), 'utf8')).toBe('*\n');
    expect(first.out).toMatch(/^created .*\.claimlens\/key \(fingerprint [0-9a-f]{16}\)/);
    const before = readFileSync(key, 'utf8');
    const again = await run('init');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/a key already exists at .*claimlens never overwrites a key/);
    expect(readFileSync(key, 'utf8')).toBe(before);
  });

  it('a missing, malformed or exposed key is an error, never a fallback', () => {
    expect(() => loadKey(join(project, 'nope'), {})).toThrow(
      /pseudonymization is on but there is no key: run `claimlens init`/,
    );
    expect(() => loadKey(join(project, 'nope'), { CLAIMLENS_KEY: 'abc' })).toThrow(
      /environment variable CLAIMLENS_KEY must hold exactly 64 hex characters/,
    );
    expect(loadKey(join(project, 'nope'), { CLAIMLENS_KEY: 'ab'.repeat(32) }).key).toEqual(
      Buffer.alloc(32, 0xab),
    );
    const exposed = join(project, 'exposed.key');
    writeFileSync(exposed, `${'cd'.repeat(32)}\n`);
    chmodSync(exposed, 0o644);
    expect(() => loadKey(exposed, {})).toThrow(/key file permissions are too open: run `chmod 600/);
  });

  it('token create mints a token the local authenticator accepts; only admin may mint', async () => {
    const made = await run('token', 'create', '--role', 'analyst', '--subject', 'ana');
    expect(made.code).toBe(0);
    const auth = new Authenticator(authConfigSchema.parse({}), loadPolicy(), {
      auditPath: join(project, 'auth.jsonl'),
      localKey: () => loadKey(join(project, '.claimlens', 'key'), {}).key,
    });
    expect(await auth.authenticate(`Bearer ${made.out.trim()}`, 'GET /api/meta')).toEqual({
      subject: 'ana',
      role: 'analyst',
      via: 'local-token',
    });
    const refused = await run('token', 'create', '--role', 'admin', '--as', 'analyst');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('only admin may create API tokens');
  });

  it('export needs --deidentify and a folder under exports/', async () => {
    expect((await run('--warehouse', warehouse, 'export', '--out', 'x')).code).toBe(2);
    const outside = await run('--warehouse', warehouse, 'export', '--deidentify', '--out', '../elsewhere');
    expect(outside.code).toBe(1);
    expect(outside.err).toMatch(/exports may only be written in a folder under .*exports/);
    const ok = await run(
      '--warehouse',
      warehouse,
      'export',
      '--deidentify',
      '--out',
      'one',
      '--tables',
      'payer',
    );
    expect(ok.code).toBe(0);
    expect(readFileSync(join(project, 'exports', 'one', 'payer.csv'), 'utf8').split('\n')[1]).toMatch(
      /^Acme,/,
    );
  });

  it('audit verify passes on the log the commands wrote, and names the line after an edit', async () => {
    // A query as the default role (admin) and a refused unknown role add their entries too.
    expect((await run('--warehouse', warehouse, 'sql', 'SELECT count(*) AS n FROM input.payer')).code).toBe(
      0,
    );
    const unknown = await run('--warehouse', warehouse, 'kpi', 'cost', '--role', 'nobody');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("unknown role 'nobody'");
    const ok = await run('--warehouse', warehouse, 'audit', 'verify');
    expect(ok.code).toBe(0);
    const log = join(project, 'claimlens.audit.jsonl');
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(ok.out).toMatch(new RegExp(`^audit log intact: ${lines.length} entries, head [0-9a-f]{64}\\n$`));
    expect(lines.map((l) => [JSON.parse(l).action, JSON.parse(l).outcome])).toEqual([
      ['init', 'ok'],
      ['token create', 'ok'],
      ['token create', 'refused'],
      ['export', 'refused'],
      ['export', 'ok'],
      ['sql', 'ok'],
      ['kpi', 'refused'],
    ]);
    // Turning the refused token request into a granted one is caught at its line.
    lines[2] = lines[2]!.replace('"outcome":"refused"', '"outcome":"ok"');
    writeFileSync(log, `${lines.join('\n')}\n`);
    const bad = await run('--warehouse', warehouse, 'audit', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.err).toBe(
      `claimlens: ${log}:3: line 3: content does not match its hash: the entry was edited\n`,
    );
    expect(existsSync(`${log}.head`)).toBe(true);
  });
});
