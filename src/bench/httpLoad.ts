/** HTTP throughput and latency of `/api/search` under autocannon, for a bounded duration. */
import autocannon from 'autocannon';
import { startServing, type BenchQuery, type ChildTask } from './tasks.js';

export interface HttpFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx responses plus connection errors and timeouts. */
  failures: number;
  requests: number;
}

/** `extra`: more query-string parameters, e.g. `&facets=false&snippets=false`. */
export function searchPath(query: BenchQuery, extra = ''): string {
  return `/api/search?q=${encodeURIComponent(query.q)}&size=10${extra}`;
}

/** Each connection cycles through the query paths in order. */
export async function loadTest(url: string, queries: readonly BenchQuery[], seconds: number, extra = '', connections = 10): Promise<HttpFigures> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: queries.map((query) => ({ method: 'GET' as const, path: searchPath(query, extra) })),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    requests: result.requests.total,
  };
}

/** Serves `system` (its index in `dir`, or the engine at `engine`) in a child process and load-tests it after a warm-up. */
export async function httpFigures(system: string, dir: string, queries: BenchQuery[], duration: number, extra = '', engine?: string): Promise<HttpFigures> {
  const task: Extract<ChildTask, { kind: 'serve' }> = { kind: 'serve', system, dir, ...(engine ? { engine } : {}) };
  const server = await startServing(task);
  try {
    await loadTest(server.url, queries.slice(0, 20), 1, extra); // warm-up, not reported
    return await loadTest(server.url, queries, duration, extra);
  } finally {
    await server.stop();
  }
}
