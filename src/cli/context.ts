// Options shared by every command, normalized once: where the warehouse is and how to open it.
import type { Command } from 'commander';
import { type Config, loadConfig } from '../config.ts';

export interface GlobalOptions {
  warehouse?: string;
  quiet?: boolean;
}

export interface CommandContext {
  config: Config;
  quiet: boolean;
}

export function contextFrom(cmd: Command): CommandContext {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const config = loadConfig(process.cwd(), { warehouse: opts.warehouse });
  return { config, quiet: opts.quiet ?? false };
}
