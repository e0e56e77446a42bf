/**
 * The static export's runtime (in Node, reading the exported files) against the embedded service over the same
 * index of the shared articles: the same hits in the same order with the same scores, snippets, totals and facets,
 * for Simplified, Traditional and English queries, synonyms, phrases, exclusions, OR, filters, date order and pages.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchService, escapeHtml } from '../src/search/index.js';
import type { SearchRequest, SearchResult, SearchService } from '../src/search/types.js';
import { DATA_DIR, MANIFEST_FILE, openStaticSearch, type StaticBackend, type StaticManifest } from '../src/static/index.js';
import { decodeDocsTable, encodeDocsTable, STATIC_FORMAT_VERSION, type DocsTable } from '../src/static/format.js';
import { pageBundles, writePage } from '../src/static/page-files.js';
import { FIELDS } from '../src/search/portable.js';
import { repoRoot } from './fixtures/server/corpus-index.js';
import { exportArticles, openExported, type ExportedCorpus } from './fixtures/static/export-corpus.js';

const evalQueries = ['dev', 'dev-hard'].flatMap((set) =>
  readFileSync(path.resolve(repoRoot, `../shared/eval/${set}/queries.tsv`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t')[1]!),
);

/** The export's own article pages (zhsearch/articles/<id>.html) stand for the server's /articles/<id>. */
const serverUrl = (url: string) => url.replace(/^zhsearch\/articles\/(.*)\.html$/, '/articles/$1');

/**
 * The result without its time and snippets, which are compared apart (snippetAgreement): the runtime fetches only
 * the text blocks where a hit's words are, so where two passages are about as good it may show the other one.
 */
function comparable(result: SearchResult): Omit<SearchResult, 'took_ms'> {
  const { took_ms: _took, ...rest } = result;
  return { ...rest, hits: rest.hits.map(({ snippet: _snippet, ...hit }) => ({ ...hit, url: serverUrl(hit.url) })) };
}

/** The same passage as the server's (marks aside: the runtime segments it with the words it fetched). */
function samePassage(a: string, b: string): boolean {
  const plain = (html: string) => html.replace(/<\/?mark>/g, '');
  return plain(a) === plain(b);
}

