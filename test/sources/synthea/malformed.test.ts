// Broken copies of the Synthea sample: each load fails with a ClaimlensError naming the file and the
// line or record, and leaves no warehouse behind.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ClaimlensError } from '../../../src/errors.ts';
import { loadSource } from '../../../src/sources/index.ts';
import { brokenCopy, cleanUp, tempDir } from './fixtures.ts';

afterAll(cleanUp);

async function loadError(dir: string): Promise<ClaimlensError> {
  const warehouse = join(tempDir(), 'w.duckdb');
  try {
    await loadSource(warehouse, dir, { format: 'synthea' });
  } catch (err) {
    expect(err).toBeInstanceOf(ClaimlensError);
    expect(existsSync(warehouse)).toBe(false);
    return err as ClaimlensError;
  }
  throw new Error('the load should have failed');
}

describe('malformed Synthea files', () => {
  it('a bad quote in claims_transactions.csv names the file and line', async () => {
    // Line 101 (record 100): its NOTES field opens a quote that never closes.
    const dir = brokenCopy('claims_transactions.csv', (lines) =>
      lines.map((l, i) => (i === 100 ? l.replace(/,([^,]*),([^,]*)$/, ',"$1,$2') : l)),
    );
    const err = await loadError(dir);
    expect(err.location?.file).toBe('claims_transactions.csv');
    expect(err.location?.line).toBe(101);
    expect(err.describe()).toMatch(/^claims_transactions\.csv:\d+: malformed CSV/);
  });

  it('a missing column in patients.csv names the file, the header line and the column', async () => {
    const dir = brokenCopy('patients.csv', (lines) =>
      lines.map((l) => {
        if (l === '') return l;
        const f = l.split(',');
        f.splice(14, 1); // GENDER
        return f.join(',');
      }),
    );
    const err = await loadError(dir);
    expect(err.location).toEqual({ file: 'patients.csv', line: 1 });
    expect(err.message).toMatch(/lacks column GENDER/);
  });

  it('an empty claims.csv names the file', async () => {
    const dir = brokenCopy('claims.csv', () => []);
    const err = await loadError(dir);
    expect(err.location).toEqual({ file: 'claims.csv', line: 1 });
    expect(err.message).toMatch(/empty/);
  });

  it('a claims.csv with a header and no claims names the file', async () => {
    const dir = brokenCopy('claims.csv', (lines) => [lines[0]!, '']);
    const err = await loadError(dir);
    expect(err.location?.file).toBe('claims.csv');
    expect(err.message).toMatch(/no records/);
  });

  it('an amount that is not a number names the record and its line', async () => {
    // Record 1 of claims_transactions.csv is a CHARGE of 77.49.
    const dir = brokenCopy('claims_transactions.csv', (lines) =>
      lines.map((l, i) => (i === 1 ? l.replace(',CHARGE,77.49,', ',CHARGE,77.4x,') : l)),
    );
    const err = await loadError(dir);
    expect(err.location).toEqual({ file: 'claims_transactions.csv', line: 2 });
    expect(err.message).toBe('record 1: AMOUNT "77.4x" is not a number');
  });

  it('a transaction of a claim that is not in claims.csv names the record', async () => {
    const dir = brokenCopy('claims_transactions.csv', (lines) =>
      lines.map((l, i) => (i === 3 ? l.replace(/^([^,]*),([^,]*),/, '$1,no-such-claim,') : l)),
    );
    const err = await loadError(dir);
    expect(err.location).toEqual({ file: 'claims_transactions.csv', line: 4 });
    expect(err.message).toBe('record 3: CLAIMID "no-such-claim" is not in claims.csv');
  });

  it('a folder without payers.csv says what the adapter needs', async () => {
    const dir = brokenCopy('payers.csv', (l) => l);
    rmSync(join(dir, 'payers.csv'));
    const err = await loadError(dir);
    expect(err.location?.file).toBe('payers.csv');
    expect(err.message).toMatch(/has no payers\.csv/);
  });
});
