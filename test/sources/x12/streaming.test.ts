// Streaming: a synthesized single-transaction 835 (one ST/SE around many CLP loops) is read in
// bounded memory; the look-ahead that proves a big transaction sound also drops a bad one whole.
// X12_STREAM_MB sets the size of the large file (default 50).
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { BUFFER_LIMIT, openX12File } from '../../../src/sources/x12/index.ts';
import { tempDir } from './fixtures.ts';
import { ADJUSTMENTS_PER_CLAIM, writeLarge835 } from './synth.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('a transaction larger than the buffer', () => {
  it('streams rows before its SE once the look-ahead has proved it sound', async () => {
    const path = `${tmp.dir}/mid.835`;
    const claims = await writeLarge835(path, 2 * 1024 * 1024);
    expect(claims * 6).toBeGreaterThan(BUFFER_LIMIT);
    const stream = openX12File(path, { chunkSize: 64 * 1024 });
    let batches = 0;
    let payments = 0;
    for await (const rows of stream) {
      batches++;
      payments += rows.filter((r) => r.table === 'payment').length;
    }
    expect(batches).toBeGreaterThan(10);
    expect(payments).toBe(claims);
    expect(stream.report.quarantined).toEqual([]);
  });

  it('drops it whole when its SE01 is wrong, without holding its rows', async () => {
    const path = `${tmp.dir}/bad.835`;
    const claims = await writeLarge835(path, 2 * 1024 * 1024, 1);
    const stream = openX12File(path);
    let rows = 0;
    for await (const batch of stream) rows += batch.length;
    expect(rows).toBe(0);
    expect(stream.report.quarantined).toHaveLength(1);
    expect(stream.report.quarantined[0]!.reason).toBe(
      `segment ${claims * 13 + 9}: SE01 says "${claims * 13 + 8}" segments, the transaction has ${claims * 13 + 7}`,
    );
  });
});

describe('a large 835', () => {
  it('parses with bounded memory and reports its throughput', async () => {
    const mb = Number(process.env.X12_STREAM_MB ?? 50);
    const path = `${tmp.dir}/large.835`;
    const claims = await writeLarge835(path, mb * 1024 * 1024);
    const size = statSync(path).size;

    gc();
    const base = process.memoryUsage().heapUsed;
    let retained = 0;
    let early: number | undefined;
    let late = 0;
    let peak = 0;
    let batches = 0;
    let paidCents = 0;
    const started = process.hrtime.bigint();
    const stream = openX12File(path);
    for await (const rows of stream) {
      for (const { table, row } of rows)
        if (table === 'payment') paidCents += Math.round(Number(row.payment_amount) * 100);
      peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      // Every so often, what survives a full collection: the reader's own state.
      if (++batches % 250 === 0) {
        gc();
        const now = process.memoryUsage().heapUsed - base;
        early ??= now;
        late = now;
        retained = Math.max(retained, now);
      }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const report = stream.report;

    expect(report.remittanceClaims).toBe(claims);
    expect(report.remittanceLines).toBe(claims * 2);
    expect(report.adjustments).toBe(claims * ADJUSTMENTS_PER_CLAIM);
    expect(report.payments).toBe(claims);
    expect(paidCents).toBe(claims * 8892);
    expect(report.quarantined).toEqual([]);
    expect(report.warningCount).toBe(0);
    // What survives a collection stays a few MB (the current batch, compiled code), far below the
    // file size, and does not grow from the first quarter of the file to the end.
    expect(retained).toBeLessThan(size / 10);
    expect(late - (early ?? 0)).toBeLessThan(2 * 1024 * 1024);

    const mbs = size / 1048576;
    console.log(
      `x12 streaming: ${mbs.toFixed(1)} MB, ${claims} CLP loops in one ST/SE, ${seconds.toFixed(2)} s, ` +
        `${(mbs / seconds).toFixed(1)} MB/s; heap growth retained ${(retained / 1048576).toFixed(1)} MB, ` +
        `peak (uncollected garbage included) ${(peak / 1048576).toFixed(1)} MB`,
    );
  });
});
