/** createApp over a fake SearchService: routing, validation, escaping, headers. The real-index tests are in server.api.test.ts. */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { embeddedBackend } from '../src/search/index.js';
import { createApp } from '../src/server/index.js';
import { createFakeService, FAKE_ARTICLES } from './fixtures/server/fake-service.js';

const service = createFakeService();
const lines: string[] = [];
const app = createApp({ getBackend: () => embeddedBackend(service), log: (line) => lines.push(line) });

async function expectError(url: string, status: number, code: string, parameter?: string) {
  const res = await request(app).get(url);
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  if (parameter) {
    expect(res.body.error.parameter).toBe(parameter);
    if (status === 400) expect(res.body.error.message).toContain(`"${parameter}"`);
  }
  return res.body.error.message as string;
}

/** A backend whose searches throw, as a failing disk would make them. */
function brokenBackend() {
  return embeddedBackend({ ...service, search: () => { throw new Error('disk gone'); } });
}

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Name: value, in the order sent, Date aside (it may tick between two answers). */
  headerLines: string[];
  body: Buffer;
}

/** `served` listening on a free port of 127.0.0.1 for the length of `use`, asked through bare node:http requests. */
async function withListening(served: ReturnType<typeof createApp>, use: (get: (path: string, headers?: Record<string, string>) => Promise<RawAnswer>) => Promise<void>): Promise<void> {
  const server = served.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<RawAnswer>((resolve, reject) => {
      http.get(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
          const named = res.rawHeaders.flatMap((value, i) => (i % 2 === 0 ? [`${value}: ${res.rawHeaders[i + 1]}`] : []));
          resolve({ status: res.statusCode!, headers: res.headers, headerLines: named.filter((line) => !line.startsWith('Date:')), body: Buffer.concat(chunks) });
        });
      }).once('error', reject);
    });
  try {
    await use(get);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('search parameters', () => {
  it('passes valid parameters through as a SearchRequest', async () => {
    const res = await request(app).get(
      '/api/search?q=%E5%9F%BA%E7%A1%80%E8%AE%BE%E6%96%BD&page=2&size=5&category=%E6%8A%80%E6%9C%AF&tag=x&author=y&from=2020&to=2021-06-30&sort=date',
    );
    expect(res.status).toBe(200);
    expect(service.requests.at(-1)).toEqual({
      q: '基础设施', page: 2, size: 5, category: '技术', tag: 'x', author: 'y', from: '2020', to: '2021-06-30', sort: 'date',
    });
  });

  it('takes several values of a filter as alternatives', async () => {
    await request(app).get('/api/search?category=a&category=b&tag=x').expect(200);
    expect(service.requests.at(-1)).toEqual({ q: '', category: ['a', 'b'], tag: 'x' });
  });

  it('treats a missing q as the empty query and drops empty filters', async () => {
    await request(app).get('/api/search?category=&sort=').expect(200);
    expect(service.requests.at(-1)).toEqual({ q: '' });
  });

  it('rejects every bad parameter with 400, a code and the parameter name', async () => {
    expect(await expectError('/api/search?q=a&page=0', 400, 'invalid_parameter', 'page')).toBe('参数 "page" 应为正整数（如 1、2、3），收到 "0"');
    await expectError('/api/search?page=-1', 400, 'invalid_parameter', 'page');
    await expectError('/api/search?page=1.5', 400, 'invalid_parameter', 'page');
    await expectError('/api/search?page=abc', 400, 'invalid_parameter', 'page');
    await expectError('/api/search?page=', 400, 'invalid_parameter', 'page');
    await expectError('/api/search?page=1001', 400, 'invalid_parameter', 'page');
    await expectError('/api/search?size=0', 400, 'invalid_parameter', 'size');
    expect(await expectError('/api/search?size=101', 400, 'invalid_parameter', 'size')).toBe('参数 "size" 最大为 100，收到 101，请改用不超过 100 的值');
    await expectError('/api/search?size=1e2', 400, 'invalid_parameter', 'size');
    expect(await expectError(`/api/search?q=${'字'.repeat(257)}`, 400, 'parameter_too_long', 'q')).toBe('参数 "q" 超过 256 个字符，请缩短后再试');
    expect(await expectError('/api/search?sort=newest', 400, 'invalid_parameter', 'sort')).toBe('参数 "sort" 只能是 "relevance"（按相关度）或 "date"（按日期），收到 "newest"');
    expect(await expectError('/api/search?from=2021-13', 400, 'invalid_parameter', 'from')).toBe(
      '参数 "from" 应为真实存在的日期，格式 YYYY、YYYY-MM 或 YYYY-MM-DD（如 2021、2021-05、2021-05-19），收到 "2021-13"',
    );
    await expectError('/api/search?to=2021-02-30', 400, 'invalid_parameter', 'to');
    await expectError('/api/search?from=yesterday', 400, 'invalid_parameter', 'from');
    expect(await expectError('/api/search?from=2022&to=2021-12', 400, 'invalid_parameter', 'from')).toBe('参数 "from"（2022）晚于 "to"（2021-12），请交换两个日期或改正其中一个');
    expect(await expectError('/api/search?q=a&q=b', 400, 'repeated_parameter', 'q')).toBe('参数 "q" 只能给一次，请去掉重复的 q=');
    await expectError(`/api/search?tag=${'x'.repeat(101)}`, 400, 'parameter_too_long', 'tag');
    await expectError('/api/suggest?q=a&limit=0', 400, 'invalid_parameter', 'limit');
    await expectError(`/api/suggest?q=${'x'.repeat(257)}`, 400, 'parameter_too_long', 'q');
    await expectError('/api/topics?limit=x', 400, 'invalid_parameter', 'limit');
    expect(await expectError('/api/topics?since=2021-13', 400, 'invalid_parameter', 'since')).toBe('参数 "since" 应为真实存在的日期，格式 YYYY、YYYY-MM 或 YYYY-MM-DD（如 2021、2021-05、2021-05-19），收到 "2021-13"');
    await expectError('/api/topics?since=2021&since=2022', 400, 'repeated_parameter', 'since');
    await expectError(`/api/topics?category=${'x'.repeat(101)}`, 400, 'parameter_too_long', 'category');
  });

  it('accepts exactly 256 characters (not UTF-16 units) and size 100', async () => {
    await request(app).get(`/api/search?q=${encodeURIComponent('😀'.repeat(256))}&size=100`).expect(200);
  });

  it('never answers 500 to arbitrary query strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.string({ maxLength: 10 }), async (q, page) => {
        const res = await request(app).get(`/api/search?q=${encodeURIComponent(q)}&page=${encodeURIComponent(page)}`);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });
});

