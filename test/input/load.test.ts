import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { ClaimlensError } from '../../src/errors.ts';
import { tableSpec } from '../../src/input/contract.ts';
import { virtualColumns } from '../../src/input/ddl.ts';
import { loadDirectory, loadInto } from '../../src/input/load.ts';
import { CLAIM_DEFAULTS, claimsCsv, ELIGIBILITY_CSV, inputDir } from './load-fixtures.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await Warehouse.open(':memory:', { threads: 1 });
});
afterEach(async () => {
  await wh.close();
});

const claimRows = () =>
  wh.all(
    'SELECT claim_id, claim_line_number, _source_file, _source_line FROM input.medical_claim ORDER BY _source_file, _source_line',
  );
const quarantine = () =>
  wh.all(
    'SELECT source_file, source_line, rule, column_name, value FROM input.quarantine ORDER BY source_file, source_line, rule, column_name',
  );

async function rejection(work: Promise<unknown>): Promise<ClaimlensError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof ClaimlensError) return err;
    throw err;
  }
  throw new Error('expected the load to fail');
}

describe('loadInto: a clean directory', () => {
  it('loads every row with typed values and lineage, creates absent tables empty, reports ignored files', async () => {
    const dir = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim.csv': claimsCsv(
        [
          {
            rendering_npi: '1234567890',
            in_network_flag: 'true',
            service_unit_quantity: '2.5',
            paid_date: '20230310',
          },
          { claim_line_number: '2', paid_amount: '0', charge_amount: '12.5', in_network_flag: 'N' },
          {
            claim_id: 'C2',
            person_id: 'P2',
            member_id: 'M2',
            claim_start_date: '20230401',
            claim_end_date: '2023-04-02',
            paid_amount: '15',
            charge_amount: '15',
          },
        ],
        ['rendering_npi', 'in_network_flag', 'service_unit_quantity', 'paid_date'],
      ),
      'README.md': '# notes',
    });
    const report = await loadInto(wh, dir);

    expect(report.loadId).toBe(1);
    expect(report.tables.map((t) => [t.table, t.rowsRead, t.rowsLoaded, t.rowsQuarantined])).toEqual([
      ['eligibility', 2, 2, 0],
      ['medical_claim', 3, 3, 0],
    ]);
    expect(report.tables[1]!.byRule).toEqual({});
    expect(report.tables[1]!.files).toEqual([
      { sourceFile: 'medical_claim.csv', reader: 'csv', rowsRead: 3, rowsLoaded: 3, rowsQuarantined: 0 },
    ]);
    expect(report.ignored).toEqual([{ name: 'README.md', reason: 'not an input table name' }]);
    expect(report.absent).toEqual([
      'payer',
      'provider',
      'area_deprivation',
      'pharmacy_claim',
      'claim_adjustment',
      'payment',
      'encounter',
      'finance_ledger',
    ]);
    expect([report.rowsRead, report.rowsLoaded, report.rowsQuarantined]).toEqual([5, 5, 0]);

    const rows = await wh.all(
      `SELECT claim_id, claim_line_number, claim_start_date, claim_end_date, paid_amount, charge_amount,
              rendering_npi, in_network_flag, service_unit_quantity, paid_date, _source_file, _source_line
       FROM input.medical_claim ORDER BY _source_line`,
    );
    expect(rows).toEqual([
      {
        claim_id: 'C1',
        claim_line_number: 1,
        claim_start_date: '2023-02-01',
        claim_end_date: '2023-02-03',
        paid_amount: 80,
        charge_amount: 100,
        rendering_npi: '1234567890',
        in_network_flag: true,
        service_unit_quantity: 2.5,
        paid_date: '2023-03-10',
        _source_file: 'medical_claim.csv',
        _source_line: 2,
      },
      {
        claim_id: 'C1',
        claim_line_number: 2,
        claim_start_date: '2023-02-01',
        claim_end_date: '2023-02-03',
        paid_amount: 0,
        charge_amount: 12.5,
        rendering_npi: null,
        in_network_flag: false,
        service_unit_quantity: null,
        paid_date: null,
        _source_file: 'medical_claim.csv',
        _source_line: 3,
      },
      {
        claim_id: 'C2',
        claim_line_number: 1,
        claim_start_date: '2023-04-01',
        claim_end_date: '2023-04-02',
        paid_amount: 15,
        charge_amount: 15,
        rendering_npi: null,
        in_network_flag: null,
        service_unit_quantity: null,
        paid_date: null,
        _source_file: 'medical_claim.csv',
        _source_line: 4,
      },
    ]);
    expect(
      await wh.all('SELECT person_id, birth_date, _source_line FROM input.eligibility ORDER BY 1'),
    ).toEqual([
      { person_id: 'P1', birth_date: '1980-01-02', _source_line: 2 },
      { person_id: 'P2', birth_date: '1990-03-15', _source_line: 3 },
    ]);
    expect(await wh.one('SELECT count(*) AS n FROM input.payer')).toEqual({ n: 0 });
    const columns = await wh.all<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'input' AND table_name = 'medical_claim'",
    );
    expect(columns.map((c) => c.column_name)).not.toContain('_raw');
    expect(
      await wh.all(
        'SELECT load_id, table_name, source_file, rows_read, rows_loaded, rows_quarantined FROM input.load_log ORDER BY 2',
      ),
    ).toEqual([
      {
        load_id: 1,
        table_name: 'eligibility',
        source_file: 'eligibility.csv',
        rows_read: 2,
        rows_loaded: 2,
        rows_quarantined: 0,
      },
      {
        load_id: 1,
        table_name: 'medical_claim',
        source_file: 'medical_claim.csv',
        rows_read: 3,
        rows_loaded: 3,
        rows_quarantined: 0,
      },
    ]);
  });
});

