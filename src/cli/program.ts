// The claimlens CLI program: parses arguments, runs one command, maps errors to exit codes
// (0 ok, 1 failure, 2 usage). Commands are thin wrappers over services.
import { Command, CommanderError } from 'commander';
import { ClaimlensError, exitCodeFor } from '../errors.ts';
import { COMMANDS } from './commands/index.ts';

export function buildProgram(): Command {
  const program = new Command('claimlens')
    .description(
      'Healthcare claims and revenue analytics: load, build, check and explore a claims warehouse.',
    )
    .option('-w, --warehouse <path>', 'warehouse file (default: claimlens.duckdb or the config file)')
    .option('-q, --quiet', 'no progress output')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      return 2;
    }
    if (err instanceof ClaimlensError) {
      process.stderr.write(`claimlens: ${err.describe()}\n`);
    } else {
      process.stderr.write(`claimlens: internal error: ${(err as Error).stack ?? String(err)}\n`);
    }
    return exitCodeFor(err);
  }
}
