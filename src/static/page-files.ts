/**
 * The static export's pages: the server's search page (src/web) over the static runtime (bundled at build time), its
 * stylesheet (minified at build time), index.html with relative, content-hashed links (any host, any path), and pages
 * for articles that have no page of their own.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoredArticle } from '../index/types.js';
import type { SearchHit } from '../search/index.js';
import { articleUrl } from '../ingest/index.js';
import { renderArticlePage } from '../web/article-html.js';
import { modulePreloads, type PageAssets } from '../web/page-html.js';
import { articlePageSegments, articlePageUrl, DATA_DIR } from './format.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The static page script, bundled by `npm run build` (scripts/build-web.mjs) from src/static/page.ts: its entry, the
 * chunks it imports (by these names), and the chunks the search page and an article page load before running.
 */
export interface PageScript {
  entry: string;
  chunks: Map<string, string>;
  search: string[];
  article: string[];
}

function bundledPage(): PageScript {
  const files = JSON.parse(bundle('page/files.json')) as { entry: string; chunks: string[]; search: string[]; article: string[] };
  return { entry: bundle(`page/${files.entry}`), chunks: new Map(files.chunks.map((name) => [name, bundle(`page/${name}`)])), search: files.search, article: files.article };
}

function bundle(name: string): string {
  const file = path.join(repoRoot, 'dist', 'bundles', ...name.split('/'));
  if (!existsSync(file)) throw new ExportError(`缺少 ${file}：请先运行 npm run build`);
  return readFileSync(file, 'utf8');
}

/** The embeddable box's script in an export: a fixed name, for a theme's <script src>. */
export const EMBED_FILE = 'embed.js';

function hashed(name: string, ext: string, content: string | Uint8Array): string {
  return `${name}-${createHash('sha256').update(content).digest('hex').slice(0, 10)}${ext}`;
}

/** Marks the index.html an export writes: only such a page is ever replaced. */
const GENERATOR = '<meta name="generator" content="zhsearch export">';
/** The entry and stylesheet (named by writePage) and the script's chunks (named by esbuild, a base32 content hash). */
const OWN_ASSET = /^zhsearch-(?:[0-9a-f]{10}\.(?:js|css)|[A-Z2-7]{8}\.js)$/;

/** Refused export: the message (Chinese) names the file and why. */
export class ExportError extends Error {}

/** Throws unless `outDir` has no index.html or one an export wrote (a blog's own home page is never overwritten). */
export function checkOutDir(outDir: string): void {
  const page = path.join(outDir, 'index.html');
  if (existsSync(page) && !readFileSync(page, 'utf8').includes(GENERATOR)) {
    throw new ExportError(`${page} 已存在且不是 zhsearch export 生成的，不会覆盖它：请换一个输出目录（例如 public/search）`);
  }
}

/** The export's bundles, built by `npm run build`: read before an earlier export's files are touched. */
export interface PageBundles {
  script: PageScript;
  embed: string;
  style: string;
}

/** The export's bundles; throws an ExportError naming a missing one. */
export function pageBundles(): PageBundles {
  return { script: bundledPage(), embed: bundle('static-embed.js'), style: bundle('page.css') };
}

/**
 * Writes index.html, the page script (its entry and chunks), the stylesheet and embed.js into `outDir` (replacing
 * those of an earlier export).
 */
export function writePage(outDir: string, { script, embed, style }: PageBundles): { files: number; bytes: number; assets: PageAssets } {
  const scriptName = hashed('zhsearch', '.js', script.entry);
  const styleName = hashed('zhsearch', '.css', style);
  const html = readFileSync(path.join(repoRoot, 'src', 'web', 'index.html'), 'utf8')
    .replace('href="style.css"', `href="${styleName}"`)
    .replace('<script type="module" src="app.js"></script>\n', `<script type="module" src="${scriptName}"></script>\n${modulePreloads(script.search)}`)
    .replace('<meta charset="utf-8">', `<meta charset="utf-8">\n${GENERATOR}`);
  for (const name of readdirSync(outDir)) if (OWN_ASSET.test(name)) rmSync(path.join(outDir, name));
  const files = new Map([...script.chunks, [scriptName, script.entry], [styleName, style], ['index.html', html], [EMBED_FILE, embed]]);
  let bytes = 0;
  for (const [name, content] of files) {
    writeFileSync(path.join(outDir, name), content);
    bytes += Buffer.byteLength(content);
  }
  return { files: files.size, bytes, assets: { style: styleName, script: scriptName, preload: script.article } };
}

/**
 * The link a static host can serve for an article: its own URL (its Hexo page, a front-matter permalink), or, for
 * zhsearch's server route `/articles/<id>` (with or without --base-url), a page written here (writeArticlePage),
 * `zhsearch/articles/<id>.html` (inside the data folder, which each export replaces), relative to the search page.
 */
export function articleLink(article: Pick<StoredArticle, 'id' | 'url'>): { url: string; page: boolean } {
  const own = articleUrl(article.id);
  if (article.url !== own && !(article.url.endsWith(own) && /^https?:\/\//.test(article.url))) return { url: article.url, page: false };
  if (article.id.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) throw new ExportError(`文章 id ${JSON.stringify(article.id)} 不能用作文件路径`);
  return { url: articlePageUrl(article.id), page: true };
}

/**
 * Writes the page of an article without one of its own (articleLink), with its related articles as the server's
 * article page lists them, their `url` the export's links (relative to the search page); returns its bytes.
 */
export function writeArticlePage(outDir: string, article: StoredArticle, related: SearchHit[], assets: PageAssets): number {
  const segments = articlePageSegments(article.id);
  const file = path.join(outDir, DATA_DIR, 'articles', ...segments);
  // From zhsearch/articles/<segments>.html back to the export's folder.
  const up = '../'.repeat(segments.length + 1);
  const fromPage = (url: string) => (url.startsWith(`${DATA_DIR}/`) ? up + url : url);
  const html = renderArticlePage(
    article,
    related.map((hit) => ({ ...hit, url: fromPage(hit.url) })),
    { root: `${up}index.html`, q: '', assets: { style: up + assets.style, script: up + assets.script, preload: assets.preload?.map((name) => up + name) }, loadText: true },
  );
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, html);
  return Buffer.byteLength(html);
}