describe('articles by id', () => {
  const odd = FAKE_ARTICLES[1]!;

  it('finds ids with slashes, spaces, % and CJK punctuation from their url form', async () => {
    const path = odd.url.replace('/articles/', '/api/articles/');
    const res = await request(app).get(path).expect(200);
    expect(res.body.id).toBe('技术/ 空格 %开头/「引号」&.md');
    expect(res.body.title).toBe('奇怪的文件名');
  });

  it('also accepts the id encoded as one component (slashes as %2F)', async () => {
    const res = await request(app).get(`/api/articles/${encodeURIComponent(odd.id)}`).expect(200);
    expect(res.body.id).toBe(odd.id);
  });

  it('serves related articles at /api/related/<id> and /api/articles/<id>/related', async () => {
    const encoded = odd.url.slice('/articles/'.length);
    const a = await request(app).get(`/api/related/${encoded}`).expect(200);
    const b = await request(app).get(`/api/articles/${encoded}/related`).expect(200);
    expect(a.body).toEqual(b.body);
    expect(a.body.id).toBe(odd.id);
    expect(a.body.related.map((h: { id: string }) => h.id)).toEqual([FAKE_ARTICLES[0]!.id, FAKE_ARTICLES[2]!.id]);
  });

  it('answers 404 for unknown ids and never reads the file system', async () => {
    expect(await expectError('/api/articles/%E6%97%A0/x.md', 404, 'not_found', 'id')).toBe('没有 id 为 "无/x.md" 的文章，它可能已被删除或改名，请重新搜索');
    await expectError('/api/articles/..%2F..%2Fpackage.json', 404, 'not_found');
    await expectError('/api/related/nope.md', 404, 'not_found');
    await expectError('/api/articles/nope.md/related', 404, 'not_found');
    const page = await request(app).get('/articles/..%2Fpackage.json');
    expect(page.status).toBe(404);
    expect(page.text).not.toContain('zhsearch');
  });

  it('answers 400 to malformed percent-encoding', async () => {
    expect(await expectError('/api/articles/%E6%97', 400, 'bad_request')).toBe('请求路径中的百分号编码不完整或有误，请检查链接是否复制完整');
  });

  it('answers a failing backend with a 500 in Chinese that says what to do, and logs the cause', async () => {
    const log: string[] = [];
    const broken = brokenBackend();
    const res = await request(createApp({ getBackend: () => broken, log: (line) => log.push(line) })).get('/api/search?q=x');
    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({ code: 'internal_error', message: '服务器内部出错，请稍后重试；如果一直出错，请联系网站管理员（详情在服务器日志中）' });
    expect(log.some((line) => line.includes('disk gone'))).toBe(true);
  });
});

