import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blockAllocatorMemory, Warehouse } from '../../src/engine/duckdb.ts';
import { onSessions, withSetting, withThreads } from '../../src/engine/sessions.ts';
import { bookParallelism, buildMemoryLimit } from '../../src/runner/concurrency.ts';

let wh: Warehouse;
beforeEach(async () => {
  wh = await Warehouse.open(':memory:', { threads: 4 });
});
afterEach(async () => {
  await wh.close();
});

async function threads(): Promise<number> {
  return (await wh.one<{ n: number }>("SELECT CAST(current_setting('threads') AS BIGINT) AS n"))!.n;
}

describe('bookParallelism', () => {
  it('runs two at a time with the threads shared out up to the line limit, one above it and one without claims', async () => {
    expect(await bookParallelism(wh, 5)).toEqual({ sessions: 1, partitions: 1 });
    await wh.run('CREATE SCHEMA input');
    await wh.run('CREATE TABLE input.medical_claim AS SELECT range AS claim_line_number FROM range(5)');
    expect(await bookParallelism(wh, 5)).toEqual({ sessions: 2, threads: 2, partitions: 1 });
    await wh.run('INSERT INTO input.medical_claim VALUES (5)');
    expect(await bookParallelism(wh, 5)).toEqual({ sessions: 1, partitions: 1 });
  });

  it('runs partitioned models in one pass per started partition of lines above the line limit', async () => {
    await wh.run('CREATE SCHEMA input');
    await wh.run('CREATE TABLE input.medical_claim AS SELECT range AS claim_line_number FROM range(9)');
    // 9 lines: 3 passes of up to 3 lines, 5 of up to 2; two at a time (up to 9 lines) always whole.
    expect(await bookParallelism(wh, 5, 3)).toEqual({ sessions: 1, partitions: 3 });
    expect(await bookParallelism(wh, 5, 2)).toEqual({ sessions: 1, partitions: 5 });
    expect(await bookParallelism(wh, 9, 2)).toEqual({ sessions: 2, threads: 2, partitions: 1 });
  });

  it('gives each session at least one thread', async () => {
    await wh.run('SET threads = 1');
    await wh.run('CREATE SCHEMA input');
    await wh.run('CREATE TABLE input.medical_claim AS SELECT range AS claim_line_number FROM range(5)');
    expect(await bookParallelism(wh, 5)).toEqual({ sessions: 2, threads: 1, partitions: 1 });
  });
});

describe('withThreads', () => {
  it('sets the threads for the work and restores them after it, also when it fails', async () => {
    expect(await withThreads(wh, 1, threads)).toBe(1);
    expect(await threads()).toBe(4);
    await expect(
      withThreads(wh, 2, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await threads()).toBe(4);
    expect(await withThreads(wh, undefined, threads)).toBe(4);
  });
});

describe('withSetting', () => {
  const setting = async (name: string) =>
    (await wh.one<{ v: string }>('SELECT CAST(current_setting(?) AS VARCHAR) AS v', [name]))!.v;

  it('sets a boolean or text setting for the work and puts back the value it had, also when it fails', async () => {
    expect(
      await withSetting(wh, 'preserve_insertion_order', 'false', () => setting('preserve_insertion_order')),
    ).toBe('false');
    expect(await setting('preserve_insertion_order')).toBe('true');
    await wh.run("SET TimeZone = 'America/New_York'");
    await expect(
      withSetting(wh, 'TimeZone', "'UTC'", async () => {
        expect(await setting('TimeZone')).toBe('UTC');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await setting('TimeZone')).toBe('America/New_York');
  });
});

describe('buildMemoryLimit', () => {
  it('is the configured limit, else a third of the machine memory up to 2.5 GiB', () => {
    expect(buildMemoryLimit('4GB', 24 * 2 ** 30)).toBe('4GB');
    expect(buildMemoryLimit(undefined, 24 * 2 ** 30)).toBe('2560MiB');
    expect(buildMemoryLimit(undefined, 6 * 2 ** 30)).toBe('2048MiB');
  });
});

describe('blockAllocatorMemory', () => {
  const machine = 24 * 2 ** 30;
  it('is the memory limit in MiB, decimal and binary units read as DuckDB reads them', () => {
    expect(blockAllocatorMemory('2560MiB', machine)).toBe('2560MiB');
    expect(blockAllocatorMemory('4GB', machine)).toBe('3814MiB'); // 4e9 / 2^20 = 3814.7
    expect(blockAllocatorMemory(' 1.5 gib ', machine)).toBe('1536MiB');
    expect(blockAllocatorMemory('2000000KB', machine)).toBe('1907MiB');
  });

  it('stops at the 80% of the machine DuckDB reserves room for', () => {
    expect(blockAllocatorMemory('1TB', machine)).toBe('19660MiB'); // 0.8 x 24 GiB = 19,660.8 MiB
  });

  it('is nothing for a limit that is not a plain size, which DuckDB 1.5 would abort on in this setting', () => {
    for (const limit of [undefined, '', '80%', '-1GB', 'lots', '4 gigs', '4G', '0GB', '100B']) {
      expect(blockAllocatorMemory(limit, machine)).toBeUndefined();
    }
  });
});

describe('onSessions', () => {
  it('throws the error of the earliest failing item, whichever failed first, and starts nothing after', async () => {
    const started: number[] = [];
    const err = await onSessions(wh, 2, [0, 1, 2], async (_session, i) => {
      started.push(i);
      // Item 1 fails at once; item 0 fails later, while item 1's failure keeps item 2 from starting.
      if (i === 1) throw new Error('item 1');
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('item 0');
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('item 0');
    expect(started).toEqual([0, 1]);
  });

  it('starts items in the given start order and still reports the earliest failing item in items order', async () => {
    const started: string[] = [];
    await onSessions(wh, 1, ['a', 'b', 'c'], async (_session, item) => void started.push(item), [2, 0, 1]);
    expect(started).toEqual(['c', 'a', 'b']);
    const err = await onSessions(
      wh,
      2,
      ['a', 'b', 'c'],
      async (_session, item) => {
        if (item === 'c') throw new Error('c');
        await new Promise((resolve) => setTimeout(resolve, 50));
        throw new Error(item);
      },
      [2, 0, 1],
    ).catch((e: unknown) => e);
    // c starts first and fails first, a fails later: a comes first in items order.
    expect((err as Error).message).toBe('a');
  });
});
