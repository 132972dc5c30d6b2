// `GET /api/health`: liveness and whether the warehouse can be read, never cached, for probes.
import { HEALTH } from '../schemas.ts';
import type { PlainRoute } from './route.ts';

export const healthRoute: PlainRoute = {
  kind: 'plain',
  url: '/api/health',
  tag: 'meta',
  summary: 'Liveness and warehouse status',
  description:
    'ok when the warehouse file opens read-only; degraded (still 200) when it is missing or broken.',
  response: HEALTH,
  async handler({ live, startedAt }) {
    const uptime = Math.round((Date.now() - startedAt) / 100) / 10;
    try {
      const lease = await live.acquire();
      lease.release();
      return { status: 'ok', warehouse: 'open', generation: lease.generation, uptime_seconds: uptime };
    } catch (err) {
      const missing = /no warehouse at/.test((err as Error).message);
      return {
        status: 'degraded',
        warehouse: missing ? 'missing' : 'error',
        message: (err as Error).message,
        generation: live.generation,
        uptime_seconds: uptime,
      };
    }
  },
};
