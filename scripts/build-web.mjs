// Bundles the page script (src/web/app.ts and the modules it imports) into one minified dist/web/app.js.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/web/app.ts'],
  outfile: 'dist/web/app.js',
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
