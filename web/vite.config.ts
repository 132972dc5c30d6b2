// Builds the dashboard twice from the same sources: `web/dist` for `claimlens serve` (hashed assets),
// and with `--mode report` one self-contained HTML file (`web/dist/report/index.html`) that
// `claimlens report` fills with a data snapshot, so it opens from disk with no server and no network.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Scripts may not contain `</script`; in JS it only occurs in strings and regexes, where `<\/` means the same. */
function scriptSafe(code: string): string {
  return code.replace(/<\/script/gi, '<\\/script');
}

/** Inlines the JS and CSS Vite emitted into index.html and drops the files (what vite-plugin-singlefile does, in 30 lines). */
function inlineIntoHtml(): Plugin {
  return {
    name: 'claimlens-inline-into-html',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      if (html?.type !== 'asset') return;
      let text = String(html.source);
      for (const [name, file] of Object.entries(bundle)) {
        if (file.type === 'chunk' && name.endsWith('.js')) {
          const tag = new RegExp(
            `<script type="module" crossorigin src="[^"]*${escapeRegExp(name)}"></script>`,
          );
          text = text.replace(tag, () => `<script type="module">${scriptSafe(file.code)}</script>`);
          delete bundle[name];
        } else if (file.type === 'asset' && name.endsWith('.css')) {
          const tag = new RegExp(`<link rel="stylesheet" crossorigin href="[^"]*${escapeRegExp(name)}">`);
          text = text.replace(tag, () => `<style>${String(file.source)}</style>`);
          delete bundle[name];
        }
      }
      html.source = text;
    },
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export default defineConfig(({ command, mode }) => {
  const report = mode === 'report';
  return {
    root,
    // A build is for production whatever NODE_ENV the caller runs under (vitest sets `test`, which
    // would otherwise bundle React's development build, 25% larger and slower).
    ...(command === 'build' ? { define: { 'process.env.NODE_ENV': JSON.stringify('production') } } : {}),
    base: report ? './' : '/',
    oxc: { jsx: { runtime: 'automatic', development: command !== 'build' } },
    plugins: report ? [inlineIntoHtml()] : [],
    build: {
      outDir: report ? 'dist/report' : 'dist',
      // The report build runs second and must not wipe the app build it sits inside.
      emptyOutDir: !report,
      target: 'es2022',
      assetsInlineLimit: report ? Number.MAX_SAFE_INTEGER : 4096,
      cssCodeSplit: !report,
      chunkSizeWarningLimit: 1500,
      rolldownOptions: report ? { output: { codeSplitting: false } } : {},
    },
    server: { proxy: { '/api': 'http://127.0.0.1:8787' } },
  };
});
