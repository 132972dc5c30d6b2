// SQL model files: finding them under src/models/<layer>/, parsing their `-- key: value` header
// (description, grain, materialization, column docs, tests) and the models they reference.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { ClaimlensError } from '../errors.ts';
import { INPUT_SCHEMA, INPUT_TABLES } from '../input/contract.ts';
import { findPartitionCalls, type PartitionCall } from './partition.ts';
import {
  blankCommentsAndStrings,
  findModelReferences,
  type Layer,
  lineAt,
  MODEL_LAYERS,
  type Reference,
  singleStatement,
} from './sqltext.ts';

export type Materialized = 'table' | 'view';

export interface ColumnDoc {
  name: string;
  description: string;
  /** Header line the description comes from (a `-- column` or `-- columns` line). */
  line: number;
}

/** `-- columns: from <schema>.<table> [except a, b]`: every column of that table, with its docs. */
export interface InheritedDocs {
  schema: string;
  table: string;
  except: string[];
  line: number;
}

export type ModelTest =
  | { kind: 'not_null' | 'unique'; columns: string[]; line: number }
  | { kind: 'accepted_values'; column: string; values: string[]; line: number }
  | { kind: 'expression'; expression: string; line: number };

export interface Model {
  /** `layer.name`, the model's table. */
  id: string;
  name: string;
  layer: Layer;
  /** Path of the file as found (for reading). */
  path: string;
  /** Path shown in messages: relative to the working directory when inside it. */
  file: string;
  /** Path relative to the models directory with `/` separators; orders independent models. */
  relPath: string;
  description: string;
  /** Columns that identify one row; empty means the model has at most one row. */
  grain: string[];
  grainLine: number;
  materialized: Materialized;
  columns: ColumnDoc[];
  inherits: InheritedDocs[];
  tests: ModelTest[];
  /** The file's SQL without its final semicolon, header comments included (so engine line numbers match). */
  sql: string;
  /** Models this one reads, from its SQL and from `-- columns: from <layer>.<model>`. */
  references: Reference[];
  /**
   * The `claimlens_partition(<key>)` calls of its SQL: a table model with any runs in passes over
   * partitions of its keys on a large book (src/runner/partition.ts); none means it runs whole.
   */
  partitionCalls: PartitionCall[];
}

/** The spelling of a single-row model's grain. */
export const ONE_ROW_GRAIN = '(one row)';

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TEST_KINDS = ['not_null', 'unique', 'accepted_values', 'expression'] as const;
const KEYS_HELP =
  'description, grain, materialized, column NAME, columns, test KIND (not_null, unique, accepted_values, expression)';

/** A problem found while reading model files; all are reported together. */
interface Problem {
  file: string;
  line: number;
  message: string;
}

