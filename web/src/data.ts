// Where the dashboard's data comes from: the API when served, the embedded snapshot when opened from
// disk. Both are asked with the same apiPath() URLs, so every page reads data one way.
import { useEffect, useState } from 'react';
import { type ApiError, SNAPSHOT_ELEMENT_ID, type Snapshot } from '../../src/server/api.ts';
import type { BrowserLogin } from '../../src/server/oidc-login.ts';

export class DataError extends Error {
  readonly status: number;
  readonly parameter: string | undefined;

  constructor(status: number, message: string, parameter?: string) {
    super(message);
    this.status = status;
    this.parameter = parameter;
  }
}

function readSnapshot(): Snapshot | null {
  const el = document.getElementById(SNAPSHOT_ELEMENT_ID);
  if (!el?.textContent) return null;
  return JSON.parse(el.textContent) as Snapshot | null;
}

/** The embedded data of the offline report; null when the app is served by `claimlens serve`. */
export const SNAPSHOT = readSnapshot();

const TOKEN_KEY = 'claimlens.token';

/**
 * The bearer token of this browser tab: given once as `#token=...` (then removed from the URL so it
 * is not bookmarked or shared) or pasted into the sign-in form; kept in sessionStorage only.
 */
function readToken(): string | null {
  const m = /(?:^#|&)token=([A-Za-z0-9_\-.=]+)/.exec(window.location.hash);
  if (m && !SNAPSHOT) {
    sessionStorage.setItem(TOKEN_KEY, m[1]!);
    const hash = window.location.hash.replace(/(?:^#|&)token=[^&]*/, '').replace(/^#?&?/, '');
    window.history.replaceState(
      null,
      '',
      `${window.location.pathname}${window.location.search}${hash ? `#${hash}` : ''}`,
    );
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function hasToken(): boolean {
  return sessionStorage.getItem(TOKEN_KEY) !== null;
}

export function signIn(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
  window.location.reload();
}

export function signOut(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  window.location.reload();
}

const LOGIN_KEY = 'claimlens.login';

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Where the provider sends the user back: the dashboard's root (register it at the provider). */
function redirectUri(): string {
  return `${window.location.origin}/`;
}

/** How this server signs browsers in (GET /api/auth/login): null when it only takes pasted tokens. */
export async function providerLogin(): Promise<BrowserLogin | null> {
  if (SNAPSHOT) return null;
  try {
    const res = await fetch('/api/auth/login', { headers: { accept: 'application/json' } });
    if (!res.ok) return null;
    const info = (await res.json()) as BrowserLogin;
    return info.mode === 'oidc' && info.authorization_endpoint && info.client_id ? info : null;
  } catch {
    return null;
  }
}

/**
 * Sends the user to the OIDC provider (authorization code flow with PKCE, RFC 7636): the verifier and
 * state stay in this tab's sessionStorage until the provider sends the user back with a code.
 */
export async function startProviderLogin(info: BrowserLogin): Promise<void> {
  const verifier = randomString(48);
  const state = randomString(16);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(
    LOGIN_KEY,
    JSON.stringify({ verifier, state, back: `${window.location.pathname}${window.location.search}` }),
  );
  const url = new URL(info.authorization_endpoint!);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: info.client_id!,
    redirect_uri: redirectUri(),
    scope: info.scope ?? 'openid',
    state,
    code_challenge: base64url(digest),
    code_challenge_method: 'S256',
    ...(info.resource ? { resource: info.resource } : {}),
  }).toString();
  window.location.assign(url.toString());
}

/**
 * Back from the provider (`?code=...&state=...`): the server trades the code for an access token it
 * has checked, the token goes to sessionStorage and the URL back to the page the user started from.
 * Resolves at once on any other page load.
 */
async function finishProviderLogin(): Promise<void> {
  if (SNAPSHOT) return;
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  const saved = sessionStorage.getItem(LOGIN_KEY);
  if (!code || !saved) return;
  sessionStorage.removeItem(LOGIN_KEY);
  const login = JSON.parse(saved) as { verifier: string; state: string; back: string };
  window.history.replaceState(null, '', login.back || '/');
  if (params.get('state') !== login.state) {
    loginError = 'the sign-in answer did not match this tab (state mismatch): sign in again';
    return;
  }
  const res = await fetch('/api/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ code, code_verifier: login.verifier, redirect_uri: redirectUri() }),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; message?: string };
  if (res.ok && body.access_token) sessionStorage.setItem(TOKEN_KEY, body.access_token);
  else loginError = body.message ?? `sign-in failed (HTTP ${res.status})`;
}

/** Why the last provider sign-in failed, shown on the sign-in form. */
export let loginError: string | null = null;
const loginDone = finishProviderLogin().catch((err: Error) => {
  loginError = `sign-in failed: ${err.message}`;
});

const pending = new Map<string, Promise<unknown>>();

async function fromApi(path: string): Promise<unknown> {
  let res: Response;
  await loginDone;
  const token = readToken();
  try {
    res = await fetch(path, {
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  } catch (err) {
    throw new DataError(0, `the server did not answer (${(err as Error).message})`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DataError(res.status, `the server answered ${res.status} without JSON`);
  }
  if (!res.ok) {
    const e = body as Partial<ApiError>;
    throw new DataError(res.status, e.message ?? `HTTP ${res.status}`, e.parameter);
  }
  return body;
}

async function fromSnapshot(snapshot: Snapshot, path: string): Promise<unknown> {
  const answer = snapshot.responses[path];
  if (!answer) {
    throw new DataError(
      404,
      `this offline report holds no data for ${path}: it was made for one set of filters`,
    );
  }
  if (answer.status !== 200) {
    const e = answer.body as Partial<ApiError>;
    throw new DataError(answer.status, e.message ?? `HTTP ${answer.status}`, e.parameter);
  }
  return answer.body;
}

/** One request per URL per page load: pages revisited and cards sharing a URL reuse the answer. */
export function load<T>(path: string): Promise<T> {
  let p = pending.get(path);
  if (!p) {
    p = SNAPSHOT ? fromSnapshot(SNAPSHOT, path) : fromApi(path);
    pending.set(path, p);
    p.catch(() => pending.delete(path));
  }
  return p as Promise<T>;
}

// Work in progress (requests, chart renders) is counted on <html data-busy>, so tests, the PDF
// printer and screenshots know when a page has settled.
let busy = 0;
function setBusy(delta: number): void {
  busy += delta;
  document.documentElement.dataset.busy = String(busy);
}
setBusy(0);

export function trackBusy<T>(work: Promise<T>): Promise<T> {
  setBusy(1);
  return work.finally(() => setBusy(-1));
}

export function busyStart(): () => void {
  setBusy(1);
  let done = false;
  return () => {
    if (!done) {
      done = true;
      setBusy(-1);
    }
  };
}

export type Resource<T> =
  | { state: 'loading' }
  | { state: 'ok'; data: T }
  | { state: 'error'; error: DataError };

/** The answer for `path` (null: nothing to load), re-read when the path changes. */
export function useResource<T>(path: string | null): Resource<T> {
  const [res, setRes] = useState<{ path: string | null; value: Resource<T> }>({
    path: null,
    value: { state: 'loading' },
  });
  useEffect(() => {
    if (path === null) return;
    let live = true;
    trackBusy(load<T>(path)).then(
      (data) => live && setRes({ path, value: { state: 'ok', data } }),
      (err: unknown) =>
        live &&
        setRes({
          path,
          value: {
            state: 'error',
            error: err instanceof DataError ? err : new DataError(500, (err as Error).message),
          },
        }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return res.path === path ? res.value : { state: 'loading' };
}
