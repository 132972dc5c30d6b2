// Bearer-token authentication for the server: OIDC/OAuth2 access tokens (JWTs) verified against the
// provider's JWKS with jose, or local HMAC-signed API tokens; every refusal is audited with its reason.
import { randomUUID } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { type AuditEvent, appendAudit } from './audit.ts';
import type { AuthConfig } from './config.ts';
import { AccessDeniedError, type DenyReason } from './errors.ts';
import { deriveKey } from './key.ts';
import { findRole, type Policy } from './policy.ts';

/** Who a request runs as, once its token is verified. */
export interface Principal {
  /** The token's subject (`sub`): a user or, for client_credentials, the client id. */
  subject: string;
  role: string;
  via: 'oidc' | 'local-token';
}

export const LOCAL_ISSUER = 'claimlens-local';
export const LOCAL_AUDIENCE = 'claimlens';
const LOCAL_ALG = 'HS256';

export interface AuthenticatorOptions {
  /** Audit log every refusal (and acceptance) is written to. */
  auditPath: string;
  /** The pseudonymization key; local API tokens are signed with a key derived from it (local mode). */
  localKey?: () => Buffer;
  /** Clock, for tests. */
  now?: () => Date;
}

/** Value at a dotted claim path (`realm_access.roles`). */
function claimAt(payload: JWTPayload, path: string): unknown {
  let v: unknown = payload;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * Verifies bearer tokens and maps them to a role of the policy (RFC 7519; RFC 8725 best practices:
 * an algorithm allow-list fixed by configuration, never taken from the token; issuer, audience,
 * expiry and not-before always checked; asymmetric keys only for provider tokens).
 */
export class Authenticator {
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(
    private readonly config: AuthConfig,
    private readonly policy: Policy,
    private readonly options: AuthenticatorOptions,
  ) {}

  /**
   * The principal of an `Authorization` header, or an AccessDeniedError (401, or 403 for a role the
   * policy does not know); either way an audit entry is written first.
   */
  async authenticate(authorization: string | undefined, action: string): Promise<Principal> {
    let token: string | undefined;
    let subject = 'anonymous';
    try {
      const m = /^Bearer ([A-Za-z0-9_\-.=]+)$/.exec(authorization?.trim() ?? '');
      if (!authorization)
        throw new AccessDeniedError('no_token', 'no bearer token: send Authorization: Bearer <token>', 401);
      if (!m)
        throw new AccessDeniedError(
          'malformed_token',
          'the Authorization header is not `Bearer <token>`',
          401,
        );
      token = m[1]!;
      subject = this.peekSubject(token);
      const payload =
        this.config.mode === 'oidc' ? await this.verifyOidc(token) : await this.verifyLocal(token);
      const principal: Principal = {
        subject: typeof payload.sub === 'string' ? payload.sub : 'unknown',
        role: this.roleOf(payload),
        via: this.config.mode === 'oidc' ? 'oidc' : 'local-token',
      };
      await this.audit({
        actor: principal.subject,
        role: principal.role,
        via: principal.via,
        action,
        outcome: 'ok',
        params: { step: 'authenticate' },
      });
      return principal;
    } catch (err) {
      const denied = err instanceof AccessDeniedError ? err : this.translate(err);
      await this.audit({
        actor: subject,
        via: this.config.mode === 'oidc' ? 'oidc' : 'local-token',
        action,
        outcome: 'refused',
        reason: denied.reason,
        params: { step: 'authenticate', detail: denied.message },
      });
      throw denied;
    }
  }

  /** The unverified subject, only to say in the audit log who a refused token claimed to be. */
  private peekSubject(token: string): string {
    try {
      const sub = decodeJwt(token).sub;
      return typeof sub === 'string' ? `unverified:${sub}` : 'anonymous';
    } catch {
      return 'anonymous';
    }
  }

  private async audit(event: AuditEvent): Promise<void> {
    await appendAudit(this.options.auditPath, event);
  }

  private checkAlgorithm(token: string, allowed: readonly string[]): void {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AccessDeniedError('malformed_token', 'the token is not a JWS compact JWT', 401);
    }
    if (typeof alg !== 'string' || !allowed.includes(alg)) {
      throw new AccessDeniedError(
        'alg_not_allowed',
        `token algorithm ${String(alg)} is not accepted (allowed: ${allowed.join(', ')})`,
        401,
      );
    }
  }

  private async verifyOidc(token: string): Promise<JWTPayload> {
    const { issuer, audience, algorithms } = this.config;
    this.checkAlgorithm(token, algorithms);
    const jwks = await this.keySet();
    const { payload } = await jwtVerify(token, jwks, {
      issuer: issuer!,
      audience: audience!,
      algorithms: [...algorithms],
      clockTolerance: this.config.clockToleranceSeconds,
      requiredClaims: ['exp', 'iss', 'aud', 'sub'],
      currentDate: this.options.now?.(),
    });
    return payload;
  }

  private async keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.jwks) return this.jwks;
    let uri = this.config.jwksUri;
    if (!uri) {
      const issuer = this.config.issuer!.replace(/\/$/, '');
      let meta: { issuer?: string; jwks_uri?: string };
      try {
        const res = await fetch(`${issuer}/.well-known/openid-configuration`, {
          signal: AbortSignal.timeout(5_000),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        meta = (await res.json()) as typeof meta;
      } catch (err) {
        throw new AccessDeniedError(
          'provider_unreachable',
          `cannot read the OIDC discovery document of ${issuer}: ${(err as Error).message}`,
          401,
        );
      }
      // OpenID Connect Discovery 1.0 section 4.3: the document must name the issuer it was fetched for.
      if (meta.issuer !== this.config.issuer || !meta.jwks_uri) {
        throw new AccessDeniedError(
          'provider_unreachable',
          `the discovery document of ${issuer} does not match it`,
          401,
        );
      }
      uri = meta.jwks_uri;
    }
    this.jwks = createRemoteJWKSet(new URL(uri), { timeoutDuration: 5_000 });
    return this.jwks;
  }

  private localSecret(): Uint8Array {
    if (!this.options.localKey) {
      throw new AccessDeniedError(
        'bad_signature',
        'local API tokens need the claimlens key, which is not available',
        401,
      );
    }
    return deriveKey(this.options.localKey(), 'api tokens', this.config.localTokenEpoch);
  }

  private async verifyLocal(token: string): Promise<JWTPayload> {
    this.checkAlgorithm(token, [LOCAL_ALG]);
    const { payload } = await jwtVerify(token, this.localSecret(), {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [LOCAL_ALG],
      clockTolerance: this.config.clockToleranceSeconds,
      requiredClaims: ['exp', 'iss', 'aud', 'sub'],
      currentDate: this.options.now?.(),
    });
    return payload;
  }

  /** Exactly one claimlens role must come out of the role claim after mapping; anything else is refused. */
  private roleOf(payload: JWTPayload): string {
    const oidc = this.config.mode === 'oidc';
    const claim = oidc ? this.config.roleClaim : 'claimlens_role';
    const raw = claimAt(payload, claim);
    const names = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    const mapped = [...new Set(names.map((n) => (oidc ? (this.config.roleMap[n] ?? n) : n)))];
    const known = mapped.filter((n) => Object.hasOwn(this.policy.roles, n));
    if (known.length === 1) return findRole(this.policy, known[0]).name;
    if (known.length > 1) {
      throw new AccessDeniedError(
        'ambiguous_role',
        `the token names several roles (${known.join(', ')}); issue one`,
        403,
      );
    }
    throw new AccessDeniedError(
      'unknown_role',
      `the token's ${claim} claim (${names.join(', ') || 'absent'}) names no role of the policy (${Object.keys(this.policy.roles).join(', ')})`,
      403,
    );
  }

  private translate(err: unknown): AccessDeniedError {
    const deny = (reason: DenyReason, message: string) => new AccessDeniedError(reason, message, 401);
    if (err instanceof errors.JWTExpired) return deny('expired', 'the token has expired');
    if (err instanceof errors.JWTClaimValidationFailed) {
      if (err.claim === 'nbf') return deny('not_yet_valid', 'the token is not valid yet (nbf)');
      if (err.claim === 'aud')
        return deny('wrong_audience', `the token is not issued for ${this.audienceName()}`);
      if (err.claim === 'iss') return deny('wrong_issuer', 'the token comes from another issuer');
      return deny('malformed_token', `the token's ${err.claim} claim is ${err.reason}`);
    }
    if (err instanceof errors.JOSEAlgNotAllowed) return deny('alg_not_allowed', err.message);
    if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) {
      return deny('bad_signature', 'the token signature does not verify');
    }
    if (err instanceof errors.JWKSTimeout)
      return deny('provider_unreachable', 'the provider JWKS did not answer');
    if (err instanceof errors.JOSEError)
      return deny('malformed_token', `the token is not valid: ${err.message}`);
    if (err instanceof TypeError)
      return deny('provider_unreachable', `cannot reach the provider: ${err.message}`);
    throw err;
  }

  private audienceName(): string {
    return this.config.mode === 'oidc' ? (this.config.audience ?? '') : LOCAL_AUDIENCE;
  }
}

export interface LocalTokenRequest {
  role: string;
  subject: string;
  days: number;
  epoch: number;
  now?: Date;
}

/**
 * A local API token: an HS256 JWT signed with a subkey of the claimlens key, for single-user servers.
 *
 * @example await createLocalToken(key, policy, { role: 'analyst', subject: 'ana', days: 30, epoch: 1 })
 */
export async function createLocalToken(key: Buffer, policy: Policy, req: LocalTokenRequest): Promise<string> {
  const role = findRole(policy, req.role);
  const iat = Math.floor((req.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ claimlens_role: role.name })
    .setProtectedHeader({ alg: LOCAL_ALG, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(req.subject)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + req.days * 86_400)
    .setJti(randomUUID())
    .sign(deriveKey(key, 'api tokens', req.epoch));
}