function problemsError(unsorted: Problem[]): ClaimlensError {
  const problems = [...unsorted].sort((a, b) =>
    a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1,
  );
  const first = problems[0]!;
  if (problems.length === 1)
    return new ClaimlensError('model', first.message, { file: first.file, line: first.line });
  const list = problems.map((p) => `  ${p.file}:${p.line}: ${p.message}`).join('\n');
  return new ClaimlensError('model', `${problems.length} problems in model files:\n${list}`, {
    file: first.file,
    line: first.line,
  });
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export interface ModelSource {
  layer: Layer;
  name: string;
  path: string;
  file: string;
  relPath: string;
}

/**
 * Parses one model file's text. Throws a ClaimlensError listing every header problem with its line.
 *
 * @example parseModel('-- description: One row per claim\n-- grain: claim_id\nSELECT ...', source)
 */
export function parseModel(text: string, source: ModelSource): Model {
  const { model, problems } = readModel(text, source);
  if (!model) throw problemsError(problems);
  return model;
}

function readModel(text: string, source: ModelSource): { model?: Model; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (line: number, message: string) => problems.push({ file: source.file, line, message });
  const lines = text.split('\n');

  let description: string | undefined;
  let grain: string[] | undefined;
  let grainLine = 1;
  let materialized: Materialized | undefined;
  const columns: ColumnDoc[] = [];
  const inherits: InheritedDocs[] = [];
  const tests: ModelTest[] = [];
  // Long values continue on lines indented by three or more spaces after `--`.
  let last: { key: string; value: string; line: number } | undefined;
  const entries: { key: string; value: string; line: number }[] = [];

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (!raw.trimStart().startsWith('--')) break;
    const after = raw.trimStart().slice(2);
    const text = after.trim();
    if (text === '') {
      last = undefined;
      continue;
    }
    if (last && /^ {3,}/.test(after)) {
      last.value = `${last.value} ${text}`;
      continue;
    }
    const m = /^([a-z_]+)(?:\s+([A-Za-z0-9_]+))?\s*:\s*(.*)$/.exec(text);
    if (!m) {
      problem(
        i + 1,
        `not a model header line: expected \`-- key: value\` (keys: ${KEYS_HELP}); put free comments after a blank line`,
      );
      last = undefined;
      continue;
    }
    last = { key: m[2] ? `${m[1]} ${m[2]}` : m[1]!, value: m[3]!.trim(), line: i + 1 };
    entries.push(last);
  }

  const seen = new Set<string>();
  for (const { key, value, line } of entries) {
    const [word, arg] = key.split(' ') as [string, string | undefined];
    if (['description', 'grain', 'materialized', 'columns'].includes(word) && arg !== undefined) {
      problem(line, `\`${word}\` takes no name: write \`-- ${word}: ...\``);
      continue;
    }
    if (['description', 'grain', 'materialized'].includes(word)) {
      if (seen.has(word)) problem(line, `\`${word}\` is given twice`);
      seen.add(word);
    }
    if (value === '' && word !== 'column') {
      problem(line, `\`${key}\` has no value`);
      continue;
    }
    switch (word) {
      case 'description':
        description = value;
        break;
      case 'grain':
        grainLine = line;
        if (value === ONE_ROW_GRAIN) {
          grain = [];
        } else {
          grain = splitList(value);
          const bad = grain.filter((g) => !IDENT.test(g));
          if (bad.length > 0 || grain.length === 0)
            problem(
              line,
              `grain must be column names separated by commas, or ${ONE_ROW_GRAIN}; got "${value}"`,
            );
        }
        break;
      case 'materialized':
        if (value !== 'table' && value !== 'view')
          problem(line, `materialized must be table or view, not "${value}"`);
        else materialized = value;
        break;
      case 'column':
        if (arg === undefined) problem(line, 'write `-- column NAME: description`');
        else if (value === '') problem(line, `column ${arg} has no description`);
        else if (columns.some((c) => c.name === arg)) problem(line, `column ${arg} is documented twice`);
        else columns.push({ name: arg, description: value, line });
        break;
      case 'columns': {
        const c = /^from\s+([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_]*)(?:\s+except\s+(.+))?$/i.exec(
          value,
        );
        if (!c) {
          problem(
            line,
            `write \`-- columns: from SCHEMA.TABLE\` (optionally \`except a, b\`), not "${value}"`,
          );
          break;
        }
        const schema = c[1]!.toLowerCase();
        const table = c[2]!.toLowerCase();
        const except = c[3] ? splitList(c[3]) : [];
        if (schema === INPUT_SCHEMA) {
          const spec = INPUT_TABLES.find((t) => t.name === table);
          if (!spec) {
            problem(
              line,
              `no input table ${table}; input tables: ${INPUT_TABLES.map((t) => t.name).join(', ')}`,
            );
            break;
          }
          const unknown = except.filter((e) => !spec.columns.some((col) => col.name === e));
          if (unknown.length > 0) problem(line, `input.${table} has no column ${unknown.join(', ')}`);
        } else if (!(MODEL_LAYERS as readonly string[]).includes(schema)) {
          problem(
            line,
            `columns can come from input.TABLE or a model (staging, intermediate, marts), not ${schema}`,
          );
          break;
        }
        inherits.push({ schema, table, except, line });
        break;
      }
      case 'test': {
        const kind = arg as (typeof TEST_KINDS)[number] | undefined;
        if (kind === undefined || !TEST_KINDS.includes(kind)) {
          problem(line, `unknown test "${arg ?? ''}"; tests: ${TEST_KINDS.join(', ')}`);
          break;
        }
        if (kind === 'not_null' || kind === 'unique') {
          const cols = splitList(value);
          if (cols.some((col) => !IDENT.test(col)))
            problem(line, `${kind} takes column names separated by commas`);
          else tests.push({ kind, columns: cols, line });
        } else if (kind === 'accepted_values') {
          const a = /^([A-Za-z_][A-Za-z0-9_]*)\s+in\s*\((.*)\)$/i.exec(value);
          if (!a) problem(line, 'write `-- test accepted_values: COLUMN in (a, b, c)`');
          else
            tests.push({
              kind,
              column: a[1]!,
              values: splitList(a[2]!).map((v) => v.replace(/^'(.*)'$/, '$1')),
              line,
            });
        } else {
          tests.push({ kind, expression: value, line });
        }
        break;
      }
      default:
        problem(line, `unknown header key "${word}"; keys: ${KEYS_HELP}`);
    }
  }
  if (description === undefined)
    problem(1, 'missing `-- description: ...` in the header (leading `--` lines)');
  if (grain === undefined)
    problem(1, `missing \`-- grain: col1, col2\` (or \`-- grain: ${ONE_ROW_GRAIN}\`) in the header`);

  const { body, extraSeparators } = singleStatement(text);
  for (const offset of extraSeparators) {
    problem(lineAt(text, offset), 'a model is one SELECT statement; remove this `;` and what follows');
  }
  const blanked = blankCommentsAndStrings(body);
  if (body.trim() === '' || blanked.trim() === '') problem(1, 'the model has no SQL');
  const partitionCalls = findPartitionCalls(body, blanked);
  for (const call of partitionCalls) {
    if (call.key === '')
      problem(call.line, 'claimlens_partition takes a key column: claimlens_partition(claim_id)');
    else if ((materialized ?? 'table') === 'view')
      problem(
        call.line,
        'a view runs whole: claimlens_partition is for table models (`-- materialized: table`)',
      );
  }
  if (problems.length > 0) return { problems };

  const references = findModelReferences(blanked);
  for (const inh of inherits) {
    if (inh.schema !== INPUT_SCHEMA)
      references.push({ target: `${inh.schema}.${inh.table}`, line: inh.line });
  }
  const model: Model = {
    id: `${source.layer}.${source.name}`,
    ...source,
    description: description!,
    grain: grain!,
    grainLine,
    materialized: materialized ?? 'table',
    columns,
    inherits,
    tests,
    sql: body,
    references,
    partitionCalls,
  };
  return { model, problems };
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function sqlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sqlFiles(full));
    else if (entry.name.endsWith('.sql')) out.push(full);
  }
  return out;
}

