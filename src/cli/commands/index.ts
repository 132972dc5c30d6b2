// Every CLI command, registered in the order `claimlens --help` lists them.
import type { Command } from 'commander';
import { register as docs } from './docs.ts';
import { register as kpi } from './kpi.ts';

type Register = (program: Command) => void;

export const COMMANDS: Register[] = [kpi, docs];
