// The `governance` section of claimlens.config.json: pseudonymization key, direct-identifier handling,
// the role policy, the CLI's role, audit log, export folder and bearer-token authentication.
import { z } from 'zod';

/** Signature algorithms accepted from an OIDC provider (RFC 8725 section 3.1: an explicit allow-list). */
export const OIDC_ALGORITHMS = ['RS256', 'ES256'] as const;

export const authConfigSchema = z
  .object({
    mode: z
      .enum(['local', 'oidc'])
      .default('local')
      .describe(
        'local: HMAC-signed API tokens from `claimlens token create` (single user); oidc: bearer JWTs of an OIDC/OAuth2 provider verified against its JWKS.',
      ),
    issuer: z
      .string()
      .url()
      .optional()
      .describe('OIDC issuer URL; tokens must carry exactly this `iss`. Required in oidc mode.'),
    audience: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Audience (`aud`) tokens must be issued for: the API resource identifier. Required in oidc mode.',
      ),
    jwksUri: z
      .string()
      .url()
      .optional()
      .describe(
        "Provider's JWKS URL; discovered from the issuer's /.well-known/openid-configuration when absent.",
      ),
    browserClientId: z
      .string()
      .min(1)
      .optional()
      .describe(
        "oidc mode: client id of the dashboard at the provider, a public client using the authorization code flow with PKCE whose redirect URI is the dashboard's address (e.g. https://claims.example.org/). Without it the dashboard asks for a pasted token.",
      ),
    browserScope: z
      .string()
      .min(1)
      .default('openid')
      .describe('Scopes the dashboard asks the provider for when it signs a user in.'),
    algorithms: z
      .array(z.enum(OIDC_ALGORITHMS))
      .min(1)
      .default([...OIDC_ALGORITHMS])
      .describe('Accepted signature algorithms; only asymmetric ones can be listed, never none or HS*.'),
    roleClaim: z
      .string()
      .min(1)
      .default('claimlens_role')
      .describe(
        'Claim holding the role: a string or an array of strings; a dotted path reaches nested claims (realm_access.roles).',
      ),
    roleMap: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        'Provider role names mapped to claimlens roles (e.g. {"Claims-Analysts": "analyst"}); unmapped names are used as they are.',
      ),
    clockToleranceSeconds: z
      .number()
      .int()
      .min(0)
      .max(300)
      .default(30)
      .describe('Clock skew tolerated on exp and nbf, in seconds.'),
    localTokenEpoch: z
      .number()
      .int()
      .nonnegative()
      .default(1)
      .describe('Generation of local API tokens: increasing it revokes every local token issued before.'),
    localTokenDays: z
      .number()
      .int()
      .positive()
      .max(366)
      .default(30)
      .describe('Default lifetime of a local API token, in days.'),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.mode === 'oidc' && (a.issuer === undefined || a.audience === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'oidc mode needs both issuer and audience' });
    }
  })
  .prefault({})
  .describe('Bearer-token authentication of the server.');

export const governanceConfigSchema = z
  .object({
    pseudonymize: z
      .boolean()
      .default(true)
      .describe(
        'Replace identifier columns with keyed HMAC-SHA-256 tokens at load; a missing key is then an error.',
      ),
    keyFile: z
      .string()
      .default('.claimlens/key')
      .describe(
        'Pseudonymization key file (64 hex characters, mode 0600), created by `claimlens init`; CLAIMLENS_KEY overrides it.',
      ),
    directIdentifiers: z
      .enum(['restrict', 'drop'])
      .default('restrict')
      .describe(
        'restrict: move names, address, phone and email to schema `restricted` keyed by token (admin only); drop: discard them.',
      ),
    policyFile: z
      .string()
      .optional()
      .describe('Role policy JSON; the shipped src/governance/policy.default.json when absent.'),
    role: z
      .string()
      .min(1)
      .default('admin')
      .describe(
        'Role CLI commands run as when --role is not given (whoever runs the CLI holds the warehouse file).',
      ),
    auditLog: z
      .string()
      .optional()
      .describe(
        'Audit log (JSON lines, hash-chained); claimlens.audit.jsonl beside the warehouse when absent.',
      ),
    exportDir: z
      .string()
      .default('exports')
      .describe('The only folder de-identified exports may be written under.'),
    auth: authConfigSchema,
  })
  .strict()
  .prefault({})
  .describe('Governance: pseudonymization, roles, suppression, audit, de-identified export, authentication.');

export type GovernanceConfig = z.infer<typeof governanceConfigSchema>;
export type AuthConfig = z.infer<typeof authConfigSchema>;

/** The governance defaults, as a config without a governance section gets them. */
export function defaultGovernanceConfig(): GovernanceConfig {
  return governanceConfigSchema.parse(undefined);
}