describe('loadInto: rules', () => {
  it('quarantines each broken rule with its file, line, column and value, and loads only valid rows', async () => {
    const dir = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim.csv': claimsCsv(
        [
          { claim_id: 'C1' }, // line 2: valid
          { claim_id: 'C2', claim_type: 'dental' }, // 3: allowed
          { claim_id: 'C3', rendering_npi: '123' }, // 4: pattern
          { claim_id: 'C4', charge_amount: '-5' }, // 5: range (min 0)
          { claim_id: 'C5', claim_line_number: '0' }, // 6: range (min 1)
          { claim_id: 'C6', paid_amount: 'abc', claim_start_date: '2023-02-30' }, // 7: two type errors
          { claim_id: 'C7', person_id: '   ', member_id: '' }, // 8: two required
          { claim_id: 'C1' }, // 9: duplicate of line 2
          { claim_id: 'C8', claim_line_number: '1.5' }, // 10: type (not a whole number)
          { claim_id: 'C9' }, // 11: valid
        ],
        ['rendering_npi'],
      ),
    });
    const report = await loadInto(wh, dir);
    const mc = report.tables.find((t) => t.table === 'medical_claim')!;
    expect([mc.rowsRead, mc.rowsLoaded, mc.rowsQuarantined]).toEqual([10, 2, 8]);
    expect(mc.byRule).toEqual({ allowed: 1, duplicate_grain: 1, pattern: 1, range: 2, required: 2, type: 3 });
    expect(await claimRows()).toEqual([
      { claim_id: 'C1', claim_line_number: 1, _source_file: 'medical_claim.csv', _source_line: 2 },
      { claim_id: 'C9', claim_line_number: 1, _source_file: 'medical_claim.csv', _source_line: 11 },
    ]);
    const f = 'medical_claim.csv';
    expect(await quarantine()).toEqual([
      { source_file: f, source_line: 3, rule: 'allowed', column_name: 'claim_type', value: 'dental' },
      { source_file: f, source_line: 4, rule: 'pattern', column_name: 'rendering_npi', value: '123' },
      { source_file: f, source_line: 5, rule: 'range', column_name: 'charge_amount', value: '-5' },
      { source_file: f, source_line: 6, rule: 'range', column_name: 'claim_line_number', value: '0' },
      { source_file: f, source_line: 7, rule: 'type', column_name: 'claim_start_date', value: '2023-02-30' },
      { source_file: f, source_line: 7, rule: 'type', column_name: 'paid_amount', value: 'abc' },
      { source_file: f, source_line: 8, rule: 'required', column_name: 'member_id', value: null },
      { source_file: f, source_line: 8, rule: 'required', column_name: 'person_id', value: null },
      {
        source_file: f,
        source_line: 9,
        rule: 'duplicate_grain',
        column_name: 'claim_id,claim_line_number',
        value: 'claim_id=C1, claim_line_number=1',
      },
      { source_file: f, source_line: 10, rule: 'type', column_name: 'claim_line_number', value: '1.5' },
    ]);
    const detail = await wh.all<{ source_line: number; detail: string; record: string; load_id: number }>(
      'SELECT source_line, detail, record, load_id FROM input.quarantine WHERE rule IN (?, ?) ORDER BY 1',
      ['allowed', 'duplicate_grain'],
    );
    expect(detail[0]!.detail).toBe('one of professional, institutional');
    expect(JSON.parse(detail[0]!.record)).toMatchObject({
      claim_id: 'C2',
      claim_type: 'dental',
      plan: 'gold',
    });
    expect(detail[1]!.detail).toBe('first loaded from medical_claim.csv line 2');
    expect(JSON.parse(detail[1]!.record)).toMatchObject({ claim_id: 'C1', claim_line_number: '1' });
    expect(detail[0]!.load_id).toBe(1);
  });

  it('keeps the first valid row of a grain even when an earlier row with that grain broke a rule', async () => {
    const dir = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim.csv': claimsCsv([
        { claim_id: 'C1', claim_type: 'dental' }, // line 2: allowed
        { claim_id: 'C1' }, // line 3: the first valid C1/1, kept
        { claim_id: 'C1', claim_line_number: '01' }, // line 4: same grain as line 3 once typed
      ]),
    });
    await loadInto(wh, dir);
    expect(await claimRows()).toEqual([
      { claim_id: 'C1', claim_line_number: 1, _source_file: 'medical_claim.csv', _source_line: 3 },
    ]);
    expect((await quarantine()).map((q) => [q.source_line, q.rule])).toEqual([
      [2, 'allowed'],
      [4, 'duplicate_grain'],
    ]);
  });
});

