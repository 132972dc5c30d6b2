// `claimlens serve`: the API and the dashboard over the warehouse (read-only) until SIGINT/SIGTERM,
// then a graceful stop: no new requests, in-flight ones finish, the warehouse closes.
import type { Command } from 'commander';
import { redactUrl } from '../../engine/engine.ts';
import { UsageError } from '../../errors.ts';
import { createServer } from '../../server/app.ts';
import { contextFrom } from '../context.ts';

interface ServeOptions {
  port?: string;
  host?: string;
  log?: boolean;
}

function port(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65_535) {
    throw new UsageError(`--port must be a TCP port (0-65535), got '${text}'`);
  }
  return Number(text);
}

export function register(program: Command): void {
  program
    .command('serve')
    .description(
      'serve the HTTP API (/api, OpenAPI at /api/docs) and the dashboard over the warehouse, read-only',
    )
    .option('--port <port>', 'TCP port (default 8787 or server.port in the config)')
    .option('--host <host>', 'interface to listen on (default 127.0.0.1 or server.host in the config)')
    .option('--log', 'log every request as JSON lines on stdout')
    .action(async (opts: ServeOptions, cmd: Command) => {
      const { config, quiet } = contextFrom(cmd);
      const server = {
        ...config.server,
        ...(opts.port !== undefined ? { port: port(opts.port) } : {}),
        ...(opts.host !== undefined ? { host: opts.host } : {}),
      };
      const { app, webDir } = await createServer({
        config: { ...config, server },
        logger: opts.log ?? false,
      });
      const address = await app.listen({ host: server.host, port: server.port });
      if (!quiet) {
        const who =
          server.auth === 'none'
            ? `everyone as role ${server.role} (auth none)`
            : `bearer tokens (${config.governance.auth.mode}; \`claimlens token create --role ROLE\` makes local ones)`;
        const lines = [
          `claimlens: serving ${redactUrl(config.warehouse)} at ${address}/ (API description at ${address}/api/docs) to ${who}; Ctrl-C stops`,
        ];
        if (!webDir)
          lines.push('claimlens: the dashboard is not built (npm run build:web): serving the API only');
        process.stderr.write(`${lines.join('\n')}\n`);
      }
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          if (!quiet)
            process.stderr.write(`claimlens: ${signal}: finishing in-flight requests, then stopping\n`);
          app.close().then(resolve, resolve);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
