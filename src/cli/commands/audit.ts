// `claimlens audit verify`: checks the hash chain of the audit log and names the first line that was
// edited, deleted, moved or cut; exit 0 when intact, 1 otherwise.
import type { Command } from 'commander';
import { verifyAudit } from '../../governance/audit.ts';
import { AuditIntegrityError } from '../../governance/errors.ts';
import { governanceFor } from '../../governance/runtime.ts';
import { contextFrom } from '../context.ts';
import { printJson } from '../output.ts';

export function register(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description('verify the audit log hash chain; names the first broken line')
    .option(
      '--log <path>',
      'audit log (default: governance.auditLog, or claimlens.audit.jsonl beside the warehouse)',
    )
    .option('--json', 'print the result as JSON')
    .action((opts: { log?: string; json?: boolean }, cmd: Command) => {
      const { config } = contextFrom(cmd);
      const path = opts.log ?? governanceFor(config.governance, config.warehouse).auditPath;
      const result = verifyAudit(path);
      if (opts.json) printJson(result);
      if (!result.ok) throw new AuditIntegrityError(path, result.problem!.line, result.problem!.message);
      if (!opts.json)
        process.stdout.write(`audit log intact: ${result.entries} entries, head ${result.head}\n`);
    });
}
