// 835 samples read end to end; every expected number below was read off the sample files by hand
// (CLP loops, CLP04 totals against BPR02, CAS triples and their CARCs, retired CARCs such as 42
// and A2 kept as they are).
import { describe, expect, it } from 'vitest';
import { readX12File, type X12Record } from '../../../src/sources/x12/index.ts';
import { sample, total } from './fixtures.ts';

const carcs = (rows: X12Record[]) => rows.map((r) => `${r.adjustment_group_code}-${r.carc_code}`);

describe('835 samples', () => {
  it('linuxforhealth managed-care: claim-level CO-A2 and line-level PR-1 / CO-45, BPR16 not a date', async () => {
    const { tables, report } = await readX12File(
      sample('linuxforhealth-x12/835_005010X221A1_managed-care.835'),
    );
    expect(report.remittanceClaims).toBe(2);
    expect(total(tables.remittance_claim.map((r) => r.paid_amount))).toBe(945); // = BPR02
    expect(
      tables.claim_adjustment.map((r) => [
        r.claim_id,
        r.claim_line_number,
        r.adjustment_sequence,
        `${r.adjustment_group_code}-${r.carc_code}`,
        r.adjustment_amount,
      ]),
    ).toEqual([
      ['5554555444', 0, 1, 'CO-A2', 50],
      ['5554555444', 1, 1, 'PR-1', 300],
      ['8765432112', 0, 1, 'CO-A2', 55],
      ['8765432112', 1, 1, 'PR-1', 600],
      ['8765432112', 1, 2, 'CO-45', 50],
    ]);
    for (const r of tables.claim_adjustment)
      expect(r).toMatchObject({ remit_date: '2002-03-14', payer: 'RUSHMORE LIFE' });
    // BPR16 is "20002316", not a date: the payment date falls back to DTM*405.
    expect(tables.payment).toEqual([
      {
        payment_id: '7170066655:5554555444',
        claim_id: '5554555444',
        person_id: '33344555510',
        payer: 'RUSHMORE LIFE',
        payment_source: 'payer',
        payment_date: '2002-03-14',
        payment_amount: 450,
        payment_method: 'eft',
        trace_number: '7170066655',
        data_source: 'x12:835_005010X221A1_managed-care.835',
      },
      expect.objectContaining({
        payment_id: '7170066655:8765432112',
        payment_amount: 495,
        person_id: '44455666610',
      }),
    ]);
    expect(
      tables.remittance_claim.map((r) => [
        r.claim_status,
        r.charge_amount,
        r.paid_amount,
        r.patient_responsibility_amount,
      ]),
    ).toEqual([
      ['paid', 800, 450, 300],
      ['paid', 1200, 495, 600],
    ]);
    expect(tables.payer).toEqual([
      {
        payer: 'RUSHMORE LIFE',
        payer_type: 'commercial',
        data_source: 'x12:835_005010X221A1_managed-care.835',
      },
    ]);
    expect(tables.provider).toMatchObject([
      { npi: '5544667733', entity_type: 'organization', provider_name: 'ACME MEDICAL CENTER' },
    ]);
    expect(report.warnings).toEqual([]);
  });

  it('linuxforhealth cob-contractural-adjustment: OA-23 and a negative OA-94 on line 1', async () => {
    const { tables, report } = await readX12File(
      sample('linuxforhealth-x12/835_005010X221A1_cob-contractural-adjustment.835'),
    );
    expect(report.remittanceClaims).toBe(1);
    expect(
      tables.claim_adjustment.map((r) => [r.claim_line_number, carcs([r])[0], r.adjustment_amount]),
    ).toEqual([
      [1, 'OA-23', 516],
      [1, 'OA-94', -9],
    ]);
    expect(tables.payment).toMatchObject([
      {
        claim_id: '0001000055',
        payment_amount: 34,
        payment_method: 'check',
        payment_date: '2005-03-18',
        trace_number: '0063158ABC',
        person_id: '987654321',
      },
    ]);
    expect(tables.remittance_claim[0]).toMatchObject({
      claim_status: 'paid',
      claim_status_code: '2',
      charge_amount: 541,
    });
  });

  it('linuxforhealth medicare-part-a (and demo.835, the same file): claim-level CO-45 with MOA remark MA02', async () => {
    for (const f of ['835_005010X221A1_medicare-part-a.835', 'demo-file_demo.835']) {
      const { tables, report } = await readX12File(sample(`linuxforhealth-x12/${f}`));
      expect(report.remittanceClaims).toBe(2);
      expect(report.remittanceLines).toBe(0);
      expect(total(tables.payment.map((p) => p.payment_amount))).toBe(149998.73); // BPR02 150000.00 less PLB -1.27
      expect(
        tables.claim_adjustment.map((r) => [
          r.claim_id,
          r.claim_line_number,
          carcs([r])[0],
          r.adjustment_amount,
          r.rarc_code,
        ]),
      ).toEqual([
        ['666123', 0, 'CO-45', 73348.57, undefined],
        ['777777', 0, 'CO-45', 3019.67, 'MA02'],
      ]);
      expect(tables.payer).toMatchObject([
        { payer: 'INSURANCE COMPANY OF TIMBUCKTU', payer_id: '999', payer_type: 'medicare' },
      ]);
      expect(tables.payment.map((p) => [p.payment_date, p.person_id])).toEqual([
        ['2002-09-13', '666666666A'],
        ['2002-09-13', '996669999B'],
      ]);
      expect(tables.claim_adjustment[0]!.remit_date).toBe('2002-09-16');
    }
  });

  it('linuxforhealth secondary-payment: OA-23 x2, PR-1, PR-2, CO-42 (two PR triples in one CAS)', async () => {
    const { tables } = await readX12File(sample('linuxforhealth-x12/835_005010X221A1_secondary-payment.835'));
    expect(
      tables.claim_adjustment.map((r) => [
        r.claim_id,
        r.claim_line_number,
        r.adjustment_sequence,
        carcs([r])[0],
        r.adjustment_amount,
      ]),
    ).toEqual([
      ['L0004828311', 0, 1, 'OA-23', 9411.64],
      ['0001000053', 1, 1, 'OA-23', 136.5],
      ['0001000053', 2, 1, 'PR-1', 150],
      ['0001000053', 2, 2, 'PR-2', 70],
      ['0001000053', 2, 3, 'CO-42', 85],
    ]);
    expect(total(tables.payment.map((p) => p.payment_amount))).toBe(1222); // = BPR02
  });

  it('linuxforhealth tertiary-payment: the malformed SVC is reported as unbalanced, the claim balances', async () => {
    const { tables, report } = await readX12File(
      sample('linuxforhealth-x12/835_005010X221A1_tertiary-payment.835'),
    );
    expect(tables.remittance_claim).toMatchObject([
      { claim_id: '0001000054', claim_status: 'paid', claim_status_code: '3', paid_amount: 187.5 },
    ]);
    expect(carcs(tables.claim_adjustment)).toEqual(['OA-23']);
    expect(report.warnings.map((w) => w.message)).toEqual([
      'segment 16: claim 0001000054 service line 1 does not balance: SVC02 24599 - adjustments = 23020, SVC03 is 1766.5',
    ]);
  });

  it('edi-835-parser emedny: paid, denied (CO-29) and partially paid (CO-251 with LQ*HE N206) claims sharing one id', async () => {
    const { tables, report } = await readX12File(sample('edi-835-parser/emedny_sample.835.txt'));
    expect(report.remittanceClaims).toBe(3);
    expect(report.remittanceLines).toBe(10);
    expect(tables.remittance_claim.map((r) => [r.claim_status, r.claim_status_code, r.paid_amount])).toEqual([
      ['paid', '1', 34.25],
      ['denied', '2', 0],
      ['partially_paid', '2', 11.5],
    ]);
    // The three CLPs repeat "PATIENT ACCOUNT NUMBER": sequences continue so the grain stays unique.
    expect(
      tables.claim_adjustment.map((r) => [
        r.claim_line_number,
        r.adjustment_sequence,
        carcs([r])[0],
        r.adjustment_amount,
        r.rarc_code,
      ]),
    ).toEqual([
      [1, 1, 'CO-29', 12, undefined],
      [2, 1, 'CO-29', 22, undefined],
      [3, 1, 'CO-251', 2.75, 'N206'],
      [4, 1, 'CO-251', 20, 'N206'],
    ]);
    expect(tables.payment.map((p) => [p.payment_id, p.payment_amount])).toEqual([
      ['10100000000:PATIENT ACCOUNT NUMBER', 34.25],
      ['10100000000:PATIENT ACCOUNT NUMBER:3', 11.5],
    ]);
    expect(total(tables.payment.map((p) => p.payment_amount))).toBe(45.75); // = BPR02
    expect(tables.payer).toMatchObject([{ payer: 'NYSDOH', payer_type: 'medicaid' }]);
  });

  it('edi-835-parser united_healthcare_legacy: CO-45 x4, PR-1 x2, PR-2; REF*6R too long to be a line number', async () => {
    const { tables, report } = await readX12File(
      sample('edi-835-parser/united_healthcare_legacy_sample.835.txt'),
    );
    expect(report.remittanceClaims).toBe(2);
    expect(
      tables.claim_adjustment.map((r) => [
        r.claim_id,
        r.claim_line_number,
        carcs([r])[0],
        r.adjustment_amount,
      ]),
    ).toEqual([
      ['001-18573-358', 1, 'CO-45', 67.5],
      ['001-18573-358', 2, 'PR-1', 105.26],
      ['001-18573-358', 2, 'CO-45', 79.6],
      ['001-18604-358', 1, 'CO-45', 255.72],
      ['001-18604-358', 3, 'PR-2', 5.13],
      ['001-18604-358', 3, 'PR-1', 110],
      ['001-18604-358', 3, 'CO-45', 184.32],
    ]);
    expect(total(tables.payment.map((p) => p.payment_amount))).toBe(349.99); // = BPR02
    expect(tables.payer).toMatchObject([
      { payer: 'UNITED HEALTHCARE INSURANCE COMPANY', payer_id: '87726', payer_type: 'medicare_advantage' },
    ]);
    expect(report.warnings).toEqual([]);
    // DTM*232 / 233 statement period and DTM*050 received date on remittance_claim.
    expect(
      tables.remittance_claim.map((r) => [r.service_start_date, r.service_end_date, r.claim_received_date]),
    ).toEqual([
      ['2020-12-21', '2021-01-13', '2021-01-14'],
      ['2020-12-18', '2021-01-10', '2021-01-14'],
    ]);
  });

  it('pyx12 835_mult_loops: a denied claim (CLP02 4) with CO-16 and OA-A7 x2, each with remark N14, and no payment', async () => {
    const { tables } = await readX12File(sample('pyx12/835_mult_loops.txt'));
    expect(tables.remittance_claim).toMatchObject([
      { claim_id: '2005555A', claim_status: 'denied', charge_amount: 915.39, paid_amount: 0 },
    ]);
    expect(
      tables.claim_adjustment.map((r) => [
        r.claim_line_number,
        carcs([r])[0],
        r.adjustment_amount,
        r.rarc_code,
        r.remit_date,
      ]),
    ).toEqual([
      [1, 'CO-16', 500.04, 'N14', '2013-09-01'],
      [2, 'OA-A7', 127.8, 'N14', '2013-09-01'],
      [3, 'OA-A7', 287.55, 'N14', '2013-09-01'],
    ]);
    expect(tables.payment).toEqual([]);
    // No DTM*232: the service span comes from the lines' DTM*150 / 151.
    expect(tables.remittance_claim[0]).toMatchObject({
      service_start_date: '2003-10-30',
      service_end_date: '2003-11-29',
    });
  });

  it('oopfactory 835 (5010 and 4010): denials, a predetermination and reversals; CLP04 sums to BPR02 5.75', async () => {
    const expected = [
      ['444444', 'paid', 56.52],
      ['999999', 'denied', 0],
      ['888888', 'denied', 0],
      ['111111', 'paid', 18.88],
      ['121212', 'denied', 0],
      ['333333', 'paid', 59.69],
      ['777777', 'pending', 0],
      ['123456', 'reversed', -42.58],
      ['090909', 'reversed', -86.76],
    ];
    const counts = {
      'CO-42': 7,
      'OA-23': 3,
      'CR-22': 2,
      'CR-42': 2,
      'CO-29': 1,
      'CR-18': 1,
      'CR-141': 1,
      'OA-141': 1,
      'OA-22': 1,
      'PI-104': 1,
      'PR-2': 1,
    };
    for (const [f, clps] of [
      ['835_5010_Example1.txt', 10],
      ['835_4010_Example1_GripElements.txt', 9],
    ] as const) {
      const { tables, report } = await readX12File(sample(`oopfactory-x12parser/${f}`));
      expect(report.remittanceClaims).toBe(clps);
      expect(
        tables.remittance_claim.slice(0, 9).map((r) => [r.claim_id, r.claim_status, r.paid_amount]),
      ).toEqual(expected);
      expect(total(tables.remittance_claim.map((r) => r.paid_amount))).toBe(5.75);
      const seen: Record<string, number> = {};
      for (const c of carcs(tables.claim_adjustment)) seen[c] = (seen[c] ?? 0) + 1;
      expect(seen).toEqual(counts);
      expect(tables.payment.map((p) => p.payment_amount)).toEqual([56.52, 18.88, 59.69, -42.58, -86.76]);
      expect(tables.claim_adjustment.filter((r) => r.rarc_code === 'MA92')).toHaveLength(3);
      expect(report.warnings).toEqual([]);
    }
  });
});