/**
 * Reads every model under `dir` (`dir/<layer>/**\/<name>.sql`). Problems in all files are reported
 * together: header errors, `.sql` files outside a layer folder, names that are not identifiers and
 * basenames used twice in a layer.
 */
export function loadModels(dir: string): Model[] {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new ClaimlensError('model', `no models directory at ${dir}`);
  const problems: Problem[] = [];
  const models: Model[] = [];
  const byId = new Map<string, Model>();
  for (const path of sqlFiles(dir).sort()) {
    const relPath = relative(dir, path).split(sep).join('/');
    const file = displayPath(path);
    const layer = relPath.split('/')[0]!;
    const name = relPath
      .split('/')
      .at(-1)!
      .replace(/\.sql$/, '');
    if (!(MODEL_LAYERS as readonly string[]).includes(layer) || !relPath.includes('/')) {
      problems.push({
        file,
        line: 1,
        message: `model files live under ${MODEL_LAYERS.map((l) => `${l}/`).join(', ')} of ${displayPath(dir)}; move this file`,
      });
      continue;
    }
    if (!IDENT.test(name)) {
      problems.push({
        file,
        line: 1,
        message: `model name "${name}" must be letters, digits and _ (it names a table)`,
      });
      continue;
    }
    const read = readModel(readFileSync(path, 'utf8'), { layer: layer as Layer, name, path, file, relPath });
    problems.push(...read.problems);
    if (!read.model) continue;
    const twin = byId.get(read.model.id.toLowerCase());
    if (twin) {
      problems.push({
        file,
        line: 1,
        message: `${read.model.id} is also defined by ${twin.file}; basenames must be unique per layer`,
      });
      continue;
    }
    byId.set(read.model.id.toLowerCase(), read.model);
    models.push(read.model);
  }
  if (problems.length > 0) throw problemsError(problems);
  return models;
}
