// `claimlens docs`: writes the data dictionary and ER diagram generated from the input contract.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { dataDictionary } from '../../input/dictionary.ts';

export function register(program: Command): void {
  program
    .command('docs')
    .description('write docs/data-dictionary.md (tables, columns, rules, ER diagram) from the input contract')
    .option('--out <file>', 'output file', 'docs/data-dictionary.md')
    .action((opts: { out: string }) => {
      mkdirSync(dirname(opts.out), { recursive: true });
      writeFileSync(opts.out, `${dataDictionary()}\n`);
      process.stdout.write(`wrote ${opts.out}\n`);
    });
}
