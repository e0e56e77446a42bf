/** Child-process entry for one bench task (see tasks.ts): receives the task over IPC, answers with one message. */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { measureAnalysis } from './analysisThroughput.js';
import { loadPeerCorpus } from './peerCorpus.js';
import { createJiebaTokenizer, parsePeerQuery, readDocsFile, writeDocsFile } from './peerText.js';
import { peerByName, type PeerIndex } from './peers/index.js';
import { inFraction } from './scaleCorpus.js';
import { startServer } from '../server/index.js';
import { parseEngineUrl } from '../index/index.js';
import { engineBackend } from '../search/index.js';
import { cpuMsSince } from './stats.js';
import type { BuildResult, ChildTask, LoadFigures, PrepareResult, RankPlan, Rankings, Searcher, SessionPass } from './tasks.js';
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

function rankQueries(search: Searcher, plan: RankPlan): Rankings {
  const rankings: Rankings = {};
  for (const { qid, q } of plan.ranked) rankings[qid] = search({ q }, plan.depth);
  return rankings;
}

/** One pass over the queries, top 10 each; the time of each answer in ms. */
function timePass(search: Searcher, pass: SessionPass): number[] {
  return pass.queries.map((query) => {
    const start = performance.now();
    search(query, 10);
    return performance.now() - start;
  });
}

function readRankPlan(file: string): RankPlan {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as RankPlan;
}

async function prepare(task: Extract<ChildTask, { kind: 'prepare' }>): Promise<PrepareResult> {
  const corpus = await loadPeerCorpus(task.corpus);
  writeDocsFile(task.docsFile, corpus.docs);
  const { docs, ...figures } = corpus;
  return { ...figures, docs: docs.length, peakRssBytes: peakRssBytes() };
}

async function build(task: Extract<ChildTask, { kind: 'build' }>): Promise<BuildResult> {
  const peer = peerByName(task.peer);
  const docs = (await readDocsFile(task.docsFile)).filter((doc) => inFraction(doc.id, task.fraction));
  collectGarbage();
  const rssBeforeBuildBytes = process.memoryUsage().rss;
  fs.mkdirSync(task.dir, { recursive: true });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const index = await peer.build(docs, task.dir);
  const buildMs = performance.now() - start;
  const buildCpuMs = cpuMsSince(cpuStart);
  let saveMs: number | null = null;
  if (task.save) {
    const saveStart = performance.now();
    await index.save();
    saveMs = performance.now() - saveStart;
  }
  const result: BuildResult = { docs: docs.length, rssBeforeBuildBytes, buildMs, buildCpuMs, saveMs, peakRssBytes: peakRssBytes() };
  if (task.rankPlanFile) result.rankings = rankQueries(peerSearcher(index), readRankPlan(task.rankPlanFile));
  return result;
}

/** A system's searchers: zhsearch answers both ways (and indexes its suggestions when asked), a peer only with ids. */
async function openSystem(
  system: string,
  dir: string,
  builtInSynonyms = true,
): Promise<{ full?: Searcher; ids?: Searcher; finishSuggestions?: () => void }> {
  if (system === ZHSEARCH) return openZhsearch(dir, { builtInSynonyms });
  return { ids: peerSearcher(await peerByName(system).load(dir)) };
}

async function rank(task: Extract<ChildTask, { kind: 'rank' }>): Promise<{ rankings: Rankings }> {
  const searchers = await openSystem(task.system, task.dir, task.builtInSynonyms);
  return { rankings: rankQueries((searchers.full ?? searchers.ids)!, readRankPlan(task.rankPlanFile)) };
}

