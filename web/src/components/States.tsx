// Loading, error and absent states every page shows the same way (and tests find by data-state).
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import type { BrowserLogin } from '../../../src/server/oidc-login.ts';
import { type DataError, loginError, providerLogin, signIn, startProviderLogin } from '../data.ts';

/** The server wants a bearer token: paste one (`claimlens token create --role ROLE`, or your provider's). */
function SignIn({ message }: { message: string }) {
  const [token, setToken] = useState('');
  const [provider, setProvider] = useState<BrowserLogin | null>(null);
  useEffect(() => {
    void providerLogin().then(setProvider);
  }, []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) signIn(token);
  };
  return (
    <div className="state error" data-state="unauthenticated" role="alert">
      <strong>Sign in to see this data</strong>
      <p>{loginError ?? message}</p>
      {provider ? (
        <p>
          <button
            type="button"
            data-action="provider-sign-in"
            onClick={() => void startProviderLogin(provider)}
          >
            Sign in with {new URL(provider.issuer ?? provider.authorization_endpoint!).host}
          </button>
        </p>
      ) : null}
      <form className="sign-in" onSubmit={submit}>
        <input
          type="password"
          name="token"
          aria-label="API token"
          placeholder="Bearer token"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <button type="submit">Sign in</button>
      </form>
      <p className="hint">
        Paste an API token (an admin creates one with <code>claimlens token create --role analyst</code>) or
        an access token from your identity provider. It is kept for this tab only.
      </p>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <div className="state loading" data-state="loading" aria-busy="true">
      Loading {what}…
    </div>
  );
}

export function ErrorBox({ error, what }: { error: DataError; what: string }) {
  if (error.status === 401) return <SignIn message={error.message} />;
  const hint =
    error.status === 400
      ? 'Change the filter named above.'
      : error.status === 403
        ? 'Your role may not read this; ask an administrator for a role that may.'
        : error.status === 503
          ? 'The warehouse is missing or lacks these marts: run `claimlens build`, then reload this page.'
          : error.status === 0
            ? 'Is `claimlens serve` still running?'
            : '';
  return (
    <div className="state error" data-state={error.status === 403 ? 'forbidden' : 'error'} role="alert">
      <strong>Could not load {what}</strong>
      <p>{error.message}</p>
      {hint ? <p className="hint">{hint}</p> : null}
    </div>
  );
}

export function Notice({ children, state = 'absent' }: { children: ReactNode; state?: string }) {
  return (
    <div className="state notice" data-state={state}>
      {children}
    </div>
  );
}
