/**
 * Work done in a child process, so each system's memory is measured on its own: the task shapes, and the
 * parent-side runner that forks src/bench/child.ts and waits for its one result message.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SegmenterName } from '../analysis/types.js';
import type { LatencySummary } from './stats.js';

/** A query as every system receives it (zhsearch syntax: spaces separate words, quotes make phrases). */
export interface BenchQuery {
  q: string;
  category?: string;
}

/** Top ids for a query, as a system answers it. */
export type Searcher = (query: BenchQuery, limit: number) => string[];

/** Named lists of latency queries plus the ranked topic queries of the eval. */
export interface QueryPlan {
  latency: { name: string; queries: BenchQuery[] }[];
  /** Passes over each latency list (after one unrecorded warm-up pass). */
  passes: number;
  ranked: { qid: string; q: string }[];
  /** Ranking depth for the ranked queries. */
  depth: number;
}

export type ChildTask =
  | { kind: 'prepare'; corpus: string; docsFile: string }
  | { kind: 'build'; peer: string; docsFile: string; dir: string; fraction: number; save: boolean; queryPlanFile?: string }
  | { kind: 'query'; system: string; dir: string; queryPlanFile: string }
  /** zhsearch analysis throughput over the first `maxBytes` of the docs' text. */
  | { kind: 'analysis'; segmenter: SegmenterName; threads: number; docsFile: string; maxBytes: number }
  /**
   * Serves `GET /api/search?q=&size=` on 127.0.0.1 until killed; answers with { url } once listening. zhsearch with
   * `engine` (a sphinxql:// URL) serves that engine instead of the index in `dir`.
   */
  | { kind: 'serve'; system: string; dir: string; engine?: string };

export interface PrepareResult {
  docs: number;
  sourceBytes: number;
  rejected: number;
  ingestMs: number;
  segmentMs: number;
  peakRssBytes: number;
}

export interface QueryResults {
  latency: Record<string, LatencySummary>;
  rankings: Record<string, string[]>;
}

export interface BuildResult {
  docs: number;
  /** RSS once the docs file is read, before building: the part of the peak that is input, not index. */
  rssBeforeBuildBytes: number;
  buildMs: number;
  saveMs: number | null;
  peakRssBytes: number;
  queries?: QueryResults;
}

export interface LoadResult {
  loadMs: number;
  /** Heap used after load and a full GC. */
  heapAfterLoadBytes: number;
  rssAfterLoadBytes: number;
  queries: QueryResults;
  /** zhsearch only: the same latency lists answered as the peers answer them, top ids without facets or snippets. */
  idsOnlyLatency?: QueryResults['latency'];
}

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

function forkChild(): ChildProcess {
  return fork(CHILD, [], { execArgv: ['--expose-gc', '--max-old-space-size=16384'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Runs one task in a fresh Node process (with --expose-gc and a large heap) and resolves with its result. */
export function runChild<T>(task: ChildTask): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = forkChild();
    let result: { ok: true; value: T } | { ok: false; error: string } | undefined;
    child.on('message', (message) => {
      result = message as typeof result;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result?.ok) resolve(result.value);
      else reject(new Error(`bench child (${describeTask(task)}) failed: ${result ? result.error : `exit code ${code}, signal ${signal}`}`));
    });
    child.send(task);
  });
}

/** Starts a `serve` task and resolves once it listens; stop() ends that child. */
export function startServing(task: Extract<ChildTask, { kind: 'serve' }>): Promise<{ url: string; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = forkChild();
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const stop = async (): Promise<void> => {
      child.kill();
      await exited;
    };
    child.once('message', (message) => {
      const result = message as { ok: true; value: { url: string } } | { ok: false; error: string };
      if (result.ok) resolve({ url: result.value.url, stop });
      else reject(new Error(`bench server (${describeTask(task)}) failed: ${result.error}`));
    });
    child.once('exit', (code) => reject(new Error(`bench server (${describeTask(task)}) exited with code ${code}`)));
    child.send(task);
  });
}

function describeTask(task: ChildTask): string {
  if (task.kind === 'prepare') return `prepare ${task.corpus}`;
  if (task.kind === 'build') return `build ${task.peer}`;
  if (task.kind === 'analysis') return `analysis ${task.segmenter} ×${task.threads}`;
  return `${task.kind} ${task.system}`;
}
