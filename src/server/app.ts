/** The express app: JSON API, the search page and article pages over whatever SearchBackend getBackend() returns now. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import compression from 'compression';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { SearchBackend } from '../search/types.js';
import { renderArticlePage } from './article-page.js';
import { idFromSegments } from './article-id.js';
import { apiNotFound, errorHandler, HttpError } from './errors.js';
import { MAX_QUERY_CHARS, parseSearchRequest, positiveInteger, text } from './params.js';

export interface AppOptions {
  /** Called once per request, so a hot reload swaps the backend between requests, never during one. */
  getBackend: () => SearchBackend;
  /** One line per request (method, path, status, ms) and errors; default: stdout. */
  log?: (line: string) => void;
}

/** html/css come from src/web, the compiled script from dist/web; both relative to the repo root (two levels above src/server or dist/server). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const STATIC_FILES: Record<string, { file: string; cacheControl: string }> = {
  '/': { file: path.join(repoRoot, 'src/web/index.html'), cacheControl: 'no-cache' },
  '/style.css': { file: path.join(repoRoot, 'src/web/style.css'), cacheControl: 'public, max-age=600' },
  '/app.js': { file: path.join(repoRoot, 'dist/web/app.js'), cacheControl: 'public, max-age=600' },
};

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

export function createApp(options: AppOptions): express.Express {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const backend = (): SearchBackend => options.getBackend();
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', 'weak');

  app.use(requestLog(log));
  app.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  app.use(compression());

  app.get('/healthz', async (_req, res) => {
    const stats = await backend().stats();
    sendJson(res, { status: 'ok', generation: stats.generation, articles: stats.articles });
  });

  app.get('/api/search', async (req, res) => {
    const request = parseSearchRequest(req.query);
    sendJson(res, await backend().search(request));
  });

  app.get('/api/suggest', async (req, res) => {
    const q = text(req.query, 'q', MAX_QUERY_CHARS) ?? '';
    const limit = positiveInteger(req.query, 'limit', 20) ?? 8;
    sendJson(res, { query: q, suggestions: q.trim() === '' ? [] : await backend().suggest(q, limit) });
  });

  app.get('/api/topics', async (req, res) => {
    const limit = positiveInteger(req.query, 'limit', 100) ?? 20;
    sendJson(res, { topics: await backend().topics(limit) });
  });

  app.get('/api/stats', async (_req, res) => {
    sendJson(res, await backend().stats());
  });

  // Ids contain '/', so both forms take the rest of the path: /api/related/<id> is unambiguous;
  // /api/articles/<id>/related works too because an existing article id wins over the suffix.
  app.get('/api/related/*id', async (req, res) => {
    sendJson(res, await relatedOrThrow(backend(), routeId(req), req));
  });

  app.get('/api/articles/*id', async (req, res) => {
    const current = backend();
    const id = routeId(req);
    const article = await current.article(id);
    if (article) return sendJson(res, article);
    if (id.endsWith('/related')) {
      const baseId = id.slice(0, -'/related'.length);
      if (await current.article(baseId)) return sendJson(res, await relatedOrThrow(current, baseId, req));
    }
    throw articleNotFound(id);
  });

  app.use('/api', apiNotFound);

  for (const [route, { file, cacheControl }] of Object.entries(STATIC_FILES)) {
    app.get(route, (_req, res, next) => {
      res.sendFile(file, { headers: { 'Cache-Control': cacheControl }, lastModified: true }, (err) => {
        if (err) {
          if (route === '/app.js') log(`missing ${file}: run "npm run build" to compile src/web/app.ts`);
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
    res.type('html').send(renderArticlePage(article, related));
  });

  app.use((req, _res, next) => next(new HttpError(404, 'not_found', `no page at ${req.path}`)));
  app.use(errorHandler(log));
  return app;
}

function sendJson(res: Response, body: unknown): void {
  res.set('Cache-Control', 'no-cache');
  res.json(body);
}

function routeId(req: Request): string {
  return idFromSegments((req.params as Record<string, string | string[]>).id ?? '');
}

async function relatedOrThrow(backend: SearchBackend, id: string, req: Request) {
  const limit = positiveInteger(req.query, 'limit', 50) ?? 10;
  const hits = await backend.related(id, limit);
  if (!hits) throw articleNotFound(id);
  return { id, related: hits };
}

function articleNotFound(id: string): HttpError {
  return new HttpError(404, 'not_found', `no article with id ${JSON.stringify(id)}`, 'id');
}

function requestLog(log: (line: string) => void): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const status = res.writableFinished ? String(res.statusCode) : `${res.statusCode} aborted`;
      log(`${req.method} ${req.originalUrl} ${status} ${ms.toFixed(1)}ms`);
    });
    next();
  };
}
