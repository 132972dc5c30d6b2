// Options shared by every command, normalized once: where the warehouse is and how to open it.
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config.ts';
import { UsageError } from '../errors.ts';

export interface GlobalOptions {
  warehouse?: string;
  engine?: string;
  url?: string;
  quiet?: boolean;
}

export interface CommandContext {
  /**
   * With engine postgres, `config.warehouse` is the server's URL, so every service that opens
   * `config.warehouse` reads the server; the DuckDB file is in `duckdbWarehouse`.
   */
  config: Config;
  quiet: boolean;
  /** The DuckDB warehouse file: the warehouse itself, or with engine postgres where loads go and builds copy the input from. */
  duckdbWarehouse: string;
}

/** Commands that work on the DuckDB file whatever the engine: loads are validated there (docs/engines.md). */
const LOADING = new Set(['load', 'demo']);

export function contextFrom(cmd: Command): CommandContext {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  if (opts.engine !== undefined && opts.engine !== 'duckdb' && opts.engine !== 'postgres') {
    throw new UsageError(`--engine is duckdb or postgres, not "${opts.engine}"`);
  }
  const config = loadConfig(process.cwd(), {
    warehouse: opts.warehouse,
    engine: opts.engine as Config['engine'] | undefined,
    url: opts.url,
  });
  const duckdbWarehouse = config.warehouse;
  if (config.engine === 'postgres' && !LOADING.has(cmd.name())) {
    const url = config.url ?? process.env.CLAIMLENS_URL;
    if (!url) {
      throw new UsageError(
        'engine postgres needs a server: pass --url postgres://user:password@host:port/database (or set url in claimlens.config.json, or CLAIMLENS_URL)',
      );
    }
    return { config: { ...config, url, warehouse: url }, quiet: opts.quiet ?? false, duckdbWarehouse };
  }
  return { config, quiet: opts.quiet ?? false, duckdbWarehouse };
}
