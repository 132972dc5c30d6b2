// The claimlens HTTP server as a Fastify instance (no port: `serve` listens, tests inject): the API
// routes behind one authorize-then-governed-service path, the response cache, the OpenAPI
// description and the built dashboard.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { ClaimlensError } from '../errors.ts';
import { auditCachedAnswer, createAuthorizer, type Principal } from './access.ts';
import { ResponseCache } from './cache.ts';
import { isLoopback } from './config.ts';
import { errorBody, httpStatusFor } from './http-errors.ts';
import { LiveWarehouse } from './live-warehouse.ts';
import { registerBrowserLogin } from './oidc-login.ts';
import { openApiDocument } from './openapi.ts';
import { pmpmTrendRoute } from './routes/cost.ts';
import { healthRoute } from './routes/health.ts';
import { kpiRoute } from './routes/kpi.ts';
import { metaRoute } from './routes/meta.ts';
import { qualityRoute } from './routes/quality.ts';
import type { DataRoute, PlainRoute, RouteSpec } from './routes/route.ts';

/** Where `npm run build:web` puts the dashboard. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface ServerOptions {
  config: Config;
  /** Built dashboard to serve; defaults to config.server.webDir, then web/dist; false serves the API only. */
  webDir?: string | false;
  logger?: boolean;
  /** Serve every request as this principal, without authentication (the offline report's snapshot). */
  principal?: Principal;
}

export interface ClaimlensServer {
  app: FastifyInstance;
  live: LiveWarehouse;
  cache: ResponseCache;
  routes: readonly RouteSpec[];
  /** The built dashboard served, if any. */
  webDir: string | undefined;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Query parameters in a fixed order, so `?a=1&b=2` and `?b=2&a=1` share a cache entry. */
function canonical(value: unknown): string {
  const obj = (value ?? {}) as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(obj)
      .sort()
      .map((k) => [k, obj[k]]),
  );
}

function queryNames(route: RouteSpec | undefined): string[] {
  return Object.keys((route?.querystring?.properties ?? {}) as object);
}

/**
 * Builds the server without listening. Close it with `app.close()`: it stops accepting requests,
 * lets in-flight ones finish, then closes the warehouse.
 *
 * @example const { app } = await createServer({ config }); await app.inject('/api/kpi/cost?period=2025Q1')
 */
export async function createServer(options: ServerOptions): Promise<ClaimlensServer> {
  const { config } = options;
  if (config.server.auth === 'none' && !options.principal && !isLoopback(config.server.host)) {
    throw new ClaimlensError(
      'config',
      `server.auth none serves everyone as role ${config.server.role}: listen on a loopback host (127.0.0.1), not ${config.server.host}, or use auth bearer`,
    );
  }
  const authorize = createAuthorizer(config, options.principal);
  const cache = new ResponseCache(config.server.cacheEntries);
  const live = new LiveWarehouse(
    config.warehouse,
    { threads: config.threads, memoryLimit: config.memoryLimit },
    () => cache.clear(),
  );
  const app = Fastify({
    logger: options.logger ?? false,
    // Unknown query parameters are refused (a typo must not silently widen a filter), not stripped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  const startedAt = Date.now();
  const docsRoute: PlainRoute = {
    kind: 'plain',
    url: '/api/docs',
    tag: 'meta',
    summary: 'This OpenAPI description',
    description: 'OpenAPI 3.1 description of every route, generated from the route schemas.',
    response: { type: 'object', description: 'An OpenAPI 3.1 document.' },
    handler: async () => openApiDocument(routes, packageVersion()),
  };
  const routes: RouteSpec[] = [healthRoute, metaRoute, kpiRoute, pmpmTrendRoute, qualityRoute, docsRoute];
  const byUrl = new Map(routes.map((r) => [r.url, r]));

  app.setErrorHandler((err, request, reply) => {
    const status = httpStatusFor(err);
    if (status >= 500 && status !== 503) request.log.error(err);
    // RFC 6750: a 401 names the scheme the client must use.
    if (status === 401) reply.header('www-authenticate', 'Bearer realm="claimlens"');
    reply.code(status).send(errorBody(err, queryNames(byUrl.get(request.routeOptions.url ?? ''))));
  });

  const serveData = async (route: DataRoute, request: FastifyRequest, reply: FastifyReply) => {
    const principal = await authorize(request, `GET ${route.url}`);
    const lease = await live.acquire();
    try {
      const params = request.params as Record<string, string>;
      const query = request.query as Record<string, string | undefined>;
      const key = [route.url, canonical(params), canonical(query), principal.role, lease.generation].join(
        '|',
      );
      let computed = false;
      const answer = await cache.get(key, async () => {
        computed = true;
        const value = await route.handler({
          query,
          params,
          principal,
          wh: lease.wh,
          generation: lease.generation,
          modifiedAt: lease.modifiedAt,
          sizeBytes: lease.sizeBytes,
          config,
        });
        const body = JSON.stringify(value);
        return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
      });
      // The governed services audit what they compute; an answer from the cache is audited here.
      if (!computed) await auditCachedAnswer(config, principal, route.action, { ...params, ...query });
      // Revalidate every time: the answer changes when a new build lands.
      reply.header('cache-control', 'no-cache').header('etag', answer.etag);
      if (request.headers['if-none-match'] === answer.etag) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(answer.body);
    } finally {
      lease.release();
    }
  };

  registerBrowserLogin(app, config, authorize);
  for (const route of routes) {
    app.route({
      method: 'GET',
      url: route.url,
      schema: {
        ...(route.querystring ? { querystring: route.querystring } : {}),
        ...(route.params ? { params: route.params } : {}),
      },
      handler: async (request, reply) => {
        if (route.kind === 'data') return serveData(route, request, reply);
        reply.header('cache-control', 'no-store');
        return route.handler({ live, startedAt });
      },
    });
  }

  const webDir = options.webDir ?? config.server.webDir ?? DEFAULT_WEB_DIR;
  const hasWeb = webDir !== false && existsSync(`${webDir}/index.html`);
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: webDir,
      // Looked up per request, not globbed at start, so a rebuilt dashboard is served without a restart.
      wildcard: true,
      index: 'index.html',
      setHeaders: (reply, path) => {
        // Vite names built assets by content hash, so they never change under the same name.
        reply.header(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    if (path.startsWith('/api/') || path === '/api') {
      return reply.code(404).send({
        error: 'not_found',
        status: 404,
        message: `no API route ${path}: see /api/docs`,
      });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return reply.code(404).send({ error: 'not_found', status: 404, message: `no route ${path}` });
    }
    // Dashboard pages are client-side routes (/cost, /payers, ...): every one gets the app.
    if (hasWeb) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><title>claimlens</title><p>The dashboard is not built: run <code>npm run build:web</code>. The API is at <a href="/api/docs">/api/docs</a>.</p>',
      );
  });

  app.addHook('onClose', async () => {
    await live.close();
  });
  return { app, live, cache, routes, webDir: hasWeb ? webDir : undefined };
}
