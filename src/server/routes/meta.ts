// `GET /api/meta`: what the dashboard needs to say how fresh the data is and to offer its filters.
import { basename } from 'node:path';
import { auditMeta, domainsFor } from '../access.ts';
import { freshness } from '../freshness.ts';
import { META } from '../schemas.ts';
import type { DataRoute } from './route.ts';

export const metaRoute: DataRoute = {
  kind: 'data',
  action: 'meta',
  url: '/api/meta',
  tag: 'meta',
  summary: 'Data freshness, filter values and KPI domains',
  description:
    "The latest build (meta.build_log) and loads (input.load_log), the service-date window, the payers, plans and states (the filter values), and the KPI domains the caller's role may read.",
  querystring: { type: 'object', additionalProperties: false, properties: {} },
  response: META,
  async handler({ wh, principal, config, generation, modifiedAt, sizeBytes }) {
    const domains = domainsFor(config, principal);
    await auditMeta(config, principal);
    return {
      role: principal.role,
      auth: config.server.auth,
      warehouse: {
        file: basename(wh.path),
        modified_at: modifiedAt.toISOString(),
        size_bytes: sizeBytes,
        generation,
      },
      ...(await freshness(wh)),
      domains,
    };
  },
};
