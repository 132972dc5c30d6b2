// Envelope validation on broken variants of a good 835 (linuxforhealth managed-care: ISA, GS,
// ST..SE of 26 segments with 2 CLP loops, GE, IEA = 30 segments) and on the deliberately broken
// samples of the imsweb parser's test suite.
import { afterAll, describe, expect, it } from 'vitest';
import { ClaimlensError } from '../../../src/errors.ts';
import { readX12File } from '../../../src/sources/x12/index.ts';
import { join12, readSample, sample, segmentsOf, tempDir } from './fixtures.ts';

const GOOD = segmentsOf(readSample('linuxforhealth-x12/835_005010X221A1_managed-care.835'));
const tmp = tempDir();
afterAll(() => tmp.cleanup());

let n = 0;
function file(text: string): string {
  return tmp.write(`case-${++n}.835`, text);
}

function edit(change: (segs: string[]) => string[]): string {
  return file(join12(change([...GOOD])));
}

const isaOf = (segs: string[]) => segs[0]!;

describe('a good interchange', () => {
  it('has the layout the broken cases below rely on', async () => {
    expect(GOOD).toHaveLength(30);
    expect(GOOD[27]).toBe('SE*26*112233');
    const r = await readX12File(edit((s) => s));
    expect(r.report.transactions).toEqual({ '835': 1 });
    expect(r.report.quarantined).toEqual([]);
    expect(r.report.errors).toEqual([]);
    expect(r.report.remittanceClaims).toBe(2);
  });
});

describe('broken transactions are quarantined, the rest of the file is read', () => {
  it('SE01 count mismatch', async () => {
    const path = edit((s) => s.map((x) => (x === 'SE*26*112233' ? 'SE*27*112233' : x)));
    const r = await readX12File(path);
    expect(r.report.quarantined).toEqual([
      {
        file: path,
        segment: 3,
        transactionSet: '835',
        controlNumber: '112233',
        reason: 'segment 28: SE01 says "27" segments, the transaction has 26',
      },
    ]);
    expect(r.report.transactions).toEqual({});
    expect(r.tables.claim_adjustment).toEqual([]);
    expect(r.tables.payment).toEqual([]);
    expect(r.tables.payer).toEqual([]);
    // countMismatch: 'warn' reads it and says so.
    const lenient = await readX12File(path, { countMismatch: 'warn' });
    expect(lenient.report.quarantined).toEqual([]);
    expect(lenient.tables.claim_adjustment).toHaveLength(5);
    expect(lenient.report.warnings.map((w) => w.message)).toEqual([
      'segment 28: SE01 says "27" segments, the transaction has 26',
    ]);
  });

  it('SE02 that does not match ST02', async () => {
    const r = await readX12File(edit((s) => s.map((x) => (x === 'SE*26*112233' ? 'SE*26*112234' : x))));
    expect(r.report.quarantined.map((q) => q.reason)).toEqual([
      'segment 28: SE02 control number "112234" does not match ST02 "112233"',
    ]);
  });

  it('an unknown segment', async () => {
    const path = edit((s) => {
      s.splice(13, 0, 'ZZZ*1');
      return s.map((x) => (x === 'SE*26*112233' ? 'SE*27*112233' : x));
    });
    const r = await readX12File(path);
    expect(r.report.quarantined.map((q) => [q.segment, q.reason])).toEqual([
      [3, 'segment 14: unknown segment ZZZ in a 835 transaction'],
    ]);
    expect(r.report.remittanceClaims).toBe(0);
  });

  it('only the bad one of two transactions', async () => {
    const body = GOOD.slice(2, 28);
    const second = body.map((x) => x.replace('ST*835*112233', 'ST*835*2').replace('SE*26*112233', 'SE*25*2'));
    const segs = [...GOOD.slice(0, 2), ...body, ...second, 'GE*2*1', GOOD[29]!];
    const r = await readX12File(file(join12(segs)));
    expect(r.report.transactions).toEqual({ '835': 1 });
    expect(r.report.remittanceClaims).toBe(2);
    expect(r.report.quarantined).toMatchObject([
      {
        segment: 29,
        controlNumber: '2',
        reason: 'segment 54: SE01 says "25" segments, the transaction has 26',
      },
    ]);
    expect(r.tables.payment.map((p) => p.payment_amount)).toEqual([450, 495]);
  });

  it('a truncated file: the open transaction is quarantined and the missing GE/IEA reported', async () => {
    const text = join12(GOOD);
    const cut = text.indexOf('CLP*8765432112') + 12;
    const path = file(text.slice(0, cut));
    const r = await readX12File(path);
    expect(r.report.quarantined.map((q) => q.reason)).toEqual([
      'segment 20: the file ends inside this segment, without a terminator (truncated file) (and 1 more problem)',
    ]);
    expect(r.report.errors.map((e) => e.message)).toEqual([
      'segment 20 (end of file): functional group "1" has no GE (the file ends early; truncated file?)',
      'segment 20 (end of file): interchange "000000907" has no IEA (the file ends early; truncated file?)',
    ]);
    expect(r.report.errors[0]).toBeInstanceOf(ClaimlensError);
    expect(r.report.errors[0]!.location).toEqual({ file: path, line: 20 });
    for (const rows of Object.values(r.tables)) expect(rows).toEqual([]);
  });

  it('a file cut at a segment boundary', async () => {
    const r = await readX12File(file(join12(GOOD.slice(0, 20))));
    expect(r.report.quarantined.map((q) => q.reason)).toEqual([
      'the file ends before the SE of transaction 835 "112233" (truncated file)',
    ]);
  });

  it('invalid segment identifiers (imsweb bad_segment_identifier: "", "Nd4", "NM31")', async () => {
    const r = await readX12File(sample('imsweb-x12-parser/837_5010_x12_bad_segment_identifier.txt'));
    expect(r.report.quarantined.map((q) => q.reason)).toEqual([
      'segment 6: invalid segment identifier "" (and 3 more problems)',
    ]);
    const lenient = await readX12File(sample('imsweb-x12-parser/837_5010_x12_bad_segment_identifier.txt'), {
      countMismatch: 'warn',
    });
    expect(lenient.report.quarantined.map((q) => q.reason)).toEqual([
      'segment 6: invalid segment identifier "" (and 2 more problems)',
    ]);
  });
});

