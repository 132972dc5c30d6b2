// Browser sign-in with an OIDC provider, end to end: the dashboard (headless Chromium) sends the user
// to a real oidc-provider (authorization code + PKCE, its development login and consent pages),
// comes back with a code, the server trades it for an access token it checks like any API call, and
// the page shows data for the role the provider's token carries.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClaimlensServer, createServer } from '../../src/server/app.ts';
import { CHROMIUM_ARGS, chromiumPath, pageSettled } from '../../src/server/pdf.ts';
import { buildTestWarehouse, testConfig } from '../server/fixture.ts';
import { ensureWebBuild } from './build.ts';

const API = 'https://claimlens.test/api';
const CLIENT = 'claimlens-dashboard';

let dir: string;
let idp: Server;
let issuer: string;
let server: ClaimlensServer;
let base: string;
let browser: Browser;

beforeAll(async () => {
  ensureWebBuild();
  dir = mkdtempSync(join(tmpdir(), 'claimlens-oidc-web-'));
  idp = createHttpServer();
  await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
  issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
  const warehouse = await buildTestWarehouse(join(dir, 'w'));
  const config = testConfig(
    warehouse,
    { auth: 'bearer' },
    {
      auditLog: join(dir, 'audit.jsonl'),
      auth: {
        ...testConfig(warehouse).governance.auth,
        mode: 'oidc',
        issuer,
        audience: API,
        browserClientId: CLIENT,
        browserScope: 'openid',
      },
    },
  );
  server = await createServer({ config });
  base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(rsa.privateKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' }] },
    clients: [
      {
        client_id: CLIENT,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${base}/`],
      },
    ],
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'read',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: () => ({ claimlens_role: 'analyst' }),
  });
  idp.on('request', provider.callback());
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  await new Promise((r) => idp?.close(r));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('browser sign-in with the OIDC provider', () => {
  it('tells the dashboard where to send the user', async () => {
    const res = await server.app.inject('/api/auth/login');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      mode: 'oidc',
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      client_id: CLIENT,
      scope: 'openid',
      resource: API,
    });
  });

  it('refuses a code the provider never issued, with the provider words', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/auth/token',
      payload: { code: 'forged', code_verifier: 'v'.repeat(43), redirect_uri: `${base}/` },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toMatch(/the provider refused the sign-in: invalid_grant/);
    const bad = await server.app.inject({
      method: 'POST',
      url: '/api/auth/token',
      payload: { code: 'x', code_verifier: 'short', redirect_uri: `${base}/` },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('signs in through the provider and shows the data', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/payers?period=2024Q1`);
    await page.waitForSelector('[data-state="unauthenticated"] [data-action="provider-sign-in"]');
    await page.click('[data-action="provider-sign-in"]');
    // The provider's development login and consent pages.
    await page.waitForURL(/\/interaction\//);
    await page.fill('input[name="login"]', 'ana@example.org');
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    await page.waitForSelector('button[type="submit"]');
    await page.click('button[type="submit"]');
    // Back on the dashboard, at the page the user started from, with data.
    await page.waitForURL(`${base}/payers?period=2024Q1`);
    await page.waitForFunction(pageSettled, undefined, { timeout: 30_000 });
    expect(await page.locator('[data-state="unauthenticated"]').count()).toBe(0);
    expect(await page.locator('table').count()).toBeGreaterThan(0);
    const token = await page.evaluate<string | null>("sessionStorage.getItem('claimlens.token')");
    expect(token?.split('.')).toHaveLength(3);
    const me = await server.app.inject({ url: '/api/meta', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
