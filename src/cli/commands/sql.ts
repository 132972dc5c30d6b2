// `claimlens sql "SELECT ..."`: one read-only query against the warehouse, printed as a table or JSON.
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { queryWarehouse } from '../../runner/index.ts';
import { contextFrom } from '../context.ts';
import { formatTable, printJson } from '../output.ts';

const DEFAULT_LIMIT = 100;

export function register(program: Command): void {
  program
    .command('sql')
    .description('run one read-only SQL query against the warehouse')
    .argument('<query>', 'the SQL query, e.g. "SELECT * FROM marts.cost_pmpm"')
    .option('--json', 'print rows as JSON')
    .option('--limit <n>', `most rows to print (0 for all; default ${DEFAULT_LIMIT})`)
    .action(async (query: string, opts: { json?: boolean; limit?: string }, cmd: Command) => {
      const { config, quiet } = contextFrom(cmd);
      const limit = opts.limit === undefined ? DEFAULT_LIMIT : Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 0) {
        throw new UsageError(`--limit takes a whole number of rows (0 for all), not "${opts.limit}"`);
      }
      const result = await queryWarehouse(config.warehouse, query, {
        limit,
        open: { threads: config.threads, memoryLimit: config.memoryLimit },
      });
      if (opts.json) printJson(result.rows);
      else process.stdout.write(`${formatTable(result.rows, result.columns)}\n`);
      if (result.truncated && !quiet) {
        process.stderr.write(`(first ${limit} rows shown; --limit N for more, --limit 0 for all)\n`);
      }
    });
}