describe('loadInto: files and errors', () => {
  it('fails naming the file, line 1, the missing required columns and the expected header', async () => {
    const csv = claimsCsv([{}])
      .split('\n')
      .map((line) =>
        line
          .split(',')
          .filter((_, i) => i !== 9 && i !== 12)
          .join(','),
      )
      .join('\n');
    const dir = inputDir({ 'eligibility.csv': ELIGIBILITY_CSV, 'medical_claim.csv': csv });
    const err = await rejection(loadInto(wh, dir));
    expect(err.code).toBe('input_header');
    expect(err.location).toEqual({ file: join(dir, 'medical_claim.csv'), line: 1, column: 'paid_amount' });
    expect(err.message).toContain(
      'missing required columns paid_amount, claim_status for table medical_claim',
    );
    expect(err.message).toContain('Expected header: claim_id,claim_line_number,claim_type,');
    // Checked before the warehouse was touched.
    expect(await wh.tableExists('input', 'eligibility')).toBe(false);
  });

  it('loads a header that differs in case and spacing, and warns about unknown columns', async () => {
    const csv = claimsCsv([{ note: 'x' }], ['note']).replace(
      'claim_id,claim_line_number',
      ' Claim_ID , CLAIM_LINE_NUMBER',
    );
    const report = await loadInto(
      wh,
      inputDir({ 'eligibility.csv': ELIGIBILITY_CSV, 'medical_claim.csv': csv }),
    );
    expect(report.tables[1]!.warnings).toEqual([
      'medical_claim.csv: column note not in table medical_claim, not loaded',
    ]);
    expect(await claimRows()).toEqual([
      { claim_id: 'C1', claim_line_number: 1, _source_file: 'medical_claim.csv', _source_line: 2 },
    ]);
  });

  it('fails on an empty file and on a file without a header, naming the file', async () => {
    const empty = inputDir({ 'eligibility.csv': ELIGIBILITY_CSV, 'medical_claim.csv': '' });
    const e1 = await rejection(loadInto(wh, empty));
    expect(e1.code).toBe('input_empty');
    expect(e1.location?.file).toBe(join(empty, 'medical_claim.csv'));
    const blank = inputDir({ 'eligibility.csv': ELIGIBILITY_CSV, 'medical_claim.csv': '\nC1,1\n' });
    const e2 = await rejection(loadInto(wh, blank));
    expect(e2.code).toBe('input_header');
    expect(e2.location).toEqual({ file: join(blank, 'medical_claim.csv'), line: 1 });
  });

  it('warns about a header-only file and loads nothing from it', async () => {
    const dir = inputDir({ 'eligibility.csv': ELIGIBILITY_CSV, 'medical_claim.csv': `${claimsCsv([])}\n` });
    const report = await loadInto(wh, dir);
    expect(report.tables[1]!.rowsRead).toBe(0);
    expect(report.tables[1]!.warnings).toEqual(['medical_claim.csv: no data rows after the header']);
  });

  it('fails when a required table file is missing, naming the directory and the file', async () => {
    const dir = inputDir({ 'eligibility.csv': ELIGIBILITY_CSV });
    const err = await rejection(loadInto(wh, dir));
    expect(err.code).toBe('input_missing');
    expect(err.location?.file).toBe(dir);
    expect(err.describe()).toContain(`${dir}: the directory has no medical_claim.csv: every load needs it`);
    const none = inputDir({ 'notes.txt': 'x' });
    expect((await rejection(loadInto(wh, none))).message).toContain(
      'has no eligibility.csv and medical_claim.csv',
    );
  });

  it('fails when two files hold the same table', async () => {
    const dir = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim.csv': claimsCsv([{}]),
      'medical_claim/part-1.csv': claimsCsv([{}]),
    });
    const err = await rejection(loadInto(wh, dir));
    expect(err.code).toBe('input_format');
    expect(err.message).toContain('medical_claim and medical_claim.csv all hold table medical_claim');
  });
});

