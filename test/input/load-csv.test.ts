import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { register } from '../../src/cli/commands/load.ts';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { scanCsvBody, splitCsvLine } from '../../src/input/csv.ts';
import { loadInto } from '../../src/input/load.ts';
import { claimsCsv, ELIGIBILITY_CSV, inputDir } from './load-fixtures.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await Warehouse.open(':memory:', { threads: 1 });
});
afterEach(async () => {
  await wh.close();
});

const loaded = () =>
  wh.all<{ claim_id: string; _source_line: number }>(
    'SELECT claim_id, _source_line FROM input.medical_claim ORDER BY _source_line',
  );

/** A claim line with every required field valid, for hand-written malformed files. */
const line = (id: string, plan = 'gold') =>
  `${id},1,professional,P1,M1,acme,${plan},2023-02-01,2023-02-03,80.00,100.00,E11.9,paid`;
const HEADER = claimsCsv([]);

describe('CSV structure', () => {
  it('quarantines bad quoting and wrong field counts with their lines; later rows keep exact lines', async () => {
    const csv = [
      HEADER, // 1
      line('C1'), // 2
      line('C2', '"gold"x'), // 3: text after a closing quote
      line('C3'), // 4
      `${line('C4')},extra`, // 5: one field too many
      line('C5'), // 6
      'C6,1,professional', // 7: fields missing
      '', // 8: blank, skipped
      line('C7'), // 9
    ].join('\n');
    const report = await loadInto(
      wh,
      inputDir({ 'eligibility.csv': ELIGIBILITY_CSV, 'medical_claim.csv': csv }),
    );
    const mc = report.tables[1]!;
    expect([mc.rowsRead, mc.rowsLoaded, mc.rowsQuarantined]).toEqual([7, 4, 3]);
    expect(await loaded()).toEqual([
      { claim_id: 'C1', _source_line: 2 },
      { claim_id: 'C3', _source_line: 4 },
      { claim_id: 'C5', _source_line: 6 },
      { claim_id: 'C7', _source_line: 9 },
    ]);
    expect(
      await wh.all('SELECT source_line, rule, record FROM input.quarantine ORDER BY source_line'),
    ).toEqual([
      { source_line: 3, rule: 'csv_unquoted_value', record: line('C2', '"gold"x') },
      { source_line: 5, rule: 'csv_too_many_columns', record: `${line('C4')},extra` },
      { source_line: 7, rule: 'csv_missing_columns', record: 'C6,1,professional' },
    ]);
    expect(mc.byRule).toEqual({ csv_missing_columns: 1, csv_too_many_columns: 1, csv_unquoted_value: 1 });
  });

  it('reads CRLF line ends, quoted commas and doubled quotes, and trims spaces and tabs', async () => {
    const csv = [
      `${HEADER},prior_authorization_number`,
      `${line('C1', '"gold, plus"')},"A""1"`,
      '',
      `${line(' C2 ', '\tsilver ')},   `,
      `${line('C3').replace('P1', '  ')},`,
    ].join('\r\n');
    await loadInto(wh, inputDir({ 'eligibility.csv': ELIGIBILITY_CSV, 'medical_claim.csv': csv }));
    expect(
      await wh.all(
        'SELECT claim_id, plan, prior_authorization_number, _source_line FROM input.medical_claim ORDER BY 1',
      ),
    ).toEqual([
      { claim_id: 'C1', plan: 'gold, plus', prior_authorization_number: 'A"1', _source_line: 2 },
      { claim_id: 'C2', plan: 'silver', prior_authorization_number: null, _source_line: 4 },
    ]);
    expect(await wh.all('SELECT source_line, rule, column_name FROM input.quarantine')).toEqual([
      { source_line: 5, rule: 'required', column_name: 'person_id' },
    ]);
  });

  it('reads gzip-compressed CSV', async () => {
    const dir = inputDir({
      'eligibility.csv.gz': gzipSync(ELIGIBILITY_CSV),
      'medical_claim.csv.gz': gzipSync([HEADER, line('C1'), '', line('C2')].join('\n')),
    });
    const report = await loadInto(wh, dir);
    expect(report.tables.map((t) => [t.table, t.files[0]!.sourceFile, t.rowsLoaded])).toEqual([
      ['eligibility', 'eligibility.csv.gz', 2],
      ['medical_claim', 'medical_claim.csv.gz', 2],
    ]);
    expect(await loaded()).toEqual([
      { claim_id: 'C1', _source_line: 2 },
      { claim_id: 'C2', _source_line: 4 },
    ]);
  });

  it('fails on a header naming a column twice', async () => {
    const dir = inputDir({ 'eligibility.csv': ELIGIBILITY_CSV, 'medical_claim.csv': `${HEADER},CLAIM_ID\n` });
    await expect(loadInto(wh, dir)).rejects.toThrow('column CLAIM_ID appears twice in the header');
  });
});

