// The claimlens CLI program: parses arguments, runs one command, maps errors to exit codes
// (0 ok, 1 failure, 2 usage). Commands are thin wrappers over services.
import { Command, CommanderError } from 'commander';
import { ClaimlensError, exitCodeFor } from '../errors.ts';
import { COMMANDS, type CommandModule } from './commands/index.ts';

/**
 * The command `argv` runs: its first word that is neither an option nor the value of a global option
 * (`-w PATH`, `--engine duckdb`). Undefined for `--help`, no command or an unknown one.
 */
function commandOf(program: Command, argv: readonly string[]): CommandModule | undefined {
  const takesValue = new Set(
    program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.short, o.long]),
  );
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (arg.startsWith('-')) {
      if (!arg.includes('=') && takesValue.has(arg)) i++;
      continue;
    }
    return COMMANDS.find((c) => c.name === arg);
  }
  return undefined;
}

/** The program with the command `argv` names registered, or every command for help and errors. */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('claimlens')
    .description(
      'Healthcare claims and revenue analytics: load, build, check and explore a claims warehouse.',
    )
    .option('-w, --warehouse <path>', 'warehouse file (default: claimlens.duckdb or the config file)')
    .option('--engine <engine>', 'warehouse engine: duckdb (default) or postgres (docs/engines.md)')
    .option('--url <url>', 'PostgreSQL URL for --engine postgres (or CLAIMLENS_URL, or url in the config)')
    .option('-q, --quiet', 'no progress output')
    .showHelpAfterError()
    .exitOverride();
  const one = commandOf(program, argv);
  for (const mod of await Promise.all((one ? [one] : COMMANDS).map((c) => c.load()))) mod.register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
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
