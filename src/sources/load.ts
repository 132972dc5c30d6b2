// `claimlens load DIR --format F`: recognize the folder, let its adapter read and map the source into
// input-layer CSV parts in a scratch folder, then load those parts with the ordinary loader (the one
// place rows are validated, quarantined and pseudonymized), recording what the source lacks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OpenOptions, Warehouse } from '../engine/duckdb.ts';
import { type LoadOptions, type LoadReport, loadDirectory } from '../input/load.ts';
import type { SourceReport } from './adapter.ts';
import { recognize } from './registry.ts';

export interface SourceLoadReport {
  /** The adapter's report; absent for canonical input files. */
  source?: SourceReport;
  /** What the folder was recognized as, in one line. */
  recognized: string;
  load: LoadReport;
}

/**
 * Loads a folder in any known format. Canonical files load directly; a source format replaces the
 * whole input layer (tables the source does not have are emptied) unless it is partial (X12), which
 * appends to what is loaded.
 *
 * @example await loadSource('claimlens.duckdb', '../shared/datasets/synthea-csv', { format: 'auto' })
 */
export async function loadSource(
  warehousePath: string,
  dir: string,
  options: LoadOptions = {},
  open: OpenOptions = {},
): Promise<SourceLoadReport> {
  const found = recognize(dir, options.format ?? 'auto');
  if (found.kind === 'canonical') {
    const format = options.format === 'csv' || options.format === 'parquet' ? options.format : 'auto';
    const load = await loadDirectory(warehousePath, dir, { ...options, format, source: undefined }, open);
    return { recognized: found.summary, load };
  }
  const { adapter, detection } = found;
  const progress = (message: string) => options.onProgress?.({ table: '*', message });
  progress(`recognized ${detection.summary}`);
  const staging = mkdtempSync(join(tmpdir(), `claimlens-${adapter.format}-`));
  let db: Warehouse | undefined = await Warehouse.open(':memory:');
  try {
    const source = await adapter.convert({ dir, out: staging, db, progress });
    await db.close();
    db = undefined;
    const load = await loadDirectory(
      warehousePath,
      staging,
      {
        ...options,
        format: 'auto',
        mode: options.mode ?? (adapter.partial ? 'append' : 'replace'),
        requireTables: !adapter.partial,
        source: {
          format: adapter.format,
          gaps: source.gaps,
          complete: !adapter.partial,
          rejects: source.rejects ?? [],
        },
      },
      open,
    );
    load.directory = dir;
    return { source, recognized: detection.summary, load };
  } finally {
    await db?.close().catch(() => undefined);
    rmSync(staging, { recursive: true, force: true });
  }
}
