/**
 * The server inside someone's site, over HTTP (supertest listens on a real port): CORS for listed origins only,
 * preflight, framing denied unless --frame-ancestors, everything under a --base-path, and the CLI's checks of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedBackend } from '../src/search/index.js';
import { createApp, normalizeBasePath, normalizeOrigin } from '../src/server/index.js';
import { runCli } from './fixtures/cli/run-cli.js';
import { createFakeService, FAKE_ARTICLES } from './fixtures/server/fake-service.js';

const BLOG = 'https://blog.example.com';
const app = (options: Parameters<typeof createApp>[0] extends infer O ? Omit<O, 'getBackend' | 'log'> : never) =>
  createApp({ getBackend: () => embeddedBackend(createFakeService()), log: () => {}, ...options });
const encodeId = (id: string) => id.split('/').map(encodeURIComponent).join('/');

describe('CORS', () => {
  it('allows no origin by default: no CORS header, a preflight gets 204 without permission', async () => {
    const plain = app({});
    const res = await request(plain).get('/api/search?q=x').set('Origin', BLOG).expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers.vary).toMatch(/Origin/);
    const preflight = await request(plain).options('/api/search').set('Origin', BLOG).set('Access-Control-Request-Method', 'GET').expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('echoes a listed origin on every route and answers its preflight; another origin gets nothing', async () => {
    const open = app({ corsOrigins: [BLOG, 'http://127.0.0.1:4000'] });
    for (const route of ['/api/search?q=%E6%96%B0', '/api/suggest?q=%E6%96%B0', '/style.css', '/api/nope']) {
      const res = await request(open).get(route).set('Origin', 'http://127.0.0.1:4000');
      expect(res.headers['access-control-allow-origin'], route).toBe('http://127.0.0.1:4000');
    }
    const other = await request(open).get('/api/search?q=x').set('Origin', 'https://evil.example').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    const preflight = await request(open)
      .options('/api/search?q=x')
      .set('Origin', BLOG)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'accept')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(BLOG);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
    expect(preflight.headers['access-control-allow-headers']).toBe('accept');
    expect(preflight.headers['access-control-max-age']).toBe('600');
    expect(preflight.text).toBe('');
  });
});

describe('framing', () => {
  it('is denied by default (CSP frame-ancestors none and X-Frame-Options)', async () => {
    const res = await request(app({})).get('/').expect(200);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('is allowed to the --frame-ancestors origins only, without X-Frame-Options', async () => {
    const res = await request(app({ frameAncestors: [BLOG, 'http://localhost:4000'] })).get('/').expect(200);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors https:\/\/blog\.example\.com http:\/\/localhost:4000$/);
    expect(res.headers['x-frame-options']).toBeUndefined();
  });
});

describe('base path /search/', () => {
  const prefixed = app({ basePath: '/search/' });
  const [first] = FAKE_ARTICLES;

  it('serves page, assets, embed script, API and article pages under the prefix, nothing outside it', async () => {
    const page = await request(prefixed).get('/search/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<form id="search-form"');
    await request(prefixed).get('/search/style.css').expect(200).expect('Content-Type', /text\/css/);
    await request(prefixed).get('/search/app.js').expect(200).expect('Content-Type', /javascript/);
    await request(prefixed).get('/search/embed.js').expect(200).expect('Content-Type', /javascript/);
    await request(prefixed).get('/search/healthz').expect(200);

    const result = await request(prefixed).get('/search/api/search?q=%E6%96%B0%E5%9F%BA%E7%A1%80%E8%AE%BE%E6%96%BD').expect(200);
    expect(result.body.hits[0].url).toBe(`/search/articles/${encodeId(first!.id)}`);
    const related = await request(prefixed).get(`/search/api/related/${encodeId(first!.id)}`).expect(200);
    for (const hit of related.body.related) expect(hit.url).toMatch(/^\/search\/articles\//);

    const article = await request(prefixed).get(`/search/articles/${encodeId(first!.id)}`).expect(200);
    expect(article.text).toContain('<link rel="stylesheet" href="/search/style.css">');
    expect(article.text).toContain('<a class="brand" href="/search/">');
    expect(article.text).toContain('href="/search/?category=%E6%8A%80%E6%9C%AF"');

    const unknown = await request(prefixed).get('/search/api/nope').expect(404);
    expect(unknown.body.error.code).toBe('not_found');
    await request(prefixed).get('/api/search?q=x').expect(404);
    const outside = await request(prefixed).get('/').set('Accept', 'text/html').expect(404);
    expect(outside.text).toContain('<a href="/search/">返回搜索</a>');
  });

  it('redirects the bare prefix to the prefix with a slash, keeping the query', async () => {
    const res = await request(prefixed).get('/search?q=%E6%96%B0').expect(301);
    expect(res.headers.location).toBe('/search/?q=%E6%96%B0');
  });

  it('keeps links to the blog as they are', async () => {
    const blogHit = createFakeService([{ ...first!, url: 'https://blog.example.com/2021/03/01/infra/' }]);
    const res = await request(createApp({ getBackend: () => embeddedBackend(blogHit), log: () => {}, basePath: '/search/' }))
      .get('/search/api/search?q=%E6%96%B0%E5%9F%BA%E7%A1%80%E8%AE%BE%E6%96%BD')
      .expect(200);
    expect(res.body.hits[0].url).toBe('https://blog.example.com/2021/03/01/infra/');
  });
});

describe('option checks', () => {
  it('normalises base paths and origins, and names the option when one is wrong', () => {
    expect(normalizeBasePath('search')).toBe('/search/');
    expect(normalizeBasePath('/a/b//')).toBe('/a/b/');
    expect(normalizeBasePath('/')).toBe('/');
    expect(() => normalizeBasePath('/a/../b', '--base-path')).toThrow(
      '--base-path 必须是形如 /search/ 的路径前缀（字母、数字和 - _ . ~ 组成的路径段，不能含 ..、?、# 或空段），收到 "/a/../b"',
    );
    expect(() => normalizeBasePath('/s?x=1')).toThrow(/收到 "\/s\?x=1"/);
    expect(normalizeOrigin('https://Blog.Example.com/')).toBe('https://blog.example.com');
    expect(normalizeOrigin('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000');
    expect(() => normalizeOrigin('https://blog.example.com/search', '--cors-origin')).toThrow(
      '--cors-origin 必须是 http 或 https 来源，不含路径、查询或用户名（如 https://blog.example.com），收到 "https://blog.example.com/search"',
    );
    expect(() => normalizeOrigin('blog.example.com', '--cors-origin')).toThrow(/^--cors-origin 必须是形如 https:\/\/blog\.example\.com 的来源/);
  });

  describe('zhsearch serve', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'zhsearch-site-cli-'));
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it.each([
      [['serve', '--cors-origin', 'ftp://blog.example.com'], '--cors-origin 必须是 http 或 https 来源，不含路径、查询或用户名（如 https://blog.example.com），收到 "ftp://blog.example.com"'],
      [['serve', '--base-path', '/a/../b'], '--base-path 必须是形如 /search/ 的路径前缀（字母、数字和 - _ . ~ 组成的路径段，不能含 ..、?、# 或空段），收到 "/a/../b"'],
      [['start', '--frame-ancestors', 'https://x.example/y'], '--frame-ancestors 必须是 http 或 https 来源，不含路径、查询或用户名（如 https://blog.example.com），收到 "https://x.example/y"'],
      [['serve', '--watch', '--engine', 'sphinxql://127.0.0.1:9306/zhsearch'], '--watch 只更新本地索引，不能与 --engine 同用：文章改动后请运行 zhsearch reindex --engine …'],
    ])('%j exits 2 naming the option', async (args, message) => {
      const run = await runCli(args, work);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`zhsearch：${message}\n用法见 zhsearch help ${args[0]}\n`);
    });

    it('help lists the options as repeatable, in Chinese', async () => {
      const run = await runCli(['help', 'serve'], work);
      expect(run.stdout).toContain('--cors-origin ORIGIN');
      expect(run.stdout).toContain('（可多次指定）（默认：不允许任何跨域请求）');
      expect(run.stdout).toContain('--base-path PATH');
    });
  });
});
