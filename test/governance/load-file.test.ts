// A pseudonymized load leaves no raw identifier in the warehouse file's bytes. It writes tokens in
// its first pass, but DuckDB does not clear the unused tails of the blocks it writes, which can hold
// raw text the load read (duckdb/duckdb#23382), and a load over rows an earlier load wrote raw frees
// blocks that keep them: the load rewrites the file from a fresh instance. Before that rewrite, a
// load that wrote raw values and tokenized them later left 35,655 of the 36,659 raw person ids of a
// generated book in a freshly loaded file.
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
let ssns: string[];

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
function rawIds(file = path): { rawPersons: number; rawMembers: number; rawSsns: number } {
  const text = readFileSync(file).toString('latin1');
  const words = new Set([
    ...(text.match(/P\d{9}/g) ?? []),
    ...(text.match(/[A-Z]{3}\d{9}/g) ?? []),
    ...(text.match(/\d{3}-\d{2}-\d{4}/g) ?? []),
  ]);
  return {
    rawPersons: persons.filter((p) => words.has(p)).length,
    rawMembers: members.filter((m) => words.has(m)).length,
    rawSsns: ssns.filter((s) => words.has(s)).length,
  };
}

const NONE = { rawPersons: 0, rawMembers: 0, rawSsns: 0 };

async function freeBlocks(file = path): Promise<number> {
  const wh = await Warehouse.open(file, { readOnly: true });
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
  ssns = column(join(book, 'eligibility.csv'), 'social_security_number');
  path = join(dir, 'wh.duckdb');
  await loadDirectory(path, book, { pseudonymize: { key: KEY, directIdentifiers: 'restrict' } });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a pseudonymized load', () => {
  it('leaves no raw person id, member id or SSN in the warehouse file', () => {
    expect(readdirSync(dir).filter((f) => f.startsWith('wh.duckdb'))).toEqual(['wh.duckdb']);
    expect(persons.length).toBeGreaterThan(5000);
    expect(ssns.length).toBeGreaterThan(5000);
    expect(rawIds()).toEqual(NONE);
  });

  it('holds no freed blocks: the file was rewritten with its live data only', async () => {
    expect(await freeBlocks()).toBe(0);
  });

  it('leaves none either when it loads into an existing warehouse', async () => {
    await loadDirectory(path, join(dir, 'book'), {
      pseudonymize: { key: KEY, directIdentifiers: 'restrict' },
    });
    expect(rawIds()).toEqual(NONE);
  });

  it('leaves none of the rows it replaces that an earlier load wrote raw', async () => {
    const other = join(dir, 'raw.duckdb');
    await loadDirectory(other, join(dir, 'book'));
    // Most raw ids are readable in a raw load's file (some only inside compressed strings).
    expect(rawIds(other).rawPersons).toBeGreaterThan(persons.length / 2);
    await loadDirectory(other, join(dir, 'book'), {
      pseudonymize: { key: KEY, directIdentifiers: 'restrict' },
    });
    expect(rawIds(other)).toEqual(NONE);
    expect(await freeBlocks(other)).toBe(0);
  });

  it('keeps every row on its source line: the token lookups stream the file in order', async () => {
    const lines = readFileSync(join(dir, 'book', 'medical_claim.csv'), 'utf8').split('\n');
    const wh = await Warehouse.open(path, { readOnly: true });
    try {
      const rows = await wh.all<{ claim_id: string; claim_line_number: number; _source_line: number }>(
        'SELECT claim_id, claim_line_number, _source_line FROM input.medical_claim',
      );
      expect(rows.length).toBe(lines.filter((l) => l !== '').length - 1);
      const misplaced = rows.filter(
        (r) => !lines[r._source_line - 1]!.startsWith(`${r.claim_id},${r.claim_line_number},`),
      );
      expect(misplaced.length).toBe(0);
    } finally {
      await wh.close();
    }
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
