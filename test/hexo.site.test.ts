/**
 * A real Hexo 8 site (hexo, its renderers, generators and the landscape theme from node_modules) with real posts
 * from ../shared/corpus/articles plus posts written here; `hexo generate`, then `zhsearch reindex` of its
 * source/_posts. Every hit links to a page Hexo generated; unpublished posts are nowhere; dates follow the site's
 * time zone; excerpts, category paths and tag-plugin arguments are searchable.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Hexo from 'hexo';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzer } from '../src/analysis/index.js';
import type { ReindexSummary } from '../src/cli/reindex-summary.js';
import { openIndex } from '../src/index/index.js';
import { createSearchService, embeddedBackend, type SearchService } from '../src/search/index.js';
import type { SearchHit } from '../src/search/types.js';
import { createApp } from '../src/server/index.js';
import { articlesDir, repoRoot, runCli } from './fixtures/cli/run-cli.js';

/** Real posts copied into the site: three folders of the corpus (59 posts). */
const REAL_FOLDERS = ['编程', '游戏/游戏时光', '新媒体/人人都是产品经理'];

const OWN_POSTS: Record<string, string> = {
  'guides/k8s.md': `---
title: Kubernetes 笔记
date: 2021-06-01 10:00:00
permalink: guides/k8s-notes/
categories: [编程, 运维, 笔记]
tags: [k8s]
---
集群里的 zzfixedlinkzz 节点。
`,
  '运维手记.md': `---
title: 凌晨的运维手记
date: 2022-03-01 07:30:00
updated: 2022-03-02 21:15:00
excerpt: 只在摘要里出现的 zzexcerptzz 一词
categories:
  - [编程, 运维, 笔记]
  - [生活, 随笔]
tags: [运维]
---
{% blockquote 老王, 运维手记 %}
凌晨三点的告警最难忘。
{% endblockquote %}

正文讲值班的故事。
`,
  '元宇宙草稿.md': `---
title: 元宇宙的未来（未完成）
date: 2022-05-01 12:00:00
published: false
tags: [元宇宙]
---
元宇宙 元宇宙 zzunpublishedzz 还没写完。
`,
  '_partial.md': `---
title: 片段
date: 2022-05-02 12:00:00
---
zzpartialzz 模板片段。
`,
  '_私有/笔记.md': `---
title: 私有笔记
date: 2022-05-03 12:00:00
---
zzprivatezz 私有文件夹。
`,
};

const DRAFT = `---
title: 草稿里的文章
date: 2022-05-04 12:00:00
---
zzdraftzz 草稿正文。
`;

const CONFIG = `title: 测试博客
language: zh-CN
timezone: Asia/Shanghai
url: http://blog.example.com
root: /
permalink: :year/:month/:day/:title/
new_post_name: :title.md
theme: landscape
`;

let work: string;
let site: string;
let summary: ReindexSummary;
let service: SearchService;
let app: ReturnType<typeof createApp>;
/** Hexo's own link of each published post (url_for(post.path)), by file path under _posts. */
let hexoUrls: Record<string, string>;

function realPosts(): string[] {
  const ids: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
      // Hexo skips names with % (temporary files) and hidden names; keep the copy to what Hexo publishes.
      else if (entry.name.endsWith('.md') && !entry.name.includes('%') && !/^[._]/.test(entry.name)) ids.push(prefix + entry.name);
    }
  };
  for (const folder of REAL_FOLDERS) walk(path.join(articlesDir, folder), `${folder}/`);
  return ids.sort();
}

/** The file Hexo wrote for a site-relative URL (`/2021/09/15/x/` → public/2021/09/15/x/index.html). */
function publicFile(url: string): string {
  const decoded = decodeURIComponent(new URL(url, 'http://blog.example.com').pathname);
  return path.join(site, 'public', decoded.endsWith('/') ? `${decoded}index.html` : decoded);
}