describe('static export runtime', () => {
  let exported: ExportedCorpus;
  let service: SearchService;
  let backend: StaticBackend;
  let bytes: () => number;

  beforeAll(async () => {
    exported = await exportArticles();
    service = createSearchService(exported.reader, exported.analyzer);
    ({ backend, bytes } = await openExported(exported.outDir));
  }, 120_000);

  afterAll(async () => {
    if (exported) await rm(exported.tmp, { recursive: true, force: true });
  });

  const requests: SearchRequest[] = [
    { q: '新基础设施' },
    { q: '資訊安全 數位轉型' },
    { q: '新基建' },
    { q: '中國式現代化' },
    { q: 'iPhone14 5G' },
    { q: '"产业互联网" -流量' },
    { q: '芯片 OR 半导体 -手机' },
    { q: '元宇宙 category:新媒体' },
    { q: '手机', category: '新媒体', from: '2021', to: '2021-12' },
    { q: '游戏', sort: 'date' },
    { q: '产业', page: 2, size: 5 },
    { q: '' },
    { q: '', tag: 'docker' },
    { q: 'xyzzy 不存在的词' },
  ];

  it.each(requests)('answers %o exactly as the server', async (request) => {
    expect(comparable(await backend.search(request))).toEqual(comparable(service.search(request)));
  });

  it('agrees with the server on every dev and dev-hard query, and shows its passage in 9 snippets of 10', async () => {
    expect(evalQueries.length).toBeGreaterThan(40);
    let snippets = 0;
    let same = 0;
    for (const q of [...evalQueries, ...requests.map((request) => request.q), 'Kubernetes docker', 'Python 教程']) {
      const result = await backend.search({ q });
      const expected = service.search({ q });
      expect(comparable(result), q).toEqual(comparable(expected));
      result.hits.forEach((hit, i) => {
        snippets++;
        if (samePassage(hit.snippet, expected.hits[i]!.snippet)) same++;
      });
    }
    expect(snippets).toBeGreaterThan(200);
    expect(same / snippets).toBeGreaterThanOrEqual(0.9);
  });

  it('matches Latin words inside longer ones as the server does (script → javascript, an unfinished word → its completions)', async () => {
    for (const [q, longer] of [
      ['script', 'typescript'],
      ['Linu', 'linux'],
      ['kube 部署', 'kubernetes'],
    ]) {
      const result = await backend.search({ q });
      expect(result.hits.flatMap((hit) => hit.matched_terms), q).toContain(longer);
      expect(comparable(result), q).toEqual(comparable(service.search({ q })));
    }
  });

  it('marks query words in the snippets where the server does', async () => {
    const [hit] = (await backend.search({ q: '新基础设施' })).hits;
    expect(hit!.snippet).toContain('<mark>新基础设施</mark>');
    for (const q of ['芯片 半导体', '資訊安全', '元宇宙', 'docker']) {
      const server = service.search({ q }).hits;
      const hits = (await backend.search({ q })).hits;
      hits.forEach((hit, i) => expect(hit.snippet.includes('<mark>'), `${q}: ${hit.title}`).toBe(server[i]!.snippet.includes('<mark>')));
    }
  });

  it('fetches the chunks of a query once: a repeated query downloads nothing', async () => {
    await backend.search({ q: '数字经济 平台' });
    const before = bytes();
    await backend.search({ q: '数字经济 平台' });
    expect(bytes()).toBe(before);
  });

  it('links each hit to a page a static host serves: the article page the export wrote, not the server route', async () => {
    const [hit] = (await backend.search({ q: '新基础设施' })).hits;
    const file = `zhsearch/articles/${hit!.id}.html`;
    expect(hit!.url).toBe(`zhsearch/articles/${hit!.id.split('/').map(encodeURIComponent).join('/')}.html`);
    const html = readFileSync(path.join(exported.outDir, file), 'utf8');
    expect(html).toContain(`<h1>${hit!.title}</h1>`);
    // The text is not copied into the page (the script loads it from the chunks).
    expect(html).toContain(`<div class="article-text" data-article="${hit!.id}" aria-busy="true">`);
    const opening = service.article(hit!.id)!.text.slice(0, 40);
    expect(html).not.toContain(opening);
    const up = '../'.repeat(hit!.id.split('/').length + 1);
    expect(html).toContain(`<a class="back" href="${up}index.html">← 返回搜索</a>`);
    expect(html).toMatch(new RegExp(`<script type="module" src="${up}zhsearch-[0-9a-f]{10}\\.js"></script>`));
  });

  it('lists on an exported article page the server\'s related articles, each linked to the page the export wrote for it', () => {
    const id = service.search({ q: '新基础设施' }).hits[0]!.id;
    const related = service.related(id)!;
    expect(related.length).toBeGreaterThan(1);
    const file = path.join(exported.outDir, `zhsearch/articles/${id}.html`);
    const html = readFileSync(file, 'utf8');
    const section = html.slice(html.indexOf('<section class="related"'));
    const links = [...section.matchAll(/<li><a href="([^"]+)">([^<]+)<\/a>/g)].map(([, href, title]) => ({ href: href!, title: title! }));
    expect(links.map((link) => link.title)).toEqual(related.map((hit) => escapeHtml(hit.title)));
    for (const { href } of links) {
      expect(href).toMatch(/^(\.\.\/)+zhsearch\/articles\//);
      expect(existsSync(path.join(path.dirname(file), decodeURIComponent(href))), href).toBe(true);
    }
  });

  it('answers related(id) as the server does: the same articles, scores, shared terms and lead snippets', async () => {
    const ids = service.search({ q: '', size: 30 }).hits.map((hit) => hit.id);
    let compared = 0;
    for (const id of ids) {
      for (const limit of [undefined, 2, 10]) {
        const expected = service.related(id, limit)!;
        compared += expected.length;
        expect(((await backend.related(id, limit)) ?? []).map((hit) => ({ ...hit, url: serverUrl(hit.url) })), `${id} ${limit}`).toEqual(expected);
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(await backend.related('没有这篇文章.md')).toBeUndefined();
  });

  it('suggests as the server does while a word is typed, from the chunks of the typed words\' first characters', async () => {
    const prefixes = new Set(['产', '产业', '产业互', '新基', '游戏', '手办', 'doc', 'Dock', 'iph', '資訊', '产业 互联', 'steam 游', '元宇', 'a', '没有这样的前缀啊']);
    for (const hit of service.search({ q: '', size: 60 }).hits) {
      const chars = [...hit.title];
      prefixes.add(chars[0]!);
      prefixes.add(chars.slice(0, 2).join(''));
    }
    let found = 0;
    for (const prefix of prefixes) {
      const expected = service.suggest(prefix, 8);
      const suggestions = (await backend.suggest(prefix, 8)).map((s) => (s.url === undefined ? s : { ...s, url: serverUrl(s.url) }));
      expect(suggestions, prefix).toEqual(expected);
      if (expected.length > 0) found++;
    }
    expect(found).toBeGreaterThan(50);
    // A title suggestion opens the article's page in the export.
    const title = (await backend.suggest('产业互联网正', 8)).find((s) => s.kind === 'title')!;
    expect(title.text).toBe('产业互联网正驶向深蓝');
    expect(existsSync(path.join(exported.outDir, decodeURIComponent(title.url!)))).toBe(true);
  });

  it('offers the server\'s "did you mean" when little is found, from the correction chunks of the query\'s words', async () => {
    const cases: [string, string][] = [
      ['Kubernets', 'Kubernetes'],
      ['Ｄｏｃｋｅｒ kuberntes', 'Docker kubernetes'],
      ['元宇寅', '元宇宙'],
    ];
    for (const [q, corrected] of cases) {
      expect(service.search({ q }).did_you_mean, q).toBe(corrected);
      expect((await backend.search({ q })).did_you_mean, q).toBe(corrected);
    }
    for (const q of ['javasript', 'pythn 教程', '芯片 半导題', 'tesla 特斯垃']) {
      expect((await backend.search({ q })).did_you_mean, q).toBe(service.search({ q }).did_you_mean);
    }
  });

  it('answers a query of stop words only with nothing found and the words, where the server reads its texts', async () => {
    for (const [q, words] of [['我们', ['我们']], ['how to', ['how', 'to']], ['如何', ['如何']]] as const) {
      const result = await backend.search({ q });
      expect(result.total, q).toBe(0);
      expect(result.hits, q).toEqual([]);
      expect(result.stop_words_only, q).toEqual(words);
      expect(service.search({ q }).total, q).toBeGreaterThan(0);
    }
  });

  it('ships the stylesheet minified at build time (dist/bundles/page.css), not the server\'s commented source', () => {
    const [css] = readdirSync(exported.outDir).filter((name) => /^zhsearch-[0-9a-f]{10}\.css$/.test(name));
    const shipped = readFileSync(path.join(exported.outDir, css!), 'utf8');
    expect(shipped).toBe(readFileSync(path.join(repoRoot, 'dist/bundles/page.css'), 'utf8'));
    expect(shipped).not.toContain('/*');
    expect(shipped.length).toBeLessThan(readFileSync(path.join(repoRoot, 'src/web/style.css'), 'utf8').length);
  });

  it('writes the page script as its entry and chunks, preloads the chunks a search runs, and replaces an earlier export\'s', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-static-page-'));
    try {
      // An earlier export's entry and chunk, and a file of the site's own.
      for (const name of ['zhsearch-0123456789.js', 'zhsearch-ABCDEFGH.js', 'notes.js']) writeFileSync(path.join(dir, name), 'old');
      const bundles = pageBundles();
      const { assets } = writePage(dir, bundles);
      const files = readdirSync(dir);
      expect(files).not.toContain('zhsearch-0123456789.js');
      expect(files).not.toContain('zhsearch-ABCDEFGH.js');
      expect(files).toContain('notes.js');
      for (const [name, content] of bundles.script.chunks) expect(readFileSync(path.join(dir, name), 'utf8')).toBe(content);
      expect(readFileSync(path.join(dir, assets.script), 'utf8')).toBe(bundles.script.entry);
      const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
      expect(html).toContain(`<script type="module" src="${assets.script}"></script>`);
      const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((match) => match[1]!);
      expect(preloaded).toEqual(bundles.script.search);
      // Every chunk the entry imports before it runs is preloaded; the rest (suggestions, "did you mean", the article
      // page) are fetched on first use.
      const imported = [...bundles.script.entry.matchAll(/from\s*"\.\/(zhsearch-[A-Z2-7]{8}\.js)"/g)].map((match) => match[1]!);
      expect(imported.length).toBeGreaterThan(0);
      for (const name of imported) expect(preloaded).toContain(name);
      expect(bundles.script.chunks.size).toBeGreaterThanOrEqual(preloaded.length + 3);
      expect(assets.preload).toEqual(bundles.script.article);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lists the server\'s topics, from the manifest\'s later part (m-*.bin), read once and tried again after a failure', async () => {
    expect(await backend.topics()).toEqual(service.topics());
    expect(await backend.topics(5)).toEqual(service.topics(5));
    // Parsed once: a second call hands back the same topics, not a new parse of the chunk.
    expect((await backend.topics())[0]).toBe((await backend.topics())[0]);
    let failures = 1;
    const flaky = await openStaticSearch(async (name) => {
      if (name.startsWith('m-') && failures-- > 0) throw new Error('offline');
      return new Uint8Array(readFileSync(path.join(exported.outDir, DATA_DIR, name)));
    });
    await expect(flaky.topics()).rejects.toThrow('offline');
    expect(await flaky.topics()).toEqual(service.topics());
  });

  it('refuses data of another static format, saying which and what to do: export again (older), refresh (newer)', async () => {
    const manifest = JSON.parse(gunzipSync(readFileSync(path.join(exported.outDir, DATA_DIR, MANIFEST_FILE))).toString('utf8')) as StaticManifest;
    const opened = (format: number) => openStaticSearch(async () => new Uint8Array(gzipSync(JSON.stringify({ ...manifest, format }))));
    const [older, newer] = [STATIC_FORMAT_VERSION - 1, STATIC_FORMAT_VERSION + 1];
    await expect(opened(older)).rejects.toThrow(`搜索数据是第 ${older} 版格式，这个页面读取第 ${STATIC_FORMAT_VERSION} 版：请重新运行 zhsearch export。`);
    await expect(opened(newer)).rejects.toThrow(`搜索数据是第 ${newer} 版格式，这个页面只能读取第 ${STATIC_FORMAT_VERSION} 版：请刷新页面或更新 embed.js。`);
  });

  it('finds an article by id, and not an unknown one', async () => {
    const id = service.search({ q: '新基础设施' }).hits[0]!.id;
    expect((await backend.article(id))?.title).toBe(service.article(id)!.title);
    expect(await backend.article('没有/这篇.md')).toBeUndefined();
  });
});

describe('static export docs table', () => {
  const table = (dateMs: number[], wallMs: number[]): DocsTable => {
    const n = dateMs.length;
    const lengths = Object.fromEntries(FIELDS.map((field) => [field, new Uint32Array(n).fill(3)])) as DocsTable['lengths'];
    return {
      categories: [],
      tags: [],
      authors: [],
      lengths,
      dateMs: Float64Array.from(dateMs),
      wallMs: Float64Array.from(wallMs),
      docCategories: Array.from({ length: n }, () => new Uint32Array()),
      docTags: Array.from({ length: n }, () => new Uint32Array()),
      docAuthor: new Int32Array(n).fill(-1),
      storedHashes: new Uint32Array(Math.ceil(n / 64)),
    };
  };

  it('keeps every date exactly: whole seconds near each other compactly, anything else (ms, a century apart) as before', () => {
    const hour = 3_600_000;
    const cases = [
      // Whole seconds, undated articles between them, offsets of +8 h and −3.5 h, a date before 1970.
      [[1_545_045_917_000, NaN, 1_538_394_650_000, -86_400_000], [1_545_045_917_000 + 8 * hour, NaN, 1_538_394_650_000 - 3.5 * hour, -86_400_000]],
      // A date with milliseconds.
      [[1_545_045_917_123, 1_538_394_650_000], [1_545_045_917_123 + 8 * hour, 1_538_394_650_000 + 8 * hour]],
      // 1880 and 2040: more seconds apart than a compact step holds.
      [[Date.UTC(1880, 0, 1), Date.UTC(2040, 0, 1)], [Date.UTC(1880, 0, 1) + 8 * hour, Date.UTC(2040, 0, 1) + 8 * hour]],
    ] as const;
    for (const [dates, walls] of cases) {
      const decoded = decodeDocsTable(encodeDocsTable(table([...dates], [...walls])));
      expect([...decoded.dateMs]).toEqual([...dates]);
      expect([...decoded.wallMs]).toEqual([...walls]);
    }
    // The compact form: about two bytes a date where the strings took about thirty.
    const days = Array.from({ length: 1000 }, (_, i) => 1_600_000_000_000 + i * 86_400_000);
    const compact = encodeDocsTable(table(days, days.map((ms) => ms + 8 * hour))).length;
    const withMs = encodeDocsTable(table(days.map((ms) => ms + 1), days.map((ms) => ms + 1 + 8 * hour))).length;
    expect(withMs - compact).toBeGreaterThan(20_000);
  });
});

describe('static export of articles without a page of their own', () => {
  it('writes a page for an article whose file name is too long to take .html (a hash of its id names it)', async () => {
    const corpus = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-static-long-'));
    // 84 Chinese characters + .md: 255 bytes, the longest name the file system takes; + .html would not fit.
    const long = `${'长'.repeat(84)}.md`;
    writeFileSync(path.join(corpus, long), '---\ntitle: 名字很长的文章\n---\n\n正文提到 zhlongname。\n');
    writeFileSync(path.join(corpus, '短.md'), '---\ntitle: 短文章\n---\n\n正文也提到 zhlongname。\n');
    const exported = await exportArticles(corpus);
    try {
      const { backend } = await openExported(exported.outDir);
      const hits = (await backend.search({ q: 'zhlongname' })).hits;
      const byTitle = new Map(hits.map((hit) => [hit.title, hit.url]));
      expect(byTitle.get('短文章')).toBe(`zhsearch/articles/${encodeURIComponent('短.md')}.html`);
      expect(byTitle.get('名字很长的文章')).toMatch(/^zhsearch\/articles\/[0-9a-f]{16}\.html$/);
      for (const url of byTitle.values()) expect(existsSync(path.join(exported.outDir, decodeURIComponent(url))), url).toBe(true);
    } finally {
      await rm(exported.tmp, { recursive: true, force: true });
      await rm(corpus, { recursive: true, force: true });
    }
  });
});
