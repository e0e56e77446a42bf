/**
 * The page's only way to its data. The search page, the article page and the embeddable box talk to a
 * SearchClient; httpClient answers over the JSON API, a static export's runtime answers from index
 * chunks with the same interface. Every failure is a ClientError whose message a reader can act on.
 */
import type { StoredArticle } from '../index/types.js';
import type { SearchHit, SearchRequest, SearchResult, Suggestion, Topic } from '../search/types.js';

export interface SearchClient {
  search(request: SearchRequest, signal?: AbortSignal): Promise<SearchResult>;
  suggest(prefix: string, limit: number, signal?: AbortSignal): Promise<Suggestion[]>;
  /** undefined for an unknown id. */
  article(id: string, signal?: AbortSignal): Promise<StoredArticle | undefined>;
  related(id: string, limit: number, signal?: AbortSignal): Promise<SearchHit[]>;
  topics(limit: number, signal?: AbortSignal): Promise<Topic[]>;
}

/** A failed request, with a Chinese message that says what to do; `retryable` when trying again may help. */
export class ClientError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The request parameter the server refused (400), if it named one. */
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

/** An article's text (a static export's article page loads it) could not be loaded or shown. */
export const TEXT_FAILED_MESSAGE = '无法加载正文。请刷新页面后再试。';

export const TIMEOUT_MESSAGE = '搜索服务长时间没有响应。请检查网络连接，然后点“重试”。';
export const OFFLINE_MESSAGE = '无法连接搜索服务。请检查网络连接，然后点“重试”。';

export interface HttpClientOptions {
  /** The site root the API lives under, relative or absolute (`./`, `../../`, `https://blog.example/search/`). */
  root?: string;
  /** A request with no answer after this long fails with TIMEOUT_MESSAGE. */
  timeoutMs?: number;
}

/** The JSON API of `zhsearch serve`; URLs are relative to `root`, so the site works under any path prefix. */
export function httpClient(options: HttpClientOptions = {}): SearchClient {
  const root = new URL(options.root ?? './', document.baseURI);
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function get<T>(path: string, params: URLSearchParams | undefined, signal?: AbortSignal): Promise<T> {
    const url = new URL(path, root);
    if (params) url.search = params.toString();
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const abort = () => timeout.abort();
    signal?.addEventListener('abort', abort);
    try {
      const response = await fetch(url, { signal: timeout.signal, headers: { Accept: 'application/json' } });
      const body = await response.json().catch(() => undefined);
      if (!response.ok) {
        const message = body?.error?.message;
        const parameter = body?.error?.parameter;
        throw new ClientError(
          typeof message === 'string' ? message : `搜索服务出错（${response.status}）。请稍后点“重试”。`,
          response.status >= 500,
          typeof parameter === 'string' ? parameter : undefined,
        );
      }
      return body as T;
    } catch (error) {
      if (error instanceof ClientError || signal?.aborted) throw error;
      throw new ClientError(timeout.signal.aborted ? TIMEOUT_MESSAGE : OFFLINE_MESSAGE, true);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
  }

  const articlePath = (id: string) => id.split('/').map(encodeURIComponent).join('/');

  return {
    search: (request, signal) => get<SearchResult>('api/search', searchParams(request), signal),
    suggest: async (prefix, limit, signal) =>
      (await get<{ suggestions: Suggestion[] }>('api/suggest', new URLSearchParams({ q: prefix, limit: String(limit) }), signal)).suggestions,
    article: async (id, signal) => {
      try {
        return await get<StoredArticle>(`api/articles/${articlePath(id)}`, undefined, signal);
      } catch (error) {
        if (error instanceof ClientError && !error.retryable) return undefined;
        throw error;
      }
    },
    related: async (id, limit, signal) =>
      (await get<{ related: SearchHit[] }>(`api/related/${articlePath(id)}`, new URLSearchParams({ limit: String(limit) }), signal)).related,
    topics: async (limit, signal) => (await get<{ topics: Topic[] }>('api/topics', new URLSearchParams({ limit: String(limit) }), signal)).topics,
  };
}

/** A SearchRequest as /api/search parameters (list filters as repeated keys). */
export function searchParams(request: SearchRequest): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(request)) {
    if (value === undefined || value === '') continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
  }
  return params;
}
