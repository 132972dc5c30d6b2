// Authentication against a real OIDC provider (oidc-provider on 127.0.0.1, client_credentials with
// resource indicators): accepted tokens, and every refusal (no token, expired, wrong audience,
// tampered, alg none, HS256 with the public key, unknown role) fails closed with an audit entry.
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/governance/audit.ts';
import { Authenticator, createLocalToken, LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../src/governance/auth.ts';
import { authConfigSchema } from '../../src/governance/config.ts';
import { AccessDeniedError } from '../../src/governance/errors.ts';
import { deriveKey } from '../../src/governance/key.ts';
import { loadPolicy } from '../../src/governance/policy.ts';

const API = 'https://api.claimlens.test';
const OTHER_API = 'https://billing.example.test';
// Roles the provider puts in each client's tokens; `intruder` carries a role the policy lacks.
const CLIENT_ROLES: Record<string, string | string[]> = {
  'analyst-svc': 'analyst',
  'exec-svc': ['offline', 'Executives'],
  intruder: 'superuser',
};

let server: Server;
let issuer: string;
let dir: string;
const policy = loadPolicy();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claimlens-auth-'));
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  issuer = `http://127.0.0.1:${port}`;
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const ec = await generateKeyPair('ES256', { extractable: true });
  const keys = [
    { ...(await exportJWK(rsa.privateKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(ec.privateKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
  ];
  const provider = new Provider(issuer, {
    jwks: { keys },
    clients: Object.keys(CLIENT_ROLES).map((id) => ({
      client_id: id,
      client_secret: `${id}-secret`,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    })),
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API,
        getResourceServerInfo: (_ctx, resource, client) => ({
          scope: 'read',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          // The executive client gets ES256 tokens, the others RS256: both are on the allow-list.
          jwt: { sign: { alg: client.clientId === 'exec-svc' ? 'ES256' : 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx, token) => {
      const clientId = (token as { clientId?: string }).clientId ?? '';
      return { claimlens_role: CLIENT_ROLES[clientId] };
    },
  });
  server.on('request', provider.callback());
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function issue(client: string, resource = API): Promise<string> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client}:${client}-secret`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'read', resource }).toString(),
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

function authenticator(auditPath: string, now?: () => Date): Authenticator {
  const config = authConfigSchema.parse({
    mode: 'oidc',
    issuer,
    audience: API,
    roleMap: { Executives: 'executive' },
  });
  return new Authenticator(config, policy, { auditPath, now });
}

function audit(path: string): AuditEntry[] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditEntry);
}

async function refusal(p: Promise<unknown>): Promise<AccessDeniedError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AccessDeniedError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('OIDC bearer tokens', () => {
  it('accepts real RS256 and ES256 tokens, mapping the role claim', async () => {
    const path = join(dir, 'ok.jsonl');
    const auth = authenticator(path);
    expect(await auth.authenticate(`Bearer ${await issue('analyst-svc')}`, 'GET /api/kpi/cost')).toEqual({
      subject: 'analyst-svc',
      role: 'analyst',
      via: 'oidc',
    });
    const exec = await issue('exec-svc');
    expect(JSON.parse(Buffer.from(exec.split('.')[0]!, 'base64url').toString()).alg).toBe('ES256');
    expect((await auth.authenticate(`Bearer ${exec}`, 'GET /api/kpi/cost')).role).toBe('executive');
    expect(audit(path).map((e) => [e.actor, e.role, e.outcome])).toEqual([
      ['analyst-svc', 'analyst', 'ok'],
      ['exec-svc', 'executive', 'ok'],
    ]);
  });

  it('refuses every bad token with its reason and audits each refusal', async () => {
    const path = join(dir, 'refused.jsonl');
    const auth = authenticator(path);
    const good = await issue('analyst-svc');
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;

    const cases: [string, string | undefined, string, 401 | 403][] = [];
    cases.push(['no token', undefined, 'no_token', 401]);
    cases.push(['not a bearer header', 'Basic abc', 'malformed_token', 401]);
    cases.push(['wrong audience', `Bearer ${await issue('analyst-svc', OTHER_API)}`, 'wrong_audience', 401]);
    // A flipped signature byte, and claims changed under the original signature.
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    cases.push(['tampered signature', `Bearer ${header}.${payload}.${flipped}`, 'bad_signature', 401]);
    const escalated = b64({ ...claims, claimlens_role: 'admin' });
    cases.push(['tampered claims', `Bearer ${header}.${escalated}.${signature}`, 'bad_signature', 401]);
    cases.push([
      'alg none',
      `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, claimlens_role: 'admin' })}.`,
      'alg_not_allowed',
      401,
    ]);
    // RFC 8725 section 2.1: an HS256 token "signed" with the provider's public key must not verify.
    const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: { n?: string }[] };
    const pub = JSON.stringify(jwks.keys.find((k) => k.n));
    const hsHead = b64({ alg: 'HS256', typ: 'JWT', kid: 'rsa-1' });
    const hsBody = b64({ ...claims, claimlens_role: 'admin' });
    const hsSig = createHmac('sha256', pub).update(`${hsHead}.${hsBody}`).digest('base64url');
    cases.push(['HS256 with the public key', `Bearer ${hsHead}.${hsBody}.${hsSig}`, 'alg_not_allowed', 401]);
    cases.push(['unknown role', `Bearer ${await issue('intruder')}`, 'unknown_role', 403]);

    for (const [name, header_, reason, status] of cases) {
      const err = await refusal(auth.authenticate(header_, 'GET /api/kpi/cost'));
      expect([name, err.reason, err.status]).toEqual([name, reason, status]);
    }
    // Expired: a real token checked one hour after it was issued (it lives 300 s, tolerance 30 s).
    const later = authenticator(path, () => new Date(Date.now() + 3_600_000));
    const expired = await refusal(later.authenticate(`Bearer ${good}`, 'GET /api/kpi/cost'));
    expect([expired.reason, expired.status]).toEqual(['expired', 401]);

    const entries = audit(path);
    expect(entries.map((e) => [e.outcome, e.reason])).toEqual([
      ...cases.map(([, , reason]) => ['refused', reason]),
      ['refused', 'expired'],
    ]);
    expect(entries.every((e) => e.role === undefined && e.action === 'GET /api/kpi/cost')).toBe(true);
    expect(entries[0]!.actor).toBe('anonymous');
    expect(entries[2]!.actor).toBe('unverified:analyst-svc');
  });
});

describe('local API tokens', () => {
  const key = Buffer.alloc(32, 9);
  const local = (path: string, epoch = 1, now?: () => Date) =>
    new Authenticator(authConfigSchema.parse({ mode: 'local', localTokenEpoch: epoch }), policy, {
      auditPath: path,
      localKey: () => key,
      now,
    });

  it('accepts a token from createLocalToken and refuses it after the epoch moves on', async () => {
    const path = join(dir, 'local.jsonl');
    const token = await createLocalToken(key, policy, {
      role: 'finance',
      subject: 'fin',
      days: 30,
      epoch: 1,
    });
    expect(await local(path).authenticate(`Bearer ${token}`, 'GET /api/meta')).toEqual({
      subject: 'fin',
      role: 'finance',
      via: 'local-token',
    });
    expect((await refusal(local(path, 2).authenticate(`Bearer ${token}`, 'GET /api/meta'))).reason).toBe(
      'bad_signature',
    );
    const past = () => new Date(Date.now() + 31 * 86_400_000);
    expect((await refusal(local(path, 1, past).authenticate(`Bearer ${token}`, 'x'))).reason).toBe('expired');
    await expect(
      createLocalToken(key, policy, { role: 'root', subject: 'x', days: 1, epoch: 1 }),
    ).rejects.toThrow(/unknown role 'root'/);
  });

  it('refuses a token not valid yet, and one for another audience', async () => {
    const path = join(dir, 'local2.jsonl');
    const now = Math.floor(Date.now() / 1000);
    const secret = deriveKey(key, 'api tokens', 1);
    const sign = (aud: string, nbf: number) =>
      new SignJWT({ claimlens_role: 'analyst' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(LOCAL_ISSUER)
        .setAudience(aud)
        .setSubject('ana')
        .setNotBefore(nbf)
        .setExpirationTime(now + 3_600)
        .sign(secret);
    const early = await refusal(
      local(path).authenticate(`Bearer ${await sign(LOCAL_AUDIENCE, now + 600)}`, 'x'),
    );
    expect(early.reason).toBe('not_yet_valid');
    const other = await refusal(local(path).authenticate(`Bearer ${await sign('elsewhere', now)}`, 'x'));
    expect(other.reason).toBe('wrong_audience');
    expect(audit(path).map((e) => e.reason)).toEqual(['not_yet_valid', 'wrong_audience']);
  });
});
