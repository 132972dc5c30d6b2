// Where the dashboard's data comes from: the API when served, the embedded snapshot when opened from
// disk. Both are asked with the same apiPath() URLs, so every page reads data one way.
import { useEffect, useState } from 'react';
import { type ApiError, SNAPSHOT_ELEMENT_ID, type Snapshot } from '../../src/server/api.ts';

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

const pending = new Map<string, Promise<unknown>>();

async function fromApi(path: string): Promise<unknown> {
  let res: Response;
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