describe('loadInto: order of the tables', () => {
  it('starts the largest files first and reports the failure of the earliest table in plan order', async () => {
    // medical_claim is the largest file, eligibility the next, payer the smallest: the two sessions
    // start medical_claim and eligibility (which reports first between them is timing), and payer
    // waits for one of them to finish.
    const claims = claimsCsv(Array.from({ length: 200 }, (_, i) => ({ claim_id: `C${i}` })));
    const dir = inputDir({
      'payer.csv': 'payer,payer_type\nacme,commercial',
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim.csv': claims,
    });
    const started: string[] = [];
    await loadInto(wh, dir, {
      onProgress: (e) => {
        if (!started.includes(e.table)) started.push(e.table);
      },
    });
    const tables = started.filter((t) => t !== '*');
    expect(tables.slice(0, 2).sort()).toEqual(['eligibility', 'medical_claim']);
    expect(tables[2]).toBe('payer');

    // Both tables that start fail; eligibility comes first in plan order, so its error is thrown.
    const failing = loadInto(wh, dir, {
      onProgress: (e) => {
        if (e.table === 'medical_claim' || e.table === 'eligibility') throw new Error(`${e.table} failed`);
      },
    });
    await expect(failing).rejects.toThrow('eligibility failed');
  });
});

describe('loadInto: modes', () => {
  it('replace: loading the same directory twice leaves one copy of every row and quarantine row', async () => {
    const dir = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim.csv': claimsCsv([{}, { claim_line_number: '2' }, { claim_id: 'C2', claim_type: 'x' }]),
    });
    await loadInto(wh, dir);
    const second = await loadInto(wh, dir);
    expect(second.loadId).toBe(2);
    expect(await wh.one('SELECT count(*) AS n FROM input.medical_claim')).toEqual({ n: 2 });
    expect(await wh.one('SELECT count(*) AS n FROM input.eligibility')).toEqual({ n: 2 });
    expect(await wh.all('SELECT load_id, source_line FROM input.quarantine')).toEqual([
      { load_id: 2, source_line: 4 },
    ]);
    expect(await wh.one('SELECT count(*) AS n FROM input.load_log')).toEqual({ n: 4 });
  });

  it('append: adds new files, replaces rows of files loaded before, never duplicates', async () => {
    const january = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim.csv': claimsCsv([{}, { claim_line_number: '2' }]),
    });
    const february = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim/2023-02.csv': claimsCsv([{ claim_id: 'C3' }, { claim_id: 'C4', claim_status: 'lost' }]),
    });
    await loadInto(wh, january);
    await loadInto(wh, february, { mode: 'append' });
    await loadInto(wh, february, { mode: 'append' });
    expect((await claimRows()).map((r) => [r.claim_id, r._source_file])).toEqual([
      ['C1', 'medical_claim.csv'],
      ['C1', 'medical_claim.csv'],
      ['C3', 'medical_claim/2023-02.csv'],
    ]);
    expect(await wh.one('SELECT count(*) AS n FROM input.eligibility')).toEqual({ n: 2 });
    expect(await wh.all('SELECT source_file, source_line, rule FROM input.quarantine')).toEqual([
      { source_file: 'medical_claim/2023-02.csv', source_line: 3, rule: 'allowed' },
    ]);
    // Replace drops what the appends added.
    await loadInto(wh, january);
    expect(await wh.one('SELECT count(*) AS n FROM input.medical_claim')).toEqual({ n: 2 });
    expect(await wh.one('SELECT count(*) AS n FROM input.quarantine')).toEqual({ n: 0 });
  });
});

