/**
 * The search page in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core) over a
 * real index of ../shared/corpus/articles: suggestions, Enter, highlighted results, a facet, the back button.
 * Without Chromium the tests are skipped with a message, unless ZHSEARCH_REQUIRE_BROWSER=1 (CI) makes that a failure.
 * The page script is the compiled dist/web/app.js: `npm test` builds it first.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/index.js';
import { analyzeCorpus, repoRoot, writeGeneration } from './fixtures/server/corpus-index.js';

const CHROMIUM = '/usr/bin/chromium';
const browserMissing = !existsSync(CHROMIUM);
if (browserMissing) {
  const message = `${CHROMIUM} not found: install it with "apt-get install -y chromium" to run the browser tests`;
  if (process.env.ZHSEARCH_REQUIRE_BROWSER === '1') throw new Error(`${message} (required: ZHSEARCH_REQUIRE_BROWSER=1)`);
  console.warn(`SKIPPED test/server.browser.test.ts: ${message}`);
}

describe.skipIf(browserMissing)('search page in Chromium', () => {
  let tmp: string;
  let server: RunningServer;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const appJs = path.join(repoRoot, 'dist/web/app.js');
    if (!existsSync(appJs)) throw new Error(`${appJs} is missing: run "npm run build" first (npm test does)`);
    tmp = await mkdtemp(path.join(os.tmpdir(), 'zhsearch-server-browser-'));
    const corpus = await analyzeCorpus();
    await writeGeneration(path.join(tmp, 'index'), corpus.builder);
    server = await startServer({ indexDir: path.join(tmp, 'index'), port: 0, log: () => {} });
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-quic',
      ],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // CSP violations and failed loads (404s) show up as console errors.
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
    });
    page.on('dialog', (dialog) => {
      pageErrors.push(`dialog opened: ${dialog.message()}`);
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('suggests while typing 新基础设施, searches on Enter, filters by a category facet, and goes back', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('#topics .chip').first().waitFor();

    // "/" focuses the search box.
    await page.locator('body').press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');

    await page.keyboard.type('新');
    const suggestions = page.locator('#suggestions li');
    await suggestions.first().waitFor();
    expect(await suggestions.count()).toBeGreaterThan(0);
    expect(await page.locator('#q').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await suggestions.first().getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowUp');
    expect(await suggestions.first().getAttribute('aria-selected')).toBe('false');

    await page.keyboard.type('基础设施');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === '新基础设施');
    const firstHit = page.locator('.hit').first();
    await expect.poll(() => firstHit.locator('h3 a').textContent()).toBe('产业互联网正驶向深蓝');
    // The article link carries the query, so the article page marks its words and leads back.
    const href = new URL((await firstHit.locator('h3 a').getAttribute('href'))!, server.url);
    expect(href.pathname).toBe('/articles/' + '新媒体/人人都是产品经理/最新文章/产业互联网正驶向深蓝.md'.split('/').map(encodeURIComponent).join('/'));
    expect(href.searchParams.get('q')).toBe('新基础设施');
    expect(await firstHit.locator('.snippet mark').first().textContent()).toMatch(/新|基础设施/);
    expect(await firstHit.locator('.snippet mark', { hasText: '新基础设施' }).count()).toBeGreaterThan(0);
    const summary = page.locator('#results-heading');
    const total = Number(/找到 (\d+) 篇/.exec((await summary.textContent())!)![1]);
    expect(total).toBeGreaterThan(0);

    const facet = page.locator('button.facet[data-facet="category"]').first();
    const category = (await facet.locator('.value').textContent())!;
    const count = Number(await facet.locator('.count').textContent());
    await facet.click();
    await page.waitForURL((url) => url.searchParams.get('category') === category);
    await expect.poll(() => summary.textContent()).toMatch(new RegExp(`^找到 ${count} 篇相关文章`));
    expect(await page.locator('.hit').count()).toBe(Math.min(count, 10));
    expect(await page.locator('#active-filters .chip.removable').textContent()).toBe(`分类：${category}`);
    expect(await page.locator(`button.facet[data-facet="category"][aria-pressed="true"]`).count()).toBe(1);

    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.has('category') && url.searchParams.get('q') === '新基础设施');
    await expect.poll(async () => /找到 (\d+) 篇/.exec((await summary.textContent()) ?? '')?.[1]).toBe(String(total));
    expect(await page.locator('#q').inputValue()).toBe('新基础设施');
    expect(await page.locator('#active-filters .chip').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('shows a <script> query as text with an empty-result message and what to try', async () => {
    await page.goto(`${server.url}/?q=${encodeURIComponent('<script>')}`);
    const message = page.locator('#message');
    await message.locator('p').first().waitFor();
    expect(await message.locator('p').first().textContent()).toBe('没有找到与“<script>”相关的文章。');
    expect(await message.locator('p').nth(1).textContent()).toBe('请检查错别字，或换一个更常见的说法。');
    expect(await page.locator('#q').inputValue()).toBe('<script>');
    expect(pageErrors).toEqual([]);
  });

  it('chooses a keyword suggestion with the arrow keys and Enter, then opens the article page of a result', async () => {
    await page.goto(`${server.url}/`);
    await page.locator('#q').fill('');
    await page.locator('#q').focus();
    await page.keyboard.type('产业互联网');
    await page.locator('#suggestions li.keyword').first().waitFor();
    const position = await page
      .locator('#suggestions li')
      .evaluateAll((items) => items.findIndex((li) => li.classList.contains('keyword') && li.querySelector('.text')?.textContent === '产业互联网'));
    expect(position).toBeGreaterThanOrEqual(0);
    for (let i = 0; i <= position; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === '产业互联网');
    const title = page.locator('.hit h3 a', { hasText: '产业互联网正驶向深蓝' }).first();
    await title.click();
    await page.waitForURL((url) => url.pathname.startsWith('/articles/'));
    expect(await page.locator('h1').textContent()).toBe('产业互联网正驶向深蓝');
    expect(await page.locator('.related li').count()).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
  });

  it('runs a topic search from a topic chip', async () => {
    await page.goto(`${server.url}/`);
    const chip = page.locator('#topics .chip').first();
    const topic = (await chip.textContent())!;
    await chip.click();
    await page.waitForURL((url) => url.searchParams.get('q') === topic);
    await expect.poll(() => page.locator('#results-heading').textContent()).toMatch(/^找到 [1-9]\d* 篇相关文章/);
  });
});
