/** The server's request handler: JSON API, the search page and article pages (express; plain GETs of the query-string API straight on node:http) over whatever SearchBackend getBackend() returns now. */
import { hash } from 'node:crypto';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import querystring from 'node:querystring';
import { fileURLToPath } from 'node:url';
import compression from 'compression';
import express, { type Request, type Response } from 'express';
import { articleUrl } from '../ingest/index.js';
import { MAX_QUERY_CHARS, type SearchBackend, type SearchHit } from '../search/index.js';
import type { GenerationStatus } from './reload.js';
import { renderArticlePage } from '../web/article-html.js';
import { AnswerEncoder } from './answer-json.js';
import { idFromSegments } from './article-id.js';
import { apiNotFound, errorBody, errorHandler, failure, HttpError } from './errors.js';
import { parseSearchRequest, parseTopicFilter, positiveInteger, text, type RawQuery } from './params.js';
import { addVary, corsHandler, normalizeBasePath, securityHeaders } from './site-options.js';

export interface AppOptions {
  /** Called once per request, so a hot reload swaps the backend between requests, never during one. */
  getBackend: () => SearchBackend;
  /** Generations for /healthz (live, newest on disk, loading, failed); default: only the live one. */
  generationStatus?: () => GenerationStatus;
  /** One line per request (method, path, status, ms) and errors; default: stdout. */
  log?: (line: string) => void;
  /** Path prefix everything is served under, e.g. `/search/` behind a reverse proxy; default `/`. */
  basePath?: string;
  /** Origins (`https://blog.example.com`) whose pages may call the API; default none. */
  corsOrigins?: readonly string[];
  /** Origins that may frame the pages (CSP frame-ancestors); default none (framing denied). */
  frameAncestors?: readonly string[];
}

/** html/css come from src/web, the bundled scripts from dist/bundles; both relative to the repo root (two levels above src/server or dist/server). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STATIC_FILES: Record<string, { file: string; cacheControl: string }> = {
  '/': { file: path.join(repoRoot, 'src/web/index.html'), cacheControl: 'no-cache' },
  '/style.css': { file: path.join(repoRoot, 'src/web/style.css'), cacheControl: 'public, max-age=600' },
  '/app.js': { file: path.join(repoRoot, 'dist/bundles/app.js'), cacheControl: 'public, max-age=600' },
  '/embed.js': { file: path.join(repoRoot, 'dist/bundles/embed.js'), cacheControl: 'public, max-age=600' },
};

/** The server's request handler; listen() serves it on a new node:http server. */
export interface App {
  (req: IncomingMessage, res: ServerResponse): void;
  listen(port: number, host: string): Server;
}

