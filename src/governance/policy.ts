// The role policy: one declarative JSON file saying, per role, which domains and relations it may
// read, whether it sees member-level rows and identifiers, and whether it may run SQL or export.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ClaimlensError } from '../errors.ts';
import { INPUT_TABLES } from '../input/contract.ts';
import { AccessDeniedError } from './errors.ts';

export const DEFAULT_POLICY_FILE = fileURLToPath(new URL('./policy.default.json', import.meta.url));

/** The roles the shipped policy names; a policy file may define others. */
export const ROLE_NAMES = ['admin', 'analyst', 'care_manager', 'finance', 'executive'] as const;

const nameList = (what: string) =>
  z
    .array(z.string().regex(/^(\*|[a-z_][a-z0-9_]*(\.(\*|[a-z_][a-z0-9_]*))?)$/, `a ${what} name, or *`))
    .describe(what);

export const rolePolicySchema = z
  .object({
    description: z.string().min(1).describe('What the role is for, shown by `claimlens init` and in docs.'),
    domains: nameList('KPI domains the role may run (`*` for every domain).'),
    relations: nameList(
      'Relations `claimlens sql` may read for an allowlist role: `schema.table`, `schema.*`, or `*` (admin).',
    ),
    memberLevel: z
      .boolean()
      .describe(
        'Sees rows about individual members; false means aggregates only, with small cells suppressed.',
      ),
    identifiers: z
      .boolean()
      .describe('Sees identifier columns (person and member tokens, restricted direct identifiers).'),
    sql: z
      .enum(['none', 'allowlist', 'any'])
      .describe(
        'none: no ad-hoc SQL; allowlist: SELECT over `relations` only, identifier columns hidden; any: free read-only SQL.',
      ),
    export: z.boolean().describe('May write HIPAA Safe Harbor de-identified exports.'),
    denyColumns: z
      .array(z.string())
      .default([])
      .describe('Further columns the role never receives, whatever the domain or relation.'),
  })
  .strict()
  .refine((r) => r.sql !== 'allowlist' || r.memberLevel, {
    message: 'sql "allowlist" returns rows as stored: only a role with memberLevel may have it',
  })
  .refine((r) => r.sql !== 'any' || (r.memberLevel && r.identifiers), {
    message: 'sql "any" reads everything: only a role with memberLevel and identifiers may have it',
  });

export const policySchema = z
  .object({
    version: z.literal(1).describe('Policy format version.'),
    suppression: z
      .object({
        maxSmallCount: z
          .number()
          .int()
          .min(10)
          .default(10)
          .describe(
            'Counts from 1 to this are suppressed for aggregate-only roles (CMS cell size policy: 1-10; never lower).',
          ),
      })
      .strict()
      .prefault({}),
    identifierColumns: z
      .array(z.string())
      .default([])
      .describe('Column names treated as identifiers beyond those the input contract classifies.'),
    roles: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), rolePolicySchema).describe('Roles by name.'),
  })
  .strict();

export type RolePolicy = z.infer<typeof rolePolicySchema>;
export type Policy = z.infer<typeof policySchema>;

export interface Role extends RolePolicy {
  name: string;
}

/**
 * Reads and validates a policy file (the shipped default when none is given), reporting every
 * problem at once.
 */
export function loadPolicy(file?: string): Policy {
  const path = resolve(file ?? DEFAULT_POLICY_FILE);
  if (!existsSync(path)) throw new ClaimlensError('config', 'policy file not found', { file: path });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ClaimlensError('config', `policy is not valid JSON: ${(err as Error).message}`, { file: path });
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new ClaimlensError('config', `invalid policy: ${problems}`, { file: path });
  }
  return parsed.data;
}

/** The role of that name; an unknown role is refused (never mapped to a default). */
export function findRole(policy: Policy, name: string | undefined): Role {
  const known = Object.keys(policy.roles);
  if (name === undefined || !Object.hasOwn(policy.roles, name)) {
    throw new AccessDeniedError(
      'unknown_role',
      `unknown role '${name ?? '(none)'}': the policy defines ${known.join(', ')}`,
      403,
    );
  }
  return { name, ...policy.roles[name]! };
}

function matches(patterns: readonly string[], name: string): boolean {
  return patterns.some(
    (p) => p === '*' || p === name || (p.endsWith('.*') && name.startsWith(p.slice(0, -1))),
  );
}

export function mayRunDomain(role: Role, domain: string): boolean {
  return matches(role.domains, domain);
}

/** Whether an allowlist role may read `schema.table` (lower-cased). */
export function mayReadRelation(role: Role, schema: string, table: string): boolean {
  return matches(role.relations, `${schema.toLowerCase()}.${table.toLowerCase()}`);
}

/** Column names the contract classifies as identifiers or direct identifiers, plus the policy's own. */
export function identifierColumnNames(policy: Policy): Set<string> {
  const names = new Set(policy.identifierColumns);
  for (const t of INPUT_TABLES) {
    for (const c of t.columns) if (c.phi === 'identifier' || c.phi === 'direct') names.add(c.name);
  }
  return names;
}

/** Columns a role never receives: identifier columns unless it sees identifiers, and its own deny list. */
export function deniedColumns(policy: Policy, role: Role): Set<string> {
  const denied = new Set(role.denyColumns);
  if (!role.identifiers) for (const c of identifierColumnNames(policy)) denied.add(c);
  return denied;
}
