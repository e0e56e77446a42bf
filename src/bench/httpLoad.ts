/** HTTP throughput and latency of `/api/search` under autocannon, for a bounded duration. */
import os from 'node:os';
import autocannon from 'autocannon';
import { markdownTable } from './table.js';
import { processTreeCpuNs } from './threadCpu.js';
import { startServing, type BenchQuery, type ChildTask } from './tasks.js';
import { IDS_ONLY_PARAMS, ZHSEARCH } from './zhsearchSystem.js';

export interface HttpFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx responses plus connection errors and timeouts. */
  failures: number;
  requests: number;
  /**
   * CPU time of the server (every thread of its processes) per request answered, in ms; NaN off Linux. Other work on
   * a shared machine slows requests/s far more than it changes this.
   */
  serverCpuMs: number;
}

/** `extra`: more query-string parameters, e.g. `&facets=false&snippets=false`. */
export function searchPath(query: BenchQuery, extra = ''): string {
  return `/api/search?q=${encodeURIComponent(query.q)}&size=10${extra}`;
}

/** Each connection cycles through the query paths in order, for `seconds` or until `amount` requests in all. */
export async function loadTest(
  url: string,
  queries: readonly BenchQuery[],
  run: { seconds: number } | { amount: number },
  extra = '',
  connections = 10,
): Promise<HttpFigures> {
  const result = await autocannon({
    url,
    connections,
    ...('seconds' in run ? { duration: run.seconds } : { amount: run.amount }),
    requests: queries.map((query) => ({ method: 'GET' as const, path: searchPath(query, extra) })),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    requests: result.requests.total,
    serverCpuMs: NaN,
  };
}

/**
 * Serves `system` (its index in `dir`, or the engine at `engine`) in a child process and load-tests it after a
 * warm-up; zhsearch on `processes` processes (`serve --processes`), default one.
 */
export async function httpFigures(
  system: string,
  dir: string,
  queries: BenchQuery[],
  duration: number,
  extra = '',
  { engine, processes }: { engine?: string; processes?: number } = {},
): Promise<HttpFigures> {
  const task: Extract<ChildTask, { kind: 'serve' }> = { kind: 'serve', system, dir, ...(engine ? { engine } : {}), ...(processes ? { processes } : {}) };
  const server = await startServing(task);
  try {
    // Warm-up, not reported: each query once per server process, as the in-process passes have one unrecorded pass
    // (a first answer reads its hits' stored texts, which the measured window would otherwise pay for). node:cluster
    // hands whole connections round the processes: one connection each.
    const servers = processes ?? 1;
    await loadTest(server.url, queries, { amount: queries.length * servers }, extra, servers);
    // Then a run as long as the measured one: V8's optimizing compiler, on threads of the server (so in its CPU), went
    // on compiling through a zhsearch server's first ~9,000 answers, a quarter of its CPU in a window measured after
    // the pass above alone. The window measured is then the steady state, for every system alike.
    await loadTest(server.url, queries, { seconds: duration }, extra);
    const cpuBefore = processTreeCpuNs(server.pid);
    const figures = await loadTest(server.url, queries, { seconds: duration }, extra);
    const cpuNs = processTreeCpuNs(server.pid) - cpuBefore;
    return { ...figures, serverCpuMs: cpuNs > 0 ? cpuNs / 1e6 / figures.requests : NaN };
  } finally {
    await server.stop();
  }
}

/** Processes of the bench's multi-process zhsearch rows: the cores of the machine this was written for. */
const PROCESSES = 2;

export interface HttpSection {
  /** The table and the paragraph before it. */
  text: string;
  /** zhsearch's full hits on one process, as the peer serves: the figure issue 16's target compares. */
  fullHits: HttpFigures;
  /** The same on PROCESSES processes. */
  fullHitsProcesses: HttpFigures;
  /** The peers' rows, in the order given. */
  peers: { label: string; figures: HttpFigures }[];
}

/**
 * zhsearch's index in `zh.dir` served by one process and by `serve --processes 2`, full hits and ids only, then each
 * peer behind a minimal node:http server; one after another, `duration` seconds each.
 */
export async function httpSection(
  zh: { label: string; dir: string },
  peers: readonly { label: string; name: string; dir: string }[],
  queries: BenchQuery[],
  duration: number,
): Promise<HttpSection> {
  const rows: { label: string; figures: HttpFigures }[] = [];
  const zhRows = async (processes: number, what: string): Promise<HttpFigures> => {
    const full = await httpFigures(ZHSEARCH, zh.dir, queries, duration, '', { processes });
    rows.push({ label: `${zh.label}, ${what}, full hits`, figures: full });
    const ids = await httpFigures(ZHSEARCH, zh.dir, queries, duration, IDS_ONLY_PARAMS, { processes });
    rows.push({ label: `${zh.label}, ${what}, ids only (\`${IDS_ONLY_PARAMS.slice(1)}\`)`, figures: ids });
    return full;
  };
  const fullHits = await zhRows(1, '`serve`, one process');
  const fullHitsProcesses = await zhRows(PROCESSES, `\`serve --processes ${PROCESSES}\``);
  const peerRows: HttpSection['peers'] = [];
  for (const peer of peers) {
    const figures = await httpFigures(peer.name, peer.dir, queries, duration);
    peerRows.push({ label: peer.label, figures });
    rows.push({ label: `${peer.label} behind a minimal node:http server, one process`, figures });
  }
  const cores = os.cpus().length;
  const text = [
    `${duration} s per row after a warm-up asking each query once of each server process, then ${duration} s of the same load not reported (the servers' JIT compilers settle), cycling through the one- and two-term queries. ` +
      `\`serve --processes ${PROCESSES}\`: ${PROCESSES} processes (node:cluster), each with its own copy of the index, answering on one port; ` +
      `peers and the one-process rows run one process. autocannon runs on the same ${cores} cores as the server, ` +
      `so ${PROCESSES} server processes share them with the load generator. ` +
      'Server CPU: user + system time of every thread of the server\'s processes during the run, divided by the requests answered.',
    '',
    markdownTable(
      ['system', 'requests/s', 'p50 ms', 'p99 ms', 'requests', 'failures', 'server CPU ms/request'],
      rows.map(({ label, figures }) => [label, figures.requestsPerSecond, figures.p50Ms, figures.p99Ms, figures.requests, figures.failures, figures.serverCpuMs]),
    ),
  ].join('\n');
  return { text, fullHits, fullHitsProcesses, peers: peerRows };
}
