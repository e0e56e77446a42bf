/**
 * `node dist/bench/staticBench.js [--scale] [--no-write] [--no-browser]`: the static export (zhsearch export) beside
 * the server and Pagefind on the same posts: agreement with the server on ../shared/eval dev + dev-hard queries
 * (overlap@10, nDCG@10), bytes a reader downloads per query, the time to paint results once chunks are cached
 * (headless Chromium), export time against the time of writing the server index. Writes the "static" section of
 * bench/RESULTS.md. Run it under the heavy lock: it indexes, exports and drives Chromium.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { openIndex } from '../index/index.js';
import { analyzerForIndex, createSearchService } from '../search/index.js';
import { DATA_DIR, openStaticSearch } from '../static/index.js';
import { readQrels, readQueries } from './judgments.js';
import { ndcgAt } from './metrics.js';
import { machineLine, publishResults } from './resultsFile.js';
import { ensureScaleCorpus } from './scaleCorpus.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(repoRoot, 'dist/cli/main.js');
const args = process.argv.slice(2);
const scale = args.includes('--scale');
const log = (line: string) => process.stderr.write(`${line}\n`);
/** Searches of each query with its chunks cached, for the paint time. */
const CACHED_PASSES = 3;

const corpus = scale ? ensureScaleCorpus(repoRoot, log) : path.resolve(repoRoot, '../shared/corpus/articles');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'zhsearch-static-bench-'));
const indexDir = path.join(work, 'index');
const outDir = path.join(work, 'out');

function timed(command: string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, command, { stdio: ['ignore', 'ignore', 'inherit'] });
  return (performance.now() - started) / 1000;
}

log(`indexing ${corpus}`);
const indexSeconds = timed([cli, 'reindex', '--full', '--corpus', corpus, '--index', indexDir]);
log(`exporting`);
const exportSeconds = timed([cli, 'export', '--index', indexDir, '--corpus', corpus, '--out', outDir]);

const reader = await openIndex(indexDir);
const dict = path.join(corpus, 'dict.txt');
const analyzer = analyzerForIndex(reader.manifest.analyzer, fs.existsSync(dict) ? { userDictPath: dict } : {});
const service = createSearchService(reader, analyzer);
const sets = ['dev', 'dev-hard'].map((set) => ({
  queries: readQueries(path.resolve(repoRoot, `../shared/eval/${set}/queries.tsv`)),
  qrels: readQrels(path.resolve(repoRoot, `../shared/eval/${set}/qrels.txt`)),
}));
const queries = sets.flatMap(({ queries, qrels }) => queries.map(({ qid, query }) => ({ qid, query, judged: qrels.get(qid) })));

/**
 * Bytes as a static host sends them: text (HTML, scripts, styles, JSON) gzip-compressed, as GitHub Pages, Netlify or
 * any CDN do; other files as stored (the export's chunks and Pagefind's are gzip-compressed in their files).
 */
const COMPRESSED_TYPES = new Set(['.html', '.js', '.css', '.json']);
/** The body a static host sends for `file` (`stored`, its bytes) to a client that takes gzip. */
const sentBody = (file: string, stored: Buffer): Buffer => (COMPRESSED_TYPES.has(path.extname(file)) ? gzipSync(stored) : stored);

/** What the export's files hold, by name (format.ts), for the breakdown of the bytes. */
const KINDS: [RegExp, string][] = [
  [/^v\d/, 'vocabulary'],
  [/^[pq]\d/, 'postings'],
  [/^(d-|m-|manifest)/, 'docs table + manifest'],
  [/^s\d/, 'stored articles'],
  [/^x\d/, 'text blocks'],
];
const kindOf = (name: string) => KINDS.find(([pattern]) => pattern.test(name))?.[1] ?? 'other (affixes, corrections, ids)';
const byKind = new Map<string, number>();

