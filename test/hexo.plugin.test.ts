/**
 * The Hexo plugin (integrations/hexo) in a real Hexo 8 site: hexo and its plugins from this repository's
 * node_modules (linked into the site, as `npm install` would put them), the landscape theme, real posts.
 * `hexo generate` must inject the search box's <script> into every page and bring the zhsearch index of
 * source/_posts up to date, with `export` write the static search into public/; a bad option fails with a message naming it.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResult } from '../src/search/types.js';
import { DATA_DIR, openStaticSearch } from '../src/static/index.js';
import { articlesDir, cliPath, repoRoot } from './fixtures/cli/run-cli.js';

const run = promisify(execFile);
const HEXO = path.join(repoRoot, 'node_modules/hexo-cli/bin/hexo');
const SITE_PACKAGES = ['hexo', 'hexo-renderer-marked', 'hexo-renderer-ejs', 'hexo-generator-index', 'hexo-generator-archive', 'hexo-generator-category', 'hexo-generator-tag', 'hexo-theme-landscape'];
const SERVER = 'http://127.0.0.1:4001/search/';

let site: string;

function writeConfig(zhsearch: string): void {
  writeFileSync(
    path.join(site, '_config.yml'),
    `title: 我的博客
language: zh-CN
timezone: Asia/Shanghai
url: http://blog.example.com
permalink: :year/:month/:day/:title/
theme: landscape
${zhsearch}`,
  );
}

const pluginConfig = `zhsearch:
  server: ${SERVER}
  index: zhsearch-index
  cli: ${cliPath}
  box:
    target: '#search'
    facets: true
    placeholder: 搜索本站
`;

async function generate(...extra: string[]): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, [HEXO, 'generate', '--cwd', site, ...extra], { cwd: site, timeout: 180_000, env: { ...process.env, NO_COLOR: '1' } });
  return stdout + stderr;
}

async function search(q: string): Promise<SearchResult> {
  const { stdout } = await run(process.execPath, [cliPath, 'search', q, '--index', path.join(site, 'zhsearch-index'), '--corpus', path.join(site, 'source/_posts'), '--json'], { cwd: site });
  return JSON.parse(stdout) as SearchResult;
}

beforeAll(() => {
  site = mkdtempSync(path.join(tmpdir(), 'zhsearch-hexo-'));
  const modules = path.join(site, 'node_modules');
  mkdirSync(modules);
  for (const name of SITE_PACKAGES) symlinkSync(path.join(repoRoot, 'node_modules', name), path.join(modules, name), 'dir');
  // Installed from a path, as a blog would (`npm install /path/to/zhsearch/integrations/hexo`).
  symlinkSync(path.join(repoRoot, 'integrations/hexo'), path.join(modules, 'hexo-zhsearch'), 'dir');
  const dependencies = Object.fromEntries([...SITE_PACKAGES, 'hexo-zhsearch'].map((name) => [name, '*']));
  writeFileSync(path.join(site, 'package.json'), JSON.stringify({ name: 'blog', private: true, hexo: { version: '8.1.2' }, dependencies }, null, 2));
  cpSync(path.join(articlesDir, '编程'), path.join(site, 'source/_posts'), { recursive: true });
});

afterAll(() => {
  if (site) rmSync(site, { recursive: true, force: true });
});

describe('hexo-zhsearch in a Hexo 8 site', () => {
  it('hexo generate injects the box into every page and writes the index of the posts', async () => {
    writeConfig(pluginConfig);
    const output = await generate();
    expect(output).toMatch(/zhsearch：索引已更新：共 \d+ 篇，新增 \d+，改动 0，删除 0/);

    const tag = `<script src="${SERVER}embed.js" data-mode="inline" data-target="#search" data-facets="true" data-placeholder="搜索本站" defer></script>`;
    const home = readFileSync(path.join(site, 'public/index.html'), 'utf8');
    expect(home).toContain(`<!-- hexo injector body_end start -->${tag}<!-- hexo injector body_end end --></body>`);
    const post = readFileSync(path.join(site, 'public/archives/index.html'), 'utf8');
    expect(post).toContain(tag);

    expect(existsSync(path.join(site, 'zhsearch-index', 'CURRENT'))).toBe(true);
    const result = await search('Docker');
    expect(result.total).toBeGreaterThan(0);
    // Every hit links to the page Hexo generated for the post (the box's results lead to the blog's own pages).
    for (const hit of result.hits) {
      const url = new URL(hit.url, 'http://blog.example.com/');
      expect(url.origin, hit.url).toBe('http://blog.example.com');
      expect(existsSync(path.join(site, 'public', decodeURIComponent(url.pathname), 'index.html')), hit.url).toBe(true);
    }
  });

  it('a second hexo generate after editing a post updates the index incrementally', async () => {
    const posts = path.join(site, 'source/_posts');
    const first = (await search('Docker')).hits[0]!;
    appendFileSync(path.join(posts, first.id), '\n\n新增一段：zhhexoplugin 测试。\n');
    const output = await generate();
    expect(output).toMatch(/zhsearch：索引已更新：共 \d+ 篇，新增 0，改动 1，删除 0/);
    expect((await search('zhhexoplugin')).hits.map((h) => h.id)).toEqual([first.id]);

    const again = await generate();
    expect(again).toMatch(/zhsearch：索引已是最新/);

    // A post indexed with a problem is named in Hexo's log with its warning.
    writeFileSync(path.join(posts, '只有标题.md'), '---\ntitle: 只有标题\ndate: 2024-01-01 00:00:00\n---\n');
    expect(await generate()).toContain('zhsearch：只有标题.md：body：正文为空，只按标题索引');
  });

  it('drafts are indexed exactly when Hexo renders them (hexo generate --draft)', async () => {
    mkdirSync(path.join(site, 'source/_drafts'), { recursive: true });
    writeFileSync(path.join(site, 'source/_drafts/未完成的草稿.md'), '---\ntitle: 未完成的草稿\n---\n\n草稿里的 zhhexodraft 一词。\n');
    await generate();
    expect((await search('zhhexodraft')).total).toBe(0);
    // Another publication rule: the index is rebuilt with the drafts in it.
    expect(await generate('--draft')).toMatch(/zhsearch：索引已更新：共 \d+ 篇/);
    expect((await search('zhhexodraft')).hits.map((h) => h.title)).toEqual(['未完成的草稿']);
  });

  it('with export, hexo generate also writes the static search into public/search, linking to the posts\' pages', async () => {
    writeConfig(`zhsearch:\n  index: zhsearch-index\n  cli: ${cliPath}\n  export: search\n`);
    const output = await generate();
    expect(output).toMatch(/zhsearch：已导出静态搜索：\d+ 篇文章，\d+ 个文件（[\d.]+ MB）：.*public\/search/);
    const out = path.join(site, 'public/search');
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toContain('<meta name="generator" content="zhsearch export">');
    // No server configured: no box in the pages.
    expect(readFileSync(path.join(site, 'public/index.html'), 'utf8')).not.toContain('embed.js');
    // The exported search, read as a browser fetches it, finds the posts and links to the pages Hexo wrote.
    const backend = await openStaticSearch(async (name) => new Uint8Array(readFileSync(path.join(out, DATA_DIR, name))));
    const result = await backend.search({ q: 'Docker' });
    expect(result.hits.map((hit) => hit.id)).toEqual((await search('Docker')).hits.map((hit) => hit.id));
    for (const hit of result.hits) {
      expect(hit.url, hit.url).toMatch(/^\/\d{4}\/\d{2}\/\d{2}\//);
      expect(existsSync(path.join(site, 'public', decodeURIComponent(hit.url), 'index.html')), hit.url).toBe(true);
    }
    expect(existsSync(path.join(out, DATA_DIR, 'articles'))).toBe(false);
  });

  it('a bad option is reported naming the field, in Chinese', async () => {
    writeConfig(pluginConfig.replace("target: '#search'", 'mode: popup'));
    const output = await generate();
    expect(output).toContain('zhsearch.box.mode 必须是 inline（嵌在页面元素里）或 overlay（按钮或 Ctrl+K 打开的浮层），收到 "popup"');
    writeConfig('zhsearch:\n  index: zhsearch-index\n');
    expect(await generate()).toContain('_config.yml 缺少 zhsearch.server');
    writeConfig('zhsearch:\n  index: zhsearch-index\n  export: ../outside\n');
    expect(await generate()).toContain('zhsearch.export 必须是 public/ 下的子目录（如 search），或 true（即 search），收到 "../outside"');
  });
});
