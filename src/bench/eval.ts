/**
 * `npm run eval`: relevance of zhsearch and its peers on graded topic queries (../shared/eval/dev and dev-hard), all systems
 * built from the same corpus in one run. Prints the tables and updates the eval section of bench/RESULTS.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readQrels, readQueries, type Qrels, type TopicQuery } from './judgments.js';
import { evalTables, type SystemRun } from './evalReport.js';
import { meanScores, RELEVANT_GRADE, scoreQuery } from './metrics.js';
import { displayPath, parseBenchOptions, shareOfRun, type BenchOptions } from './options.js';
import { peerByName } from './peers/index.js';
import { machineLine, publishResults } from './resultsFile.js';
import { runChild, type BuildResult, type PrepareResult, type RankPlan, type Rankings } from './tasks.js';
import { reindexWithCli, ZHSEARCH } from './zhsearchSystem.js';

/** Ranking depth: Recall@30 needs 30. */
const DEPTH = 30;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Runs every system; `done` hears about each as soon as its rankings are in (a long run can be read part-way). */
async function runSystems(options: BenchOptions, queries: TopicQuery[], done: (runs: SystemRun[]) => void): Promise<SystemRun[]> {
  fs.mkdirSync(options.work, { recursive: true });
  const planFile = path.join(options.work, 'eval-plan.json');
  const plan: RankPlan = { ranked: queries.map(({ qid, query }) => ({ qid, q: query })), depth: DEPTH };
  fs.writeFileSync(planFile, JSON.stringify(plan));

  const runs: SystemRun[] = [];
  const indexDir = options.index ?? path.join(options.work, 'eval-zhsearch-index');
  if (options.index) {
    // A query-time change needs no new index: rank with the one given (built from the same corpus).
    log(`zhsearch: the index in ${options.index} (no reindex)`);
  } else {
    log(`zhsearch: reindex --full of ${options.corpus} (${options.segmenter}, ${options.workers} workers)`);
    const reindex = await reindexWithCli({ corpus: options.corpus, index: indexDir, full: true, workers: options.workers, segmenter: options.segmenter });
    log(`  ${reindex.summary.articles} articles in ${(reindex.wallMs / 1000).toFixed(1)} s`);
  }
  const zh = await runChild<{ rankings: Rankings }>({ kind: 'rank', system: ZHSEARCH, dir: indexDir, rankPlanFile: planFile, builtInSynonyms: options.builtInSynonyms });
  runs.push({ label: `zhsearch (${options.segmenter}${options.builtInSynonyms ? '' : ', without built-in synonyms'})`, rankings: zh.rankings });
  done(runs);

  if (options.peers.length === 0) return runs;
  const docsFile = path.join(options.work, 'peer-docs.jsonl');
  log('peers: ingest and jieba segmentation of the same corpus');
  const prepared = await runChild<PrepareResult>({ kind: 'prepare', corpus: options.corpus, docsFile });
  log(`  ${prepared.docs} posts, ingest ${(prepared.ingestMs / 1000).toFixed(1)} s, segmentation ${(prepared.segmentMs / 1000).toFixed(1)} s`);
  for (const name of options.peers) {
    const peer = peerByName(name);
    const fraction = name === 'orama' ? options.oramaFraction : 1;
    const share = shareOfRun(options, fraction);
    log(`${peer.label}: build${fraction < 1 ? ` on ${fraction * 100}% of the posts` : ''}`);
    const dir = path.join(options.work, `eval-${name}`);
    fs.rmSync(dir, { recursive: true, force: true });
    const built = await runChild<BuildResult>({ kind: 'build', peer: name, docsFile, dir, fraction: share, save: false, rankPlanFile: planFile });
    log(`  built in ${(built.buildMs / 1000).toFixed(1)} s`);
    runs.push({
      label: peer.label,
      rankings: built.rankings!,
      ...(fraction < 1 ? { note: `built on ${built.docs} of ${prepared.docs} posts (${Math.round(fraction * 100)}%): not comparable` } : {}),
    });
    done(runs);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return runs;
}

/** One judgment set: its queries, judgments, and the queries that can be scored (those with a post graded 2 or more). */
interface EvalSet {
  name: string;
  file: string;
  queries: TopicQuery[];
  scored: TopicQuery[];
  qrels: Qrels;
}

function readEvalSet(set: BenchOptions['evalSets'][number]): EvalSet {
  const queries = readQueries(set.queries);
  const qrels = readQrels(set.qrels);
  const scored = queries.filter(({ qid }) => [...(qrels.get(qid)?.values() ?? [])].some((grade) => grade >= RELEVANT_GRADE));
  return { name: set.name, file: set.qrels, queries, scored, qrels };
}

function setSection(set: EvalSet, runs: SystemRun[]): string {
  const judged = [...set.qrels.values()].reduce((sum, q) => sum + q.size, 0);
  const unscored = set.queries.filter((query) => !set.scored.includes(query)).map(({ qid }) => qid);
  return [
    `### ${set.name}`,
    '',
    `${set.queries.length} queries, ${judged} judgments from ${displayPath(set.file)}` +
      (unscored.length > 0 ? `; not scored (no post graded ${RELEVANT_GRADE} or more): ${unscored.join(', ')}.` : '.'),
    '',
    evalTables(runs, set.scored, set.qrels),
  ].join('\n');
}

async function main(): Promise<void> {
  const options = await parseBenchOptions(process.argv.slice(2), log);
  const sets = options.evalSets.map(readEvalSet);
  const queries = sets.flatMap((set) => set.queries);
  const partial = path.join(options.work, 'eval-rankings.json');
  const runs = await runSystems(options, queries, (sofar) => {
    const last = sofar[sofar.length - 1]!;
    for (const set of sets) {
      const mean = meanScores(set.scored.map(({ qid }) => scoreQuery(last.rankings[qid] ?? [], set.qrels.get(qid) ?? new Map())));
      log(`  ${set.name}: nDCG@10 ${mean.ndcg10.toFixed(3)}, P@5 ${mean.p5.toFixed(3)}, MRR ${mean.mrr.toFixed(3)}, R@30 ${mean.recall30.toFixed(3)}, unjudged@10 ${mean.unjudged10.toFixed(2)}`);
    }
    log(`  (rankings so far: ${partial})`);
    fs.writeFileSync(partial, JSON.stringify(sofar));
  });
  const body = [
    '## Relevance (`npm run eval`)',
    '',
    machineLine(),
    `Corpus: ${displayPath(options.corpus)}${options.fraction < 1 ? ` (${options.fraction * 100}% of the posts)` : ''}. ` +
      'Unjudged posts count as not relevant; unjudged@10 is the mean number of them in a system\'s top 10. ' +
      `1-minute load average at the end: ${os.loadavg()[0]!.toFixed(1)} (rankings do not depend on it).`,
    '',
    sets.map((set) => setSection(set, runs)).join('\n\n'),
  ].join('\n');
  publishResults(options.out, 'eval', body, log);
}

main().catch((error: unknown) => {
  process.stderr.write(`eval failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
