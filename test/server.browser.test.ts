/**
 * The search page in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core) over a
 * real index of ../shared/corpus/articles: suggestions, Enter, highlighted results, a facet, the back button.
 * Without Chromium the tests are skipped with a message, unless ZHSEARCH_REQUIRE_BROWSER=1 (CI) makes that a failure.
 * The page script is the bundled dist/bundles/app.js: `npm test` builds it first.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server/index.js';
import { browserMissing, startPageFixture, type PageFixture } from './fixtures/server/browser.js';

const missing = browserMissing('test/server.browser.test.ts');

describe.skipIf(missing)('search page in Chromium', () => {
  let fixture: PageFixture;
  let server: RunningServer;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    fixture = await startPageFixture();
    server = fixture.server;
    ({ page, errors: pageErrors } = await fixture.newPage({ viewport: { width: 1280, height: 900 } }));
  });

  afterAll(async () => {
    await fixture?.close();
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

  it('shows a tag-like query as text with an empty-result message and what to try', async () => {
    // Not <script>: that now finds JavaScript posts through the Latin part match (script ends javascript).
    await page.goto(`${server.url}/?q=${encodeURIComponent('<qzxv>')}`);
    const message = page.locator('#message');
    await message.locator('p').first().waitFor();
    expect(await message.locator('p').first().textContent()).toBe('没有找到与“<qzxv>”相关的文章。');
    expect(await message.locator('p').nth(1).textContent()).toBe('请检查错别字，或换一个更常见的说法。');
    expect(await page.locator('#q').inputValue()).toBe('<qzxv>');
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

  it('runs a topic search from a topic chip, as a phrase', async () => {
    await page.goto(`${server.url}/`);
    const chip = page.locator('#topics .chip').first();
    const topic = (await chip.textContent())!;
    await chip.click();
    await page.waitForURL((url) => url.searchParams.get('q') === `"${topic}"`);
    await expect.poll(() => page.locator('#results-heading').textContent()).toMatch(/^找到 [1-9]\d* 篇相关文章/);
  });
});
