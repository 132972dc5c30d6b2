// Every CLI command, in the order `claimlens --help` lists them. Each module is imported only when
// its command runs (or for --help), so `claimlens kpi` does not load the server, the ML library or
// the generator: a command's start-up is part of every answer it gives.
import type { Command } from 'commander';

type Register = (program: Command) => void;

export interface CommandModule {
  name: string;
  load: () => Promise<{ register: Register }>;
}

export const COMMANDS: readonly CommandModule[] = [
  { name: 'demo', load: () => import('./demo.ts') },
  { name: 'init', load: () => import('./init.ts') },
  { name: 'generate', load: () => import('./generate.ts') },
  { name: 'load', load: () => import('./load.ts') },
  { name: 'build', load: () => import('./build.ts') },
  { name: 'sql', load: () => import('./sql.ts') },
  { name: 'kpi', load: () => import('./kpi.ts') },
  { name: 'quality', load: () => import('./quality.ts') },
  { name: 'train', load: () => import('./train.ts') },
  { name: 'score', load: () => import('./score.ts') },
  { name: 'serve', load: () => import('./serve.ts') },
  { name: 'report', load: () => import('./report.ts') },
  { name: 'export', load: () => import('./export.ts') },
  { name: 'audit', load: () => import('./audit.ts') },
  { name: 'token', load: () => import('./token.ts') },
  { name: 'docs', load: () => import('./docs.ts') },
];
