/**
 * The static export in headless Chromium, served by a plain static file server written here (node:http, no zhsearch
 * code): searches in Simplified, Traditional and English, a phrase with an exclusion, a category filter, the next
 * page, a result link to the article page the export wrote; the bytes each search downloads, from the browser's network
 * log; a deployment under a sub-path; an input method composing before the suggestions' code comes, an article page
 * whose code fails to load, data of another static format; no request leaves the host and no cookie is set. Expected
 * hits come from the embedded service over the same index. Skipped without Chromium unless ZHSEARCH_REQUIRE_BROWSER=1.
 */
import { readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchService } from '../src/search/index.js';
import { STATIC_FORMAT_VERSION } from '../src/static/format.js';
import type { SearchRequest, SearchService } from '../src/search/types.js';
import { browserMissing, launchProfile } from './fixtures/server/browser.js';
import { exportArticles, type ExportedCorpus } from './fixtures/static/export-corpus.js';

/** How long a search may take to show on a busy machine (speed is measured by the bench, not here). */
const ANSWERED = { timeout: 20_000 };
const missing = browserMissing('test/static.browser.test.ts');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/** Serves `root` under `prefix` (e.g. `/blog/search/`) like any static host: files (and the blog's `pages`) or 404, nothing else. */
async function staticServer(root: string, prefix: string, pages: Record<string, string> = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    const page = pages[pathname];
    if (page !== undefined) {
      response.writeHead(200, { 'Content-Type': TYPES['.html']! }).end(page);
      return;
    }
    const relative = pathname.startsWith(prefix) ? pathname.slice(prefix.length) || 'index.html' : undefined;
    const file = relative === undefined ? undefined : path.join(root, relative);
    try {
      if (!file || !file.startsWith(root + path.sep)) throw new Error('outside');
      const body = await readFile(file);
      response.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': body.length });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe.skipIf(missing)('static export in Chromium', () => {
  let exported: ExportedCorpus;
  let service: SearchService;
  let site: { url: string; close: () => Promise<void> };
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  /** Bytes of every response since the last reset, by URL. */
  let downloaded = new Map<string, number>();

  beforeAll(async () => {
    exported = await exportArticles();
    service = createSearchService(exported.reader, exported.analyzer);
    site = await staticServer(exported.outDir, '/blog/search/');
    ({ context, page } = await launchProfile(path.join(exported.tmp, 'profile'), pageErrors));
    page.on('response', async (response) => {
      const body = await response.body().catch(() => Buffer.alloc(0));
      downloaded.set(response.url(), (downloaded.get(response.url()) ?? 0) + body.length);
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await site?.close();
    if (exported) await rm(exported.tmp, { recursive: true, force: true });
  });

  /** The scripts index.html loads before running (its entry and preloaded chunks): not those fetched on first use. */
  async function searchPageScripts(): Promise<Set<string>> {
    const html = await readFile(path.join(exported.outDir, 'index.html'), 'utf8');
    return new Set([...html.matchAll(/(?:src|href)="(zhsearch-\w+\.js)"/g)].map((match) => site.url + match[1]));
  }

  const total = () => [...downloaded.values()].reduce((sum, bytes) => sum + bytes, 0);
  const titles = () => page.locator('.hit h3 a').allTextContents();
  const expectedTitles = (request: SearchRequest) => service.search({ size: 10, ...request }).hits.map((hit) => hit.title);

  /** Types a query into the box and presses Enter; resolves when the results of `q` are shown. */
  /** Types a query that finds nothing and presses Enter; resolves when the empty state shows. */
  async function searchForNothing(q: string): Promise<void> {
    await page.locator('#q').fill(q);
    await page.locator('#q').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === q);
    await page.locator('#message').waitFor(ANSWERED);
  }

  async function searchFor(q: string): Promise<void> {
    await page.locator('#q').fill(q);
    await page.locator('#q').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === q);
    const expected = expectedTitles({ q });
    await expect.poll(titles, ANSWERED).toEqual(expected);
  }

  it('answers a search from the URL under a sub-path, with the server\'s hits, downloading at most 150 KB', async () => {
    downloaded = new Map();
    await page.goto(`${site.url}index.html?q=${encodeURIComponent('新基础设施')}`);
    await expect.poll(titles, ANSWERED).toEqual(expectedTitles({ q: '新基础设施' }));
    expect((await titles())[0]).toBe('产业互联网正驶向深蓝');
    const first = page.locator('.hit').first();
    expect(await first.locator('.snippet mark', { hasText: '新基础设施' }).count()).toBeGreaterThan(0);
    expect(await page.locator('#results-heading').textContent()).toMatch(new RegExp(`^找到 ${service.search({ q: '新基础设施' }).total} 篇相关文章`));
    // Everything the page loaded: page, script, style, manifest and chunks, all from the sub-path.
    for (const url of downloaded.keys()) expect(url.startsWith(site.url), url).toBe(true);
    expect(total()).toBeGreaterThan(0);
    expect(total()).toBeLessThanOrEqual(150 * 1024);
    // Of the script, the entry and the chunks index.html preloads: not those of suggestions, "did you mean" and the
    // article page, fetched on first use (as the later tests do).
    expect([...downloaded.keys()].filter((url) => url.endsWith('.js')).sort()).toEqual([...(await searchPageScripts())].sort());
    // Nor the manifest's part naming the files of suggestions, corrections, ids and related articles.
    expect([...downloaded.keys()].filter((url) => url.startsWith(`${site.url}zhsearch/m-`))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('searches in Traditional, English, and with a phrase and an exclusion, each further search downloading at most 30 KB', async () => {
    for (const q of ['資訊安全', 'Docker Kubernetes', '"产业互联网" -游戏']) {
      downloaded = new Map();
      await searchFor(q);
      expect((await titles()).length, q).toBeGreaterThan(0);
      expect(total(), q).toBeLessThanOrEqual(30 * 1024);
    }
    expect(pageErrors).toEqual([]);
  });

  it('filters by a category facet, moves to the next page, and opens a result link', async () => {
    await searchFor('产业');
    const facet = page.locator('button.facet[data-facet="category"]').first();
    const category = (await facet.locator('.value').textContent())!;
    const count = Number(await facet.locator('.count').textContent());
    await facet.click();
    await page.waitForURL((url) => url.searchParams.get('category') === category);
    await expect.poll(() => page.locator('#results-heading').textContent(), ANSWERED).toMatch(new RegExp(`^找到 ${count} 篇相关文章`));
    await expect.poll(titles, ANSWERED).toEqual(expectedTitles({ q: '产业', category }));

    await page.goto(`${site.url}index.html?q=${encodeURIComponent('产业')}`);
    await expect.poll(titles, ANSWERED).toEqual(expectedTitles({ q: '产业' }));
    await page.locator('#pagination button', { hasText: '下一页' }).click();
    await page.waitForURL((url) => url.searchParams.get('page') === '2');
    await expect.poll(titles, ANSWERED).toEqual(expectedTitles({ q: '产业', page: 2 }));

    // The result link: the page the export wrote for an article without a page of its own (never /articles/<id>).
    const expected = service.search({ q: '产业', page: 2 }).hits[0]!;
    const link = page.locator('.hit h3 a').first();
    const href = new URL((await link.getAttribute('href'))!, page.url());
    expect(href.pathname).toBe(`/blog/search/zhsearch/articles/${expected.id.split('/').map(encodeURIComponent).join('/')}.html`);
    expect(href.searchParams.get('q')).toBe('产业');
    await link.click();
    await page.waitForURL((url) => url.pathname === href.pathname);
    expect(await page.locator('.article h1').textContent()).toBe(expected.title);
    // The page holds no text: the script loads it from the export's chunks.
    const paragraphs = service.article(expected.id)!.text.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean);
    await expect.poll(() => page.locator('.article-text').locator('p, h2').allTextContents(), ANSWERED).toEqual(paragraphs);
    // The page script marks the query's words and the way back leads to the search page.
    await expect.poll(() => page.locator('.article mark').count(), ANSWERED).toBeGreaterThan(0);
    expect(new URL((await page.locator('a.back').getAttribute('href'))!, page.url()).href).toBe(`${site.url}index.html`);
    await page.locator('#q').fill('数字经济');
    await page.locator('#q').press('Enter');
    await page.waitForURL((url) => url.pathname === '/blog/search/index.html' && url.searchParams.get('q') === '数字经济');
    await expect.poll(titles, ANSWERED).toEqual(expectedTitles({ q: '数字经济' }));
    expect(pageErrors).toEqual([]);
  });

  it('suggests as the reader types, and Enter on a title suggestion opens the article page the export wrote', async () => {
    // The suggestions' code is fetched when the box is first focused: slowed down here, it comes after the typing.
    const scripts = (url: URL) => url.pathname.endsWith('.js');
    await page.route(scripts, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await route.continue();
    });
    await page.goto(`${site.url}index.html`);
    await page.locator('#q').focus();
    await page.keyboard.type('驶向深');
    const suggestions = page.locator('#suggestions li');
    await suggestions.first().waitFor(ANSWERED);
    await page.unroute(scripts);
    expect(await suggestions.locator('.text').allTextContents()).toEqual(service.suggest('驶向深', 8).map((s) => s.text));
    expect(await suggestions.locator('mark').first().textContent()).toBe('驶向深');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname.startsWith('/blog/search/zhsearch/articles/'));
    expect(await page.locator('.article h1').textContent()).toBe('产业互联网正驶向深蓝');
    // The exported article page's box suggests too.
    await page.locator('#q').focus();
    await page.keyboard.type('游戏');
    await page.locator('#suggestions li').first().waitFor(ANSWERED);
    expect(await page.locator('#suggestions li .text').allTextContents()).toEqual(service.suggest('游戏', 8).map((s) => s.text));
    expect(pageErrors).toEqual([]);
  });

  it('offers "did you mean" and explains a query of stop words only', async () => {
    await page.goto(`${site.url}index.html?q=Kubernets`);
    await expect.poll(() => page.locator('#did-you-mean').textContent(), ANSWERED).toBe('你是不是要找：Kubernetes');
    await page.locator('#did-you-mean a').click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'Kubernetes');
    await expect.poll(titles, ANSWERED).toEqual(expectedTitles({ q: 'Kubernetes' }));

    await searchForNothing('我们');
    expect(await page.locator('#message').textContent()).toContain('“我们”是常用词，这里的搜索不收录常用词：请加上更具体的词，例如要找的事物、人名或主题。');
    expect(await page.locator('#message').textContent()).not.toContain('错别字');
    expect(pageErrors).toEqual([]);
  });

  it('lets an input method compose before the suggestions\' code comes: its Enter does not search, its keys are not suggested for', async () => {
    const preloaded = await searchPageScripts();
    const onFirstUse = (url: URL) => url.pathname.endsWith('.js') && !preloaded.has(url.href);
    const held: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(onFirstUse, async (route) => {
      held.push(route.request().url());
      await released;
      await route.continue();
    });
    try {
      await page.goto(`${site.url}index.html`);
      await page.locator('#q').focus();
      const cdp = await context.newCDPSession(page);
      const compose = async (...texts: string[]) => {
        for (const text of texts) await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
      };
      await compose('d', 'do');
      await expect.poll(() => held.length, ANSWERED).toBeGreaterThan(0);
      // The code comes in the middle of the composition, which goes on.
      release();
      const arrived = () => page.evaluate((urls) => urls.every((url) => performance.getEntriesByName(url).some((entry) => (entry as PerformanceResourceTiming).responseEnd > 0)), held);
      await expect.poll(arrived, ANSWERED).toBe(true);
      await page.waitForTimeout(300);
      await compose('doc', 'dock');
      // Enter confirms the input method's candidate: no search, and nothing suggested for the keys typed.
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(500);
      expect(new URL(page.url()).search).toBe('');
      expect(await page.locator('#suggestions').isHidden()).toBe(true);
      // Committed, the text is suggested for.
      await cdp.send('Input.insertText', { text: '产业' });
      await page.locator('#suggestions li').first().waitFor(ANSWERED);
      expect(await page.locator('#suggestions li .text').allTextContents()).toEqual(service.suggest('产业', 8).map((s) => s.text));
      expect(new URL(page.url()).search).toBe('');
      expect(pageErrors).toEqual([]);
    } finally {
      release();
      await page.unroute(onFirstUse);
    }
  });

  it('says that an article\'s text cannot be loaded when the article page\'s code fails, instead of loading forever', async () => {
    const preloaded = await searchPageScripts();
    const onFirstUse = (url: URL) => url.pathname.endsWith('.js') && !preloaded.has(url.href);
    await page.route(onFirstUse, (route) => route.abort());
    try {
      const id = service.search({ q: '产业' }).hits[0]!.id;
      await page.goto(`${site.url}zhsearch/articles/${id.split('/').map(encodeURIComponent).join('/')}.html`);
      const text = page.locator('.article-text');
      await expect.poll(() => text.locator('.error').textContent(), ANSWERED).toBe('无法加载正文。请刷新页面后再试。');
      expect(await text.getAttribute('aria-busy')).toBeNull();
      // The browser reports the aborted scripts, and nothing else.
      expect(pageErrors.filter((error) => error !== 'console: Failed to load resource: net::ERR_FAILED')).toEqual([]);
    } finally {
      pageErrors.length = 0;
      await page.unroute(onFirstUse);
    }
  });

  it('says which format the data is in when it meets data of another static format (an old folder beside a new page)', async () => {
    const manifest = JSON.parse(gunzipSync(await readFile(path.join(exported.outDir, 'zhsearch', 'manifest.bin'))).toString('utf8')) as object;
    const older = STATIC_FORMAT_VERSION - 1;
    const oldFormat = gzipSync(JSON.stringify({ ...manifest, format: older }));
    const manifestFile = (url: URL) => url.pathname.endsWith('/zhsearch/manifest.bin');
    await page.route(manifestFile, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: oldFormat }));
    try {
      await page.goto(`${site.url}index.html?q=${encodeURIComponent('新基础设施')}`);
      await expect.poll(() => page.locator('#message .error').textContent(), ANSWERED).toBe(`搜索数据是第 ${older} 版格式，这个页面读取第 ${STATIC_FORMAT_VERSION} 版：请重新运行 zhsearch export。`);
      // Trying again would meet the same data.
      expect(await page.locator('#message button.retry').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    } finally {
      await page.unroute(manifestFile);
    }
  });

  it('sets no cookie and requests nothing outside the site', async () => {
    expect(await context.cookies()).toEqual([]);
    for (const url of downloaded.keys()) expect(new URL(url).origin).toBe(new URL(site.url).origin);
  });

  it('serves the embeddable box from the export: a blog page with <script src=".../embed.js"> suggests and searches', async () => {
    const blog = await staticServer(exported.outDir, '/blog/search/', {
      '/blog/post.html': `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>博客</title></head>
<body><div id="search"></div><script src="/blog/search/embed.js" data-target="#search" defer></script></body></html>`,
    });
    try {
      await page.goto(new URL('/blog/post.html', blog.url).href);
      const input = page.locator('#search .zhsearch-input');
      await input.waitFor(ANSWERED);
      await input.click();
      await page.keyboard.type('产业');
      const suggestions = page.locator('#search .suggestions li');
      await suggestions.first().waitFor(ANSWERED);
      expect(await suggestions.locator('.text').allTextContents()).toEqual(service.suggest('产业', 8).map((s) => s.text));
      await input.fill('');
      await page.keyboard.type('新基础设施');
      await page.keyboard.press('Enter');
      const hits = page.locator('#search .hit h3 a');
      await expect.poll(() => hits.allTextContents(), ANSWERED).toEqual(service.search({ q: '新基础设施', size: 8 }).hits.map((hit) => hit.title));
      // A hit opens the article page of the export, wherever the box is.
      await hits.first().click();
      await page.waitForURL((url) => url.pathname.startsWith('/blog/search/zhsearch/articles/'));
      expect(await page.locator('.article h1').textContent()).toBe('产业互联网正驶向深蓝');
      expect(pageErrors).toEqual([]);
    } finally {
      await blog.close();
    }
  });
});
