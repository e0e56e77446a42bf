/**
 * The embeddable search box in headless Chromium, the way a blog uses it: a page served by a plain static
 * server on one 127.0.0.1 port (the blog) loads <script src=".../search/embed.js"> from the zhsearch server
 * on another port (another origin, allowed with corsOrigins, everything under basePath /search/). Real
 * posts of ../shared/corpus, each with a blog URL `/posts/<n>/` that the blog serves.
 * Without Chromium the tests are skipped with a message, unless ZHSEARCH_REQUIRE_BROWSER=1.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../src/analysis/index.js';
import { analyzeArticle, IndexBuilder, writeIndex } from '../src/index/index.js';
import { loadCorpus } from '../src/ingest/index.js';
import type { Article } from '../src/ingest/types.js';
import { startServer, type RunningServer } from '../src/server/index.js';
import { browserMissing, launchProfile } from './fixtures/server/browser.js';
import { articlesDir, repoRoot } from './fixtures/server/corpus-index.js';

const missing = browserMissing('test/embed.browser.test.ts');

const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The blog: a theme page per path, each embedding the box as `embedTag(server)` says, and one page per post. */
function startBlog(posts: Map<string, Article>, pages: Record<string, () => string>): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://blog');
    const post = posts.get(url.pathname);
    const page = pages[url.pathname];
    if (!post && !page) {
      res.writeHead(404).end('not found');
      return;
    }
    const body = post
      ? `<article><h1 class="post-title">${escape(post.title)}</h1></article>`
      : page!();
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>我的博客</title>
<style>body { font-family: Georgia, serif; color: rgb(40, 50, 60); }</style></head><body>${body}</body></html>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe.skipIf(missing)('embeddable search box across origins', () => {
  let tmp: string;
  let search: RunningServer;
  let closed: RunningServer;
  let blog: http.Server;
  let blogUrl: string;
  let context: BrowserContext;
  let page: Page;
  const posts = new Map<string, Article>();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'dist/bundles/embed.js'))) throw new Error('dist/bundles/embed.js is missing: run "npm run build" first (npm test does)');
    tmp = await mkdtemp(path.join(os.tmpdir(), 'zhsearch-embed-browser-'));
    const analyzer = createAnalyzer({ segmenter: 'node-rs' });
    const builder = new IndexBuilder(analyzer.identity);
    for (const folder of ['新媒体', '编程']) {
      for await (const result of loadCorpus(path.join(articlesDir, folder))) {
        if (!result.ok) continue;
        // The URL the blog publishes the post at, as a Hexo site's index gives it (site-relative).
        const article = { ...result.article, url: `/posts/${posts.size + 1}/` };
        posts.set(article.url, article);
        builder.add(analyzeArticle(analyzer, article));
      }
    }
    await writeIndex(path.join(tmp, 'index'), builder.build());

    blog = await startBlog(posts, {
      '/': () => `<header><nav>首页</nav><div id="search"></div></header>
<script src="${search.pageUrl}embed.js" data-target="#search" data-facets="true" defer></script>`,
      '/overlay/': () => `<header><a href="#" data-zhsearch-open>站内搜索</a></header>
<script src="${search.pageUrl}embed.js" defer></script>`,
      '/closed/': () => `<div id="search"></div><script src="${closed.pageUrl}embed.js" data-target="#search" defer></script>`,
    });
    blogUrl = `http://127.0.0.1:${(blog.address() as AddressInfo).port}`;
    const indexDir = path.join(tmp, 'index');
    search = await startServer({ indexDir, port: 0, basePath: '/search/', corsOrigins: [blogUrl], log: () => {} });
    closed = await startServer({ indexDir, port: 0, basePath: '/search/', log: () => {} });

    ({ context, page } = await launchProfile(path.join(tmp, 'profile'), pageErrors));
  });

  afterAll(async () => {
    await context?.close();
    await search?.close();
    await closed?.close();
    await new Promise((resolve) => blog?.close(resolve));
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('inline: suggests, searches on Enter, highlights, filters by a facet, and follows a hit to the blog post', async () => {
    await page.goto(`${blogUrl}/`);
    const input = page.locator('#search .zhsearch-input');
    await input.waitFor();
    // Fonts and colours come from the theme.
    expect(await input.evaluate((node) => getComputedStyle(node).fontFamily)).toBe('Georgia, serif');
    expect(await page.locator('#search .zhsearch-embed').evaluate((node) => getComputedStyle(node).color)).toBe('rgb(40, 50, 60)');

    await input.click();
    await page.keyboard.type('产业');
    const suggestions = page.locator('#search .suggestions li');
    await suggestions.first().waitFor();
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    expect(await suggestions.locator('mark').first().textContent()).toBe('产业');
    await input.fill('');
    await page.keyboard.type('新基础设施');
    await page.keyboard.press('Enter');

    const firstHit = page.locator('#search .hit').first();
    await expect.poll(() => firstHit.locator('h3 a').textContent()).toBe('产业互联网正驶向深蓝');
    expect(await firstHit.locator('.snippet mark', { hasText: '新基础设施' }).count()).toBeGreaterThan(0);
    const status = page.locator('#search .zhsearch-status');
    const total = Number(/找到 (\d+) 篇/.exec((await status.textContent())!)![1]);
    expect(total).toBeGreaterThan(1);

    const facet = page.locator('#search button.facet[data-facet="category"]').first();
    await facet.waitFor();
    const count = Number(await facet.locator('.count').textContent());
    await facet.click();
    await expect.poll(() => status.textContent()).toBe(`找到 ${count} 篇相关文章`);

    const post = [...posts.values()].find((a) => a.title === '产业互联网正驶向深蓝')!;
    await page.locator('#search .hit h3 a', { hasText: '产业互联网正驶向深蓝' }).click();
    await page.waitForURL(`${blogUrl}${post.url}`);
    expect(await page.locator('h1.post-title').textContent()).toBe('产业互联网正驶向深蓝');
    expect(pageErrors).toEqual([]);
  });

  it('overlay: Ctrl+K or a theme link opens it, Enter searches, Escape closes it', async () => {
    await page.goto(`${blogUrl}/overlay/`);
    const opener = page.locator('.zhsearch-floating .zhsearch-open');
    await opener.waitFor();
    const dialog = page.locator('dialog.zhsearch-dialog');
    expect(await dialog.isVisible()).toBe(false);

    await page.keyboard.press('Control+k');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('zhsearch-input');
    await page.keyboard.type('Docker');
    await page.keyboard.press('Enter');
    await dialog.locator('.hit').first().waitFor();
    expect(await dialog.locator('.hit h3 a').first().getAttribute('href')).toMatch(/^\/posts\/\d+\/$/);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);

    await page.locator('[data-zhsearch-open]').click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('a server that does not list the blog origin is blocked by the browser, and the box says it cannot connect', async () => {
    await page.goto(`${blogUrl}/closed/`);
    const input = page.locator('#search .zhsearch-input');
    await input.waitFor();
    await input.fill('产业互联网');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#search .zhsearch-status').textContent()).toBe('无法连接搜索服务。请检查网络连接，然后点“重试”。 重试');
    expect(pageErrors.some((line) => line.includes('CORS'))).toBe(true);
  });
});
