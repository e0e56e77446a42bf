// Bundles the page script (src/web/app.ts and the modules it imports) into one minified dist/bundles/app.js, the
// embeddable search box (src/web/embed.ts, its stylesheet included as text) into one classic script
// dist/bundles/embed.js, the same box over a static export's runtime (src/static/embed.ts) into
// dist/bundles/static-embed.js, and a static export's page (the same search page over the static runtime, src/static/page.ts)
// into dist/bundles/page/ (an entry and its chunks), with its stylesheet (src/web/style.css minified) in dist/bundles/page.css. dist/bundles/
// is a folder tsc never writes, so a bare `tsc` cannot replace a bundle with the unbundled module compiled from the
// same source.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

// No source map: `zhsearch export` copies the scripts as they are into the exported folder. ES module chunks: what a
// first search does not run (an article page, suggestions, "did you mean") is a chunk fetched on first use, so the
// first search downloads less. dist/bundles/page/ holds the entry page.js, the chunks (zhsearch-<content hash>.js, the
// names the entry imports them by, kept by the export) and files.json, which says what each page preloads.
const PAGE_DIR = 'dist/bundles/page';
rmSync(PAGE_DIR, { recursive: true, force: true });
const page = await build({
  entryPoints: { page: 'src/static/page.ts' },
  outdir: PAGE_DIR,
  chunkNames: 'zhsearch-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  target: BROWSERS,
  minify: true,
  // A module script is always decoded as UTF-8, whatever the host's Content-Type says: a Chinese character takes 3
  // bytes there against 6 as a \uXXXX escape (the first search downloads the whole script).
  charset: 'utf8',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.entries(page.metafile.outputs).map(([file, output]) => ({ name: path.basename(file), ...output }));
/** An output and the chunks it imports statically, directly or not: what runs before it (module preloads). */
const loadedWith = (name, into = new Set()) => {
  if (into.has(name)) return into;
  into.add(name);
  const output = outputs.find((candidate) => candidate.name === name);
  for (const { path: imported, kind } of output.imports) if (kind === 'import-statement') loadedWith(path.basename(imported), into);
  return into;
};
const chunkOf = (entryPoint) => outputs.find((output) => output.entryPoint === entryPoint).name;
const entry = chunkOf('src/static/page.ts');
const search = [...loadedWith(entry)].filter((name) => name !== entry);
writeFileSync(
  path.join(PAGE_DIR, 'files.json'),
  JSON.stringify({
    entry,
    chunks: outputs.map((output) => output.name).filter((name) => name !== entry),
    search,
    article: [...new Set([...search, ...loadedWith(chunkOf('src/web/article-page.ts'))])],
  }),
);

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
