// The `server` section of claimlens.config.json: where `claimlens serve` listens, how much it caches,
// and how requests are authenticated (bearer tokens per governance.auth, or none on loopback only).
import { z } from 'zod';

export const serverConfigSchema = z
  .object({
    host: z
      .string()
      .default('127.0.0.1')
      .describe('Interface to listen on; loopback by default so nothing is exposed without intent.'),
    port: z.number().int().min(0).max(65_535).default(8787).describe('TCP port (0 picks a free one).'),
    cacheEntries: z
      .number()
      .int()
      .nonnegative()
      .default(500)
      .describe(
        'Responses kept per warehouse build (least recently used dropped first); 0 turns caching off.',
      ),
    auth: z
      .enum(['bearer', 'none'])
      .default('bearer')
      .describe(
        'bearer: every request carries a token verified as governance.auth says (local API tokens or OIDC); none: every request is served as `role`, allowed on a loopback host only.',
      ),
    role: z.string().min(1).default('analyst').describe('Role every request is served as when auth is none.'),
    webDir: z
      .string()
      .optional()
      .describe('Built dashboard to serve (default: web/dist of the claimlens package).'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.auth === 'none' && !isLoopback(s.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['auth'],
        message: `auth none serves everyone as role ${s.role}: only on a loopback host (127.0.0.1, ::1, localhost), not ${s.host}`,
      });
    }
  })
  .prefault({})
  .describe('HTTP API and dashboard server (`claimlens serve`).');

/** Whether a host name or address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export type ServerConfig = z.infer<typeof serverConfigSchema>;