describe('envelope errors are reported (thrown with strict), transactions still read', () => {
  it('missing IEA', async () => {
    const path = edit((s) => s.slice(0, 29));
    const r = await readX12File(path);
    expect(r.report.errors.map((e) => e.describe())).toEqual([
      `${path}:29: segment 29 (end of file): interchange "000000907" has no IEA (the file ends early; truncated file?)`,
    ]);
    expect(r.report.remittanceClaims).toBe(2);
    await expect(readX12File(path, { strict: true })).rejects.toThrow(/has no IEA/);
  });

  it('GE and IEA counts and control numbers', async () => {
    const r = await readX12File(edit((s) => [...s.slice(0, 28), 'GE*2*9', 'IEA*3*000000908']));
    expect(r.report.errors.map((e) => e.message)).toEqual([
      'segment 29 (GE): GE01 (number of transactions) says "2", found 1',
      'segment 29 (GE): GE02 control number "9" does not match GS06 "1"',
      'segment 30 (IEA): IEA01 (number of functional groups) says "3", found 1',
      'segment 30 (IEA): IEA02 control number "000000908" does not match ISA13 "000000907"',
    ]);
    expect(r.report.transactions).toEqual({ '835': 1 });
  });

  it('a segment between transactions', async () => {
    const r = await readX12File(edit((s) => [...s.slice(0, 2), 'N1*PR*STRAY', ...s.slice(2)]));
    expect(r.report.errors.map((e) => e.message)).toEqual([
      'segment 3 (N1): segment N1 outside a transaction (ST..SE)',
    ]);
  });
});

describe('files unreadable as X12 throw', () => {
  it('wrong element separator after the ISA', async () => {
    const path = edit((s) => [isaOf(s), ...s.slice(1).map((x) => x.replaceAll('*', '|'))]);
    const err = await readX12File(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClaimlensError);
    expect((err as ClaimlensError).message).toMatch(
      /^segment 2: expected GS after ISA, found "GS\|HP\|.*"; the file does not use the delimiters its ISA declares \(element "\*", component ":", terminator "~"\)$/,
    );
    expect((err as ClaimlensError).location).toEqual({ file: path, line: 2 });
  });

  it('wrong segment terminator after the ISA', async () => {
    const path = file(`${isaOf(GOOD)}~\n${GOOD.slice(1).join('\n')}\n`);
    await expect(readX12File(path)).rejects.toThrow(
      /^segment 2: GS has \d+ elements instead of 8; the file does not use/,
    );
  });

  it('a malformed ISA (imsweb bad_first_line) and no ISA at all', async () => {
    await expect(readX12File(sample('imsweb-x12-parser/837_5010_x12_bad_first_line.txt'))).rejects.toThrow(
      'segment 1 (ISA): ISA02 must be 10 characters (ISA is fixed-length, 106 characters), found 9 characters',
    );
    await expect(readX12File(sample('imsweb-x12-parser/837_5010_x12_no_isa_line.txt'))).rejects.toThrow(
      /the file does not start with an ISA segment/,
    );
    await expect(readX12File(file(''))).rejects.toThrow(/the file is empty/);
  });
});

