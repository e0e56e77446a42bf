/**
 * How the server sits inside someone's site: a path prefix behind a reverse proxy (`basePath`), the
 * origins allowed to call it from their pages (CORS) and to frame it (CSP frame-ancestors).
 * Validation messages are Chinese: the CLI shows them as they are.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class SiteOptionError extends Error {
  constructor(readonly option: string, message: string) {
    super(message);
    this.name = 'SiteOptionError';
  }
}

/** `/search`, `search/`, `/search/` → `/search/`; `/` stays `/`. Refuses `..`, queries, fragments and odd characters. */
export function normalizeBasePath(raw: string, option = 'basePath'): string {
  const trimmed = raw.trim();
  const inner = trimmed.replace(/^\/+|\/+$/g, '');
  if (inner === '') return '/';
  const segments = inner.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || !/^[A-Za-z0-9._~!$&'()*+,;=:@%-]+$/.test(segment)) {
      throw new SiteOptionError(
        option,
        `${option} 必须是形如 /search/ 的路径前缀（字母、数字和 - _ . ~ 组成的路径段，不能含 ..、?、# 或空段），收到 "${raw}"`,
      );
    }
  }
  return `/${segments.join('/')}/`;
}

/** An origin as browsers send it: `https://blog.example.com`, `http://127.0.0.1:4000` (no path, lower-case host). */
export function normalizeOrigin(raw: string, option = 'origin'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new SiteOptionError(option, `${option} 必须是形如 https://blog.example.com 的来源（协议 + 主机名 + 可选端口），收到 "${raw}"`);
  }
  const extra = url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '';
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || extra) {
    throw new SiteOptionError(
      option,
      `${option} 必须是 http 或 https 来源，不含路径、查询或用户名（如 https://blog.example.com），收到 "${raw}"`,
    );
  }
  return url.origin;
}

/**
 * CORS for the listed origins only: the matching Origin is echoed (never `*`, never another origin), and a
 * preflight (OPTIONS with Access-Control-Request-Method) is answered with 204 on every path. An origin not
 * listed gets no CORS header, so the browser keeps blocking it; OPTIONS still gets 204 so no route runs.
 * On node's own request and response: the server's search path calls it before express does (see app.ts).
 */
export function corsHandler(origins: readonly string[]): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    addVary(res, 'Origin');
    const ok = origin !== undefined && allowed.has(origin);
    if (ok) res.setHeader('Access-Control-Allow-Origin', origin);
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('Allow', 'GET, HEAD, OPTIONS');
    if (ok && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'Accept');
      res.setHeader('Access-Control-Max-Age', '600');
      addVary(res, 'Access-Control-Request-Headers');
    }
    res.statusCode = 204;
    res.end();
  };
}

/** Appends `field` to the Vary header (the fields set here are each added once per response). */
export function addVary(res: ServerResponse, field: string): void {
  const vary = res.getHeader('Vary');
  res.setHeader('Vary', vary === undefined ? field : `${String(vary)}, ${field}`);
}

/** Security headers; framing is denied unless `frameAncestors` names who may frame the pages. */
export function securityHeaders(frameAncestors: readonly string[]): Record<string, string> {
  const framing = frameAncestors.length === 0 ? "'none'" : frameAncestors.join(' ');
  const headers: Record<string, string> = {
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; " +
      `base-uri 'none'; form-action 'self'; frame-ancestors ${framing}`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  // X-Frame-Options knows only DENY/SAMEORIGIN; browsers that honour CSP ignore it, older ones would deny the listed origins.
  if (frameAncestors.length === 0) headers['X-Frame-Options'] = 'DENY';
  return headers;
}
