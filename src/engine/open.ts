// Opens a warehouse on the configured engine: a DuckDB file (default) or a PostgreSQL server.
import { ClaimlensError } from '../errors.ts';
import { DuckDBWarehouse, type OpenOptions } from './duckdb.ts';
import { type EngineName, redactUrl, type SqlWarehouse } from './engine.ts';

export interface WarehouseTarget {
  engine: EngineName;
  /** DuckDB file (or `:memory:`); ignored for PostgreSQL. */
  path: string;
  /** postgres://user:password@host:port/database; required for PostgreSQL. */
  url?: string;
}

/** `target.path` for DuckDB; the URL with its password hidden for PostgreSQL (messages, audit). */
export function targetLabel(target: WarehouseTarget): string {
  if (target.engine !== 'postgres') return target.path;
  return redactUrl(target.url ?? '');
}

export function requireUrl(target: WarehouseTarget): string {
  if (!target.url) {
    throw new ClaimlensError(
      'usage',
      'engine postgres needs a server: pass --url postgres://user:password@host:port/database (or set "url" in claimlens.config.json, or CLAIMLENS_URL)',
    );
  }
  return target.url;
}

export async function openWarehouse(
  target: WarehouseTarget,
  options: OpenOptions = {},
): Promise<SqlWarehouse> {
  if (target.engine === 'postgres') {
    const { PostgresWarehouse } = await import('./postgres/warehouse.ts');
    return PostgresWarehouse.open(requireUrl(target), { readOnly: options.readOnly });
  }
  return DuckDBWarehouse.open(target.path, options);
}
