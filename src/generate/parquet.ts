// Parquet output: each generated CSV is read by DuckDB with the contract's SQL types for its columns
// and copied to a .parquet file of the same table name.
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { duckdbDialect } from '../engine/dialect.ts';
import { literal, Warehouse } from '../engine/duckdb.ts';
import { tableSpec } from '../input/contract.ts';

function header(path: string): string[] {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(8192);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    return text.slice(0, text.indexOf('\n')).split(',');
  } finally {
    closeSync(fd);
  }
}

/** The DuckDB `columns={...}` struct of a table file, typed from the contract. */
export function csvColumnTypes(table: string, columns: readonly string[]): string {
  const spec = tableSpec(table);
  const parts = columns.map((name) => {
    const col = spec.columns.find((c) => c.name === name);
    if (!col) throw new Error(`${table}.${name} is not in the contract`);
    return `${literal(name)}: ${literal(duckdbDialect.sqlType(col.type))}`;
  });
  return `{${parts.join(', ')}}`;
}

/** Converts `<csvDir>/<table>.csv` to `<outDir>/<table>.parquet` for each table; returns the files. */
export async function convertToParquet(
  csvDir: string,
  outDir: string,
  tables: readonly string[],
): Promise<string[]> {
  const wh = await Warehouse.open(':memory:', { threads: 2 });
  const files: string[] = [];
  try {
    for (const table of tables) {
      const src = join(csvDir, `${table}.csv`);
      const dst = join(outDir, `${table}.parquet`);
      const types = csvColumnTypes(table, header(src));
      await wh.run(
        `COPY (SELECT * FROM read_csv(${literal(src)}, header = true, delim = ',', quote = '"', escape = '"', nullstr = '', dateformat = '%Y-%m-%d', columns = ${types})) TO ${literal(dst)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      files.push(dst);
    }
  } finally {
    await wh.close();
  }
  return files;
}
