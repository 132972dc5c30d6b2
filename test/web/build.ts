// Makes sure the built dashboard (web/dist and the single-file report template) is newer than its
// sources before browser tests use it, running `npm run build:web` when it is not.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((n) => newest(join(path, n))));
}

export function ensureWebBuild(): void {
  const outputs = [join(ROOT, 'web/dist/index.html'), join(ROOT, 'web/dist/report/index.html')];
  const sources = Math.max(
    ...['web/src', 'web/index.html', 'web/vite.config.ts', 'src/server/api.ts'].map((p) =>
      newest(join(ROOT, p)),
    ),
  );
  if (outputs.every((o) => existsSync(o) && statSync(o).mtimeMs >= sources)) return;
  execFileSync('npm', ['run', '--silent', 'build:web'], {
    cwd: ROOT,
    stdio: 'pipe',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
