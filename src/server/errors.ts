import type { ErrorRequestHandler, RequestHandler } from 'express';
import { escapeHtml } from '../search/index.js';

/** Machine-readable error codes of the JSON API (`{error:{code, message}}`). */
export type ErrorCode =
  | 'invalid_parameter'
  | 'repeated_parameter'
  | 'parameter_too_long'
  | 'bad_request'
  | 'not_found'
  | 'method_not_allowed'
  | 'unavailable'
  | 'internal_error';

/** An error with the HTTP status and the JSON body the client gets. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** The query or path parameter at fault, echoed in the body. */
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; parameter?: string };
}

export function errorBody(error: HttpError): ErrorBody {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.parameter !== undefined) body.error.parameter = error.parameter;
  return body;
}

/** Unknown routes under /api: JSON 404 instead of express's HTML page. */
export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `没有这个接口：${req.method} ${req.baseUrl}${req.path}。可用的接口见 README 的“HTTP API”一节`));
};

/**
 * Maps every error to a status and a JSON body. Errors raised by express/body parsing on bad
 * client input (malformed percent-encoding: status 400) stay 4xx; anything else is a bug → 500.
 */
export function errorHandler(log: (line: string) => void, base = '/'): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const error = failure(err, req.method, req.originalUrl, log);
    res.status(error.status);
    const route = req.path.startsWith(base) ? req.path.slice(base.length - 1) : req.path;
    if (route.startsWith('/api/') || route === '/healthz' || !req.accepts('html')) {
      res.json(errorBody(error));
    } else {
      res.type('html').send(errorPage(error, base));
    }
  };
}

/** The HttpError a request that failed with `err` is answered with; a bug (5xx) is logged with its stack. */
export function failure(err: unknown, method: string, url: string, log: (line: string) => void): HttpError {
  const error = toHttpError(err);
  if (error.status >= 500) log(`error ${method} ${url}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  return error;
}

function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
  if (err instanceof URIError || status === 400) {
    return new HttpError(400, 'bad_request', '请求路径中的百分号编码不完整或有误，请检查链接是否复制完整');
  }
  // A search engine that cannot answer (SphinxQL backend): the service is unavailable, not broken.
  if (status === 503) return new HttpError(503, 'unavailable', err instanceof Error ? err.message : 'search engine unavailable');
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(status, status === 404 ? 'not_found' : 'bad_request', status === 404 ? '没有这个页面，请检查链接，或回到搜索页重新搜索' : `请求有误（${status}），请检查链接后重试`);
  }
  return new HttpError(500, 'internal_error', '服务器内部出错，请稍后重试；如果一直出错，请联系网站管理员（详情在服务器日志中）');
}

function errorPage(error: HttpError, base: string): string {
  const title = error.status === 404 ? '未找到页面' : '请求出错';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="stylesheet" href="${base}style.css"></head><body><main class="page"><h1>${error.status} ${title}</h1><p>${escapeHtml(error.message)}</p><p><a href="${base}">返回搜索</a></p></main></body></html>`;
}
