// Every CLI command, registered in the order `claimlens --help` lists them.
import type { Command } from 'commander';
import { register as audit } from './audit.ts';
import { register as build } from './build.ts';
import { register as demo } from './demo.ts';
import { register as docs } from './docs.ts';
import { register as exportCommand } from './export.ts';
import { register as generate } from './generate.ts';
import { register as init } from './init.ts';
import { register as kpi } from './kpi.ts';
import { register as load } from './load.ts';
import { register as quality } from './quality.ts';
import { register as report } from './report.ts';
import { register as score } from './score.ts';
import { register as serve } from './serve.ts';
import { register as sql } from './sql.ts';
import { register as token } from './token.ts';
import { register as train } from './train.ts';

type Register = (program: Command) => void;

export const COMMANDS: Register[] = [
  demo,
  init,
  generate,
  load,
  build,
  sql,
  kpi,
  quality,
  train,
  score,
  serve,
  report,
  exportCommand,
  audit,
  token,
  docs,
];