describe('loadInto: columns no file has', () => {
  const shape = async () => {
    const virtual = await virtualColumns(wh, 'medical_claim');
    const described = await wh.all<{ column_name: string }>('DESCRIBE input.medical_claim');
    return { virtual, order: described.map((c) => c.column_name) };
  };
  const contractOrder = [
    ...tableSpec('medical_claim').columns.map((c) => c.name),
    '_source_file',
    '_source_line',
    '_loaded_at',
  ];

  it('stores only the columns some file has; the others read as NULL in contract order, and become stored when a file brings them', async () => {
    const january = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim.csv': claimsCsv([{}, { claim_line_number: '2' }]),
    });
    await loadInto(wh, january);
    let s = await shape();
    expect(s.order).toEqual(contractOrder);
    expect(s.virtual.has('drg_code')).toBe(true);
    expect(s.virtual.has('diagnosis_code_1')).toBe(false); // in CLAIM_DEFAULTS
    expect(s.virtual.size).toBe(
      tableSpec('medical_claim').columns.length - Object.keys(CLAIM_DEFAULTS).length,
    );
    expect(await wh.one('SELECT count(*) AS n, count(drg_code) AS drg FROM input.medical_claim')).toEqual({
      n: 2,
      drg: 0,
    });

    // An appended file with a DRG: the column is stored from now on, January's rows keep NULL in it.
    const february = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim/2023-02.csv': claimsCsv([{ claim_id: 'C3', drg_code: '470' }], ['drg_code']),
    });
    await loadInto(wh, february, { mode: 'append' });
    s = await shape();
    expect(s.order).toEqual(contractOrder);
    expect(s.virtual.has('drg_code')).toBe(false);
    expect(
      await wh.all(
        'SELECT claim_id, claim_line_number, drg_code, _source_line FROM input.medical_claim ORDER BY ALL',
      ),
    ).toEqual([
      { claim_id: 'C1', claim_line_number: 1, drg_code: null, _source_line: 2 },
      { claim_id: 'C1', claim_line_number: 2, drg_code: null, _source_line: 3 },
      { claim_id: 'C3', claim_line_number: 1, drg_code: '470', _source_line: 2 },
    ]);

    // Replacing with January alone makes it virtual again.
    await loadInto(wh, january);
    s = await shape();
    expect(s.virtual.has('drg_code')).toBe(true);
    expect(await wh.one('SELECT count(*) AS n FROM input.medical_claim')).toEqual({ n: 2 });
  });
});

