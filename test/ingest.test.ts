import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  articleUrl,
  formatInZone,
  listCorpusFiles,
  loadCorpus,
  parseArticle,
  PLAIN_SITE,
  readArticle,
  checkBaseUrl,
  type Article,
  type IngestResult,
} from '../src/ingest/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const articlesRoot = path.resolve(repoRoot, '../shared/corpus/articles');
const fixturesRoot = path.join(repoRoot, 'test/fixtures/ingest/corpus');

async function collect(results: AsyncIterable<IngestResult>): Promise<IngestResult[]> {
  const all: IngestResult[] = [];
  for await (const result of results) all.push(result);
  return all;
}

/** Counts `.md` files the plain way, independently of listCorpusFiles. */
async function countMarkdownFiles(dir: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) count += await countMarkdownFiles(path.join(dir, entry.name));
    else if (entry.name.endsWith('.md')) count += 1;
  }
  return count;
}

function parseFixture(name: string, maxBytes?: number): IngestResult {
  return parseArticle(name, readFileSync(path.join(fixturesRoot, name)), { maxBytes });
}

function okArticle(result: IngestResult): Article {
  if (!result.ok) throw new Error(`expected an article, got error: ${result.error.reason}`);
  return result.article;
}

describe('real corpus (../shared/corpus/articles)', () => {
  let results: IngestResult[];
  let byId: Map<string, Article>;

  beforeAll(async () => {
    results = await collect(loadCorpus(articlesRoot));
    byId = new Map(results.filter((r) => r.ok).map((r) => [r.article.id, r.article]));
  });

  it('loads every .md file as an article, with no errors, but the hidden `.md`, which is not published', async () => {
    const expected = await countMarkdownFiles(articlesRoot);
    expect(expected).toBe(313);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, notPublished: { id: '社交媒体/简书/首页/.md', reason: '名称以 . 开头，是隐藏文件（--include-hidden 可索引）' } },
    ]);
    expect(byId.size).toBe(expected - 1);
  });

  it('lists files in code-unit order with ids relative to the root, names starting with a space included', async () => {
    const { files, errors, notPublished } = await listCorpusFiles(articlesRoot);
    expect(errors).toEqual([]);
    const ids = files.map((f) => f.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).not.toContain('社交媒体/简书/首页/.md');
    expect(notPublished.map((n) => n.id)).toEqual(['社交媒体/简书/首页/.md']);
    expect((await listCorpusFiles(articlesRoot, { includeHidden: true })).files).toHaveLength(313);
    expect(ids.filter((id) => id.endsWith('/ .md'))).toEqual([
      '游戏/GameRes 游资网/热点推荐/ .md',
      '编程/开源中国/资讯/ .md',
      '金融/证券时报网/快讯/ .md',
    ]);
    expect(ids).not.toContain('MANIFEST.tsv');
    expect(results.flatMap((r) => (r.ok ? [r.article.id] : 'error' in r ? [r.error.id] : []))).toEqual(ids);
  });

  const cases: Array<{ id: string; title: string; date: string | null; categories: string[]; author: string }> = [
    {
      id: '新媒体/人人都是产品经理/最新文章/产业互联网正驶向深蓝.md',
      title: '产业互联网正驶向深蓝',
      date: '2021-09-15T08:00:00+08:00',
      categories: ['新媒体 › 人人都是产品经理 › 最新文章'],
      author: '人人都是产品经理',
    },
    {
      // `date: 2022-03-06 15:09:14` has no zone: read as China Standard Time (UTC+8)
      id: '社交媒体/知乎/知乎日报/CPU 为什么很少会坏？.md',
      title: 'CPU 为什么很少会坏？',
      date: '2022-03-06T15:09:14+08:00',
      categories: ['社交媒体 › 知乎 › 知乎日报'],
      author: '知乎',
    },
    {
      id: '游戏/游戏时光/游戏时光新闻/1月份Twitch观看时长超20亿小时，《英雄联盟》最热门.md',
      title: '1月份Twitch观看时长超20亿小时，《英雄联盟》最热门',
      date: '2022-02-24T11:14:46+08:00',
      categories: ['游戏 › 游戏时光 › 游戏时光新闻'],
      author: '游戏时光',
    },
    {
      id: '编程/掘金/分类/16px 或更大的字体大小可以避免 iOS 的表单缩放问题.md',
      title: '16px 或更大的字体大小可以避免 iOS 的表单缩放问题',
      date: '2021-05-24T11:21:56+08:00',
      categories: ['编程 › 掘金 › 分类'],
      author: '掘金',
    },
    {
      id: '金融/每经网/重磅原创/10人被查，9人被处分…….md',
      title: '10人被查，9人被处分……',
      date: null,
      categories: ['金融 › 每经网 › 重磅原创'],
      author: '每经网',
    },
    {
      id: '新媒体/机核网/分类/2021年，苹果终于要开始提供无损音乐了.md',
      title: '2021年，苹果终于要开始提供无损音乐了',
      date: '2021-05-19T00:15:17+08:00',
      categories: ['新媒体 › 机核网 › 分类'],
      author: '机核网',
    },
    {
      id: '编程/Dockone/周报/Docker 大势已去，Podman 即将崛起.md',
      title: 'Docker 大势已去，Podman 即将崛起',
      date: '2022-01-09T05:09:48+08:00',
      categories: ['编程 › Dockone › 周报'],
      author: 'Dockone',
    },
  ];

  it.each(cases)('$id: exact title, ISO date, categories, clean text with paragraphs', (expected) => {
    const article = byId.get(expected.id)!;
    expect(article).toBeDefined();
    expect({
      title: article.title,
      date: article.date,
      categories: article.categories,
      author: article.author,
    }).toEqual({ title: expected.title, date: expected.date, categories: expected.categories, author: expected.author });
    expect(article.url).toBe(articleUrl(expected.id));
    expect(article.text).not.toMatch(/<\/?[a-z][a-z0-9]*[\s>/]/i); // no tags
    expect(article.text).not.toMatch(/\d\.\d+,\d+\.\d+ [CL]\d/); // no svg path data
    expect(article.text).not.toMatch(/赞赏|给作者打赏/);
    expect(article.text).not.toMatch(/&(?:amp|lt|gt|nbsp|#\d+);/); // entities decoded
    expect(article.text.split('\n\n').length).toBeGreaterThan(3);
    expect(article.text).not.toMatch(/\n{3}|^\s|\s$/);
    expect(article.text).toContain(article.summary.replace(/…$/, ''));
  });

  it('人人都是产品经理: drops the tip-jar widget and its svg, keeps headings as their own field', () => {
    const article = byId.get(cases[0]!.id)!;
    expect(article.headings).toEqual([
      '一、流量之外，产业互联网正驶向蓝海',
      '二、深水区里，产业互联网的新可能',
      '三、结语',
      '#专栏作家#',
    ]);
    expect(article.summary).toBe(
      '编辑导语：产业互联网的提出并不只代表了改造对象的转移，产业互联网更注重“产业”二字，这意味着流量不再是产业互联网的终极追求。那么，未来产业互联网有哪些可能的发展趋势？本篇文章里，作者就产业互联网的发展做了阐述，一起来看一下。',
    );
    expect(article.text).toContain('\n\n三、结语\n\n当产业互联网开始告别流量，');
    expect(article.text.endsWith('本文原创发布于人人都是产品经理，未经许可，禁止转载\n\n题图来自Unsplash，基于CC0协议')).toBe(true);
    expect(article.warnings).toEqual([]);
  });

  it('知乎日报: drops the hidden 查看知乎原文 link, keeps the visible 查看知乎讨论 link text', () => {
    const article = byId.get(cases[1]!.id)!;
    expect(article.text).not.toContain('查看知乎原文');
    expect(article.text.endsWith('\n\n查看知乎讨论')).toBe(true);
    expect(article.frontMatter.date).toBe('2022-03-06 15:09:14');
  });

  it('游戏时光: U+3000 paragraph indents are removed', () => {
    const article = byId.get(cases[2]!.id)!;
    expect(article.text).not.toContain('\u3000');
    expect(article.text).toMatch(/\n\n具体到各款游戏，《英雄联盟》以 1\.7/);
  });

  it('掘金: the inline <style> block (with &#123; braces) leaves no CSS in the text', () => {
    const article = byId.get(cases[3]!.id)!;
    expect(article.text).not.toMatch(/markdown-body|word-break|[{}]/);
    expect(article.summary).toBe('原文地址：16px or Larger Text Prevents iOS Form Zoom');
  });

  it('每经网: `Invalid Date` gives a null date with a warning; commented-out markup is not text', () => {
    const article = byId.get(cases[4]!.id)!;
    expect(article.warnings).toEqual(['date：无法识别的日期 "Invalid Date"，文章没有日期']);
    expect(article.frontMatter.date).toBe('Invalid Date');
    expect(article.text).not.toContain('乐视20亿美元收购');
  });

  it('Dockone: code blocks stay as text with their line breaks', () => {
    const article = byId.get(cases[6]!.id)!;
    expect(article.text).toContain('[zz@localhost ~]$ podman run -d -p 80:80 httpd\n');
    expect(article.text).toContain("echo  'net.ipv4.ip_unprivileged_port_start=80'  >> /etc/sysctl.conf");
  });

  it('a category list holding a list (` -  - news`) is one hierarchy per item, as Hexo reads it', () => {
    const article = byId.get('二次元/Animen 动漫平台/news/《劇場版 幼女戦記》全新主視覺圖釋出，廣播劇節目也即將復活！.md')!;
    expect(article.categories).toEqual(['二次元', 'Animen 动漫平台', 'news']);
    expect(article.warnings).toEqual([]);
  });

  it("a blank title (`title: ' '`) and an empty body load with warnings", () => {
    const article = byId.get('金融/证券时报网/快讯/ .md')!;
    expect(article.title).toBe('');
    expect(article.text).toBe('');
    expect(article.warnings).toEqual([
      'body：正文为空，只按标题索引',
      'date：无法识别的日期 "Invalid Date"，文章没有日期',
      'title：front matter 中没有标题或标题为空，改用文件名',
      'title：找不到标题，标题为空',
    ]);
  });

  it('articles whose body is only whitespace are the ones warned as empty', () => {
    const empty = [...byId.values()].filter((a) => a.text === '').map((a) => a.id);
    expect(empty).toHaveLength(5);
    for (const id of empty) expect(byId.get(id)!.warnings).toContain('body：正文为空，只按标题索引');
  });
});

