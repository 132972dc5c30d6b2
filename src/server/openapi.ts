// The OpenAPI 3.1 description of the API, generated from the same route specs and JSON schemas that
// validate requests, so the published description cannot drift from what the server checks.

import type { JsonSchema, RouteSpec } from './routes/route.ts';
import { ERROR } from './schemas.ts';

interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

function parameters(schema: JsonSchema | undefined, where: 'path' | 'query'): Parameter[] {
  const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** The two public routes of browser sign-in (src/server/oidc-login.ts, docs/governance.md). */
const BROWSER_LOGIN_PATHS = {
  '/api/auth/login': {
    get: {
      operationId: 'getApiAuthLogin',
      tags: ['auth'],
      summary: 'How the dashboard signs users in',
      description:
        'Public. mode (local, oidc, none) and, when governance.auth.browserClientId is set, the OIDC authorization endpoint, client id, scope and resource for the authorization code flow with PKCE.',
      responses: { 200: { description: 'OK' }, 500: errorResponse('The provider cannot be reached') },
    },
  },
  '/api/auth/token': {
    post: {
      operationId: 'postApiAuthToken',
      tags: ['auth'],
      summary: 'Trade an authorization code for a checked access token',
      description:
        'Public. Body {code, code_verifier, redirect_uri}: the server redeems the code at the provider and returns the access token with its subject and role only after authenticating it like any API call.',
      responses: {
        200: { description: 'OK: access_token, expires_in, subject, role' },
        400: errorResponse('Browser sign-in is not configured, or the body is malformed'),
        401: errorResponse('The provider refused the code, or the token is not accepted'),
      },
    },
  },
};

export function openApiDocument(routes: readonly RouteSpec[], version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {
      200: { description: 'OK', content: { 'application/json': { schema: r.response } } },
    };
    if (r.kind === 'data') {
      responses[304] = { description: 'Not modified (If-None-Match matched the ETag)' };
      responses[400] = errorResponse('A parameter is wrong; `parameter` names it and `message` says why');
      responses[503] = errorResponse('The warehouse is missing or cannot be opened');
    }
    responses[500] = errorResponse('Internal error');
    paths[path] = {
      get: {
        operationId: `get${path.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
        tags: [r.tag],
        summary: r.summary,
        description: r.description,
        parameters: [...parameters(r.params, 'path'), ...parameters(r.querystring, 'query')],
        responses,
      },
    };
  }
  Object.assign(paths, BROWSER_LOGIN_PATHS);
  return {
    openapi: '3.1.0',
    info: {
      title: 'claimlens API',
      version,
      description:
        'Read-only analytics API over a claimlens warehouse: the KPI domains, data quality and freshness. Answers are cached per build of the warehouse and carry an ETag.',
      license: { name: 'Apache-2.0' },
    },
    paths,
    components: { schemas: { Error: ERROR } },
  };
}
