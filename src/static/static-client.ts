/**
 * The page's SearchClient (src/web/api-client.ts) for a static export: answered by the static runtime from the
 * chunks in `dataUrl`, with the same results, the same failures (ClientError, Chinese messages) as the HTTP client.
 */
import type { SearchClient } from '../web/api-client.js';
import { ClientError } from '../web/api-client.js';
import { httpChunkLoader, openStaticSearch, type StaticBackend } from './runtime.js';

const LOAD_FAILED = '无法加载搜索数据。请检查网络连接，然后点“重试”。';

export function staticClient(dataUrl: string): SearchClient {
  let backend: Promise<StaticBackend> | undefined;
  const open = (): Promise<StaticBackend> => {
    backend ??= openStaticSearch(httpChunkLoader(dataUrl));
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
      throw new ClientError(LOAD_FAILED, true);
    }
  }
  return {
    search: (request, signal) => answer((b) => b.search(request), signal),
    suggest: (prefix, limit, signal) => answer((b) => b.suggest(prefix, limit), signal),
    article: (id, signal) => answer((b) => b.article(id), signal),
    related: (id, limit, signal) => answer(async (b) => (await b.related(id, limit)) ?? [], signal),
    topics: (limit, signal) => answer((b) => b.topics(limit), signal),
  };
}
