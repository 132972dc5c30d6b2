// `claimlens token create --role analyst`: a local API token (HMAC-signed JWT) for a single-user
// server; only an admin may mint one, and the minting is audited (the token itself never is).
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { appendAudit } from '../../governance/audit.ts';
import { createLocalToken } from '../../governance/auth.ts';
import { AccessDeniedError } from '../../governance/errors.ts';
import { loadKey } from '../../governance/key.ts';
import { cliCaller, governanceFor, roleOf } from '../../governance/runtime.ts';
import { contextFrom } from '../context.ts';

export function register(program: Command): void {
  const token = program.command('token').description('local API tokens for the server (auth mode local)');
  token
    .command('create')
    .description('print a signed API token carrying a role')
    .requiredOption(
      '--role <role>',
      'role the token grants (admin, analyst, care_manager, finance, executive)',
    )
    .option('--subject <name>', 'who the token is for (default: the OS user)')
    .option('--days <n>', 'lifetime in days (default: governance.auth.localTokenDays)')
    .option('--as <role>', 'role creating it (default: governance.role); must be admin')
    .action(async (opts: { role: string; subject?: string; days?: string; as?: string }, cmd: Command) => {
      const { config } = contextFrom(cmd);
      const gov = governanceFor(config.governance, config.warehouse);
      const caller = cliCaller(config.governance, opts.as);
      const days = opts.days === undefined ? config.governance.auth.localTokenDays : Number(opts.days);
      if (!Number.isInteger(days) || days < 1 || days > 366) {
        throw new UsageError(`--days takes a whole number of days from 1 to 366, not '${opts.days}'`);
      }
      const subject = opts.subject ?? caller.subject;
      const base = { actor: caller.subject, role: caller.role, via: 'cli', action: 'token create' };
      const params = { grants: opts.role, subject, days };
      let signed: string;
      try {
        if (roleOf(gov, caller).name !== 'admin') {
          throw new AccessDeniedError('forbidden_domain', 'only admin may create API tokens');
        }
        const key = loadKey(config.governance.keyFile).key;
        signed = await createLocalToken(key, gov.policy, {
          role: opts.role,
          subject,
          days,
          epoch: config.governance.auth.localTokenEpoch,
        });
      } catch (err) {
        const reason = err instanceof AccessDeniedError ? err.reason : (err as Error).message.slice(0, 300);
        await appendAudit(gov.auditPath, { ...base, params, outcome: 'refused', reason });
        throw err;
      }
      await appendAudit(gov.auditPath, { ...base, params, outcome: 'ok' });
      process.stdout.write(`${signed}\n`);
    });
}
