// Signing a browser in with the organization's OIDC provider: the dashboard is a public client using
// the authorization code flow with PKCE (RFC 7636, OAuth 2.0 for Browser-Based Apps). The browser
// sends the user to the provider and back with a code; this server exchanges the code at the
// provider's token endpoint (server to server, so the provider needs no CORS for the dashboard's
// origin), checks the access token exactly as every API request is checked, and hands it back.
// Nothing is stored server-side: the token lives in the tab's sessionStorage.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { ClaimlensError } from '../errors.ts';
import { AccessDeniedError } from '../governance/errors.ts';
import type { Authorize } from './access.ts';

/** What the dashboard needs to start a sign-in; `GET /api/auth/login`. */
export interface BrowserLogin {
  /** How the API authenticates: local tokens, an OIDC provider, or no authentication (loopback). */
  mode: 'local' | 'oidc' | 'none';
  /** oidc with a browser client: where to send the user. */
  authorization_endpoint?: string;
  client_id?: string;
  scope?: string;
  /** RFC 8707 resource indicator: the API audience the access token must be issued for. */
  resource?: string;
  issuer?: string;
}

interface ProviderMetadata {
  authorization_endpoint: string;
  token_endpoint: string;
}

const discovered = new Map<string, Promise<ProviderMetadata>>();

/** The provider's endpoints from its discovery document, fetched once per issuer. */
function providerMetadata(issuer: string): Promise<ProviderMetadata> {
  let p = discovered.get(issuer);
  if (!p) {
    p = (async () => {
      const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      const doc = (await res.json()) as Partial<ProviderMetadata>;
      if (!doc.authorization_endpoint || !doc.token_endpoint) {
        throw new Error(`${url} lists no authorization_endpoint or token_endpoint`);
      }
      return { authorization_endpoint: doc.authorization_endpoint, token_endpoint: doc.token_endpoint };
    })();
    p.catch(() => discovered.delete(issuer));
    discovered.set(issuer, p);
  }
  return p;
}

async function loginInfo(config: Config): Promise<BrowserLogin> {
  if (config.server.auth === 'none') return { mode: 'none' };
  const auth = config.governance.auth;
  if (auth.mode !== 'oidc' || !auth.browserClientId) return { mode: auth.mode };
  const meta = await providerMetadata(auth.issuer!);
  return {
    mode: 'oidc',
    issuer: auth.issuer!,
    authorization_endpoint: meta.authorization_endpoint,
    client_id: auth.browserClientId,
    scope: auth.browserScope,
    resource: auth.audience!,
  };
}

interface TokenRequest {
  code: string;
  code_verifier: string;
  redirect_uri: string;
}

const TOKEN_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'code_verifier', 'redirect_uri'],
  properties: {
    code: { type: 'string', minLength: 1, maxLength: 4096 },
    // RFC 7636 4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~".
    code_verifier: { type: 'string', pattern: '^[A-Za-z0-9._~-]{43,128}$' },
    redirect_uri: { type: 'string', format: 'uri', maxLength: 2048 },
  },
} as const;

function badRequest(message: string): ClaimlensError {
  return new ClaimlensError('usage', message);
}

/**
 * Adds `GET /api/auth/login` (how to sign in) and `POST /api/auth/token` (code for a checked access
 * token) to the server. Both are public: they carry no data, and the token answer is only given for
 * a token the API itself accepts, with the role it maps to.
 */
export function registerBrowserLogin(app: FastifyInstance, config: Config, authorize: Authorize): void {
  app.get('/api/auth/login', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      return await loginInfo(config);
    } catch (err) {
      throw new ClaimlensError(
        'config',
        `cannot reach the OIDC provider ${config.governance.auth.issuer}: ${(err as Error).message}`,
      );
    }
  });

  app.post('/api/auth/token', { schema: { body: TOKEN_BODY } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const info = await loginInfo(config);
    if (info.mode !== 'oidc' || !info.client_id) {
      throw badRequest(
        'browser sign-in is not configured: set governance.auth.mode oidc and governance.auth.browserClientId',
      );
    }
    const body = request.body as TokenRequest;
    const meta = await providerMetadata(info.issuer!);
    const res = await fetch(meta.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: body.code,
        code_verifier: body.code_verifier,
        redirect_uri: body.redirect_uri,
        client_id: info.client_id,
        resource: info.resource!,
      }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (!res.ok || !answer.access_token) {
      // The provider's own words (invalid_grant: code expired or used, PKCE mismatch) help the user.
      throw new AccessDeniedError(
        'sign_in_refused',
        `the provider refused the sign-in: ${answer.error ?? res.status}${answer.error_description ? ` (${answer.error_description})` : ''}`,
        401,
      );
    }
    const principal = await authorize(
      { headers: { authorization: `Bearer ${answer.access_token}` } } as Parameters<Authorize>[0],
      'POST /api/auth/token',
    );
    return {
      access_token: answer.access_token,
      expires_in: answer.expires_in ?? null,
      subject: principal.subject,
      role: principal.role,
    };
  });
}
