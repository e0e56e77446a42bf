/**
 * The search page round 2, in headless Chromium over the real articles: each defect of issue 13
 * reproduced, then what readers expect (input methods, keyboard, slow networks, phones, dark mode,
 * accessibility by axe-core, script size, layout shift).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, startPageFixture, type PageFixture } from './fixtures/server/browser.js';
import { repoRoot } from './fixtures/server/corpus-index.js';

const missing = browserMissing('test/web.page.test.ts');
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

describe.skipIf(missing)('search page round 2 in Chromium', () => {
  let fixture: PageFixture;
  let url: string;

  beforeAll(async () => {
    fixture = await startPageFixture();
    url = fixture.server.url;
  });
  afterAll(async () => {
    await fixture?.close();
  });

  /** Opens `path` and waits for the first render (results heading filled). */
  async function open(path: string, options = {}): Promise<{ page: Page; errors: string[] }> {
    const opened = await fixture.newPage(options);
    await opened.page.goto(`${url}${path}`);
    await opened.page.locator('#results[aria-busy="false"] #toolbar:not([hidden])').waitFor();
    return opened;
  }

  const activeFocusKey = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.focus ?? document.activeElement?.id);

  it('1: suggests and requests nothing while an input method composes, and Enter that confirms it does not search', async () => {
    const { page, errors } = await open('/');
    const suggestRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/suggest')) suggestRequests.push(new URL(request.url()).searchParams.get('q')!);
    });
    await page.locator('#q').focus();
    const cdp = await page.context().newCDPSession(page);
    for (const text of ['a', 'ai', 'c', 'ch', 'cha', 'chan', 'chan y']) {
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    }
    // Enter and arrows during the composition belong to the input method.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    expect(suggestRequests).toEqual([]);
    expect(await page.locator('#suggestions').isHidden()).toBe(true);
    expect(new URL(page.url()).search).toBe('');
    // The composition is committed as 产业: now suggestions come, for the committed text only.
    await cdp.send('Input.insertText', { text: '产业' });
    await page.locator('#suggestions li').first().waitFor();
    expect(suggestRequests).toEqual(['产业']);
    // The typed prefix is marked in the suggestions.
    expect(await page.locator('#suggestions li mark').first().textContent()).toBe('产业');
    expect(new URL(page.url()).search).toBe('');
    expect(errors).toEqual([]);
  });

  it('2: the first Esc closes the suggestions and keeps the query; a second Esc clears the box', async () => {
    const { page } = await open('/?q=%E4%BA%A7%E4%B8%9A');
    await page.locator('#q').focus();
    await page.keyboard.press('End');
    await page.keyboard.type('x');
    await page.keyboard.press('Backspace');
    await page.locator('#suggestions li').first().waitFor();
    await page.keyboard.press('Escape');
    expect(await page.locator('#suggestions').isHidden()).toBe(true);
    expect(await page.locator('#q').inputValue()).toBe('产业');
    await page.keyboard.press('Escape');
    expect(await page.locator('#q').inputValue()).toBe('');
  });

  it('3: Back from an article restores the scroll position and the focused result', async () => {
    const { page } = await open('/?q=%E6%89%8B%E6%9C%BA');
    await page.evaluate(() => window.scrollTo(0, 900));
    const link = page.locator('.hit h3 a').nth(6);
    const key = await link.getAttribute('data-focus');
    await link.focus();
    await page.evaluate(() => window.scrollTo(0, 900));
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(500);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname.startsWith('/articles/'));
    await page.goBack();
    await page.waitForURL((u) => u.pathname === '/');
    await expect.poll(() => activeFocusKey(page)).toBe(key);
    expect(Math.abs((await page.evaluate(() => window.scrollY)) - scrolled)).toBeLessThan(5);
  });

  it('4: shows dates in the articles\' zone (China time), not the UTC date', async () => {
    const { page } = await open(`/?q=${encodeURIComponent('苹果终于要开始提供无损音乐了')}`);
    const hit = page.locator('.hit', { hasText: '2021年，苹果终于要开始提供无损音乐了' }).first();
    // Front matter 2021-05-19 00:15:17 without a zone is China time: 2021-05-18T16:15:17Z.
    expect(await hit.locator('time').getAttribute('datetime')).toMatch(/^2021-05-1[89]T/);
    expect(await hit.locator('time').textContent()).toBe('2021-05-19');
    await hit.locator('h3 a').click();
    await page.waitForURL((u) => u.pathname.startsWith('/articles/'));
    expect(await page.locator('.article .meta time').textContent()).toBe('2021-05-19 00:15');
  });

  it('5: a slow search shows a busy state; a hung one times out with a Chinese message and a retry button', async () => {
    const { page } = await open('/');
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/search?*', async (route) => {
      await released;
      await route.continue();
    });
    await page.locator('#q').fill('元宇宙');
    await page.keyboard.press('Enter');
    await page.locator('#results[aria-busy="true"]').waitFor();
    expect(await page.locator('#progress').isVisible()).toBe(true);
    release();
    await page.locator('#results[aria-busy="false"]').waitFor();
    expect(await page.locator('#progress').isHidden()).toBe(true);
    expect(await page.locator('#results-heading').textContent()).toMatch(/^找到 \d+ 篇/);

    // Hung: no answer at all. After the client's timeout (10 s) the page says so and offers a retry.
    await page.unroute('**/api/search?*');
    await page.route('**/api/search?*', () => {});
    await page.locator('#q').fill('芯片');
    await page.keyboard.press('Enter');
    await page.locator('#message .retry').waitFor({ timeout: 15_000 });
    expect(await page.locator('#message .error').textContent()).toBe('搜索服务长时间没有响应。请检查网络连接，然后点“重试”。');
    expect(await page.locator('#results').getAttribute('aria-busy')).toBe('false');
    await page.unroute('**/api/search?*');
    await page.locator('#message .retry').click();
    await expect.poll(() => page.locator('#results-heading').textContent()).toMatch(/^找到 [1-9]\d* 篇/);
    expect(await page.locator('#message').isHidden()).toBe(true);
  }, 60_000);

  it('6: keyboard use keeps focus on the control used; a skip link; the count, not the list, is announced', async () => {
    const { page } = await open('/?q=%E6%89%8B%E6%9C%BA');
    // Tab stops before the first result: skip link, brand, box, button, sort ×2, at most a few more.
    let stops = 0;
    for (; stops < 30; stops++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.closest('.hit') !== null)) break;
    }
    expect(stops).toBeLessThanOrEqual(8);
    // The skip link is the first stop and lands on the results.
    await page.reload();
    await page.locator('.hit').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到搜索结果');
    await page.keyboard.press('Enter');
    expect(await activeFocusKey(page)).toBe('results-heading');

    // A facet used from the keyboard keeps the focus.
    const facet = page.locator('button.facet[data-facet="category"]').first();
    const key = (await facet.getAttribute('data-focus'))!;
    await facet.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.has('category'));
    // The facet is redrawn when the search answers (pressed); the focus must then be on the new button.
    await expect.poll(() => page.locator(`[data-focus="${key}"]`).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => activeFocusKey(page)).toBe(key);
    // Removing its chip moves focus to the results' heading, not the page body.
    await page.locator('#active-filters .chip.removable').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => !u.searchParams.has('category'));
    await expect.poll(() => activeFocusKey(page)).toBe('results-heading');
    // A page button: focus on the new page's heading.
    await page.locator('#pagination [data-focus="page:next"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await expect.poll(() => activeFocusKey(page)).toBe('results-heading');
    // Only the status line is live.
    expect(await page.locator('[aria-live]').count()).toBe(0);
    expect(await page.locator('[role="status"]').textContent()).toMatch(/^找到 \d+ 篇相关文章/);
  });

  it('7: a javascript: permalink never becomes a link; http(s) and site-relative ones do', async () => {
    const { page, errors } = await fixture.newPage();
    await page.route('**/api/search?*', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.hits[0].url = 'javascript:alert(document.domain)';
      body.hits[1].url = ' JaVaScRiPt:alert(1)';
      body.hits[2].url = 'https://blog.example.com/2021/05/post/';
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${url}/?q=%E6%89%8B%E6%9C%BA`);
    await page.locator('.hit').nth(2).waitFor();
    const hrefs = await page.locator('.hit h3').evaluateAll((hs) => hs.map((h) => h.querySelector('a')?.getAttribute('href') ?? null));
    expect(hrefs[0]).toBeNull();
    expect(hrefs[1]).toBeNull();
    expect(hrefs[2]).toBe('https://blog.example.com/2021/05/post/');
    expect(hrefs.slice(3).every((href) => href !== null && new URL(href, url).pathname.startsWith('/articles/'))).toBe(true);
    await page.locator('.hit h3').first().click();
    expect(errors).toEqual([]);
  });

  it('8: bad parameters in a shared link get a Chinese message saying what to do, and a way out', async () => {
    const { page } = await fixture.newPage();
    await page.goto(`${url}/?q=%E6%89%8B%E6%9C%BA&from=2021-13`);
    await page.locator('#message .error').waitFor();
    expect(await page.locator('#message .error').textContent()).toContain('参数 "from" 应为真实存在的日期');
    await page.locator('#message button', { hasText: '去掉日期筛选后重新搜索' }).click();
    await expect.poll(() => page.locator('#results-heading').textContent()).toMatch(/^找到 [1-9]\d* 篇/);
    expect(new URL(page.url()).searchParams.has('from')).toBe(false);

    await page.goto(`${url}/?q=${'长'.repeat(300)}`);
    await page.locator('#message .error').waitFor();
    expect(await page.locator('#message .error').textContent()).toBe('参数 "q" 超过 256 个字符，请缩短后再试');
    // page=abc and sort=newest are read as their defaults.
    await page.goto(`${url}/?q=%E6%89%8B%E6%9C%BA&page=abc&sort=newest`);
    await expect.poll(() => page.locator('#results-heading').textContent()).toMatch(/^找到 [1-9]\d* 篇/);
    // A broken server or proxy: Chinese, and a retry.
    await page.route('**/api/search?*', (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' }));
    await page.goto(`${url}/?q=%E8%8A%AF%E7%89%87`);
    await page.locator('#message .retry').waitFor();
    expect(await page.locator('#message .error').textContent()).toBe('搜索服务出错（502）。请稍后点“重试”。');
  });

  it('9: the article page leads back to the results, has a search box, and marks the query words', async () => {
    const { page } = await open('/?q=%E6%96%B0%E5%9F%BA%E7%A1%80%E8%AE%BE%E6%96%BD');
    await page.evaluate(() => window.scrollTo(0, 300));
    await page.locator('.hit h3 a').nth(2).focus();
    const scrolled = await page.evaluate(() => window.scrollY);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname.startsWith('/articles/'));
    expect(await page.locator('#q').inputValue()).toBe('新基础设施');
    expect(await page.locator('.article-text mark').first().textContent()).toMatch(/^(新基础设施|基础设施|新)$/);
    const back = page.locator('a.back');
    expect(await back.textContent()).toBe('← 返回“新基础设施”的搜索结果');
    await back.click();
    await page.waitForURL((u) => u.pathname === '/' && u.searchParams.get('q') === '新基础设施');
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
    // Searching from the article page's box goes to the search page.
    await page.locator('.hit h3 a').first().click();
    await page.waitForURL((u) => u.pathname.startsWith('/articles/'));
    await page.locator('#q').fill('元宇宙');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname === '/' && u.searchParams.get('q') === '元宇宙');
  });

  it('10: on a phone the page never widens, results start high, the keyboard goes down, targets are 44 px', async () => {
    const { page } = await open(`/?q=${'Supercalifragilisticexpialidocious'.repeat(6)}`, PHONE);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.locator('#q').tap();
    await page.locator('#q').fill('手机');
    expect(await page.locator('#q').getAttribute('enterkeyhint')).toBe('search');
    await page.keyboard.press('Enter');
    await page.locator('.hit').first().waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).not.toBe('q');
    const top = await page.locator('.hit').first().evaluate((node) => node.getBoundingClientRect().top);
    expect(top).toBeLessThan(300);
    for (const selector of ['.hit h3 a', '.hit .tag', '.pagination button', '.sort button']) {
      const height = await page.locator(selector).first().evaluate((node) => node.getBoundingClientRect().height);
      expect(height, selector).toBeGreaterThanOrEqual(44);
    }
  });

  it('11: a page past the end says so and leads back; the same query again adds no history entry', async () => {
    const { page } = await open('/?q=%E6%89%8B%E6%9C%BA&page=9');
    const text = (await page.locator('#message p').first().textContent())!;
    const [, total, pages] = /^第 9 页没有结果：共 (\d+) 篇，只有 (\d+) 页。$/.exec(text)!;
    expect(Number(pages)).toBe(Math.ceil(Number(total) / 10));
    await page.locator('#message button').click();
    await page.waitForURL((u) => u.searchParams.get('page') === pages);
    await page.locator('.hit').first().waitFor();
    const length = await page.evaluate(() => history.length);
    await page.locator('#q').fill('手机');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.locator('#results[aria-busy="false"]').waitFor();
    const after = await page.evaluate(() => history.length);
    expect(after).toBe(length + 1);
    await page.keyboard.press('Enter');
    await page.locator('#results[aria-busy="false"]').waitFor();
    expect(await page.evaluate(() => history.length)).toBe(after);
  });

  it('offers "did you mean" from the index vocabulary, and ways to widen an empty search', async () => {
    const { page } = await open('/?q=Kubernets');
    expect(await page.locator('#did-you-mean').textContent()).toBe('你是不是要找：Kubernetes');
    await page.locator('#did-you-mean a').click();
    await page.waitForURL((u) => u.searchParams.get('q') === 'Kubernetes');
    await expect.poll(() => page.locator('#results-heading').textContent()).toMatch(/^找到 [1-9]\d* 篇/);
    // Nothing found with a filter and two words: drop the filter, or one of the words.
    await page.goto(`${url}/?q=${encodeURIComponent('元宇宙 手机')}&category=${encodeURIComponent('不存在的分类')}`);
    await page.locator('#message .chip').first().waitFor();
    const chips = await page.locator('#message .chip').allTextContents();
    expect(chips).toEqual(['去掉分类“不存在的分类”', '清除全部筛选', '去掉“元宇宙”：手机', '去掉“手机”：元宇宙']);
  });

  it('marks the query words in titles and snippets', async () => {
    const { page } = await open('/?q=%E4%BA%A7%E4%B8%9A%E4%BA%92%E8%81%94%E7%BD%91');
    const title = page.locator('.hit h3', { hasText: '产业互联网正驶向深蓝' }).first();
    expect(await title.locator('mark').allTextContents()).toEqual(['产业互联网']);
    expect(await page.locator('.hit .snippet mark').first().textContent()).toMatch(/产业|互联网/);
  });

  it('Enter on a title suggestion opens that article', async () => {
    const { page } = await open('/');
    await page.locator('#q').focus();
    await page.keyboard.type('驶向深');
    await page.locator('#suggestions li.title').first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.pathname.startsWith('/articles/'));
    expect(await page.locator('h1').textContent()).toBe('产业互联网正驶向深蓝');
  });

  it('facets: categories as a tree, several values at once, more beyond ten, clear-all, a date control', async () => {
    const { page } = await open('/');
    // 新媒体 is a level of other categories' paths or a value of its own: either way a node with children or a count.
    const categories = page.locator('button.facet[data-facet="category"]');
    const first = (await categories.nth(0).getAttribute('data-focus'))!.slice('facet:category:'.length);
    const count = async (value: string) =>
      Number(await page.locator(`[data-focus="facet:category:${value}"] .count`).textContent());
    const firstCount = await count(first);
    await categories.nth(0).click();
    await page.waitForURL((u) => u.searchParams.getAll('category').length === 1);
    // The facets are redrawn when the search answers; until then the first value still reads as not pressed.
    await expect.poll(() => page.locator(`[data-focus="facet:category:${first}"]`).getAttribute('aria-pressed')).toBe('true');
    await page.locator('button.facet[data-facet="category"][aria-pressed="false"]').first().click();
    await page.waitForURL((u) => u.searchParams.getAll('category').length === 2);
    // The URL changes at once; the chips and the heading are drawn when the search answers.
    await expect.poll(() => page.locator('#active-filters .chip.removable').count()).toBe(2);
    const total = Number(/全部 (\d+) 篇/.exec((await page.locator('#results-heading').textContent())!)![1]);
    expect(total).toBeGreaterThanOrEqual(firstCount);
    // Tags: more than ten values, the rest behind "more".
    const tagGroup = page.locator('.facet-group', { has: page.locator('[data-focus="group:tag"]') });
    const shown = await tagGroup.locator('button.facet').count();
    if (shown === 10 && (await tagGroup.locator('button.more').count()) === 1) {
      await tagGroup.locator('button.more').click();
      expect(await tagGroup.locator('button.facet').count()).toBeGreaterThan(10);
    }
    // Date control: a year, then "within a year" replaces it; one chip for the date.
    await page.locator('button.facet[data-facet="year"]').first().click();
    await page.waitForURL((u) => u.searchParams.has('from') && u.searchParams.get('from') === u.searchParams.get('to'));
    await expect.poll(() => page.locator('#active-filters .chip.removable', { hasText: '日期：' }).count()).toBe(1);
    await page.locator('[data-focus="facet:date:year"]').click();
    await page.waitForURL((u) => u.searchParams.get('within') === 'year' && !u.searchParams.has('from'));
    await page.locator('#active-filters .clear-all').click();
    await page.waitForURL((u) => u.search === '');
    await expect.poll(() => page.locator('#active-filters .chip').count()).toBe(0);
  });

  it('Ctrl+K, ⌘K and "/" focus the search box', async () => {
    const { page } = await open('/?q=%E6%89%8B%E6%9C%BA');
    for (const keys of ['Control+k', 'Meta+k', '/']) {
      await page.locator('.hit h3 a').first().focus();
      await page.keyboard.press(keys);
      expect(await page.evaluate(() => document.activeElement?.id), keys).toBe('q');
    }
  });

  it('has an h1, a <label>, a <noscript> notice, and a dark mode', async () => {
    const html = await (await fetch(`${url}/`)).text();
    expect(html).toContain('<noscript>');
    const { page } = await open('/', { colorScheme: 'dark' });
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('label[for="q"]').count()).toBe(1);
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(13, 17, 23)');
  });

  it('axe-core finds no violations on the home, results and article pages, light and dark', async () => {
    const axe = await readFile(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
    for (const colorScheme of ['light', 'dark'] as const) {
      // bypassCSP: the page's CSP (script-src 'self') would refuse the injected axe script.
      const { page } = await open('/', { colorScheme, bypassCSP: true });
      const check = async (label: string) => {
        await page.addScriptTag({ content: axe });
        const violations = await page.evaluate(async () => {
          const result = await (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
          return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        });
        expect(violations, `${label} (${colorScheme})`).toEqual([]);
      };
      await check('home');
      await page.goto(`${url}/?q=%E6%96%B0%E5%9F%BA%E7%A1%80%E8%AE%BE%E6%96%BD`);
      await page.locator('.hit').first().waitFor();
      await check('results');
      await page.locator('.hit h3 a').first().click();
      await page.waitForURL((u) => u.pathname.startsWith('/articles/'));
      await check('article');
    }
  });

  it('keeps the script under 40 KB compressed and the layout still on load (CLS < 0.05)', async () => {
    const script = await readFile(path.join(repoRoot, 'dist/bundles/app.js'));
    const gzipped = gzipSync(script, { level: 9 }).length;
    console.log(`dist/bundles/app.js: ${script.length} bytes, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThan(40 * 1024);
    for (const [path, options] of [['/', {}], ['/?q=%E6%89%8B%E6%9C%BA', {}], ['/?q=%E6%89%8B%E6%9C%BA', PHONE]] as const) {
      const { page } = await fixture.newPage(options);
      await page.addInitScript(() => {
        (window as unknown as { cls: number }).cls = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
            if (!entry.hadRecentInput) (window as unknown as { cls: number }).cls += entry.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(`${url}${path}`);
      await page.locator('.hit').first().waitFor();
      await page.waitForTimeout(500);
      const cls = await page.evaluate(() => (window as unknown as { cls: number }).cls);
      console.log(`CLS ${path} ${'isMobile' in options ? 'phone' : 'desktop'}: ${cls.toFixed(4)}`);
      expect(cls).toBeLessThan(0.05);
    }
  });
});
