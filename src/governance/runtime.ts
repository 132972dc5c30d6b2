// What every governed call needs, resolved once from configuration: the policy, the audit log path
// and who the caller is (a CLI run is the OS user under the configured or given role).
import { userInfo } from 'node:os';
import { auditPathFor } from './audit.ts';
import type { GovernanceConfig } from './config.ts';
import { findRole, loadPolicy, type Policy, type Role } from './policy.ts';

export interface Governance {
  config: GovernanceConfig;
  policy: Policy;
  auditPath: string;
}

/** Who is asking: a subject, its role, and how it was identified (cli, oidc, local-token). */
export interface Caller {
  subject: string;
  role: string;
  via: string;
}

const policies = new Map<string, Policy>();

/** The governance of a warehouse under a configuration (policies are read once per process). */
export function governanceFor(config: GovernanceConfig, warehousePath: string): Governance {
  const key = config.policyFile ?? '(default)';
  let policy = policies.get(key);
  if (!policy) {
    policy = loadPolicy(config.policyFile);
    policies.set(key, policy);
  }
  return { config, policy, auditPath: auditPathFor(warehousePath, config.auditLog) };
}

/** The caller of a CLI command: the OS user, as the given role or else the configured one. */
export function cliCaller(config: GovernanceConfig, role?: string): Caller {
  let subject = 'unknown';
  try {
    subject = userInfo().username;
  } catch {
    subject = process.env.USER ?? 'unknown';
  }
  return { subject, role: role ?? config.role, via: 'cli' };
}

/** The role of a caller under the policy; an unknown role is refused (AccessDeniedError). */
export function roleOf(gov: Governance, caller: Caller): Role {
  return findRole(gov.policy, caller.role);
}