describe('loadInto: parts and parquet', () => {
  it('reads a folder of parts, each its own source file, duplicates checked across parts', async () => {
    const dir = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim/part-1.csv': claimsCsv([{}, { claim_line_number: '2' }]),
      'medical_claim/part-2.csv': claimsCsv([{ claim_id: 'C2' }, { claim_line_number: '2' }]),
      'medical_claim/notes.txt': 'x',
    });
    const report = await loadInto(wh, dir);
    expect(
      report.tables[1]!.files.map((f) => [f.sourceFile, f.rowsRead, f.rowsLoaded, f.rowsQuarantined]),
    ).toEqual([
      ['medical_claim/part-1.csv', 2, 2, 0],
      ['medical_claim/part-2.csv', 2, 1, 1],
    ]);
    expect(report.ignored).toEqual([
      { name: 'medical_claim/notes.txt', reason: 'not a csv, csv.gz or parquet part' },
    ]);
    expect(
      (await claimRows()).map((r) => [r.claim_id, r.claim_line_number, r._source_file, r._source_line]),
    ).toEqual([
      ['C1', 1, 'medical_claim/part-1.csv', 2],
      ['C1', 2, 'medical_claim/part-1.csv', 3],
      ['C2', 1, 'medical_claim/part-2.csv', 2],
    ]);
    expect(await wh.all('SELECT source_file, source_line, detail FROM input.quarantine')).toEqual([
      {
        source_file: 'medical_claim/part-2.csv',
        source_line: 3,
        detail: 'first loaded from medical_claim/part-1.csv line 3',
      },
    ]);
    expect(
      await wh.one("SELECT count(*) AS n FROM input.load_log WHERE table_name = 'medical_claim'"),
    ).toEqual({ n: 2 });
  });

  it('reads parquet with typed columns; the line of a row is its row number in the file', async () => {
    const dir = inputDir({ 'eligibility.csv': ELIGIBILITY_CSV });
    const c = CLAIM_DEFAULTS;
    await wh.run(
      `COPY (SELECT * FROM (VALUES
         ('C1', 1, 'professional', DATE '2023-02-01', TIMESTAMP '2023-02-03 00:00:00', 80.5::DECIMAL(10,2), 100.0::DOUBLE),
         ('C2', 1, 'dental',       DATE '2023-02-01', TIMESTAMP '2023-02-03 00:00:00', 1.0::DECIMAL(10,2), 2.0::DOUBLE),
         ('C3', 2, 'institutional', DATE '2023-03-01', TIMESTAMP '2023-03-05 00:00:00', 0.0::DECIMAL(10,2), 12.25::DOUBLE))
       AS t(claim_id, claim_line_number, claim_type, claim_start_date, claim_end_date, paid_amount, charge_amount)
       CROSS JOIN (SELECT '${c.person_id}' AS person_id, '${c.member_id}' AS member_id, 'acme' AS payer,
         'gold' AS plan, 'E11.9' AS diagnosis_code_1, 'paid' AS claim_status))
       TO '${join(dir, 'medical_claim.parquet')}' (FORMAT parquet)`,
    );
    const report = await loadInto(wh, dir);
    expect(report.tables[1]!.files).toEqual([
      {
        sourceFile: 'medical_claim.parquet',
        reader: 'parquet',
        rowsRead: 3,
        rowsLoaded: 2,
        rowsQuarantined: 1,
      },
    ]);
    expect(
      await wh.all(
        'SELECT claim_id, claim_end_date, paid_amount, charge_amount, _source_line FROM input.medical_claim ORDER BY 1',
      ),
    ).toEqual([
      {
        claim_id: 'C1',
        claim_end_date: '2023-02-03',
        paid_amount: 80.5,
        charge_amount: 100,
        _source_line: 1,
      },
      { claim_id: 'C3', claim_end_date: '2023-03-05', paid_amount: 0, charge_amount: 12.25, _source_line: 3 },
    ]);
    expect(await quarantine()).toEqual([
      {
        source_file: 'medical_claim.parquet',
        source_line: 2,
        rule: 'allowed',
        column_name: 'claim_type',
        value: 'dental',
      },
    ]);
    // With --format csv the parquet file is not read, so the required table is missing.
    const err = await rejection(loadInto(wh, dir, { format: 'csv' }));
    expect(err.code).toBe('input_missing');
  });
});

describe('loadDirectory: staged', () => {
  const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

  it('leaves the previous warehouse file unchanged when a load fails', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'claimlens-wh-')), 'claimlens.duckdb');
    const good = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim.csv': claimsCsv([{}, { claim_id: 'C2' }]),
    });
    const first = await loadDirectory(path, good, {}, { threads: 1 });
    expect(first.rowsLoaded).toBe(4);
    const before = sha(path);

    // Fails while checking headers, before any write.
    const badHeader = inputDir({ 'eligibility.csv': ELIGIBILITY_CSV, 'medical_claim.csv': 'claim_id\nC9\n' });
    await expect(loadDirectory(path, badHeader, {}, { threads: 1 })).rejects.toThrow(
      /missing required columns/,
    );
    expect(sha(path)).toBe(before);

    // Fails after eligibility was replaced in the staged copy.
    const other = inputDir({
      'eligibility.csv': ELIGIBILITY_CSV,
      'medical_claim.csv': claimsCsv([{ claim_id: 'C7' }]),
    });
    const failing = loadDirectory(
      path,
      other,
      {
        onProgress: (e) => {
          if (e.table === 'medical_claim') throw new Error('interrupted');
        },
      },
      { threads: 1 },
    );
    await expect(failing).rejects.toThrow('interrupted');
    expect(sha(path)).toBe(before);
    const reopened = await Warehouse.open(path, { readOnly: true });
    try {
      expect(await reopened.all('SELECT claim_id FROM input.medical_claim ORDER BY 1')).toEqual([
        { claim_id: 'C1' },
        { claim_id: 'C2' },
      ]);
      expect(await reopened.one('SELECT max(load_id) AS id FROM input.load_log')).toEqual({ id: 1 });
    } finally {
      await reopened.close();
    }
  });
});
