// Project configuration: loose options from claimlens.config.json (or defaults) turned once into a
// fully normalized object; a named error listing every problem when they are wrong.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ClaimlensError } from './errors.ts';
import { governanceConfigSchema } from './governance/config.ts';
import { serverConfigSchema } from './server/config.ts';
import { payersConfigSchema } from './services/payers-config.ts';
import { programsConfigSchema } from './services/programs-config.ts';
import { providersConfigSchema } from './services/providers-config.ts';
import { rcmConfigSchema } from './services/rcm-config.ts';
import { readmissionsConfigSchema } from './services/readmissions-config.ts';

export const CONFIG_FILE = 'claimlens.config.json';

export const configSchema = z
  .object({
    warehouse: z
      .string()
      .default('claimlens.duckdb')
      .describe('Warehouse file (DuckDB), relative to the working directory.'),
    engine: z
      .enum(['duckdb', 'postgres'])
      .default('duckdb')
      .describe(
        'Warehouse engine: duckdb (the embedded file, default) or postgres (a server at `url`; `warehouse` is then the DuckDB file loads go to and builds copy the input layer from). See docs/engines.md.',
      ),
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres://user:password@host:port/database URL')
      .optional()
      .describe(
        'PostgreSQL connection URL for engine postgres; the CLAIMLENS_URL environment variable is used when unset (keeps passwords out of files).',
      ),
    threads: z.number().int().positive().optional().describe('Engine threads; defaults to all cores.'),
    memoryLimit: z.string().optional().describe("Engine memory limit, for example '4GB'."),
    payers: payersConfigSchema,
    providers: providersConfigSchema,
    programs: programsConfigSchema,
    readmissions: readmissionsConfigSchema,
    rcm: rcmConfigSchema,
    governance: governanceConfigSchema,
    server: serverConfigSchema,
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** Reads claimlens.config.json from `dir` when present and applies defaults. */
export function loadConfig(dir = process.cwd(), overrides: Partial<Config> = {}): Config {
  const path = resolve(dir, CONFIG_FILE);
  let raw: unknown = {};
  if (existsSync(path)) {
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new ClaimlensError('config', `not valid JSON: ${(err as Error).message}`, { file: path });
    }
  }
  const merged = {
    ...(raw as object),
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new ClaimlensError('config', `invalid configuration: ${problems}`, { file: path });
  }
  return parsed.data;
}