// The static runtime in Node, reading the exported files as a browser fetches them (compressed bytes counted).
let dataBytes = 0;
const backend = await openStaticSearch(async (name) => {
  const bytes = fs.readFileSync(path.join(outDir, DATA_DIR, name));
  dataBytes += bytes.length;
  byKind.set(kindOf(name), (byKind.get(kindOf(name)) ?? 0) + bytes.length);
  return new Uint8Array(bytes);
});
// The page and what it links: its stylesheet, script and the script's preloaded chunks (the chunks of suggestions,
// "did you mean", an empty result and article pages come later, when used).
const pageHtml = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
const pageBytes = ['index.html', ...[...pageHtml.matchAll(/(?:src|href)="(zhsearch-[^"/]+)"/g)].map((match) => match[1]!)]
  .reduce((sum, name) => sum + sentBody(name, fs.readFileSync(path.join(outDir, name))).length, 0);

// The manifest, read when the search opens: part of the first query's bytes.
const openBytes = dataBytes;
let overlap = 0;
let serverNdcg = 0;
let staticNdcg = 0;
let judgedQueries = 0;
const perQuery: number[] = [];
const disagreements: string[] = [];
for (const { query, judged } of queries) {
  const before = dataBytes;
  const mine = (await backend.search({ q: query, size: 10 })).hits.map((hit) => hit.id);
  perQuery.push(dataBytes - before);
  const server = service.search({ q: query, size: 10 }).hits.map((hit) => hit.id);
  const shared = mine.filter((id) => server.includes(id)).length;
  const share = server.length === 0 ? (mine.length === 0 ? 1 : 0) : shared / server.length;
  overlap += share;
  if (share < 1) disagreements.push(`${query} (${shared}/${server.length})`);
  if (judged && judged.size > 0) {
    judgedQueries++;
    serverNdcg += ndcgAt(10, server, judged);
    staticNdcg += ndcgAt(10, mine, judged);
  }
}
overlap /= queries.length;
perQuery[0]! += openBytes;
const further = perQuery.slice(1).sort((a, b) => a - b);
const quantile = (q: number) => further[Math.min(further.length - 1, Math.floor(q * further.length))] ?? 0;
const exportBytes = (dir: string): number =>
  fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => sum + (entry.isDirectory() ? exportBytes(path.join(dir, entry.name)) : fs.statSync(path.join(dir, entry.name)).size), 0);