/** Loads the system and answers with its load figures; the session's passes are served by serveSession. */
async function openSession(task: Extract<ChildTask, { kind: 'session' }>): Promise<LoadFigures> {
  const start = performance.now();
  const searchers = await openSystem(task.system, task.dir);
  const loadMs = performance.now() - start;
  // The passes time the steady state, as the HTTP rows do (one suggestion first): zhsearch's suggestions are indexed
  // now, not left to the background build, whose slices ran between the passes and whose ~80 MB, promoted, fell in
  // their samples (a server pays that build in its first seconds, between its first requests).
  const suggestionsStart = performance.now();
  searchers.finishSuggestions?.();
  const suggestionsMs = searchers.finishSuggestions ? performance.now() - suggestionsStart : null;
  collectGarbage();
  const memory = process.memoryUsage();
  process.on('message', (message) => {
    const pass = message as SessionPass;
    const search = searchers[pass.variant];
    if (search) process.send!({ ok: true, value: timePass(search, pass) });
    else process.send!({ ok: false, error: `${task.system} does not answer ${pass.variant}` });
  });
  return { loadMs, suggestionsMs, heapAfterLoadBytes: memory.heapUsed, rssAfterLoadBytes: memory.rss };
}

/** Titles and bodies of every k-th document, about maxBytes of UTF-8 spread over all sources (the same sample every run). */
async function analysisTexts(docsFile: string, maxBytes: number): Promise<string[]> {
  const docs = await readDocsFile(docsFile);
  const total = docs.reduce((sum, doc) => sum + Buffer.byteLength(doc.title) + Buffer.byteLength(doc.body), 0);
  const stride = Math.max(1, Math.round(total / maxBytes));
  return docs.filter((_, i) => i % stride === 0).flatMap((doc) => [doc.title, doc.body]);
}

/** What this child closes before it exits, if anything: a zhsearch server's processes. */
let closeBeforeExit: (() => Promise<void>) | null = null;

function exitClosing(): void {
  void (closeBeforeExit?.() ?? Promise.resolve()).finally(() => process.exit(0));
}

async function serve(task: Extract<ChildTask, { kind: 'serve' }>): Promise<{ url: string }> {
  if (task.system === ZHSEARCH) {
    const backend = task.engine ? await engineBackend({ engine: parseEngineUrl(task.engine) }) : undefined;
    const processes = task.processes ?? 1;
    const server = await startServer({ indexDir: task.dir, port: 0, host: '127.0.0.1', log: () => {}, backend, processes });
    // The bench stops a server with SIGTERM: its processes stop with it instead of outliving this one.
    closeBeforeExit = () => server.close();
    process.once('SIGTERM', exitClosing);
    // One suggestion finishes the suggester's background build now, so it does not share the CPU with the load test.
    // A new connection each: the processes take connections in turn, so every one of them gets one.
    for (let i = 0; i < 2 * processes; i++) await suggestOnNewConnection(server.url);
    return { url: server.url };
  }
  // A peer gets the thinnest server that answers the same request with JSON ids.
  const search = peerSearcher(await peerByName(task.system).load(task.dir));
  const server = http.createServer((request, response) => {
    const params = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const ids = search({ q: params.get('q') ?? '' }, Number(params.get('size') ?? 10));
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify({ hits: ids.map((id) => ({ id })) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function suggestOnNewConnection(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${url}/api/suggest?q=${encodeURIComponent('中国')}`, { agent: false }, (response) => {
      response.resume();
      response.once('end', resolve);
    });
    request.once('error', reject);
    // A server that never answers fails the run instead of holding it.
    request.setTimeout(60_000, () => request.destroy(new Error(`no answer from ${url} within 60 s`)));
  });
}

async function run(task: ChildTask): Promise<unknown> {
  if (task.kind === 'prepare') return prepare(task);
  if (task.kind === 'build') return build(task);
  if (task.kind === 'serve') return serve(task);
  if (task.kind === 'analysis') return measureAnalysis(task.segmenter, await analysisTexts(task.docsFile, task.maxBytes), task.threads);
  if (task.kind === 'session') return openSession(task);
  return rank(task);
}

// A server or a session left running when the bench dies (its IPC channel closes) ends with it.
process.once('disconnect', exitClosing);

process.once('message', (message) => {
  const task = message as ChildTask;
  run(task).then(
    // A server or a session keeps running (and the IPC channel open) until the bench kills it.
    (value) => process.send!({ ok: true, value }, () => task.kind !== 'serve' && task.kind !== 'session' && process.exit(0)),
    (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
  );
});