describe('scanCsvBody and splitCsvLine', () => {
  const scan = (content: string | Buffer) => {
    const path = join(inputDir({}), 'x.csv');
    writeFileSync(path, content);
    return scanCsvBody(path);
  };

  it('finds blank lines (LF and CRLF) and whether a field may need trimming', async () => {
    expect(await scan('a,b\n1,2\n\n3,4\n\n')).toEqual({ blankLines: [3, 5], mayNeedTrim: false });
    expect(await scan('a,b\r\n1,2\r\n\r\n3,4\r\n')).toEqual({ blankLines: [3], mayNeedTrim: false });
    expect(await scan(' a , b \n1,two words\n')).toEqual({ blankLines: [], mayNeedTrim: false });
    expect(await scan('a,b\n1, 2\n')).toEqual({ blankLines: [], mayNeedTrim: true });
    expect(await scan('a,b\n1,"2\t"\n')).toEqual({ blankLines: [], mayNeedTrim: true });
    expect(await scan('a,b\n1,2 ')).toEqual({ blankLines: [], mayNeedTrim: true });
  });

  it('sees patterns split across read chunks', async () => {
    const path = join(inputDir({}), 'x.csv');
    const scanIn = (content: string, chunk: number) => {
      writeFileSync(path, content);
      return scanCsvBody(path, chunk);
    };
    // 'a,b\n' is 4 bytes: with 4-byte chunks every data line starts a chunk.
    expect(await scanIn('a,b\n1,2\n\n3,4\n', 4)).toEqual({ blankLines: [3], mayNeedTrim: false });
    expect(await scanIn('a,b\n1,2\r\n\r\n3,4\n', 5)).toEqual({ blankLines: [3], mayNeedTrim: false });
    // A space ending a chunk, the comma after it starting the next.
    expect(await scanIn('a,b\n1,2 ,3\n', 8)).toEqual({ blankLines: [], mayNeedTrim: true });
    expect(await scanIn('a,b\n1,2 x,3\n', 8)).toEqual({ blankLines: [], mayNeedTrim: false });
    // A header longer than a chunk: its spaces do not count.
    expect(await scanIn('a , b , c\n1,2,3\n', 2)).toEqual({ blankLines: [], mayNeedTrim: false });
  });

  it('splits quoted fields', () => {
    expect(splitCsvLine('a,"b,c","d""e",')).toEqual(['a', 'b,c', 'd"e', '']);
    expect(splitCsvLine('a,"b')).toBeUndefined();
  });
});

/** The load command alone in a program with the global options of the real one, so the test does not depend on other commands. */
async function cli(args: string[]): Promise<void> {
  const program = new Command('claimlens')
    .option('-w, --warehouse <path>')
    .option('-q, --quiet')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  register(program);
  await program.parseAsync(args, { from: 'user' });
}

describe('claimlens load (CLI)', () => {
  it('prints counts per table and per rule, or the report as JSON', async () => {
    const dir = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim.csv': claimsCsv([{}, { claim_id: 'C2', claim_type: 'dental' }]),
    });
    const warehouse = join(inputDir({}), 'w.duckdb');
    // Loads pseudonymize identifiers by default and need a key (docs/governance.md).
    vi.stubEnv('CLAIMLENS_KEY', 'ab'.repeat(32));
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      await cli(['-q', '-w', warehouse, 'load', dir]);
      const text = out.join('');
      expect(text).toMatch(/medical_claim\s+1\s+2\s+1\s+1\n/);
      expect(text).toMatch(/medical_claim\s+allowed\s+1\n/);
      out.length = 0;
      await cli(['-w', warehouse, 'load', dir, '--json', '--mode', 'append']);
      const report = JSON.parse(out.join(''));
      expect(report.recognized).toMatch(/^canonical input files/);
      expect(report.load.loadId).toBe(2);
      expect(report.load.tables[1].byRule).toEqual({ allowed: 1 });
      await expect(cli(['-w', warehouse, 'load', dir, '--mode', 'merge'])).rejects.toThrow(
        "--mode must be replace or append, not 'merge'",
      );
    } finally {
      spy.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