/** Characters after which express parses a URL the slow way (parseurl), so the search fast path leaves it to express. */
const UNUSUAL_URL = /[\t\n\f\r #\u00a0\ufeff]/;

export function createApp(options: AppOptions): App {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const backend = (): SearchBackend => options.getBackend();
  const base = normalizeBasePath(options.basePath ?? '/');
  const headers = Object.entries(securityHeaders(options.frameAncestors ?? []));
  const cors = corsHandler(options.corsOrigins ?? []);
  // compression is connect middleware: it uses node's request and response only.
  const compress = compression() as unknown as (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  /**
   * What every request gets first, in express or on the search fast path: its log line, security and CORS headers,
   * and compression when asked. A client that accepts no encoding (scripts, curl, autocannon) gets the body as it is:
   * it skips compression's wrapping of each response and is told that answers vary with Accept-Encoding (compression
   * says so of compressible answers only; said of every answer, it costs a cache one more key, never a wrong body).
   */
  const prepare = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    logRequest(req, res, log);
    for (const [name, value] of headers) res.setHeader(name, value);
    cors(req, res, () => {
      if (req.headers['accept-encoding'] !== undefined) return compress(req, res, next);
      addVary(res, 'Accept-Encoding');
      next();
    });
  };
  const outer = express();
  outer.disable('x-powered-by');
  outer.set('query parser', 'simple');
  outer.set('etag', weakETag);
  outer.use((req, res, next) => prepare(req, res, () => next()));
  // `/search` → `/search/`, so the page's relative URLs resolve under the prefix.
  if (base !== '/') {
    const bare = base.slice(0, -1);
    outer.use((req, res, next) => {
      if (req.path !== bare) return next();
      const query = req.url.indexOf('?');
      res.redirect(301, base + (query === -1 ? '' : req.url.slice(query)));
    });
  }
  /** A hit linking to our own article page gets the prefix; links to the blog's pages stay as they are. */
  const withBase = (hit: SearchHit): SearchHit =>
    base !== '/' && hit.url === articleUrl(hit.id) ? { ...hit, url: base + hit.url.slice(1) } : hit;
  const app = express.Router();

  // Still 200 when a newer generation failed to load: the live one serves; `status` and `failed` say it is stale.
  app.get('/healthz', async (_req, res) => {
    const stats = await backend().stats();
    const generations = options.generationStatus?.() ?? { live: stats.generation, newest: stats.generation, loading: null, failed: null };
    const status = generations.failed !== null && generations.newest !== generations.live ? 'stale' : generations.loading !== null ? 'loading' : 'ok';
    sendJson(res, {
      status,
      generation: stats.generation,
      articles: stats.articles,
      newest: generations.newest,
      loading: generations.loading,
      failed: generations.failed,
    });
  });

  const encoder = new AnswerEncoder();
  /** The JSON answers to a GET from its query string alone: routed here, and answered by the fast path below. */
  const queryAnswers: Record<string, (query: RawQuery) => Promise<unknown>> = {
    '/api/search': async (query) => {
      const result = await backend().search(parseSearchRequest(query));
      return new EncodedJson(encoder.encode({ ...result, hits: result.hits.map(withBase) }));
    },
    '/api/suggest': async (query) => {
      const q = text(query, 'q', MAX_QUERY_CHARS) ?? '';
      const limit = positiveInteger(query, 'limit', 20) ?? 8;
      return { query: q, suggestions: q.trim() === '' ? [] : await backend().suggest(q, limit) };
    },
    '/api/topics': async (query) => {
      const limit = positiveInteger(query, 'limit', 100) ?? 20;
      return { topics: await backend().topics(limit, parseTopicFilter(query)) };
    },
    '/api/stats': () => backend().stats(),
  };
  for (const [route, answer] of Object.entries(queryAnswers)) {
    app.get(route, async (req, res) => sendJson(res, await answer(req.query)));
  }

  // Ids contain '/', so both forms take the rest of the path: /api/related/<id> is unambiguous;
  // /api/articles/<id>/related works too because an existing article id wins over the suffix.
  app.get('/api/related/*id', async (req, res) => {
    sendJson(res, await relatedOrThrow(backend(), routeId(req), req, withBase));
  });

  app.get('/api/articles/*id', async (req, res) => {
    const current = backend();
    const id = routeId(req);
    const article = await current.article(id);
    if (article) return sendJson(res, article);
    if (id.endsWith('/related')) {
      const baseId = id.slice(0, -'/related'.length);
      if (await current.article(baseId)) return sendJson(res, await relatedOrThrow(current, baseId, req, withBase));
    }
    throw articleNotFound(id);
  });

  app.use('/api', apiNotFound);

  for (const [route, { file, cacheControl }] of Object.entries(STATIC_FILES)) {
    app.get(route, (_req, res, next) => {
      res.sendFile(file, { headers: { 'Cache-Control': cacheControl }, lastModified: true }, (err) => {
        if (err) {
          if (file.endsWith('.js')) log(`missing ${file}: run "npm run build" to compile src/web`);
          next(err);
        }
      });
    });
  }

  app.get('/articles/*id', async (req, res) => {
    const current = backend();
    const id = routeId(req);
    const article = await current.article(id);
    if (!article) throw articleNotFound(id);
    const related = (await current.related(id, 5)) ?? [];
    res.set('Cache-Control', 'no-cache');
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, MAX_QUERY_CHARS) : '';
    res.type('html').send(renderArticlePage(article, related.map(withBase), { root: base, q }));
  });

  outer.use(base, app);
  outer.use((req, _res, next) => next(new HttpError(404, 'not_found', `没有这个页面：${req.path}。请检查链接，或回到搜索页重新搜索`)));
  outer.use(errorHandler(log, base));

  /**
   * An unconditional GET of one of queryAnswers, answered on node's request and response: express's entry alone (it
   * swaps the prototypes of both) cost ~0.07 ms a request, more than the rest of its work here. Same status, headers
   * and body as through express, which answers everything else: HEAD, If-None-Match/If-Modified-Since (304), unusual
   * URLs and the other routes.
   */
  const fastAnswers = new Map(Object.entries(queryAnswers).map(([route, answer]) => [base + route.slice(1), answer]));
  const answerFast = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '';
    const mark = url.indexOf('?');
    const answer = req.method === 'GET' ? fastAnswers.get(mark === -1 ? url : url.slice(0, mark)) : undefined;
    if (answer === undefined || UNUSUAL_URL.test(url)) return false;
    if (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) return false;
    prepare(req, res, async () => {
      try {
        writeJson(res, 200, await answer(querystring.parse(mark === -1 ? '' : url.slice(mark + 1))), 'no-cache');
      } catch (err) {
        if (res.headersSent) return void res.destroy();
        const error = failure(err, 'GET', url, log);
        writeJson(res, error.status, errorBody(error));
      }
    });
    return true;
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (!answerFast(req, res)) outer(req, res);
  };
  return Object.assign(handler, { listen: (port: number, host: string) => http.createServer(handler).listen(port, host) });
}

