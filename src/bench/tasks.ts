/**
 * Work done in a child process, so each system's memory is measured on its own: the task shapes, and the
 * parent-side runner that forks src/bench/child.ts and waits for its one result message.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SegmenterName } from '../analysis/types.js';
import { IDLE_SCAVENGE_FLAG } from '../server/index.js';
import type { PeerCorpus } from './peerCorpus.js';
import type { LatencySummary } from './stats.js';

/** A query as every system receives it (zhsearch syntax: spaces separate words, quotes make phrases). */
export interface BenchQuery {
  q: string;
  category?: string;
}

/** Top ids for a query, as a system answers it. */
export type Searcher = (query: BenchQuery, limit: number) => string[];

/** Named lists of latency queries, each run `passes` times per system (after one unrecorded warm-up pass). */
export interface LatencyPlan {
  latency: { name: string; queries: BenchQuery[] }[];
  passes: number;
}

/** The ranked topic queries of the eval. */
export interface RankPlan {
  ranked: { qid: string; q: string }[];
  /** Ranking depth. */
  depth: number;
}

/** zhsearch answers two ways: `full` (snippets and facets, as the search page asks) and `ids` (as the peers answer). */
export type AnswerVariant = 'full' | 'ids';

export type ChildTask =
  | { kind: 'prepare'; corpus: string; docsFile: string }
  | { kind: 'build'; peer: string; docsFile: string; dir: string; fraction: number; save: boolean; rankPlanFile?: string }
  | { kind: 'rank'; system: string; dir: string; rankPlanFile: string; builtInSynonyms?: boolean }
  /**
   * Loads a system and answers with its LoadFigures, then stays: each SessionPass message it receives is run once
   * and answered with the latency samples (ms), so the parent can interleave the passes of several systems.
   */
  | { kind: 'session'; system: string; dir: string }
  /** zhsearch analysis throughput over the first `maxBytes` of the docs' text. */
  | { kind: 'analysis'; segmenter: SegmenterName; threads: number; docsFile: string; maxBytes: number }
  /**
   * Serves `GET /api/search?q=&size=` on 127.0.0.1 until killed; answers with { url } once listening. zhsearch with
   * `engine` (a sphinxql:// URL) serves that engine instead of the index in `dir`; with `processes`, on that many
   * processes (`serve --processes`).
   */
  | { kind: 'serve'; system: string; dir: string; engine?: string; processes?: number };

/** The peers' shared input, prepared once: the corpus's figures, its documents written to a file. */
export type PrepareResult = Omit<PeerCorpus, 'docs'> & { docs: number; peakRssBytes: number };

export type Rankings = Record<string, string[]>;

export interface BuildResult {
  docs: number;
  /** RSS once the docs file is read, before building: the part of the peak that is input, not index. */
  rssBeforeBuildBytes: number;
  buildMs: number;
  /** CPU time (user + system) of the build. */
  buildCpuMs: number;
  saveMs: number | null;
  peakRssBytes: number;
  rankings?: Rankings;
}

export interface LoadFigures {
  loadMs: number;
  /** zhsearch: indexing its suggestions after the load, before the passes (which time the steady state). */
  suggestionsMs: number | null;
  /** Heap used after load and a full GC. */
  heapAfterLoadBytes: number;
  rssAfterLoadBytes: number;
}

/** One pass of a session: the queries, in order, answered the given way. */
export interface SessionPass {
  queries: BenchQuery[];
  variant: AnswerVariant;
}

export interface LoadResult extends LoadFigures {
  /** Per latency list: full hits for zhsearch, the peer's ids otherwise. */
  latency: Record<string, LatencySummary>;
  /** zhsearch only: the same latency lists answered as the peers answer them, top ids without facets or snippets. */
  idsOnlyLatency?: Record<string, LatencySummary>;
  /**
   * Per latency list, as `latency` answers it, each query's first search (the warm-up pass, 1 sample a query): what
   * a query costs before anything kept from its own earlier searches (zhsearch's plans, snippet tokens, snippets,
   * compounds' and phrases' documents, slots' block data).
   */
  firstSearch?: Record<string, LatencySummary>;
}

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

/**
 * Query sessions and servers of every system (peers alike) run with zhsearch's server's V8 setting
 * (IDLE_SCAVENGE_FLAG), so that each is timed as the server runs and none is favoured; builds run with V8's defaults.
 */
export function forkChild(serving = false): ChildProcess {
  const execArgv = ['--expose-gc', '--max-old-space-size=16384', ...(serving ? [IDLE_SCAVENGE_FLAG] : [])];
  return fork(CHILD, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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

/**
 * Starts a `session` task: resolves once the system is loaded, with its load figures, pass() to run one pass of
 * queries in it (resolving with the samples in ms) and stop() to end the child.
 */
export function startSession(
  task: Extract<ChildTask, { kind: 'session' }>,
): Promise<{ load: LoadFigures; pass: (pass: SessionPass) => Promise<number[]>; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = forkChild(true);
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    let waiting: { resolve: (samples: number[]) => void; reject: (error: Error) => void } | null = null;
    const failed = (why: string): Error => new Error(`bench session (${describeTask(task)}) failed: ${why}`);
    child.once('exit', (code, signal) => {
      reject(failed(`exit code ${code}, signal ${signal}`));
      waiting?.reject(failed(`exit code ${code}, signal ${signal}`));
    });
    child.once('message', (message) => {
      const result = message as { ok: true; value: LoadFigures } | { ok: false; error: string };
      if (!result.ok) {
        reject(failed(result.error));
        return;
      }
      child.on('message', (reply) => {
        const answer = reply as { ok: true; value: number[] } | { ok: false; error: string };
        const pending = waiting;
        waiting = null;
        if (answer.ok) pending?.resolve(answer.value);
        else pending?.reject(failed(answer.error));
      });
      resolve({
        load: result.value,
        pass: (pass) =>
          new Promise((done, fail) => {
            waiting = { resolve: done, reject: fail };
            child.send(pass);
          }),
        stop: async () => {
          child.kill();
          await exited;
        },
      });
    });
    child.send(task);
  });
}

/** How long a bench server has to close after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;

/** Starts a `serve` task and resolves once it listens, with the child's pid; stop() ends that child. */
export function startServing(task: Extract<ChildTask, { kind: 'serve' }>): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = forkChild(true);
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const stop = async (): Promise<void> => {
      child.kill();
      // A server whose close() never ends (a stuck process of its cluster) must not hang the bench.
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(killer);
    };
    child.once('message', (message) => {
      const result = message as { ok: true; value: { url: string } } | { ok: false; error: string };
      if (result.ok) resolve({ url: result.value.url, pid: child.pid!, stop });
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
