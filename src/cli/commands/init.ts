// `claimlens init`: creates the pseudonymization key (.claimlens/key, 32 random bytes, mode 0600)
// that loads tokenize identifiers with; refuses to overwrite an existing key.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { appendAudit } from '../../governance/audit.ts';
import { createKeyFile, keyFingerprint, loadKey } from '../../governance/key.ts';
import { cliCaller, governanceFor } from '../../governance/runtime.ts';
import { contextFrom } from '../context.ts';

export function register(program: Command): void {
  program
    .command('init')
    .description('create the pseudonymization key (.claimlens/key, mode 0600); never overwrites one')
    .option('--key-file <path>', 'where to create the key (default: governance.keyFile)')
    .action(async (opts: { keyFile?: string }, cmd: Command) => {
      const { config } = contextFrom(cmd);
      const file = opts.keyFile ?? config.governance.keyFile;
      const path = createKeyFile(file);
      // Keep the key folder out of version control: a committed key re-identifies every token.
      const ignore = join(dirname(path), '.gitignore');
      if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
      const fingerprint = keyFingerprint(loadKey(path, {}).key);
      const gov = governanceFor(config.governance, config.warehouse);
      const caller = cliCaller(config.governance);
      await appendAudit(gov.auditPath, {
        actor: caller.subject,
        via: 'cli',
        action: 'init',
        params: { keyFile: path, fingerprint },
        outcome: 'ok',
      });
      process.stdout.write(
        `created ${path} (fingerprint ${fingerprint}); back it up somewhere safe: without it, new loads cannot join old ones\n`,
      );
    });
}