async function allHits(q: string, extra: Record<string, string> = {}): Promise<SearchHit[]> {
  const res = await request(app).get('/api/search').query({ q, size: '100', ...extra });
  expect(res.status).toBe(200);
  return res.body.hits as SearchHit[];
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-hexo-'));
  site = path.join(work, 'blog');
  const posts = path.join(site, 'source', '_posts');
  mkdirSync(posts, { recursive: true });
  mkdirSync(path.join(site, 'source', '_drafts'));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(site, 'node_modules'), 'dir');
  writeFileSync(
    path.join(site, 'package.json'),
    JSON.stringify({
      name: 'blog',
      version: '0.0.0',
      private: true,
      hexo: { version: '8.1.2' },
      dependencies: {
        hexo: '^8.0.0',
        'hexo-generator-archive': '*',
        'hexo-generator-category': '*',
        'hexo-generator-index': '*',
        'hexo-generator-tag': '*',
        'hexo-renderer-ejs': '*',
        'hexo-renderer-marked': '*',
        'hexo-theme-landscape': '*',
      },
    }),
  );
  writeFileSync(path.join(site, '_config.yml'), CONFIG);
  for (const id of realPosts()) {
    mkdirSync(path.dirname(path.join(posts, id)), { recursive: true });
    cpSync(path.join(articlesDir, id), path.join(posts, id));
  }
  for (const [id, text] of Object.entries(OWN_POSTS)) {
    mkdirSync(path.dirname(path.join(posts, id)), { recursive: true });
    writeFileSync(path.join(posts, id), text);
  }
  writeFileSync(path.join(site, 'source', '_drafts', '草稿.md'), DRAFT);

  const hexo = new Hexo(site, { silent: true });
  await hexo.init();
  await hexo.call('generate', {});
  const urlFor = hexo.extend.helper.get('url_for').bind(hexo);
  hexoUrls = Object.fromEntries(
    hexo.locals
      .get('posts')
      .map((post: { source: string; path: string }) => [post.source.replace(/^_posts\//, ''), urlFor(post.path)]),
  );
  await hexo.exit();

  const index = path.join(work, 'index');
  const run = await runCli(['reindex', '--corpus', posts, '--index', index, '--json'], work);
  expect(run.code).toBe(0);
  summary = JSON.parse(run.stdout) as ReindexSummary;
  service = createSearchService(await openIndex(index), createAnalyzer({ segmenter: 'node-rs' }));
  app = createApp({ getBackend: () => embeddedBackend(service), log: () => {} });
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a Hexo 8 site indexed from its source/_posts', () => {
  it('recognises the site and counts what Hexo does not publish as not published, not as errors', () => {
    const own = Object.keys(OWN_POSTS).length;
    expect(summary).toMatchObject({ status: 'written', site, timeZone: 'Asia/Shanghai', skipped: 0, notPublished: 4 });
    expect(summary.articles).toBe(realPosts().length + own - 3);
    expect(summary.notPublishedFiles).toEqual([
      { id: '_drafts/草稿.md', reason: '草稿（source/_drafts；--drafts 可索引）' },
      { id: '_partial.md', reason: '名称以 _ 或 . 开头（Hexo 不发布；--include-hidden 可索引）' },
      { id: '_私有/', reason: '名称以 _ 或 . 开头（Hexo 不发布；--include-hidden 可索引）' },
      { id: '元宇宙草稿.md', reason: 'published: false' },
    ]);
  });

  it('links every article to a page Hexo generated', async () => {
    const hits = await allHits('');
    expect(hits.length).toBeGreaterThan(50);
    expect(Object.keys(hexoUrls)).toHaveLength(summary.articles);
    const res = await request(app).get('/api/search').query({ q: '', size: '100', page: '1' });
    expect(res.body.total).toBe(summary.articles);
    for (let page = 1; page <= Math.ceil(summary.articles / 100); page++) {
      const pageHits = (await request(app).get('/api/search').query({ q: '', size: '100', page: String(page) })).body.hits as SearchHit[];
      for (const hit of pageHits) {
        expect(hit.url, hit.id).toMatch(/^\/\d{4}\/\d{2}\/\d{2}\/|^\/guides\//);
        expect(existsSync(publicFile(hit.url)), `${hit.id} → ${hit.url}`).toBe(true);
        expect(hit.url).toBe(hexoUrls[hit.id]);
      }
    }
  });

  it('a front-matter permalink is relative to the root, as Hexo publishes it', async () => {
    const [hit] = await allHits('zzfixedlinkzz');
    expect(hit!.url).toBe('/guides/k8s-notes/');
    expect(existsSync(path.join(site, 'public/guides/k8s-notes/index.html'))).toBe(true);
  });

  it('the real post 产业互联网正驶向深蓝 ranks first for 新基础设施 and links to its Hexo page', async () => {
    const [first] = await allHits('新基础设施');
    expect(first!.title).toBe('产业互联网正驶向深蓝');
    // The day is Hexo's: its date in the machine's zone (see hexoPostDate), so the page exists whatever TZ is.
    expect(decodeURI(first!.url)).toMatch(/^\/2021\/09\/1[45]\/新媒体\/人人都是产品经理\/最新文章\/产业互联网正驶向深蓝\/$/);
    expect(existsSync(publicFile(first!.url))).toBe(true);
  });

  it('unpublished posts appear nowhere: search, suggest, articles, related, topics', async () => {
    for (const word of ['zzunpublishedzz', 'zzpartialzz', 'zzprivatezz', 'zzdraftzz']) expect(await allHits(word)).toEqual([]);
    expect((await allHits('元宇宙')).map((h) => h.title)).not.toContain('元宇宙的未来（未完成）');
    const suggest = await request(app).get('/api/suggest').query({ q: '元宇宙的' });
    expect(JSON.stringify(suggest.body)).not.toContain('未完成');
    for (const id of ['元宇宙草稿.md', '_partial.md', '_私有/笔记.md', '_drafts/草稿.md']) {
      expect((await request(app).get(`/api/articles/${id.split('/').map(encodeURIComponent).join('/')}`)).status).toBe(404);
    }
    const topics = await request(app).get('/api/topics').query({ limit: '100' });
    expect(JSON.stringify(topics.body)).not.toMatch(/zzunpublishedzz|zzpartialzz|zzprivatezz|zzdraftzz/);
    const [notes] = await allHits('zzexcerptzz');
    const related = await request(app).get(`/api/related/${encodeURIComponent(notes!.id)}`).query({ limit: '50' });
    expect(JSON.stringify(related.body)).not.toContain('未完成');
  });

  it('dates keep the site time zone: 07:30 on 1 March stays on 1 March, in the year facet and date filters', async () => {
    const [notes] = await allHits('zzexcerptzz');
    expect(notes!.date).toBe('2022-03-01T07:30:00+08:00');
    expect(notes!.updated).toBe('2022-03-02T21:15:00+08:00');
    expect(existsSync(publicFile(notes!.url))).toBe(true);
    expect((await allHits('date:2022-03-01..2022-03-01')).map((h) => h.id)).toEqual(['运维手记.md']);
    expect((await allHits('', { from: '2022-03-01', to: '2022-03-01' })).map((h) => h.id)).toEqual(['运维手记.md']);
    expect(await allHits('', { from: '2022-02-28', to: '2022-02-28' })).toEqual([]);
    const article = await request(app).get(`/api/articles/${encodeURIComponent('运维手记.md')}`);
    expect(article.body).toMatchObject({ date: '2022-03-01T07:30:00+08:00', updated: '2022-03-02T21:15:00+08:00' });
  });

  it('a word only in the excerpt is found, and the excerpt is the snippet', async () => {
    const [hit] = await allHits('zzexcerptzz');
    expect(hit!.snippet).toBe('只在摘要里出现的 <mark>zzexcerptzz</mark> 一词');
  });

  it('nested categories are paths; a filter on a category includes everything under it', async () => {
    const [notes] = await allHits('zzexcerptzz');
    expect(notes!.categories).toEqual(['编程 › 运维 › 笔记', '生活 › 随笔']);
    const underOps = (await allHits('', { category: '编程 › 运维' })).map((h) => h.id).sort();
    expect(underOps).toEqual(['guides/k8s.md', '运维手记.md']);
    const programming = await allHits('', { category: '编程' });
    expect(programming.map((h) => h.id)).toEqual(expect.arrayContaining(['guides/k8s.md', '运维手记.md']));
    expect(programming.length).toBe(realPosts().filter((id) => id.startsWith('编程/')).length + 2);
    const facets = (await request(app).get('/api/search').query({ q: 'zzexcerptzz' })).body.facets.category as { value: string; count: number }[];
    expect(facets.map((f) => f.value).sort()).toEqual(['生活', '生活 › 随笔', '编程', '编程 › 运维', '编程 › 运维 › 笔记']);
  });

  it('the text arguments of a tag plugin are searchable: {% blockquote 老王, 运维手记 %}', async () => {
    expect((await allHits('老王')).map((h) => h.id)).toContain('运维手记.md');
    expect((await allHits('"运维手记"')).map((h) => h.id)).toContain('运维手记.md');
  });
});

/**
 * Other `_config.yml` settings, checked link by link against Hexo itself: the posts Hexo loads (`hexo.load()`),
 * each post's `url_for(post.path)`, equal to the url zhsearch gives the same file.
 */
describe.each([
  {
    name: 'root, new_post_name with a date, :category/:hash, category_map, filename_case, pretty_urls, a DST zone',
    config: `url: http://example.org/blog
root: /blog/
timezone: America/New_York
permalink: :category/:year/:i_month/:i_day/:name-:hash.html
new_post_name: :year-:month-:day-:title.md
filename_case: 1
default_category: misc
category_map:
  编程: code
pretty_urls:
  trailing_html: false
`,
    posts: {
      '2021-03-14-Hello World.md': '---\ntitle: Hello\n---\n无日期，用文件名的日期。\n',
      '2021-11-07-夏令时.md': '---\ntitle: 夏令时结束\ndate: 2021-11-07 01:30:00\ncategories: [编程, 运维]\n---\n正文。\n',
      'notes/2022-01-05-Deep Post.md': '---\ntitle: Deep\ndate: 2022-01-05T23:59:59Z\ncategories: [[生活, 随笔], [编程]]\n---\n正文。\n',
      '2020-02-29-闰日.md': '---\ntitle: 闰日\ndate: Sat, 29 Feb 2020 08:00:00 GMT\ncategories: 生活\n---\n正文。\n',
      '2022-06-01-fixed.md': '---\ntitle: Fixed\npermalink: about/me.html\n---\n正文。\n',
    },
  },
  {
    name: 'hexo-abbrlink links (posts/:abbrlink/), :post_title and permalink_defaults',
    config: `url: http://example.org
permalink: :lang/posts/:abbrlink/:post_title/
permalink_defaults:
  lang: zh
timezone: Asia/Shanghai
`,
    posts: {
      'a.md': '---\ntitle: Hello, World!\nabbrlink: 4a17b156\ndate: 2022-03-01 07:30:00\n---\n正文。\n',
      'b.md': '---\ntitle: 中文 标题\nabbrlink: 9c2e1f30\nlang: en\ndate: 2022-03-02\n---\n正文。\n',
    },
  },
])('permalinks like Hexo: $name', ({ config, posts }) => {
  it('every post gets the URL Hexo gives it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'zhsearch-hexo-links-'));
    try {
      const source = path.join(dir, 'source', '_posts');
      mkdirSync(source, { recursive: true });
      symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'b', private: true, hexo: { version: '8.1.2' }, dependencies: { hexo: '^8.0.0', 'hexo-renderer-marked': '*' } }));
      writeFileSync(path.join(dir, '_config.yml'), config);
      for (const [id, text] of Object.entries(posts)) {
        mkdirSync(path.dirname(path.join(source, id)), { recursive: true });
        writeFileSync(path.join(source, id), text);
      }
      const hexo = new Hexo(dir, { silent: true });
      await hexo.init();
      await hexo.load();
      const urlFor = hexo.extend.helper.get('url_for').bind(hexo);
      const expected = Object.fromEntries(
        hexo.locals.get('posts').map((post: { source: string; path: string }) => [post.source.replace(/^_posts\//, ''), urlFor(post.path)]),
      );
      await hexo.exit();
      expect(Object.keys(expected).sort()).toEqual(Object.keys(posts).sort());

      const { loadCorpus, siteSettings } = await import('../src/ingest/index.js');
      const site = siteSettings(source);
      const actual: Record<string, string> = {};
      for await (const result of loadCorpus(source, { site })) if (result.ok) actual[result.article.id] = result.article.url;
      expect(actual).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
