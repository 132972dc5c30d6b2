// The offline report's data: every URL the dashboard's pages read, answered in-process by the same
// server (same authorize + governed-service path), so the report shows exactly what the API shows the role.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { ClaimlensError, UsageError } from '../errors.ts';
import { domainsFor, type Principal, roleFor } from './access.ts';
import { apiPath, type Filters, SNAPSHOT_ELEMENT_ID, type Snapshot } from './api.ts';
import { createServer, DEFAULT_WEB_DIR } from './app.ts';
import { filterParams } from './params.ts';

/** The URLs the dashboard reads for `filters` (see web/src: meta, quality, each domain, the PMPM trend). */
export function snapshotPaths(domains: readonly string[], filters: Filters): string[] {
  return [
    '/api/meta',
    '/api/quality',
    ...domains.map((d) => apiPath(`/api/kpi/${d}`, filters)),
    apiPath('/api/cost/pmpm-trend', filters),
  ];
}

/**
 * The snapshot as `caller`'s role may see it: every request is served as `caller` through the
 * server's governed services (role check, small-cell suppression, audit), as the API would answer it.
 */
export async function governedSnapshot(
  config: Config,
  caller: Principal,
  filters: Filters,
): Promise<Snapshot> {
  // Bad filters fail the command (exit 2) instead of producing a report full of error boxes.
  filterParams(filters);
  // The role must exist before anything is read (an unknown role is refused, not defaulted).
  roleFor(config, caller);
  const { app } = await createServer({ config, webDir: false, principal: caller });
  try {
    const responses: Snapshot['responses'] = {};
    // Only the domains the role may read: the dashboard does not ask for the others.
    for (const path of snapshotPaths(
      domainsFor(config, caller).map((d) => d.name),
      filters,
    )) {
      const res = await app.inject({ method: 'GET', url: path });
      const body: unknown = JSON.parse(res.body);
      if (res.statusCode === 503) {
        throw new ClaimlensError(
          'warehouse',
          (body as { message?: string }).message ?? 'the warehouse cannot be read',
        );
      }
      const parameter = (body as { parameter?: string }).parameter;
      if (res.statusCode === 400 && parameter !== undefined) {
        throw new UsageError((body as { message: string }).message);
      }
      // Other refusals (no enrollment in the period for one domain, say) are kept: that page shows them.
      responses[path] = { status: res.statusCode, body };
    }
    return { generated_at: new Date().toISOString(), role: caller.role, filters, responses };
  } finally {
    await app.close();
  }
}

/** The single-file build of the dashboard (`npm run build:web` makes it). */
export function reportTemplatePath(webDir = DEFAULT_WEB_DIR): string {
  return join(webDir, 'report', 'index.html');
}

/** JSON that can sit inside a <script> element: no `</script>`, no `<!--`, no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const PLACEHOLDER = new RegExp(
  `(<script type="application/json" id="${SNAPSHOT_ELEMENT_ID}">)null(</script>)`,
);

/** The report HTML: the single-file dashboard with the snapshot in place of its empty data element. */
export function fillTemplate(template: string, snapshot: Snapshot, title: string): string {
  if (!PLACEHOLDER.test(template)) {
    throw new ClaimlensError(
      'build',
      'the report template has no snapshot element: rebuild it with `npm run build:web`',
    );
  }
  return template
    .replace(PLACEHOLDER, (_m, open: string, close: string) => `${open}${scriptJson(snapshot)}${close}`)
    .replace(
      /<title>[^<]*<\/title>/,
      () => `<title>${title.replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</title>`,
    );
}

export function readTemplate(webDir = DEFAULT_WEB_DIR): string {
  const path = reportTemplatePath(webDir);
  if (!existsSync(path) || statSync(path).size === 0) {
    throw new ClaimlensError(
      'build',
      `the dashboard is not built (no ${path}): run \`npm run build:web\` in the claimlens folder first`,
    );
  }
  return readFileSync(path, 'utf8');
}