describe('fixtures (test/fixtures/ingest)', () => {
  it('GBK bytes are decoded as GB18030 and marked', () => {
    const article = okArticle(parseFixture('gbk.md'));
    expect(article.encoding).toBe('gb18030');
    expect(article.title).toBe('旧编辑器保存的文章');
    expect(article.categories).toEqual(['测试']);
    expect(article.date).toBe('2020-01-02T03:04:05+08:00');
    expect(article.text).toBe('这篇文章用 GBK 编码保存，内容是简体中文。');
    expect(article.warnings).toEqual(['encoding：不是有效的 UTF-8，已按 GB18030 解码']);
  });

  it('invalid YAML is an error with the line number in the file', () => {
    expect(parseFixture('invalid-yaml.md')).toEqual({
      ok: false,
      error: {
        id: 'invalid-yaml.md',
        reason: 'YAML 头部格式错误（第 6 行第 8 列）：Nested mappings are not allowed in compact mappings',
        line: 6,
      },
    });
  });

  it('an unclosed front matter and a non-mapping front matter are errors', () => {
    const unclosed = parseArticle('a.md', new TextEncoder().encode('\n---\ntitle: x\n\nbody\n'));
    expect(unclosed).toEqual({
      ok: false,
      error: { id: 'a.md', reason: "YAML 头部格式错误（第 2 行）：开头的 '---' 没有对应的结束行 '---'", line: 2 },
    });
    const list = parseArticle('b.md', new TextEncoder().encode('---\n- a\n- b\n---\nbody\n'));
    expect(list).toEqual({
      ok: false,
      error: { id: 'b.md', reason: 'YAML 头部格式错误（第 2 行）：应为“键: 值”形式的字段，实际是列表', line: 2 },
    });
  });

  it('binary bytes are rejected with a reason', () => {
    expect(parseFixture('binary.md')).toEqual({
      ok: false,
      error: { id: 'binary.md', reason: '二进制文件：第 8 字节是 NUL' },
    });
    const utf16 = parseArticle('u.md', new Uint8Array([0xff, 0xfe, 0x41, 0x00]));
    expect(utf16).toEqual({
      ok: false,
      error: { id: 'u.md', reason: '不支持 UTF-16 编码的文本：请把文件另存为 UTF-8' },
    });
  });

  it('a file over maxBytes is rejected before it is read', async () => {
    expect(parseFixture('oversize.md', 1000)).toEqual({
      ok: false,
      error: { id: 'oversize.md', reason: '文件有 2512 字节，超过大小上限 1000 字节（maxBytes）' },
    });
    const file = { id: 'oversize.md', path: path.join(fixturesRoot, 'oversize.md'), bytes: 2512 };
    expect(await readArticle(file, { maxBytes: 1000 })).toEqual({
      ok: false,
      error: { id: 'oversize.md', reason: '文件有 2512 字节，超过大小上限 1000 字节（maxBytes）' },
    });
    expect(okArticle(await readArticle(file)).title).toBe('很长的文章');
  });

  it('an unreadable file is an error, not a crash', async () => {
    const result = await readArticle({ id: 'gone.md', path: path.join(fixturesRoot, 'gone.md'), bytes: 1 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.reason).toMatch(/^无法读取文件：文件不存在（读取时已被删除或改名）（ENOENT）$/);
  });

  it('an empty body gives an article with its title and a warning', () => {
    const article = okArticle(parseFixture('empty-body.md'));
    expect(article.title).toBe('只有标题');
    expect(article.text).toBe('');
    expect(article.summary).toBe('');
    expect(article.date).toBe('2021-09-15T08:00:00+08:00');
    expect(article.warnings).toEqual(['body：正文为空，只按标题索引']);
  });

  it('no front matter: title from the first heading, else from the file name', () => {
    const withHeading = okArticle(parseFixture('no-front-matter.md'));
    expect(withHeading.title).toBe('没有前言的笔记');
    expect(withHeading.headings).toEqual(['没有前言的笔记', '小节']);
    expect(withHeading.text).toBe('没有前言的笔记\n\n第一段：标题来自第一个标题行。\n\n小节\n\n第二段。');
    expect(withHeading.summary).toBe('第一段：标题来自第一个标题行。');
    expect(withHeading.frontMatter).toEqual({});
    expect(withHeading.warnings).toEqual([]);

    const plain = okArticle(parseFixture('plain note.md'));
    expect(plain.title).toBe('plain note');
    expect(plain.url).toBe('/articles/plain%20note.md');
  });

  it('a leading BOM is dropped; ISO dates with a zone keep it; a single tag string becomes a list', () => {
    const article = okArticle(parseFixture('bom.md'));
    expect(article.encoding).toBe('utf-8');
    expect(article.title).toBe('带 BOM 的文件');
    expect(article.date).toBe('2021-10-28T14:08:07+08:00');
    expect(article.tags).toEqual(['单个标签']);
    expect(article.text).toBe('正文第一段。');
  });

  it('Markdown body: text, headings, code, permalink, cleaned lists, JSON-safe unknown fields', () => {
    const article = okArticle(parseFixture('hexo.md'));
    expect(article).toMatchObject({
      title: '123',
      date: '2022-07-09T00:00:00+08:00',
      author: '小明',
      categories: ['技术', '嵌套分类', '2022'],
      tags: ['搜索', '中文'],
      url: '/2022/07/09/hexo-post/',
      headings: ['用 Markdown 写的文章'],
      summary: 'Hexo 标签插件按原样保留。',
    });
    expect(article.text).toBe(
      [
        'Hexo 标签插件按原样保留。',
        '用 Markdown 写的文章',
        '这是 第一段，换行后接着写。Markdown 粗体和 行内代码 都变成纯文本。',
        'if (a < b) { console.log("<不是标签>"); }',
        '列表一',
        '列表二',
      ].join('\n\n'),
    );
    expect(article.warnings).toEqual([
      'updated：无法识别的日期 "Invalid Date"，文章没有日期',
      'categories[2]：空项 null 已忽略',
    ]);
    expect(article.frontMatter.extra).toEqual({ score: 'Infinity' });
    expect(article.frontMatter.updated).toBe('Invalid Date');
    expect(JSON.parse(JSON.stringify(article))).toEqual(article);
    expect(article.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(article.bytes).toBe(671);
  });

  it('HTML document: <title>, entities, dropped script/style/svg/form/iframe/hidden, <br> and cells', () => {
    const article = okArticle(parseFixture('子目录/page.html'));
    expect(article.title).toBe('一个 HTML 页面');
    expect(article.headings).toEqual(['页面标题']);
    expect(article.text).toBe(
      [
        '页面标题',
        '第一段用全角空格缩进，& 实体 <会被> 解码，{花括号}。',
        '第二段',
        '换行后的第三段',
        '单元格一 单元格二',
        '第一行\n  缩进的第二行',
      ].join('\n\n'),
    );
    expect(article.url).toBe('/articles/%E5%AD%90%E7%9B%AE%E5%BD%95/page.html');
  });

  it('dates on the day of a zone change keep the offset of their own instant (Berlin, spring and autumn 2023; Lord Howe half-hour)', () => {
    expect(formatInZone(Date.UTC(2023, 2, 26, 0, 59, 59), 'Europe/Berlin')).toBe('2023-03-26T01:59:59+01:00');
    expect(formatInZone(Date.UTC(2023, 2, 26, 1, 0, 0), 'Europe/Berlin')).toBe('2023-03-26T03:00:00+02:00');
    expect(formatInZone(Date.UTC(2023, 2, 26, 12, 0, 0), 'Europe/Berlin')).toBe('2023-03-26T14:00:00+02:00');
    expect(formatInZone(Date.UTC(2023, 9, 29, 0, 59, 59), 'Europe/Berlin')).toBe('2023-10-29T02:59:59+02:00');
    expect(formatInZone(Date.UTC(2023, 9, 29, 1, 0, 0), 'Europe/Berlin')).toBe('2023-10-29T02:00:00+01:00');
    // Lord Howe moves by 30 minutes (+11:00 in summer, +10:30 in winter): 2023-04-02 at 2:00 local, 15:00 UTC the day before.
    expect(formatInZone(Date.UTC(2023, 3, 1, 14, 59, 59), 'Australia/Lord_Howe')).toBe('2023-04-02T01:59:59+11:00');
    expect(formatInZone(Date.UTC(2023, 3, 1, 15, 0, 0), 'Australia/Lord_Howe')).toBe('2023-04-02T01:30:00+10:30');
    // Shanghai's local mean time before 1901 (+08:05:43), shown with the offset in whole minutes.
    expect(formatInZone(Date.UTC(1900, 0, 1, 0, 0, 0), 'Asia/Shanghai')).toBe('1900-01-01T08:06:00+08:06');
  });

  it('HTML code blocks: <br> is one line break (none more when the source line ends after it), dropped elements and comments inside', () => {
    const html = [
      '<html><head><title>代码 &amp; 换行</title></head><body>',
      '<pre>第一行<br>第二行<br>\n第三行<br><!-- 注释 -->第四行<script>x()</script><br><span>第五行</span><br></pre>',
      '<div hidden>隐藏</div><pre><code>  a<br/>  b</code></pre><p>段落</p>',
      '</body></html>',
    ].join('');
    const article = okArticle(parseArticle('代码.html', Buffer.from(html)));
    expect(article.title).toBe('代码 & 换行');
    expect(article.text).toBe(['第一行\n第二行\n第三行\n第四行\n第五行', 'a\nb', '段落'].join('\n\n'));
  });

  it('lists the fixture folder: article files only, sorted, the hidden .md listed as not published', async () => {
    const { files, errors, notPublished } = await listCorpusFiles(fixturesRoot);
    expect(errors).toEqual([]);
    expect(notPublished).toEqual([{ id: '.md', reason: '名称以 . 开头，是隐藏文件（--include-hidden 可索引）' }]);
    expect(files.map((f) => f.id)).toEqual([
      'binary.md',
      'bom.md',
      'empty-body.md',
      'gbk.md',
      'hexo.md',
      'invalid-yaml.md',
      'no-front-matter.md',
      'oversize.md',
      'plain note.md',
      '子目录/page.html',
    ]);
    expect(files.find((f) => f.id === 'oversize.md')!.bytes).toBe(2512);
  });

  it('loadCorpus over the fixtures: every good file loads, every bad one is reported', async () => {
    const results = await collect(loadCorpus(fixturesRoot, { maxBytes: 1000 }));
    expect(results.flatMap((r) => ('error' in r ? [r.error.id] : []))).toEqual(['binary.md', 'invalid-yaml.md', 'oversize.md']);
    expect(results.flatMap((r) => ('notPublished' in r ? [r.notPublished.id] : []))).toEqual(['.md']);
    expect(results.filter((r) => r.ok)).toHaveLength(7);
  });
});

describe('sample corpus shipped in corpus/', () => {
  it('loads every sample article with front matter, headings and no warnings', async () => {
    const results = await collect(loadCorpus(path.join(repoRoot, 'corpus')));
    const articles = results.map(okArticle);
    expect(articles.length).toBeGreaterThanOrEqual(6);
    for (const article of articles) {
      expect(article.warnings).toEqual([]);
      expect(article.title).not.toBe('');
      expect(article.date).toMatch(/^2026-11-\d\dT/);
      expect(article.categories.length).toBeGreaterThan(0);
      expect(article.text).not.toMatch(/<\/?[a-z][a-z0-9]*[\s>/]/i);
    }
    const guide = articles.find((a) => a.id === '索引自己的博客.md')!;
    expect(guide.title).toBe('zhsearch 使用指南（三）：索引自己的博客');
    expect(guide.date).toBe('2026-11-20T09:20:00+08:00');
    expect(guide.headings).toEqual(['会读取哪些文件', '前言字段', '出问题的文件']);
  });
});

describe('robustness', () => {
  it('CRLF line ends read like LF, and YAML errors keep their file line', () => {
    const crlf = okArticle(parseArticle('c.md', new TextEncoder().encode('\r\n---\r\ntitle: 换行\r\n---\r\n第一段\r\n\r\n第二段\r\n')));
    expect([crlf.title, crlf.text]).toEqual(['换行', '第一段\n\n第二段']);
    const bad = parseArticle('d.md', new TextEncoder().encode('---\r\ntitle: a\r\ntags: [x\r\n---\r\n'));
    expect(bad).toEqual({
      ok: false,
      error: {
        id: 'd.md',
        reason: 'YAML 头部格式错误（第 3 行）：Flow sequence in block collection must be sufficiently indented and end with a ]',
        line: 3,
      },
    });
  });

  it('summary: the first paragraph, cut to 200 code points with an ellipsis', () => {
    const summaryOf = (body: string): string =>
      okArticle(parseArticle('s.md', new TextEncoder().encode(`---\ntitle: t\n---\n${body}`))).summary;
    expect(summaryOf('短段落。\n\n第二段。')).toBe('短段落。');
    expect(summaryOf('字'.repeat(200))).toBe('字'.repeat(200));
    expect(summaryOf('字'.repeat(201))).toBe('字'.repeat(199) + '…');
    expect(summaryOf('😀'.repeat(200))).toBe('😀'.repeat(200));
    expect(summaryOf('😀'.repeat(300))).toBe('😀'.repeat(199) + '…');
    expect(summaryOf('## 标题\n\n正文')).toBe('正文');
  });

  it('Markdown: HTML nested by indentation is markup, not an indented code block', () => {
    const body = '解释：\n\n<ul>\n\t<li>甲：\n\n    <ul>\n    \t<li>乙&nbsp;丙</li>\n    </ul>\n    </li>\n</ul>\n';
    const article = okArticle(parseArticle('i.md', new TextEncoder().encode(`---\ntitle: t\n---\n${body}`)));
    expect(article.text).toBe('解释：\n\n甲：\n\n乙 丙');
  });

  it('a parser failure on a hostile body is an error, not a crash', () => {
    const nested = parseArticle('q.md', new TextEncoder().encode(`---\ntitle: t\n---\n${'>'.repeat(20_000)} x`));
    expect(nested).toEqual({
      ok: false,
      error: { id: 'q.md', reason: '无法解析文件：Maximum call stack size exceeded' },
    });
    const deepHtml = `<div>${'<span>'.repeat(5_000)}深${'</span>'.repeat(5_000)}</div>`;
    expect(okArticle(parseArticle('h.html', new TextEncoder().encode(deepHtml))).text).toBe('深');
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const result = parseArticle('x.md', bytes);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('text never has tags of the input, blank-line runs or outer whitespace, whatever the markup', () => {
    const piece = fc.oneof(
      fc.constantFrom('<p>', '</p>', '<div>', '</div>', '<br>', '<h2>', '</h2>', '<pre>', '</pre>', '<svg><path d="M1,1"/></svg>'),
      fc.constantFrom('\n', '\n\n', '  ', '\u3000', '&amp;', '# ', '- ', '`', '**', '中文', 'word', '，'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.boolean(), (pieces, asHtml) => {
        const body = (asHtml ? '<div>' : '') + pieces.join('') + (asHtml ? '</div>' : '');
        const article = okArticle(parseArticle('p.md', new TextEncoder().encode(`---\ntitle: t\n---\n${body}`)));
        expect(article.text).not.toMatch(/\n{3}|^\s|\s$/);
        // In Markdown an indented line is a code block, whose text may show tags literally.
        if (asHtml) expect(article.text).not.toMatch(/<\/?(?:p|div|br|h2|pre|svg|path)\b|M1,1/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('dates', () => {
  const dateOf = (value: string): { date: string | null; warnings: string[] } => {
    const article = okArticle(parseArticle('d.md', new TextEncoder().encode(`---\ntitle: t\ndate: ${value}\n---\nx\n`)));
    return { date: article.date, warnings: article.warnings };
  };

  it.each([
    ['Wed, 15 Sep 2021 00:00:00 GMT', '2021-09-15T08:00:00+08:00'],
    ['Wed, 15 Sep 2021 08:00:00 +0800', '2021-09-15T08:00:00+08:00'],
    ['Wed, 15 Sep 2021 08:00:00', '2021-09-15T08:00:00+08:00'],
    ['2021-10-28 14:08:07', '2021-10-28T14:08:07+08:00'],
    ['2021-10-28 14:08', '2021-10-28T14:08:00+08:00'],
    ['2021-10-28', '2021-10-28T00:00:00+08:00'],
    ['2021/1/5 09:00:00', '2021-01-05T09:00:00+08:00'],
    ['2021-10-28T14:08:07Z', '2021-10-28T22:08:07+08:00'],
    ['2021-10-28T14:08:07.5+02:00', '2021-10-28T20:08:07+08:00'],
  ])('%s → %s', (value, iso) => {
    expect(dateOf(value)).toEqual({ date: iso, warnings: [] });
  });

  it.each([
    ['Invalid Date', 'date：无法识别的日期 "Invalid Date"，文章没有日期'],
    ['2021-02-30 10:00:00', 'date：日期无效 "2021-02-30 10:00:00"，文章没有日期'],
    ['yesterday', 'date：无法识别的日期 "yesterday"，文章没有日期'],
    ['20211028', 'date：应为日期字符串，实际是 20211028，文章没有日期'],
  ])('%s → null with a warning', (value, warning) => {
    expect(dateOf(value)).toEqual({ date: null, warnings: [warning] });
  });
});

describe('symbolic links', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'zhsearch-ingest-'));
    const root = path.join(tmp, 'corpus');
    await mkdir(path.join(root, 'posts'), { recursive: true });
    await writeFile(path.join(root, 'posts', 'a.md'), '---\ntitle: 甲\n---\n正文\n');
    await writeFile(path.join(tmp, 'secret.md'), '---\ntitle: 根目录之外\n---\n不应被读取\n');
    await symlink(path.join(tmp, 'secret.md'), path.join(root, 'outside.md'));
    await symlink(tmp, path.join(root, 'outside-dir'));
    await symlink(path.join(root, 'missing.md'), path.join(root, 'broken.md'));
    await symlink(path.join(root, 'posts', 'a.md'), path.join(root, 'alias.md'));
    await symlink(root, path.join(root, 'posts', 'loop'));
    for (const tooling of ['.git', 'node_modules']) {
      await mkdir(path.join(root, tooling));
      await writeFile(path.join(root, tooling, 'README.md'), '# not a post\n');
    }
  });

  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('follows links inside the root only; broken, escaping and looping links are errors; skips .git and node_modules', async () => {
    const root = path.join(tmp, 'corpus');
    const { files, errors } = await listCorpusFiles(root);
    // alias.md links to posts/a.md: one article, listed once under its own place, the link named.
    expect(files.map((f) => f.id)).toEqual(['posts/a.md']);
    expect(errors).toEqual([
      { id: 'alias.md', reason: '与 posts/a.md 是同一个文件（经符号链接），只索引一次' },
      { id: 'broken.md', reason: `符号链接指向的 ${path.join(root, 'missing.md')} 不存在` },
      { id: 'outside-dir', reason: `符号链接指向文章目录之外的 ${tmp}，未跟随` },
      {
        id: 'outside.md',
        reason: `符号链接指向文章目录之外的 ${path.join(tmp, 'secret.md')}，未跟随`,
      },
      {
        id: 'posts/loop',
        reason: `符号链接指向包含它的文件夹 ${root}（循环），未跟随`,
      },
    ]);
    const results = await collect(loadCorpus(root));
    expect(results.map((r) => (r.ok ? `article ${r.article.id}` : `error ${r.error.id}`))).toEqual([
      'error alias.md',
      'error broken.md',
      'error outside-dir',
      'error outside.md',
      'error posts/loop',
      'article posts/a.md',
    ]);
  });

  it('a missing corpus folder, or a file given as one, throws with its name', async () => {
    await expect(listCorpusFiles(path.join(tmp, 'nope'))).rejects.toThrow(
      `corpus folder ${path.join(tmp, 'nope')} cannot be opened: ENOENT`,
    );
    await expect(listCorpusFiles(path.join(tmp, 'secret.md'))).rejects.toThrow(
      `corpus folder ${path.join(tmp, 'secret.md')} is not a folder`,
    );
  });
});

describe('names and links that used to lose or double an article', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'zhsearch-names-'));
    await mkdir(path.join(root, 'posts'));
    await writeFile(path.join(root, 'posts', 'a.md'), '---\ntitle: 甲\n---\n正文\n');
    await symlink(path.join(root, 'posts'), path.join(root, 'mirror'));
    await symlink(path.join(root, 'self.md'), path.join(root, 'self.md'));
    // 中文.md saved by a GBK system, and a name whose bytes are no text in any encoding.
    writeFileSync(Buffer.concat([Buffer.from(root + '/'), Buffer.from([0xd6, 0xd0, 0xce, 0xc4]), Buffer.from('.md')]), '# 国标文件名\n\n正文一\n');
    writeFileSync(Buffer.concat([Buffer.from(root + '/'), Buffer.from([0x80, 0xff]), Buffer.from('.md')]), '# 乱码文件名\n\n正文二\n');
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('lists a folder reached twice once, names every left-out file, and reads names that are not UTF-8', async () => {
    const { files, errors } = await listCorpusFiles(root);
    expect(files.map((f) => f.id)).toEqual(['posts/a.md', '中文.md', '\ufffd\ufffd.md']);
    expect(errors).toEqual([
      { id: 'mirror/a.md', reason: '与 posts/a.md 是同一个文件（经符号链接），只索引一次' },
      { id: 'self.md', reason: `符号链接 ${path.join(root, 'self.md')} 指向自身（循环），未跟随` },
    ]);
    const articles = (await collect(loadCorpus(root))).flatMap((r) => (r.ok ? [r.article] : []));
    expect(articles.map((a) => [a.id, a.title, a.text, a.warnings])).toEqual([
      ['posts/a.md', '甲', '正文', []],
      ['中文.md', '国标文件名', '国标文件名\n\n正文一', ['文件名：不是有效的 UTF-8，已按 GB18030 读作“中文.md”']],
      ['\ufffd\ufffd.md', '乱码文件名', '乱码文件名\n\n正文二', ['文件名：不是有效的 UTF-8，无法识别的字节显示为 �']],
    ]);
  });
});

describe('articleUrl', () => {
  it('percent-encodes each id segment and keeps the slashes', () => {
    expect(articleUrl('新媒体/36kr/资讯/00后涌向中厂.md')).toBe(
      '/articles/%E6%96%B0%E5%AA%92%E4%BD%93/36kr/%E8%B5%84%E8%AE%AF/00%E5%90%8E%E6%B6%8C%E5%90%91%E4%B8%AD%E5%8E%82.md',
    );
    expect(articleUrl('a/ .md')).toBe('/articles/a/%20.md');
    expect(articleUrl('x/100%原厂 & #1?.md')).toBe('/articles/x/100%25%E5%8E%9F%E5%8E%82%20%26%20%231%3F.md');
  });
});

describe('links of a plain corpus', () => {
  const urlOf = (frontMatter: string, site = PLAIN_SITE): { url: string; warnings: string[] } => {
    const article = okArticle(parseArticle('子目录/文章.md', new TextEncoder().encode(`---\ntitle: t\n${frontMatter}\n---\nx\n`), { site }));
    return { url: article.url, warnings: article.warnings };
  };

  it('keeps http(s) and site paths, drops any other scheme with a warning', () => {
    expect(urlOf('url: https://example.org/a')).toEqual({ url: 'https://example.org/a', warnings: [] });
    expect(urlOf('permalink: /2022/07/09/post/')).toEqual({ url: '/2022/07/09/post/', warnings: [] });
    const own = '/articles/%E5%AD%90%E7%9B%AE%E5%BD%95/%E6%96%87%E7%AB%A0.md';
    expect(urlOf('permalink: "javascript:alert(1)"')).toEqual({
      url: own,
      warnings: ['url：链接 "javascript:alert(1)" 既不是 http(s) 也不是站内路径，已忽略'],
    });
    expect(urlOf('url: //evil.example/x').url).toBe(own);
    expect(urlOf('url: "data:text/html,<b>x</b>"').url).toBe(own);
    // A relative permalink belongs to a site zhsearch does not know: its own page instead.
    expect(urlOf('permalink: guides/k8s-notes/')).toEqual({ url: own, warnings: [] });
  });

  it('--base-url puts site paths and zhsearch pages under a public prefix', () => {
    const site = { ...PLAIN_SITE, baseUrl: checkBaseUrl('https://blog.example.com/search') };
    expect(site.baseUrl).toBe('https://blog.example.com/search/');
    expect(urlOf('', site).url).toBe('https://blog.example.com/search/articles/%E5%AD%90%E7%9B%AE%E5%BD%95/%E6%96%87%E7%AB%A0.md');
    expect(urlOf('permalink: guides/k8s-notes/', site).url).toBe('https://blog.example.com/search/guides/k8s-notes/');
    expect(() => checkBaseUrl('javascript:alert(1)')).toThrow('--base-url javascript:alert(1)：应为 http(s) 地址（https://blog.example.com/）或以 / 开头的路径');
  });

  it('reads dates in the given time zone, and tag-plugin arguments as text', () => {
    const site = { ...PLAIN_SITE, timeZone: 'Europe/Berlin' };
    const article = okArticle(
      parseArticle('a.md', new TextEncoder().encode('---\ntitle: t\ndate: 2022-07-01 07:30:00\n---\n{% link 官方文档 https://hexo.io/docs/ %} {% codeblock lang:js %}x{% endcodeblock %}\n'), { site }),
    );
    expect(article.date).toBe('2022-07-01T07:30:00+02:00');
    expect(article.text).toBe('官方文档 x');
  });
});
