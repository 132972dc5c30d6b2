// Directory reads: the whole sample folder, and 835s settling the 837 claims of the same folder
// (status, net paid amounts over reversals and corrections, patient share, paid date).
import { afterAll, describe, expect, it } from 'vitest';
import { openX12Directory, readX12Directory } from '../../../src/sources/x12/index.ts';
import { DATA, join12, tempDir } from './fixtures.ts';

describe('readX12Directory on the shared samples', () => {
  it('reads every X12 file, 835s first, and reports what it could not read', async () => {
    const { tables, report } = await readX12Directory(DATA);
    expect(report.files).toHaveLength(90);
    expect(report.skippedFiles.map((f) => f.file.slice(DATA.length + 1))).toEqual(['SOURCE.md']);
    expect(report.transactions).toEqual({ '835': 11, '837I': 17, '837P': 31 });
    expect(report.claims).toBe(49);
    expect(report.serviceLines).toBe(142);
    expect(report.remittanceClaims).toBe(35);
    expect(report.adjustments).toBe(73);
    expect(report.payments).toBe(24);
    expect(report.claimsWithRemittance).toBe(0); // no sample 835 pays a sample 837
    // The three files unreadable as X12 are errors of the report, not exceptions.
    const failed = report.files.filter((f) => f.error).map((f) => f.file.slice(DATA.length + 1));
    expect(failed).toEqual([
      'edi-835-parser/blue_cross_nc_sample.835.txt',
      'imsweb-x12-parser/837_5010_x12_bad_first_line.txt',
      'imsweb-x12-parser/837_5010_x12_no_isa_line.txt',
    ]);
    expect(report.errors).toHaveLength(10);
    // imsweb: 27 transactions with a wrong SE01 (312 of them in one file), 9 unread sets and dental claims.
    expect(report.quarantined).toHaveLength(338);
    expect(report.skipped.map((s) => s.transactionSet ?? '')).toEqual([
      '277',
      '277',
      '277',
      '999',
      '999',
      '270',
      '271',
      '837',
      '837',
    ]);
    // The 11 files holding 835s come first (sniffed from their first 64 KiB).
    expect(report.files.slice(0, 11).every((f) => /835/.test(f.file))).toBe(true);
    expect(report.files[11]!.file).toMatch(/blue_cross_nc_sample/);
    // Payers and providers once each across files.
    expect(new Set(tables.payer.map((p) => p.payer)).size).toBe(tables.payer.length);
    expect(new Set(tables.provider.map((p) => p.npi)).size).toBe(tables.provider.length);
  });
});

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const ISA = (n: string) =>
  `ISA*00*          *00*          *ZZ*ACMEHEALTH     *ZZ*NORTHCLINIC    *240401*0900*^*00501*${n}*0*P*:`;

function envelope(control: string, gs: string, body: string[]): string {
  const st = [`ST*${body[0]}`, ...body.slice(1)];
  return join12([
    ISA(control),
    gs,
    ...st,
    `SE*${st.length + 1}*0001`,
    `GE*1*${control.slice(-3)}`,
    `IEA*1*${control}`,
  ]);
}

const claims = envelope('000000101', 'GS*HC*NORTHCLINIC*ACMEHEALTH*20240320*0900*101*X*005010X222A1', [
  '837*0001*005010X222A1',
  'BHT*0019*00*B1*20240320*0900*CH',
  'HL*1**20*1',
  'NM1*85*2*NORTH CLINIC*****XX*1234567893',
  'HL*2*1*22*0',
  'SBR*P*18*GRP7******CI',
  'NM1*IL*1*DOE*JANE****MI*W1',
  'NM1*PR*2*ACME HEALTH*****PI*60054',
  'CLM*C-100*200***11:B:1*Y*A*Y*Y',
  'HI*ABK:E119',
  'LX*1',
  'SV1*HC:99214*100*UN*1***1',
  'DTP*472*D8*20240310',
  'LX*2',
  'SV1*HC:83036*50*UN*1***1',
  'DTP*472*D8*20240310',
  'LX*3',
  'SV1*HC:82947*50*UN*1***1',
  'DTP*472*D8*20240310',
  'CLM*C-200*80***11:B:1*Y*A*Y*Y',
  'HI*ABK:I10',
  'LX*1',
  'SV1*HC:99213*80*UN*1***1',
  'DTP*472*D8*20240311',
  'CLM*C-300*90***11:B:1*Y*A*Y*Y',
  'HI*ABK:J069',
  'LX*1',
  'SV1*HC:99212*60*UN*1***1',
  'DTP*472*D8*20240312',
  'LX*2',
  'SV1*HC:87880*30*UN*1***1',
  'DTP*472*D8*20240312',
]);

const remitHeader = (date: string, trace: string, amount: string) => [
  '835*0001',
  `BPR*I*${amount}*C*ACH*CCP*01*999999999*DA*123456*1234567890**01*999999999*DA*654321*${date}`,
  `TRN*1*${trace}*1234567890`,
  `DTM*405*${date}`,
  'N1*PR*ACME HEALTH*XV*60054',
  'N1*PE*NORTH CLINIC*XX*1234567893',
  'LX*1',
];

// First remittance: C-100 partially paid (line 3 denied CO-97, copay PR-3 on line 1), C-200 denied.
const remit1 = envelope('000000201', 'GS*HP*ACMEHEALTH*NORTHCLINIC*20240401*0900*201*X*005010X221A1', [
  ...remitHeader('20240401', 'EFT1', '120'),
  'CLP*C-100*1*200*120*20*12*PCN1',
  'NM1*QC*1*DOE*JANE****MI*W1',
  'SVC*HC:99214*100*70**1',
  'CAS*CO*45*10',
  'CAS*PR*3*20',
  'REF*6R*1',
  'SVC*HC:83036*50*50**1',
  'REF*6R*2',
  'SVC*HC:82947*50*0**1',
  'CAS*CO*97*50',
  'LQ*HE*M15',
  'REF*6R*3',
  'CLP*C-200*4*80*0*0*12*PCN2',
  'CAS*CO*197*80',
  'NM1*QC*1*DOE*JANE****MI*W1',
]);