/** A body's JSON already encoded (AnswerEncoder), sent as it is. */
class EncodedJson {
  constructor(readonly bytes: Buffer) {}
}

function jsonBytes(body: unknown): Buffer {
  return body instanceof EncodedJson ? body.bytes : Buffer.from(JSON.stringify(body));
}

/**
 * As res.json, without its string path: given a Buffer and a full Content-Type, res.send neither parses the type to
 * add the charset nor converts the text again for the ETag.
 */
function sendJson(res: Response, body: unknown): void {
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.send(jsonBytes(body));
}

/** What res.json answers an unconditional GET with (headers in the same order, the same ETag), on node's response. */
function writeJson(res: ServerResponse, status: number, body: unknown, cacheControl?: string): void {
  const bytes = jsonBytes(body);
  res.statusCode = status;
  if (cacheControl !== undefined) res.setHeader('Cache-Control', cacheControl);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', bytes.length);
  res.setHeader('ETag', weakETag(bytes));
  res.end(bytes);
}

/** express's weak ETag (the same value), hashed in one call instead of through a Hash object per response. */
function weakETag(body: Buffer | string, encoding?: BufferEncoding): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, encoding) : body;
  return `W/"${bytes.length.toString(16)}-${hash('sha1', bytes, 'base64').slice(0, 27)}"`;
}

function routeId(req: Request): string {
  return idFromSegments((req.params as Record<string, string | string[]>).id ?? '');
}

async function relatedOrThrow(backend: SearchBackend, id: string, req: Request, withBase: (hit: SearchHit) => SearchHit) {
  const limit = positiveInteger(req.query, 'limit', 50) ?? 10;
  const hits = await backend.related(id, limit);
  if (!hits) throw articleNotFound(id);
  return { id, related: hits.map(withBase) };
}

function articleNotFound(id: string): HttpError {
  return new HttpError(404, 'not_found', `没有 id 为 ${JSON.stringify(id)} 的文章，它可能已被删除或改名，请重新搜索`, 'id');
}

/** One line per request (method, URL, status, ms) once its response is done. */
function logRequest(req: IncomingMessage, res: ServerResponse, log: (line: string) => void): void {
  const started = process.hrtime.bigint();
  const { method, url } = req;
  res.once('close', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const status = res.writableFinished ? String(res.statusCode) : `${res.statusCode} aborted`;
    log(`${method} ${url} ${status} ${ms.toFixed(1)}ms`);
  });
}
