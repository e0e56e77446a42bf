/**
 * The page's SearchClient (src/web/api-client.ts) for a static export: answered by the static runtime from the
 * chunks in the export's data folder, with the same results, the same failures (ClientError, Chinese messages) as
 * the HTTP client. Links are resolved against the export's folder (`rootUrl`), so they lead to the same pages from
 * the search page, an exported article page, or a blog page with the embedded box.
 */
import type { SearchHit } from '../search/portable.js';
import type { SearchClient } from '../web/api-client.js';
import { ClientError } from '../web/api-client.js';
import { DATA_DIR, StaticFormatError } from './format.js';
import { httpChunkLoader, openStaticSearch, type StaticBackend } from './runtime.js';

const LOAD_FAILED = '无法加载搜索数据。请检查网络连接，然后点“重试”。';

export function staticClient(rootUrl: string): SearchClient {
  let backend: Promise<StaticBackend> | undefined;
  const open = (): Promise<StaticBackend> => {
    backend ??= openStaticSearch(httpChunkLoader(new URL(`${DATA_DIR}/`, rootUrl).href));
    // A failed start is tried again on the next call.
    backend.catch(() => (backend = undefined));
    return backend;
  };
  /** Runs `call` on the backend; an abandoned call rejects with the abort, any other failure as a ClientError. */
  async function answer<T>(call: (backend: StaticBackend) => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      const result = await call(await open());
      signal?.throwIfAborted();
      return result;
    } catch (error) {
      if (signal?.aborted || error instanceof ClientError) throw error;
      // Data of another format is not fixed by trying again.
      if (error instanceof StaticFormatError) throw new ClientError(error.message, false);
      throw new ClientError(LOAD_FAILED, true);
    }
  }
  const link = (url: string): string => new URL(url, rootUrl).href;
  const linked = (hit: SearchHit): SearchHit => ({ ...hit, url: link(hit.url) });
  return {
    search: (request, signal) => answer(async (b) => {
      const result = await b.search(request);
      return { ...result, hits: result.hits.map(linked) };
    }, signal),
    suggest: (prefix, limit, signal) => answer(async (b) => (await b.suggest(prefix, limit)).map((s) => (s.url === undefined ? s : { ...s, url: link(s.url) })), signal),
    article: (id, signal) => answer((b) => b.article(id), signal),
    related: (id, limit, signal) => answer(async (b) => ((await b.related(id, limit)) ?? []).map(linked), signal),
    topics: (limit, signal) => answer((b) => b.topics(limit), signal),
  };
}
