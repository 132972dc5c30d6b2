// `claimlens load DIR --format x12`: 837 claims and 835 remittances streamed into input-layer CSV
// parts (one per table, named after the X12 directory), then loaded, validated and quarantined like
// any other source. Malformed transactions are reported with file and segment; the rest load.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenOptions } from '../../engine/duckdb.ts';
import { INPUT_TABLES } from '../../input/contract.ts';
import type { LoadOptions, LoadReport } from '../../input/load.ts';
import { loadSource } from '../load.ts';
import './adapter.ts';
import { openX12Directory } from './reader.ts';
import type { X12Options, X12Record, X12Report } from './types.ts';

export interface X12LoadReport {
  x12: X12Report;
  load: LoadReport;
}

function csvField(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Streams the X12 files of `dir` into `<out>/<table>/<part>.csv` with the contract's columns, so a
 * 1 GB 835 never sits in memory; tables outside the contract (remittance_claim) are not written.
 */
export async function x12ToCsv(
  dir: string,
  out: string,
  part: string,
  options: X12Options = {},
): Promise<X12Report> {
  const stream = openX12Directory(dir, options);
  const files = new Map<string, { fd: number; columns: string[] }>();
  const open = (table: string) => {
    let f = files.get(table);
    if (!f) {
      const spec = INPUT_TABLES.find((t) => t.name === table);
      if (!spec) return undefined;
      mkdirSync(join(out, table), { recursive: true });
      const fd = openSync(join(out, table, `${part}.csv`), 'w');
      const columns = spec.columns.map((c) => c.name);
      writeSync(fd, `${columns.join(',')}\n`);
      f = { fd, columns };
      files.set(table, f);
    }
    return f;
  };
  try {
    for await (const batch of stream) {
      const chunks = new Map<string, string[]>();
      for (const { table, row } of batch) {
        const f = open(table);
        if (!f) continue;
        const line = f.columns.map((c) => csvField((row as X12Record)[c])).join(',');
        const list = chunks.get(table) ?? [];
        list.push(line);
        chunks.set(table, list);
      }
      for (const [table, lines] of chunks) writeSync(files.get(table)!.fd, `${lines.join('\n')}\n`);
    }
  } finally {
    for (const f of files.values()) closeSync(f.fd);
  }
  return stream.report;
}

/** Loads the X12 files of `dir` into the warehouse; rows of the same X12 directory loaded before are replaced (append mode). */
export async function loadX12Directory(
  warehousePath: string,
  dir: string,
  options: Omit<LoadOptions, 'format' | 'requireTables' | 'source'> = {},
  open: OpenOptions = {},
): Promise<X12LoadReport> {
  const { source, load } = await loadSource(warehousePath, dir, { ...options, format: 'x12' }, open);
  return { x12: source!.details as X12Report, load };
}