// Chromium: paint time of the static page with its chunks cached, and Pagefind's bytes for the same queries.
const browser = args.includes('--no-browser') ? undefined : await browserRuns(queries.map(({ query }) => query));

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const lines = [
  `## Static export (\`node dist/bench/staticBench.js${args.length > 0 ? ` ${args.join(' ')}` : ''}\`)`,
  '',
  machineLine(),
  '',
  `Corpus: ${scale ? 'the scale corpus' : '../shared/corpus/articles'} (${reader.docCount} articles); queries: ../shared/eval dev + dev-hard (${queries.length}), in that order, one reader session.`,
  '',
  '| measure | result | target |',
  '| --- | --- | --- |',
  `| overlap@10 with the server | ${overlap.toFixed(3)} | ≥ 0.9 |`,
  scale && judgedQueries > 0
    ? `| nDCG@10 static / server (${judgedQueries} judged queries) | ${(staticNdcg / judgedQueries).toFixed(3)} / ${(serverNdcg / judgedQueries).toFixed(3)} | within 0.02 |`
    : '| nDCG@10 | (the judgments are of the scale corpus: see its run) | |',
  `| first query: page + script + style + data | ${kb(pageBytes + perQuery[0]!)} (${kb(pageBytes)} + ${kb(perQuery[0]!)}) | ≤ ${scale ? '500' : '150'} KB |`,
  `| each further query: median / p90 / max | ${kb(quantile(0.5))} / ${kb(quantile(0.9))} / ${kb(further.at(-1) ?? 0)} | ${scale ? 'typical ≤ 150 KB' : '≤ 30 KB'} |`,
  `| all ${queries.length} queries, data + page | ${kb(pageBytes + dataBytes)} | |`,
  `| of which: page, script and style / ${[...byKind.keys()].join(' / ')} | ${[pageBytes, ...byKind.values()].map(kb).join(' / ')} | |`,
  ...(browser
    ? [
        `| Pagefind, same queries and posts: first / further median / all | ${kb(browser.pagefindFirst)} / ${kb(browser.pagefindMedian)} / ${kb(browser.pagefindTotal)} | zhsearch fewer |`,
        `| Pagefind's, of which: ${[...browser.pagefindKinds.keys()].join(' / ')} | ${[...browser.pagefindKinds.values()].map(kb).join(' / ')} | |`,
        `| results painted after Enter, chunks cached (per query the median of ${CACHED_PASSES}): median / max | ${browser.paintMedian.toFixed(0)} ms / ${browser.paintMax.toFixed(0)} ms | ≤ 100 ms |`,
      ]
    : []),
  `| export time / time writing the server index | ${exportSeconds.toFixed(1)} s / ${indexSeconds.toFixed(1)} s (${(exportSeconds / indexSeconds).toFixed(2)}×) | ≤ 2× |`,
  `| exported folder | ${(exportBytes(outDir) / 1024 / 1024).toFixed(1)} MB in ${fs.readdirSync(path.join(outDir, DATA_DIR)).length} data files | |`,
  '',
  disagreements.length > 0 ? `Queries whose top 10 differ from the server's: ${disagreements.join('; ')}.` : 'Every query\'s top 10 equals the server\'s.',
  '',
  'Bytes are the response bodies as a static host sends them: HTML, scripts, styles and JSON gzip-compressed (as GitHub Pages, Netlify and CDNs do), the index files as stored (zhsearch\'s and Pagefind\'s are gzip-compressed in their files); headers not counted.' +
    (browser
      ? ' Pagefind: `npx pagefind --site … --force-language zh --root-selector main` over one HTML page per article (title and text), searched in Chromium through its JS API, the top 10 results\' data loaded; both systems\' bytes counted as the bench\'s static server sent them (zhsearch\'s per query by its runtime in Node reading the same files).'
      : ' Run with --no-browser: no Pagefind comparison and no paint time in this run.'),
];
publishResults(args.includes('--no-write') ? null : path.join(repoRoot, 'bench/RESULTS.md'), scale ? 'static-scale' : 'static', lines.join('\n'), log);
fs.rmSync(work, { recursive: true, force: true });

interface BrowserRuns {
  pagefindKinds: Map<string, number>;
  pagefindFirst: number;
  pagefindMedian: number;
  pagefindTotal: number;
  paintMedian: number;
  paintMax: number;
}

/**
 * Serves `root` over HTTP, files or 404, as a static host does (text gzip-compressed: sentBody); `sent` counts the
 * bytes of the bodies sent, per file extension.
 */
