// `GET /api/quality`: the data-quality report (checks, claims-to-EHR match, ledger variance), as
// `claimlens quality --json` prints it.
import { governedQuality } from '../access.ts';
import { QUALITY_REPORT } from '../schemas.ts';
import type { DataRoute } from './route.ts';

export const qualityRoute: DataRoute = {
  kind: 'data',
  action: 'quality',
  url: '/api/quality',
  tag: 'quality',
  summary: 'Data-quality report',
  description:
    'Structural, logical, referential and code-set checks with severity, the claims-to-EHR match rate and the variance against the finance ledger.',
  querystring: { type: 'object', additionalProperties: false, properties: {} },
  response: QUALITY_REPORT,
  handler: ({ wh, principal, config }) => governedQuality(wh, principal, config),
};
