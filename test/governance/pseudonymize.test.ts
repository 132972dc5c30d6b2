// HMAC-SHA-256 in SQL against RFC 4231 and node:crypto, and the pseudonymizing load: tokens,
// restricted direct identifiers, quarantine redaction, one key per warehouse, no key on disk.
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobValue } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { Warehouse } from '../../src/engine/duckdb.ts';
import { hmacParams, hmacSql, tokenOf } from '../../src/governance/hmac.ts';
import type { DirectIdentifierMode } from '../../src/governance/pseudonymize.ts';
import { type LoadMode, type LoadReport, loadDirectory, loadInto } from '../../src/input/load.ts';
import { type InputRow, type InputTables, testWarehouse } from '../helpers/warehouse.ts';
import { csvOf, inputDir } from '../input/load-fixtures.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const hex = (h: string) => Buffer.from(h, 'hex');
const repeat = (byte: number, n: number) => Buffer.alloc(n, byte);

// RFC 4231 section 4, HMAC-SHA-256 outputs copied from the RFC (test case 5 is truncated to 128 bits).
const RFC4231: { name: string; key: Buffer; data: Buffer; mac: string }[] = [
  {
    name: 'case 1',
    key: repeat(0x0b, 20),
    data: Buffer.from('Hi There'),
    mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
  },
  {
    name: 'case 2 (short key)',
    key: Buffer.from('Jefe'),
    data: Buffer.from('what do ya want for nothing?'),
    mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    name: 'case 3',
    key: repeat(0xaa, 20),
    data: repeat(0xdd, 50),
    mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
  },
  {
    name: 'case 4',
    key: hex('0102030405060708090a0b0c0d0e0f10111213141516171819'),
    data: repeat(0xcd, 50),
    mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
  },
  {
    name: 'case 5 (truncated)',
    key: repeat(0x0c, 20),
    data: Buffer.from('Test With Truncation'),
    mac: 'a3b6167473100ee06e0c796c2955552b',
  },
  {
    name: 'case 6 (key longer than the block)',
    key: repeat(0xaa, 131),
    data: Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'),
    mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
  },
  {
    name: 'case 7 (key and data longer than the block)',
    key: repeat(0xaa, 131),
    data: Buffer.from(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
    ),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

describe('HMAC-SHA-256 in SQL', () => {
  it('matches every RFC 4231 test case and node:crypto', async () => {
    const wh = await Warehouse.open(':memory:', { threads: 1 });
    try {
      for (const v of RFC4231) {
        const row = await wh.one<{ mac: string }>(`SELECT ${hmacSql('$3::BLOB')} AS mac`, [
          ...hmacParams(v.key),
          blobValue(v.data),
        ]);
        expect(row!.mac.slice(0, v.mac.length), v.name).toBe(v.mac);
        expect(row!.mac, v.name).toBe(createHmac('sha256', v.key).update(v.data).digest('hex'));
      }
    } finally {
      await wh.close();
    }
  });

  it('tokens are the family prefix and 32 hex characters of HMAC(key, family:value)', () => {
    const mac = createHmac('sha256', KEY).update('person:P001').digest('hex');
    expect(tokenOf(KEY, 'person', 'P001')).toBe(`psn_${mac.slice(0, 32)}`);
    expect(tokenOf(KEY, 'person', 'P001')).toMatch(/^psn_[0-9a-f]{32}$/);
    // Domain separation: the same text as a member id gets another token.
    expect(tokenOf(KEY, 'member', 'P001').slice(4)).not.toBe(tokenOf(KEY, 'person', 'P001').slice(4));
  });
});

function member(personId: string, memberId: string, first: string, extra: Partial<InputRow> = {}): InputRow {
  return {
    person_id: personId,
    member_id: memberId,
    subscriber_id: memberId,
    gender: 'female',
    birth_date: '1950-04-02',
    enrollment_start_date: '2024-01-01',
    enrollment_end_date: '2024-12-31',
    payer: 'Acme',
    payer_type: 'commercial',
    plan: 'Gold',
    first_name: first,
    last_name: 'Smith',
    social_security_number: '123-45-6789',
    address: '1 Main St',
    zip_code: '02139',
    phone: '617-555-0100',
    email: `${first.toLowerCase()}@example.org`,
    ...extra,
  };
}

function claim(claimId: string, personId: string, memberId: string, extra: Partial<InputRow> = {}): InputRow {
  return {
    claim_id: claimId,
    claim_line_number: 1,
    claim_type: 'professional',
    person_id: personId,
    member_id: memberId,
    payer: 'Acme',
    plan: 'Gold',
    claim_start_date: '2024-03-01',
    claim_end_date: '2024-03-01',
    paid_amount: 100,
    charge_amount: 150,
    diagnosis_code_1: 'E119',
    claim_status: 'paid',
    ...extra,
  };
}

/** Loads hand-made rows (one CSV file per table, `extra` files as they are) with pseudonymization on. */
async function loadPseudonymized(
  wh: Warehouse,
  tables: InputTables,
  options: {
    key?: Buffer;
    directIdentifiers?: DirectIdentifierMode;
    mode?: LoadMode;
    extra?: Record<string, string>;
  } = {},
): Promise<LoadReport> {
  const files: Record<string, string> = { ...options.extra };
  for (const [table, rows] of Object.entries(tables)) files[`${table}.csv`] = csvOf(rows ?? []);
  const dir = inputDir(files);
  dirs.push(dir);
  return loadInto(wh, dir, {
    requireTables: false,
    mode: options.mode ?? 'replace',
    pseudonymize: { key: options.key ?? KEY, directIdentifiers: options.directIdentifiers ?? 'restrict' },
  });
}

describe('a pseudonymizing load', () => {
  it('tokenizes identifiers consistently across tables and restricts direct identifiers', async () => {
    const wh = await testWarehouse({});
    try {
      const report = await loadPseudonymized(wh, {
        eligibility: [
          member('P001', 'M001', 'Ann'),
          member('P002', 'M002', 'Bea', { subscriber_id: 'M001' }),
        ],
        medical_claim: [claim('C1', 'P001', 'M001'), claim('C2', 'P002', 'M002')],
      });
      expect(report.rowsQuarantined).toBe(0);
      expect(report.pseudonymization!.tables.map((t) => [t.table, t.rows, t.restrictedRows])).toEqual([
        ['eligibility', 2, 2],
        ['medical_claim', 2, 0],
      ]);
      const elig = await wh.all(
        'SELECT person_id, member_id, subscriber_id, social_security_number, first_name, last_name, address, phone, email, zip_code FROM input.eligibility ORDER BY birth_date, member_id',
      );
      const p1 = tokenOf(KEY, 'person', 'P001');
      const m1 = tokenOf(KEY, 'member', 'M001');
      expect(elig).toContainEqual({
        person_id: p1,
        member_id: m1,
        subscriber_id: m1,
        social_security_number: tokenOf(KEY, 'ssn', '123-45-6789'),
        first_name: null,
        last_name: null,
        address: null,
        phone: null,
        email: null,
        // Geography is generalized in exports, not at load: analytics need it.
        zip_code: '02139',
      });
      // Bea's subscriber is Ann: the subscriber token is Ann's member token, so the link survives.
      expect(elig.find((r) => r.person_id === tokenOf(KEY, 'person', 'P002'))!.subscriber_id).toBe(m1);
      // Same key, same token: claims join to eligibility on the tokens.
      const joined = await wh.one<{ n: number }>(
        'SELECT count(*) AS n FROM input.medical_claim c JOIN input.eligibility e USING (person_id, member_id)',
      );
      expect(joined!.n).toBe(2);
      expect(
        await wh.all(
          'SELECT person_id, first_name, last_name, email FROM restricted.eligibility ORDER BY first_name',
        ),
      ).toEqual([
        { person_id: p1, first_name: 'Ann', last_name: 'Smith', email: 'ann@example.org' },
        {
          person_id: tokenOf(KEY, 'person', 'P002'),
          first_name: 'Bea',
          last_name: 'Smith',
          email: 'bea@example.org',
        },
      ]);
    } finally {
      await wh.close();
    }
  });

  it('tokenizes identifiers the eligibility does not list in the row, as the maps would', async () => {
    const wh = await testWarehouse({});
    try {
      // P777 and M777 are in no eligibility row: no map holds them.
      await loadPseudonymized(wh, {
        eligibility: [member('P001', 'M001', 'Ann')],
        medical_claim: [claim('C1', 'P001', 'M001'), claim('C2', 'P777', 'M777')],
      });
      expect(
        await wh.all('SELECT claim_id, person_id, member_id FROM input.medical_claim ORDER BY claim_id'),
      ).toEqual([
        {
          claim_id: 'C1',
          person_id: tokenOf(KEY, 'person', 'P001'),
          member_id: tokenOf(KEY, 'member', 'M001'),
        },
        {
          claim_id: 'C2',
          person_id: tokenOf(KEY, 'person', 'P777'),
          member_id: tokenOf(KEY, 'member', 'M777'),
        },
      ]);
    } finally {
      await wh.close();
    }
  });

  it('drops direct identifiers when configured to, keeping nothing restricted', async () => {
    const wh = await testWarehouse({});
    try {
      await loadPseudonymized(
        wh,
        { eligibility: [member('P001', 'M001', 'Ann')] },
        { directIdentifiers: 'drop' },
      );
      expect(await wh.tableExists('restricted', 'eligibility')).toBe(false);
      expect(await wh.all('SELECT first_name, phone FROM input.eligibility')).toEqual([
        { first_name: null, phone: null },
      ]);
    } finally {
      await wh.close();
    }
  });

  it('quarantines with identifiers tokenized, direct identifiers and unsplittable lines withheld', async () => {
    const wh = await testWarehouse({});
    try {
      const eligibility = csvOf([
        member('P001', 'M001', 'Ann'),
        member('P009', 'M009', 'Cy', { gender: 'x' }),
        member('P010', 'M010', 'Di', { social_security_number: 'not-an-ssn' }),
        member('P001', 'M011', 'Ed'),
      ]);
      await loadPseudonymized(
        wh,
        { medical_claim: [claim('C1', 'P001', 'M001', { claim_type: 'dental' })] },
        // A line with a field too many cannot be split into columns.
        { extra: { 'eligibility.csv': `${eligibility}\nP012,M012,"Fay\n` } },
      );
      const rows = await wh.all<{
        table_name: string;
        source_line: number;
        rule: string;
        value: string | null;
        record: string | null;
      }>(
        'SELECT table_name, source_line, rule, value, record FROM input.quarantine ORDER BY table_name, source_line',
      );
      expect(rows.map((r) => [r.table_name, r.source_line, r.rule])).toEqual([
        ['eligibility', 3, 'allowed'],
        ['eligibility', 4, 'pattern'],
        ['eligibility', 5, 'duplicate_grain'],
        ['eligibility', 6, expect.stringMatching(/^csv_/)],
        ['medical_claim', 2, 'allowed'],
      ]);
      const cy = JSON.parse(rows[0]!.record!);
      expect(rows[0]!.value).toBe('x');
      expect(cy).toMatchObject({
        person_id: tokenOf(KEY, 'person', 'P009'),
        member_id: tokenOf(KEY, 'member', 'M009'),
        social_security_number: tokenOf(KEY, 'ssn', '123-45-6789'),
        gender: 'x',
      });
      for (const direct of ['first_name', 'last_name', 'address', 'phone', 'email'])
        expect(cy).not.toHaveProperty(direct);
      // The value of an identifier column is its token.
      expect(rows[1]!.value).toBe(tokenOf(KEY, 'ssn', 'not-an-ssn'));
      // A duplicate grain's values are the stored ones: tokens.
      expect(rows[2]!.value).toContain(`person_id=${tokenOf(KEY, 'person', 'P001')}`);
      expect(rows[2]!.value).not.toContain('P001,');
      expect(rows[3]!.record).toBeNull();
      expect(JSON.parse(rows[4]!.record!)).toMatchObject({
        claim_type: 'dental',
        person_id: tokenOf(KEY, 'person', 'P001'),
      });
      const text = JSON.stringify(await wh.all('SELECT * FROM input.quarantine'));
      for (const raw of ['"P009"', '"M009"', 'not-an-ssn', 'Cy', 'Fay', 'P012'])
        expect(text).not.toContain(raw);
    } finally {
      await wh.close();
    }
  });

  it("redacts a source adapter's rejected records: JSON tokenized, other text withheld", async () => {
    const wh = await testWarehouse({});
    try {
      const dir = inputDir({ 'eligibility.csv': csvOf([member('P001', 'M001', 'Ann')]) });
      dirs.push(dir);
      const reject = { file: 'claims.x12', rule: 'source_test', detail: 'unreadable' };
      await loadInto(wh, dir, {
        requireTables: false,
        pseudonymize: { key: KEY, directIdentifiers: 'restrict' },
        source: {
          format: 'test',
          gaps: [],
          complete: false,
          rejects: [
            {
              ...reject,
              table: 'eligibility',
              line: 3,
              record: '{"person_id":"P005","first_name":"Quinn","plan":"Gold"}',
            },
            { ...reject, table: 'eligibility', line: 4, record: 'NM1*IL*1*QUINN*P005' },
            { ...reject, table: 'provider', line: 5, record: '{"npi":"1234567893"}' },
          ],
        },
      });
      const rows = await wh.all<{ table_name: string; source_line: number; record: string | null }>(
        'SELECT table_name, source_line, record FROM input.quarantine ORDER BY source_line',
      );
      expect(rows.map((r) => [r.table_name, r.source_line, r.record && JSON.parse(r.record)])).toEqual([
        ['eligibility', 3, { person_id: tokenOf(KEY, 'person', 'P005'), plan: 'Gold' }],
        ['eligibility', 4, null],
        ['provider', 5, { npi: '1234567893' }],
      ]);
    } finally {
      await wh.close();
    }
  });

  it('append loads take tokens of the same key only; raw rows beside tokenized ones are refused', async () => {
    const wh = await testWarehouse({});
    try {
      await loadPseudonymized(wh, { eligibility: [member('P001', 'M001', 'Ann')] });
      const more = { 'eligibility/more.csv': csvOf([member('P002', 'M002', 'Bea')]) };
      await loadPseudonymized(wh, {}, { mode: 'append', extra: more });
      expect(
        (
          await wh.all<{ person_id: string }>('SELECT person_id FROM input.eligibility ORDER BY member_id')
        ).map((r) => r.person_id),
      ).toEqual([tokenOf(KEY, 'person', 'P001'), tokenOf(KEY, 'person', 'P002')]);

      const other = Buffer.alloc(32, 7);
      await expect(loadPseudonymized(wh, {}, { mode: 'append', extra: more, key: other })).rejects.toThrow(
        /pseudonymized with another key \(fingerprint [0-9a-f]{16}, this key [0-9a-f]{16}\)/,
      );
      // Raw rows beside tokenized ones are refused too: they could never join.
      await wh.run(
        "INSERT INTO input.medical_claim (claim_id, claim_line_number, claim_type, person_id, member_id, payer, plan, claim_start_date, claim_end_date, paid_amount, charge_amount, claim_status, _source_file) VALUES ('C1', 1, 'professional', 'P001', 'M001', 'Acme', 'Gold', '2024-03-01', '2024-03-01', 1, 1, 'paid', 'c.csv')",
      );
      await expect(loadPseudonymized(wh, { eligibility: [member('P001', 'M001', 'Ann')] })).rejects.toThrow(
        /input\.medical_claim holds identifiers that were never pseudonymized \(1 rows\)/,
      );
    } finally {
      await wh.close();
    }
  });

  it('leaves neither the key nor raw identifiers in the warehouse file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimlens-gov-'));
    dirs.push(dir);
    const path = join(dir, 'wh.duckdb');
    const input = inputDir({
      'eligibility.csv': csvOf([member('PERSON-RAW-0001', 'MEMBER-RAW-0001', 'Zebulon')]),
    });
    dirs.push(input);
    await loadDirectory(path, input, {
      requireTables: false,
      pseudonymize: { key: KEY, directIdentifiers: 'restrict' },
    });
    const bytes = Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
    expect(bytes.indexOf(KEY)).toBe(-1);
    expect(bytes.indexOf(Buffer.from(KEY.toString('hex')))).toBe(-1);
    expect(bytes.indexOf(Buffer.from('PERSON-RAW-0001'))).toBe(-1);
    expect(bytes.indexOf(Buffer.from('MEMBER-RAW-0001'))).toBe(-1);
    expect(bytes.indexOf(Buffer.from('Zebulon'))).toBeGreaterThan(-1); // restricted, by design
    expect(bytes.indexOf(Buffer.from(tokenOf(KEY, 'person', 'PERSON-RAW-0001')))).toBeGreaterThan(-1);
  });
});