// Second remittance: C-100 reversed (claim level only) and re-adjudicated with line 3 paid; C-200 paid on appeal.
const remit2 = envelope('000000202', 'GS*HP*ACMEHEALTH*NORTHCLINIC*20240415*0900*202*X*005010X221A1', [
  ...remitHeader('20240415', 'EFT2', '94'),
  'CLP*C-100*22*-200*-120*-20*12*PCN1',
  'CAS*CO*45*-10',
  'CAS*PR*3*-20',
  'CAS*CO*97*-50',
  'NM1*QC*1*DOE*JANE****MI*W1',
  'CLP*C-100*1*200*150*20*12*PCN1',
  'NM1*QC*1*DOE*JANE****MI*W1',
  'SVC*HC:99214*100*70**1',
  'CAS*CO*45*10',
  'CAS*PR*3*20',
  'REF*6R*1',
  'SVC*HC:83036*50*50**1',
  'REF*6R*2',
  'SVC*HC:82947*50*30**1',
  'CAS*CO*45*20',
  'REF*6R*3',
  'CLP*C-200*1*80*64*0*12*PCN2',
  'CAS*CO*45*16',
  'NM1*QC*1*DOE*JANE****MI*W1',
]);

describe('835s settle the 837 claims of the same directory', () => {
  it('takes status and paid date from the latest remittance and nets amounts over all of them', async () => {
    // Names sort the 837 first: the reader still reads the 835s before it.
    tmp.write('a-claims.837', claims);
    tmp.write('b-remit1.835', remit1);
    const first = await readX12Directory(tmp.dir);
    expect(first.report.files.map((f) => f.file.slice(tmp.dir.length + 1))).toEqual([
      'b-remit1.835',
      'a-claims.837',
    ]);
    expect(first.report.claimsWithRemittance).toBe(2);
    expect(
      first.tables.medical_claim.map((r) => [
        r.claim_id,
        r.claim_line_number,
        r.claim_status,
        r.paid_amount,
        r.copayment_amount,
        r.allowed_amount,
        r.paid_date,
      ]),
    ).toEqual([
      ['C-100', 1, 'paid', 70, 20, 90, '2024-04-01'],
      ['C-100', 2, 'paid', 50, 0, 50, '2024-04-01'],
      ['C-100', 3, 'denied', 0, 0, 0, '2024-04-01'],
      ['C-200', 1, 'denied', 0, undefined, 0, '2024-04-01'],
      ['C-300', 1, 'pending', 0, undefined, undefined, undefined],
      ['C-300', 2, 'pending', 0, undefined, undefined, undefined],
    ]);
    expect(first.tables.remittance_claim.map((r) => r.claim_status)).toEqual(['partially_paid', 'denied']);
    expect(first.tables.claim_adjustment.find((a) => a.carc_code === '97')).toMatchObject({
      claim_line_number: 3,
      rarc_code: 'M15',
    });

    tmp.write('c-remit2.835', remit2);
    const second = await readX12Directory(tmp.dir);
    expect(
      second.tables.medical_claim.map((r) => [
        r.claim_id,
        r.claim_line_number,
        r.claim_status,
        r.paid_amount,
        r.copayment_amount,
        r.allowed_amount,
        r.paid_date,
      ]),
    ).toEqual([
      ['C-100', 1, 'paid', 70, 20, 90, '2024-04-15'],
      ['C-100', 2, 'paid', 50, 0, 50, '2024-04-15'],
      ['C-100', 3, 'paid', 30, 0, 30, '2024-04-15'],
      ['C-200', 1, 'paid', 64, undefined, 64, '2024-04-15'],
      ['C-300', 1, 'pending', 0, undefined, undefined, undefined],
      ['C-300', 2, 'pending', 0, undefined, undefined, undefined],
    ]);
    // The reversal and the correction of C-100 share a remittance: sequences and payment ids stay unique.
    expect(second.tables.payment.map((p) => [p.payment_id, p.payment_amount])).toEqual([
      ['EFT1:C-100', 120],
      ['EFT2:C-100', -120],
      ['EFT2:C-100:2', 150],
      ['EFT2:C-200', 64],
    ]);
    const keys = second.tables.claim_adjustment.map(
      (a) => `${a.claim_id}/${a.claim_line_number}/${a.remit_date}/${a.adjustment_sequence}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    expect(
      second.tables.claim_adjustment
        .filter((a) => a.remit_date === '2024-04-15' && a.claim_id === 'C-100')
        .map((a) => [a.claim_line_number, a.adjustment_sequence, a.carc_code, a.adjustment_amount]),
    ).toEqual([
      [0, 1, '45', -10],
      [0, 2, '3', -20],
      [0, 3, '97', -50],
      [1, 1, '45', 10],
      [1, 2, '3', 20],
      [3, 1, '45', 20],
    ]);

    const off = await readX12Directory(tmp.dir, { applyRemittances: false });
    expect(off.tables.medical_claim.every((r) => r.claim_status === 'pending' && r.paid_amount === 0)).toBe(
      true,
    );
  });

  it('streams batches with a live report', async () => {
    const stream = openX12Directory(tmp.dir);
    let rows = 0;
    for await (const batch of stream) rows += batch.length;
    expect(rows).toBe(Object.values(stream.report.rows).reduce((a, b) => a + b, 0));
    expect(stream.report.rows.medical_claim).toBe(6);
  });
});