describe('the imsweb samples: deliberately broken files and sets claimlens does not read', () => {
  // imsweb's generator writes SE*25 whatever the count, so every one of its 837s is quarantined by
  // default; with countMismatch 'warn' the IG-level defects its names describe do not stop a read.
  const cases: [string, string, number][] = [
    ['837_5010_x12_valid.txt', 'segment 36: SE01 says "25" segments, the transaction has 34', 2],
    ['837_5010_x12_no_errors.txt', 'segment 43: SE01 says "25" segments, the transaction has 41', 2],
    ['837_5010_x12_bad_valid_code.txt', 'segment 36: SE01 says "25" segments, the transaction has 34', 2],
    ['837_5010_x12_missing_elements.txt', 'segment 36: SE01 says "25" segments, the transaction has 34', 2],
    [
      '837_5010_x12_segments_out_of_order.txt',
      'segment 36: SE01 says "25" segments, the transaction has 34',
      2,
    ],
    ['837_5010_x12_segment_errors.txt', 'segment 25: SE01 says "25" segments, the transaction has 23', 1],
    [
      '837_5010_x12_loop_errors1_exceeds_max_1_parent.txt',
      'segment 33: SE01 says "25" segments, the transaction has 31',
      1,
    ],
    [
      '837_5010_x12_loop_errors3_missing_loops.txt',
      'segment 21: SE01 says "25" segments, the transaction has 19',
      1,
    ],
    [
      '837_5010_x12_many_claims.txt',
      'segment 11488: SE01 says "25" segments, the transaction has 11486',
      820,
    ],
  ];
  for (const [name, reason, claims] of cases) {
    it(`${name}: quarantined by default, ${claims} claim(s) read with countMismatch 'warn'`, async () => {
      const strictRead = await readX12File(sample(`imsweb-x12-parser/${name}`));
      expect(strictRead.report.quarantined.map((q) => q.reason)).toEqual([reason]);
      expect(strictRead.tables.medical_claim).toEqual([]);
      const lenient = await readX12File(sample(`imsweb-x12-parser/${name}`), { countMismatch: 'warn' });
      expect(lenient.report.quarantined).toEqual([]);
      expect(lenient.report.claims).toBe(claims);
    });
  }

  it('multiple_st and multiple_gs: GE01 / IEA01 undercount', async () => {
    const st = await readX12File(sample('imsweb-x12-parser/837_5010_x12_multiple_st.txt'), {
      countMismatch: 'warn',
    });
    expect(st.report.claims).toBe(4);
    expect(st.report.warnings[0]?.message).toBe(
      'segment 36: SE01 says "25" segments, the transaction has 34',
    );
    const strictRead = await readX12File(sample('imsweb-x12-parser/837_5010_x12_multiple_st.txt'));
    expect(strictRead.report.errors.map((e) => e.message)).toEqual([
      'segment 71 (GE): GE01 (number of transactions) says "1", found 2',
    ]);
    const gs = await readX12File(sample('imsweb-x12-parser/837_5010_x12_multiple_gs.txt'));
    expect(gs.report.errors.map((e) => e.message)).toEqual([
      'segment 110 (IEA): IEA01 (number of functional groups) says "1", found 3',
    ]);
    expect(gs.report.quarantined).toHaveLength(3);
  });

  it('277, 999, 270 and 271 are skipped, not errors (their own envelope slips are reported)', async () => {
    const skipped: [string, string, string[]][] = [
      ['277_5010_x12_277CA_accepted.txt', '277', []],
      ['277_5010_x12_277CA_rejected.txt', '277', []],
      [
        '277_5010_x12_277_x212.txt',
        '277',
        ['segment 111 (IEA): IEA02 control number "842928883" does not match ISA13 "000000001"'],
      ],
      [
        '837_5010_x12_999_accepted.txt',
        '999',
        ['segment 10 (IEA): IEA02 control number "000000001" does not match ISA13 "000000286"'],
      ],
      ['837_5010_x12_999_rejected.txt', '999', []],
      [
        'x270_271_x270.txt',
        '270',
        ['segment 18 (IEA): IEA02 control number "000014420" does not match ISA13 "000003438"'],
      ],
      [
        'x270_271_x271.txt',
        '271',
        ['segment 22 (IEA): IEA02 control number "000014420" does not match ISA13 "000003438"'],
      ],
    ];
    for (const [name, set, errors] of skipped) {
      const r = await readX12File(sample(`imsweb-x12-parser/${name}`));
      expect(r.report.skipped.map((s) => [s.transactionSet, s.segment, s.reason])).toEqual([
        [set, 3, `transaction set ${set} is not read by claimlens`],
      ]);
      expect(r.report.transactions).toEqual({});
      expect(r.report.quarantined).toEqual([]);
      expect(r.report.errors.map((e) => e.message)).toEqual(errors);
    }
  });
});
