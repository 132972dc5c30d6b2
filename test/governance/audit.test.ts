// The audit log under concurrent writers (4 processes x 2,500 async appends) and tamper detection:
// edited, deleted, swapped and cut lines each reported with the right line number.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  appendAudit,
  canonicalJson,
  entryHash,
  GENESIS,
  verifyAudit,
} from '../../src/governance/audit.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'claimlens-audit-'));
  dirs.push(d);
  return d;
}

function child(path: string, count: number, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['bin/run-ts.js', 'test/governance/fixtures/audit-writer.ts', path, String(count), name],
      {
        cwd: REPO,
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    p.on('error', reject);
    p.on('exit', (code) => resolve(code ?? -1));
  });
}

async function logOf(n: number): Promise<string> {
  const path = join(temp(), 'claimlens.audit.jsonl');
  for (let i = 0; i < n; i++)
    await appendAudit(path, { actor: 'ana', action: 'kpi', params: { i }, outcome: 'ok' });
  return path;
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').trimEnd().split('\n');
}

describe('audit log', () => {
  it('keeps all 10,000 entries of 4 processes x 2,500 concurrent writes, chained and verified', async () => {
    const path = join(temp(), 'claimlens.audit.jsonl');
    const codes = await Promise.all([0, 1, 2, 3].map((k) => child(path, 2_500, `writer-${k}`)));
    expect(codes).toEqual([0, 0, 0, 0]);
    const v = verifyAudit(path);
    expect(v).toMatchObject({ ok: true, entries: 10_000 });
    const entries = lines(path).map((l) => JSON.parse(l) as AuditEntry);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    for (let k = 0; k < 4; k++) {
      const mine = entries.filter((e) => e.actor === `writer-${k}`).map((e) => e.params!.i as number);
      expect(new Set(mine).size).toBe(2_500);
    }
    expect(entries[0]!.prev).toBe(GENESIS);
    expect(v.head).toBe(entries[9_999]!.hash);
  }, 120_000);

  it('chains each entry to the hash of the one before over its canonical form', async () => {
    const path = await logOf(2);
    const [a, b] = lines(path).map((l) => JSON.parse(l) as AuditEntry);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    expect(a!.hash).toBe(entryHash(a!));
    expect(b!.prev).toBe(a!.hash);
    expect(lines(path)[0]).toBe(canonicalJson(a));
  });

  it('reports an edited line with its number', async () => {
    const path = await logOf(5);
    const l = lines(path);
    l[2] = l[2]!.replace('"i":2', '"i":7');
    writeFileSync(path, `${l.join('\n')}\n`);
    expect(verifyAudit(path).problem).toMatchObject({ line: 3, kind: 'edited' });
  });

  it('reports an edited line whose hash was recomputed at the next line', async () => {
    const path = await logOf(5);
    const l = lines(path);
    const e = JSON.parse(l[1]!) as AuditEntry;
    e.rows = 999;
    e.hash = entryHash(e);
    l[1] = canonicalJson(e);
    writeFileSync(path, `${l.join('\n')}\n`);
    expect(verifyAudit(path).problem).toMatchObject({
      line: 3,
      kind: 'edited',
      message: 'line 3: does not chain to line 2 (its hash changed): line 2 was edited or replaced',
    });
  });

  it('reports a deleted line at the line where it is missing', async () => {
    const path = await logOf(5);
    const l = lines(path);
    l.splice(3, 1);
    writeFileSync(path, `${l.join('\n')}\n`);
    expect(verifyAudit(path).problem).toEqual({
      line: 4,
      kind: 'deleted',
      message: 'line 4: entry 4 is missing before this line: deleted',
    });
  });

  it('reports swapped lines at the first of them', async () => {
    const path = await logOf(5);
    const l = lines(path);
    [l[1], l[2]] = [l[2]!, l[1]!];
    writeFileSync(path, `${l.join('\n')}\n`);
    expect(verifyAudit(path).problem).toEqual({
      line: 2,
      kind: 'reordered',
      message: 'line 2: holds entry 3 where entry 2 belongs: lines were moved',
    });
  });

  it('reports lines cut from the end, against the head file', async () => {
    const path = await logOf(5);
    const l = lines(path);
    writeFileSync(path, `${l.slice(0, 3).join('\n')}\n`);
    expect(verifyAudit(path).problem).toMatchObject({ line: 4, kind: 'truncated' });
  });

  it('reports a line that is not an entry', async () => {
    const path = await logOf(3);
    const l = lines(path);
    l[0] = `${l[0]} `;
    writeFileSync(path, `${l.join('\n')}\n`);
    expect(verifyAudit(path).problem).toMatchObject({ line: 1, kind: 'malformed' });
  });
});
