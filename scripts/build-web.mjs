// Bundles the page script (src/web/app.ts and the modules it imports) into one minified dist/bundles/app.js, the
// embeddable search box (src/web/embed.ts, its stylesheet included as text) into one classic script
// dist/bundles/embed.js, the same box over a static export's runtime (src/static/embed.ts) into
// dist/bundles/static-embed.js, and a static export's page (the same search page over the static runtime, src/static/page.ts)
// into dist/bundles/page.js, with its stylesheet (src/web/style.css minified) in dist/bundles/page.css. dist/bundles/
// is a folder tsc never writes, so a bare `tsc` cannot replace a bundle with the unbundled module compiled from the
// same source.
import { build } from 'esbuild';

// The oldest browsers the page, the static export and the embeddable box run in (README, "The search page"): esbuild
// lowers what they lack and fails the build on syntax it cannot lower.
const BROWSERS = ['chrome85', 'edge85', 'firefox79', 'safari14.1'];

await build({
  entryPoints: ['src/web/app.ts'],
  outfile: 'dist/bundles/app.js',
  bundle: true,
  format: 'esm',
  target: BROWSERS,
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});

await build({
  entryPoints: ['src/web/embed.ts'],
  outfile: 'dist/bundles/embed.js',
  bundle: true,
  // A classic script: a theme includes it with a plain <script src>, from any origin, without CORS for the script itself.
  format: 'iife',
  target: BROWSERS,
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  loader: { '.css': 'text' },
  logLevel: 'warning',
});

// No source map: `zhsearch export` copies the script as it is into the exported folder.
await build({
  entryPoints: ['src/static/page.ts'],
  outfile: 'dist/bundles/page.js',
  bundle: true,
  format: 'esm',
  target: BROWSERS,
  minify: true,
  // A module script is always decoded as UTF-8, whatever the host's Content-Type says: a Chinese character takes 3
  // bytes there against 6 as a \uXXXX escape (the first search downloads the whole script).
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'warning',
});

// The same rules without comments and spaces: `zhsearch export` copies it as the page's stylesheet.
await build({
  entryPoints: ['src/web/style.css'],
  outfile: 'dist/bundles/page.css',
  minify: true,
  charset: 'utf8',
  logLevel: 'warning',
});

// The box of a static export: `zhsearch export` copies it as embed.js (no source map).
await build({
  entryPoints: ['src/static/embed.ts'],
  outfile: 'dist/bundles/static-embed.js',
  bundle: true,
  format: 'iife',
  target: BROWSERS,
  minify: true,
  legalComments: 'none',
  loader: { '.css': 'text' },
  logLevel: 'warning',
});
