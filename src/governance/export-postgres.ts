// The de-identified export from a PostgreSQL warehouse. The files are written by an in-memory DuckDB
// with the very statement the DuckDB warehouse uses (export.ts), so both engines write the same bytes
// and de-identify the same way; each relation is streamed into it with `COPY ... TO STDOUT` first.
//
// Why not de-identify on the server: the HMAC key would have to reach PostgreSQL, and COPY cannot
// bind parameters, so it would travel in SQL text or a bound INSERT that `log_statement` or
// `log_parameter_max_length` may write to the server's log; PostgreSQL cannot write Parquet either.
// Only the columns the plan keeps leave the server (names, addresses, SSNs and other dropped columns
// never do), one relation at a time, and the key stays in this process as on DuckDB.
import { DuckDBWarehouse, ident } from '../engine/duckdb.ts';
import type { SqlWarehouse } from '../engine/engine.ts';
import { copyRelationToDuckDB } from '../engine/postgres/copy.ts';
import { PostgresWarehouse } from '../engine/postgres/warehouse.ts';
import type { ExportWriter } from './export.ts';

export async function postgresExportWriter(wh: SqlWarehouse): Promise<ExportWriter> {
  if (!(wh instanceof PostgresWarehouse)) throw new Error(`${wh.path} is not a PostgreSQL warehouse`);
  const duck = await DuckDBWarehouse.open(':memory:');
  return {
    duck,
    async stage(r, columns) {
      const target = `${ident(r.schema)}.${ident(r.table)}`;
      await duck.run(`CREATE SCHEMA IF NOT EXISTS ${ident(r.schema)}`);
      await copyRelationToDuckDB(wh, r, columns, duck, target);
      return target;
    },
    // A relation at a time: the in-memory copy holds one table, however many are exported.
    release: (relation) => duck.run(`DROP TABLE IF EXISTS ${relation}`),
    close: () => duck.close(),
  };
}
