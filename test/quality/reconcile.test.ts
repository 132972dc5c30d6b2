// Claims-to-EHR match and ledger variance on hand-made inputs, with the rates worked out by hand.
import { afterEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../src/engine/duckdb.ts';
import { ehrMatch, ledgerVariance } from '../../src/quality/reconcile.ts';
import { TableProbe } from '../../src/quality/runner.ts';
import { EHR_ROWS, insert, LEDGER_ROWS, mc, openFixture } from './fixture.ts';

let wh: Warehouse | undefined;
afterEach(async () => {
  await wh?.close();
  wh = undefined;
});

describe('claims-to-EHR match', () => {
  it('matches 3 of 4 claims and 2 of 3 encounters in March', async () => {
    wh = await openFixture();
    await insert(wh, EHR_ROWS);
    const r = await ehrMatch(wh, new TableProbe(wh));
    expect(r.status).toBe('ok');
    expect(r.months_compared).toBe(1);
    const overall = Object.fromEntries(r.overall.map((o) => [o.claim_type, o]));
    expect(overall.all).toMatchObject({ claims: 4, claims_matched: 3, claim_match_rate: 0.75 });
    expect(overall.all).toMatchObject({ encounters: 3, encounters_matched: 2 });
    expect(overall.all!.encounter_match_rate).toBeCloseTo(2 / 3, 12);
    expect(overall.professional).toMatchObject({ claims: 3, claims_matched: 2, encounters_matched: 2 });
    expect(overall.institutional).toMatchObject({ claims: 1, claims_matched: 1, claim_match_rate: 1 });
    expect(overall.institutional!.encounter_match_rate).toBeCloseTo(1 / 3, 12);

    const april = r.by_month.filter((m) => m.month === '2024-04-01');
    expect(
      april.map((m) => [m.claim_type, m.claims, m.claim_match_rate, m.encounters, m.encounters_matched]),
    ).toEqual([
      ['all', 0, null, 1, 0],
      ['institutional', 0, null, 1, 0],
      ['professional', 0, null, 1, 0],
    ]);
    expect(r.by_month).toHaveLength(6);
  });

  it('is skipped without encounters', async () => {
    wh = await openFixture({ tables: ['medical_claim', 'eligibility'] });
    await insert(wh, { medical_claim: [mc('C1', {})] });
    const r = await ehrMatch(wh, new TableProbe(wh));
    expect(r).toMatchObject({ status: 'skipped', reason: 'input.encounter is not loaded', overall: [] });
  });
});

describe('ledger variance', () => {
  it('compares claims paid by paid month with ledger payer payments', async () => {
    wh = await openFixture();
    await insert(wh, LEDGER_ROWS);
    const r = await ledgerVariance(wh, new TableProbe(wh));
    expect(r.status).toBe('ok');
    const rows = r.by_month_payer.map((x) => [
      x.month,
      x.payer,
      x.claims_paid,
      x.ledger_payer_payments,
      x.variance_amount,
    ]);
    expect(rows).toEqual([
      ['2024-01-01', 'Acme', 900, 1000, 100],
      ['2024-01-01', 'Beta', 500, 500, 0],
      ['2024-02-01', 'Acme', 1000, 900, -100],
      ['2024-02-01', 'Beta', 200, 0, -200],
    ]);
    expect(r.by_month_payer.map((x) => x.variance_pct)).toEqual([
      expect.closeTo(100 / 900, 12),
      0,
      expect.closeTo(-0.1, 12),
      -1,
    ]);
    expect(
      r.by_month.map((x) => [x.month, x.claims_paid, x.ledger_payer_payments, x.variance_amount]),
    ).toEqual([
      ['2024-01-01', 1400, 1500, 100],
      ['2024-02-01', 1200, 900, -300],
    ]);
    expect(r.by_month[0]!.variance_pct).toBeCloseTo(100 / 1400, 12);
    expect(r.by_month[1]!.variance_pct).toBeCloseTo(-0.25, 12);
    expect(r.overall).toMatchObject({
      claims_paid: 2600,
      ledger_payer_payments: 2400,
      variance_amount: -200,
    });
    expect(r.overall!.variance_pct).toBeCloseTo(-0.076923, 6);
  });

  it('gives no percentage when claims paid nothing', async () => {
    wh = await openFixture();
    await insert(wh, { finance_ledger: [{ ledger_month: '2024-05-01', payer_payments: 250 }] });
    const r = await ledgerVariance(wh, new TableProbe(wh));
    // No claim rows at all: the claims table is empty, so there is nothing to reconcile.
    expect(r).toMatchObject({ status: 'skipped', reason: 'input.medical_claim is empty' });
    await insert(wh, { medical_claim: [mc('C1', { paid_date: '2024-06-03' })] });
    const r2 = await ledgerVariance(wh, new TableProbe(wh));
    expect(r2.by_month_payer).toEqual([
      {
        month: '2024-05-01',
        payer: 'Acme',
        claims_paid: 0,
        ledger_payer_payments: 250,
        variance_amount: 250,
        variance_pct: null,
      },
    ]);
  });
});