describe('routes, headers, escaping', () => {
  it('gives JSON 404 for unknown API routes and methods', async () => {
    expect(await expectError('/api/nothing', 404, 'not_found')).toBe('没有这个接口：GET /api/nothing。可用的接口见 README 的“HTTP API”一节');
    const post = await request(app).post('/api/search').send('q=x');
    expect(post.status).toBe(404);
    expect(post.body.error.code).toBe('not_found');
  });

  it('sets security headers and JSON content type', async () => {
    const res = await request(app).get('/api/stats').expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('serves healthz, topics and suggestions', async () => {
    expect((await request(app).get('/healthz').expect(200)).body).toEqual({
      status: 'ok',
      generation: 'fake-1',
      articles: 3,
      newest: 'fake-1',
      loading: null,
      failed: null,
    });
    expect((await request(app).get('/api/topics').expect(200)).body).toEqual({ topics: [{ keyword: '基础设施', count: 2 }] });
    expect((await request(app).get('/api/suggest?q=%E6%96%B0').expect(200)).body).toEqual({
      query: '新',
      suggestions: [{ text: '新基础设施入门', kind: 'title' }],
    });
    expect((await request(app).get('/api/suggest?q=').expect(200)).body).toEqual({ query: '', suggestions: [] });
  });

  it('renders an article page with every field escaped', async () => {
    const evil = FAKE_ARTICLES[2]!;
    const res = await request(app).get(evil.url).expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt; 随笔</h1>');
    expect(res.text).not.toContain('<script>');
    const first = await request(app).get(FAKE_ARTICLES[0]!.url).expect(200);
    expect(first.text).toContain('<p>新基础设施包括数据中心与网络。</p>\n<h2>小标题</h2>\n<p>第二段讲 &lt;b&gt;标签&lt;/b&gt; 与 &amp; 符号。</p>');
    expect(first.text).toContain('<time datetime="2021-03-01T00:00:00.000Z">2021-03-01 08:00</time>');
    expect(first.text).toContain('<a class="chip" href="/?category=%E6%8A%80%E6%9C%AF">技术</a>');
  });

  it('serves the search page and stylesheet with cache headers, compressed when asked', async () => {
    const page = await request(app).get('/').set('Accept-Encoding', 'gzip').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(page.text).toContain('<script type="module" src="app.js"></script>');
    const css = await request(app).get('/style.css').expect(200);
    expect(css.headers['cache-control']).toBe('public, max-age=600');
    expect(css.headers['etag']).toBeDefined();
  });

  it('sends a client that accepts no encoding the body as it is, saying the answer varies with Accept-Encoding', async () => {
    // supertest always asks for gzip: a bare node:http request sends no Accept-Encoding at all.
    await withListening(app, async (get) => {
      const page = await get('/');
      expect(page.headers['content-encoding']).toBeUndefined();
      expect(page.headers.vary).toBe('Origin, Accept-Encoding');
      expect(page.body.toString()).toContain('<script type="module" src="app.js"></script>');
      const answer = await get('/api/search?q=%E5%9F%BA%E7%A1%80');
      expect(answer.headers['content-encoding']).toBeUndefined();
      expect(answer.headers.vary).toBe('Origin, Accept-Encoding');
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(answer.headers.etag).toMatch(/^W\/"/);
      expect(JSON.parse(answer.body.toString())).toEqual((await request(app).get('/api/search?q=%E5%9F%BA%E7%A1%80').expect(200)).body);
    });
  });

  it('answers a plain GET of the query-string API (its fast path) with the same status, headers and bytes as through express', async () => {
    const broken = brokenBackend();
    const paths = ['api/search?q=%E5%9F%BA%E7%A1%80&size=2', 'api/search?size=0', 'api/suggest?q=%E5%9F%BA', 'api/topics?limit=3', 'api/stats'];
    const apps = [
      { app, prefix: '/', paths },
      { app: createApp({ getBackend: () => embeddedBackend(service), log: () => {}, basePath: '/search/', corsOrigins: ['https://blog.example.com'] }), prefix: '/search/', paths },
      { app: createApp({ getBackend: () => broken, log: () => {} }), prefix: '/', paths: ['api/search?q=x'] },
    ];
    const statuses: number[] = [];
    for (const { app: served, prefix, paths: tried } of apps) {
      await withListening(served, async (get) => {
        const answer = async (path: string, headers: Record<string, string>) => {
          const { status, headerLines, body } = await get(`${prefix}${path}`, { Origin: 'https://blog.example.com', ...headers });
          return { status, headerLines, body };
        };
        for (const path of tried) {
          for (const encoding of [{}, { 'Accept-Encoding': 'gzip' }]) {
            const fast = await answer(path, encoding);
            // A conditional GET is left to express (which answers as without it here: the ETag does not match).
            const slow = await answer(path, { ...encoding, 'If-None-Match': 'W/"0-other"' });
            statuses.push(fast.status);
            expect(fast).toEqual(slow);
          }
        }
      });
    }
    expect(new Set(statuses)).toEqual(new Set([200, 400, 500]));
  });

  it('tags JSON answers and pages with a weak ETag of length and SHA-1 of the body, and answers 304 while it matches', async () => {
    for (const url of ['/api/stats', '/api/topics', FAKE_ARTICLES[0]!.url]) {
      const first = await request(app).get(url).expect(200);
      const body = Buffer.from(first.text);
      // express's own weak ETag, so a browser's cached answer from before still revalidates.
      expect(first.headers.etag).toBe(`W/"${body.length.toString(16)}-${createHash('sha1').update(body).digest('base64').slice(0, 27)}"`);
      const again = await request(app).get(url).set('If-None-Match', first.headers.etag!).expect(304);
      expect(again.text).toBe('');
      await request(app).get(url).set('If-None-Match', 'W/"0-other"').expect(200);
    }
  });

  it('logs one line per request with method, path, status and ms', async () => {
    lines.length = 0;
    await request(app).get('/api/search?q=x&size=101');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^GET \/api\/search\?q=x&size=101 400 \d+\.\dms$/);
  });
});
