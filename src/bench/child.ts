/** Child-process entry for one bench task (see tasks.ts): receives the task over IPC, answers with one message. */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { loadPeerCorpus } from './peerCorpus.js';
import { createJiebaTokenizer, parsePeerQuery, readDocsFile, writeDocsFile } from './peerText.js';
import { peerByName, type PeerIndex } from './peers/index.js';
import { inFraction } from './scaleCorpus.js';
import { summarizeLatency } from './stats.js';
import type { BuildResult, ChildTask, LoadResult, PrepareResult, QueryPlan, QueryResults, Searcher } from './tasks.js';
import { openZhsearch, ZHSEARCH } from './zhsearchSystem.js';

function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function peerSearcher(index: PeerIndex): Searcher {
  const tokenize = createJiebaTokenizer();
  return (query, limit) => index.search(parsePeerQuery(query.q, tokenize, query.category), limit);
}

function runQueries(search: Searcher, plan: QueryPlan): QueryResults {
  const latency: QueryResults['latency'] = {};
  for (const list of plan.latency) {
    for (const query of list.queries) search(query, 10);
    const samples: number[] = [];
    for (let pass = 0; pass < plan.passes; pass++) {
      for (const query of list.queries) {
        const start = performance.now();
        search(query, 10);
        samples.push(performance.now() - start);
      }
    }
    latency[list.name] = summarizeLatency(samples);
  }
  const rankings: QueryResults['rankings'] = {};
  for (const { qid, q } of plan.ranked) rankings[qid] = search({ q }, plan.depth);
  return { latency, rankings };
}

function readPlan(file: string): QueryPlan {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as QueryPlan;
}

async function prepare(task: Extract<ChildTask, { kind: 'prepare' }>): Promise<PrepareResult> {
  const corpus = await loadPeerCorpus(task.corpus);
  writeDocsFile(task.docsFile, corpus.docs);
  return {
    docs: corpus.docs.length,
    sourceBytes: corpus.sourceBytes,
    rejected: corpus.rejected,
    ingestMs: corpus.ingestMs,
    segmentMs: corpus.segmentMs,
    peakRssBytes: peakRssBytes(),
  };
}

async function build(task: Extract<ChildTask, { kind: 'build' }>): Promise<BuildResult> {
  const peer = peerByName(task.peer);
  const docs = (await readDocsFile(task.docsFile)).filter((doc) => inFraction(doc.id, task.fraction));
  collectGarbage();
  const rssBeforeBuildBytes = process.memoryUsage().rss;
  fs.mkdirSync(task.dir, { recursive: true });
  const start = performance.now();
  const index = await peer.build(docs, task.dir);
  const buildMs = performance.now() - start;
  let saveMs: number | null = null;
  if (task.save) {
    const saveStart = performance.now();
    await index.save();
    saveMs = performance.now() - saveStart;
  }
  const result: BuildResult = { docs: docs.length, rssBeforeBuildBytes, buildMs, saveMs, peakRssBytes: peakRssBytes() };
  if (task.queryPlanFile) result.queries = runQueries(peerSearcher(index), readPlan(task.queryPlanFile));
  return result;
}

async function query(task: Extract<ChildTask, { kind: 'query' }>): Promise<LoadResult> {
  const start = performance.now();
  const search = task.system === ZHSEARCH ? await openZhsearch(task.dir) : peerSearcher(await peerByName(task.system).load(task.dir));
  const loadMs = performance.now() - start;
  collectGarbage();
  const memory = process.memoryUsage();
  return { loadMs, heapAfterLoadBytes: memory.heapUsed, rssAfterLoadBytes: memory.rss, queries: runQueries(search, readPlan(task.queryPlanFile)) };
}

async function run(task: ChildTask): Promise<unknown> {
  if (task.kind === 'prepare') return prepare(task);
  if (task.kind === 'build') return build(task);
  return query(task);
}

process.once('message', (task) => {
  run(task as ChildTask).then(
    (value) => process.send!({ ok: true, value }, () => process.exit(0)),
    (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
});
