// A pseudonymized load leaves no raw identifier in the warehouse file's bytes. The load writes the
// raw rows first and rewrites their identifiers with tokens; DuckDB never overwrites the blocks the
// rewrite frees, so without the file's rewrite at the end of the load the raw values stayed
// readable (on a generated book of 36,659 members: 35,655 raw person ids in a freshly loaded file).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { generateBook } from '../../src/generate/book.ts';
import { tokenOf } from '../../src/governance/hmac.ts';
import { loadDirectory } from '../../src/input/load.ts';

const KEY = Buffer.alloc(32, 11);
let dir: string;
let path: string;
let persons: string[];
let members: string[];

/** The distinct values of one column of a generated CSV file (plain fields: no quoting in ids). */
function column(file: string, name: string): string[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const at = header!.split(',').indexOf(name);
  return [...new Set(lines.map((l) => l.split(',')[at]!).filter((v) => v !== ''))];
}

/**
 * The generator's raw ids found in the warehouse file's bytes: persons P + 9 digits, members a payer
 * prefix of three letters + 9 digits (matched anywhere, as DuckDB stores strings side by side).
 */
function rawIds(): { rawPersons: number; rawMembers: number } {
  const text = readFileSync(path).toString('latin1');
  const words = new Set([...(text.match(/P\d{9}/g) ?? []), ...(text.match(/[A-Z]{3}\d{9}/g) ?? [])]);
  return {
    rawPersons: persons.filter((p) => words.has(p)).length,
    rawMembers: members.filter((m) => words.has(m)).length,
  };
}

async function freeBlocks(): Promise<number> {
  const wh = await Warehouse.open(path, { readOnly: true });
  try {
    const size = await wh.one<{ free_blocks: number; used_blocks: number }>(
      'SELECT free_blocks, used_blocks FROM pragma_database_size()',
    );
    expect(size!.used_blocks).toBeGreaterThan(0);
    return size!.free_blocks;
  } finally {
    await wh.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claimlens-load-file-'));
  const book = join(dir, 'book');
  // Enough lines that DuckDB writes full row groups of the raw rows straight to the file (122,880
  // rows each) before the identifiers are rewritten; small tables stay in the write-ahead log.
  await generateBook({ members: 6000, seed: 5, out: book });
  persons = column(join(book, 'medical_claim.csv'), 'person_id');
  members = column(join(book, 'medical_claim.csv'), 'member_id');
  path = join(dir, 'wh.duckdb');
  await loadDirectory(path, book, { pseudonymize: { key: KEY, directIdentifiers: 'restrict' } });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a pseudonymized load', () => {
  it('leaves no raw person or member id in the warehouse file', () => {
    expect(readdirSync(dir).filter((f) => f.startsWith('wh.duckdb'))).toEqual(['wh.duckdb']);
    expect(persons.length).toBeGreaterThan(5000);
    expect(rawIds()).toEqual({ rawPersons: 0, rawMembers: 0 });
  });

  it('holds no freed blocks, where raw values could hide compressed', async () => {
    expect(await freeBlocks()).toBe(0);
  });

  it('leaves none either when it loads into an existing warehouse', async () => {
    // The second load works on a copy of the file and rewrites that copy before the swap.
    await loadDirectory(path, join(dir, 'book'), {
      pseudonymize: { key: KEY, directIdentifiers: 'restrict' },
    });
    expect(rawIds()).toEqual({ rawPersons: 0, rawMembers: 0 });
    expect(await freeBlocks()).toBe(0);
  });

  it('keeps every loaded row and the pseudonymization record', async () => {
    const wh = await Warehouse.open(path, { readOnly: true });
    try {
      const r = await wh.one<{ persons: number; raw: number; state: number }>(
        `SELECT count(DISTINCT person_id) AS persons,
                count(*) FILTER (WHERE person_id NOT LIKE 'psn_%') AS raw,
                (SELECT count(*) FROM governance.pseudonymization) AS state
         FROM input.medical_claim`,
      );
      expect(r).toEqual({ persons: persons.length, raw: 0, state: expect.any(Number) });
      expect(r!.state).toBeGreaterThan(0);
      const token = await wh.one<{ n: number }>(
        'SELECT count(*) AS n FROM input.medical_claim WHERE person_id = ?',
        [tokenOf(KEY, 'person', persons[0]!)],
      );
      expect(token!.n).toBeGreaterThan(0);
    } finally {
      await wh.close();
    }
  });
});