async function serve(root: string): Promise<{ url: string; sent: Map<string, number>; close: () => Promise<void> }> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };
  const sent = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const file = path.join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname));
    if (!file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return void response.writeHead(404).end();
    const extension = path.extname(file);
    const stored = fs.readFileSync(file);
    const body = /\bgzip\b/.test(String(request.headers['accept-encoding'])) ? sentBody(file, stored) : stored;
    sent.set(extension, (sent.get(extension) ?? 0) + body.length);
    response.writeHead(200, { 'Content-Type': types[extension] ?? 'application/octet-stream', ...(body !== stored ? { 'Content-Encoding': 'gzip' } : {}) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, sent, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function browserRuns(list: string[]): Promise<BrowserRuns> {
  const { chromium } = await import('playwright-core');
  // Pagefind over one HTML page per article.
  const site = path.join(work, 'pagefind-site');
  for (let doc = 0; doc < reader.docCount; doc++) {
    const article = reader.stored(doc);
    const html = `<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>${escape(article.title)}</title></head><body><main><h1>${escape(article.title)}</h1>${article.text
      .split(/\n+/)
      .map((paragraph) => `<p>${escape(paragraph)}</p>`)
      .join('')}</main></body></html>`;
    fs.mkdirSync(path.join(site, 'p', String(doc)), { recursive: true });
    fs.writeFileSync(path.join(site, 'p', String(doc), 'index.html'), html);
  }
  fs.writeFileSync(path.join(site, 'search.html'), '<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
  execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/pagefind/lib/runner/bin.cjs'), '--site', site, '--force-language', 'zh', '--root-selector', 'main'], { stdio: 'ignore' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const pagefindSite = await serve(site);
    const page = await browser.newPage();
    const sentTotal = () => [...pagefindSite.sent.values()].reduce((sum, n) => sum + n, 0);
    await page.goto(`${pagefindSite.url}search.html`);
    const perQuery: number[] = [];
    const pageLoad = sentTotal();
    for (const q of list) {
      const before = sentTotal();
      await page.evaluate(async (query) => {
        const w = window as unknown as { pf?: { search(q: string): Promise<{ results: { data(): Promise<unknown> }[] }> } };
        // @ts-expect-error: a URL import, resolved in the browser
        w.pf ??= await import('/pagefind/pagefind.js');
        const search = await w.pf!.search(query);
        await Promise.all(search.results.slice(0, 10).map((result) => result.data()));
      }, q);
      await page.waitForTimeout(50);
      perQuery.push(sentTotal() - before);
    }
    const pagefindKinds = new Map([...pagefindSite.sent].sort((a, b) => b[1] - a[1]).map(([extension, n]) => [extension || '(none)', n]));
    await pagefindSite.close();
    perQuery[0]! += pageLoad;
    const furtherPf = perQuery.slice(1).sort((a, b) => a - b);

    // The static page: every query once (chunks fetched), then CACHED_PASSES more times, each timed from the page's
    // Enter keydown to the painted list (the harness's round trips to Chromium left out); per query the median of its
    // cached passes, so that one stall of the shared machine does not stand for the query.
    const exported = await serve(outDir);
    const staticPage = await browser.newPage();
    await staticPage.goto(`${exported.url}index.html`);
    const timings = list.map((): number[] => []);
    for (let pass = 0; pass <= CACHED_PASSES; pass++) {
      for (const [n, q] of list.entries()) {
        await staticPage.locator('#q').fill(q);
        await staticPage.evaluate(() => {
          const w = window as unknown as { painted?: Promise<number> };
          const input = document.getElementById('q')!;
          let enterAt = NaN;
          input.addEventListener('keydown', (event) => void (event.key === 'Enter' && (enterAt = performance.now())), { capture: true, once: true });
          w.painted = new Promise((resolve) => {
            const observer = new MutationObserver(() => {
              observer.disconnect();
              requestAnimationFrame(() => resolve(performance.now() - enterAt));
            });
            observer.observe(document.getElementById('hits')!, { childList: true });
            setTimeout(() => resolve(NaN), 5000);
          });
        });
        await staticPage.locator('#q').press('Enter');
        const painted = await staticPage.evaluate(() => (window as unknown as { painted: Promise<number> }).painted);
        if (pass > 0 && !Number.isNaN(painted)) timings[n]!.push(painted);
      }
    }
    const paints = timings.filter((times) => times.length > 0).map((times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!);
    await exported.close();
    paints.sort((a, b) => a - b);
    return {
      pagefindKinds,
      pagefindFirst: perQuery[0]!,
      pagefindMedian: furtherPf[Math.floor(furtherPf.length / 2)] ?? 0,
      pagefindTotal: perQuery.reduce((sum, n) => sum + n, 0),
      paintMedian: paints[Math.floor(paints.length / 2)] ?? 0,
      paintMax: paints.at(-1) ?? 0,
    };
  } finally {
    await browser.close();
  }
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
